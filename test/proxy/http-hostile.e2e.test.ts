/**
 * `mcpx serve --http` against a hostile HTTP client: Host and Origin checks (DNS rebinding),
 * no session without initialize, a session cap with idle expiry, and a bounded soak on
 * loopback that shows flat memory.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {hostAllowed, originAllowed} from '../../src/proxy/http.js';
import {FIXTURE, type HttpServe, ensureBuilt, startHttpServe, tempHome, text, waitFor, writeConfig} from './helpers.js';
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js';

const CAP = 20;
const token = 'st' + randomBytes(16).toString('hex');
let home: string;
let serve: HttpServe;
let url: string;
let port: number;

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  const cfg = writeConfig(home, {fx: {command: process.execPath, args: [FIXTURE]}});
  serve = await startHttpServe(cfg, home, token, ['--log-level', 'debug', '--http-max-sessions', String(CAP), '--http-session-idle', '2', '--http-allow-origin', 'https://app.example.com']);
  url = serve.url;
  port = Number(new URL(url).port);
}, 30_000);

afterAll(() => {
  serve?.kill();
  fs.rmSync(home, {recursive: true, force: true});
});

const auth = {Authorization: `Bearer ${token}`};
const json = {'Content-Type': 'application/json', Accept: 'application/json, text/event-stream'};
const initialize = (id = 1) => JSON.stringify({jsonrpc: '2.0', id, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'soak', version: '1'}}});
const toolsList = JSON.stringify({jsonrpc: '2.0', id: 2, method: 'tools/list'});

/** One raw HTTP/1.1 request (so that Host can be doubled or forged); resolves the status code. */
function raw(headers: string[], body = initialize()): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d) => {
      got += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (m) {
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', reject);
    const lines = ['POST /mcp HTTP/1.1', ...headers, `Authorization: Bearer ${token}`, 'Content-Type: application/json', 'Accept: application/json, text/event-stream', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
    socket.write(lines.join('\r\n') + '\r\n\r\n' + body);
  });
}

/** VmRSS of the serve process in MB. */
function rssMb(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${serve.proc.pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

/** The session count serve last logged ("(N of CAP open)"). */
function loggedSessions(): number {
  const all = [...serve.stderr().matchAll(/\((\d+) of \d+ open\)/g)];
  return Number(all.at(-1)?.[1] ?? -1);
}

async function post(body: string, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(url, {method: 'POST', headers: {...auth, ...json, ...headers}, body});
  await res.arrayBuffer();
  return res;
}

describe('Host and Origin checks', () => {
  it('accepts exactly one loopback Host with the listening port (table)', () => {
    const cases: Array<[string[] | undefined, boolean]> = [
      [['127.0.0.1:8765'], true],
      [['localhost:8765'], true],
      [['LOCALHOST:8765'], true],
      [['[::1]:8765'], true],
      [['127.0.0.1:8766'], false],
      [['127.0.0.1'], false],
      [['evil.example:8765'], false],
      [['localhost.evil.example:8765'], false],
      [['127.0.0.1:8765', 'evil.example'], false],
      [[], false],
      [undefined, false],
      [['mcp.example.com'], true], // configured
    ];
    for (const [values, ok] of cases) expect([values, hostAllowed(values, 8765, ['mcp.example.com'])]).toEqual([values, ok]);
    expect(hostAllowed(['localhost'], 80)).toBe(true);
  });

  it('accepts no Origin, loopback origins and configured ones only (table)', () => {
    const cases: Array<[string[] | undefined, boolean]> = [
      [undefined, true],
      [['http://127.0.0.1:3000'], true],
      [['http://localhost'], true],
      [['https://[::1]:8443'], true],
      [['https://app.example.com'], true], // configured
      [['https://evil.example'], false],
      [['http://localhost.evil.example'], false],
      [['null'], false],
      [['file://'], false],
      [['http://127.0.0.1:3000/path'], false],
      [['http://127.0.0.1', 'https://evil.example'], false],
    ];
    for (const [values, ok] of cases) expect([values, originAllowed(values, ['https://app.example.com'])]).toEqual([values, ok]);
  });

  it('refuses a cross-origin request with a valid token (403), serves loopback and configured origins', async () => {
    expect((await post(initialize(), {Origin: 'https://evil.example'})).status).toBe(403);
    expect((await post(initialize(), {Origin: 'null'})).status).toBe(403);
    expect((await post(initialize(), {Origin: 'http://localhost:3000'})).status).toBe(200);
    expect((await post(initialize(), {Origin: 'https://app.example.com'})).status).toBe(200);
  });

  it('refuses two Host headers, a foreign Host and a wrong port (403)', async () => {
    expect(await raw([`Host: 127.0.0.1:${port}`])).toBe(200);
    expect(await raw([`Host: 127.0.0.1:${port}`, 'Host: evil.example'])).toBe(403);
    expect(await raw(['Host: evil.example', `Host: 127.0.0.1:${port}`])).toBe(403);
    expect(await raw([`Host: evil.example:${port}`])).toBe(403);
    expect(await raw([`Host: 127.0.0.1:${port + 1}`])).toBe(403);
    expect(await raw([])).toBe(400); // HTTP/1.1 without Host: Node itself refuses it
  });

  it('still serves the SDK client (Origin absent, loopback Host)', async () => {
    const client = new Client({name: 'http-hostile', version: '1.0.0'});
    await client.connect(new StreamableHTTPClientTransport(new URL(url), {requestInit: {headers: auth}}));
    const r = (await client.callTool({name: 'execute_tool', arguments: {name: 'fx__echo', arguments: {text: 'guarded'}}})) as CallToolResult;
    expect(text(r)).toBe('guarded');
    await client.close();
  });
});

describe('sessions', () => {
  it('opens no session for a request without a session id that is not initialize', async () => {
    const before = loggedSessions();
    const res = await fetch(url, {method: 'POST', headers: {...auth, ...json}, body: toolsList});
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('send initialize first');
    expect((await fetch(url, {method: 'GET', headers: {...auth, Accept: 'text/event-stream'}})).status).toBe(400);
    expect(loggedSessions()).toBe(before);
  });

  it('closes an idle session after --http-session-idle; its id then gets 404', async () => {
    const res = await post(initialize());
    const sid = res.headers.get('mcp-session-id')!;
    expect(sid).toBeTruthy();
    // Every session this file opened so far is idle: all of them expire, this one with them.
    expect(await waitFor(() => /expired after 2 s idle/.test(serve.stderr()) && loggedSessions() === 0, 8000)).toBe(true);
    expect((await post(toolsList, {'Mcp-Session-Id': sid})).status).toBe(404);
  });

  it('keeps at most --http-max-sessions: the least recently used idle one gives way', async () => {
    const first = (await post(initialize())).headers.get('mcp-session-id')!;
    for (let i = 0; i < CAP; i++) await post(initialize());
    expect(loggedSessions()).toBe(CAP);
    expect((await post(toolsList, {'Mcp-Session-Id': first})).status).toBe(404);
  });
});

describe('soak (loopback, bounded)', () => {
  it('2,000 requests without a session and 500 abandoned sessions leave memory flat and the count at the cap', async () => {
    const started = Date.now();
    // Initialize requests run 10 at a time: more than the cap at once would find every slot busy (503).
    const batch = async (n: number, body: () => string, expectStatus: number, width = expectStatus === 200 ? 10 : 50) => {
      for (let i = 0; i < n; i += width) {
        const statuses = await Promise.all(Array.from({length: Math.min(width, n - i)}, async () => (await post(body())).status));
        expect(new Set(statuses)).toEqual(new Set([expectStatus]));
      }
    };
    // Warm up (JIT, pools, V8 sizing its heap: the first round grows RSS by ~35 MB either way), then measure.
    // Before sessions were bounded, every such round grew RSS by ~50 MB, without end; now ~5-15 MB, then flat.
    await batch(1000, () => toolsList, 400);
    await batch(250, () => initialize(), 200);
    const before = rssMb();
    await batch(2000, () => toolsList, 400);
    await batch(500, () => initialize(), 200);
    const after = rssMb();
    const sessions = loggedSessions();
    console.log(`soak: RSS ${before.toFixed(1)} MB -> ${after.toFixed(1)} MB (+${(after - before).toFixed(1)} MB), ${sessions} sessions open (cap ${CAP}), ${Date.now() - started} ms`);
    expect(sessions).toBe(CAP);
    expect(after - before).toBeLessThan(30);
  }, 30_000);
});
