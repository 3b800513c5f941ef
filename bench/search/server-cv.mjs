#!/usr/bin/env node
// Cross-validation over whole servers of one ranking weight: every development query is scored
// once per candidate value; the servers (of each query's first expected tool) are split into
// `--folds` groups; for each group the value is chosen on the queries about the other servers
// (mean of MRR and R@3) and scored on the queries about the group's servers. What carries over is
// how much the signal counts, not anything about the held-out servers' words.
//   node bench/search/server-cv.mjs route 0,0.2,0.3,0.4,0.6 [--folds 5] [key=value ...]
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {loadCorpora, loadSets} from './cv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {createSearchIndex, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
const [key, grid] = process.argv.slice(2);
if (!(key in DEFAULT_TUNING)) throw new Error(`unknown tuning key ${key}`);
const values = grid.split(',').map(Number);
const foldArg = process.argv.indexOf('--folds');
const folds = foldArg > 0 ? Number(process.argv[foldArg + 1]) : 5;
const fixed = Object.fromEntries(process.argv.slice(4).filter((a) => a.includes('=')).map((a) => [a.split('=')[0], JSON.parse(a.split('=')[1])]));
const corpora = loadCorpora();
const sets = loadSets();

// Per value, per query: the rank of the first expected tool (0: not in the top 10).
const queries = sets.flatMap((s) => s.queries.map((q) => ({...q, corpus: s.corpus, set: s.label, server: q.expected[0].split('__')[0]})));
const ranks = values.map((v) => {
  const built = {};
  return queries.map((q) => {
    built[q.corpus] ??= createSearchIndex(corpora[q.corpus], {...DEFAULT_TUNING, ...fixed, [key]: v});
    const hits = built[q.corpus].search(q.query, 10);
    return hits.findIndex((h) => q.expected.includes(h.tool.name)) + 1;
  });
});
// Servers in a fixed order, dealt round-robin into folds by name hash so each fold mixes known and unseen servers.
const hash = (s) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
const servers = [...new Set(queries.map((q) => q.server))].sort((a, b) => hash(a) - hash(b) || a.localeCompare(b));
const foldOf = new Map(servers.map((s, i) => [s, i % folds]));
const metrics = (vi, pick) => {
  let n = 0, r1 = 0, r3 = 0, rr = 0;
  queries.forEach((q, i) => {
    if (!pick(q)) return;
    const r = ranks[vi][i];
    n++;
    if (r === 1) r1++;
    if (r >= 1 && r <= 3) r3++;
    if (r >= 1) rr += 1 / r;
  });
  return {n, r1: r1 / (n || 1), r3: r3 / (n || 1), mrr: rr / (n || 1)};
};
const f = (m) => `${m.r1.toFixed(3)} / ${m.r3.toFixed(3)} / ${m.mrr.toFixed(3)}`;
console.log(`${key}: values ${values.join(', ')}; ${servers.length} servers in ${folds} folds; fixed ${JSON.stringify(fixed)}`);
const held = values.map(() => []);
let chosenTotals = {n: 0, r1: 0, r3: 0, mrr: 0};
let baseTotals = {n: 0, r1: 0, r3: 0, mrr: 0};
const base = values.indexOf(DEFAULT_TUNING[key]);
for (let k = 0; k < folds; k++) {
  const train = (q) => foldOf.get(q.server) !== k;
  const test = (q) => foldOf.get(q.server) === k;
  let best = 0;
  let bestObj = -1;
  values.forEach((_, vi) => {
    const m = metrics(vi, train);
    const obj = (m.mrr + m.r3) / 2;
    if (obj > bestObj + 1e-9) (bestObj = obj), (best = vi);
  });
  const m = metrics(best, test);
  const b = metrics(base >= 0 ? base : 0, test);
  for (const [t, x] of [[chosenTotals, m], [baseTotals, b]]) {
    t.n += x.n;
    t.r1 += x.r1 * x.n;
    t.r3 += x.r3 * x.n;
    t.mrr += x.mrr * x.n;
  }
  console.log(`fold ${k}: ${m.n} queries; chosen ${key}=${values[best]}: ${f(m)}   ${key}=${values[base >= 0 ? base : 0]}: ${f(b)}`);
}
const avg = (t) => ({r1: t.r1 / t.n, r3: t.r3 / t.n, mrr: t.mrr / t.n});
console.log(`held-out servers, all folds: chosen ${f(avg(chosenTotals))}   ${key}=${values[base >= 0 ? base : 0]} ${f(avg(baseTotals))}`);
// Unseen-server queries only.
const unseen = (q) => q.corpus !== 'known';
for (const [vi, v] of values.entries()) console.log(`  ${key}=${v}: all ${f(metrics(vi, () => true))}  unseen-server queries ${f(metrics(vi, unseen))}`);
