/**
 * Requests from upstream servers to the client (sampling, elicitation, roots), end to end: the
 * SDK's real Client as the downstream client, declaring those capabilities with handlers that
 * answer recognisable values, and the real server-everything as upstream, connected directly and
 * through `mcpx serve` (parity); the small fixture server for cancellation and for requests a
 * client without the capability must never get; and the catalog cache keyed by capabilities.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {type CallToolResult, CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FIXTURE, type Proxy, call, ensureBuilt, pkgMain, startDirect, startProxy, tempHome, text, waitFor, writeConfig} from './helpers.js';

const node = process.execPath;
const EVERYTHING = [pkgMain('@modelcontextprotocol/server-everything'), 'stdio'];
/** server-everything registers these only for a client that declares the capability. */
const CONDITIONAL = ['trigger-sampling-request', 'trigger-elicitation-request', 'trigger-url-elicitation', 'get-roots-list'];
const marker = randomBytes(6).toString('hex');

/** A client declaring sampling, elicitation and roots, recording what it was asked. */
function capableClient(name: string) {
  const seen: Array<{method: string; params: unknown}> = [];
  const state = {roots: [{uri: `file:///work/first-${marker}`, name: 'first'}], cancelled: [] as string[]};
  const client = new Client({name, version: '1.0.0'}, {capabilities: {sampling: {}, elicitation: {form: {}, url: {}}, roots: {listChanged: true}}});
  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    seen.push({method: request.method, params: request.params});
    const first = request.params.messages[0]?.content;
    const asked = first && 'text' in first ? first.text : '';
    const progressToken = request.params._meta?.progressToken;
    if (asked === 'report progress' && progressToken !== undefined) {
      // Progress for the request it was asked, as a client that takes a while would send it.
      await extra.sendNotification({method: 'notifications/progress', params: {progressToken, progress: 1, total: 2, message: `thinking ${marker}`}});
      await extra.sendNotification({method: 'notifications/progress', params: {progressToken, progress: 2, total: 2}});
      // Answering takes a while: the server reads the progress before the answer. (An SDK server
      // that reads both in one chunk handles the answer first and drops the progress.)
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return {model: `test-model-${marker}`, role: 'assistant', content: {type: 'text', text: `sampled (${asked})`}};
  });
  client.setRequestHandler(ElicitRequestSchema, async (request, extra) => {
    seen.push({method: request.method, params: request.params});
    if (request.params.message === 'wait until cancelled') {
      // Answers only by being cancelled: the forwarded cancellation must reach this signal.
      await new Promise((_resolve, reject) =>
        extra.signal.addEventListener('abort', () => {
          state.cancelled.push(String(extra.signal.reason));
          reject(new Error('cancelled'));
        }),
      );
    }
    return {action: 'accept', content: {name: `Ada ${marker}`, check: true}};
  });
  client.setRequestHandler(ListRootsRequestSchema, async (request) => {
    seen.push({method: request.method, params: request.params});
    return {roots: state.roots};
  });
  return {client, seen, state};
}

let home: string;
let config: string;
let direct: ReturnType<typeof capableClient>;
let viaMcpx: ReturnType<typeof capableClient>;
let proxy: Proxy;
const extra: Array<{close(): Promise<void>}> = [];

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  config = writeConfig(home, {everything: {command: node, args: EVERYTHING}, fixture: {command: node, args: [FIXTURE]}});
  direct = capableClient('direct');
  viaMcpx = capableClient('via-mcpx');
  await Promise.all([startDirect(node, EVERYTHING, {}, direct.client), (async () => (proxy = await startProxy(config, home, {}, ['--log-level', 'debug'], viaMcpx.client)))()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([direct?.client.close(), proxy?.close(), ...extra.map((c) => c.close())]);
  fs.rmSync(home, {recursive: true, force: true});
});

const exec = (p: Proxy, name: string, args: Record<string, unknown> = {}) => call(p.client, 'execute_tool', {name, arguments: args});
const lines = (r: CallToolResult) => text(r);

describe('a client with sampling, elicitation and roots', () => {
  it('sees the capability-dependent tools through mcpx, as directly', async () => {
    const tools = (await direct.client.listTools()).tools;
    for (const name of CONDITIONAL) expect(tools.map((t) => t.name)).toContain(name);
    for (const name of CONDITIONAL) {
      const r = await call(proxy.client, 'describe_tool', {name: `everything__${name}`});
      expect(r.isError, lines(r)).toBeFalsy();
      expect((r.structuredContent as {inputSchema: unknown}).inputSchema).toEqual(tools.find((t) => t.name === name)!.inputSchema);
    }
    const status = (await call(proxy.client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; tools: number}>};
    expect(status.servers.find((s) => s.name === 'everything')!.tools).toBe(tools.length);
  });

  it('sampling: the upstream gets what the client answered', async () => {
    const args = {prompt: `hello ${marker}`, maxTokens: 7};
    const viaDirect = (await direct.client.callTool({name: 'trigger-sampling-request', arguments: args})) as CallToolResult;
    const via = await exec(proxy, 'everything__trigger-sampling-request', args);
    expect(via).toEqual(viaDirect);
    expect(lines(via)).toContain(`test-model-${marker}`);
    expect(lines(via)).toContain(`sampled (Resource trigger-sampling-request context: hello ${marker})`);
    const asked = viaMcpx.seen.filter((s) => s.method === 'sampling/createMessage').at(-1)!.params as {maxTokens: number};
    expect(asked.maxTokens).toBe(7);
  });

  it('elicitation: the upstream gets what the client answered', async () => {
    const viaDirect = (await direct.client.callTool({name: 'trigger-elicitation-request', arguments: {}})) as CallToolResult;
    const via = await exec(proxy, 'everything__trigger-elicitation-request');
    expect(via).toEqual(viaDirect);
    expect(lines(via)).toContain(`- Name: Ada ${marker}`);
  });

  it('roots: the upstream gets the client roots', async () => {
    const viaDirect = (await direct.client.callTool({name: 'get-roots-list', arguments: {}})) as CallToolResult;
    const via = await exec(proxy, 'everything__get-roots-list');
    expect(via).toEqual(viaDirect);
    expect(lines(via)).toContain(`file:///work/first-${marker}`);
  });

  it('roots/list_changed reaches the upstream, which asks for the new roots', async () => {
    for (const c of [direct, viaMcpx]) {
      c.state.roots = [{uri: `file:///work/second-${marker}`, name: 'second'}];
      await c.client.sendRootsListChanged();
    }
    const sees = async (get: () => Promise<CallToolResult>) => {
      for (const end = Date.now() + 5000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
        if (lines(await get()).includes(`second-${marker}`)) return true;
      }
      return false;
    };
    expect(await sees(async () => (await direct.client.callTool({name: 'get-roots-list', arguments: {}})) as CallToolResult)).toBe(true);
    expect(await sees(() => exec(proxy, 'everything__get-roots-list'))).toBe(true);
  });

  // The fixture's first request to its client has id 0, which the SDK's own cancellation handling skips.
  it('the upstream cancelling its request cancels it at the client', async () => {
    const r = await exec(proxy, 'fixture__ask_client', {method: 'elicitation/create', params: {message: 'wait until cancelled', requestedSchema: {type: 'object', properties: {}}}, cancelAfterMs: 300});
    expect(r.isError).toBe(true);
    expect(await waitFor(() => viaMcpx.state.cancelled.length > 0, 5000)).toBe(true);
    expect(viaMcpx.state.cancelled[0]).toMatch(/fixture gave up/);
  });

  it('progress the client sends for a forwarded request reaches the upstream, under the upstream\'s token', async () => {
    const params = {messages: [{role: 'user', content: {type: 'text', text: 'report progress'}}], maxTokens: 5};
    const r = await exec(proxy, 'fixture__ask_client', {method: 'sampling/createMessage', params, progress: true});
    expect(r.isError, lines(r)).toBeFalsy();
    const got = r.structuredContent as {result: {model: string}; progress: unknown[]};
    expect(got.result.model).toBe(`test-model-${marker}`);
    // The fixture's SDK only reports progress that carries the token it put in its request.
    expect(got.progress).toEqual([
      {progress: 1, total: 2, message: `thinking ${marker}`},
      {progress: 2, total: 2},
    ]);
    // The client was asked under a token of mcpx's own, not the upstream's.
    const asked = viaMcpx.seen.filter((s) => s.method === 'sampling/createMessage').at(-1)!.params as {_meta?: {progressToken?: unknown}};
    expect(typeof asked._meta?.progressToken).toBe('number');
  });

  it('an error from the client goes back to the upstream as a JSON-RPC error', async () => {
    const r = await exec(proxy, 'fixture__ask_client', {method: 'sampling/createMessage', params: {messages: 'not a list', maxTokens: 1}});
    expect(r.isError).toBe(true);
    // The SDK client's own error (its schema check, code -32603) reaches the upstream as it sent it.
    expect((r.structuredContent as {error: {code: number}}).error.code).toBe(-32603);
    expect(text(r)).toMatch(/^MCP error -32603: .*expected array, received string/s);
  });
});

describe('a client without those capabilities', () => {
  let bare: Proxy;
  let bareDirect: Client;

  beforeAll(async () => {
    // The capable proxy above cached everything's catalog (with the conditional tools) under its capabilities.
    const cached = fs.readdirSync(path.join(home, 'mcpx/cache/serve')).filter((f) => /^catalog-[0-9a-f]+-[0-9a-f]{12}\.json$/.test(f));
    expect(cached.length).toBeGreaterThan(0);
    [bare, bareDirect] = await Promise.all([startProxy(config, home, {}, ['--mode', 'direct']), startDirect(node, EVERYTHING)]);
    extra.push(bare, bareDirect);
  }, 60_000);

  it('sees no capability-dependent tools (not even from the cache the capable client left)', async () => {
    const expected = (await bareDirect.listTools()).tools.map((t) => `everything__${t.name}`).sort();
    const listed = (await bare.client.listTools()).tools.map((t) => t.name).filter((n) => n.startsWith('everything__')).sort();
    expect(listed).toEqual(expected);
    for (const name of CONDITIONAL) expect(listed).not.toContain(`everything__${name}`);
  });

  it.each([
    ['sampling/createMessage', 'sampling', {messages: [{role: 'user', content: {type: 'text', text: 'hi'}}], maxTokens: 1}],
    ['elicitation/create', 'elicitation', {message: 'name?', requestedSchema: {type: 'object', properties: {}}}],
    ['roots/list', 'roots', {}],
  ])('%s sent anyway gets a clear error at once', async (method, cap, params) => {
    const started = Date.now();
    const r = await call(bare.client, 'fixture__ask_client', {method, params});
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.isError).toBe(true);
    expect((r.structuredContent as {error: {code: number}}).error.code).toBe(-32601);
    expect(text(r)).toContain(`${method} is not available: the client connected to mcpx did not declare the '${cap}' capability`);
  });

  it('a capable client again gets its own cached catalog without starting anything', async () => {
    const again = capableClient('again');
    const p = await startProxy(config, home, {}, [], again.client);
    extra.push(p);
    for (const name of CONDITIONAL) expect((await call(p.client, 'describe_tool', {name: `everything__${name}`})).isError).toBeFalsy();
    const status = (await call(p.client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; cached: boolean; state: string}>};
    expect(status.servers.find((s) => s.name === 'everything')).toMatchObject({cached: true, state: 'idle'});
  });
});
