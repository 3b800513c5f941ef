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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {parseArgs} from 'node:util';
import {CLIENTS} from '../../src/clients/index.js';
import {lintPaths} from '../../src/lint/engine.js';
import {maskSecret} from '../../src/secrets/mask.js';
import {generateCorpus} from './generate.js';
import {type SlimFinding, readableFormats, scoreCorpus} from './score.js';

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

const {skippedFormats, rules: scores, exact, perFormat, unlabelled} = scoreCorpus(corpus.labels, findings, readableFormats(CLIENTS.map((c) => c.id)));
const errorsToShow = Number(opts.errors);

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
