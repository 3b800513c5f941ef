/**
 * Where tokens go: the real keychain (a private gnome-keyring from test/setup/keyring.ts) when
 * one answers, else the 0600 file with a warning shown once. Both through the built CLI.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import {describe, expect, inject, test} from 'vitest';
import {StoredTokenAuthProvider} from '../../src/auth/provider.js';
import {readRecord, selectStore} from '../../src/auth/storage.js';
import {expectNoSecrets, makeEnv, runCli, useAuthServers} from './helpers.js';

const keychain = inject('keychain');

test.skipIf(process.platform !== 'linux')('without a keychain the file store is used, with a warning shown once', async () => {
  const t = makeEnv();
  delete t.env.MCPX_AUTH_STORE;
  delete t.env.DBUS_SESSION_BUS_ADDRESS;
  const first = await runCli(['auth', 'status'], t.env);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stderr).toMatch(/Warning: No OS keychain is available: OAuth tokens are kept in .*tokens\.json \(mode 0600\)/);
  const second = await runCli(['auth', 'status'], t.env);
  expect(second.stderr).not.toMatch(/Warning/);
  const forced = await runCli(['auth', 'status', '--json'], {...t.env, MCPX_AUTH_STORE: 'keychain'});
  expect(forced.code).toBe(2);
  expect(JSON.parse(forced.stdout).error.code).toBe('E_NO_KEYCHAIN');
});

describe.skipIf(!keychain.available)(`tokens in the keychain${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  const servers = useAuthServers();

  test('login, use and logout keep tokens in the keychain only', async () => {
    const t = makeEnv({DBUS_SESSION_BUS_ADDRESS: keychain.busAddress!, MCPX_KEYCHAIN_SERVICE: `mcpx-test-auth-${randomBytes(4).toString('hex')}`});
    delete t.env.MCPX_AUTH_STORE;
    const login = await runCli(['auth', 'login', servers.mcp.url], t.env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Tokens are stored in Secret Service keychain');
    expect(fs.existsSync(t.store.file)).toBe(false);

    const {store} = await selectStore(t.env);
    expect(store.kind).toBe('keychain');
    const record = (await readRecord(store, servers.mcp.url))!;
    expect(record.tokens.refresh_token).toBeTruthy();

    const {Client} = await import('@modelcontextprotocol/sdk/client/index.js');
    const {StreamableHTTPClientTransport} = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({name: 'k', version: '1'});
    await client.connect(new StreamableHTTPClientTransport(new URL(servers.mcp.url), {authProvider: new StoredTokenAuthProvider({serverUrl: servers.mcp.url, store, env: t.env})}));
    expect(((await client.callTool({name: 'whoami', arguments: {}})).content as Array<{text: string}>)[0]!.text).toBe('sub=alice scope=mcp:tools');
    await client.close();

    const status = await runCli(['auth', 'status', '--json'], t.env);
    expect(JSON.parse(status.stdout).result[0]).toMatchObject({loggedIn: true, storage: 'Secret Service keychain (D-Bus)'});
    const logout = await runCli(['auth', 'logout', '--all'], t.env);
    expect(logout.stdout).toContain('refresh token: revoked');
    expect(await store.list()).toEqual([]);
    expectNoSecrets([login, status, logout].flatMap((r) => [r.stdout, r.stderr]), [record.tokens.access_token, record.tokens.refresh_token!]);
  });
});
