import {describe, expect, it} from 'vitest';
import {ParseError, parseDocument, sniffFormat} from '../../src/config/parse.js';
import type {Format} from '../../src/config/types.js';

function errorOf(text: string, format: Format): ParseError {
  try {
    parseDocument(text, format, '/x/config');
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error('expected a parse error');
}

describe('parseDocument', () => {
  it('reports malformed input of every format with file:line:column', () => {
    const cases: Array<[Format, string, number, number]> = [
      ['json', '{\n  "a": 1,\n  "b": \n}', 4, 1],
      ['json', '{\n  // no comments in strict JSON\n  "a": 1\n}', 2, 3],
      ['jsonc', '{\n  "a": [1, 2\n}', 3, 1],
      ['toml', '[mcp_servers.x]\ncommand = "npx\nargs = []\n', 2, 15],
      ['yaml', 'a:\n  - b\n c: [\n', 3, 1],
    ];
    for (const [format, text, line, column] of cases) {
      const e = errorOf(text, format);
      expect([format, e.line, e.column]).toEqual([format, line, column]);
      expect(e.message).toMatch(new RegExp(`^/x/config:${line}:${column}: `));
    }
  });

  it('treats an empty JSON file as an error but an empty YAML or TOML file as empty', () => {
    expect(errorOf('', 'json').message).toContain('empty');
    expect(parseDocument('', 'yaml', 'f').value).toBeNull();
    expect(parseDocument('', 'toml', 'f').value).toEqual({});
  });

  it('locates values and keys in JSONC, with duplicate keys as problems (last wins)', () => {
    const doc = parseDocument('{\n  // c\n  "mcpServers": {\n    "a": {"env": {"K": "v1", "K": "v2"}}\n  }\n}\n', 'jsonc', 'f');
    expect(doc.value).toEqual({mcpServers: {a: {env: {K: 'v2'}}}});
    const r = doc.rangeOf(['mcpServers', 'a', 'env', 'K'])!;
    expect([r.start.line, r.start.column]).toEqual([4, 35]);
    expect(doc.rangeOf(['mcpServers', 'a'], 'key')!.start).toMatchObject({line: 4, column: 5});
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]!.message).toContain('duplicate key "K"');
    expect(doc.comments.map((c) => c.text)).toEqual(['// c']);
  });

  it('locates values in TOML tables, inline tables, arrays and arrays of tables', () => {
    const text = '# top\n[mcp_servers.gh]\ncommand = "npx"\nargs = ["-y", "pkg"]\nenv = { TOKEN = "abc" }\n\n[mcp_servers.gh.http_headers]\nX = "y"\n[[list]]\nn = 1\n[[list]]\nn = 2\n';
    const doc = parseDocument(text, 'toml', 'f');
    const at = (p: (string | number)[]) => {
      const r = doc.rangeOf(p)!;
      return `${r.start.line}:${r.start.column}`;
    };
    expect(at(['mcp_servers', 'gh', 'args', 1])).toBe('4:15');
    expect(at(['mcp_servers', 'gh', 'env', 'TOKEN'])).toBe('5:17');
    expect(at(['mcp_servers', 'gh', 'http_headers', 'X'])).toBe('8:5');
    expect(at(['list', 1, 'n'])).toBe('12:5');
    expect(doc.comments[0]!.text).toBe('top');
  });

  it('locates values in YAML maps and sequences, and reports duplicate keys', () => {
    const text = 'mcpServers:\n  - name: a # note\n    env:\n      K: "v"\n      K: w\n';
    const doc = parseDocument(text, 'yaml', 'f');
    // The last duplicate wins, so the value's range is the live copy's.
    const r = doc.rangeOf(['mcpServers', 0, 'env', 'K'])!;
    expect(r.start.line).toBe(5);
    expect(doc.value).toEqual({mcpServers: [{name: 'a', env: {K: 'w'}}]});
    expect(doc.problems[0]!.message).toContain('duplicate key "K"');
    expect(doc.comments.map((c) => c.text)).toEqual(['note']);
  });

  it('sniffs formats of unknown files', () => {
    expect(sniffFormat('a.toml', '')).toBe('toml');
    expect(sniffFormat('a.yml', '')).toBe('yaml');
    expect(sniffFormat('a.json', '{"a": 1}')).toBe('json');
    expect(sniffFormat('a.json', '{\n// c\n"a": 1}')).toBe('jsonc');
    expect(sniffFormat('config', '[mcp_servers.x]\ncommand = "a"')).toBe('toml');
    expect(sniffFormat('config', 'mcpServers:\n  - name: x')).toBe('yaml');
  });
});
