/**
 * The write half of the document layer: change values in a parsed config file by splicing its
 * text, so comments, key order, blank lines, indentation and line endings outside the edit stay
 * byte-identical. JSON/JSONC goes through jsonc-parser's `modify`; YAML and TOML are spliced at
 * the ranges their parsers report, with new fragments rendered in the file's own indentation.
 * Every result is parsed again and compared with the intended value before it is returned.
 */
import {type Node as JsonNode, applyEdits as applyJsonEdits, findNodeAtLocation, modify, parseTree} from 'jsonc-parser';
import {type Document, type Node, type Pair, isMap, isPair, isScalar, isSeq, parseDocument as parseYamlAst, Scalar, stringify as stringifyYaml} from 'yaml';
import {parseTOML} from 'toml-eslint-parser';
import {parseDocument} from './parse.js';
import type {ConfigDocument, JsonPath} from './types.js';

export type Edit = {op: 'set'; path: JsonPath; value: unknown} | {op: 'delete'; path: JsonPath};

/** Text of an empty document of `format`, to parse and then edit when creating a new file. */
export function emptyText(format: ConfigDocument['format']): string {
  return format === 'json' || format === 'jsonc' ? '{}\n' : '';
}

/**
 * Apply `edits` in order to `doc` and return the new text (the document itself is not changed).
 * A `set` creates missing parent objects; a `set` at index `length` of an array appends; a
 * `delete` of a missing path does nothing. Throws a plain Error (a bug in mcpx) when the result
 * does not parse back to the intended value, so a wrong edit never reaches the disk.
 */
export function applyEdits(doc: ConfigDocument, edits: readonly Edit[]): string {
  let expected: unknown = structuredClone(doc.value);
  let text = doc.text;
  for (const edit of edits) {
    expected = applyToValue(expected, edit);
    text = editText(text, doc.format, doc.file, edit);
  }
  let actual: unknown;
  try {
    actual = parseDocument(text, doc.format, doc.file).value;
  } catch (error) {
    throw new Error(`mcpx bug: editing ${doc.file} produced text that does not parse (${(error as Error).message})`);
  }
  // TOML cannot keep an implicit table that lost its last member: compare without empty tables there.
  const prune = doc.format === 'toml' ? pruneEmpty : (v: unknown) => v;
  if (!deepEqual(prune(actual), prune(normalise(expected)))) {
    throw new Error(`mcpx bug: editing ${doc.file} did not produce the intended value`);
  }
  return text;
}

/**
 * A unified diff of `before` → `after` labelled with `file`, for `--dry-run`; '' when equal.
 * Loads the `diff` package on first use.
 */
export async function unifiedDiff(file: string, before: string, after: string): Promise<string> {
  if (before === after) return '';
  const {createTwoFilesPatch} = await import('diff');
  return createTwoFilesPatch(file, file, before, after, undefined, undefined, {context: 3});
}

// ---------------------------------------------------------------------------------------------
// The intended value

function applyToValue(root: unknown, edit: Edit): unknown {
  if (edit.path.length === 0) return edit.op === 'set' ? structuredClone(edit.value) : undefined;
  const top: unknown = isObject(root) || Array.isArray(root) ? root : {};
  let cur: unknown = top;
  for (let i = 0; i < edit.path.length - 1; i++) {
    const k = edit.path[i]!;
    const container = cur as Record<string | number, unknown>;
    if (!isObject(container[k]) && !Array.isArray(container[k])) {
      if (edit.op === 'delete') return top;
      container[k] = {};
    }
    cur = container[k];
  }
  const last = edit.path[edit.path.length - 1]!;
  if (edit.op === 'set') {
    (cur as Record<string | number, unknown>)[last] = structuredClone(edit.value);
  } else if (Array.isArray(cur) && typeof last === 'number') {
    if (last < cur.length) cur.splice(last, 1);
  } else if (isObject(cur)) {
    delete cur[String(last)];
  }
  return top;
}

function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneEmpty);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const p = pruneEmpty(x);
    if (!(isObject(p) && Object.keys(p).length === 0)) out[k] = p;
  }
  return out;
}

/** Values as a parser returns them: no `undefined` members. */
function normalise(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'bigint') return BigInt(a) === b;
  if (typeof a === 'bigint' && typeof b === 'number') return a === BigInt(b);
  if (a instanceof Date || b instanceof Date) return String(a) === String(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function getIn(v: unknown, path: JsonPath): unknown {
  let cur = v;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isObject(cur)) cur = cur[String(p)];
    else return undefined;
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------
// Text helpers shared by the formats

function editText(text: string, format: ConfigDocument['format'], file: string, edit: Edit): string {
  switch (format) {
    case 'json':
    case 'jsonc':
      return editJson(text, edit);
    case 'yaml':
      return editYaml(text, edit);
    case 'toml':
      return editToml(text, file, edit);
  }
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function withEol(fragment: string, eol: string): string {
  return eol === '\n' ? fragment : fragment.replace(/\r?\n/g, eol);
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** Offset just after the line break that ends the value ending at `end` (exclusive). */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const i = text.indexOf('\n', end);
  return i < 0 ? text.length : i + 1;
}

function onlyBlanksBefore(text: string, pos: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStart(text, pos), pos));
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Make sure text inserted at `pos` starts on a fresh line. */
function ensureLineBreakBefore(text: string, pos: number, eol: string): string {
  return pos > 0 && text[pos - 1] !== '\n' ? eol : '';
}

// ---------------------------------------------------------------------------------------------
// JSON / JSONC

interface JsonFormatting {
  insertSpaces: boolean;
  tabSize: number;
  eol: string;
}

/** The file's own indentation: tabs, or the smallest indent of any nested line. */
export function detectIndent(text: string): {insertSpaces: boolean; size: number} {
  let min = Infinity;
  for (const line of text.split('\n')) {
    const m = /^([ \t]+)\S/.exec(line);
    if (!m) continue;
    if (m[1]!.startsWith('\t')) return {insertSpaces: false, size: 1};
    min = Math.min(min, m[1]!.length);
  }
  return {insertSpaces: true, size: Number.isFinite(min) ? min : 2};
}

function editJson(text: string, edit: Edit): string {
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = bom ? text.slice(1) : text;
  const indent = detectIndent(body);
  const formatting: JsonFormatting = {insertSpaces: indent.insertSpaces, tabSize: indent.size, eol: eolOf(body)};
  const path = [...edit.path];
  if (edit.op === 'set' && path.length > 0) {
    const old = getIn(safeJson(body), path);
    if (isObject(old) && isObject(edit.value)) {
      // Object over object: key by key, so comments and layout of unchanged members survive.
      let out = body;
      for (const k of Object.keys(old)) if (!(k in edit.value)) out = editJson(out, {op: 'delete', path: [...path, k]});
      for (const [k, v] of Object.entries(edit.value)) {
        if (v !== undefined && !deepEqual(old[k], v)) out = editJson(out, {op: 'set', path: [...path, k], value: v});
      }
      return bom + out;
    }
  }
  if (edit.op === 'delete') {
    const removed = jsonDeleteLines(body, path);
    if (removed !== undefined) return bom + removed;
  }
  const value = edit.op === 'set' ? edit.value : undefined;
  const arr = getIn(safeJson(body), path.slice(0, -1));
  const last = path[path.length - 1];
  // Appending to an array is an insertion at `length`; anything else overwrites in place.
  const isArrayInsertion = edit.op === 'set' && Array.isArray(arr) && typeof last === 'number' && last >= arr.length;
  if (isArrayInsertion) {
    const inline = appendToInlineArray(body, path.slice(0, -1), value);
    if (inline !== undefined) return bom + inline;
  }
  if (edit.op === 'set' && !isArrayInsertion && typeof last === 'string' && getIn(safeJson(body), path) === undefined) {
    const inserted = jsonInsertMember(body, path.slice(0, -1), last, value, formatting);
    if (inserted !== undefined) return bom + inserted;
  }
  // Formatting applies to inserted structures only; on removal it would reflow the neighbours.
  const edits = modify(body, path, value, edit.op === 'set' ? {formattingOptions: formatting, isArrayInsertion} : {});
  return bom + applyJsonEdits(body, edits);
}

/**
 * Remove a member that sits on lines of its own, with its trailing comma and comment, and the
 * previous member's comma when it was the last one. Undefined when the layout is anything else.
 */
function jsonDeleteLines(text: string, path: (string | number)[]): string | undefined {
  const root = parseTree(text, [], {allowTrailingComma: true, disallowComments: false});
  const target = root && findNodeAtLocation(root, path);
  if (!target) return text;
  const member: JsonNode = target.parent?.type === 'property' ? target.parent : target;
  const container = member.parent;
  if (!container) return undefined;
  const siblings = container.children ?? [];
  const i = siblings.indexOf(member);
  const start = member.offset;
  let end = member.offset + member.length;
  if (!onlyBlanksBefore(text, start)) return undefined;
  const rest = /^[ \t]*(,)?[ \t]*(\/\/[^\n]*|\/\*[^\n]*?\*\/[ \t]*)?(\r?\n|$)/.exec(text.slice(end));
  if (!rest) return undefined;
  end += rest[0].length;
  let out = splice(text, lineStart(text, start), end, '');
  if (i === siblings.length - 1 && i > 0 && !rest[1]) {
    // The new last member must not keep its comma (strict JSON has no trailing commas).
    const prev = siblings[i - 1]!;
    const after = prev.offset + prev.length;
    const m = /^[ \t]*,/.exec(out.slice(after));
    if (m) out = splice(out, after + m[0].length - 1, after + m[0].length, '');
  }
  return out;
}

/**
 * Add `"key": value` after the last member of a multi-line object, on its own line in that
 * member's indentation (jsonc-parser's formatter would also reflow the previous member).
 * Undefined when the object is empty, on one line, or missing.
 */
function jsonInsertMember(text: string, objPath: (string | number)[], key: string, value: unknown, f: JsonFormatting): string | undefined {
  const root = parseTree(text, [], {allowTrailingComma: true, disallowComments: false});
  const obj = root && (objPath.length === 0 ? root : findNodeAtLocation(root, objPath));
  if (!obj || obj.type !== 'object' || !obj.children?.length) return undefined;
  const lastMember = obj.children[obj.children.length - 1]!;
  if (!onlyBlanksBefore(text, lastMember.offset)) return undefined;
  const indent = text.slice(lineStart(text, lastMember.offset), lastMember.offset);
  const unit = f.insertSpaces ? ' '.repeat(f.tabSize) : '\t';
  const rendered = JSON.stringify(value, null, unit).split('\n').join(f.eol + indent);
  const end = lastMember.offset + lastMember.length;
  const comma = /^[ \t]*,/.exec(text.slice(end));
  const lineEnd = afterLine(text, comma ? end + comma[0].length : end);
  if (text.slice(end, lineEnd).trim().startsWith('}') || !text.slice(end, lineEnd).endsWith('\n')) return undefined;
  let out = splice(text, lineEnd, lineEnd, `${indent}${JSON.stringify(key)}: ${rendered}${f.eol}`);
  if (!comma) out = splice(out, end, end, ',');
  return out;
}

/** `["a"]` → `["a", "b"]` when the array sits on one line (the formatter would reflow its parent). */
function appendToInlineArray(text: string, arrayPath: (string | number)[], value: unknown): string | undefined {
  const root = parseTree(text, [], {allowTrailingComma: true, disallowComments: false});
  const node = root && findNodeAtLocation(root, arrayPath);
  if (!node || node.type !== 'array') return undefined;
  const close = node.offset + node.length - 1;
  if (text.slice(node.offset, close + 1).includes('\n')) return undefined;
  const items = node.children ?? [];
  const rendered = JSON.stringify(value);
  if (items.length === 0) return splice(text, close, close, rendered);
  const lastItem = items[items.length - 1]!;
  const at = lastItem.offset + lastItem.length;
  return splice(text, at, at, ', ' + rendered);
}

function safeJson(text: string): unknown {
  try {
    return parseDocument(text, 'jsonc', '<edit>').value;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// YAML

interface YamlStyle {
  indent: number;
  indentSeq: boolean;
  eol: string;
}

function yamlStyle(text: string): YamlStyle {
  const lines = text.split(/\r?\n/);
  let indent = Infinity;
  let indentSeq: boolean | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^( +)[^\s#-]/.exec(line);
    if (m) indent = Math.min(indent, m[1]!.length);
    // A `key:` line followed by a `- item` line tells how this file indents sequences.
    if (indentSeq === undefined && /^\s*[^\s#-][^#]*:\s*(#.*)?$/.test(line)) {
      const next = lines.slice(i + 1).find((l) => l.trim() !== '' && !l.trim().startsWith('#'));
      if (next && /^\s*- /.test(next)) indentSeq = leading(next) > leading(line);
    }
  }
  return {indent: Number.isFinite(indent) ? indent : 2, indentSeq: indentSeq ?? true, eol: eolOf(text)};
}

function leading(line: string): number {
  return /^ */.exec(line)![0].length;
}

function renderYaml(value: unknown, style: YamlStyle): string {
  return stringifyYaml(value, {indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false});
}

/** Prefix every non-empty line of `block` with `col` spaces. */
function indentBlock(block: string, col: number): string {
  const pad = ' '.repeat(col);
  return block
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

function renderScalar(value: unknown, like: Scalar | undefined, style: YamlStyle): string {
  const s = new Scalar(value);
  if (like && typeof value === 'string' && (like.type === 'QUOTE_SINGLE' || like.type === 'QUOTE_DOUBLE')) s.type = like.type;
  return renderYaml(s, style).replace(/\n$/, '');
}

function renderFlow(value: unknown, doc: Document, style: YamlStyle): string {
  const node = doc.createNode(value) as Node & {flow?: boolean};
  const mark = (n: unknown): void => {
    if (isMap(n) || isSeq(n)) {
      n.flow = true;
      for (const item of n.items) mark(isPair(item) ? item.value : item);
    }
  };
  mark(node);
  return renderYaml(node, style).replace(/\n$/, '');
}

function yamlNodeAt(doc: Document, path: JsonPath): {node: Node | null | undefined; pair?: Pair; parent?: Node} {
  let node = doc.contents as Node | null;
  let pair: Pair | undefined;
  let parent: Node | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const p = node.items.find((it) => isPair(it) && String(isScalar(it.key) ? it.key.value : it.key) === String(seg)) as Pair | undefined;
      if (!p) return {node: undefined};
      parent = node;
      pair = p;
      node = p.value as Node | null;
    } else if (isSeq(node) && typeof seg === 'number') {
      if (seg >= node.items.length) return {node: undefined};
      parent = node;
      pair = undefined;
      node = node.items[seg] as Node | null;
    } else {
      return {node: undefined};
    }
  }
  return {node, pair, parent};
}

function editYaml(text: string, edit: Edit): string {
  const style = yamlStyle(text);
  const doc = parseYamlAst(text, {uniqueKeys: false});
  const current = doc.toJS() as unknown;
  const path = edit.path;
  if (path.length === 0) return withEol(edit.op === 'set' ? renderYaml(edit.value, style) : '', style.eol);
  if (edit.op === 'delete') return yamlDelete(text, doc, current, path, style);
  const {node} = yamlNodeAt(doc, path);
  const value = edit.value;
  if (node !== undefined && node !== null) {
    if (isScalar(node) && !isObject(value) && !Array.isArray(value) && node.range) {
      const [start, end] = node.range;
      const old = text.slice(start, end);
      let out = renderScalar(value, node, style);
      if (old.endsWith('\n') && !out.endsWith('\n')) out += '\n';
      return splice(text, start, end, withEol(out, style.eol));
    }
    if (isMap(node) && !node.flow && isObject(value)) {
      // Per-key edits keep the comments and order of the keys that stay.
      let out = text;
      const old = getIn(current, path);
      for (const k of Object.keys(isObject(old) ? old : {})) if (!(k in value)) out = editYaml(out, {op: 'delete', path: [...path, k]});
      for (const [k, v] of Object.entries(value)) {
        if (!deepEqual(getIn(isObject(old) ? old : {}, [k]), v)) out = editYaml(out, {op: 'set', path: [...path, k], value: v});
      }
      return out;
    }
    if ((isMap(node) || isSeq(node)) && node.flow && node.range && (Array.isArray(value) === isSeq(node))) {
      return splice(text, node.range[0], node.range[1], withEol(renderFlow(value, doc, style), style.eol));
    }
    // The value changes kind (scalar ↔ collection): write the whole `key: value` again in place.
    return yamlReplacePair(text, doc, path, value, style) ?? yamlReplaceWhole(text, doc, current, path, value, style);
  }
  // Find the deepest existing ancestor and insert the missing part below it.
  let k = path.length - 1;
  while (k > 0 && !yamlHas(doc, path.slice(0, k))) k--;
  const anchorPath = path.slice(0, k);
  const anchor = k === 0 ? (doc.contents as Node | null) : yamlNodeAt(doc, anchorPath).node;
  let nested: unknown = value;
  for (let i = path.length - 1; i > k; i--) nested = {[String(path[i])]: nested};
  const key = path[k]!;
  if (anchor === null || anchor === undefined || (isScalar(anchor) && anchor.value === null)) {
    if (k === 0) return withEol(renderYaml({[String(key)]: nested}, style), style.eol);
    // `key:` with no value yet: write the pair again with its new content.
    const updated = getIn(applyToValue(structuredClone(current), edit), anchorPath);
    return yamlReplacePair(text, doc, anchorPath, updated, style) ?? yamlReplaceWhole(text, doc, current, path, value, style);
  }
  if (isMap(anchor) && !anchor.flow && anchor.items.length > 0) {
    const first = anchor.items[0] as Pair;
    const firstKey = first.key as Node;
    const col = firstKey.range![0] - lineStart(text, firstKey.range![0]);
    const last = anchor.items[anchor.items.length - 1] as Pair;
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range)![1];
    const at = afterLine(text, lastEnd);
    const block = indentBlock(renderYaml({[String(key)]: nested}, style), col);
    return splice(text, at, at, withEol(ensureLineBreakBefore(text, at, '\n') + block, style.eol));
  }
  if (isSeq(anchor) && !anchor.flow && anchor.items.length > 0 && typeof key === 'number' && key === anchor.items.length) {
    const firstItem = anchor.items[0] as Node;
    const ls = lineStart(text, firstItem.range![0]);
    const dash = text.slice(ls, firstItem.range![0]).indexOf('-');
    const last = anchor.items[anchor.items.length - 1] as Node;
    const at = afterLine(text, last.range![1]);
    const block = indentBlock(renderYaml([nested], style), Math.max(0, dash));
    return splice(text, at, at, withEol(ensureLineBreakBefore(text, at, '\n') + block, style.eol));
  }
  return yamlReplaceWhole(text, doc, current, path, value, style);
}

/** Rewrite the lines of the block pair at `path` as `key: value` in the same column; undefined when not a block pair on its own line. */
function yamlReplacePair(text: string, doc: Document, path: JsonPath, value: unknown, style: YamlStyle): string | undefined {
  const {node, pair, parent} = yamlNodeAt(doc, path);
  if (!pair || !isMap(parent) || parent.flow) return undefined;
  const keyRange = (pair.key as Node).range;
  if (!keyRange || !onlyBlanksBefore(text, keyRange[0])) return undefined;
  const start = lineStart(text, keyRange[0]);
  const end = afterLine(text, (node?.range ?? keyRange)[1]);
  const block = indentBlock(renderYaml({[String(path[path.length - 1])]: value}, style), keyRange[0] - start);
  return splice(text, start, end, withEol(block, style.eol));
}

function yamlHas(doc: Document, path: JsonPath): boolean {
  const {node} = yamlNodeAt(doc, path);
  return node !== undefined;
}

/** Last resort: write the nearest replaceable ancestor again from the AST (still keeps the rest of the file). */
function yamlReplaceWhole(text: string, doc: Document, current: unknown, path: JsonPath, value: unknown, style: YamlStyle): string {
  doc.setIn([...path], doc.createNode(value));
  void current;
  return withEol(doc.toString({indent: style.indent, indentSeq: style.indentSeq, lineWidth: 0, flowCollectionPadding: false}), style.eol);
}

function yamlDelete(text: string, doc: Document, current: unknown, path: JsonPath, style: YamlStyle): string {
  const {node, pair, parent} = yamlNodeAt(doc, path);
  if (node === undefined || !parent) return text;
  if ((isMap(parent) || isSeq(parent)) && parent.flow && parent.range) {
    const updated = applyToValue(structuredClone(current), {op: 'delete', path});
    return splice(text, parent.range[0], parent.range[1], withEol(renderFlow(getIn(updated, path.slice(0, -1)), doc, style), style.eol));
  }
  if (isMap(parent) && pair) {
    const keyStart = (pair.key as Node).range![0];
    const valueEnd = ((pair.value as Node | null)?.range ?? (pair.key as Node).range)![1];
    if (parent.items.length === 1 && !onlyBlanksBefore(text, keyStart)) return yamlReplaceWhole(text, doc, current, path.slice(0, -1), {}, style);
    if (onlyBlanksBefore(text, keyStart)) return splice(text, lineStart(text, keyStart), afterLine(text, valueEnd), '');
    // First key of a `- key: v` item: the next key moves up onto the dash line.
    const idx = parent.items.indexOf(pair);
    const next = parent.items[idx + 1] as Pair | undefined;
    if (next) return splice(text, keyStart, (next.key as Node).range![0], '');
    return yamlReplaceWhole(text, doc, current, path.slice(0, -1), getIn(applyToValue(structuredClone(current), {op: 'delete', path}), path.slice(0, -1)), style);
  }
  if (isSeq(parent) && node && node.range) {
    const ls = lineStart(text, node.range[0]);
    if (/^[ \t]*-[ \t]*$/.test(text.slice(ls, node.range[0]))) return splice(text, ls, afterLine(text, node.range[1]), '');
  }
  return yamlReplaceWhole(text, doc, current, path.slice(0, -1), getIn(applyToValue(structuredClone(current), {op: 'delete', path}), path.slice(0, -1)), style);
}

// ---------------------------------------------------------------------------------------------
// TOML

interface TomlNode {
  type: string;
  range: [number, number];
  [k: string]: unknown;
}

interface TomlKv {
  node: TomlNode;
  /** Full path of the key (table path + dotted key parts). */
  path: string[];
  /** Path of the table whose body holds it ([] for the root). */
  table: string[];
  keys: string[];
}

interface TomlTable {
  node: TomlNode;
  path: string[];
  kind: 'standard' | 'array';
  body: TomlNode[];
}

interface TomlIndex {
  tables: TomlTable[];
  kvs: TomlKv[];
  /** Value nodes by path, with their direct container (an inline table or array node) when nested in one. */
  values: Map<string, {node: TomlNode; container?: TomlNode; containerPath?: JsonPath; kv?: TomlKv}>;
  rootKvs: TomlNode[];
}

function keyParts(keyNode: TomlNode): string[] {
  return (keyNode.keys as Array<{type: string; name?: string; value?: string}>).map((k) => (k.type === 'TOMLBare' ? String(k.name) : String(k.value)));
}

function tomlIndex(text: string): TomlIndex {
  const ast = parseTOML(text) as unknown as {body: Array<{body: TomlNode[]}>};
  const top = ast.body[0]!;
  const index: TomlIndex = {tables: [], kvs: [], values: new Map(), rootKvs: []};
  const addValue = (node: TomlNode, path: JsonPath, container?: TomlNode, containerPath?: JsonPath, kv?: TomlKv): void => {
    index.values.set(JSON.stringify(path), {node, container, containerPath, kv});
    if (node.type === 'TOMLArray') (node.elements as TomlNode[]).forEach((el, i) => addValue(el, [...path, i], node, path));
    else if (node.type === 'TOMLInlineTable') {
      for (const inner of node.body as TomlNode[]) addValue(inner.value as TomlNode, [...path, ...keyParts(inner.key as TomlNode)], node, path);
    }
  };
  const addKv = (node: TomlNode, table: string[]): void => {
    const keys = keyParts(node.key as TomlNode);
    const kv: TomlKv = {node, path: [...table, ...keys], table, keys};
    index.kvs.push(kv);
    addValue(node.value as TomlNode, kv.path, undefined, undefined, kv);
  };
  for (const item of top.body) {
    if (item.type === 'TOMLKeyValue') {
      index.rootKvs.push(item);
      addKv(item, []);
    } else if (item.type === 'TOMLTable') {
      const path = (item.resolvedKey as (string | number)[]).map(String);
      const table: TomlTable = {node: item, path, kind: item.kind as 'standard' | 'array', body: item.body as TomlNode[]};
      index.tables.push(table);
      for (const kv of table.body) addKv(kv, item.kind === 'array' ? (item.resolvedKey as (string | number)[]).map(String) : path);
    }
  }
  return index;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

function tomlKey(k: string | number): string {
  const s = String(k);
  return BARE_KEY.test(s) ? s : JSON.stringify(s);
}

/** A value written inline (strings as basic strings, objects as inline tables). */
function tomlInline(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('mcpx bug: TOML cannot hold a non-finite number');
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return '[' + v.map(tomlInline).join(', ') + ']';
  if (isObject(v)) {
    const parts = Object.entries(v)
      .filter(([, x]) => x !== undefined && x !== null)
      .map(([k, x]) => `${tomlKey(k)} = ${tomlInline(x)}`);
    return parts.length ? '{ ' + parts.join(', ') + ' }' : '{}';
  }
  throw new Error(`mcpx bug: TOML cannot hold ${v === null ? 'null' : typeof v}`);
}

/** `[a.b]` with its plain keys, then sub-tables for object members. */
function tomlTableText(path: JsonPath, obj: Record<string, unknown>): string {
  const lines = [`[${path.map(tomlKey).join('.')}]`];
  const subs: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    if (isObject(v)) subs.push(tomlTableText([...path, k], v));
    else lines.push(`${tomlKey(k)} = ${tomlInline(v)}`);
  }
  // A table holding only sub-tables needs no header of its own (`[mcp_servers]` stays implicit).
  if (lines.length === 1 && subs.length > 0) return subs.join('\n');
  return [lines.join('\n') + '\n', ...subs].join('\n');
}

/** Insert a rendered table after the last table under `parentPath` (its "family"), else at the end. */
function insertTable(text: string, index: TomlIndex, parentPath: JsonPath, block: string, eol: string): string {
  const family = index.tables.filter((t) => parentPath.length > 0 && startsWithPath(t.path, parentPath));
  if (family.length === 0) return appendAtEnd(text, block, eol);
  const lastStart = Math.max(...family.map((t) => t.node.range[0]));
  const next = index.tables.find((t) => t.node.range[0] > lastStart && !startsWithPath(t.path, parentPath));
  if (!next) return appendAtEnd(text, block, eol);
  let pos = lineStart(text, next.node.range[0]);
  while (pos > 0) {
    const prev = lineStart(text, pos - 1);
    if (!/^[ \t]*#/.test(text.slice(prev, pos))) break;
    pos = prev;
  }
  const before = text.slice(0, pos);
  const lead = before.length === 0 || /\n[ \t]*\r?\n$/.test(before) ? '' : eol;
  return splice(text, pos, pos, lead + withEol(block, eol) + eol);
}

function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((x, i) => String(x) === String(b[i]));
}

function startsWithPath(full: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= full.length && prefix.every((x, i) => String(x) === String(full[i]));
}

function editToml(text: string, file: string, edit: Edit): string {
  const eol = eolOf(text);
  const index = tomlIndex(text);
  const current = parseDocument(text, 'toml', file).value;
  const path = edit.path;
  if (edit.op === 'delete') return tomlDelete(text, index, current, path, eol);
  const value = edit.value;
  const at = index.values.get(JSON.stringify(path.map((p) => (typeof p === 'number' ? p : String(p)))));
  const explicit = index.tables.find((t) => t.kind === 'standard' && samePath(t.path, path));
  const existing = getIn(current, path);
  if (isObject(value) && isObject(existing) && !at?.container && (explicit || !at)) {
    // A table (header or implicit): edit key by key so comments and order survive.
    let out = text;
    for (const k of Object.keys(existing)) if (!(k in value)) out = editToml(out, file, {op: 'delete', path: [...path, k]});
    for (const [k, v] of Object.entries(value)) {
      if (!deepEqual(existing[k], v)) out = editToml(out, file, {op: 'set', path: [...path, k], value: v});
    }
    return out;
  }
  if (at) return splice(text, at.node.range[0], at.node.range[1], tomlInline(value));
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  const parentValue = getIn(current, parentPath);
  const parentAt = index.values.get(JSON.stringify(parentPath));
  if (parentAt && (parentAt.node.type === 'TOMLInlineTable' || parentAt.node.type === 'TOMLArray')) {
    const updated = getIn(applyToValue(structuredClone(current), edit), parentPath);
    return splice(text, parentAt.node.range[0], parentAt.node.range[1], tomlInline(updated));
  }
  const parentTable = index.tables.find((t) => t.kind === 'standard' && samePath(t.path, parentPath));
  const viaDotted = index.kvs.find((kv) => kv.keys.length > 1 && startsWithPath(kv.path, parentPath) && kv.table.length < parentPath.length);
  // A new table-valued key becomes a `[table]` of its own, next to its siblings.
  if (isObject(value) && !viaDotted && (parentTable || parentPath.length === 0 || isObject(parentValue) || parentValue === undefined)) {
    return insertTable(text, index, parentPath, tomlTableText(path, value), eol);
  }
  if (parentTable || (parentPath.length === 0 && isObject(current))) {
    const body = parentTable ? parentTable.body : index.rootKvs;
    const line = `${tomlKey(key)} = ${tomlInline(value)}`;
    if (body.length > 0) {
      const last = body[body.length - 1]!;
      const pos = afterLine(text, last.range[1]);
      const pad = /^[ \t]*/.exec(text.slice(lineStart(text, last.range[0])))![0];
      return splice(text, pos, pos, ensureLineBreakBefore(text, pos, eol) + pad + line + eol);
    }
    if (parentTable) {
      const pos = afterLine(text, (parentTable.node.key as TomlNode).range[1]);
      return splice(text, pos, pos, ensureLineBreakBefore(text, pos, eol) + line + eol);
    }
    const firstTable = index.tables[0];
    const pos = firstTable ? lineStart(text, firstTable.node.range[0]) : text.length;
    return splice(text, pos, pos, ensureLineBreakBefore(text, pos, eol) + line + eol + (firstTable ? eol : ''));
  }
  if (isObject(parentValue)) {
    // Defined by dotted keys somewhere: add another dotted key beside them.
    const dotted = viaDotted;
    if (dotted) {
      const rel = [...parentPath.slice(dotted.table.length), key].map(tomlKey).join('.');
      const pos = afterLine(text, dotted.node.range[1]);
      const pad = /^[ \t]*/.exec(text.slice(lineStart(text, dotted.node.range[0])))![0];
      return splice(text, pos, pos, pad + `${rel} = ${tomlInline(value)}` + eol);
    }
    // Implicit table (only sub-tables define it): declare it now.
    return insertTable(text, index, parentPath, tomlTableText(parentPath, {[String(key)]: value}), eol);
  }
  if (parentValue === undefined && parentPath.length > 0) return editToml(text, file, {op: 'set', path: parentPath, value: {[String(key)]: value}});
  throw new Error(`mcpx bug: cannot set ${JSON.stringify(path)} in a TOML document (its parent is not a table)`);
}

function appendAtEnd(text: string, block: string, eol: string): string {
  let out = text;
  if (out.length > 0 && !out.endsWith('\n')) out += eol;
  if (out.trim().length > 0 && !/\n\s*\n$/.test(out)) out += eol;
  return out + withEol(block, eol);
}

function tomlDelete(text: string, index: TomlIndex, current: unknown, path: JsonPath, eol: string): string {
  if (getIn(current, path) === undefined) return text;
  const at = index.values.get(JSON.stringify(path));
  if (at?.container) {
    const updated = getIn(applyToValue(structuredClone(current), {op: 'delete', path}), at.containerPath!);
    return splice(text, at.container.range[0], at.container.range[1], tomlInline(updated));
  }
  const ranges: Array<[number, number]> = [];
  for (const kv of index.kvs) {
    if (!startsWithPath(kv.path, path)) continue;
    if (kv.table.length >= path.length && index.tables.some((t) => samePath(t.path, kv.table) && startsWithPath(t.path, path))) continue;
    const start = onlyBlanksBefore(text, kv.node.range[0]) ? lineStart(text, kv.node.range[0]) : kv.node.range[0];
    ranges.push([start, afterLine(text, kv.node.range[1])]);
  }
  const headers = index.tables.map((t) => lineStart(text, t.node.range[0])).sort((a, b) => a - b);
  for (const table of index.tables) {
    if (!startsWithPath(table.path, path)) continue;
    let start = lineStart(text, table.node.range[0]);
    // Comment lines right above the header describe it: they go with it.
    while (start > 0) {
      const prev = lineStart(text, start - 1);
      if (!/^[ \t]*#/.test(text.slice(prev, start))) break;
      start = prev;
    }
    const nextHeader = headers.find((h) => h > table.node.range[0]);
    let end = nextHeader ?? text.length;
    if (nextHeader !== undefined) {
      while (end > start) {
        const prev = lineStart(text, end - 1);
        if (!/^[ \t]*#/.test(text.slice(prev, end))) break;
        end = prev;
      }
    }
    ranges.push([start, end]);
  }
  ranges.sort((a, b) => b[0] - a[0]);
  let out = text;
  let floor = Infinity;
  for (const [s, e] of ranges) {
    const end = Math.min(e, floor);
    if (end > s) out = splice(out, s, end, '');
    floor = Math.min(floor, s);
  }
  void eol;
  return out;
}
