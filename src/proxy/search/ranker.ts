/**
 * Tool search for `mcpx serve`'s `search_tools` meta-tool: ranks upstream tools for a
 * natural-language query. BM25F over seven fields (tool name, title, parameter names, description,
 * the description's first sentence, parameter descriptions, server name) with identifier splitting
 * (snake_case, camelCase, kebab-case, digits), a light stemmer and synonym expansion weighted down
 * for ambiguous words. The query is read before scoring: phrasal verbs and question phrasings
 * become the words tools use ("look up" -> search, "how many" -> count, "sorted by" -> sort), values
 * (URLs, file names, globs, quoted or backticked text, proper names, identifiers, kebab-case and
 * unknown camelCase names, SQL) stop acting as intent words except for what their shape says (an
 * issue key is an issue, a URL's host may name a server), purpose clauses and negations are
 * dropped, the topic after "about", a purpose "to <verb> ..." and a known name before its kind
 * count half (a purpose's verb is not the request's); a thing named by an unknown name favours
 * tools that search. Scores are then adjusted by an operation model (does the tool's name verb,
 * or agent noun, read, create, update, delete or execute what the query asks to? verbs inside a
 * question describe, the question reads), coordination over the query's words, a mild prior for
 * the general tool among siblings, a lower rank for a tool that creates what the query adds to
 * ("add a row to the table": not create_table), and boosts for covering the words that tell a
 * tool apart from its server's siblings (in the grammatical number the query uses) and for
 * queries that name a tool or a server (a server-naming word credits all of that server's tools
 * alike; a multi-part server name typed whole matches only that server). Word associations learned from labelled
 * queries (data/associations.json: "report" -> issue) widen a query's plain words like synonyms.
 * Pure and dependency-free so `mcpx serve` loads it instantly; the index is built once per catalog
 * and a query touches only the postings of its own terms.
 */

import {loadAssociations, loadKnownTools, type Associations} from './associations.js';
import {buildBm25f, TopK} from './bm25f.js';
import {analyseCatalog, type ToolDoc} from './catalog.js';
import {Op, OPERATION, operationFactor} from './operations.js';
import {askedFor, createQueryReader} from './query.js';
import {createRouter} from './routing.js';
import {wordsKey} from './text.js';
import {ambiguity, SYNONYMS} from './vocabulary.js';

export {analyseCatalog, collectParams, conversion, Field, FIELD_COUNT, fieldTokens, firstSentence, isRecord, serverCoverage, type Prepared, type ToolDoc} from './catalog.js';
export {askedFor, type QueryTerm} from './query.js';
export interface SearchHit {
  tool: ToolDoc;
  score: number;
  /**
   * How much of what the query names this tool matches, 0 to 1: the idf-weighted share of the
   * query's content words (not its operation verbs or inferred words) the tool matches, a synonym
   * counting by its weight and a word no tool holds counting as missed. Says whether a hit is an
   * answer or filler, independent of the catalog's size.
   */
  match: number;
}

/**
 * A hit scoring below this share of the best hit's score is filler, not listed (0.2 to 0.3 cost
 * no query in the top 3 of any benchmark set; see bench/README.md round 12).
 */
export const RELATIVE_CUTOFF = 0.25;
/** Below this `match` the best hit does not answer the query: search_tools says nothing matches. */
export const MIN_MATCH = 0.2;
/** Share of `match` credit of a query word matched only through a synonym, completion or association. */
export const VARIANT_MATCH = 0.3;

/** Whether hits (best first) hold no tool that answers the query: none of the first three reaches MIN_MATCH. */
export function noMatch(hits: readonly SearchHit[]): boolean {
  return !hits.slice(0, 3).some((h) => h.match >= MIN_MATCH);
}

export interface SearchIndex {
  readonly size: number;
  /** Best first; at most `limit` hits, only hits with a positive score. */
  search(query: string, limit?: number): SearchHit[];
}

/** Ranking constants; exposed so the benchmark can study them, not for callers to tune. */
export const DEFAULT_TUNING = {
  /**
   * How much a match in each field counts: name, title, parameter names, description, server,
   * the description's first sentence (what the tool does, counted again), parameter descriptions.
   */
  fieldWeight: [4.0, 2.0, 0.8, 1.0, 0.8, 2.0, 0.5],
  /** Length normalisation per field: long descriptions should not win by repetition. */
  fieldB: [0.3, 0.3, 0.6, 0.75, 0.2, 0.75, 0.75],
  k1: 2.0,
  /** Added per unit of the share of the tool name's words the query covers. */
  nameCoverage: 1.5,
  /** Weight of a synonym match relative to the word the query used. */
  synonym: 0.6,
  /** Weight of an indexed word the query word is a prefix of (`kube` -> kubernetes). */
  prefix: 0.4,
  /** Weight of a query word that only repeats the idea of an earlier word (`make` after `create`). */
  redundant: 0.3,
  /** Score multiplier added when the query names the tool's server. */
  serverFactor: 1.0,
  /** Score factor when the query reads and the tool changes, or the other way round. */
  opCross: 0.7,
  /** Score factor when both change, differently (create vs update vs delete). */
  opSibling: 0.8,
  /** Share of a tool's score that depends on how much of the query (idf-weighted) it matches at all. */
  coordination: 0.2,
  /** Score factor for the more specific of two sibling tools when the query asks for nothing that makes it specific. */
  specificMiss: 0.8,
  /** Weight of a word the query's phrasing implies ("how many" -> count) relative to a typed word. */
  inferred: 0.5,
  /** Weight of a topic word (after "about", a purpose, a demoted name) relative to a word of the request itself (0.7 did the same, 0.3 cost a held-out query). */
  topic: 0.5,
  /** Name coverage credit of a word the tool's name has in the other grammatical number. */
  numberMiss: 0.6,
  /** Score factor for a tool that searches when the query names a thing by an unknown name or picks things by topic (1.1 to 1.3 the same). */
  namedSearch: 1.1,
  /** Score factors for a converter that gives (takes) what the query asks for. */
  directionMatch: 1.25,
  directionMiss: 0.8,
  /** Added when the query is the tool's name, in any casing or separator style. */
  exactName: 3.0,
  /** Hits scoring below this share of the best hit's are not returned (RELATIVE_CUTOFF). */
  cutoff: RELATIVE_CUTOFF,
  /** Mention credit of a server word that also names other servers' tools. */
  sharedServerWord: 0.25,
  /** Score factor for a tool that creates the thing the query adds something to ("add a row to the table": create_table); 0.5 to 0.8 the same. */
  containerCreate: 0.8,
  /** Weight, times the association's strength, of a word learned to go with a query word (see data/associations.json). */
  learned: 0.5,
  /** Name coverage credit, times the association's strength, of a name word learned to go with a query word. */
  learnedCredit: 0.5,
  /** Server routing: share of a tool's score that depends on how well its server as a whole (name and all its tools' words) matches the query, relative to the best server (0: off). */
  route: 0.2,
  /** Field weights of a server's document: its name, its tools' names, their first sentences, their descriptions. */
  routeFieldWeight: [3, 1, 0.5, 0.3],
  routeB: [0.2, 0.75, 0.75, 0.75],
};
export type SearchTuning = typeof DEFAULT_TUNING;
/** Smallest idf-weighted value a synonym or completion must reach to be looked up at all. */
export const MIN_VARIANT_SCORE = 0.3;

/**
 * Builds an index over `tools`. Cost is linear in the total text; tools may be any mix of servers
 * and may lack a title, description or schema. A query is scored in time proportional to the
 * postings of its terms (and their synonyms); queries of only stopwords or unknown words return
 * `[]`. Never throws for any string input. `tuning` and `associations` (the learned word
 * associations, by default the shipped table, built on the first call) exist for the benchmark
 * and tests; callers omit them.
 */
export function createSearchIndex(tools: readonly ToolDoc[], tuning: SearchTuning = DEFAULT_TUNING, associations: Associations = loadAssociations(), knownTools: ReadonlySet<string> = loadKnownTools()): SearchIndex {
  const {fieldWeight: FIELD_WEIGHT, fieldB: FIELD_B, k1: K1, nameCoverage: NAME_COVERAGE_BONUS} = tuning;
  const {serverFactor: SERVER_FACTOR} = tuning;
  const {opCross: OP_CROSS, opSibling: OP_SIBLING, coordination: COORD, specificMiss: SPECIFIC_MISS} = tuning;
  const {containerCreate: CONTAINER_CREATE, cutoff: CUTOFF} = tuning;
  const {numberMiss: NUMBER_MISS, namedSearch: NAMED_SEARCH, directionMatch: DIRECTION_MATCH, directionMiss: DIRECTION_MISS} = tuning;
  const {exactName: EXACT_NAME_BONUS, sharedServerWord: SHARED_SERVER_WORD_CREDIT, learnedCredit: LEARNED_CREDIT} = tuning;
  const catalog = analyseCatalog(tools, knownTools);
  const {prepared, perDocFields, serverStems, sharedServerWords} = catalog;
  const n = tools.length;
  const bm25f = buildBm25f(perDocFields, {fieldWeight: FIELD_WEIGHT, fieldB: FIELD_B, k1: K1});
  const {postings: scored, idf} = bm25f;
  const reader = createQueryReader(catalog, bm25f, tuning, associations);
  const namesServer = reader.namesServer;
  const router = tuning.route > 0 ? createRouter(catalog, {fieldWeight: tuning.routeFieldWeight, fieldB: tuning.routeB, k1: K1}) : undefined;

  const scores = new Float64Array(n);
  const termBest = new Float64Array(n);
  const termMass = new Float64Array(n);
  const coord = new Float64Array(n);
  const contentHit = new Float64Array(n);
  const ownHit = new Uint8Array(n);
  const touchedFlag = new Uint8Array(n);

  return {
    size: n,
    search(query, limit = 10) {
      if (n === 0 || limit <= 0) return [];
      const {terms, op: queryOp, servers: namedServers, named, container} = reader.read(query);
      let asked: Set<string> | undefined;
      if (terms.length === 0) return [];
      const touched: number[] = [];
      const queryStems = new Set(terms.map((t) => t.stem));
      // Name coverage credit per stem: a query word counts fully, its synonyms half.
      const credit = new Map<string, number>();
      for (const t of terms) credit.set(t.stem, 1);
      // Stems the query names in one grammatical number: "show issue #128" asks for one issue
      // (`get_issue`), "list the issues" for many (`list_issues`).
      const numbered = new Map<string, boolean>();
      for (const t of terms) if (t.plural !== undefined) numbered.set(t.stem, t.plural);
      for (const t of terms) for (const syn of SYNONYMS.get(t.stem) ?? []) if (!credit.has(syn)) credit.set(syn, 0.5 * ambiguity(syn));
      // A learned association covers a name word too, by its strength: for known tools only, as
      // the associations' scores are (the others use `credit`).
      const knownCredit = new Map(credit);
      for (const t of terms) for (const [a, strength] of t.learned) if (!knownCredit.has(a)) knownCredit.set(a, LEARNED_CREDIT * strength);
      const mentions = new Float64Array(serverStems.length).fill(-1);
      // Coordination: the idf-weighted share of the query's words a tool matches at all.
      let queryMass = 0;
      // The same without associations: the whole of the query for a tool they do not apply to.
      let queryPlainMass = 0;
      for (const term of terms) {
        // A query word scores once per document: its best-matching variant.
        const termTouched: number[] = [];
        let mass = 0;
        let plainMass = 0;
        for (const [variant, weight] of term.variants) {
          const p = scored.get(variant);
          if (!p) continue;
          const own = variant === term.stem;
          const learnedOnly = term.learnedOnly?.has(variant) === true;
          const vIdf = idf.get(variant)!;
          // A synonym or completion that is also a common word can add only a sliver of score
          // but would touch most of the catalog; skipping it keeps big catalogs fast.
          if (weight < 1 && weight * vIdf < MIN_VARIANT_SCORE) continue;
          if (weight * vIdf > mass) mass = weight * vIdf;
          if (!learnedOnly && weight * vIdf > plainMass) plainMass = weight * vIdf;
          const {docs, scores: vScores} = p;
          for (let i = 0; i < docs.length; i++) {
            const d = docs[i]!;
            if (term.server !== undefined && prepared[d]!.serverId !== term.server) continue;
            if (learnedOnly && !prepared[d]!.known) continue;
            const s = vScores[i]! * weight;
            const best = termBest[d]!;
            if (best === 0) termTouched.push(d);
            if (own) ownHit[d] = 1;
            if (s > best) {
              termBest[d] = s;
              if (weight * vIdf > termMass[d]!) termMass[d] = weight * vIdf;
            }
          }
        }
        queryMass += mass;
        queryPlainMass += plainMass;
        // A word naming a server ("mongo create collection") says which server, not which of its
        // tools: every tool of that server gets the best credit any of them got for it, so a
        // description that happens to repeat the server's name ("... into a MongoDB collection")
        // does not decide between siblings.
        if (namesServer(term.stem)) {
          const best = new Map<number, number>();
          for (const d of termTouched) {
            const id = prepared[d]!.serverId;
            if (!serverStems[id]!.some((w) => w === term.stem || (term.stem.length >= 4 && w.startsWith(term.stem)))) continue;
            best.set(id, Math.max(best.get(id) ?? 0, termBest[d]!));
          }
          for (const d of termTouched) {
            const b = best.get(prepared[d]!.serverId);
            if (b !== undefined) termBest[d] = b;
          }
        }
        for (const d of termTouched) {
          scores[d]! += termBest[d]!;
          coord[d]! += termMass[d]!;
          // The word itself counts fully; a synonym, completion or association only partly: it may
          // mean something else (`message` reaching `text`).
          if (term.content > 0) contentHit[d]! += term.content * (ownHit[d] === 1 ? 1 : VARIANT_MATCH);
          ownHit[d] = 0;
          termMass[d] = 0;
          termBest[d] = 0;
          if (touchedFlag[d] === 0) {
            touchedFlag[d] = 1;
            touched.push(d);
          }
        }
      }

      const contentMass = terms.reduce((sum, t) => sum + t.content, 0);
      const serverScore = router?.(terms);
      const queryKey = terms.map((t) => t.stem).join(' ');
      const rawKey = wordsKey(query);
      // Keep only the best `limit` hits (sorted, small) instead of sorting every touched document.
      const best = new TopK<{d: number; score: number; match: number}>(limit);
      for (const d of touched) {
        const doc = prepared[d]!;
        let score = scores[d]!;
        scores[d] = 0;
        const whole = doc.known ? queryMass : queryPlainMass;
        const share = whole > 0 ? Math.min(1, coord[d]! / whole) : 0;
        if (whole > 0) score *= 1 - COORD + COORD * share;
        const match = contentMass > 0 ? Math.min(1, contentHit[d]! / contentMass) : share;
        coord[d] = 0;
        contentHit[d] = 0;
        touchedFlag[d] = 0;
        // How much of the tool's own name the query covers; a synonym covers a word half as well.
        const docCredit = doc.known ? knownCredit : credit;
        let covered = 0;
        for (const ns of doc.nameStems) {
          const c = docCredit.get(ns);
          if (c === undefined) continue;
          const plural = numbered.get(ns);
          // A name word in the other number (`list_issues` for "issue #128") covers it less well.
          covered += plural !== undefined && plural !== doc.namePlurals.has(ns) ? c * NUMBER_MISS : c;
        }
        // The more specific of two siblings needs the query to ask for what makes it specific.
        if (doc.extraWords && !doc.extraWords.some((w) => docCredit.has(w))) score *= SPECIFIC_MISS;
        if (doc.nameStems.length > 0) score += NAME_COVERAGE_BONUS * (covered / doc.nameStems.length) * Math.min(1, score);
        // A query that names a server ("github create issue", "mongo") prefers that server's tools.
        if (serverScore) score *= 1 - tuning.route + tuning.route * serverScore[doc.serverId]!;
        let mention = mentions[doc.serverId]!;
        if (mention < 0) mention = mentions[doc.serverId] = namedServers.includes(doc.serverId) ? 1 : serverMention(serverStems[doc.serverId]!, queryStems, sharedServerWords, SHARED_SERVER_WORD_CREDIT);
        if (mention > 0) score *= 1 + SERVER_FACTOR * mention;
        // A tool that does something else than asked (reads when asked to change) ranks lower.
        score *= operationFactor(queryOp, doc.op, OP_CROSS, OP_SIBLING);
        // A tool that creates the thing the query adds to (create_table for "add a row to the
        // table") does something else: the thing exists.
        if (container && (doc.op & Op.Create) !== 0 && (doc.op & Op.Update) === 0) {
          const things = doc.nameStems.filter((t) => !OPERATION.has(t));
          if (things.length > 0 && things.every((t) => container.has(t))) score *= CONTAINER_CREATE;
        }
        // A thing named by a name the catalog does not know ("what do you remember about
        // TypeScript?") is found by searching for it: tools that search rank a little higher.
        if (named && doc.searches) score *= NAMED_SEARCH;
        // A converter that gives what the query asks for beats the one that takes it.
        if (doc.direction) {
          asked ??= askedFor(query);
          const gives = [...asked].some((t) => doc.direction!.to.has(t));
          const takes = [...asked].some((t) => doc.direction!.from.has(t));
          if (gives !== takes) score *= gives ? DIRECTION_MATCH : DIRECTION_MISS;
        }
        if (rawKey === doc.exactName || queryKey === doc.nameKey) score += EXACT_NAME_BONUS;
        // Ties keep catalog order: earlier documents first.
        best.add({d, score, match});
      }
      const top = best.items;
      // Hits far below the best are filler from unrelated tools, not alternatives.
      const floor = top.length > 0 ? top[0]!.score * CUTOFF : 0;
      return top.filter((h) => h.score >= floor).map(({d, score, match}) => ({tool: prepared[d]!.tool, score, match}));
    },
  };
}

/**
 * How fully the query names a server: the share of the server name's words the query contains,
 * where a query word of four or more letters may abbreviate a server word (`mongo` -> mongodb).
 */
export function serverMention(serverStems: readonly string[], queryStems: ReadonlySet<string>, shared: ReadonlySet<string>, sharedCredit: number): number {
  if (serverStems.length === 0) return 0;
  let hit = 0;
  for (const s of serverStems) {
    const credit = shared.has(s) ? sharedCredit : 1;
    if (queryStems.has(s)) hit += credit;
    else for (const q of queryStems) if (q.length >= 4 && s.startsWith(q)) { hit += credit; break; }
  }
  return hit / serverStems.length;
}
