/**
 * `mcpx serve` with logins from `mcpx auth`, against real components on 127.0.0.1: an
 * oidc-provider authorization server, an OAuth-protected SDK MCP server, the built CLI with the
 * fake browser, and the SDK's real Client over stdio. The story: login → execute_tool works →
 * the access token expires and is refreshed transparently (rotated refresh token stored) → a
 * token the server rejects is refreshed once → 403 insufficient_scope asks for a new login →
 * logout → the next call says to run `mcpx auth login demo` while a stdio upstream keeps
 * working → a new login works without restarting serve. No token ever reaches serve's output.
 */
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {randomBytes} from 'node:crypto';
import {Server} from '@modelcontextprotocol/sdk/server/index.js';
import {SSEServerTransport} from '@modelcontextprotocol/sdk/server/sse.js';
import {CallToolRequestSchema, ListToolsRequestSchema} from '@modelcontextprotocol/sdk/types.js';
import {readRecord, tokensAccount, writeRecord} from '../../src/auth/storage.js';
import {parseServeConfig} from '../../src/proxy/config.js';
import {createLogger} from '../../src/proxy/log.js';
import {Upstream} from '../../src/proxy/upstream.js';
import {StoredLogin, usesStoredLogin} from '../../src/proxy/oauth.js';
import {expectNoSecrets, makeEnv, runCli, secretsIn} from '../auth/helpers.js';
import {startOAuthServer, type TestOAuthServer} from '../helpers/oauth-server.js';
import {startProtectedMcpServer, type ProtectedMcpServer} from '../helpers/protected-mcp-server.js';
import {FIXTURE, type Proxy, call, ensureBuilt, startProxy, text} from './helpers.js';

// Short enough to watch a refresh, long enough for a loaded CI machine (as in test/auth/story.test.ts).
const TTL = 4;

describe('serve with stored OAuth logins', () => {
  let as: TestOAuthServer;
  let mcp: ProtectedMcpServer;
  let proxy: Proxy;
  /** A second `mcpx serve` on the same login, for concurrent refreshes. */
  let other: Proxy;
  const t = makeEnv();
  const configFile = path.join(t.env.MCPX_HOME!, 'config', 'config.json');
  const results: CallToolResult[] = [];
  const cliOutput: string[] = [];
  const seenSecrets = new Set<string>();
  let logins = 0;

  const refreshes = () => as.requests.filter((r) => r.grantType === 'refresh_token').length;
  const remember = async () => {
    for (const s of await secretsIn(t.store)) seenSecrets.add(s);
  };
  const execute = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await call(proxy.client, 'execute_tool', {name, arguments: args});
    results.push(result);
    return result;
  };
  const login = async () => {
    const run = await runCli(['auth', 'login', 'demo'], t.env);
    cliOutput.push(run.stdout, run.stderr);
    expect(run.code, run.stderr).toBe(0);
    logins++;
    await remember();
  };

  beforeAll(async () => {
    ensureBuilt();
    as = await startOAuthServer({accessTokenTtl: TTL});
    mcp = await startProtectedMcpServer(as);
    // The default config file, so `mcpx auth login demo` finds the same entry serve uses.
    fs.mkdirSync(path.dirname(configFile), {recursive: true});
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        mcpServers: {
          demo: {type: 'http', url: mcp.url, timeout: 15_000},
          local: {command: process.execPath, args: [FIXTURE]},
        },
      }),
    );
    await login();
    [proxy, other] = await Promise.all([startProxy(configFile, t.dir, {MCPX_AUTH_STORE: 'file'}), startProxy(configFile, t.dir, {MCPX_AUTH_STORE: 'file'})]);
  });

  afterAll(async () => {
    await proxy?.close();
    await other?.close();
    await mcp?.close();
    await as?.close();
    fs.rmSync(t.dir, {recursive: true, force: true});
  });

  test('execute_tool on the protected server uses the stored login', async () => {
    const result = await execute('demo__whoami');
    expect(result.isError, text(result)).toBeFalsy();
    expect(text(result)).toBe('sub=alice scope=mcp:tools');
    // The first request went without a token (no 401, no token lookup), the retry with one.
    expect(mcp.stats.rejected).toBeGreaterThanOrEqual(1);
    expect(mcp.stats.accepted).toBeGreaterThanOrEqual(1);
    expect(text(await call(other.client, 'execute_tool', {name: 'demo__whoami', arguments: {}}))).toBe('sub=alice scope=mcp:tools');
  });

  test('an expired token is refreshed before the call, once for two serve processes, the rotated refresh token stored', async () => {
    const before = (await readRecord(t.store, mcp.url))!;
    await new Promise((r) => setTimeout(r, TTL * 1000 + 200));
    const [refreshesBefore, rejectedBefore] = [refreshes(), mcp.stats.rejected];
    // A slow token endpoint makes both processes need the refresh at once. Without the lock both
    // would present the same refresh token, and the AS would revoke the grant on its reuse.
    as.faults.tokenDelayMs = 1500;
    const [result, second] = await Promise.all([execute('demo__whoami'), call(other.client, 'execute_tool', {name: 'demo__whoami', arguments: {}})]).finally(() => {
      as.faults.tokenDelayMs = undefined;
    });
    results.push(second);
    expect(text(result)).toBe('sub=alice scope=mcp:tools');
    expect(text(second)).toBe('sub=alice scope=mcp:tools');
    const after = (await readRecord(t.store, mcp.url))!;
    // The process that waited for the lock found the new token stored and used it.
    expect(refreshes()).toBe(refreshesBefore + 1);
    // Ahead of expiry: the server never saw the expired token.
    expect(mcp.stats.rejected).toBe(rejectedBefore);
    expect(after.tokens.access_token).not.toBe(before.tokens.access_token);
    expect(after.tokens.refresh_token).not.toBe(before.tokens.refresh_token);
    expect((await as.introspect(before.tokens.refresh_token!)).active).toBe(false);
    expect((await as.introspect(after.tokens.refresh_token!)).active).toBe(true);
    await remember();
  });

  test('a token the server rejects although it looks valid is refreshed once and the call retried', async () => {
    await new Promise((r) => setTimeout(r, TTL * 1000 + 200));
    // The store says the (now expired) token is good for an hour: only the server's 401 tells.
    const stale = (await readRecord(t.store, mcp.url))!;
    await writeRecord(t.store, {...stale, expiresAt: Date.now() + 3_600_000});
    const [refreshesBefore, rejectedBefore] = [refreshes(), mcp.stats.rejected];
    const result = await execute('demo__whoami');
    expect(text(result)).toBe('sub=alice scope=mcp:tools');
    expect(mcp.stats.rejected).toBe(rejectedBefore + 1);
    expect(refreshes()).toBe(refreshesBefore + 1);
    expect((await readRecord(t.store, mcp.url))!.tokens.access_token).not.toBe(stale.tokens.access_token);
    await remember();
  });

  test('403 insufficient_scope: a tool error asking for a new login; that login (step-up) is picked up', async () => {
    const result = await execute('demo__admin-op');
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/server 'demo'.*needs more permissions.*Run `mcpx auth login demo` again/s);
    expect((await readRecord(t.store, mcp.url))!.requiredScope?.split(' ')).toContain('mcp:admin');
    // The connection is fine for what the login does allow.
    expect(text(await execute('demo__whoami'))).toBe('sub=alice scope=mcp:tools');
    // The new login asks for the remembered scope; serve uses it from the next call on.
    await login();
    expect(text(await execute('demo__admin-op'))).toBe('admin ok');
    expect(text(await execute('demo__whoami'))).toBe('sub=alice scope=mcp:tools mcp:admin');
  });

  test('after logout: a clear "mcpx auth login demo" error, quickly; the stdio upstream keeps working', async () => {
    const run = await runCli(['auth', 'logout', 'demo'], t.env);
    cliOutput.push(run.stdout, run.stderr);
    expect(run.code, run.stderr).toBe(0);
    for (let i = 0; i < 2; i++) {
      const t0 = Date.now();
      const result = await execute('demo__whoami');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(result.isError).toBe(true);
      expect(text(result)).toMatch(/^server 'demo' needs an OAuth login: .*Run `mcpx auth login demo` in a terminal, then try again\.$/s);
    }
    const servers = (await call(proxy.client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; state: string; lastError?: string}>};
    expect(servers.servers.find((s) => s.name === 'demo')).toMatchObject({state: 'needs-login', lastError: expect.stringContaining('mcpx auth login demo')});
    const echo = await execute('local__echo', {text: 'still here'});
    expect(echo.isError, text(echo)).toBeFalsy();
    expect(text(echo)).toContain('still here');
    // No browser was opened by serve: only the logins' authorization requests reached the AS.
    expect(as.requests.filter((r) => r.path === '/auth').length).toBe(logins);
  });

  test('a new login is picked up by the next call, without restarting serve', async () => {
    await login();
    const result = await execute('demo__whoami');
    expect(result.isError, text(result)).toBeFalsy();
    expect(text(result)).toBe('sub=alice scope=mcp:tools');
    const servers = (await call(proxy.client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; state: string; lastError?: string}>};
    expect(servers.servers.find((s) => s.name === 'demo')).toMatchObject({state: 'ready'});
  });

  test('no token appeared in serve\'s output, the tool results or the CLI output', () => {
    // Three logins' tokens and two refreshes'.
    expect(seenSecrets.size).toBeGreaterThanOrEqual(10);
    expectNoSecrets([proxy.stderr(), other.stderr(), ...cliOutput, ...results.map((r) => JSON.stringify(r))], [...seenSecrets]);
  });
});

describe('StoredLogin', () => {
  // A store selection that fails loudly: any token lookup shows up as this error.
  const env = {MCPX_HOME: '/nonexistent-mcpx-home', MCPX_AUTH_STORE: 'no-such-store'};
  let server: http.Server;
  let base: string;
  let seen: Array<string | undefined> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(req.url === '/open' ? 200 : 401, {'www-authenticate': 'Bearer scope="x"'}).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('is used only for remote servers without an Authorization header', () => {
    expect(usesStoredLogin('http', undefined)).toBe(true);
    expect(usesStoredLogin('sse', {'X-Other': 'y'})).toBe(true);
    expect(usesStoredLogin('http', {authorization: 'Bearer ${TOKEN}'})).toBe(false);
    expect(usesStoredLogin('stdio', undefined)).toBe(false);
  });

  test('the config takes an oauth block for remote servers only, checked field by field', async () => {
    const config = await parseServeConfig(
      JSON.stringify({
        mcpServers: {
          ok: {url: 'https://mcp.example.com/mcp', oauth: {clientId: 'pre-registered', scopes: ['read'], callbackPort: 8765}},
          local: {command: 'node', oauth: {}},
          port: {url: 'https://mcp.example.com/mcp', oauth: {callbackPort: 70_000}},
          typo: {url: 'https://mcp.example.com/mcp', oauth: {clientID: 'x'}},
        },
      }),
      '/tmp/mcpx.json',
    );
    const byName = new Map(config.servers.map((s) => [s.name, s]));
    expect(byName.get('ok')).toMatchObject({oauth: {clientId: 'pre-registered', scopes: ['read'], callbackPort: 8765}});
    expect(byName.get('ok')!.error).toBeUndefined();
    expect(byName.get('local')!.error).toMatch(/field 'oauth': not allowed for a stdio server/);
    expect(byName.get('port')!.error).toMatch(/field 'oauth.callbackPort'/);
    expect(byName.get('typo')!.error).toMatch(/field 'oauth.clientID': unknown field/);
  });

  test('a server that never answers 401 causes no token lookup at all', async () => {
    seen = [];
    const login = new StoredLogin({name: 'open', url: `${base}/open`, env, log: createLogger('error')});
    for (let i = 0; i < 3; i++) expect((await login.fetch(`${base}/open`, {method: 'POST', body: '{}'})).status).toBe(200);
    expect(seen).toEqual([undefined, undefined, undefined]);
  });

  test('a 401 looks the login up (here: the store cannot open), and hints use the URL outside the default config', async () => {
    seen = [];
    const login = new StoredLogin({name: 'locked', url: `${base}/locked`, configFile: '/elsewhere/mcpx.json', env, log: createLogger('error')});
    expect(login.loginTarget).toBe(`${base}/locked`);
    await expect(login.fetch(`${base}/locked`, {method: 'POST', body: '{}'})).rejects.toThrow(/MCPX_AUTH_STORE must be/);
    expect(seen).toEqual([undefined]);
  });
});

describe('an SSE upstream with a stored login (in process)', () => {
  const t = makeEnv();
  const token = randomBytes(24).toString('base64url');
  const sessions = new Map<string, SSEServerTransport>();
  const stats = {rejected: 0, accepted: 0};
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer(async (req, res) => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        stats.rejected++;
        res.writeHead(401, {'www-authenticate': 'Bearer scope="mcp:tools"'}).end();
        return;
      }
      stats.accepted++;
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/sse' && req.method === 'GET') {
        const transport = new SSEServerTransport('/messages', res);
        sessions.set(transport.sessionId, transport);
        const mcp = new Server({name: 'sse-protected', version: '1.0.0'}, {capabilities: {tools: {}}});
        mcp.setRequestHandler(ListToolsRequestSchema, async () => ({tools: [{name: 'ping', inputSchema: {type: 'object', properties: {}}}]}));
        mcp.setRequestHandler(CallToolRequestSchema, async () => ({content: [{type: 'text', text: 'pong'}]}));
        await mcp.connect(transport);
        return;
      }
      const transport = sessions.get(u.searchParams.get('sessionId') ?? '');
      if (u.pathname === '/messages' && transport) await transport.handlePostMessage(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sse`;
    // A login as `mcpx auth login` leaves it (without expiry, so no authorization server is needed).
    await writeRecord(t.store, {version: 1, serverUrl: url, issuer: 'http://127.0.0.1:9/', tokens: {access_token: token, token_type: 'Bearer'}, obtainedAt: Date.now()});
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(t.dir, {recursive: true, force: true});
  });

  test('the token goes on the stream and the posts; without a login the state is needs-login', async () => {
    const log = createLogger('error');
    const upstream = new Upstream(
      {name: 'legacy', transport: 'sse', url, enabled: true, timeout: 5000, startupTimeout: 5000, hash: 'x'},
      {sources: [], log, parentEnv: t.env, configFile: '/somewhere/else.json'},
    );
    try {
      expect(((await upstream.callTool('ping', {})).content as Array<{text: string}>)[0]!.text).toBe('pong');
      // One 401 for the first, tokenless stream request; everything after carried the token.
      expect(stats.rejected).toBe(1);
      expect(stats.accepted).toBeGreaterThanOrEqual(3);
      expect(log.mask(`x ${token} x`)).not.toContain(token);

      await t.store.delete(tokensAccount(url));
      await upstream.reset();
      const t0 = Date.now();
      await expect(upstream.callTool('ping', {})).rejects.toThrow(`server 'legacy' needs an OAuth login: Not logged in for ${url}. Run \`mcpx auth login ${url}\` in a terminal, then try again.`);
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(upstream.state).toBe('needs-login');
      expect(upstream.lastError).toContain(`mcpx auth login ${url}`);
    } finally {
      await upstream.close();
    }
  });
});
