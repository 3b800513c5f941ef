/**
 * What tool search knows about a catalog before any query: each tool's fields as stems (name,
 * title, parameter names, description, its first sentence, parameter descriptions, server), the
 * verbs of its name, what it converts, its plural nouns, and the catalog-wide facts the query
 * reader and the signals use: servers and their words, the words of tool names, the name words
 * that set a tool apart from its siblings (a sibling's name plus more words is the more specific
 * tool), server words that also name other servers' tools, and what each server covers.
 */
import {OPERATION_BASE, toolOperation} from './operations.js';
import {isPlural, stem, STOPWORDS, tokenize, wordsKey} from './text.js';

export interface ToolDoc {
  /** Namespaced name used by execute_tool: `<server>__<tool>`. */
  name: string;
  server: string;
  tool: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

export const Field = {Name: 0, Title: 1, Params: 2, Description: 3, Server: 4, Summary: 5, ParamDescription: 6} as const;
export type Field = (typeof Field)[keyof typeof Field];
export const FIELD_COUNT = 7;

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

/** The catalog as the ranker reads it; built once per tool list by `analyseCatalog`. */
export interface Catalog {
  readonly prepared: Prepared[];
  /** Per tool, its fields' stems (Field order). */
  readonly perDocFields: string[][][];
  /** Per distinct server (Prepared.serverId), its name's distinct stems. */
  readonly serverStems: string[][];
  /** Words of tool and server names, to tell a name in a query from a value. */
  readonly nameVocabulary: ReadonlySet<string>;
  readonly serverVocabulary: ReadonlySet<string>;
  /** Things some tool lists (`list_issues`, `list-collections`): their plurals ask for that listing. */
  readonly listedThings: ReadonlySet<string>;
  /** camelCase words the catalog itself writes, lowercased. */
  readonly catalogCamel: ReadonlySet<string>;
  /** Server words that also name other servers' tools. */
  readonly sharedServerWords: ReadonlySet<string>;
  /** Every tool and server name as words, each between spaces. */
  readonly catalogNames: string;
  /** Servers whose name has several parts, by the name as written, lowercased. */
  readonly wholeServerNames: ReadonlyMap<string, number>;
}

/** Reads `tools` (any mix of servers; title, description and schema optional). Linear in the total text. */
export function analyseCatalog(tools: readonly ToolDoc[], knownTools: ReadonlySet<string>): Catalog {
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
  /** Every tool and server name as words, each between spaces, to tell a kebab-case name the catalog uses from a value. */
  const catalogNames = ` ${[...new Set([...prepared.map((p) => p.exactName), ...[...new Set(tools.map((t) => t.server))].map(wordsKey)])].join(' | ')} `;
  /** Servers whose name has several parts (`context7`, `brave-search`), by the name as written, lowercased. */
  const wholeServerNames = new Map<string, number>();
  for (const doc of prepared) if (tokenize(doc.tool.server).length >= 2) wholeServerNames.set(doc.tool.server.toLowerCase(), doc.serverId);
  return {prepared, perDocFields, serverStems, nameVocabulary, serverVocabulary, listedThings, catalogCamel, sharedServerWords, catalogNames, wholeServerNames};
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
