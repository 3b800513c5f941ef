/**
 * Query analysis of tool search: reads a query against a catalog into a plan of weighted terms.
 * Values (identifiers, proper names, unknown camelCase names, names before their kind) stop acting
 * as words of the request; phrasings are rewritten (clauses.ts, rewriters.ts); a purpose, a topic
 * and a demoted name count less; each word gets its variants (synonyms weighted down by
 * ambiguity, prefix completions, learned associations) and the query its operation.
 */
import english from './data/english.json' with {type: 'json'};
import type {Associations} from './associations.js';
import type {Bm25fIndex} from './bm25f.js';
import type {Catalog} from './catalog.js';
import {ADD_INTO, FILE_LIKE, NAME_AFTER_KIND, PURPOSE_TO, rewritePhrases, TOPIC, URL_HOST, VALUE_BEFORE_KIND, WH_QUESTION} from './clauses.js';
import {Op, OPERATION, OPERATION_BASE, QUESTION_START, queryOperation} from './operations.js';
import {isPlural, plainWords, pluralOf, stem, STOPWORDS, tokenize, wordsKey} from './text.js';
import {ALIASES, ambiguity, PARTICLES, PRONOUNS, SHELL_WORDS, SHOW_VERBS, SYNONYMS} from './vocabulary.js';

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

/** What a query asks for, as the ranker scores it. */
export interface QueryPlan {
  terms: QueryTerm[];
  /** Operation bits the query asks for (operations.ts). */
  op: number;
  /** Servers named by their whole multi-part name. */
  servers: number[];
  /** Whether the query names a thing by a name the catalog does not know. */
  named: boolean;
  /** Stems of what the query adds something to ("add a row to the table"). */
  container?: Set<string>;
}

/** Weights of the query reader (DEFAULT_TUNING's). */
export interface ReaderWeights {
  synonym: number;
  prefix: number;
  redundant: number;
  inferred: number;
  topic: number;
  learned: number;
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

/** The query reader of `catalog` and its index: `read(query)` gives the plan; `namesServer(stem)` whether a word names a server on its own. */
export function createQueryReader(catalog: Catalog, bm25f: Bm25fIndex, weights: ReaderWeights, associations: Associations): {read(query: string): QueryPlan; namesServer(s: string): boolean} {
  const {nameVocabulary, serverVocabulary, listedThings, catalogCamel, sharedServerWords, catalogNames, wholeServerNames} = catalog;
  const {postings: scored, idf, absentIdf} = bm25f;
  const completions = (prefix: string): string[] => bm25f.completions(prefix);
  const {synonym: SYNONYM_WEIGHT, prefix: PREFIX_WEIGHT, redundant: REDUNDANT_WEIGHT, inferred: INFERRED_WEIGHT, topic: TOPIC_WEIGHT, learned: LEARNED_WEIGHT} = weights;
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

  /** Whether a word is indexed or in the synonym table (as its stem). */
  function isKnown(word: string): boolean {
    const s = stem(word);
    return scored.has(s) || SYNONYMS.has(s);
  }

  /** Set while reading a query when it names a thing by a name the catalog does not know ("Q3 Roadmap", `TypeScript`). */
  let namedValue = false;

  function parseQuery(input: string): QueryPlan {
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

  return {
    namesServer,
    read(query) {
      const parsed = parseQuery(query);
      // A question about the world, most of whose words no tool knows ("who won the 2024 Tour de
      // France?"), is for a web search.
      if (WH_QUESTION.test(query) && parsed.terms.filter((t) => t.variants.some(([v]) => scored.has(v) && !t.learnedOnly?.has(v))).length * 3 < parsed.terms.length) return parseQuery(`${query} web search`);
      return parsed;
    },
  };
}
