/**
 * `mcpx serve` at the JSON-RPC level, driven by raw lines on stdin (what a client that is not the
 * SDK may send): version negotiation, malformed messages, unknown methods, bad params. Every
 * answer must be a JSON-RPC response and the proxy must keep serving.
 */
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FIXTURE, ROOT, ensureBuilt, tempHome, writeConfig} from './helpers.js';

let home: string;
let child: ChildProcessWithoutNullStreams;
let out = '';

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
  const cfg = writeConfig(home, {good: {command: process.execPath, args: [FIXTURE]}});
  child = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), 'serve', '--config', cfg, '--log-level', 'error'], {
    env: {PATH: process.env.PATH ?? '', HOME: home, MCPX_HOME: path.join(home, 'mcpx')},
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
});

afterAll(() => {
  child?.stdin.end();
  fs.rmSync(home, {recursive: true, force: true});
});

/** Write `line` and wait for the answer with `id` (null for errors about unreadable lines). */
async function exchange(line: string, id: number | string | null): Promise<Record<string, unknown>> {
  const before = out.length;
  child.stdin.write(line + '\n');
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    for (const l of out.slice(before).split('\n').filter(Boolean)) {
      const m = JSON.parse(l) as Record<string, unknown>;
      if (m.id === id) return m;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no answer with id ${id} to ${line}; output: ${out}`);
}
const req = (id: number | string, method: string, params?: unknown) => JSON.stringify({jsonrpc: '2.0', id, method, ...(params === undefined ? {} : {params})});

describe('mcpx serve speaks JSON-RPC 2.0', () => {
  it('negotiates the protocol version: a supported one is kept, an unknown one gets the latest', async () => {
    const old = await exchange(req(1, 'initialize', {protocolVersion: '2024-11-05', capabilities: {}, clientInfo: {name: 'raw', version: '1'}}), 1);
    expect(old.result).toMatchObject({protocolVersion: '2024-11-05', serverInfo: {name: 'mcpx'}, capabilities: {tools: {listChanged: true}}});
    expect((old.result as {instructions: string}).instructions).toMatch(/mcpx connects 1 MCP server: good/);
    const future = await exchange(req(2, 'initialize', {protocolVersion: '2099-01-01', capabilities: {}, clientInfo: {name: 'raw', version: '1'}}), 2);
    expect(future.result).toMatchObject({protocolVersion: '2025-11-25'});
    child.stdin.write(JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}) + '\n');
  });

  it.each([
    ['a line that is not JSON', '{"jsonrpc": "2.0", "id": 5, "method": "ping"', null, -32700],
    ['an object that is not JSON-RPC', '{"id": 6, "method": "ping"}', 6, -32600],
    ['an unknown method', req(7, 'tools/frobnicate'), 7, -32601],
    ['params that are not an object', JSON.stringify({jsonrpc: '2.0', id: 8, method: 'tools/call', params: [1]}), 8, -32602],
    ['tools/call without a name', req(9, 'tools/call', {arguments: {}}), 9, -32602],
    ['tools/call with array arguments', req(10, 'tools/call', {name: 'search_tools', arguments: ['x']}), 10, -32602],
    ['an unknown prompt', req(11, 'prompts/get', {name: 'nope'}), 11, -32602],
  ])('%s gets a JSON-RPC error', async (_label, line, id, code) => {
    const answer = await exchange(line, id);
    expect(answer).toMatchObject({jsonrpc: '2.0', id, error: {code}});
    expect(answer).not.toHaveProperty('result');
  });

  it('keeps serving afterwards: ping, tools/list, a tool call', async () => {
    expect(await exchange(req(20, 'ping'), 20)).toEqual({jsonrpc: '2.0', id: 20, result: {}});
    const list = await exchange(req(21, 'tools/list'), 21);
    expect((list.result as {tools: Array<{name: string}>}).tools.map((t) => t.name)).toEqual(['search_tools', 'describe_tool', 'execute_tool', 'list_servers']);
    const call = await exchange(req('s-22', 'tools/call', {name: 'execute_tool', arguments: {name: 'good__echo', arguments: {text: 'still here'}}}), 's-22');
    expect(call.result).toMatchObject({content: [{type: 'text', text: 'still here'}]});
  });
});
