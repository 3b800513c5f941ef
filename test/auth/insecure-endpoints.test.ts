/**
 * A hostile authorization server whose metadata points one endpoint at plain http on another
 * host (or at file:): login must stop with E_AUTH_INSECURE before any request goes to an
 * endpoint, print or open no authorization URL, and store nothing. The server is a real local
 * HTTP server (loopback only) serving the resource and authorization server metadata.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {login} from '../../src/auth/login.js';
import {readRecord} from '../../src/auth/storage.js';
import {presentAuthorizationUrl} from '../../src/auth/browser.js';
import {UserError} from '../../src/errors.js';
import {makeEnv} from './helpers.js';

let server: http.Server;
let origin: string;
/** Field → URL the next metadata request returns in place of the good endpoint. */
let override: Record<string, string> = {};
let prmServers: string[] | undefined;
const seen: string[] = [];
const held: Record<string, boolean> = {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, {'content-type': 'application/json'});
      res.end(JSON.stringify(body));
    };
    if (req.url === '/mcp') {
      res.writeHead(401, {'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`});
      return res.end();
    }
    if (req.url?.startsWith('/.well-known/oauth-protected-resource')) return json(200, {resource: `${origin}/mcp`, authorization_servers: prmServers ?? [origin]});
    if (req.url?.startsWith('/.well-known/oauth-authorization-server') || req.url?.startsWith('/.well-known/openid-configuration')) {
      return json(200, {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/reg`,
        revocation_endpoint: `${origin}/revoke`,
        jwks_uri: `${origin}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        ...override,
      });
    }
    json(404, {error: 'not_found'});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  const rows = Object.entries(held);
  console.log(`hostile authorization server probes: ${rows.filter(([, h]) => h).length}/${rows.length} held\n` + rows.map(([p, h]) => `  ${h ? 'held  ' : 'FAILED'} ${p}`).join('\n'));
  await new Promise((resolve) => server.close(resolve));
});

async function refused(name: string, field: RegExp): Promise<void> {
  held[name] = false;
  seen.length = 0;
  const t = makeEnv();
  const error = await login(`${origin}/mcp`, {env: t.env, store: t.store, print: t.print, stdinIsTTY: false, timeoutMs: 5_000}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, name).toBeInstanceOf(UserError);
  expect((error as UserError).code, `${name}: ${(error as Error).message}`).toBe('E_AUTH_INSECURE');
  expect((error as UserError).message).toMatch(field);
  // Nothing was registered, exchanged or shown.
  expect(seen.filter((s) => /\/(reg|token|authorize|revoke|jwks)/.test(s))).toEqual([]);
  expect(t.printed.join('\n')).not.toMatch(/authorize|file:/);
  expect(await readRecord(t.store, `${origin}/mcp`)).toBeUndefined();
  held[name] = true;
}

describe('login refuses an authorization server endpoint that is not https', () => {
  const cases: Array<[string, string]> = [
    ['token_endpoint', 'http://as.evil.example/token'],
    ['registration_endpoint', 'http://as.evil.example/reg'],
    ['authorization_endpoint', 'http://as.evil.example/authorize'],
    ['revocation_endpoint', 'http://as.evil.example/revoke'],
    ['jwks_uri', 'http://as.evil.example/jwks'],
  ];
  for (const [field, url] of cases) {
    test(`${field} = ${url}`, async () => {
      override = {[field]: url};
      await refused(`${field} http non-loopback`, new RegExp(field));
    });
  }
  test('authorization_endpoint = file:///etc/passwd', async () => {
    override = {authorization_endpoint: 'file:///etc/passwd'};
    await refused('authorization_endpoint file:', /uses the file: scheme/);
  });
  test('http://localhost.evil.example is not loopback', async () => {
    override = {token_endpoint: 'http://localhost.evil.example/token'};
    await refused('token_endpoint localhost.evil.example', /not loopback/);
  });
  test('an authorization server (issuer) named over plain http on another host is not fetched', async () => {
    override = {};
    prmServers = ['http://as.evil.example'];
    try {
      await refused('issuer http non-loopback', /OAuth endpoint http:\/\/as\.evil\.example/);
    } finally {
      prmServers = undefined;
    }
  });
  test('presentAuthorizationUrl never prints or opens a file: or plain-http URL', async () => {
    held['browser file:'] = false;
    const printed: string[] = [];
    await expect(presentAuthorizationUrl(new URL('file:///etc/passwd'), {print: (l) => printed.push(l), noBrowser: true})).rejects.toThrow(/file: scheme/);
    await expect(presentAuthorizationUrl(new URL('http://as.evil.example/a'), {print: (l) => printed.push(l), noBrowser: true})).rejects.toThrow(/not loopback/);
    expect(printed).toEqual([]);
    held['browser file:'] = true;
  });
});
