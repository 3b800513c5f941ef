/**
 * Parity: the same tool calls run directly against real upstream servers (from npm) and through
 * `mcpx serve`, in search mode (execute_tool) and direct mode; the results must be identical.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {CallToolResult, Tool} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FIXTURE, type Proxy, call, ensureBuilt, pkgMain, startDirect, startProxy, tempHome, writeConfig} from './helpers.js';

interface Upstream {
  server: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
}

let home: string;
let ups: Upstream[];
const direct = new Map<string, Client>();
let search: Proxy;
let directMode: Proxy;

// Calls whose results are deterministic; stateful ones run in the same order on both sides.
const CALLS: Array<[server: string, tool: string, args: Record<string, unknown>]> = [
  ['everything', 'echo', {message: 'hello parity'}],
  ['everything', 'get-sum', {a: 2, b: 40}],
  ['everything', 'get-structured-content', {location: 'Chicago'}],
  ['everything', 'get-tiny-image', {}],
  ['everything', 'get-annotated-message', {messageType: 'error', includeImage: false}],
  ['filesystem', 'list_allowed_directories', {}],
  ['filesystem', 'list_directory', {path: '@DATA'}],
  ['filesystem', 'read_text_file', {path: '@DATA/hello.txt'}],
  ['filesystem', 'read_text_file', {path: '/etc/passwd'}], // outside the allowed dir: an upstream tool error
  ['memory', 'create_entities', {entities: [{name: 'mcpx', entityType: 'tool', observations: ['aggregates MCP servers']}]}],
  ['memory', 'search_nodes', {query: 'mcpx'}],
  ['memory', 'read_graph', {}],
  ['fixture', 'add', {a: 1.5, b: 2}],
  ['fixture', 'fail', {}],
];

function argsFor(a: Record<string, unknown>, data: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(a).replaceAll('@DATA', data)) as Record<string, unknown>;
}

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  const data = path.join(home, 'data');
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(data, 'hello.txt'), 'hello from a file\n');
  const memDirect = path.join(home, 'memory-direct.jsonl');
  const memProxy = path.join(home, 'memory-proxy.jsonl');
  const memProxy2 = path.join(home, 'memory-proxy2.jsonl');
  ups = [
    {server: 'everything', command: process.execPath, args: [pkgMain('@modelcontextprotocol/server-everything'), 'stdio']},
    {server: 'filesystem', command: process.execPath, args: [pkgMain('@modelcontextprotocol/server-filesystem'), data]},
    {server: 'memory', command: process.execPath, args: [pkgMain('@modelcontextprotocol/server-memory')], env: {MEMORY_FILE_PATH: memDirect}},
    {server: 'fixture', command: process.execPath, args: [FIXTURE]},
  ];
  const servers = (mem: string) =>
    Object.fromEntries(ups.map((u) => [u.server, {command: u.command, args: u.args, ...(u.env ? {env: {MEMORY_FILE_PATH: mem}} : {})}]));
  const [s, d] = await Promise.all([
    startProxy(writeConfig(fs.mkdtempSync(path.join(home, 'a-')), servers(memProxy)), home),
    startProxy(writeConfig(fs.mkdtempSync(path.join(home, 'b-')), servers(memProxy2), {mode: 'direct'}), home),
    ...ups.map(async (u) => direct.set(u.server, await startDirect(u.command, u.args, u.env))),
  ]);
  search = s as Proxy;
  directMode = d as Proxy;
}, 60_000);

afterAll(async () => {
  await Promise.all([search?.close(), directMode?.close(), ...[...direct.values()].map((c) => c.close())]);
  fs.rmSync(home, {recursive: true, force: true});
});

describe('parity with real upstream servers', () => {
  it('search mode lists only the small meta-tools', async () => {
    const {tools} = await search.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['search_tools', 'describe_tool', 'execute_tool', 'list_servers']);
    for (const t of tools) expect(t.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });

  it('direct mode lists every upstream tool under <server>__<tool> with its schema unchanged', async () => {
    const expected: Tool[] = [];
    for (const u of ups) for (const t of (await direct.get(u.server)!.listTools()).tools) expected.push({...t, name: `${u.server}__${t.name}`});
    const {tools} = await directMode.client.listTools();
    expect(tools.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('describe_tool returns the upstream input schema', async () => {
    for (const u of ups) {
      const t = (await direct.get(u.server)!.listTools()).tools[0]!;
      const r = await call(search.client, 'describe_tool', {name: `${u.server}__${t.name}`});
      expect(r.isError).toBeFalsy();
      expect((r.structuredContent as {inputSchema: unknown}).inputSchema).toEqual(t.inputSchema);
    }
  });

  it.each(CALLS.map((c, i) => [i, ...c] as const))('call %i %s.%s gives the same result directly, via execute_tool and in direct mode', async (_i, server, tool, rawArgs) => {
    const data = path.join(home, 'data');
    const args = argsFor(rawArgs, data);
    const viaDirect = (await direct.get(server)!.callTool({name: tool, arguments: args})) as CallToolResult;
    const viaSearch = await call(search.client, 'execute_tool', {name: `${server}__${tool}`, arguments: args});
    const viaDirectMode = await call(directMode.client, `${server}__${tool}`, args);
    expect(viaSearch).toEqual(viaDirect);
    expect(viaDirectMode).toEqual(viaDirect);
  });

  it('search_tools ranks upstream tools and summarises parameters', async () => {
    const r = await call(search.client, 'search_tools', {query: 'read text file', limit: 5});
    const hits = (r.structuredContent as {tools: Array<{name: string; server: string; tool: string; description: string}>}).tools;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.length).toBeLessThanOrEqual(5);
    expect(hits.map((h) => h.name)).toContain('filesystem__read_text_file');
    for (const h of hits) expect(h.name).toBe(`${h.server}__${h.tool}`);
    expect(r.content[0]).toMatchObject({type: 'text'});
    expect((r.content[0] as {text: string}).text).toMatch(/filesystem__read_text_file\(path: string/);
  });

  it('passes resources and prompts through', async () => {
    const direct1 = direct.get('everything')!;
    const union = [];
    for (const u of ups) {
      const caps = direct.get(u.server)!.getServerCapabilities();
      if (caps?.resources) union.push(...(await direct.get(u.server)!.listResources()).resources);
    }
    const pr = await search.client.listResources();
    expect(pr.resources).toEqual(union);
    const uri = (await direct1.listResources()).resources[0]!.uri;
    expect(await search.client.readResource({uri})).toEqual(await direct1.readResource({uri}));
    const memory = direct.get('memory')!;
    const memUri = (await memory.listResources()).resources[0]!.uri;
    expect((await search.client.readResource({uri: memUri})).contents[0]!.uri).toBe(memUri);
    const prompts = await search.client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain('everything__simple-prompt');
    const got = await search.client.getPrompt({name: 'everything__simple-prompt'});
    expect(got).toEqual(await direct1.getPrompt({name: 'simple-prompt'}));
  });

  it('tells the model which servers exist and how to use the meta-tools', () => {
    const text = search.client.getInstructions() ?? '';
    for (const u of ups) expect(text).toContain(u.server);
    expect(text).toMatch(/search_tools/);
    expect(text).toMatch(/execute_tool/);
  });
});
