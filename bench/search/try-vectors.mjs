#!/usr/bin/env node
// Round-7 experiment, not shipped: does a distributional similarity between a query and a tool
// (smooth-inverse-frequency weighted mean of word vectors, from bench/search/build-vectors.mjs)
// improve mcpx's ranking? Reranks mcpx's top 30 by score x (1 + alpha x cosine(query, tool name
// twice + first description sentence)), prints each development set per alpha, then
// leave-one-set-out cross-validation: alpha chosen on five sets by (MRR + R@3) / 2, scored on the
// sixth. Needs the build and a vectors file:
//   node bench/search/try-vectors.mjs /tmp/mcpx-search-vectors.bin
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {loadSets, loadTools} from './cv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {createSearchIndex, tokenize} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
const file = process.argv[2] ?? '/tmp/mcpx-search-vectors.bin';

const buf = fs.readFileSync(file);
const headerEnd = buf.indexOf(10);
const header = JSON.parse(buf.subarray(0, headerEnd).toString());
const D = header.dims;
let p = headerEnd + 1;
const ids = new Map();
for (let i = 0; i < header.count; i++) {
  const end = buf.indexOf(10, p);
  ids.set(buf.subarray(p, end).toString(), i);
  p = end + 1;
}
const weights = buf.subarray(p, p + header.count);
const matrix = new Int8Array(buf.buffer, buf.byteOffset + p + header.count, header.count * D);
const STOP = new Set('a an the to for of in on at by with from into onto about and or but i me my we our us you your it its this that these those there here is are was were be been being am do does did can could would should will shall may might must please want need like some any which what how who where when why let tool tools using use via just also then so as if up out over one all get'.split(' '));

/** Unit-length SIF-weighted mean of the words' (unit) vectors; null when no word has one. */
function embed(words) {
  const v = new Float64Array(D);
  let any = false;
  for (const w of words) {
    const i = ids.get(w);
    if (i === undefined || STOP.has(w)) continue;
    let norm = 0;
    for (let d = 0; d < D; d++) norm += matrix[i * D + d] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < D; d++) v[d] += ((weights[i] / 255) * matrix[i * D + d]) / norm;
    any = true;
  }
  let norm = 0;
  for (let d = 0; d < D; d++) norm += v[d] * v[d];
  norm = Math.sqrt(norm);
  if (!any || norm === 0) return null;
  return v.map((x) => x / norm);
}

const tools = loadTools();
// The sets about the known servers (the ones this experiment was run on).
const sets = loadSets().filter((s) => s.corpus === 'known');
const toolVec = new Map(tools.map((t) => {
  const name = tokenize(t.tool);
  return [t.name, embed([...name, ...name, ...tokenize((t.description ?? '').split(/[.!?]\s|\n/)[0] ?? '')])];
}));
const index = createSearchIndex(tools);
const runs = sets.map((s) => s.queries.map((q) => ({q, hits: index.search(q.query, 30), qv: embed(tokenize(q.query))})));
const ALPHAS = [0, 0.1, 0.2, 0.3, 0.4, 0.5];
const fmt = (s) => `${s.r1.toFixed(3)} / ${s.r3.toFixed(3)} / ${s.mrr.toFixed(3)}`;
const results = new Map(ALPHAS.map((a) => [a, runs.map((run) => {
  let r1 = 0, r3 = 0, rr = 0;
  for (const {q, hits, qv} of run) {
    const reranked = hits.map((h) => {
      const tv = toolVec.get(h.tool.name);
      const cos = qv && tv ? qv.reduce((s, x, i) => s + x * tv[i], 0) : 0;
      return {name: h.tool.name, score: h.score * (1 + a * cos)};
    }).sort((x, y) => y.score - x.score).slice(0, 10);
    const rank = reranked.findIndex((h) => q.expected.includes(h.name)) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 3) r3++;
    if (rank >= 1) rr += 1 / rank;
  }
  return {r1, r3, rr, n: run.length};
})]));
const rate = (x) => ({r1: x.r1 / x.n, r3: x.r3 / x.n, mrr: x.rr / x.n});
const sum = (xs) => xs.reduce((a, x) => ({r1: a.r1 + x.r1, r3: a.r3 + x.r3, rr: a.rr + x.rr, n: a.n + x.n}), {r1: 0, r3: 0, rr: 0, n: 0});
console.log(`${file}: ${header.count} words x ${D} dims`);
for (const a of ALPHAS) console.log(`alpha ${a}: ${results.get(a).map((x) => fmt(rate(x))).join('  ')}   all ${fmt(rate(sum(results.get(a))))}`);
const mean = {r1: 0, r3: 0, mrr: 0};
for (let k = 0; k < sets.length; k++) {
  let best = 0;
  let bestValue = -1;
  for (const a of ALPHAS) {
    const t = rate(sum(results.get(a).filter((_, i) => i !== k)));
    if ((t.mrr + t.r3) / 2 > bestValue + 1e-9) [best, bestValue] = [a, (t.mrr + t.r3) / 2];
  }
  const s = rate(results.get(best)[k]);
  for (const key of ['r1', 'r3', 'mrr']) mean[key] += s[key] / sets.length;
  console.log(`cv fold ${sets[k].label}: alpha ${best}  ${fmt(s)}`);
}
console.log(`cv mean: ${fmt(mean)}`);
