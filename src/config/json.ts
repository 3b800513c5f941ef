/** JSON and JSONC documents with source positions, built on jsonc-parser's syntax tree. */
import {type Node, type ParseError as JsoncError, createScanner, getNodeValue, parseTree} from 'jsonc-parser';
import {ParseError} from './parse-error.js';
import {type Comment, type ConfigDocument, type JsonPath, LineIndex, MAX_NESTING, type ParseProblem, type SourceRange, pathKey} from './types.js';

// jsonc-parser's ParseErrorCode and SyntaxKind are const enums, which isolatedModules cannot read.
const ERROR_TEXT: Record<number, string> = {
  1: /* InvalidSymbol */ 'unexpected character',
  2: /* InvalidNumberFormat */ 'invalid number',
  3: /* PropertyNameExpected */ 'expected a property name in double quotes',
  4: /* ValueExpected */ 'expected a value',
  5: /* ColonExpected */ "expected ':'",
  6: /* CommaExpected */ "expected ',' (or a closing bracket)",
  7: /* CloseBraceExpected */ "expected '}'",
  8: /* CloseBracketExpected */ "expected ']'",
  9: /* EndOfFileExpected */ 'unexpected content after the end of the document',
  10: /* InvalidCommentToken */ 'comments are not allowed in strict JSON',
  11: /* UnexpectedEndOfComment */ 'unterminated comment',
  12: /* UnexpectedEndOfString */ 'unterminated string',
  13: /* UnexpectedEndOfNumber */ 'unterminated number',
  14: /* InvalidUnicode */ 'invalid unicode escape',
  15: /* InvalidEscapeCharacter */ 'invalid escape character',
  16: /* InvalidCharacter */ 'invalid character in string',
};

/**
 * Parse JSON (`strict`: no comments, no trailing commas) or JSONC. Throws ParseError with the
 * first error's line and column; duplicate keys are reported as problems, the last one wins.
 */
export function parseJson(text: string, file: string, strict: boolean): ConfigDocument {
  const index = new LineIndex(text);
  const errors: JsoncError[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const tooDeep = firstTooDeep(body);
  if (tooDeep >= 0) {
    const pos = index.position(tooDeep);
    throw new ParseError(file, strict ? 'json' : 'jsonc', pos.line, pos.column, `nested too deeply (the limit is ${MAX_NESTING} levels)`);
  }
  const root = parseTree(body, errors, {allowTrailingComma: !strict, disallowComments: strict, allowEmptyContent: false});
  if (errors.length > 0 || root === undefined) {
    const first = errors[0];
    const pos = index.position(first?.offset ?? text.length);
    const detail = text.trim() === '' ? 'the file is empty' : first ? (ERROR_TEXT[first.error] ?? 'syntax error') : 'syntax error';
    throw new ParseError(file, strict ? 'json' : 'jsonc', pos.line, pos.column, detail);
  }
  const problems: ParseProblem[] = [];
  const ranges = new Map<string, {value: SourceRange; key?: SourceRange}>();
  walk(root, [], index, ranges, problems);
  return {
    file,
    format: strict ? 'json' : 'jsonc',
    text,
    value: getNodeValue(root),
    problems,
    comments: strict ? [] : collectComments(body, index),
    rangeOf(path: JsonPath, part: 'value' | 'key' = 'value') {
      const hit = ranges.get(pathKey(path));
      return part === 'key' ? hit?.key : hit?.value;
    },
  };
}

function walk(
  node: Node,
  path: (string | number)[],
  index: LineIndex,
  ranges: Map<string, {value: SourceRange; key?: SourceRange}>,
  problems: ParseProblem[],
  keyNode?: Node,
): void {
  ranges.set(pathKey(path), {
    value: index.range(node.offset, node.offset + node.length),
    ...(keyNode ? {key: index.range(keyNode.offset, keyNode.offset + keyNode.length)} : {}),
  });
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const prop of node.children ?? []) {
      const [k, v] = prop.children ?? [];
      if (!k || !v) continue;
      const key = String(k.value);
      if (seen.has(key)) {
        problems.push({
          message: `duplicate key "${key}" (the last one wins)`,
          range: index.range(k.offset, k.offset + k.length),
          path: [...path, key],
        });
      }
      seen.add(key);
      walk(v, [...path, key], index, ranges, problems, k);
    }
  } else if (node.type === 'array') {
    (node.children ?? []).forEach((child, i) => walk(child, [...path, i], index, ranges, problems));
  }
}

/** Offset of the first bracket past MAX_NESTING levels (strings and comments skipped), or -1. */
function firstTooDeep(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== 17 /* EOF */; kind = scanner.scan()) {
    if (kind === 1 /* OpenBrace */ || kind === 3 /* OpenBracket */) {
      if (++depth > MAX_NESTING) return scanner.getTokenOffset();
    } else if (kind === 2 /* CloseBrace */ || kind === 4 /* CloseBracket */) depth--;
  }
  return -1;
}

function collectComments(text: string, index: LineIndex): Comment[] {
  const scanner = createScanner(text, false);
  const comments: Comment[] = [];
  for (let kind = scanner.scan(); kind !== 17 /* EOF */; kind = scanner.scan()) {
    if (kind === 12 /* LineCommentTrivia */ || kind === 13 /* BlockCommentTrivia */) {
      const start = scanner.getTokenOffset();
      const end = start + scanner.getTokenLength();
      comments.push({text: text.slice(start, end).trim(), range: index.range(start, end)});
    }
  }
  return comments;
}
