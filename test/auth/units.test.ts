/**
 * The auth building blocks on their own: target resolution, $BROWSER parsing, scope union,
 * expiry margins, the file store's modes, the lock, the callback server's
 * one-shot checks, and finding mcp-remote's files.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {browserCommand, presentAuthorizationUrl} from '../../src/auth/browser.js';
import {startCallbackServer} from '../../src/auth/callback-server.js';
import {withLock} from '../../src/util/lock.js';
import {unionScopes} from '../../src/auth/login.js';
import {findMcpRemoteLogin} from '../../src/auth/mcp-remote.js';
import {recordFromTokens} from '../../src/auth/storage.js';
import {resolveTarget} from '../../src/auth/targets.js';
import {needsRefresh} from '../../src/auth/tokens.js';
import {makeEnv} from './helpers.js';

function writeConfig(env: NodeJS.ProcessEnv, config: unknown): void {
  const dir = path.join(env.MCPX_HOME!, 'config');
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
}

describe('targets', () => {
  test('names resolve through mcpx config, URLs pick up a matching entry', async () => {
    const {env} = makeEnv();
    writeConfig(env, {mcpServers: {linear: {type: 'http', url: 'https://mcp.linear.app/mcp', oauth: {clientId: 'abc', scopes: ['read'], callbackPort: 8765}}, local: {command: 'x'}}});
    expect(await resolveTarget('linear', env)).toEqual({name: 'linear', url: 'https://mcp.linear.app/mcp', oauth: {clientId: 'abc', scopes: ['read'], callbackPort: 8765}});
    expect((await resolveTarget('https://mcp.linear.app/mcp', env)).name).toBe('linear');
    expect(await resolveTarget('https://other.example/mcp', env)).toEqual({url: 'https://other.example/mcp', oauth: {}});
  });

  test('unknown names suggest, bad fields and insecure URLs are refused', async () => {
    const {env} = makeEnv();
    writeConfig(env, {mcpServers: {linear: {url: 'https://mcp.linear.app/mcp'}, bad: {url: 'https://x.example', oauth: {callbackPort: 'x'}}}});
    await expect(resolveTarget('linar', env)).rejects.toThrow(/Did you mean 'linear'/);
    await expect(resolveTarget('local', makeEnv().env)).rejects.toThrow(/No remote server named "local"/);
    writeConfig(env, {mcpServers: {bad: {url: 'https://x.example', oauth: {callbackPort: 'x'}}}});
    await expect(resolveTarget('bad', env)).rejects.toThrow(/oauth.callbackPort must be a port number/);
    await expect(resolveTarget('http://example.com/mcp', env)).rejects.toThrow(/not an https URL/);
    expect((await resolveTarget('http://localhost:3000/mcp', env)).url).toBe('http://localhost:3000/mcp');
  });

  test('the config serve reads: MCPX_CONFIG, JSONC, and ${VAR} in the URL resolved as serve resolves it', async () => {
    const {env, dir} = makeEnv();
    const file = path.join(dir, 'elsewhere.jsonc');
    fs.writeFileSync(file, '// team servers\n{"mcpServers": {"team": {"url": "https://${TEAM_HOST}/mcp", /* login here */ "oauth": {"scopes": ["a"]}}, "later": {"url": "https://${NOT_SET_ANYWHERE_X}/mcp"},}}\n');
    const withConfig: NodeJS.ProcessEnv = {...env, MCPX_CONFIG: file, TEAM_HOST: 'mcp.team.example'};
    const envOnly = [{name: 'environment', lookup: async (n: string) => withConfig[n]}];
    expect(await resolveTarget('team', withConfig, envOnly)).toEqual({name: 'team', url: 'https://mcp.team.example/mcp', oauth: {scopes: ['a']}});
    // The resolved URL finds the entry too, so the login is stored under the URL serve calls.
    expect((await resolveTarget('https://mcp.team.example/mcp', withConfig, envOnly)).name).toBe('team');
    await expect(resolveTarget('later', withConfig, envOnly)).rejects.toThrow(/server 'later', field 'url': \$\{NOT_SET_ANYWHERE_X\} is not set/);
    fs.writeFileSync(file, '{"mcpServers": {"team": {"url": "https://x.example"\n  "oauth": {}}}}');
    await expect(resolveTarget('team', withConfig, envOnly)).rejects.toThrow(/elsewhere\.jsonc:2:3: /);
  });
});

describe('browser', () => {
  test('$BROWSER: first of a colon list, %s or appended URL', () => {
    expect(browserCommand('firefox --new-tab:chromium', 'http://a/b?c=d')).toEqual(['firefox', '--new-tab', 'http://a/b?c=d']);
    expect(browserCommand('open -a Safari %s', 'http://a')).toEqual(['open', '-a', 'Safari', 'http://a']);
    expect(browserCommand(' : ', 'http://a')).toBeUndefined();
  });

  test('no display and no terminal: the URL is printed, nothing is launched', async () => {
    const printed: string[] = [];
    const result = await presentAuthorizationUrl(new URL('http://127.0.0.1:1/auth?x=1'), {env: {PATH: ''}, platform: 'linux', stdinIsTTY: true, print: (l) => printed.push(l)});
    expect(result).toBe('printed');
    expect(printed.join('\n')).toContain('http://127.0.0.1:1/auth?x=1');
  });

  test('a $BROWSER that cannot start falls back to printing', async () => {
    const printed: string[] = [];
    const result = await presentAuthorizationUrl(new URL('http://127.0.0.1:1/auth'), {env: {BROWSER: '/nonexistent/browser'}, print: (l) => printed.push(l)});
    expect(result).toBe('printed');
  });
});

describe('scopes and expiry', () => {
  test('union keeps order and drops duplicates', () => {
    expect(unionScopes('a b', undefined, 'b c')).toBe('a b c');
    expect(unionScopes(undefined, '')).toBeUndefined();
  });

  test('refresh margin: 60 s, or a quarter of a short lifetime', () => {
    const long = recordFromTokens({serverUrl: 'https://x/', issuer: 'https://as'}, {access_token: 'a', token_type: 'Bearer', expires_in: 3600}, 0);
    expect(needsRefresh(long, 3600_000 - 61_000)).toBe(false);
    expect(needsRefresh(long, 3600_000 - 59_000)).toBe(true);
    const short = recordFromTokens({serverUrl: 'https://x/', issuer: 'https://as'}, {access_token: 'a', token_type: 'Bearer', expires_in: 4}, 0);
    expect(needsRefresh(short, 2900)).toBe(false);
    expect(needsRefresh(short, 3100)).toBe(true);
    const never = recordFromTokens({serverUrl: 'https://x/', issuer: 'https://as'}, {access_token: 'a', token_type: 'Bearer'}, 0);
    expect(needsRefresh(never, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe('storage', () => {
  test('the file store writes 0600 in a 0700 folder and tightens a loose one', async () => {
    const {store} = makeEnv();
    fs.mkdirSync(path.dirname(store.file), {recursive: true, mode: 0o755});
    fs.chmodSync(path.dirname(store.file), 0o755);
    await store.set('oauth/x/tokens', 'v1');
    await store.set('oauth/y/tokens', 'v2');
    expect(await store.delete('oauth/x/tokens')).toBe(true);
    expect(await store.delete('oauth/x/tokens')).toBe(false);
    expect(await store.list()).toEqual(['oauth/y/tokens']);
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(store.file)).mode & 0o777).toBe(0o700);
  });

  test('concurrent writers through the lock lose no update', async () => {
    const {store} = makeEnv();
    await Promise.all(Array.from({length: 12}, (_, i) => store.set(`a/${i}`, String(i))));
    expect((await store.list()).length).toBe(12);
  });

  test('the lock serialises and takes over an abandoned lock file', async () => {
    const {dir} = makeEnv();
    const file = path.join(dir, 'locks', 'x.lock');
    const order: string[] = [];
    await Promise.all([
      withLock(file, async () => {
        order.push('a1');
        await new Promise((r) => setTimeout(r, 50));
        order.push('a2');
      }),
      withLock(file, async () => {
        order.push('b1');
        order.push('b2');
      }),
    ]);
    expect(order.join()).toMatch(/^(a1,a2,b1,b2|b1,b2,a1,a2)$/);
    fs.writeFileSync(file, JSON.stringify({pid: 2 ** 22 + 12_345, at: Date.now()}));
    expect(await withLock(file, async () => 'taken over', {waitMs: 1000})).toBe('taken over');
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('callback server', () => {
  test('listens on 127.0.0.1, accepts one callback, then answers 404', async () => {
    const server = await startCallbackServer();
    try {
      expect(server.redirectUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const code = server.waitForCode({state: 's1', issuer: 'http://as', issRequired: true}, 5000);
      const res = await fetch(`${server.redirectUrl}?code=c1&state=s1&iss=${encodeURIComponent('http://as')}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('You can close this tab');
      expect(await code).toBe('c1');
      expect((await fetch(`${server.redirectUrl}?code=c2&state=s1`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('a missing iss is refused when the server promised one', async () => {
    const server = await startCallbackServer();
    try {
      const code = server.waitForCode({state: 's1', issuer: 'http://as', issRequired: true}, 5000);
      const settled = code.catch((e: unknown) => e);
      const res = await fetch(`${server.redirectUrl}?code=c1&state=s1`);
      expect(res.status).toBe(400);
      expect(await settled).toMatchObject({code: 'E_AUTH_ISSUER'});
    } finally {
      await server.close();
    }
  });

  test('a taken port is a clear error', async () => {
    const first = await startCallbackServer();
    try {
      const port = Number(new URL(first.redirectUrl).port);
      await expect(startCallbackServer(port)).rejects.toMatchObject({code: 'E_AUTH_PORT'});
    } finally {
      await first.close();
    }
  });
});

describe('mcp-remote files', () => {
  test('found by md5 of the URL in the newest version folder', async () => {
    const {env, dir} = makeEnv();
    const url = 'https://mcp.example.com/mcp';
    const hash = createHash('md5').update(url).digest('hex');
    for (const v of ['mcp-remote-0.1.9', 'mcp-remote-0.1.29']) {
      fs.mkdirSync(path.join(dir, '.mcp-auth', v), {recursive: true});
      fs.writeFileSync(path.join(dir, '.mcp-auth', v, `${hash}_tokens.json`), '{}');
    }
    const found = await findMcpRemoteLogin(url, env);
    expect(found?.dir).toBe(path.join(dir, '.mcp-auth', 'mcp-remote-0.1.29'));
    expect(found?.clientFile).toBeUndefined();
    expect(await findMcpRemoteLogin('https://other.example.com/mcp', env)).toBeUndefined();
    expect(await findMcpRemoteLogin(url, {...env, MCP_REMOTE_CONFIG_DIR: path.join(dir, 'nowhere')})).toBeUndefined();
  });
});
