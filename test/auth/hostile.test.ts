/**
 * Hostile and failing logins against the real authorization server: each ends in a clear
 * UserError (stable code), stores no tokens, and prints no secret.
 */
import fs from 'node:fs';
import {describe, expect, test} from 'vitest';
import {login, type LoginOptions} from '../../src/auth/login.js';
import {listRecords, readClient, readRecord} from '../../src/auth/storage.js';
import {getValidAccessToken} from '../../src/auth/tokens.js';
import {UserError} from '../../src/errors.js';
import {PREREGISTERED_CLIENT, startOAuthServer} from '../helpers/oauth-server.js';
import {startProtectedMcpServer} from '../helpers/protected-mcp-server.js';
import {expectNoSecrets, makeEnv, secretsIn, waitForBrowserLog, type TestEnv, useAuthServers} from './helpers.js';

const servers = useAuthServers();

function options(t: TestEnv, extra: Partial<LoginOptions> = {}): LoginOptions {
  return {env: t.env, store: t.store, print: t.print, stdinIsTTY: false, timeoutMs: 15_000, ...extra};
}

async function failingLogin(t: TestEnv, url: string, extra: Partial<LoginOptions> = {}): Promise<UserError> {
  const error = await login(url, options(t, extra)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('login refuses', () => {
  test('a callback with the wrong state', async () => {
    const t = makeEnv({FAKE_BROWSER_MODE: 'tamper-state'});
    const error = await failingLogin(t, servers.mcp.url);
    expect(error.code).toBe('E_AUTH_STATE');
    expect(error.message).toMatch(/state mismatch/);
    expect(await readRecord(t.store, servers.mcp.url)).toBeUndefined();
    expect(await waitForBrowserLog(t.env, 'callback -> 400')).toContain('callback -> 400');
  });

  test('an iss that is not the authorization server (RFC 9207)', async () => {
    const t = makeEnv({FAKE_BROWSER_MODE: 'tamper-iss'});
    const error = await failingLogin(t, servers.mcp.url);
    expect(error.code).toBe('E_AUTH_ISSUER');
    expect(error.message).toContain(servers.as.issuer);
    expect(await readRecord(t.store, servers.mcp.url)).toBeUndefined();
  });

  test('a callback without iss from a server that promised one (RFC 9207)', async () => {
    const t = makeEnv({FAKE_BROWSER_MODE: 'strip-iss'});
    const error = await failingLogin(t, servers.mcp.url);
    expect(error.code).toBe('E_AUTH_ISSUER');
    expect(error.message).toMatch(/unnamed issuer/);
    expect(await readRecord(t.store, servers.mcp.url)).toBeUndefined();
  });

  test('access_denied from the user', async () => {
    const t = makeEnv({FAKE_BROWSER_MODE: 'deny'});
    const error = await failingLogin(t, servers.mcp.url);
    expect(error.code).toBe('E_AUTH_DENIED');
    expect(error.hint).toMatch(/approve/);
    expect(await readRecord(t.store, servers.mcp.url)).toBeUndefined();
  });

  test('an authorization server without S256 PKCE, before registering anything', async () => {
    const plainAs = await startOAuthServer({pkceMethods: ['plain']});
    const plainMcp = await startProtectedMcpServer(plainAs);
    try {
      const t = makeEnv();
      const error = await failingLogin(t, plainMcp.url);
      expect(error.code).toBe('E_AUTH_NO_PKCE');
      expect(plainAs.requests.some((r) => r.path === '/reg' || r.path === '/auth')).toBe(false);
      expect(await t.store.list()).toEqual([]);
    } finally {
      await plainMcp.close();
      await plainAs.close();
    }
  });

  test('a failing dynamic client registration', async () => {
    servers.as.faults.registrationStatus = 400;
    try {
      const t = makeEnv();
      const error = await failingLogin(t, servers.mcp.url);
      expect(error.code).toBe('E_AUTH_OAUTH');
      expect(error.message).toContain('invalid_client_metadata');
      expect(error.hint).toMatch(/oauth\.clientId/);
      expect(await t.store.list()).toEqual([]);
    } finally {
      servers.as.faults.registrationStatus = undefined;
    }
  });

  test('a token endpoint that does not answer', async () => {
    servers.as.faults.tokenDelayMs = 3000;
    try {
      const t = makeEnv({MCPX_AUTH_HTTP_TIMEOUT_MS: '600'});
      const error = await failingLogin(t, servers.mcp.url);
      expect(error.code).toBe('E_AUTH_TIMEOUT');
      expect(error.message).toMatch(/\/token did not answer within 0\.6 s/);
      expect(await readRecord(t.store, servers.mcp.url)).toBeUndefined();
    } finally {
      servers.as.faults.tokenDelayMs = undefined;
    }
  });

  test('a browser that never comes back', async () => {
    const t = makeEnv({FAKE_BROWSER_MODE: 'ignore'});
    const error = await failingLogin(t, servers.mcp.url, {timeoutMs: 400});
    expect(error.code).toBe('E_AUTH_TIMEOUT');
    expect(error.message).toMatch(/No answer from the browser/);
  });

  test('an http:// URL that is not on this machine', async () => {
    const t = makeEnv();
    const error = await failingLogin(t, 'http://servers.mcp.example.com/mcp');
    expect(error.code).toBe('E_INSECURE_URL');
  });
});

describe('discovery', () => {
  test('a 401 without resource_metadata: protected resource metadata is found at the root well-known URL', async () => {
    const otherAs = await startOAuthServer();
    const bare = await startProtectedMcpServer(otherAs, {bareChallenge: true, rootMetadataOnly: true});
    try {
      const t = makeEnv();
      const result = await login(bare.url, options(t));
      expect(result.issuer).toBe(otherAs.issuer);
      expect((await readRecord(t.store, bare.url))?.discovery?.resourceMetadata?.resource).toBe(bare.url);
    } finally {
      await bare.close();
      await otherAs.close();
    }
  });
});

describe('after login', () => {
  test('a pre-registered client id from config: no registration, refresh and revocation use it', async () => {
    const {logout} = await import('../../src/auth/session.js');
    const t = makeEnv();
    fs.mkdirSync(`${t.env.MCPX_HOME}/config`, {recursive: true});
    fs.writeFileSync(`${t.env.MCPX_HOME}/config/config.json`, JSON.stringify({mcpServers: {pre: {type: 'http', url: servers.mcp.url, oauth: {clientId: PREREGISTERED_CLIENT}}}}));
    const registrations = servers.as.requests.filter((r) => r.path === '/reg').length;
    const result = await login('pre', options(t));
    expect(result).toMatchObject({server: 'pre', client: 'preregistered'});
    expect(servers.as.requests.filter((r) => r.path === '/reg').length).toBe(registrations);
    expect((await t.store.list()).filter((a) => a.includes('/client/'))).toEqual([]);
    const fresh = await getValidAccessToken(servers.mcp.url, {store: t.store, env: t.env, oauth: {clientId: PREREGISTERED_CLIENT}, refreshMarginMs: 24 * 3600_000});
    expect((await servers.as.introspect(fresh)).client_id).toBe(PREREGISTERED_CLIENT);
    const [out] = await logout(undefined, {all: true, env: t.env, store: t.store});
    expect(out).toMatchObject({server: 'pre', revocation: {refreshToken: 'revoked', accessToken: 'revoked'}});
    expect((await servers.as.introspect(fresh)).active).toBe(false);
  });

  test('--no-browser prints the URL; a failed second login leaves the first one working', async () => {
    const t = makeEnv();
    const first = await login(servers.mcp.url, options(t));
    expect(first.client).toBe('dynamic');
    expect(first.browser).toBe('browser');
    // Without a browser the URL is printed; nobody visits it, so the login times out.
    const t2 = {...t, printed: [] as string[]};
    const error = await login(servers.mcp.url, {...options(t), print: (l) => t2.printed.push(l), noBrowser: true, timeoutMs: 300}).catch((e: unknown) => e);
    expect((error as UserError).code).toBe('E_AUTH_TIMEOUT');
    expect(t2.printed.join('\n')).toMatch(/Open this URL in a browser to sign in:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/auth\?/);
    // The failed second login left the first one's tokens alone.
    expect((await readRecord(t.store, servers.mcp.url))?.tokens.access_token).toBeTruthy();
    // …including the client registration its refresh token belongs to.
    const secretsBefore = await secretsIn(t.store);
    const refreshed = await getValidAccessToken(servers.mcp.url, {store: t.store, env: t.env, refreshMarginMs: 24 * 3600_000});
    expect((await servers.as.introspect(refreshed)).active).toBe(true);
    expectNoSecrets([...t.printed, ...t2.printed, String((error as Error).message)], [...secretsBefore, ...(await secretsIn(t.store))]);
  });

  test('a revoked refresh token: refresh fails clearly and the dead tokens are deleted', async () => {
    const t = makeEnv();
    await login(servers.mcp.url, options(t));
    const record = (await readRecord(t.store, servers.mcp.url))!;
    const client = (await readClient(t.store, servers.mcp.url, record.issuer))!;
    const secrets = await secretsIn(t.store);
    const res = await fetch(`${servers.as.issuer}/token/revocation`, {
      method: 'POST',
      body: new URLSearchParams({token: record.tokens.refresh_token!, token_type_hint: 'refresh_token', client_id: client.client_id}),
    });
    expect(res.status).toBe(200);
    const error = await getValidAccessToken(servers.mcp.url, {store: t.store, env: t.env, refreshMarginMs: 24 * 3600_000}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('E_AUTH_REQUIRED');
    expect((error as UserError).hint).toBe(`Run: mcpx auth login ${servers.mcp.url}`);
    expect(await listRecords(t.store)).toEqual([]);
    expectNoSecrets([(error as Error).message, String((error as UserError).hint), ...t.printed], secrets);
  });

  test('step-up: a recorded insufficient_scope makes the next login ask for the union', async () => {
    const {recordInsufficientScope} = await import('../../src/auth/step-up.js');
    const t = makeEnv();
    const first = await login(servers.mcp.url, options(t));
    expect(first.scopes).toEqual(['mcp:tools']);
    const {Client} = await import('@modelcontextprotocol/sdk/client/index.js');
    const {StreamableHTTPClientTransport} = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const {StoredTokenAuthProvider} = await import('../../src/auth/provider.js');
    const call = async () => {
      const client = new Client({name: 't', version: '1'});
      await client.connect(new StreamableHTTPClientTransport(new URL(servers.mcp.url), {authProvider: new StoredTokenAuthProvider({serverUrl: servers.mcp.url, store: t.store, env: t.env})}));
      try {
        return await client.callTool({name: 'admin-op', arguments: {}});
      } finally {
        await client.close();
      }
    };
    await expect(call()).rejects.toThrow(/403/);
    const error = await recordInsufficientScope(servers.mcp.url, 'Bearer error="insufficient_scope", scope="mcp:tools mcp:admin"', {store: t.store});
    expect(error.code).toBe('E_AUTH_SCOPE');
    const second = await login(servers.mcp.url, options(t));
    expect(second.scopes).toEqual(['mcp:tools', 'mcp:admin']);
    expect(((await call()).content as Array<{text: string}>)[0]!.text).toBe('admin ok');
  });
});
