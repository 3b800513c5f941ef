#!/usr/bin/env node
// Trials of ranking signals: R@1 / R@3 / MRR of mcpx with tuning overrides beside the default
// ranker and plain BM25, on every development set (the unseen-server sets first) and the
// known-server sets combined. Used to decide which catalog signals to keep (bench/README.md).
//   node bench/search/signals.mjs route=0.3 'routeFieldWeight=[3,1,0.5,0.3]'
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {loadCorpora, loadSets, score} from './cv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {createSearchIndex, bm25Baseline, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
const overrides = Object.fromEntries(process.argv.slice(2).filter((a) => a.includes('=')).map((a) => {
  const [k, v] = a.split('=');
  if (!(k in DEFAULT_TUNING)) throw new Error(`unknown tuning key ${k}`);
  return [k, JSON.parse(v)];
}));
const corpora = loadCorpora();
const sets = loadSets();
const f = (s) => `${s.r1.toFixed(3)} / ${s.r3.toFixed(3)} / ${s.mrr.toFixed(3)}`;
const rankers = {bm25: (tools) => bm25Baseline(tools), default: (tools) => createSearchIndex(tools), trial: (tools) => createSearchIndex(tools, {...DEFAULT_TUNING, ...overrides})};
const built = {};
const rows = [];
for (const s of sets) {
  const row = {label: s.label};
  for (const [name, make] of Object.entries(rankers)) {
    built[`${name} ${s.corpus}`] ??= make(corpora[s.corpus]);
    row[name] = score(built[`${name} ${s.corpus}`], s.queries);
    row.n = s.queries.length;
  }
  rows.push(row);
}
const pool = (list, name) => {
  const n = list.reduce((a, r) => a + r.n, 0);
  return Object.fromEntries(['r1', 'r3', 'mrr'].map((k) => [k, list.reduce((a, r) => a + r[name][k] * r.n, 0) / n]));
};
console.log(`trial: ${JSON.stringify(overrides)}`);
console.log(`${'set'.padEnd(12)} ${'plain BM25'.padEnd(22)} ${'default'.padEnd(22)} trial`);
const unseen = rows.filter((r) => r.label.startsWith('unseen'));
const known = rows.filter((r) => !r.label.startsWith('unseen'));
for (const r of unseen) console.log(`${r.label.padEnd(12)} ${f(r.bm25)}  ${f(r.default)}  ${f(r.trial)}  ${(r.trial.mrr - r.default.mrr >= 0 ? '+' : '') + (r.trial.mrr - r.default.mrr).toFixed(3)}`);
for (const [label, list] of [['unseen all', unseen], ['known all', known]]) {
  const [b, d, t] = ['bm25', 'default', 'trial'].map((x) => pool(list, x));
  console.log(`${label.padEnd(12)} ${f(b)}  ${f(d)}  ${f(t)}  ${(t.mrr - d.mrr >= 0 ? '+' : '') + (t.mrr - d.mrr).toFixed(3)}`);
}
