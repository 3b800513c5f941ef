/**
 * Remote upstreams through `mcpx serve`: Streamable HTTP and SSE servers on 127.0.0.1 (the SDK's
 * real server transports) that demand a bearer token given as `${VAR}` in the headers, and
 * re-initialisation after the HTTP server loses our session (404).
 */
import {randomBytes, randomUUID} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type {AddressInfo} from 'node:net';
import {Server} from '@modelcontextprotocol/sdk/server/index.js';
import {SSEServerTransport} from '@modelcontextprotocol/sdk/server/sse.js';
import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {CallToolRequestSchema, ListToolsRequestSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Proxy, call, ensureBuilt, startProxy, tempHome, text, writeConfig} from './helpers.js';

const token = 'ht' + randomBytes(16).toString('hex');
let home: string;
let httpServer: http.Server;
let base: string;
let proxy: Proxy;
const sessions = new Map<string, StreamableHTTPServerTransport>();
const sseSessions = new Map<string, SSEServerTransport>();
let initializeCount = 0;

function mcpServer(kind: string): Server {
  const s = new Server({name: `remote-${kind}`, version: '1.0.0'}, {capabilities: {tools: {}}});
  s.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{name: 'whoami', description: `Say which transport (${kind}) served the call`, inputSchema: {type: 'object', properties: {}}}],
  }));
  s.setRequestHandler(CallToolRequestSchema, async () => ({content: [{type: 'text', text: kind}]}));
  return s;
}

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  httpServer = http.createServer(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/mcp') {
      const sid = req.headers['mcp-session-id'] as string | undefined;
      if (sid) {
        const t = sessions.get(sid);
        if (!t) {
          res.writeHead(404).end(JSON.stringify({jsonrpc: '2.0', error: {code: -32001, message: 'Session not found'}, id: null}));
          return;
        }
        await t.handleRequest(req, res);
        return;
      }
      initializeCount++;
      const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, t),
      });
      await mcpServer('http').connect(t);
      await t.handleRequest(req, res);
      return;
    }
    if (url.pathname === '/sse' && req.method === 'GET') {
      const t = new SSEServerTransport('/messages', res);
      sseSessions.set(t.sessionId, t);
      await mcpServer('sse').connect(t);
      return;
    }
    if (url.pathname === '/messages' && req.method === 'POST') {
      const t = sseSessions.get(url.searchParams.get('sessionId') ?? '');
      if (!t) {
        res.writeHead(404).end();
        return;
      }
      await t.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const cfg = writeConfig(home, {
    web: {type: 'http', url: `${base}/mcp`, headers: {Authorization: 'Bearer ${MCPX_REMOTE_TOKEN}'}},
    legacy: {type: 'sse', url: `${base}/sse`, headers: {Authorization: 'Bearer ${MCPX_REMOTE_TOKEN}'}},
    wrongtoken: {url: `${base}/mcp`, headers: {Authorization: 'Bearer nope'}},
    // No header: the token comes from the login `mcpx auth` stored for this URL.
    loggedin: {url: `${base}/mcp?via=login`},
    nologin: {url: `${base}/mcp?via=none`},
  });
  // What `mcpx auth login` leaves behind (file store; the keychain is tested elsewhere).
  const authEnv = {MCPX_HOME: path.join(home, 'mcpx'), HOME: home};
  const {FileStore} = await import('../../src/auth/file-store.js');
  const {authDir, writeRecord} = await import('../../src/auth/storage.js');
  await writeRecord(new FileStore(path.join(authDir(authEnv), 'tokens.json')), {
    version: 1,
    serverUrl: `${base}/mcp?via=login`,
    issuer: base,
    tokens: {access_token: token, token_type: 'Bearer'},
    obtainedAt: Date.now(),
  });
  proxy = await startProxy(cfg, home, {MCPX_REMOTE_TOKEN: token, MCPX_AUTH_STORE: 'file'});
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  httpServer?.closeAllConnections();
  await new Promise((r) => httpServer?.close(r));
  fs.rmSync(home, {recursive: true, force: true});
});

describe('remote upstreams', () => {
  it('calls a Streamable HTTP server and an SSE server with resolved headers', async () => {
    expect(text(await call(proxy.client, 'execute_tool', {name: 'web__whoami', arguments: {}}))).toBe('http');
    expect(text(await call(proxy.client, 'execute_tool', {name: 'legacy__whoami', arguments: {}}))).toBe('sse');
  });

  it('reports an HTTP error clearly, without the header value', async () => {
    const r = await call(proxy.client, 'execute_tool', {name: 'wrongtoken__whoami', arguments: {}});
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/server 'wrongtoken' failed to start: .*401|server 'wrongtoken'.*(401|unauthorized|Unauthorized)/i);
    expect(proxy.stderr()).not.toContain(token);
  });

  it('uses the OAuth login stored by mcpx auth for a server without an Authorization header', async () => {
    expect(text(await call(proxy.client, 'execute_tool', {name: 'loggedin__whoami', arguments: {}}))).toBe('http');
    const r = await call(proxy.client, 'execute_tool', {name: 'nologin__whoami', arguments: {}});
    expect(r.isError).toBe(true);
    // The config is not mcpx's default one, where `mcpx auth` looks names up: the hint gives the URL.
    expect(text(r)).toMatch(/server 'nologin' needs an OAuth login: .*Run `mcpx auth login http:\/\/127\.0\.0\.1:\d+\/mcp\?via=none` in a terminal/);
  });

  it('re-initialises when the server lost the session (HTTP 404)', async () => {
    const before = initializeCount;
    sessions.clear();
    expect(text(await call(proxy.client, 'execute_tool', {name: 'web__whoami', arguments: {}}))).toBe('http');
    expect(initializeCount).toBe(before + 1);
  });
});
