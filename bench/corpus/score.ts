/**
 * Scoring of lint findings against the corpus labels: per-rule precision and recall keyed by
 * (rule, file, JSON pointer), hardcoded-secret's exact-substring check by value hash, and a
 * per-format breakdown. Pure; used by run.ts and the corpus regression test.
 */
import {createHash} from 'node:crypto';
import {FORMATS, type Format, type Label} from './generate.js';

export interface SlimFinding {
  ruleId: string;
  /** Relative to the corpus root, `/` separated. */
  file: string;
  pointer: string;
  valueHash?: string;
  masked?: string;
  message: string;
}

export interface RuleScore {
  rule: string;
  labelledPositive: number;
  labelledNegative: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export interface CorpusScore {
  skippedFormats: Format[];
  rules: Array<RuleScore & {fps: SlimFinding[]; fns: Label[]}>;
  exact: {recall: number; precision: number; planted: number; reported: number};
  perFormat: Array<{format: Format; tp: number; fp: number; fn: number; precision: number; recall: number}>;
  unlabelled: Map<string, number>;
}

/**
 * Formats whose servers the build reads: through their own client module, or (Gemini's
 * `mcpServers`) through the engine's by-shape fallback to the Claude Desktop reader.
 */
export function readableFormats(clientIds: Iterable<string>): Set<Format> {
  const ids = new Set(clientIds);
  return new Set(FORMATS.filter((f) => ids.has(f) || (f === 'gemini' && ids.has('claude-desktop'))));
}

const key = (rule: string, file: string, pointer: string) => `${rule}\0${file}\0${pointer}`;

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

/** Score `findings` (unsuppressed, files relative to the corpus root) against `labels`. */
export function scoreCorpus(labels: Label[], findings: SlimFinding[], supported: Set<Format>): CorpusScore {
  const skippedFormats = FORMATS.filter((f) => !supported.has(f));
  // Without its client module a file has no servers, so no credential can be found in it:
  // file-permissions can then only report what the mode alone says (writable by others).
  const scoredLabels = labels
    .filter((l) => supported.has(l.format) || l.rule === 'file-permissions')
    .map((l) => (l.rule === 'file-permissions' && !supported.has(l.format) ? {...l, positive: (l.mode! & 0o022) !== 0, what: `${l.what} (secret unknown: no client module)`} : l));
  const formatOf = new Map(labels.map((l) => [l.file, l.format] as const));
  const scoredFindings = findings.filter((f) => supported.has(formatOf.get(f.file)!) || f.ruleId === 'file-permissions');
  const labelledRules = [...new Set(scoredLabels.map((l) => l.rule))].sort();
  const rules = labelledRules.map((rule) => score(rule, scoredLabels, scoredFindings));

  // hardcoded-secret at the level of the exact substring: the finding's value hash must be the
  // hash of the planted secret (not of the whole value, not of a neighbouring part).
  const hash = (s: string) => createHash('sha256').update(`mcpx-value:${s}`).digest('hex').slice(0, 32);
  const byKey = new Map<string, Set<string>>();
  for (const f of scoredFindings) {
    if (f.ruleId !== 'hardcoded-secret' || !f.valueHash) continue;
    const k = key(f.ruleId, f.file, f.pointer);
    if (!byKey.has(k)) byKey.set(k, new Set());
    byKey.get(k)!.add(f.valueHash);
  }
  let found = 0;
  let planted = 0;
  const plantedHashes = new Map<string, Set<string>>();
  for (const l of scoredLabels) {
    if (l.rule !== 'hardcoded-secret' || !l.positive || !l.secrets) continue;
    const k = key(l.rule, l.file, l.pointer);
    const hs = new Set(l.secrets.map(hash));
    plantedHashes.set(k, hs);
    for (const h of hs) {
      planted++;
      if (byKey.get(k)?.has(h)) found++;
    }
  }
  let matching = 0;
  let reported = 0;
  for (const [k, hs] of byKey) {
    for (const h of hs) {
      reported++;
      if (plantedHashes.get(k)?.has(h)) matching++;
    }
  }
  const exact = {recall: planted ? found / planted : 1, precision: reported ? matching / reported : 1, planted, reported};

  const perFormat = FORMATS.filter((f) => supported.has(f)).map((format) => {
    const s = score('hardcoded-secret', scoredLabels.filter((l) => l.format === format), scoredFindings.filter((f) => formatOf.get(f.file) === format));
    return {format, tp: s.tp, fp: s.fp, fn: s.fn, precision: s.precision, recall: s.recall};
  });

  const unlabelled = new Map<string, number>();
  for (const f of scoredFindings) if (!labelledRules.includes(f.ruleId)) unlabelled.set(f.ruleId, (unlabelled.get(f.ruleId) ?? 0) + 1);
  return {skippedFormats, rules, exact, perFormat, unlabelled};
}
