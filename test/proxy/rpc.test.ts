/**
 * The JSON-RPC layer of `mcpx serve` (src/proxy/rpc.ts) on its own: requests with timeouts,
 * cancellation and progress, answers matched by id, and the stdio channel's handling of lines
 * that are not JSON-RPC.
 */
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {ErrorCode, Requester, RpcError, type RpcMessage, StdioServerChannel} from '../../src/proxy/rpc.js';

/** A Requester whose sent messages are collected. */
function requester(firstId = 100) {
  const sent: RpcMessage[] = [];
  const r = new Requester(async (m) => void sent.push(m), firstId);
  return {r, sent};
}

describe('Requester', () => {
  it('matches answers by id, from its own id range', async () => {
    const {r, sent} = requester(1_000);
    const a = r.request('tools/call', {name: 'a'});
    const b = r.request('tools/call', {name: 'b'});
    expect(sent.map((m) => (m as {id: number}).id)).toEqual([1_000, 1_001]);
    expect(r.handle({jsonrpc: '2.0', id: 1_001, result: {v: 'b'}})).toBe(true);
    expect(r.handle({jsonrpc: '2.0', id: 1_000, error: {code: -32602, message: 'bad name'}})).toBe(true);
    await expect(b).resolves.toEqual({v: 'b'});
    await expect(a).rejects.toMatchObject({code: -32602, message: 'MCP error -32602: bad name'});
    // Not ours (another layer's id, or already answered): left for the caller.
    expect(r.handle({jsonrpc: '2.0', id: 3, result: {}})).toBe(false);
    expect(r.handle({jsonrpc: '2.0', id: 1_000, result: {}})).toBe(false);
    expect(r.size).toBe(0);
  });

  it('times out, tells the other side, and ignores a late answer', async () => {
    const {r, sent} = requester();
    const p = r.request('slow', {}, {timeout: 30});
    await expect(p).rejects.toMatchObject({code: ErrorCode.RequestTimeout});
    expect(sent[1]).toEqual({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: 100, reason: 'timed out'}});
    expect(r.handle({jsonrpc: '2.0', id: 100, result: {}})).toBe(false);
  });

  it('progress re-arms the timeout and reaches the caller', async () => {
    const {r, sent} = requester();
    const seen: unknown[] = [];
    const p = r.request('long', {x: 1, _meta: {keep: true}}, {timeout: 80, onprogress: (pr) => seen.push(pr)});
    expect(sent[0]).toMatchObject({params: {x: 1, _meta: {keep: true, progressToken: 100}}});
    for (let i = 1; i <= 4; i++) {
      await new Promise((res) => setTimeout(res, 50));
      expect(r.handle({jsonrpc: '2.0', method: 'notifications/progress', params: {progressToken: 100, progress: i, total: 4, message: `step ${i}`}})).toBe(true);
    }
    // 200 ms in all, longer than the 80 ms timeout, but never 80 ms without progress.
    r.handle({jsonrpc: '2.0', id: 100, result: {done: true}});
    await expect(p).resolves.toEqual({done: true});
    expect(seen).toHaveLength(4);
    expect(seen[3]).toEqual({progress: 4, total: 4, message: 'step 4'});
    // Progress for a token nobody waits for is not ours.
    expect(r.handle({jsonrpc: '2.0', method: 'notifications/progress', params: {progressToken: 999, progress: 1}})).toBe(false);
  });

  it('an abort cancels upstream and rejects at once', async () => {
    const {r, sent} = requester();
    const ac = new AbortController();
    const p = r.request('long', {}, {signal: ac.signal});
    ac.abort(new Error('user pressed stop'));
    await expect(p).rejects.toMatchObject({name: 'AbortError'});
    expect(sent[1]).toEqual({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: 100, reason: 'user pressed stop'}});
    await expect(r.request('x', {}, {signal: ac.signal})).rejects.toMatchObject({name: 'AbortError'});
  });

  it('failAll rejects everything pending; a failed send rejects its request', async () => {
    const {r} = requester();
    const p = r.request('a', {});
    r.failAll(new RpcError(ErrorCode.ConnectionClosed, 'Connection closed'));
    await expect(p).rejects.toMatchObject({code: ErrorCode.ConnectionClosed});
    const broken = new Requester(async () => {
      throw new Error('EPIPE');
    });
    await expect(broken.request('a', {})).rejects.toThrow('EPIPE');
    expect(broken.size).toBe(0);
  });
});

describe('StdioServerChannel', () => {
  async function channel() {
    const input = new PassThrough();
    const output = new PassThrough();
    const ch = new StdioServerChannel(input, output);
    const got: RpcMessage[] = [];
    const errors: string[] = [];
    ch.onmessage = (m) => got.push(m);
    ch.onerror = (e) => errors.push(e.message);
    await ch.start();
    let out = '';
    output.setEncoding('utf8');
    output.on('data', (d: string) => (out += d));
    const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    return {ch, input, got, errors, lines};
  }

  it('reads messages split across chunks and several in one chunk', async () => {
    const {input, got} = await channel();
    input.write('{"jsonrpc":"2.0","id":1,"meth');
    input.write('od":"ping"}\n{"jsonrpc":"2.0","method":"notifications/initialized"}\r\n\n');
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([
      {jsonrpc: '2.0', id: 1, method: 'ping'},
      {jsonrpc: '2.0', method: 'notifications/initialized'},
    ]);
  });

  it('answers a line that is not JSON, or not JSON-RPC, with an error and goes on', async () => {
    const {input, got, errors, lines} = await channel();
    input.write('hello there\n{"id":7,"method":"ping"}\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n');
    await new Promise((r) => setImmediate(r));
    expect(lines()).toEqual([
      {jsonrpc: '2.0', id: null, error: {code: -32700, message: 'Parse error: not JSON'}},
      {jsonrpc: '2.0', id: 7, error: {code: -32600, message: 'Invalid request: not a JSON-RPC 2.0 message'}},
    ]);
    expect(got).toEqual([{jsonrpc: '2.0', id: 2, method: 'ping'}]);
    expect(errors[0]).toMatch(/unreadable message from the client/);
  });

  it('refuses to send once closed', async () => {
    const {ch} = await channel();
    let closed = 0;
    ch.onclose = () => closed++;
    await ch.close();
    await ch.close();
    expect(closed).toBe(1);
    await expect(ch.send({jsonrpc: '2.0', method: 'x'})).rejects.toThrow('Not connected');
  });
});
