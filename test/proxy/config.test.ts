import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ConfigError, configPath, loadServeConfig, parseServeConfig} from '../../src/proxy/config.js';

const parse = (text: string) => parseServeConfig(text, '/tmp/mcpx.json');

describe('mcpx serve config', () => {
  it('reads stdio and remote servers with defaults and options', async () => {
    const cfg = await parse(`{
      // comments are fine
      "mcpServers": {
        "fs": {"command": "node", "args": ["x.js", "\${HOME}"], "env": {"A": "b"}, "timeout": 5000},
        "remote": {"url": "https://example.test/mcp", "headers": {"Authorization": "Bearer \${TOKEN}"}},
        "legacy": {"type": "sse", "url": "https://example.test/sse", "enabled": false},
        "sh": {"type": "streamable-http", "url": "https://example.test/mcp", "allowTools": ["get_*"], "denyTools": ["get_secret"]},
      },
      "options": {"mode": "direct", "startupTimeout": 1000}
    }`);
    expect(cfg.options.mode).toBe('direct');
    const [fsServer, remote, legacy, sh] = cfg.servers;
    expect(fsServer).toMatchObject({name: 'fs', transport: 'stdio', command: 'node', args: ['x.js', '${HOME}'], timeout: 5000, startupTimeout: 1000, enabled: true});
    expect(fsServer!.error).toBeUndefined();
    expect(remote).toMatchObject({transport: 'http', timeout: 60_000, headers: {Authorization: 'Bearer ${TOKEN}'}});
    expect(legacy).toMatchObject({transport: 'sse', enabled: false});
    expect(sh).toMatchObject({transport: 'http', allowTools: ['get_*'], denyTools: ['get_secret']});
  });

  it('fails one server with its name, field and position, keeping the others', async () => {
    const cfg = await parse(`{"mcpServers": {
  "good": {"command": "node"},
  "bad": {"command": "node", "args": "not-an-array"},
  "typo": {"comand": "node"},
  "both": {"command": "x", "url": "https://a.test"},
  "Bad Name": {"command": "node"}
}}`);
    const byName = Object.fromEntries(cfg.servers.map((s) => [s.name, s]));
    expect(byName.good!.error).toBeUndefined();
    expect(byName.bad!.error).toMatch(/server 'bad': field 'args': must be array \(.*mcpx\.json:3:38\)/);
    expect(byName.typo!.error).toMatch(/server 'typo': field 'comand': unknown field/);
    expect(byName.both!.error).toMatch(/server 'both': field 'url': not allowed for a stdio server/);
    expect(byName['Bad Name']!.error).toMatch(/server 'Bad Name': field 'Bad Name': invalid server name|server 'Bad Name'.*invalid server name/);
  });

  it('throws ConfigError with line:column for syntax errors and for a bad top level', async () => {
    await expect(parse('{"mcpServers": {"a": {"command": "x",}},}')).resolves.toBeDefined();
    const syntax = await parse('{"mcpServers": {\n  "a": {"command" "x"}}}').catch((e: unknown) => e);
    expect(syntax).toBeInstanceOf(ConfigError);
    expect((syntax as Error).message).toMatch(/mcpx\.json:2:\d+/);
    await expect(parse('{"servers": {}}')).rejects.toThrow(/missing required field 'mcpServers'.*unknown field|unknown field.*missing required field 'mcpServers'/);
    await expect(parse('{"mcpServers": {}, "options": {"mode": "fast"}}')).rejects.toThrow(/'options.mode': must be one of "search", "direct"/);
  });

  it('hashes the unresolved launch config only', async () => {
    const a = (await parse('{"mcpServers": {"s": {"command": "node", "args": ["${X}"], "timeout": 1}}}')).servers[0]!;
    const b = (await parse('{"mcpServers": {"s": {"args": ["${X}"], "command": "node", "timeout": 2}}}')).servers[0]!;
    const c = (await parse('{"mcpServers": {"s": {"command": "node", "args": ["${Y}"]}}}')).servers[0]!;
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
  });

  it('accepts $schema and validates the shipped schema itself', async () => {
    const cfg = await parse('{"$schema": "../schemas/mcpx-config.schema.json", "mcpServers": {}}');
    expect(cfg.servers).toEqual([]);
    const schema = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../schemas/mcpx-config.schema.json'), 'utf8')) as {$schema: string};
    expect(schema.$schema).toContain('draft-07');
  });

  it('locates the file from --config, MCPX_CONFIG or the mcpx config dir', async () => {
    expect(configPath('/x/c.json', {})).toBe('/x/c.json');
    expect(configPath(undefined, {MCPX_CONFIG: '/y/c.json'})).toBe('/y/c.json');
    expect(configPath(undefined, {MCPX_HOME: '/h'})).toBe(path.join('/h', 'config', 'config.json'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-cfg-'));
    await expect(loadServeConfig(path.join(dir, 'none.json'))).rejects.toThrow(/No mcpx config/);
    fs.rmSync(dir, {recursive: true, force: true});
  });
});
