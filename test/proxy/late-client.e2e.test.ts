/**
 * A client whose initialize reaches `mcpx serve` after the 2 s serve waits for it (upstreams
 * have started by then, declaring no client capabilities): mcpx warns, reconnects the upstreams
 * so that they declare the client's sampling and roots, and takes the catalogs listed under them
 * from the cache when there are some. The SDK's real Client over stdio (its first message held
 * back), the real server-everything (which lists some tools only to capable clients) and the
 * fixture server.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {CreateMessageRequestSchema, ListRootsRequestSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {FIXTURE, ROOT, call, ensureBuilt, pkgMain, tempHome, text, writeConfig} from './helpers.js';

const node = process.execPath;
const marker = randomBytes(6).toString('hex');
/** Well past serve's 2 s wait, counted from its start (which takes well under a second before it waits). */
const HOLD_MS = 4500;
let home: string;
let config: string;
const open: Array<{close(): Promise<void>}> = [];

/** A stdio client transport that sends its first message (initialize) only after `hold` ms. */
class LateInitialize extends StdioClientTransport {
  private held = false;
  constructor(
    params: ConstructorParameters<typeof StdioClientTransport>[0],
    private readonly hold: number,
  ) {
    super(params);
  }
  override async send(message: JSONRPCMessage): Promise<void> {
    if (!this.held) {
      this.held = true;
      await new Promise((resolve) => setTimeout(resolve, this.hold));
    }
    return super.send(message);
  }
}

async function lateProxy(): Promise<{client: Client; stderr: () => string}> {
  const client = new Client({name: 'late', version: '1.0.0'}, {capabilities: {sampling: {}, roots: {}}});
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({model: `late-model-${marker}`, role: 'assistant', content: {type: 'text', text: 'late but sampled'}}));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({roots: [{uri: `file:///late-${marker}`}]}));
  const transport = new LateInitialize(
    {
      command: node,
      args: [path.join(ROOT, 'bin/run.js'), 'serve', '--config', config, '--log-level', 'info'],
      env: {PATH: process.env.PATH ?? '', HOME: home, MCPX_HOME: path.join(home, 'mcpx')},
      stderr: 'pipe',
      cwd: ROOT,
    },
    HOLD_MS,
  );
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await client.connect(transport);
  open.push(client);
  return {client, stderr: () => err};
}

/** Poll describe_tool until it knows `name` (the catalog listed under the client's capabilities is in). */
async function knows(client: Client, name: string, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
    if (!(await call(client, 'describe_tool', {name})).isError) return true;
  }
  return false;
}

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
  // Pinning on (the default): server-everything lists its sampling tools only after the
  // reconnect; that listing is still its first use, so they are trusted, not held (docs/pinning.md).
  config = writeConfig(home, {everything: {command: node, args: [pkgMain('@modelcontextprotocol/server-everything'), 'stdio']}, fixture: {command: node, args: [FIXTURE]}});
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  if (home) fs.rmSync(home, {recursive: true, force: true});
});

it('a late client gets its capabilities declared: upstreams are reconnected and list again', async () => {
  const {client, stderr} = await lateProxy();
  // server-everything lists this tool only to a client with sampling.
  expect(await knows(client, 'everything__trigger-sampling-request', 20_000), stderr()).toBe(true);
  const sampled = await call(client, 'execute_tool', {name: 'everything__trigger-sampling-request', arguments: {prompt: 'hi', maxTokens: 3}});
  expect(sampled.isError, text(sampled)).toBeFalsy();
  expect(text(sampled)).toContain(`late-model-${marker}`);
  const roots = await call(client, 'execute_tool', {name: 'fixture__ask_client', arguments: {method: 'roots/list'}});
  expect(roots.isError, text(roots)).toBeFalsy();
  expect(text(roots)).toContain(`file:///late-${marker}`);
  expect(stderr()).toMatch(/the client's initialize came more than 2 s after mcpx began starting servers, so they were started without its capabilities \(sampling, roots\); reconnecting (everything, fixture|fixture, everything) to declare them/);
  // Pinned with the rest of the server's first use: nothing held, and the store has the union.
  const status = (await call(client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; held?: unknown}>};
  expect(status.servers.find((s) => s.name === 'everything')?.held).toBeUndefined();
  expect(stderr()).not.toContain('held for review');
  const pins = JSON.parse(fs.readFileSync(path.join(home, 'mcpx', 'config', 'pins.json'), 'utf8')) as {servers: Record<string, {tools: Record<string, unknown>; held?: unknown}>};
  expect(Object.keys(pins.servers.everything!.tools)).toContain('trigger-sampling-request');
  expect(pins.servers.everything!.held).toBeUndefined();
}, 60_000);

it('with a warm cache, the catalogs listed under its capabilities are taken from the cache, nothing started', async () => {
  const {client, stderr} = await lateProxy();
  expect(await knows(client, 'everything__trigger-sampling-request', 5000), stderr()).toBe(true);
  const status = (await call(client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; cached: boolean; state: string}>};
  expect(status.servers.find((s) => s.name === 'everything')).toMatchObject({cached: true, state: 'idle'});
  expect(stderr()).toContain("the client's initialize came more than 2 s after");
}, 60_000);
