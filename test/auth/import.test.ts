/**
 * Reusing an mcp-remote login: its token and client files (laid out as mcp-remote keeps them)
 * are imported on request, bound to the discovered authorization server, and work for calls
 * and refreshes; without the flag, a non-interactive login only mentions them.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {login} from '../../src/auth/login.js';
import {authStatus} from '../../src/auth/session.js';
import {deleteServerState, readClient, readRecord} from '../../src/auth/storage.js';
import {getValidAccessToken} from '../../src/auth/tokens.js';
import {expectNoSecrets, makeEnv, secretsIn, useAuthServers} from './helpers.js';

const servers = useAuthServers();

test('an mcp-remote login is imported with --import-mcp-remote and then refreshes', async () => {
  const t = makeEnv();
  // Obtain real tokens, then move them into mcp-remote's layout and forget them in mcpx.
  await login(servers.mcp.url, {env: t.env, store: t.store, print: t.print, stdinIsTTY: false});
  const record = (await readRecord(t.store, servers.mcp.url))!;
  const client = (await readClient(t.store, servers.mcp.url, record.issuer))!;
  const secrets = await secretsIn(t.store);
  const dir = path.join(t.dir, '.mcp-auth', 'mcp-remote-0.1.29');
  fs.mkdirSync(dir, {recursive: true});
  const hash = createHash('md5').update(servers.mcp.url).digest('hex');
  const {issuer: _i, ...rawTokens} = record.tokens;
  const {issuer: _c, ...rawClient} = client;
  fs.writeFileSync(path.join(dir, `${hash}_tokens.json`), JSON.stringify(rawTokens, null, 2));
  fs.writeFileSync(path.join(dir, `${hash}_client_info.json`), JSON.stringify(rawClient, null, 2));
  await deleteServerState(t.store, servers.mcp.url);

  // Without the flag and without a terminal: only a note, then the usual browser login.
  const noted = await login(servers.mcp.url, {env: t.env, store: t.store, print: t.print, stdinIsTTY: false});
  expect(noted.client).toBe('dynamic');
  expect(t.printed.join('\n')).toContain('pass --import-mcp-remote to reuse it');
  await deleteServerState(t.store, servers.mcp.url);

  const authRequests = servers.as.requests.filter((r) => r.path === '/auth').length;
  const imported = await login(servers.mcp.url, {env: t.env, store: t.store, print: t.print, stdinIsTTY: false, importMcpRemote: true});
  expect(imported).toMatchObject({client: 'mcp-remote', browser: 'none', issuer: servers.as.issuer, refreshable: true});
  expect(servers.as.requests.filter((r) => r.path === '/auth').length).toBe(authRequests);
  expect((await readRecord(t.store, servers.mcp.url))!.tokens.access_token).toBe(record.tokens.access_token);
  const rows = await authStatus({env: t.env, store: t.store});
  expect(rows[0]).toMatchObject({loggedIn: true, source: 'mcp-remote'});

  // The imported refresh token and client registration work together.
  const fresh = await getValidAccessToken(servers.mcp.url, {store: t.store, env: t.env, refreshMarginMs: 24 * 3600_000});
  expect(fresh).not.toBe(record.tokens.access_token);
  expect((await servers.as.introspect(fresh)).active).toBe(true);
  expectNoSecrets([...t.printed, JSON.stringify(rows), JSON.stringify(imported)], [...secrets, ...(await secretsIn(t.store))]);
});
