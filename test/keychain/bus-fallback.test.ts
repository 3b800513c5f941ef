/**
 * Which session bus the keychain uses when `DBUS_SESSION_BUS_ADDRESS` is unset (MCP clients
 * start servers with only HOME, LOGNAME, PATH, SHELL, TERM, USER): real unix sockets in a temp dir.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {fallbackBusAddress} from '../../src/secrets/store.js';

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
