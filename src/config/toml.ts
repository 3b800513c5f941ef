/** TOML documents with source positions, built on toml-eslint-parser's AST. */
import {getStaticTOMLValue, parseTOML} from 'toml-eslint-parser';
import {ParseError} from './parse-error.js';
import {type Comment, type ConfigDocument, type JsonPath, LineIndex, type ParseProblem, type SourceRange, pathKey} from './types.js';

// Minimal structural view of the AST nodes we walk (the parser's own types are not exported cleanly).
interface AstNode {
  type: string;
  range: [number, number];
  [k: string]: unknown;
}
type KeyPart = {type: string; name?: string; value?: string; range: [number, number]};

export function parseToml(text: string, file: string): ConfigDocument {
  const index = new LineIndex(text);
  let ast: ReturnType<typeof parseTOML>;
  try {
    ast = parseTOML(text);
  } catch (error) {
    const e = error as {message?: string; lineNumber?: number; column?: number; index?: number};
    const pos = typeof e.index === 'number' ? index.position(e.index) : {line: e.lineNumber ?? 1, column: (e.column ?? 0) + 1};
    throw new ParseError(file, 'toml', pos.line, pos.column, lowerFirst(e.message ?? 'syntax error'));
  }
  const ranges = new Map<string, {value: SourceRange; key?: SourceRange}>();
  const problems: ParseProblem[] = [];
  const top = (ast as unknown as {body: AstNode[]}).body[0]!;
  for (const item of top.body as AstNode[]) {
    if (item.type === 'TOMLKeyValue') walkKeyValue(item, [], index, ranges);
    else if (item.type === 'TOMLTable') {
      const resolved = item.resolvedKey as (string | number)[];
      const keyNode = item.key as AstNode;
      ranges.set(pathKey(resolved), {value: index.range(item.range[0], item.range[1]), key: index.range(keyNode.range[0], keyNode.range[1])});
      for (const kv of item.body as AstNode[]) walkKeyValue(kv, resolved, index, ranges);
    }
  }
  const comments: Comment[] = ((ast as unknown as {comments: AstNode[]}).comments ?? []).map((c) => ({
    text: String(c.value).trim(),
    range: index.range(c.range[0], c.range[1]),
  }));
  return {
    file,
    format: 'toml',
    text,
    value: getStaticTOMLValue(ast),
    problems,
    comments,
    rangeOf(path: JsonPath, part: 'value' | 'key' = 'value') {
      const hit = ranges.get(pathKey(path));
      return part === 'key' ? hit?.key : hit?.value;
    },
  };
}

function keyNames(keyNode: AstNode): string[] {
  return (keyNode.keys as KeyPart[]).map((k) => (k.type === 'TOMLBare' ? String(k.name) : String(k.value)));
}

function walkKeyValue(
  kv: AstNode,
  base: (string | number)[],
  index: LineIndex,
  ranges: Map<string, {value: SourceRange; key?: SourceRange}>,
): void {
  const keyNode = kv.key as AstNode;
  const names = keyNames(keyNode);
  const path = [...base, ...names];
  // Dotted keys (`a.b = 1`) also define their intermediate tables.
  for (let i = 1; i < names.length; i++) {
    const partial = pathKey([...base, ...names.slice(0, i)]);
    if (!ranges.has(partial)) ranges.set(partial, {value: index.range(kv.range[0], kv.range[1])});
  }
  walkValue(kv.value as AstNode, path, index, ranges, index.range(keyNode.range[0], keyNode.range[1]));
}

function walkValue(
  node: AstNode,
  path: (string | number)[],
  index: LineIndex,
  ranges: Map<string, {value: SourceRange; key?: SourceRange}>,
  key?: SourceRange,
): void {
  ranges.set(pathKey(path), {value: index.range(node.range[0], node.range[1]), ...(key ? {key} : {})});
  if (node.type === 'TOMLArray') {
    (node.elements as AstNode[]).forEach((el, i) => walkValue(el, [...path, i], index, ranges));
  } else if (node.type === 'TOMLInlineTable') {
    for (const kv of node.body as AstNode[]) walkKeyValue(kv, path, index, ranges);
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
