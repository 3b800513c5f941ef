/**
 * Vitest globalSetup: a real, unlocked gnome-keyring on a private D-Bus session bus, so keychain
 * tests run against the real Secret Service without a wrapper script and never touch the
 * developer's own keyring. The bus address goes into `process.env` (inherited by the test
 * workers and every CLI they spawn) and into `inject('keychain')`. Without the daemons, keychain
 * tests are skipped with the reason, except under `CI`, where that is a failure.
 * `MCPX_TEST_KEYCHAIN=system` opts in to the keychain of the current session instead.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {} from 'vitest';
import type {TestProject} from 'vitest/node';

export interface KeychainTestEnv {
  available: boolean;
  /** Why keychain tests are skipped, when they are. */
  reason?: string;
  /** `private` = the gnome-keyring started here; `system` = the session's own keychain. */
  mode?: 'private' | 'system';
  busAddress?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    keychain: KeychainTestEnv;
  }
}

const DAEMONS = ['dbus-daemon', 'gnome-keyring-daemon', 'dbus-send'];

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.MCPX_TEST_KEYCHAIN === 'system') {
    project.provide('keychain', {available: true, mode: 'system', busAddress: process.env.DBUS_SESSION_BUS_ADDRESS});
    return undefined;
  }
  const missing = process.platform === 'linux' ? DAEMONS.filter((bin) => !onPath(bin)) : DAEMONS;
  if (missing.length > 0) {
    const reason =
      process.platform === 'linux'
        ? `${missing.join(', ')} not installed (Debian/Ubuntu: apt-get install dbus gnome-keyring)`
        : `no private keychain on ${process.platform}; set MCPX_TEST_KEYCHAIN=system to test against the login keychain`;
    if (process.env.CI) throw new Error(`[keyring setup] CI must run the keychain tests, but ${reason}.`);
    process.stderr.write(`[keyring setup] keychain tests are skipped: ${reason}\n`);
    project.provide('keychain', {available: false, reason});
    return undefined;
  }
  const keyring = await startPrivateKeyring();
  const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = keyring.address;
  project.provide('keychain', {available: true, mode: 'private', busAddress: keyring.address});
  return async () => {
    await keyring.stop();
    if (previous === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = previous;
  };
}

export interface PrivateKeyring {
  /** The D-Bus address clients use (`DBUS_SESSION_BUS_ADDRESS`). */
  address: string;
  busPid: number;
  keyringPid: number;
  /** Where the bus socket and the keyring files live; removed by `stop()`. */
  dir: string;
  /** The keyring's XDG_RUNTIME_DIR (`busAtRuntimeDir`: the bus socket is `<runtimeDir>/bus`). */
  runtimeDir: string;
  /** Stop only the keyring daemon, leaving a bus without a Secret Service. */
  stopKeyring(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Start a D-Bus session bus and an unlocked gnome-keyring (secrets component only), both private
 * to a fresh temp dir: the bus has no service activation, so nothing else starts on it.
 * Resolves once the Secret Service answers on the bus. Throws with the daemons' output when it
 * does not within `readyTimeoutMs`.
 */
export async function startPrivateKeyring(readyTimeoutMs = 15_000, options: {busAtRuntimeDir?: boolean} = {}): Promise<PrivateKeyring> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-keyring-'));
  const home = path.join(dir, 'home');
  const runtime = path.join(dir, 'run');
  for (const d of [home, runtime, path.join(home, '.local', 'share')]) fs.mkdirSync(d, {recursive: true, mode: 0o700});
  const config = path.join(dir, 'bus.conf');
  fs.writeFileSync(config, busConfig(options.busAtRuntimeDir ? `unix:path=${path.join(runtime, 'bus')}` : `unix:dir=${dir}`));

  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await terminate(child);
    fs.rmSync(dir, {recursive: true, force: true});
  };
  try {
    const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], {stdio: ['ignore', 'pipe', 'pipe']});
    children.push(bus);
    const address = await firstLine(bus, 5_000, 'dbus-daemon');

    // The keyring gets its own HOME and XDG dirs, so its files land in `dir`, never in a real home.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_CACHE_HOME: path.join(home, '.cache'),
      XDG_RUNTIME_DIR: runtime,
      DBUS_SESSION_BUS_ADDRESS: address,
    };
    const daemon = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {env, stdio: ['pipe', 'pipe', 'pipe']});
    children.push(daemon);
    const output: string[] = [];
    daemon.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    daemon.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    // --unlock reads the password of the (new) login keyring from stdin.
    daemon.stdin!.end(randomBytes(12).toString('hex'));

    const deadline = Date.now() + readyTimeoutMs;
    while (!secretServiceOwned(address)) {
      if (daemon.exitCode !== null || Date.now() > deadline) {
        throw new Error(`gnome-keyring-daemon did not come up on the private bus (exit ${daemon.exitCode}): ${output.join('').trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const stopKeyring = async (): Promise<void> => {
      await terminate(daemon);
    };
    return {address, busPid: bus.pid!, keyringPid: daemon.pid!, dir, runtimeDir: runtime, stopKeyring, stop};
  } catch (error) {
    await stop();
    throw error;
  }
}

function busConfig(listen: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>${listen}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;
}

function secretServiceOwned(address: string): boolean {
  const r = spawnSync(
    'dbus-send',
    [`--bus=${address}`, '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
    {encoding: 'utf8', timeout: 5_000},
  );
  return r.status === 0 && /boolean true/.test(r.stdout);
}

function firstLine(child: ChildProcess, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} printed no address within ${timeoutMs} ms: ${err.trim()}`)), timeoutMs);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}: ${err.trim()}`));
    });
  });
}

/** SIGTERM, then SIGKILL after 2 s; resolves once the child has exited. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGCONT'); // a test may have stopped it
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, bin), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
