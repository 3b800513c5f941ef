// Leave-one-set-out cross-validation of mcpx's tool search over the six development query sets,
// and the coordinate-ascent fit of the ranker's numeric constants (`DEFAULT_TUNING` in
// src/proxy/search.ts) that it validates. Each fold fits the constants on five sets (starting
// from the shipped values) and scores the sixth with them, so a fold's score says how the fitting
// procedure does on queries it never saw; "fixed" scores the sixth with the shipped constants.
// Used by `node bench/search/run.mjs --cv`; `node bench/search/cv.mjs --fit` fits on all six sets
// and prints the constants to ship.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The development sets, in the order they were written. */
export const DEV_SETS = [
  ['tuning', 'queries.json'],
  ['held-out', 'queries-heldout.json'],
  ['held-out 2', 'queries-heldout2.json'],
  ['held-out 3', 'queries-heldout3.json'],
  ['held-out 4', 'queries-heldout4.json'],
  ['held-out 5', 'queries-heldout5.json'],
];

export function loadTools() {
  const dir = path.join(root, 'bench/fixtures/tools');
  const tools = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    for (const t of fixture.tools) tools.push({name: `${fixture.server}__${t.name}`, server: fixture.server, tool: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema});
  }
  return tools;
}

export function loadSets() {
  return DEV_SETS.map(([label, file]) => ({label, queries: JSON.parse(fs.readFileSync(path.join(root, 'bench/search', file), 'utf8'))}));
}

/** R@1, R@3 and MRR (top 10) of `index` over `queries`. */
export function score(index, queries) {
  let r1 = 0;
  let r3 = 0;
  let rr = 0;
  for (const q of queries) {
    const hits = index.search(q.query, 10);
    let rank = 0;
    for (let i = 0; i < hits.length; i++) if (q.expected.includes(hits[i].tool.name)) { rank = i + 1; break; }
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 3) r3++;
    if (rank >= 1) rr += 1 / rank;
  }
  const n = queries.length || 1;
  return {r1: r1 / n, r3: r3 / n, mrr: rr / n};
}

/** The tuning as a list of named scalar coordinates (array entries become `name[i]`). */
function coordinates(tuning) {
  const out = [];
  for (const [key, value] of Object.entries(tuning)) {
    if (Array.isArray(value)) value.forEach((_, i) => out.push({key, i}));
    else out.push({key});
  }
  return out;
}
const getC = (t, c) => (c.i === undefined ? t[c.key] : t[c.key][c.i]);
function setC(t, c, v) {
  const copy = {...t};
  if (c.i === undefined) copy[c.key] = v;
  else {
    copy[c.key] = [...t[c.key]];
    copy[c.key][c.i] = v;
  }
  return copy;
}

/**
 * Coordinate ascent on the mean of MRR and R@3 over `queries`: each constant in turn is
 * multiplied by each of `steps`, keeping a change only when it raises the objective by more
 * than `minGain`; up to `passes` sweeps. Deterministic.
 */
export function fit(createSearchIndex, tools, queries, start, {passes = 2, steps = [0.5, 0.75, 1.25, 1.6], minGain = 0.002, log = () => {}} = {}) {
  const objective = (t) => {
    const s = score(createSearchIndex(tools, t), queries);
    return (s.mrr + s.r3) / 2;
  };
  let best = start;
  let bestValue = objective(best);
  for (let pass = 0; pass < passes; pass++) {
    let improved = false;
    for (const c of coordinates(start)) {
      const base = getC(best, c);
      const candidates = base === 0 ? [0.1, 0.3, 1] : steps.map((s) => base * s);
      for (const v of candidates) {
        const t = setC(best, c, Number(v.toPrecision(3)));
        const value = objective(t);
        if (value > bestValue + minGain) {
          log(`  ${c.key}${c.i === undefined ? '' : `[${c.i}]`}: ${base} -> ${getC(t, c)} (${bestValue.toFixed(4)} -> ${value.toFixed(4)})`);
          best = t;
          bestValue = value;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return best;
}

/**
 * Leave-one-set-out: for each development set, fit on the other five (when `withFit`) and score
 * it. Returns per-fold scores with the shipped constants ("fixed") and the fitted ones ("fitted").
 */
export async function crossValidate({withFit = true, log = () => {}, fitOptions = {}} = {}) {
  const {createSearchIndex, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
  const tools = loadTools();
  const sets = loadSets();
  const folds = [];
  for (let k = 0; k < sets.length; k++) {
    const test = sets[k];
    const train = sets.filter((_, i) => i !== k).flatMap((s) => s.queries);
    const fixed = score(createSearchIndex(tools, DEFAULT_TUNING), test.queries);
    let fitted;
    if (withFit) {
      log(`fold ${test.label}: fitting on the other ${sets.length - 1} sets (${train.length} queries)`);
      const tuning = fit(createSearchIndex, tools, train, DEFAULT_TUNING, {...fitOptions, log});
      fitted = score(createSearchIndex(tools, tuning), test.queries);
    }
    folds.push({label: test.label, queries: test.queries.length, fixed, fitted});
  }
  return folds;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv.includes('--fit')) {
  const {createSearchIndex, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
  const tools = loadTools();
  const all = loadSets().flatMap((s) => s.queries);
  const tuning = fit(createSearchIndex, tools, all, DEFAULT_TUNING, {log: (l) => console.error(l)});
  console.log(JSON.stringify(tuning, null, 2));
}
