#!/usr/bin/env node
// Search benchmark for `mcpx serve`'s search_tools: ranks the recorded tools of real MCP servers
// (bench/fixtures/tools) for labelled natural-language queries and prints Recall@1, Recall@3 and
// MRR per set for mcpx's ranking, plain BM25 and keyword counting, then the time of one mcpx search
// over 5,000 tools. Development sets: queries.json (tuning), queries-heldout.json (held out in
// round 2, development since round 3), queries-heldout2.json (the blind judge of round 3,
// development since round 4), queries-heldout3.json (the blind judge of round 4, development
// since round 5) and queries-heldout4.json (the blind judge of round 5, development since round
// 6) and queries-heldout5.json (the blind judge of round 6, development since round 7).
// queries-heldout6.json, when present, is a blind set written by someone else: it is only
// measured, its misses are never listed. queries-unseen.json (blind too) asks for the tools of 14
// more servers (bench/fixtures/tools-unseen) no round was developed against, searched among the
// tools of both folders. `--misses` lists mcpx's misses on the six development
// sets; `--no-speed` skips the timing; `--cv` adds leave-one-set-out cross-validation over the six
// development sets (see bench/search/cv.mjs). Needs the build:
// `npm run bench:search` does both.
// `--no-blind` never loads the blind sets (development runs).
// `--cv`: leave-one-set-out cross-validation (bench/search/cv.mjs, about 20 s); `--cv-fit` also
// fits every ranking constant per fold (about 6 minutes).
//   node bench/search/run.mjs [--misses] [--json] [--no-speed] [--no-blind] [--cv | --cv-fit]
import fs from 'node:fs';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {crossValidate, loadFixtures} from './cv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const showMisses = process.argv.includes('--misses');
const asJson = process.argv.includes('--json');
const withSpeed = !process.argv.includes('--no-speed');
// --no-blind: never load the blind set, even when present (for development runs).
const withBlind = !process.argv.includes('--no-blind');
const withFit = process.argv.includes('--cv-fit');
const withCv = withFit || process.argv.includes('--cv');

const {createSearchIndex, bm25Baseline, keywordBaseline} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);

const {tools, servers} = loadFixtures();
const known = new Set(tools.map((t) => t.name));
// The unseen servers (bench/fixtures/tools-unseen): 14 more npm servers whose tools no ranker
// round was developed against. Their queries (queries-unseen.json, written blind) run against
// every tool of both folders, so the known tools are distractors and equivalents.
const unseen = loadFixtures(path.join(root, 'bench/fixtures/tools-unseen'));
const allTools = [...tools, ...unseen.tools];
const knownAll = new Set(allTools.map((t) => t.name));
/** A labelled query file; every expected tool must exist in the fixtures (`names`). */
function loadQueries(file, names = known) {
  const list = JSON.parse(fs.readFileSync(path.join(root, 'bench/search', file), 'utf8'));
  for (const q of list) {
    for (const e of q.expected) if (!names.has(e)) throw new Error(`${file}: "${q.query}" expects unknown tool ${e}`);
  }
  return list;
}
// queries.json: the tuning set (its misses guided ranker changes). queries-heldout.json: written
// from the tool lists alone before the second round of ranker changes; held out in round 2, its
// misses guided round 3, so it is a development set now. queries-heldout2.json: written by someone
// else from the tool lists alone; the blind judge of round 3, a development set since round 4.
// queries-heldout3.json: written the same way, the blind judge of round 4, a development set
// since round 5. queries-heldout4.json: the blind judge of round 5, a development set since round
// 6. queries-heldout5.json: the blind judge of round 6, a development set since round 7.
// queries-heldout6.json (optional): the blind judge of round 7, written the same way; only
// measured, never listed.
const tuning = loadQueries('queries.json');
const heldOutSet = loadQueries('queries-heldout.json');
const heldOut2Set = loadQueries('queries-heldout2.json');
const heldOut3Set = loadQueries('queries-heldout3.json');
const heldOut4Set = loadQueries('queries-heldout4.json');
const heldOut5Set = loadQueries('queries-heldout5.json');
const blindFile = 'queries-heldout6.json';
const blindSet = withBlind && fs.existsSync(path.join(root, 'bench/search', blindFile)) ? loadQueries(blindFile) : undefined;
// Blind like held-out 6: measured, never listed, skipped by --no-blind.
const unseenSet = withBlind ? loadQueries('queries-unseen.json', knownAll) : undefined;
const queries = [...tuning, ...heldOutSet, ...heldOut2Set, ...heldOut3Set, ...heldOut4Set, ...heldOut5Set];
// The held-out set was written without reading queries.json, yet some of its queries came out
// (nearly) the same as tuning queries. The distinct part keeps only held-out queries whose word
// sets overlap every tuning query's by less than 0.6 (Jaccard), the fairest test of generalisation.
const wordSet = (s) => new Set(s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean));
const jaccard = (a, b) => {
  const shared = [...a].filter((w) => b.has(w)).length;
  return shared / (a.size + b.size - shared);
};
const tuningWords = tuning.map((q) => wordSet(q.query));
const heldOutDistinct = heldOutSet.filter((q) => tuningWords.every((t) => jaccard(wordSet(q.query), t) < 0.6));

/**
 * Recall@1, Recall@3 and MRR (reciprocal rank of the first expected tool in the top 10, else 0)
 * over `subset` of the queries. A query counts as answered when any of its expected tools ranks.
 */
function evaluate(index, subset = queries) {
  const queries = subset;
  let r1 = 0;
  let r3 = 0;
  let rr = 0;
  const misses = [];
  for (const q of queries) {
    const hits = index.search(q.query, 10).map((h) => h.tool.name);
    const rank = hits.findIndex((name) => q.expected.includes(name)) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 3) r3++;
    if (rank >= 1) rr += 1 / rank;
    if (rank !== 1) misses.push({query: q.query, expected: q.expected, rank: rank || '>10', top: hits.slice(0, 3)});
  }
  const n = queries.length;
  return {recallAt1: r1 / n, recallAt3: r3 / n, mrr: rr / n, misses};
}

const rankers = {
  mcpx: createSearchIndex(tools),
  bm25: bm25Baseline(tools),
  keyword: keywordBaseline(tools),
};
const sets = {tuning, heldOut: heldOutSet, heldOutDistinct, heldOut2: heldOut2Set, heldOut3: heldOut3Set, heldOut4: heldOut4Set, heldOut5: heldOut5Set, combined: queries, ...(blindSet ? {heldOut6: blindSet} : {})};
const setLabels = {
  tuning: 'tuning',
  heldOut: 'held-out (development since round 3)',
  heldOutDistinct: 'held-out distinct',
  heldOut2: 'held-out 2 (development since round 4)',
  heldOut3: 'held-out 3 (development since round 5)',
  heldOut4: 'held-out 4 (development since round 6)',
  heldOut5: 'held-out 5 (development since round 7)',
  combined: 'combined (tuning + held-out + held-out 2 + held-out 3 + held-out 4 + held-out 5)',
  heldOut6: 'held-out 6 (blind)',
};
const quality = Object.fromEntries(
  Object.entries(sets).map(([set, list]) => [set, Object.fromEntries(Object.entries(rankers).map(([name, index]) => [name, evaluate(index, list)]))]),
);
if (unseenSet) {
  // Its own corpus: every tool of both fixture folders.
  const all = {mcpx: createSearchIndex(allTools), bm25: bm25Baseline(allTools), keyword: keywordBaseline(allTools)};
  sets.unseen = unseenSet;
  setLabels.unseen = `unseen servers (blind; ${unseen.servers.length} servers the ranker never saw, searched among all ${allTools.length} tools)`;
  quality.unseen = Object.fromEntries(Object.entries(all).map(([name, index]) => [name, evaluate(index, unseenSet)]));
}

/**
 * 5,000 tools: the recorded ones replicated under varied server and tool names, as a large proxy
 * with many similar servers would hold (e.g. `github-3__create_issue_v3`).
 */
function replicate(target) {
  const out = [...tools];
  for (let copy = 1; out.length < target; copy++) {
    for (const t of tools) {
      if (out.length >= target) break;
      const server = `${t.server}-${copy}`;
      const tool = `${t.tool}_v${copy}`;
      out.push({...t, server, tool, name: `${server}__${tool}`});
    }
  }
  return out;
}

let timing;
let samples = [];
if (withSpeed) {
  const big = replicate(5000);
  const buildStart = performance.now();
  const buildCpu = process.cpuUsage();
  const bigIndex = createSearchIndex(big);
  const buildMs = performance.now() - buildStart;
  const buildCpuUsed = process.cpuUsage(buildCpu);
  const buildCpuMs = (buildCpuUsed.user + buildCpuUsed.system) / 1000;
  // Warm up, then time every query several times; each sample is one search.
  for (const q of queries) bigIndex.search(q.query, 10);
  // Wall time is what a caller waits; CPU time (process.cpuUsage) is the work itself and stays
  // meaningful on a busy machine where other processes stretch wall time.
  const cpuSamples = [];
  for (let round = 0; round < 5; round++) {
    for (const q of queries) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      bigIndex.search(q.query, 10);
      samples.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpuSamples.push((c.user + c.system) / 1000);
    }
  }
  samples.sort((a, b) => a - b);
  cpuSamples.sort((a, b) => a - b);
  const pct = (arr, p) => arr[Math.min(arr.length - 1, Math.floor(p * arr.length))];
  timing = {
    tools: big.length,
    buildMs,
    buildCpuMs,
    medianMs: pct(samples, 0.5),
    p95Ms: pct(samples, 0.95),
    maxMs: samples.at(-1),
    cpuMedianMs: pct(cpuSamples, 0.5),
    cpuP95Ms: pct(cpuSamples, 0.95),
    cpuMeanMs: cpuSamples.reduce((a, b) => a + b, 0) / cpuSamples.length,
  };
}

// Leave-one-set-out cross-validation over the six development sets (blind set never included).
let cv;
if (withCv) {
  cv = await crossValidate({withFit, log: asJson ? () => {} : (line) => console.error(line)});
}

if (asJson) {
  const strip = (r) => ({recallAt1: r.recallAt1, recallAt3: r.recallAt3, mrr: r.mrr});
  const bySet = Object.fromEntries(
    Object.entries(quality).map(([set, rs]) => [set, {queries: sets[set].length, ...Object.fromEntries(Object.entries(rs).map(([n, r]) => [n, strip(r)]))}]),
  );
  console.log(JSON.stringify({tools: tools.length, servers: servers.length, ...bySet, timing, cv}, null, 2));
} else {
  console.log(`corpus: ${tools.length} tools from ${servers.length} servers; ${tuning.length} tuning + ${heldOutSet.length} held-out + ${heldOut2Set.length} held-out 2 + ${heldOut3Set.length} held-out 3 + ${heldOut4Set.length} held-out 4 + ${heldOut5Set.length} held-out 5 queries${blindSet ? ` + ${blindSet.length} blind held-out 6` : ''}${unseenSet ? `; ${unseenSet.length} blind queries for ${unseen.servers.length} unseen servers (${unseen.tools.length} more tools)` : ''}`);
  for (const s of servers) console.log(`  ${s}`);
  for (const [set, rs] of Object.entries(quality)) {
    console.log('');
    console.log(`${setLabels[set]} (${sets[set].length} queries)`);
    console.log('ranker    Recall@1  Recall@3  MRR');
    for (const [name, r] of Object.entries(rs)) {
      console.log(`${name.padEnd(9)} ${r.recallAt1.toFixed(3).padStart(8)}  ${r.recallAt3.toFixed(3).padStart(8)}  ${r.mrr.toFixed(3)}`);
    }
  }
  if (timing) {
    console.log('');
    console.log(`mcpx search over ${timing.tools} tools (${samples.length} searches; index build ${timing.buildMs.toFixed(0)} ms wall, ${timing.buildCpuMs.toFixed(0)} ms cpu):`);
    console.log(`  wall: median ${timing.medianMs.toFixed(3)} ms, p95 ${timing.p95Ms.toFixed(3)} ms, max ${timing.maxMs.toFixed(3)} ms`);
    console.log(`  cpu:  median ${timing.cpuMedianMs.toFixed(3)} ms, p95 ${timing.cpuP95Ms.toFixed(3)} ms, mean ${timing.cpuMeanMs.toFixed(3)} ms`);
  }
  if (cv) {
    const f = (s) => `${s.r1.toFixed(3)} / ${s.r3.toFixed(3)} / ${s.mrr.toFixed(3)}`;
    const mean = (key) => {
      const xs = cv.map((fold) => fold[key]);
      return {r1: xs.reduce((a, s) => a + s.r1, 0) / xs.length, r3: xs.reduce((a, s) => a + s.r3, 0) / xs.length, mrr: xs.reduce((a, s) => a + s.mrr, 0) / xs.length};
    };
    console.log('\nleave-one-set-out cross-validation (R@1 / R@3 / MRR on the left-out set; learned parts learned from the other five)');
    console.log(`left-out set   no associations          associations learned${withFit ? '     + constants fitted' : ''}`);
    for (const fold of cv) console.log(`${fold.label.padEnd(14)} ${f(fold.none)}    ${f(fold.learned)}${withFit ? `    ${f(fold.fitted)}` : ''}`);
    console.log(`${'mean'.padEnd(14)} ${f(mean('none'))}    ${f(mean('learned'))}${withFit ? `    ${f(mean('fitted'))}` : ''}`);
  }
  if (showMisses) {
    // Only the development sets' misses are listed; the blind set's would defeat it.
    for (const set of ['tuning', 'heldOut', 'heldOut2', 'heldOut3', 'heldOut4', 'heldOut5']) {
      console.log(`\nmcpx misses (expected tool not ranked first) among the ${setLabels[set]} queries:`);
      for (const m of quality[set].mcpx.misses) console.log(`  [${m.rank}] "${m.query}" -> want ${m.expected.join(' | ')}; got ${m.top.join(', ')}`);
    }
  }
}
