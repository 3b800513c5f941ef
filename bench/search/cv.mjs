// Leave-one-set-out cross-validation of mcpx's tool search over the development query sets:
// what the learned parts of the ranker (word associations, bench/search/associations.mjs; and, on
// request, a coordinate-ascent fit of every numeric constant in `DEFAULT_TUNING`) do on a set they
// were not learned from. Used by `node bench/search/run.mjs --cv` (and `--cv-fit`).
//   node bench/search/cv.mjs --write-associations   learn from all sets, write src/proxy/search/data/associations.json
//   node bench/search/cv.mjs --fit                  fit the constants on all sets, print them
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {ASSOCIATION_OPTIONS, learnAssociations} from './associations.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The development sets, in the order they were written, and the corpus each is searched among
 * (see FOLDERS): `known` the 18 servers of bench/fixtures/tools; `unseen` those and the 14 of
 * bench/fixtures/tools-unseen; `unseen2`, `unseen3`, `unseen4` those and each later folder. Each
 * pair of sets after held-out 5 was the blind judge of one round and is a development set from the
 * next: held-out 6 and unseen judged round 7, held-out 7 and unseen 2 round 8, held-out 8 and
 * unseen 3 round 9, held-out 9 and unseen 4 round 10, held-out 10 and unseen 5 round 11 (from
 * round 12 on all sixteen are development sets).
 */
export const DEV_SETS = [
  ['tuning', 'queries.json', 'known'],
  ['held-out', 'queries-heldout.json', 'known'],
  ['held-out 2', 'queries-heldout2.json', 'known'],
  ['held-out 3', 'queries-heldout3.json', 'known'],
  ['held-out 4', 'queries-heldout4.json', 'known'],
  ['held-out 5', 'queries-heldout5.json', 'known'],
  ['held-out 6', 'queries-heldout6.json', 'known'],
  ['unseen', 'queries-unseen.json', 'unseen'],
  ['held-out 7', 'queries-heldout7.json', 'known'],
  ['unseen 2', 'queries-unseen2.json', 'unseen2'],
  ['held-out 8', 'queries-heldout8.json', 'known'],
  ['unseen 3', 'queries-unseen3.json', 'unseen3'],
  ['held-out 9', 'queries-heldout9.json', 'known'],
  ['unseen 4', 'queries-unseen4.json', 'unseen4'],
  ['held-out 10', 'queries-heldout10.json', 'known'],
  ['unseen 5', 'queries-unseen5.json', 'unseen5'],
];

/**
 * The recorded tools of a fixture folder (default bench/fixtures/tools) as ToolDocs, namespaced
 * `<server>__<tool>`, and a line per server saying which package and version it was.
 */
export function loadFixtures(dir = path.join(root, 'bench/fixtures/tools')) {
  const tools = [];
  const servers = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const fixture = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    servers.push(`${fixture.server} (${fixture.package}@${fixture.version}, ${fixture.tools.length} tools)`);
    for (const t of fixture.tools) tools.push({name: `${fixture.server}__${t.name}`, server: fixture.server, tool: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema});
  }
  return {tools, servers};
}

/** The 205 recorded tools of the 18 known servers. */
export function loadTools() {
  return loadFixtures().tools;
}

/**
 * The fixture folders in the order they were recorded, each naming the corpus it completes: a
 * corpus is the tools of its folder and of every folder before it (`known` 205 tools, `unseen`
 * 464, `unseen2` 929, `unseen3` 1,552, `unseen4` 1,892: the development corpus, `unseen5` all),
 * so the other folders' tools are distractors.
 */
const FOLDERS = [
  ['known', 'bench/fixtures/tools', 'known'],
  ['unseen', 'bench/fixtures/tools-unseen', 'unseen'],
  ['unseen2', 'bench/fixtures/tools-unseen2', 'unseen (2)'],
  ['unseen3', 'bench/fixtures/tools-unseen3', 'unseen (3)'],
  ['unseen4', 'bench/fixtures/tools-unseen4', 'unseen (4)'],
  ['unseen5', 'bench/fixtures/tools-unseen5', 'unseen (5)'],
];

/** The fixture folders that exist, read once: `{corpus, label, tools, servers}` in FOLDERS order. */
let folders;
export function loadFolders() {
  folders ??= FOLDERS.filter(([, dir]) => fs.existsSync(path.join(root, dir))).map(([corpus, dir, label]) => ({corpus, label, ...loadFixtures(path.join(root, dir))}));
  return folders;
}

/** The tools of each corpus name (see FOLDERS), built once. */
let corpora;
export function loadCorpora() {
  if (!corpora) {
    corpora = {};
    let tools = [];
    for (const folder of loadFolders()) corpora[folder.corpus] = tools = [...tools, ...folder.tools];
  }
  return corpora;
}

/** The development sets: `{label, queries, corpus}`, corpus a key of loadCorpora() (see DEV_SETS). */
export function loadSets() {
  return DEV_SETS.map(([label, file, corpus]) => ({label, corpus, queries: JSON.parse(fs.readFileSync(path.join(root, 'bench/search', file), 'utf8'))}));
}

/**
 * R@1, R@3 and MRR of `build(tools)`'s rankings over `sets` taken together, each set searched
 * among its own corpus (one index per corpus).
 */
export function scoreSets(build, sets) {
  const corpora = loadCorpora();
  const totals = {r1: 0, r3: 0, mrr: 0};
  let n = 0;
  for (const corpus of Object.keys(corpora)) {
    const queries = sets.filter((s) => s.corpus === corpus).flatMap((s) => s.queries);
    if (queries.length === 0) continue;
    const s = score(build(corpora[corpus]), queries);
    for (const key of Object.keys(totals)) totals[key] += s[key] * queries.length;
    n += queries.length;
  }
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v / (n || 1)]));
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
 * Coordinate ascent on the mean of MRR and R@3 over the query `sets`: each constant in turn is
 * multiplied by each of `steps`, keeping a change only when it raises the objective by more
 * than `minGain`; up to `passes` sweeps. Deterministic.
 */
export function fit(build, sets, start, {passes = 2, steps = [0.5, 0.75, 1.25, 1.6], minGain = 0.002, log = () => {}} = {}) {
  const objective = (t) => {
    const s = scoreSets((tools) => build(tools, t), sets);
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
 * Leave-one-set-out over the development sets. For each left-out set: "none" scores it
 * without learned associations (the hand-made ranker alone); "learned" learns the associations
 * from the other sets (grid point picked by an inner leave-one-set-out over those,
 * selectAssociations) and scores it with them; with `withFit`, "fitted" also fits every ranking
 * constant by coordinate ascent on the other sets (slow: about a minute per fold) and scores it.
 * Nothing of the left-out set is used before it is scored.
 */
export async function crossValidate({withFit = false, log = () => {}, fitOptions = {}} = {}) {
  const {createSearchIndex, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
  const sets = loadSets();
  const folds = [];
  for (let k = 0; k < sets.length; k++) {
    const test = sets[k];
    const inner = sets.filter((_, i) => i !== k);
    const none = scoreSets((tools) => createSearchIndex(tools, DEFAULT_TUNING, new Map()), [test]);
    const {point, learned: associations} = await selectAssociations(inner);
    const tuning = {...DEFAULT_TUNING, learned: point.learned, learnedCredit: point.learnedCredit};
    const learned = scoreSets((tools) => createSearchIndex(tools, tuning, associations, learnedOver(inner)), [test]);
    log(`fold ${test.label}: associations learned from the other ${inner.length} sets (${associations.size} words, minQueries ${point.minQueries}, weight ${point.learned}, credit ${point.learnedCredit})`);
    let fitted;
    if (withFit) {
      log(`fold ${test.label}: fitting the constants on the other ${inner.length} sets`);
      const best = fit((tools, t) => createSearchIndex(tools, t, associations, learnedOver(inner)), inner, tuning, {...fitOptions, log});
      fitted = scoreSets((tools) => createSearchIndex(tools, best, associations, learnedOver(inner)), [test]);
    }
    folds.push({label: test.label, queries: test.queries.length, none, learned, fitted, point});
  }
  return folds;
}

/**
 * Grid of the learned associations' settings: the least number of queries showing one (3 was
 * never picked in the first runs, so only 2 stays), the ranker's weight for them and their name
 * coverage credit.
 */
export const ASSOCIATION_GRID = [2].flatMap((minQueries) => [0.25, 0.5, 1, 1.5].flatMap((learned) => [0, 0.25, 0.5].map((learnedCredit) => ({minQueries, learned, learnedCredit}))));

/**
 * Picks the association grid point by leave-one-set-out over `sets` (learn from all but one,
 * score that one, mean of (MRR + R@3) / 2), then learns the associations from all of `sets`
 * with it.
 */
export async function selectAssociations(sets) {
  const search = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
  const tools = loadCorpora()[largestCorpus(sets)];
  const learn = (from, point) => learnAssociations(tools, from.flatMap((x) => x.queries), search, {...ASSOCIATION_OPTIONS, minQueries: point.minQueries});
  let point;
  let bestValue = -1;
  for (const candidate of ASSOCIATION_GRID) {
    let value = 0;
    for (let j = 0; j < sets.length; j++) {
      const from = sets.filter((_, i) => i !== j);
      const learned = learn(from, candidate);
      const tuning = {...search.DEFAULT_TUNING, learned: candidate.learned, learnedCredit: candidate.learnedCredit};
      const s = scoreSets((corpus) => search.createSearchIndex(corpus, tuning, learned, learnedOver(from)), [sets[j]]);
      value += (s.mrr + s.r3) / 2 / sets.length;
    }
    if (value > bestValue + 1e-9) [point, bestValue] = [candidate, value];
  }
  return {point, learned: learn(sets, point)};
}

/**
 * The tool names associations learned from `sets` apply to: those of the corpora the sets were
 * searched among (as the shipped ranker applies them only to the catalog they were learned over).
 */
export function learnedOver(sets) {
  return new Set(loadCorpora()[largestCorpus(sets)].map((t) => t.tool));
}

/** The largest corpus any of `sets` is searched among (each corpus holds all before it). */
function largestCorpus(sets) {
  return FOLDERS.map(([corpus]) => corpus).findLast((c) => sets.some((s) => s.corpus === c));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv.includes('--write-associations')) {
  // The weight and threshold by leave-one-set-out over the sets, then learned from all of them.
  const sets = loadSets();
  const {point, learned} = await selectAssociations(sets);
  console.log(`picked minQueries ${point.minQueries}, weight ${point.learned}, credit ${point.learnedCredit} (set DEFAULT_TUNING.learned and .learnedCredit to them); ${learned.size} words`);
  const file = path.join(root, 'src/proxy/search/data/associations.json');
  // The catalog they were learned over, by tool name: the ranker applies them to these tools only.
  const names = [...learnedOver(sets)].sort();
  const comment = JSON.parse(fs.readFileSync(file, 'utf8')).$comment.replace(/minQueries \d+/, `minQueries ${point.minQueries}`);
  const lines = (list) => list.map((e) => `    ${JSON.stringify(e)}`).join(',\n');
  fs.writeFileSync(file, `{\n  "$comment": ${JSON.stringify(comment)},\n  "table": [\n${lines([...learned])}\n  ],\n  "knownTools": [\n${lines(names)}\n  ]\n}\n`);
  console.log(`wrote ${file}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv.includes('--fit')) {
  // Coordinate ascent of every constant on all sets, with the shipped associations.
  const {createSearchIndex, DEFAULT_TUNING} = await import(pathToFileURL(path.join(root, 'dist/proxy/search.js')).href);
  const tuning = fit((tools, t) => createSearchIndex(tools, t), loadSets(), DEFAULT_TUNING, {log: (l) => console.error(l)});
  console.log(JSON.stringify(tuning, null, 2));
}
