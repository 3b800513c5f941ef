import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {filterTools, namespacedName, readCachedCatalog, writeCachedCatalog} from '../../src/proxy/catalog.js';
import {parseServeArgs} from '../../src/proxy/main.js';
import {META_TOOLS, signature} from '../../src/proxy/meta-tools.js';
import {minimalEnv} from '../../src/proxy/stdio-transport.js';
import type {ServerConfig} from '../../src/proxy/config.js';

describe('namespacedName', () => {
  it.each([
    ['github', 'create_issue', 'github__create_issue'],
    ['my.server', 'tool.with.dots', 'my_server__tool_with_dots'],
    ['s', 'a/b c', 's__a_b_c'],
  ])('%s + %s -> %s', (server, tool, expected) => {
    expect(namespacedName(server, tool)).toBe(expected);
  });

  it('keeps long names valid and distinct', () => {
    const a = namespacedName('a-very-long-server-name-indeed', 'an_extremely_long_tool_name_that_goes_on_and_on_1');
    const b = namespacedName('a-very-long-server-name-indeed', 'an_extremely_long_tool_name_that_goes_on_and_on_2');
    for (const n of [a, b]) expect(n).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(a).not.toBe(b);
  });

  it('meta-tool names are valid and their list is small', () => {
    for (const t of META_TOOLS) expect(t.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(JSON.stringify({tools: META_TOOLS}).length).toBeLessThan(1400);
  });
});

describe('filterTools', () => {
  const tools = ['get_issue', 'get_secret', 'create_issue', 'delete_repo'].map((name) => ({name, inputSchema: {type: 'object' as const}}));
  it.each([
    [{}, ['get_issue', 'get_secret', 'create_issue', 'delete_repo']],
    [{allowTools: ['get_*']}, ['get_issue', 'get_secret']],
    [{allowTools: ['get_*'], denyTools: ['get_secret']}, ['get_issue']],
    [{denyTools: ['delete_*', 'create_issue']}, ['get_issue', 'get_secret']],
    [{allowTools: ['get.issue']}, []],
  ])('%j', (cfg, expected) => {
    expect(filterTools(tools, cfg).map((t) => t.name)).toEqual(expected);
  });
});

describe('signature', () => {
  it('summarises required and optional parameters with types', () => {
    expect(
      signature('fs__read', {
        type: 'object',
        properties: {path: {type: 'string'}, head: {type: 'number'}, mode: {enum: ['a', 'b']}, tags: {type: 'array', items: {type: 'string'}}, x: {anyOf: [{type: 'string'}, {type: 'null'}]}},
        required: ['path'],
      }),
    ).toBe('fs__read(path: string, head?: number, mode?: "a"|"b", tags?: string[], x?: string|null)');
  });
});

describe('minimalEnv', () => {
  it('keeps PATH, HOME, locale and drops everything else', () => {
    const env = minimalEnv({PATH: '/bin', HOME: '/h', LANG: 'C', LC_ALL: 'C', GITHUB_TOKEN: 'x', AWS_SECRET_ACCESS_KEY: 'y', BASH_FUNC_x: '() { :; }'});
    expect(env).toEqual({PATH: '/bin', HOME: '/h', LANG: 'C', LC_ALL: 'C'});
  });
});

describe('catalog cache files', () => {
  it('round-trips by config hash and ignores other hashes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-cat-'));
    const server = {name: 's', hash: 'abc'} as ServerConfig;
    const catalog = {hash: 'abc', fetchedAt: 1, tools: [{name: 't', inputSchema: {type: 'object' as const}}], resources: [], resourceTemplates: [], prompts: []};
    await writeCachedCatalog(dir, catalog);
    expect(await readCachedCatalog(dir, server)).toEqual(catalog);
    expect(await readCachedCatalog(dir, {...server, hash: 'other'})).toBeUndefined();
    fs.rmSync(dir, {recursive: true, force: true});
  });
});

describe('parseServeArgs', () => {
  it('reads the flags of mcpx serve', () => {
    expect(parseServeArgs(['--config', 'a.json', '--mode=direct', '--log-level', 'debug', '--log-file', 'x.log'])).toEqual({config: 'a.json', mode: 'direct', logLevel: 'debug', logFile: 'x.log'});
    expect(parseServeArgs(['-c', 'b.json'])).toEqual({config: 'b.json'});
    expect(parseServeArgs(['--http', '127.0.0.1:0', '--http-max-sessions', '5', '--http-session-idle=60', '--http-allow-host', 'a.example', '--http-allow-origin', 'https://a.example', '--http-allow-origin', 'https://b.example'])).toEqual({
      http: '127.0.0.1:0',
      httpOptions: {maxSessions: 5, sessionIdleMs: 60_000, allowedHosts: ['a.example'], allowedOrigins: ['https://a.example', 'https://b.example']},
    });
  });
  it.each([[['--mode', 'fast']], [['--nope']], [['--config']], [['--http-max-sessions', '5']], [['--http', '1', '--http-max-sessions', '0']], [['--http', '1', '--http-session-idle', 'x']]])('rejects %j', (argv) => {
    expect(() => parseServeArgs(argv)).toThrow();
  });
});

describe('normaliseTools', () => {
  it('keeps named tools, adds a missing object type, drops nameless ones with a warning', async () => {
    const {normaliseTools} = await import('../../src/proxy/upstream.js');
    const warnings: string[] = [];
    const tools = normaliseTools(
      [
        {name: 'a', inputSchema: {$schema: 'http://json-schema.org/draft-07/schema#'}},
        {name: 'b'},
        {name: 'c', inputSchema: {type: 'object', properties: {x: {type: 'string'}}}, annotations: {readOnlyHint: true}},
        {description: 'no name'},
        null,
      ],
      (m) => warnings.push(m),
    );
    expect(tools).toEqual([
      {name: 'a', inputSchema: {$schema: 'http://json-schema.org/draft-07/schema#', type: 'object'}},
      {name: 'b', inputSchema: {type: 'object'}},
      {name: 'c', inputSchema: {type: 'object', properties: {x: {type: 'string'}}}, annotations: {readOnlyHint: true}},
    ]);
    expect(warnings).toHaveLength(2);
  });
});

describe('responseId (the id of an oversized line, from its start and end)', () => {
  it.each([
    ['{"result":{"content":[{"type":"text","text":"xxx', 'xxx"}]},"jsonrpc":"2.0","id":1000000007}', 1000000007],
    ['{"jsonrpc":"2.0","id":"a\\"b","result":{"content":', 'xx"}]}}', 'a"b'],
    ['{"id":-3,"jsonrpc":"2.0","error":{"code":1,"message":"xx', 'xx"}}', -3],
    ['{"method":"notifications/message","params":{"data":"xx', 'xx"},"jsonrpc":"2.0"}', undefined],
    ['{"method":"sampling/createMessage","params":{"x":"xx', 'xx"},"jsonrpc":"2.0","id":4}', undefined],
    ['{"result":{"content":"xx', 'xx truncated', undefined],
    ['garbage', 'garbage', undefined],
  ])('%s … %s -> %j', async (head, tail, id) => {
    const {responseId} = await import('../../src/proxy/stdio-transport.js');
    expect(responseId(head, tail)).toBe(id);
  });
});
