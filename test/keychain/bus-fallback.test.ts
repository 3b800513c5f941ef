/**
 * Which session bus the keychain uses when `DBUS_SESSION_BUS_ADDRESS` is unset (MCP clients
 * start servers with only HOME, LOGNAME, PATH, SHELL, TERM, USER): real unix sockets in a temp dir.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fallbackBusAddress} from '../../src/secrets/store.js';
import {runCommand} from '../helpers/cli.js';
import {startPrivateKeyring, type PrivateKeyring} from '../setup/keyring.js';
import {keychainEnv, randomText, skipNote} from './helpers.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

describe('fallbackBusAddress', () => {
  let dir: string;
  let server: net.Server;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-bus fallback-'));
    fs.mkdirSync(path.join(dir, 'run'));
    fs.mkdirSync(path.join(dir, 'empty'));
    fs.writeFileSync(path.join(dir, 'empty', 'bus'), 'not a socket');
    server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'run', 'bus'), resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(dir, {recursive: true, force: true});
  });

  test('uses $XDG_RUNTIME_DIR/bus when it is a socket, escaping the path', () => {
    const address = fallbackBusAddress({XDG_RUNTIME_DIR: path.join(dir, 'run')}, 4242);
    expect(address).toBe(`unix:path=${path.join(dir, 'run', 'bus').replace(' ', '%20')}`);
  });

  test('falls back to /run/user/<uid>/bus when $XDG_RUNTIME_DIR has no bus socket', () => {
    const seen: string[] = [];
    const isSocket = (file: string) => (seen.push(file), file === '/run/user/4242/bus');
    expect(fallbackBusAddress({XDG_RUNTIME_DIR: path.join(dir, 'empty')}, 4242, isSocket)).toBe('unix:path=/run/user/4242/bus');
    expect(seen).toEqual([path.join(dir, 'empty', 'bus'), '/run/user/4242/bus']);
    // A regular file named bus is no bus.
    expect(fallbackBusAddress({XDG_RUNTIME_DIR: path.join(dir, 'empty')}, 4242)).toBeUndefined();
  });

  test('keeps an address that is set, and refuses relative or missing runtime dirs', () => {
    expect(fallbackBusAddress({DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x', XDG_RUNTIME_DIR: path.join(dir, 'run')}, 1)).toBeUndefined();
    expect(fallbackBusAddress({XDG_RUNTIME_DIR: 'run'}, null, () => true)).toBeUndefined();
    expect(fallbackBusAddress({}, null, () => true)).toBeUndefined();
  });
});

/**
 * End to end: `mcpx run` with exactly the environment the MCP SDK gives a server, plus
 * XDG_RUNTIME_DIR, whose `bus` socket is a private session bus with gnome-keyring.
 */
describe.skipIf(!keychainEnv.available || keychainEnv.mode !== 'private')(`mcpx run from a minimal environment${skipNote}`, () => {
  let keyring: PrivateKeyring;
  let home: string;
  beforeAll(async () => {
    keyring = await startPrivateKeyring(15_000, {busAtRuntimeDir: true});
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-minenv-'));
  }, 30_000);
  afterAll(async () => {
    await keyring?.stop();
    if (home) fs.rmSync(home, {recursive: true, force: true});
  });

  test('reaches the keychain through $XDG_RUNTIME_DIR/bus and hands the secret to the child', async () => {
    const value = `tok-${randomText(32)}`;
    const bin = path.join(ROOT, 'bin', 'run.js');
    const set = await runCommand(process.execPath, [bin, 'secrets', 'set', 'MINENV_TOKEN'], {
      env: {PATH: process.env.PATH, HOME: home, DBUS_SESSION_BUS_ADDRESS: keyring.address, NO_COLOR: '1'},
      input: `${value}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    const minimal = {HOME: home, LOGNAME: 'mcpx', PATH: process.env.PATH, SHELL: '/bin/sh', TERM: 'dumb', USER: 'mcpx', XDG_RUNTIME_DIR: keyring.runtimeDir};
    const script = "const v = process.env.X ?? ''; console.log(require('node:crypto').createHash('sha256').update(v).digest('hex'))";
    const run = await runCommand(process.execPath, [bin, 'run', '--env', 'X', '--', process.execPath, '-e', script], {env: {...minimal, X: '${MINENV_TOKEN}'}, input: ''});
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(createHash('sha256').update(value).digest('hex'));
    expect(run.stdout + run.stderr).not.toContain(value);
  }, 60_000);
});
