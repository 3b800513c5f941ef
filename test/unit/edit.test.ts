/**
 * Format-preserving edits: every case states the exact text change, so anything else in the
 * file (comments, blank lines, order, indentation of 2/4/tab, CRLF) must come out byte-identical,
 * and the result must parse to the intended value.
 */
import {describe, expect, it} from 'vitest';
import {type Edit, applyEdits, emptyText, unifiedDiff} from '../../src/config/edit.js';
import {parseDocument} from '../../src/config/parse.js';
import type {Format} from '../../src/config/types.js';

/** Re-indent (each leading pair of spaces becomes `unit`) and switch line endings. */
function variant(text: string, unit: string, eol: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^((?: {2})+)/, (m) => unit.repeat(m.length / 2)))
    .join(eol);
}

function check(format: Format, before: string, edits: Edit[], replacements: Array<[string, string]>): string {
  const doc = parseDocument(before, format, `/t/file.${format}`);
  const after = applyEdits(doc, edits);
  let expected = before;
  for (const [from, to] of replacements) {
    expect(expected.split(from).length - 1, `fragment must be unique: ${JSON.stringify(from)}`).toBe(1);
    expected = expected.replace(from, () => to);
  }
  expect(after).toBe(expected);
  return after;
}

const JSON_BASE = [
  '{',
  '  // MCP servers for this repo',
  '  "mcpServers": {',
  '    "github": {',
  '      "command": "npx", // pinned below',
  '      "args": ["-y", "@modelcontextprotocol/server-github@1.2.0"],',
  '      "env": {',
  '        "GITHUB_TOKEN": "literal-value",',
  '        "LOG_LEVEL": "info"',
  '      }',
  '    }',
  '  },',
  '',
  '  /* trailing block comment */',
  '  "other": true',
  '}',
  '',
].join('\n');

describe.each([
  ['2 spaces, LF', '  ', '\n'],
  ['4 spaces, LF', '    ', '\n'],
  ['tabs, LF', '\t', '\n'],
  ['2 spaces, CRLF', '  ', '\r\n'],
])('JSONC with %s', (_label, unit, eol) => {
  const v = (s: string) => variant(s, unit, eol);
  const base = v(JSON_BASE);

  it('replaces one env value with a ${NAME} reference', () => {
    check('jsonc', base, [{op: 'set', path: ['mcpServers', 'github', 'env', 'GITHUB_TOKEN'], value: '${GITHUB_TOKEN}'}], [['"literal-value"', '"${GITHUB_TOKEN}"']]);
  });

  it('sets a new nested value', () => {
    check('jsonc', base, [{op: 'set', path: ['mcpServers', 'github', 'env', 'DEBUG'], value: '1'}], [[v('"LOG_LEVEL": "info"\n'), v('"LOG_LEVEL": "info",\n        "DEBUG": "1"\n')]]);
  });

  it('adds a new server in the file’s own indentation', () => {
    check(
      'jsonc',
      base,
      [{op: 'set', path: ['mcpServers', 'fetch'], value: {command: 'uvx', args: ['mcp-server-fetch']}}],
      [[v('      }\n    }\n  },\n'), v('      }\n    },\n    "fetch": {\n      "command": "uvx",\n      "args": [\n        "mcp-server-fetch"\n      ]\n    }\n  },\n')]],
    );
  });

  it('deletes a key with its line, and the comma it leaves behind', () => {
    check('jsonc', base, [{op: 'delete', path: ['mcpServers', 'github', 'env', 'LOG_LEVEL']}], [[v('"literal-value",\n        "LOG_LEVEL": "info"\n'), v('"literal-value"\n')]]);
  });

  it('deletes a key followed by a comment, keeping the comment-free neighbours', () => {
    check('jsonc', base, [{op: 'delete', path: ['mcpServers', 'github', 'command']}], [[v('      "command": "npx", // pinned below\n'), '']]);
  });
});

describe('JSON specifics', () => {
  it('appends to an array and keeps a byte-order mark', () => {
    const before = '\ufeff{\n  "mcpServers": {\n    "a": {"command": "x", "args": ["1"]}\n  }\n}\n';
    const after = applyEdits(parseDocument(before, 'json', '/t/a.json'), [{op: 'set', path: ['mcpServers', 'a', 'args', 1], value: '2'}]);
    expect(after).toBe(before.replace('["1"]', '["1", "2"]'));
    expect(parseDocument(after, 'json', '/t/a.json').value).toEqual({mcpServers: {a: {command: 'x', args: ['1', '2']}}});
  });

  it('deletes members that share a line, and the last member of an object', () => {
    check('json', '{"mcpServers": {"a": {"command": "x", "cwd": "/srv"}}}\n', [{op: 'delete', path: ['mcpServers', 'a', 'cwd']}], [[', "cwd": "/srv"', '']]);
    check('json', '{\n  "only": 1\n}\n', [{op: 'delete', path: ['only']}], [['  "only": 1\n', '']]);
  });

  it('sets an object over an object key by key, keeping comments inside it', () => {
    const base = '{\n  "mcpServers": {\n    "a": {\n      // why npx\n      "command": "npx",\n      "args": ["-y", "pkg"]\n    }\n  }\n}\n';
    check('jsonc', base, [{op: 'set', path: ['mcpServers', 'a'], value: {command: 'npx', args: ['-y', 'pkg'], env: {K: '${K}'}}}], [
      ['"args": ["-y", "pkg"]\n', '"args": ["-y", "pkg"],\n      "env": {\n        "K": "${K}"\n      }\n'],
    ]);
  });

  it('creates missing parents, starting from an empty document', () => {
    const empty = parseDocument(emptyText('json'), 'json', '/t/new.json');
    const after = applyEdits(empty, [{op: 'set', path: ['mcpServers', 'x'], value: {command: 'npx'}}]);
    expect(after).toBe('{\n  "mcpServers": {\n    "x": {\n      "command": "npx"\n    }\n  }\n}\n');
  });

  it('refuses to return text that does not parse back to the intended value', () => {
    const doc = parseDocument('{"a": 1}\n', 'json', '/t/a.json');
    // A document whose remembered value disagrees with its text makes the check fire.
    const lying = {...doc, value: {a: 2}};
    expect(() => applyEdits(lying, [{op: 'set', path: ['b'], value: 1}])).toThrow(/mcpx bug/);
  });
});

const YAML_BASE = [
  '# goose config',
  'GOOSE_PROVIDER: anthropic   # provider',
  '',
  'extensions:',
  '  # GitHub tools',
  '  github:',
  '    cmd: npx',
  '    args: [-y, "@modelcontextprotocol/server-github"]',
  '    envs:',
  "      GITHUB_TOKEN: 'literal-value'   # move me",
  '      LOG_LEVEL: info',
  '    enabled: true',
  '',
  '  fetch:',
  '    cmd: uvx',
  '    args:',
  '      - mcp-server-fetch',
  '# end',
  '',
].join('\n');

describe.each([
  ['2 spaces, LF', '  ', '\n'],
  ['4 spaces, LF', '    ', '\n'],
  ['2 spaces, CRLF', '  ', '\r\n'],
])('YAML with %s', (_label, unit, eol) => {
  const v = (s: string) => variant(s, unit, eol);
  const base = v(YAML_BASE);

  it('replaces one env value with a ${NAME} reference, keeping its quotes and comment', () => {
    check('yaml', base, [{op: 'set', path: ['extensions', 'github', 'envs', 'GITHUB_TOKEN'], value: '${GITHUB_TOKEN}'}], [["'literal-value'", "'${GITHUB_TOKEN}'"]]);
  });

  it('sets a new nested value', () => {
    check('yaml', base, [{op: 'set', path: ['extensions', 'github', 'timeout'], value: 300}], [[v('    enabled: true\n'), v('    enabled: true\n    timeout: 300\n')]]);
  });

  it('adds a new server after the last one, in the file’s indentation', () => {
    check(
      'yaml',
      base,
      [{op: 'set', path: ['extensions', 'memory'], value: {type: 'stdio', cmd: 'npx', args: ['-y', 'server-memory'], envs: {A: '1'}}}],
      [[v('      - mcp-server-fetch\n'), v('      - mcp-server-fetch\n  memory:\n    type: stdio\n    cmd: npx\n    args:\n      - -y\n      - server-memory\n    envs:\n      A: "1"\n')]],
    );
  });

  it('deletes a key with its line', () => {
    check('yaml', base, [{op: 'delete', path: ['extensions', 'github', 'envs', 'LOG_LEVEL']}], [[v('      LOG_LEVEL: info\n'), '']]);
  });

  it('rewrites a flow sequence in place', () => {
    check('yaml', base, [{op: 'set', path: ['extensions', 'github', 'args'], value: ['-y', 'other']}], [['[-y, "@modelcontextprotocol/server-github"]', '[-y, other]']]);
  });
});

describe('YAML lists (Continue)', () => {
  const base = ['name: Team tools', 'mcpServers:', '  - name: Browser', '    command: npx', '  # docs', '  - name: Docs', '    type: sse', '    url: https://docs.example.com/sse', ''].join('\n');

  it('appends an entry to the list', () => {
    check('yaml', base, [{op: 'set', path: ['mcpServers', 2], value: {name: 'Memory', command: 'npx'}}], [['    url: https://docs.example.com/sse\n', '    url: https://docs.example.com/sse\n  - name: Memory\n    command: npx\n']]);
  });

  it('deletes the first key of an item and a whole item', () => {
    check('yaml', base, [{op: 'delete', path: ['mcpServers', 0, 'name']}], [['  - name: Browser\n    command: npx\n', '  - command: npx\n']]);
    check('yaml', base, [{op: 'delete', path: ['mcpServers', 1]}], [['  - name: Docs\n    type: sse\n    url: https://docs.example.com/sse\n', '']]);
  });

  it('follows a file that does not indent its sequences, after a document marker', () => {
    const base = '---\n# blocks\nmcpServers:\n- name: a\n  command: x\n';
    check('yaml', base, [{op: 'set', path: ['mcpServers', 1], value: {name: 'b', command: 'y', args: ['1']}}], [['  command: x\n', '  command: x\n- name: b\n  command: y\n  args:\n  - "1"\n']]);
  });

  it('fills an empty key', () => {
    check('yaml', 'name: x\nmcpServers:\nversion: 1\n', [{op: 'set', path: ['mcpServers'], value: [{name: 'a', command: 'b'}]}], [['mcpServers:\n', 'mcpServers:\n  - name: a\n    command: b\n']]);
  });
});

const TOML_BASE = [
  '# Codex configuration',
  'model = "o3"',
  '',
  '[mcp_servers.github]',
  'command = "npx"   # pinned',
  'args = ["-y", "@modelcontextprotocol/server-github"]',
  '',
  '[mcp_servers.github.env]',
  'GITHUB_TOKEN = "literal-value"',
  'LOG_LEVEL = "info"',
  '',
  '# Profiles',
  '[profiles.fast]',
  'model = "o4-mini"',
  '',
].join('\n');

describe.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
])('TOML with %s', (_label, eol) => {
  const v = (s: string) => s.split('\n').join(eol);
  const base = v(TOML_BASE);

  it('replaces one env value with a ${NAME} reference', () => {
    check('toml', base, [{op: 'set', path: ['mcp_servers', 'github', 'env', 'GITHUB_TOKEN'], value: '${GITHUB_TOKEN}'}], [['"literal-value"', '"${GITHUB_TOKEN}"']]);
  });

  it('sets a new key in an existing table', () => {
    check('toml', base, [{op: 'set', path: ['mcp_servers', 'github', 'startup_timeout_sec'], value: 20}], [[v('server-github"]\n'), v('server-github"]\nstartup_timeout_sec = 20\n')]]);
  });

  it('adds a new [mcp_servers.x] table after its siblings', () => {
    check(
      'toml',
      base,
      [{op: 'set', path: ['mcp_servers', 'docs'], value: {url: 'https://docs.example.com/mcp', http_headers: {'X-Team': 'core'}}}],
      [[v('LOG_LEVEL = "info"\n\n'), v('LOG_LEVEL = "info"\n\n[mcp_servers.docs]\nurl = "https://docs.example.com/mcp"\n\n[mcp_servers.docs.http_headers]\nX-Team = "core"\n\n')]],
    );
  });

  it('deletes a key with its line', () => {
    check('toml', base, [{op: 'delete', path: ['mcp_servers', 'github', 'env', 'LOG_LEVEL']}], [[v('LOG_LEVEL = "info"\n'), '']]);
  });

  it('deletes a whole server with its sub-tables, keeping the next table’s comment', () => {
    check('toml', base, [{op: 'delete', path: ['mcp_servers', 'github']}], [[v('[mcp_servers.github]\ncommand = "npx"   # pinned\nargs = ["-y", "@modelcontextprotocol/server-github"]\n\n[mcp_servers.github.env]\nGITHUB_TOKEN = "literal-value"\nLOG_LEVEL = "info"\n\n'), '']]);
  });
});

describe('TOML specifics', () => {
  it('edits inside an inline table and keeps indented keys indented', () => {
    const base = '[mcp_servers.a]\n\tcommand = "x"\n\tenv = { A = "1", B = "2" }\n';
    check('toml', base, [{op: 'set', path: ['mcp_servers', 'a', 'env', 'B'], value: '${B}'}], [['"2"', '"${B}"']]);
    check('toml', base, [{op: 'delete', path: ['mcp_servers', 'a', 'env', 'A']}], [['{ A = "1", B = "2" }', '{ B = "2" }']]);
    check('toml', base, [{op: 'set', path: ['mcp_servers', 'a', 'cwd'], value: '/srv'}], [['}\n', '}\n\tcwd = "/srv"\n']]);
  });

  it('adds beside dotted keys instead of redefining their table', () => {
    const base = 'mcp_servers.a.command = "x"\n\n[other]\nk = 1\n';
    check('toml', base, [{op: 'set', path: ['mcp_servers', 'a', 'args'], value: ['1']}], [['"x"\n', '"x"\nmcp_servers.a.args = ["1"]\n']]);
  });

  it('writes a first server into an empty file', () => {
    const empty = parseDocument(emptyText('toml'), 'toml', '/t/config.toml');
    expect(applyEdits(empty, [{op: 'set', path: ['mcp_servers', 'x'], value: {command: 'npx', args: ['-y', 'pkg'], env: {K: 'v'}}}])).toBe(
      '[mcp_servers.x]\ncommand = "npx"\nargs = ["-y", "pkg"]\n\n[mcp_servers.x.env]\nK = "v"\n',
    );
  });
});

describe('unifiedDiff', () => {
  it('shows the change with file headers, and nothing when equal', async () => {
    const before = JSON_BASE;
    const after = before.replace('"literal-value"', '"${GITHUB_TOKEN}"');
    const diff = await unifiedDiff('.mcp.json', before, after);
    expect(diff).toContain('--- .mcp.json');
    expect(diff).toContain('+++ .mcp.json');
    expect(diff).toContain('-        "GITHUB_TOKEN": "literal-value",');
    expect(diff).toContain('+        "GITHUB_TOKEN": "${GITHUB_TOKEN}",');
    expect(await unifiedDiff('.mcp.json', before, before)).toBe('');
  });
});
