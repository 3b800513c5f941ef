/**
 * Precision and recall of the lint rules on the labelled corpus (generate.ts). Generates the
 * corpus in a temp folder, lints it through the engine API (or, with `--cli`, the built
 * `mcpx lint --format json`), matches findings to labels by (rule, file, JSON pointer) and
 * prints one row per rule. Works with whatever rules and client modules the build has: formats
 * whose client module is missing are reported as skipped, rules without labels as counts only.
 *
 *   npm run bench:corpus -- [--seed N] [--projects N] [--cli] [--keep] [--json out.json] [--errors N]
 */
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {CLIENTS} from '../../src/clients/index.js';
import {lintPaths} from '../../src/lint/engine.js';
import {maskSecret} from '../../src/secrets/mask.js';
import {FORMATS, type Format, type Label, generateCorpus} from './generate.js';

interface SlimFinding {
  ruleId: string;
  file: string;
  pointer: string;
  valueHash?: string;
  masked?: string;
  message: string;
}

interface RuleScore {
  rule: string;
  labelledPositive: number;
  labelledNegative: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

const {values: opts} = parseArgs({
  options: {
    seed: {type: 'string', default: '1'},
    projects: {type: 'string', default: '360'},
    cli: {type: 'boolean', default: false},
    keep: {type: 'boolean', default: false},
    json: {type: 'string'},
    errors: {type: 'string', default: '15'},
  },
});

const repo = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-corpus-'));
const t0 = performance.now();
const corpus = generateCorpus(root, {seed: Number(opts.seed), projects: Number(opts.projects)});
const tGen = performance.now();

async function lintCorpus(): Promise<SlimFinding[]> {
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  if (opts.cli) {
    const bin = path.join(repo, 'bin', 'run.js');
    let out: string;
    try {
      out = execFileSync(process.execPath, [bin, 'lint', '--format', 'json', ...corpus.files.map(rel)], {cwd: root, env: {...process.env, HOME: root}, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8'});
    } catch (error) {
      // Exit code 1 means findings, which is the point.
      const e = error as {status?: number; stdout?: string};
      if (e.status !== 1 || !e.stdout) throw error;
      out = e.stdout;
    }
    const report = JSON.parse(out) as {findings: SlimFinding[]};
    return report.findings;
  }
  const report = await lintPaths({paths: corpus.files, cwd: root, env: {...process.env, HOME: root}});
  for (const e of report.errors) console.error(`lint error: ${e.message}`);
  return report.findings.filter((f) => !f.suppressed).map((f) => ({ruleId: f.ruleId, file: rel(f.file), pointer: f.pointer, valueHash: f.valueHash, masked: f.masked, message: f.message}));
}

const findings = await lintCorpus();
const tLint = performance.now();

// A format is scored when the build reads its servers: through its own client module, or (for
// Gemini's `mcpServers`) through the engine's by-shape fallback to the Claude Desktop reader.
const clientIds = new Set<string>(CLIENTS.map((c) => c.id));
const supported = new Set<string>(FORMATS.filter((f) => clientIds.has(f) || (f === 'gemini' && clientIds.has('claude-desktop'))));
const skippedFormats = FORMATS.filter((f) => !supported.has(f));
// Without its client module a file has no servers, so no credential can be found in it:
// file-permissions can then only report what the mode alone says (writable by others).
const scoredLabels = corpus.labels
  .filter((l) => supported.has(l.format) || l.rule === 'file-permissions')
  .map((l) => (l.rule === 'file-permissions' && !supported.has(l.format) ? {...l, positive: (l.mode! & 0o022) !== 0, what: `${l.what} (secret unknown: no client module)`} : l));
const formatOf = new Map(corpus.labels.map((l) => [l.file, l.format] as const));
const scoredFindings = findings.filter((f) => supported.has(formatOf.get(f.file) ?? '') || f.ruleId === 'file-permissions');

const key = (rule: string, file: string, pointer: string) => `${rule}\0${file}\0${pointer}`;
const labelledRules = [...new Set(scoredLabels.map((l) => l.rule))].sort();
const errorsToShow = Number(opts.errors);

function score(rule: string, labels: Label[], found: SlimFinding[]): RuleScore & {fps: SlimFinding[]; fns: Label[]} {
  const positives = new Map<string, Label>();
  const negatives = new Set<string>();
  for (const l of labels) {
    if (l.rule !== rule) continue;
    if (l.positive) positives.set(key(l.rule, l.file, l.pointer), l);
    else negatives.add(key(l.rule, l.file, l.pointer));
  }
  const reported = new Map<string, SlimFinding>();
  for (const f of found) if (f.ruleId === rule) reported.set(key(f.ruleId, f.file, f.pointer), f);
  const fps = [...reported].filter(([k]) => !positives.has(k)).map(([, f]) => f);
  const fns = [...positives].filter(([k]) => !reported.has(k)).map(([, l]) => l);
  const tp = positives.size - fns.length;
  const precision = tp + fps.length === 0 ? 1 : tp / (tp + fps.length);
  const recall = positives.size === 0 ? 1 : tp / positives.size;
  return {rule, labelledPositive: positives.size, labelledNegative: negatives.size, tp, fp: fps.length, fn: fns.length, precision, recall, fps, fns};
}

const scores = labelledRules.map((rule) => score(rule, scoredLabels, scoredFindings));

// hardcoded-secret at the level of the exact substring: the finding's value hash must be the
// hash of the planted secret (not of the whole value, not of a neighbouring part).
const hash = (s: string) => createHash('sha256').update(`mcpx-value:${s}`).digest('hex').slice(0, 32);
const exact = (() => {
  const planted = scoredLabels.filter((l) => l.rule === 'hardcoded-secret' && l.positive && l.secrets);
  const byKey = new Map<string, Set<string>>();
  for (const f of scoredFindings) {
    if (f.ruleId !== 'hardcoded-secret' || !f.valueHash) continue;
    const k = key(f.ruleId, f.file, f.pointer);
    if (!byKey.has(k)) byKey.set(k, new Set());
    byKey.get(k)!.add(f.valueHash);
  }
  let found = 0;
  let total = 0;
  const plantedHashes = new Map<string, Set<string>>();
  for (const l of planted) {
    const k = key(l.rule, l.file, l.pointer);
    const hs = new Set(l.secrets!.map(hash));
    plantedHashes.set(k, hs);
    for (const h of hs) {
      total++;
      if (byKey.get(k)?.has(h)) found++;
    }
  }
  let exactFindings = 0;
  let all = 0;
  for (const [k, hs] of byKey) {
    for (const h of hs) {
      all++;
      if (plantedHashes.get(k)?.has(h)) exactFindings++;
    }
  }
  return {recall: total ? found / total : 1, precision: all ? exactFindings / all : 1, planted: total, reported: all};
})();

const perFormat = FORMATS.filter((f) => supported.has(f)).map((format) => {
  const s = score('hardcoded-secret', scoredLabels.filter((l) => l.format === format), scoredFindings.filter((f) => formatOf.get(f.file) === format));
  return {format, tp: s.tp, fp: s.fp, fn: s.fn, precision: s.precision, recall: s.recall};
});

const unlabelled = new Map<string, number>();
for (const f of scoredFindings) if (!labelledRules.includes(f.ruleId)) unlabelled.set(f.ruleId, (unlabelled.get(f.ruleId) ?? 0) + 1);

const pct = (x: number) => x.toFixed(4);
const lines: string[] = [];
lines.push(`corpus: seed ${opts.seed}, ${corpus.files.length} files, ${corpus.labels.length} labels (${corpus.labels.filter((l) => l.positive).length} positive); generated in ${(tGen - t0).toFixed(0)} ms, linted via ${opts.cli ? 'the CLI' : 'the engine API'} in ${(tLint - tGen).toFixed(0)} ms`);
if (skippedFormats.length) lines.push(`skipped formats (no client module in this build): ${skippedFormats.join(', ')}`);
lines.push('', '| rule | labelled + | labelled - | TP | FP | FN | precision | recall |', '|---|---:|---:|---:|---:|---:|---:|---:|');
for (const s of scores) lines.push(`| ${s.rule} | ${s.labelledPositive} | ${s.labelledNegative} | ${s.tp} | ${s.fp} | ${s.fn} | ${pct(s.precision)} | ${pct(s.recall)} |`);
lines.push('', `hardcoded-secret, exact secret substring: recall ${pct(exact.recall)} (${exact.planted} planted), precision ${pct(exact.precision)} (${exact.reported} reported)`);
lines.push('', '| format | TP | FP | FN | precision | recall |', '|---|---:|---:|---:|---:|---:|');
for (const f of perFormat) lines.push(`| ${f.format} | ${f.tp} | ${f.fp} | ${f.fn} | ${pct(f.precision)} | ${pct(f.recall)} |`);
if (unlabelled.size) lines.push('', `unlabelled rules (counts only): ${[...unlabelled].map(([r, n]) => `${r} ${n}`).join(', ')}`);
for (const s of scores) {
  for (const f of s.fps.slice(0, errorsToShow)) lines.push(`  FP ${s.rule} ${f.file} ${f.pointer}: ${f.message}`);
  for (const l of s.fns.slice(0, errorsToShow)) lines.push(`  FN ${s.rule} ${l.file} ${l.pointer}: ${l.what}${l.secrets ? ` (${l.secrets.map(maskSecret).join(', ')})` : ''}`);
}
console.log(lines.join('\n'));

if (opts.json) {
  const result = {seed: Number(opts.seed), files: corpus.files.length, labels: corpus.labels.length, skippedFormats, rules: scores.map(({fps: _fps, fns: _fns, ...s}) => s), exact, perFormat, unlabelled: Object.fromEntries(unlabelled)};
  fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
}
if (opts.keep) console.log(`corpus kept in ${root}`);
else fs.rmSync(root, {recursive: true, force: true});
