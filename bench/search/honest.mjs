#!/usr/bin/env node
// Honest results of mcpx's tool search: what the relative score cut-off (hits below a share of the
// best hit's score are not listed) costs in R@1 / R@3 / MRR and how many hits it leaves, and how
// often the no-match verdict (the best hit's `match` below a threshold) fires on queries that have
// an answer (every development set) and on queries that have none: the unseen-server sets' queries
// searched among the 18 known servers only, keeping those whose expected tools are all elsewhere.
//   node bench/search/honest.mjs [--cutoffs 0,0.2,0.25,0.3] [--thresholds 0.2,0.3,0.4]
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {loadCorpora, loadSets} from './cv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {createSearchIndex, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return (i > 0 ? process.argv[i + 1] : fallback).split(',').map(Number);
};
const cutoffs = arg('--cutoffs', '0,0.15,0.2,0.25,0.3,0.4');
const thresholds = arg('--thresholds', '0.1,0.2,0.3,0.4,0.5');

const corpora = loadCorpora();
const sets = loadSets();

/** R@1, R@3, MRR (top 10) and the mean number of hits listed, of `index` over `queries`. */
function measure(index, queries) {
  let r1 = 0, r3 = 0, rr = 0, listed = 0;
  const best = [];
  for (const q of queries) {
    const hits = index.search(q.query, 10);
    listed += hits.length;
    best.push(Math.max(0, ...hits.slice(0, 3).map((h) => h.match)));
    const rank = hits.findIndex((h) => q.expected.includes(h.tool.name)) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 3) r3++;
    if (rank >= 1) rr += 1 / rank;
  }
  const n = queries.length;
  return {r1: r1 / n, r3: r3 / n, mrr: rr / n, listed: listed / n, best};
}

const f = (x) => x.toFixed(3);
const flagged = (best, t) => best.filter((m) => m < t).length;
console.log(`cut-off (share of the best score) -> R@1 / R@3 / MRR, mean hits listed of 10`);
const byCutoff = new Map();
for (const cutoff of cutoffs) {
  const indexes = Object.fromEntries(Object.entries(corpora).map(([c, tools]) => [c, createSearchIndex(tools, {...DEFAULT_TUNING, cutoff})]));
  const rows = sets.map((s) => ({label: s.label, ...measure(indexes[s.corpus], s.queries)}));
  byCutoff.set(cutoff, rows);
  console.log(`\ncut-off ${cutoff}`);
  for (const r of rows) console.log(`  ${r.label.padEnd(12)} ${f(r.r1)} / ${f(r.r3)} / ${f(r.mrr)}  listed ${r.listed.toFixed(1)}`);
}

// No-match verdicts on answerable queries (the default cut-off's runs).
const rows = byCutoff.get(DEFAULT_TUNING.cutoff) ?? byCutoff.get(cutoffs.at(-1));
console.log(`\nanswerable queries the no-match verdict would refuse (best match among the first three below the threshold): ${thresholds.map((t) => `< ${t}`).join('  ')}`);
let all = [];
for (const r of rows) {
  all = all.concat(r.best);
  console.log(`  ${r.label.padEnd(12)} ${thresholds.map((t) => String(flagged(r.best, t)).padStart(5)).join('  ')}  of ${r.best.length}`);
}
console.log(`  ${'all'.padEnd(12)} ${thresholds.map((t) => String(flagged(all, t)).padStart(5)).join('  ')}  of ${all.length}`);

// Unanswerable queries: about servers that are not configured.
const known = new Set(corpora.known.map((t) => t.name));
const knownIndex = createSearchIndex(corpora.known);
const unanswerable = sets.filter((s) => s.corpus !== 'known').flatMap((s) => s.queries.filter((q) => !q.expected.some((e) => known.has(e))));
const none = unanswerable.map((q) => Math.max(0, ...knownIndex.search(q.query, 10).slice(0, 3).map((h) => h.match)));
console.log(`\nunanswerable queries (unseen sets' queries among the known servers' tools only, ${unanswerable.length}) said to match nothing: ${thresholds.map((t) => `< ${t}: ${flagged(none, t)}`).join(', ')}`);
if (process.argv.includes('--examples')) {
  for (const q of unanswerable.slice(0, 40)) {
    const h = knownIndex.search(q.query, 3);
    console.log(`  ${(h[0]?.match ?? 0).toFixed(2)} "${q.query}" -> ${h.map((x) => x.tool.name).join(', ')}`);
  }
}
