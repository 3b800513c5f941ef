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

import english from './data/english.json' with {type: 'json'};
import {loadAssociations, loadKnownTools, type Associations} from './associations.js';
import {buildBm25f, TopK} from './bm25f.js';
import {ADD_INTO, FILE_LIKE, NAME_AFTER_KIND, PURPOSE_TO, rewritePhrases, TOPIC, URL_HOST, VALUE_BEFORE_KIND, WH_QUESTION} from './clauses.js';
import {Op, OPERATION, OPERATION_BASE, operationFactor, QUESTION_START, queryOperation, toolOperation} from './operations.js';
import {isPlural, plainWords, pluralOf, stem, STOPWORDS, tokenize, wordsKey} from './text.js';
import {ALIASES, ambiguity, PARTICLES, PRONOUNS, SHELL_WORDS, SHOW_VERBS, SYNONYMS} from './vocabulary.js';

export interface ToolDoc {
  /** Namespaced name used by execute_tool: `<server>__<tool>`. */
  name: string;
  server: string;
  tool: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

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

/**
 * What each server's tools cover, for a model to rephrase a query nothing matched: the words most
 * of its tool names use (`filesystem`: file, directory, ...), without operation verbs (as written), stopwords
 * and the server's own name, most frequent first, at most `max` (default 6).
 */
export function serverCoverage(tools: readonly ToolDoc[], max = 6): {name: string; tools: number; covers: string[]}[] {
  const byServer = new Map<string, ToolDoc[]>();
  for (const t of tools) {
    let list = byServer.get(t.server);
    if (!list) byServer.set(t.server, (list = []));
    list.push(t);
  }
  return [...byServer].map(([name, list]) => {
    const own = new Set(tokenize(name).map(stem));
    const counts = new Map<string, {word: string; count: number}>();
    for (const t of list) {
      const seen = new Set<string>();
      for (const word of tokenize(t.tool)) {
        const s = stem(word);
        if (word.length < 3 || seen.has(s) || own.has(s) || STOPWORDS.has(word) || OPERATION_BASE.has(word) || /\d/.test(word)) continue;
        seen.add(s);
        const entry = counts.get(s);
        if (entry) entry.count++;
        else counts.set(s, {word, count: 1});
      }
    }
    const covers = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, max).map((e) => e.word);
    return {name, tools: list.length, covers};
  });
}

export interface SearchIndex {
  readonly size: number;
  /** Best first; at most `limit` hits, only hits with a positive score. */
  search(query: string, limit?: number): SearchHit[];
}



export const Field = {Name: 0, Title: 1, Params: 2, Description: 3, Server: 4, Summary: 5, ParamDescription: 6} as const;
export type Field = (typeof Field)[keyof typeof Field];
export const FIELD_COUNT = 7;

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
export interface Prepared {
  tool: ToolDoc;
  /** Distinct stems of the tool name, for coverage. */
  nameStems: string[];
  /** Index into the distinct servers' stem lists. */
  serverId: number;
  /** Tool name normalised to words joined by a space, for exact matches. */
  exactName: string;
  /** Stems of the tool name joined by a space, for exact matches of a stemmed query. */
  nameKey: string;
  /** Operation bits of the tool's name verbs. */
  op: number;
  /** For a tool that converts one thing into another ("Convert an address into coordinates"): the stems of what it takes and of what it gives. */
  direction?: {from: Set<string>; to: Set<string>};
  /** Name words beyond those of a more general sibling tool of the same server, if it has one. */
  extraWords?: string[];
  /** Stems of the name's nouns written in the plural (`list_issues` -> issue, `push_files` -> file). */
  namePlurals: Set<string>;
  /** Whether learned associations apply: the tool's name is one of the catalog they were learned over. */
  known: boolean;
  /** Whether the name says the tool searches (`search_issues`, `post-search`, `search_nodes`). */
  searches: boolean;
}

/** Field texts a tool is indexed under, each already tokenised and stemmed. */
export function fieldTokens(tool: ToolDoc): string[][] {
  const fields: string[][] = Array.from({length: FIELD_COUNT}, () => []);
  const add = (field: Field, text: string | undefined): void => {
    if (text) for (const t of tokenize(text)) fields[field]!.push(stem(t));
  };
  add(Field.Name, tool.tool);
  add(Field.Title, tool.title);
  add(Field.Description, tool.description);
  add(Field.Summary, firstSentence(tool.description));
  add(Field.Server, tool.server);
  collectParams(tool.inputSchema, 0, (name, description) => {
    add(Field.Params, name);
    add(Field.ParamDescription, description);
  });
  return fields;
}

/**
 * What a description's "convert/turn/translate/transform A into/to B" takes (A) and gives (B),
 * as stems; undefined for descriptions of another form.
 */
export function conversion(sentence: string | undefined): {from: Set<string>; to: Set<string>} | undefined {
  const m = sentence && /\b(?:convert|turn|translate|transform)s?\s+(.+?)\s+(?:into|to)\s+(.+)/i.exec(sentence);
  if (!m) return undefined;
  const stems = (text: string): Set<string> => new Set(tokenize(text).filter((t) => !STOPWORDS.has(t)).map(stem));
  return {from: stems(m[1]!), to: stems(m[2]!)};
}

/**
 * What a query asks to get, as stems: for "convert/turn ... into/to B" the words of B, otherwise
 * the words before its first preposition ("what street address is at these coordinates" asks for
 * a street address; the coordinates are what it gives). Empty when nothing precedes it.
 */
export function askedFor(query: string): Set<string> {
  const lower = query.toLowerCase();
  const into = /\b(?:convert|turn|translate|transform)\s+.+?\s+(?:into|to)\s+(.+)/.exec(lower);
  const part = into ? into[1]! : /^(.*?)\b(?:at|of|for|from|in|near|on|with|given|to)\b/.exec(lower)?.[1];
  return new Set(part ? tokenize(part).filter((t) => !STOPWORDS.has(t)).map(stem) : []);
}

/** The first sentence of a description: what the tool does, before usage notes and caveats. */
export function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /[.!?](\s|$)|\n/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** Visits parameter names and descriptions of a JSON Schema, two levels deep (objects, arrays of objects). */
export function collectParams(schema: unknown, depth: number, visit: (name: string, description?: string) => void): void {
  if (!isRecord(schema) || depth > 2) return;
  const props = schema.properties;
  if (isRecord(props)) {
    for (const [name, sub] of Object.entries(props)) {
      visit(name, isRecord(sub) && typeof sub.description === 'string' ? sub.description : undefined);
      collectParams(sub, depth + 1, visit);
    }
  }
  if (isRecord(schema.items)) collectParams(schema.items, depth + 1, visit);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface QueryTerm {
  /** Stem as typed (after stemming). */
  stem: string;
  /** Stems to look up with their weights: itself at 1, synonyms and prefix completions lower. */
  variants: [string, number][];
  /** Grammatical number of the word as typed: true plural, false singular, undefined unknown (not typed as such). */
  plural?: boolean;
  /** When the word is part of a server's name typed whole (`context7`): the only server whose tools it matches. */
  server?: number;
  /** Learned associations of the word (data/associations.json). */
  learned: readonly (readonly [string, number])[];
  /** The variants that come from associations alone: they match known tools only. */
  learnedOnly?: Set<string>;
  /** Mass of the word in the `match` share (0 for operation verbs and inferred words). */
  content: number;
}

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
  const {synonym: SYNONYM_WEIGHT, prefix: PREFIX_WEIGHT, redundant: REDUNDANT_WEIGHT, serverFactor: SERVER_FACTOR} = tuning;
  const {opCross: OP_CROSS, opSibling: OP_SIBLING, coordination: COORD, specificMiss: SPECIFIC_MISS, inferred: INFERRED_WEIGHT} = tuning;
  const {containerCreate: CONTAINER_CREATE, cutoff: CUTOFF} = tuning;
  const {topic: TOPIC_WEIGHT, numberMiss: NUMBER_MISS, namedSearch: NAMED_SEARCH, directionMatch: DIRECTION_MATCH, directionMiss: DIRECTION_MISS} = tuning;
  const {exactName: EXACT_NAME_BONUS, sharedServerWord: SHARED_SERVER_WORD_CREDIT, learned: LEARNED_WEIGHT, learnedCredit: LEARNED_CREDIT} = tuning;
  const n = tools.length;
  const prepared: Prepared[] = [];
  const perDocFields: string[][][] = [];
  const serverIds = new Map<string, number>();
  const serverStems: string[][] = [];
  const serverIdOf = (stems: string[]): number => {
    const key = stems.join(' ');
    let id = serverIds.get(key);
    if (id === undefined) {
      id = serverStems.length;
      serverIds.set(key, id);
      serverStems.push([...new Set(stems)]);
    }
    return id;
  };

  for (const tool of tools) {
    const fields = fieldTokens(tool);
    perDocFields.push(fields);
    const nameWords = tokenize(tool.tool);
    prepared.push({
      tool,
      nameStems: [...new Set(fields[Field.Name])],
      known: knownTools.has(tool.tool),
      serverId: serverIdOf(fields[Field.Server]!),
      exactName: nameWords.join(' '),
      nameKey: fields[Field.Name]!.join(' '),
      op: toolOperation(nameWords),
      direction: conversion(firstSentence(tool.description)),
      namePlurals: new Set(nameWords.filter(isPlural).map(stem)),
      searches: nameWords.some((t) => t === 'search' || t === 'find'),
    });
  }
  // Words of tool and server names, to tell a name in a query from a value.
  const nameVocabulary = new Set<string>();
  const serverVocabulary = new Set<string>();
  // Things some tool lists (`list_issues`, `list-collections`): their plurals ask for that listing.
  const listedThings = new Set<string>();
  for (const fields of perDocFields) if (fields[Field.Name]!.includes('list')) for (const t of fields[Field.Name]!) if (t !== 'list') listedThings.add(t);
  for (const fields of perDocFields) {
    for (const t of fields[Field.Name]!) nameVocabulary.add(t);
    for (const t of fields[Field.Server]!) nameVocabulary.add(t), serverVocabulary.add(t);
  }
  // camelCase words the catalog itself writes (`JavaScript`, `connectionId`), lowercased: a query
  // using one means the catalog's thing; any other is a name (see keepKnownWords).
  const catalogCamel = new Set<string>();
  const addCamel = (text: string | undefined): void => {
    // The cheap test (an upper-case letter after a letter or digit) skips most texts.
    if (text && /[A-Za-z0-9][A-Z]/.test(text)) for (const m of text.matchAll(/\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g)) catalogCamel.add(m[0].toLowerCase());
  };
  for (const tool of tools) {
    addCamel(tool.tool);
    addCamel(tool.title);
    addCamel(tool.description);
    collectParams(tool.inputSchema, 0, (name, description) => {
      addCamel(name);
      addCamel(description);
    });
  }
  // Name words every tool of a server shares (`browser_`, `API-`, `kubectl_`, `maps_`) and filler
  // words (`a` in `retrieve-a-page`) tell the server's tools apart no better than nothing, so name
  // coverage is measured over the remaining, distinguishing words.
  {
    const byServer = new Map<number, number[]>();
    for (let d = 0; d < n; d++) {
      const id = prepared[d]!.serverId;
      let list = byServer.get(id);
      if (!list) byServer.set(id, (list = []));
      list.push(d);
    }
    for (const docs of byServer.values()) {
      const freq = new Map<string, number>();
      for (const d of docs) for (const t of prepared[d]!.nameStems) freq.set(t, (freq.get(t) ?? 0) + 1);
      // All of each name's words (the shared ones too), for the sibling comparison below.
      const full = new Map(docs.map((d) => [d, prepared[d]!.nameStems.filter((t) => !STOPWORDS.has(t))]));
      for (const d of docs) {
        const doc = prepared[d]!;
        const kept = doc.nameStems.filter((t) => !STOPWORDS.has(t) && !(docs.length >= 3 && freq.get(t)! > docs.length / 2));
        if (kept.length > 0) doc.nameStems = kept;
      }
      // A tool whose name is a sibling's plus more words (`get_pull_request_files` vs
      // `get_pull_request`, `read_media_file` vs `read_file`) is the more specific one; its
      // extra words are what the query must ask for to prefer it over the general sibling.
      for (const d of docs) {
        const own = full.get(d)!;
        let best: string[] | undefined;
        for (const e of docs) {
          if (e === d) continue;
          const other = full.get(e)!;
          if (other.length === 0 || other.length >= own.length || (best && other.length <= own.length - best.length)) continue;
          if (other.every((t) => own.includes(t))) best = own.filter((t) => !other.includes(t));
        }
        if (best) prepared[d]!.extraWords = best;
      }
    }
  }
  // Server words that also name other servers' tools (`map` of google-maps vs tavily_map,
  // `search` of brave-search) say little about which server the query means.
  const sharedServerWords = new Set<string>();
  {
    const words = new Set(serverStems.flat());
    for (let d = 0; d < n; d++) {
      const own = serverStems[prepared[d]!.serverId]!;
      for (const t of prepared[d]!.nameStems) if (words.has(t) && !own.includes(t)) sharedServerWords.add(t);
    }
  }

  const bm25f = buildBm25f(perDocFields, {fieldWeight: FIELD_WEIGHT, fieldB: FIELD_B, k1: K1});
  const {postings: scored, idf, absentIdf} = bm25f;
  const completions = (prefix: string): string[] => bm25f.completions(prefix);
  // Server routing: each server is one document made of its name and all its tools' words.
  const serverDocs: string[][][] = serverStems.map((stems) => [stems, [], [], []]);
  for (let d = 0; d < n; d++) {
    const f = perDocFields[d]!;
    const sd = serverDocs[prepared[d]!.serverId]!;
    sd[1]!.push(...f[Field.Name]!);
    sd[2]!.push(...f[Field.Summary]!);
    sd[3]!.push(...f[Field.Description]!);
  }
  const routing = tuning.route > 0 && serverStems.length > 1 ? buildBm25f(serverDocs, {fieldWeight: tuning.routeFieldWeight, fieldB: tuning.routeB, k1: K1}) : undefined;
  const serverScore = new Float64Array(serverStems.length);
  const serverTermBest = new Float64Array(serverStems.length);
  /** Each server's match of the query's terms relative to the best server's (0 to 1), in serverScore. */
  function routeServers(terms: readonly QueryTerm[]): void {
    serverScore.fill(0);
    for (const term of terms) {
      serverTermBest.fill(0);
      for (const [variant, weight] of term.variants) {
        if (term.learnedOnly?.has(variant)) continue;
        const p = routing!.postings.get(variant);
        if (!p) continue;
        for (let i = 0; i < p.docs.length; i++) {
          const s = p.scores[i]! * weight;
          if (s > serverTermBest[p.docs[i]!]!) serverTermBest[p.docs[i]!] = s;
        }
      }
      for (let id = 0; id < serverScore.length; id++) serverScore[id]! += serverTermBest[id]!;
    }
    let max = 0;
    for (const v of serverScore) if (v > max) max = v;
    if (max > 0) for (let id = 0; id < serverScore.length; id++) serverScore[id]! /= max;
  }

  /** Endings that make a word rather than a second word (`statement` is not state + ment). */
  const WORD_SUFFIXES: ReadonlySet<string> = new Set(english.wordSuffixes);

  /**
   * Splits an unknown word into two indexed words (`sitemap` -> site, map), or returns undefined.
   * Prefers the split with the longest first part.
   */
  function splitCompound(word: string): string[] | undefined {
    // A word the synonym table knows (`forget`) is a word, not a compound (`for` + `get`).
    if (word.length < 6 || scored.has(stem(word)) || SYNONYMS.has(stem(word))) return undefined;
    for (let i = word.length - 3; i >= 3; i--) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (STOPWORDS.has(head) || STOPWORDS.has(tail) || WORD_SUFFIXES.has(tail)) continue;
      if (scored.has(stem(head)) && scored.has(stem(tail))) return [head, tail];
    }
    return undefined;
  }

  /**
   * A run of capitalised words inside a query ("Big Ben", "New York", "Downing Street") is a
   * name, a value: its words that name no tool or server are dropped, so `new` of New York does
   * not ask to create. Words of tool and server names ("Pull Request", "Google Maps") stay.
   */
  function dropProperNames(text: string): string {
    return text.replace(/(?<=\S\s+)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b/g, (run) => {
      const kept = run.split(/\s+/).filter((w) => nameVocabulary.has(stem(w.toLowerCase())));
      if (kept.length < run.split(/\s+/).length) namedValue = true;
      return kept.join(' ');
    });
  }

  /**
   * Identifiers and names in a query are values, not words of the request: a snake_case or
   * KEY=value identifier (`staging_test`, `LOG_LEVEL=debug`), a hyphenated one with a number
   * (`web-0`, `checkout-5f6`), and the one word naming a thing before its kind ("the clickstream
   * collection", "the batch namespace", "in analytics db"). A typed tool name (`create_issue`)
   * and a server's name ("the notion workspace") stay.
   */
  function dropValueNames(text: string, demoted: string[] = []): string {
    return text
      .replace(/(?<![\w./@-])[A-Za-z0-9]+(?:[_=-][A-Za-z0-9.]+)+(?![\w/-])/g, (id) => {
        if (!/[_=]|-[a-z.]*\d/i.test(id)) return id;
        return tokenize(id).every((t) => nameVocabulary.has(stem(t))) ? id : ' ';
      })
      .replace(VALUE_BEFORE_KIND, (all, before: string, name: string) => {
        const s = stem(name.toLowerCase());
        if (serverVocabulary.has(s)) return all;
        // A known word naming the thing ("the docs folder") may still mean something: it is
        // demoted to the query's topic (half weight) rather than dropped.
        if (scored.has(s)) demoted.push(name);
        return `${before} `;
      })
      .replace(NAME_AFTER_KIND, (all, before: string, name: string) => {
        // Unless the words are (part of) a tool's or a server's name ("in google-maps", "the
        // read-file tool") or one names a server (`kube-system`).
        const words = ` ${wordsKey(name)} `;
        return catalogNames.includes(words) || tokenize(name).some((t) => t.length >= 4 && (namesServer(t) || namesServer(stem(t)))) ? all : `${before} `;
      });
  }

  /**
   * A camelCase word the catalog knows whole (`MongoDB`, `GitHub`, `PostgreSQL` as server names)
   * is one word: split, `MongoDB` would ask for `db` tools. One the catalog never writes
   * (`TypeScript`, `OpenSSL`) is a name, a value: split, its parts would ask for `browser_type`
   * or `open_nodes`. It stays when the catalog writes it (`JavaScript`, `connectionId`) or when
   * every part names a tool (a typed tool name, `readFile`), or names a server.
   */
  function keepKnownWords(text: string): string {
    return text.replace(/\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g, (word) => {
      const lower = word.toLowerCase();
      if (scored.has(stem(lower))) return lower;
      // An acronym, plural ones too (`PRs`, `URLs`), is not camelCase.
      if (!/[a-z]/.test(word) || /^[A-Z]+s$/.test(word) || catalogCamel.has(lower)) return word;
      const parts = tokenize(word);
      if (parts.every((t) => nameVocabulary.has(stem(t))) || parts.some((t) => t.length >= 4 && namesServer(stem(t)))) return word;
      namedValue = true;
      return ' ';
    });
  }

  /** Whether a query stem names a server on its own: a server word no other server's tool names, or a prefix of one (`mongo`). */
  function namesServer(s: string): boolean {
    let known = serverNamers.get(s);
    if (known === undefined) {
      known = serverVocabulary.has(s) ? !sharedServerWords.has(s) : s.length >= 4 && [...serverVocabulary].some((w) => w.startsWith(s) && !sharedServerWords.has(w));
      // Bounded like the stem cache: queries are short, but their words are unbounded.
      if (serverNamers.size < 10_000) serverNamers.set(s, known);
    }
    return known;
  }
  const serverNamers = new Map<string, boolean>();
  /** Every tool and server name as words, each between spaces, to tell a kebab-case name the catalog uses from a value. */
  const catalogNames = ` ${[...new Set([...prepared.map((p) => p.exactName), ...[...new Set(tools.map((t) => t.server))].map(wordsKey)])].join(' | ')} `;
  /** Servers whose name has several parts (`context7`, `brave-search`), by the name as written, lowercased. */
  const wholeServerNames = new Map<string, number>();
  for (const doc of prepared) if (tokenize(doc.tool.server).length >= 2) wholeServerNames.set(doc.tool.server.toLowerCase(), doc.serverId);

  /** Whether a word is indexed or in the synonym table (as its stem). */
  function isKnown(word: string): boolean {
    const s = stem(word);
    return scored.has(s) || SYNONYMS.has(s);
  }

  /** Set while reading a query when it names a thing by a name the catalog does not know ("Q3 Roadmap", `TypeScript`). */
  let namedValue = false;

  function parseQuery(input: string): {terms: QueryTerm[]; op: number; servers: number[]; named: boolean; container?: Set<string>} {
    namedValue = false;
    const words: string[] = [];
    const typedAs = new Map<string, string>();
    // A server's name of several parts typed as one word (`context7`, `google-maps`) names that
    // server: its parts match only that server's tools (`context` would find `kubectl_context`).
    const servers: number[] = [];
    const serverOnly = new Map<string, number>();
    if (wholeServerNames.size > 0) {
      for (const word of input.match(/[\w.-]+/g) ?? []) {
        const id = wholeServerNames.get(word.toLowerCase());
        if (id === undefined) continue;
        servers.push(id);
        for (const t of tokenize(word)) serverOnly.set(stem(t), id);
      }
    }
    // A URL's host or a file name may name a server (`https://www.figma.com/design/...`,
    // `github.com/acme/api`, `.gitlab-ci.yml`): it becomes a value below, but the server it names
    // stays a word of the request.
    let query = input;
    for (const pattern of [URL_HOST, FILE_LIKE]) {
      for (const m of input.matchAll(pattern)) {
        for (const label of m[1]!.toLowerCase().split(/[./_-]+/)) if (label.length >= 3 && namesServer(stem(label))) query += ` ${label}`;
      }
    }
    const rewritten = rewritePhrases(query);
    const demoted: string[] = [];
    let purposeWords = 0;
    const cleaned = keepKnownWords(dropProperNames(dropValueNames(rewritten.query, demoted)));
    // What the request is about ("repositories about vector databases", "the news about
    // OpenSSL") is its topic: it comes after the rest and counts less than what is asked for.
    const hasContent = (list: readonly string[]): boolean => list.some((t) => t.length > 1 && !STOPWORDS.has(t));
    let tokens = tokenize(cleaned);
    const topic: string[] = [];
    // "press Escape to close the modal", "run some JavaScript in the page to read the title": after
    // a request, "to <verb> ..." says what for; it is a topic, and its verb is not the request's.
    const purpose = QUESTION_START.test(query) ? null : PURPOSE_TO.exec(cleaned);
    if (purpose && OPERATION_BASE.has(purpose[1]!.toLowerCase())) {
      const main = tokenize(cleaned.slice(0, purpose.index) + ' ' + cleaned.slice(purpose.index + purpose[0].length));
      if (hasContent(main)) {
        tokens = main;
        purposeWords = tokenize(purpose[0]).length;
        topic.push(...tokenize(purpose[0]));
      }
    }
    // One topic per query: a purpose, else what it is about.
    const about = purposeWords === 0 ? TOPIC.exec(cleaned) : null;
    if (about) {
      const main = tokenize(cleaned.slice(0, about.index) + ' ' + cleaned.slice(about.index + about[0].length));
      if (hasContent(main)) {
        tokens = main;
        topic.push(...tokenize(about[1]!));
        // Things picked by what they are about ("repos about vector databases", "what do I
        // have in memory about the migration") are found by searching their content.
        namedValue = true;
      }
    }
    for (const name of demoted) (hasContent(tokens) ? topic : tokens).push(...tokenize(name));
    const topicStart = topic.length > 0 ? tokens.length : Infinity;
    tokens.push(...topic);
    // Words the phrasing implies ("how many" -> count) come last and count less than typed words.
    const inferred = tokenize(rewritten.inferred);
    const typedCount = tokens.length;
    tokens.push(...inferred);
    let inferredFrom = Infinity;
    let topicFrom = Infinity;
    for (let i = 0; i < tokens.length; i++) {
      if (i === typedCount) inferredFrom = words.length;
      if (i === topicStart) topicFrom = words.length;
      let token = tokens[i]!;
      // A verb and its particle may be one known word (`mouse over` -> mouseover, `clean up` ->
      // cleanup); the particle alone is a stopword and would be lost.
      const next = tokens[i + 1];
      if (next !== undefined && PARTICLES.has(next) && isKnown(token + next)) {
        token += next;
        i++;
      }
      // Single letters are leftovers of contractions and paths (`what's`, `a.txt`).
      if (token.length < 2 || STOPWORDS.has(token)) continue;
      // An indefinite pronoun ("forget everything about ...") is a word of the sentence even when
      // a server bears it as its name; it names the server only as "the everything server/MCP".
      if (PRONOUNS.has(token) && next !== 'server' && next !== 'mcp') continue;
      // A shell command that is also an English word ("what files did the PR touch") is a command
      // only where a command stands: first in the query.
      const alias = SHELL_WORDS.has(token) && i > 0 ? undefined : ALIASES[token];
      if (!alias) typedAs.set(token, token);
      // A shorthand noun written in both numbers says which: `PR 73` is one pull request, `PRs`
      // several (pr/prs, mr/mrs, repo/repos, db/dbs, url/urls).
      else if (ALIASES[token.endsWith('s') ? token.slice(0, -1) : `${token}s`]) {
        const noun = alias[alias.length - 1]!;
        if (!typedAs.has(noun)) typedAs.set(noun, token.endsWith('s') ? pluralOf(noun) : noun);
      }
      if (alias) words.push(token, ...alias);
      else words.push(...(splitCompound(token) ?? [token]));
    }
    let op = queryOperation(purposeWords > 0 ? words.filter((_, i) => i < topicFrom || i >= inferredFrom) : words, query, rewritten.query);
    // A query without any verb that names things in the plural which a tool lists ("github open
    // bug issues", "mongo collections in analytics db") asks for that listing.
    const typed = words.slice(0, Math.min(words.length, inferredFrom, topicFrom));
    // So does one that only asks to see them ("show dbs", "show me 20 companies").
    const pluralListed = (w: string): boolean => {
      const written = typedAs.get(w) ?? w;
      return written.length > 3 && /[^s]s$/.test(written) && listedThings.has(stem(w));
    };
    if ((op === 0 || (op === Op.Read && typed.some((w) => SHOW_VERBS.has(w)))) && typed.some(pluralListed)) {
      if (inferredFrom === Infinity) inferredFrom = words.length;
      words.push('list');
      op = Op.Read;
    }
    const seen = new Set<string>();
    const terms: QueryTerm[] = [];
    const plain = new Set(associations.size > 0 ? tokenize(plainWords(input)).map(stem) : []);
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const s = stem(word);
      if (seen.has(s)) continue;
      seen.add(s);
      // Several words for one idea (`make a new ...`) count as that idea once, not once per word.
      const redundant = terms.some((t) => SYNONYMS.get(t.stem)?.includes(s));
      const scale = (redundant ? REDUNDANT_WEIGHT : 1) * (w >= inferredFrom ? INFERRED_WEIGHT : w >= topicFrom ? TOPIC_WEIGHT : 1);
      const variants = new Map<string, number>([[s, scale]]);
      for (const syn of SYNONYMS.get(s) ?? []) if (!variants.has(syn)) variants.set(syn, SYNONYM_WEIGHT * scale * ambiguity(syn));
      // A query word that is a prefix of indexed words (`repo` -> `repository`) also matches them.
      if (s.length >= 3) for (const c of completions(s)) if (!variants.has(c)) variants.set(c, PREFIX_WEIGHT * scale);
      // Words that labelled queries using this word wanted in their tool ("report" -> issue).
      // An association naming an operation the query does not ask for ("what do you remember
      // about ..." reads, though most queries saying remember create) is left out.
      const learned = plain.has(s) ? (associations.get(s) ?? []).filter(([a]) => op === 0 || !OPERATION.has(a) || (OPERATION.get(a)! & op) !== 0) : [];
      let learnedOnly: Set<string> | undefined;
      for (const [a, strength] of learned) {
        if (variants.has(a) || !scored.has(a)) continue;
        variants.set(a, LEARNED_WEIGHT * strength * scale);
        (learnedOnly ??= new Set()).add(a);
      }
      // Only a word typed as itself says singular or plural (not an alias's expansion or a phrasing's).
      const plural = w < inferredFrom && typedAs.has(word) ? isPlural(typedAs.get(word)!) : undefined;
      // A content word names what the request is about (not an operation verb, not implied by the
      // phrasing): its own idf, or that of a word in no document when no tool holds it.
      const content = w < inferredFrom && !OPERATION_BASE.has(word) ? scale * (idf.get(s) ?? absentIdf) : 0;
      terms.push({stem: s, variants: [...variants], plural, server: serverOnly.get(s), learned, content, ...(learnedOnly ? {learnedOnly} : {})});
    }
    // "add a row to the Bugs table": the table exists; the request adds to it, it does not create one.
    const into = (op & Op.Create) !== 0 ? ADD_INTO.exec(rewritten.query) : null;
    const container = into ? new Set(tokenize(into[1]!.split(/\s(?:in|on|of|with|from|for|at|under|so|and|that|which|saying)\s/i)[0]!).map(stem)) : undefined;
    return {terms, op, servers, named: namedValue, ...(container && container.size > 0 ? {container} : {})};
  }

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
      let parsed = parseQuery(query);
      // A question about the world, most of whose words no tool knows ("who won the 2024 Tour de
      // France?"), is for a web search.
      if (WH_QUESTION.test(query) && parsed.terms.filter((t) => t.variants.some(([v]) => scored.has(v) && !t.learnedOnly?.has(v))).length * 3 < parsed.terms.length) parsed = parseQuery(`${query} web search`);
      const {terms, op: queryOp, servers: namedServers, named, container} = parsed;
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
      if (routing) routeServers(terms);
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
        if (routing) score *= 1 - tuning.route + tuning.route * serverScore[doc.serverId]!;
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


