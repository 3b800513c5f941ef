/** YAML documents with source positions, built on the `yaml` package's node ranges. */
import {type Document, LineCounter, type Node, parseDocument, isMap, isSeq, isScalar, isPair, isAlias} from 'yaml';
import {ParseError} from './parse-error.js';
import {type Comment, type ConfigDocument, type JsonPath, LineIndex, MAX_NESTING, type ParseProblem, type SourceRange, pathKey} from './types.js';

/** Aliases expanded at most this many times: a config needs a handful, an alias bomb millions. */
export const MAX_ALIAS_COUNT = 100;

export function parseYaml(text: string, file: string): ConfigDocument {
  const index = new LineIndex(text);
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {lineCounter: new LineCounter(), uniqueKeys: false, prettyErrors: false, strict: true});
  } catch (error) {
    // The parser recurses per nesting level; a document nested thousands deep overflows it.
    if (error instanceof RangeError) throw new ParseError(file, 'yaml', 1, 1, `nested too deeply (the limit is ${MAX_NESTING} levels)`);
    throw error;
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = index.position(first.pos[0]);
    const detail = /call stack/i.test(first.message) ? `nested too deeply (the limit is ${MAX_NESTING} levels)` : first.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    throw new ParseError(file, 'yaml', pos.line, pos.column, detail);
  }
  const problems: ParseProblem[] = [];
  const ranges = new Map<string, {value: SourceRange; key?: SourceRange}>();
  if (doc.contents) walk(doc.contents as Node, [], index, ranges, problems, undefined, {doc, file, ancestors: new Set()});
  let value: unknown;
  try {
    value = doc.toJS({maxAliasCount: MAX_ALIAS_COUNT}) ?? null;
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      throw new ParseError(file, 'yaml', 1, 1, `aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions): not a config`);
    }
    throw error;
  }
  return {
    file,
    format: 'yaml',
    text,
    value,
    problems,
    comments: collectComments(text, index),
    rangeOf(path: JsonPath, part: 'value' | 'key' = 'value') {
      const hit = ranges.get(pathKey(path));
      return part === 'key' ? hit?.key : hit?.value;
    },
  };
}

function nodeRange(node: Node | null | undefined, index: LineIndex): SourceRange | undefined {
  const r = node?.range;
  return r ? index.range(r[0], r[1]) : undefined;
}

function walk(
  node: Node,
  path: (string | number)[],
  index: LineIndex,
  ranges: Map<string, {value: SourceRange; key?: SourceRange}>,
  problems: ParseProblem[],
  keyNode: Node | undefined,
  guard: {doc: Document.Parsed; file: string; ancestors: Set<unknown>},
): void {
  const value = nodeRange(node, index);
  const key = nodeRange(keyNode, index);
  if (value) ranges.set(pathKey(path), {value, ...(key ? {key} : {})});
  const fail = (detail: string): never => {
    const pos = index.position(node.range?.[0] ?? 0);
    throw new ParseError(guard.file, 'yaml', pos.line, pos.column, detail);
  };
  if (isAlias(node)) {
    // `a: &x {b: *x}` would make a value that contains itself (every later walk loops or overflows).
    if (guard.ancestors.has(node.resolve(guard.doc))) fail(`the alias *${node.source} refers to a node that contains it`);
    return;
  }
  if (path.length > MAX_NESTING) fail(`nested too deeply (the limit is ${MAX_NESTING} levels)`);
  if (!isMap(node) && !isSeq(node)) return;
  guard.ancestors.add(node);
  try {
    walkChildren(node, path, index, ranges, problems, guard);
  } finally {
    guard.ancestors.delete(node);
  }
}

function walkChildren(
  node: Node,
  path: (string | number)[],
  index: LineIndex,
  ranges: Map<string, {value: SourceRange; key?: SourceRange}>,
  problems: ParseProblem[],
  guard: {doc: Document.Parsed; file: string; ancestors: Set<unknown>},
): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (seen.has(k)) {
        const r = nodeRange(pair.key as Node, index);
        if (r) problems.push({message: `duplicate key "${k}" (the last one wins)`, range: r, path: [...path, k]});
      }
      seen.add(k);
      if (pair.value) walk(pair.value as Node, [...path, k], index, ranges, problems, pair.key as Node, guard);
      else if (isScalar(pair.key) && pair.key.range) {
        const r = nodeRange(pair.key as Node, index)!;
        ranges.set(pathKey([...path, k]), {value: r, key: r});
      }
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      if (item) walk(item as Node, [...path, i], index, ranges, problems, undefined, guard);
    });
  }
}

/** `#` comments outside quoted scalars, found with the YAML lexer's tokens. */
function collectComments(text: string, index: LineIndex): Comment[] {
  const comments: Comment[] = [];
  const lines = text.split('\n');
  let offset = 0;
  for (const line of lines) {
    const at = commentStart(line);
    if (at >= 0) comments.push({text: line.slice(at + 1).trim(), range: index.range(offset + at, offset + line.length)});
    offset += line.length + 1;
  }
  return comments;
}

/** Index of a `#` that starts a comment on this line (not inside quotes), or -1. */
export function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) {
      return i;
    }
  }
  return -1;
}
