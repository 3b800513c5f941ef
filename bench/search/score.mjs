#!/usr/bin/env node
// Scores one query set over one tools folder (bench/fixtures format: <server>.json with server,
// package, version, tools) with mcpx's ranker and plain BM25: R@1 / R@3 / MRR (top 10). For a
// blind set kept outside the repository. `--with-fixtures` also loads every bench/fixtures folder
// as distractors (as the unseen sets are searched among all earlier folders). Needs the build.
//   node bench/search/score.mjs <tools-folder> <queries.json> [--with-fixtures]
import path from 'node:path';
import fs from 'node:fs';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {loadCorpora, loadFixtures, score} from './cv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {createSearchIndex, bm25Baseline} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
const [dir, file] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!dir || !file) throw new Error('usage: node bench/search/score.mjs <tools-folder> <queries.json> [--with-fixtures]');
let tools = loadFixtures(path.resolve(dir)).tools;
if (process.argv.includes('--with-fixtures')) {
  const corpora = loadCorpora();
  const all = Object.values(corpora).at(-1);
  tools = [...all, ...tools];
}
const queries = JSON.parse(fs.readFileSync(path.resolve(file), 'utf8'));
const names = new Set(tools.map((t) => t.name));
const missing = queries.flatMap((q) => q.expected.filter((e) => !names.has(e)));
if (missing.length > 0) console.error(`warning: ${missing.length} expected tools not in the folder, e.g. ${missing[0]}`);
const f = (s) => `${s.r1.toFixed(3)} / ${s.r3.toFixed(3)} / ${s.mrr.toFixed(3)}`;
console.log(`${queries.length} queries over ${tools.length} tools (R@1 / R@3 / MRR)`);
console.log(`mcpx        ${f(score(createSearchIndex(tools), queries))}`);
console.log(`plain BM25  ${f(score(bm25Baseline(tools), queries))}`);
