/**
 * The document layer's shared types: a parsed config file that remembers where every value
 * sits in its source, so findings can point at file:line:column.
 */

export type Format = 'json' | 'jsonc' | 'toml' | 'yaml';

/** 1-based line and column, 0-based character offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface SourceRange {
  start: Position;
  end: Position;
}

/** A path into the document's data: object keys and array indexes. */
export type JsonPath = ReadonlyArray<string | number>;

/** A non-fatal problem found while parsing (the document is still usable), e.g. a duplicate key. */
export interface ParseProblem {
  message: string;
  range: SourceRange;
  path?: JsonPath;
}

export interface Comment {
  text: string;
  range: SourceRange;
}

export interface ConfigDocument {
  /** Absolute path of the file (or a label for in-memory text). */
  file: string;
  format: Format;
  text: string;
  /** The plain data, as the client would see it (for duplicate keys, the last one wins). */
  value: unknown;
  problems: ParseProblem[];
  comments: Comment[];
  /** Where the value (or, with `part: 'key'`, the key) at `path` sits; undefined when absent. */
  rangeOf(path: JsonPath, part?: 'value' | 'key'): SourceRange | undefined;
}

/** A map key for a JSON path (used by the parsers' range tables). */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

/** Convert a JSON path to an RFC 6901 JSON pointer. */
export function toPointer(path: JsonPath): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Maps character offsets to 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return {line: lo + 1, column: o - this.starts[lo]! + 1, offset: o};
  }

  range(start: number, end: number): SourceRange {
    return {start: this.position(start), end: this.position(end)};
  }

  /** Offset of a 1-based line/column. */
  offset(line: number, column: number): number {
    const start = this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))]!;
    return start + column - 1;
  }
}

/** Deepest nesting of objects and arrays a config may have; real ones stay under ten. */
export const MAX_NESTING = 64;
