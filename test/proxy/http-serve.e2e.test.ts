/** `mcpx serve --http 127.0.0.1:PORT`: loopback Streamable HTTP behind a bearer token, same tools, clean shutdown. */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FIXTURE, type HttpServe, alive, ensureBuilt, startHttpServe, tempHome, text, waitFor, writeConfig} from './helpers.js';
import {type CallToolResult, ListRootsRequestSchema} from '@modelcontextprotocol/sdk/types.js';
import {parseListen} from '../../src/proxy/http.js';

const token = 'st' + randomBytes(16).toString('hex');
let home: string;
let serve: HttpServe;
let url: string;

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  const cfg = writeConfig(home, {fx: {command: process.execPath, args: [FIXTURE]}});
  serve = await startHttpServe(cfg, home, token);
  url = serve.url;
}, 30_000);

afterAll(() => {
  serve?.kill();
  fs.rmSync(home, {recursive: true, force: true});
});

describe('mcpx serve --http', () => {
  it('accepts only loopback listen addresses', () => {
    expect(parseListen('127.0.0.1:8765')).toEqual({host: '127.0.0.1', port: 8765});
    expect(parseListen('[::1]:1')).toEqual({host: '::1', port: 1});
    expect(() => parseListen('0.0.0.0:80')).toThrow(/only listens on loopback/);
    expect(() => parseListen('nonsense')).toThrow(/HOST:PORT/);
  });

  it('rejects requests without the bearer token', async () => {
    const res = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'});
    expect(res.status).toBe(401);
    expect(serve.stderr()).not.toContain(token);
  });

  it('serves the meta-tools and runs upstream tools for an authenticated client', async () => {
    const client = new Client({name: 'http-test', version: '1.0.0'});
    await client.connect(new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: {Authorization: `Bearer ${token}`}}}));
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('execute_tool');
    const r = (await client.callTool({name: 'execute_tool', arguments: {name: 'fx__echo', arguments: {text: 'over http'}}})) as CallToolResult;
    expect(text(r)).toBe('over http');
    await client.close();
  });

  it('forwards no server-to-client requests, even to a client that declares the capability', async () => {
    const client = new Client({name: 'http-test', version: '1.0.0'}, {capabilities: {roots: {}}});
    let asked = 0;
    client.setRequestHandler(ListRootsRequestSchema, async () => (asked++, {roots: []}));
    await client.connect(new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: {Authorization: `Bearer ${token}`}}}));
    const r = (await client.callTool({name: 'execute_tool', arguments: {name: 'fx__ask_client', arguments: {method: 'roots/list'}}})) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('roots/list is not available: mcpx serve --http does not forward requests from servers to its clients');
    expect(asked).toBe(0);
    await client.close();
  });

  it('ends its children on SIGTERM', async () => {
    const client = new Client({name: 'http-test', version: '1.0.0'});
    await client.connect(new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: {Authorization: `Bearer ${token}`}}}));
    const status = ((await client.callTool({name: 'list_servers', arguments: {}})) as CallToolResult).structuredContent as {servers: Array<{pid?: number}>};
    const pid = status.servers[0]!.pid!;
    expect(alive(pid)).toBe(true);
    serve.proc.kill('SIGTERM');
    expect(await waitFor(() => serve.proc.exitCode !== null && !alive(pid), 8000)).toBe(true);
  });
});
