/**
 * The whole story against real components on 127.0.0.1: `mcpx auth login` (built CLI, fake
 * browser as $BROWSER) → `auth status` shows the login but never the token → the SDK's Client
 * works with StoredTokenAuthProvider → the short-lived access token is refreshed transparently
 * (rotated refresh token stored) → `auth logout` revokes at the AS → the next call says to log in.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {StoredTokenAuthProvider} from '../../src/auth/provider.js';
import {readRecord} from '../../src/auth/storage.js';
import {startOAuthServer, type TestOAuthServer} from '../helpers/oauth-server.js';
import {startProtectedMcpServer, type ProtectedMcpServer} from '../helpers/protected-mcp-server.js';
import {expectNoSecrets, makeEnv, root, runCli, secretsIn, waitForBrowserLog, type CliRun} from './helpers.js';

// Short enough to watch a refresh, long enough to survive a loaded CI machine.
const TTL = 4;

describe('auth story', () => {
  let as: TestOAuthServer;
  let mcp: ProtectedMcpServer;
  const t = makeEnv();
  const outputs: CliRun[] = [];
  const seenSecrets = new Set<string>();

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, 'dist/commands/auth/login.js'))) throw new Error('run `npm run build` first');
    as = await startOAuthServer({accessTokenTtl: TTL});
    mcp = await startProtectedMcpServer(as);
    // A config entry, so the story also exercises server names.
    fs.mkdirSync(path.join(t.env.MCPX_HOME!, 'config'), {recursive: true});
    fs.writeFileSync(path.join(t.env.MCPX_HOME!, 'config', 'config.json'), JSON.stringify({mcpServers: {demo: {type: 'http', url: mcp.url}}}));
  });
  afterAll(async () => {
    await mcp?.close();
    await as?.close();
  });

  async function remember(): Promise<void> {
    for (const s of await secretsIn(t.store)) seenSecrets.add(s);
  }

  async function callWhoami(): Promise<string> {
    const {Client} = await import('@modelcontextprotocol/sdk/client/index.js');
    const {StreamableHTTPClientTransport} = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({name: 'story', version: '1'});
    const authProvider = new StoredTokenAuthProvider({serverUrl: mcp.url, serverName: 'demo', store: t.store, env: t.env});
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), {authProvider}));
    try {
      const result = await client.callTool({name: 'whoami', arguments: {}});
      return (result.content as Array<{text: string}>)[0]!.text;
    } finally {
      await client.close();
    }
  }

  test('login through the browser stores tokens (0600 file in a 0700 folder)', async () => {
    const run = await runCli(['auth', 'login', 'demo'], t.env);
    outputs.push(run);
    expect(run.stderr).toContain('/auth?');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Logged in to demo \(scopes: mcp:tools\)/);
    const record = await readRecord(t.store, mcp.url);
    expect(record?.tokens.refresh_token).toBeTruthy();
    // RFC 8414 metadata is tried before OpenID Connect discovery (oidc-provider serves only the latter).
    const paths = as.requests.map((r) => r.path);
    expect(paths.indexOf('/.well-known/oauth-authorization-server')).toBeGreaterThanOrEqual(0);
    expect(paths.indexOf('/.well-known/oauth-authorization-server')).toBeLessThan(paths.indexOf('/.well-known/openid-configuration'));
    expect(paths).toContain('/reg');
    // Fields the SDK's OpenID schema drops are kept for revocation and the iss check.
    expect(record?.discovery?.authorizationServerMetadata).toMatchObject({
      revocation_endpoint: `${as.issuer}/token/revocation`,
      authorization_response_iss_parameter_supported: true,
    });
    expect(record?.discovery?.resourceMetadata?.resource).toBe(mcp.url);
    expect(record?.issuer).toBe(as.issuer);
    const file = t.store.file;
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    // PKCE S256, state and the resource indicator were sent; the verifier was never stored.
    const log = await waitForBrowserLog(t.env, 'callback -> 200');
    expect(log).toContain('callback -> 200');
    const authorize = JSON.parse(/^authorize (.*)$/m.exec(log)![1]!);
    expect(authorize).toMatchObject({code_challenge_method: 'S256', has_code_challenge: true, resource: mcp.url, scope: 'mcp:tools'});
    expect(authorize.state_length).toBeGreaterThanOrEqual(43);
    expect(authorize.redirect_uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(as.requests.find((r) => r.grantType === 'authorization_code')?.resource).toBe(mcp.url);
    expect(fs.readFileSync(file, 'utf8')).not.toMatch(/verifier/i);
    await remember();
  });

  test('status shows the login, never the token', async () => {
    const run = await runCli(['auth', 'status', '--json'], t.env);
    outputs.push(run);
    expect(run.code, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout).result;
    expect(rows).toEqual([
      expect.objectContaining({server: 'demo', url: mcp.url, loggedIn: true, issuer: as.issuer, scopes: ['mcp:tools'], refreshable: true, storage: expect.stringContaining('tokens.json')}),
    ]);
    outputs.push(await runCli(['auth', 'status'], t.env));
    expect(outputs.at(-1)!.stdout).toContain('demo  logged in');
  });

  test('the SDK client calls the server with the stored token', async () => {
    expect(await callWhoami()).toBe('sub=alice scope=mcp:tools');
  });

  test('an expiring access token is refreshed transparently and the rotated refresh token stored', async () => {
    const before = (await readRecord(t.store, mcp.url))!;
    await new Promise((r) => setTimeout(r, TTL * 1000 + 200));
    const refreshesBefore = as.requests.filter((r) => r.grantType === 'refresh_token').length;
    expect(await callWhoami()).toBe('sub=alice scope=mcp:tools');
    const after = (await readRecord(t.store, mcp.url))!;
    // One refresh (another only if the machine is so slow that the new token ages out mid-call).
    expect(as.requests.filter((r) => r.grantType === 'refresh_token').length).toBeGreaterThanOrEqual(refreshesBefore + 1);
    expect(as.requests.filter((r) => r.grantType === 'refresh_token').at(-1)?.resource).toBe(mcp.url);
    expect(after.tokens.access_token).not.toBe(before.tokens.access_token);
    expect(after.tokens.refresh_token).not.toBe(before.tokens.refresh_token);
    // The old refresh token was rotated out at the AS.
    expect((await as.introspect(before.tokens.refresh_token!)).active).toBe(false);
    await remember();
  });

  test('two processes needing a refresh at once both succeed (cross-process lock)', async () => {
    await new Promise((r) => setTimeout(r, TTL * 1000 + 200));
    const refreshesBefore = as.requests.filter((r) => r.grantType === 'refresh_token').length;
    // A slow token endpoint makes the two refreshes overlap for sure.
    as.faults.tokenDelayMs = 1500;
    const runs = await Promise.all([runCli(['auth', 'token', 'demo'], t.env), runCli(['auth', 'token', 'demo'], t.env)]).finally(() => {
      as.faults.tokenDelayMs = undefined;
    });
    // Without the lock both would present the same refresh token; the second use of a rotated
    // refresh token makes the AS revoke the grant, and one of them fails.
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const refreshes = as.requests.filter((r) => r.grantType === 'refresh_token').length - refreshesBefore;
    expect(refreshes).toBeGreaterThanOrEqual(1);
    if (refreshes === 1) expect(runs[0]!.stdout).toBe(runs[1]!.stdout);
    for (const run of runs) expect((await as.introspect(run.stdout.trim())).active).toBe(true);
    await remember();
  });

  test('auth token prints a valid access token for scripts', async () => {
    const run = await runCli(['auth', 'token', 'demo'], t.env);
    expect(run.code, run.stderr).toBe(0);
    const token = run.stdout.trim();
    expect((await as.introspect(token)).active).toBe(true);
    await remember();
  });

  test('logout revokes at the AS and deletes locally; the next call says to log in', async () => {
    const record = (await readRecord(t.store, mcp.url))!;
    const run = await runCli(['auth', 'logout', 'demo'], t.env);
    outputs.push(run);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('refresh token: revoked; access token: revoked');
    expect(as.requests.filter((r) => r.path === '/token/revocation').map((r) => r.tokenTypeHint)).toEqual(['refresh_token', 'access_token']);
    expect((await as.introspect(record.tokens.refresh_token!)).active).toBe(false);
    expect((await as.introspect(record.tokens.access_token)).active).toBe(false);
    expect(await t.store.list()).toEqual([]);
    await expect(callWhoami()).rejects.toMatchObject({code: 'E_AUTH_REQUIRED', hint: 'Run: mcpx auth login demo'});
    const token = await runCli(['auth', 'token', 'demo', '--json'], t.env);
    expect(token.code).toBe(3);
    expect(JSON.parse(token.stdout)).toMatchObject({ok: false, error: {code: 'E_AUTH_REQUIRED', hint: 'Run: mcpx auth login demo'}});
    const status = await runCli(['auth', 'status', '--json'], t.env);
    outputs.push(status);
    expect(JSON.parse(status.stdout).result[0]).toMatchObject({server: 'demo', loggedIn: false});
  });

  test('no token ever appeared in CLI output', () => {
    // At least three access and three refresh tokens: the login's and two refreshes'.
    expect(seenSecrets.size).toBeGreaterThanOrEqual(6);
    expectNoSecrets(outputs.flatMap((o) => [o.stdout, o.stderr]), [...seenSecrets]);
  });
});
