import {describe, expect, it} from 'vitest';
import {invalidConfigRule} from '../../../src/lint/rules/invalid-config.js';
import {parseErrorRule} from '../../../src/lint/rules/parse-error.js';
import {lintText, where} from '../../helpers/lint.js';

const rules = [invalidConfigRule, parseErrorRule];

describe('invalid-config and parse-error', () => {
  it('stays silent on a well-formed config', async () => {
    const text = JSON.stringify({mcpServers: {a: {command: 'npx', args: ['x@1.0.0']}, b: {url: 'https://x.example'}}});
    expect(await lintText({file: '.mcp.json', text, rules})).toEqual([]);
  });

  it('reports mcpServers that is an array, with its position', async () => {
    const findings = await lintText({file: '.mcp.json', text: '{\n  "mcpServers": [\n    {"command": "x"}\n  ]\n}', rules});
    expect(where(findings)).toEqual(['invalid-config@2:17']);
    expect(findings[0]!.message).toContain('must be an object');
  });

  it('reports entries of the wrong shape', async () => {
    const text = '{"mcpServers": {"a": "npx x", "b": {"args": ["x"]}, "c": {"command": "x", "args": "x y"}}}';
    const messages = (await lintText({file: '.mcp.json', text, rules})).map((f) => f.message);
    expect(messages).toEqual([
      'server "a" must be an object, not a string',
      'server "b" has neither "command" nor "url"',
      'server "c": "args" must be an array',
    ]);
  });

  it('reports duplicate keys', async () => {
    const findings = await lintText({file: '.mcp.json', text: '{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}}}', rules});
    expect(findings.map((f) => f.message)).toEqual(['duplicate key "a" (the last one wins)']);
  });

  it('reports parse errors with line and column, per format', async () => {
    expect(where(await lintText({file: '.mcp.json', text: '{\n  "mcpServers": {,}\n}', rules}))).toEqual(['parse-error@2:18']);
    expect(where(await lintText({file: '.mcp.json', text: '{\n  // comment\n  "mcpServers": {}\n}', rules}))).toEqual(['parse-error@2:3']);
    expect(where(await lintText({file: '.cursor/mcp.json', text: '{\n  // comments are fine in JSONC\n  "mcpServers": {},\n}', rules}))).toEqual([]);
    expect(where(await lintText({file: 'x.toml', text: '[mcp_servers.a]\ncommand = "x\n', rules}))).toEqual(['parse-error@2:13']);
  });
});
