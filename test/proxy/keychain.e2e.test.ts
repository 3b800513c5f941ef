/**
 * `${VAR}` from the real keychain through `mcpx serve`: a reference that is not in the
 * environment is read from the mcpx keychain (account `env/<NAME>`), reaches the child, and never
 * appears in logs, the cache or the config.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openKeychain} from '../../src/secrets/store.js';
import {keychainEnv, randomText, skipNote, uniqueService} from '../keychain/helpers.js';
import {FIXTURE, call, ensureBuilt, startProxy, tempHome, writeConfig} from './helpers.js';

const service = uniqueService('serve');
const value = 'kc' + randomText(30);
let home: string;

describe.skipIf(!keychainEnv.available)(`mcpx serve with the keychain${skipNote}`, () => {
  beforeAll(async () => {
    ensureBuilt();
    home = tempHome();
    const store = await openKeychain({service});
    await store.set('env/MCPX_SERVE_KC_TOKEN', value);
  });
  afterAll(async () => {
    const store = await openKeychain({service});
    await store.delete('env/MCPX_SERVE_KC_TOKEN');
    fs.rmSync(home, {recursive: true, force: true});
  });

  it('resolves a reference from the keychain when the environment lacks it', async () => {
    const cfg = writeConfig(home, {
      a: {command: process.execPath, args: [FIXTURE], env: {TOKEN: '${MCPX_SERVE_KC_TOKEN}'}},
      b: {command: process.execPath, args: [FIXTURE], env: {TOKEN: '${MCPX_SERVE_KC_ABSENT}'}},
    });
    const p = await startProxy(cfg, home, {DBUS_SESSION_BUS_ADDRESS: keychainEnv.busAddress ?? '', MCPX_KEYCHAIN_SERVICE: service}, ['--log-level', 'debug']);
    const r = await call(p.client, 'execute_tool', {name: 'a__env', arguments: {}});
    const env = (r.structuredContent as {env: Record<string, string>}).env;
    expect(env.TOKEN).toBe(value);
    expect(env.DBUS_SESSION_BUS_ADDRESS).toBeUndefined();
    const missing = await call(p.client, 'execute_tool', {name: 'b__env', arguments: {}});
    expect(JSON.stringify(missing.content)).toMatch(/server 'b', field 'env\.TOKEN': \$\{MCPX_SERVE_KC_ABSENT\} is not set \(not in the environment; not in the keychain\)/);
    await p.close();
    expect(p.stderr()).not.toContain(value);
    const cacheDir = path.join(home, 'mcpx', 'cache', 'serve');
    for (const f of fs.readdirSync(cacheDir)) expect(fs.readFileSync(path.join(cacheDir, f), 'utf8')).not.toContain(value);
  });
});
