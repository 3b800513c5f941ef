/**
 * `mcpx secrets set|get|list|rm` end to end: the built CLI (`node bin/run.js`, run `npm run
 * build` first) against the real keychain, values always piped on stdin; and, with no D-Bus
 * session bus at all, the clear failure that changes no file.
 */
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {openKeychain} from '../../src/secrets/store.js';
import {runCommand} from '../helpers/cli.js';
import {keychainEnv, randomText, skipNote} from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'run.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  argv: string[];
}

/** Run the CLI with `input` piped on stdin and a minimal environment. */
async function mcpx(args: string[], options: {input?: string; env: NodeJS.ProcessEnv}): Promise<Run> {
  const argv = [bin, ...args];
  return {...(await runCommand(process.execPath, argv, {env: options.env, input: options.input ?? ''})), argv};
}

function makeHome(label: string): {dir: string; env: NodeJS.ProcessEnv} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mcpx-cli-${label}-`));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    MCPX_HOME: path.join(dir, 'mcpx'),
    XDG_CONFIG_HOME: path.join(dir, '.config'),
    XDG_CACHE_HOME: path.join(dir, '.cache'),
    XDG_DATA_HOME: path.join(dir, '.local', 'share'),
    NO_COLOR: '1',
  };
  return {dir, env};
}

/** A name no other test (or helper's test) uses in the shared keyring. */
function uniqueName(label: string): string {
  return `T_${randomBytes(4).toString('hex').toUpperCase()}_${label}`;
}

function json(run: Run): {ok: boolean; result?: Record<string, unknown>; error?: {code: string; message: string; hint?: string}} {
  return JSON.parse(run.stdout);
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist', 'commands', 'secrets', 'set.js'))) {
    throw new Error('These tests run the built CLI: run `npm run build` first.');
  }
});

describe.skipIf(!keychainEnv.available)(`mcpx secrets against the real keychain${skipNote}`, () => {
  let home: {dir: string; env: NodeJS.ProcessEnv};
  let env: NodeJS.ProcessEnv;
  const created: string[] = [];

  beforeAll(() => {
    home = makeHome('kc');
    env = {...home.env, DBUS_SESSION_BUS_ADDRESS: keychainEnv.busAddress};
  });

  afterAll(async () => {
    // In-process and in turn: the same keychain and index the CLI used, without a spawn per name.
    const store = await openKeychain();
    for (const name of created) await store.delete(`env/${name}`);
    fs.rmSync(home.dir, {recursive: true, force: true});
  });

  test('set (piped) → get → list → rm → get fails; the value is never in argv or in any other output', async () => {
    const name = uniqueName('ROUND');
    created.push(name);
    const value = `tok-${randomText(40)}`;

    const set = await mcpx(['secrets', 'set', name], {input: `${value}\n`, env});
    expect(set.argv.join(' ')).not.toContain(value);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`Stored ${name} in Secret Service keychain (D-Bus)`);
    expect(set.stdout).toContain(`\${${name}}`);
    expect(set.stdout + set.stderr).not.toContain(value);

    const get = await mcpx(['secrets', 'get', name], {env});
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toBe(`${value}\n`);

    const listJson = await mcpx(['secrets', 'list', '--json'], {env});
    expect(listJson.code).toBe(0);
    const listed = json(listJson);
    expect(listed.ok).toBe(true);
    expect(listed.result!.store).toBe('Secret Service keychain (D-Bus)');
    expect(listed.result!.secrets).toContainEqual(expect.objectContaining({name}));
    expect(listJson.stdout).not.toContain(value);

    const rm = await mcpx(['secrets', 'rm', name], {env});
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toContain(`Removed ${name}`);

    const gone = await mcpx(['secrets', 'get', name], {env});
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe('');
    expect(gone.stderr).toContain(`No secret named ${name}`);
    expect(gone.stderr).toContain(`mcpx secrets set ${name}`);

    const again = await mcpx(['secrets', 'rm', name], {env});
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`No secret named ${name}`);
  });

  test('an existing secret is kept unless --force; --json reports the replacement', async () => {
    const name = uniqueName('EXISTS');
    created.push(name);
    const first = randomText(24);
    const second = randomText(24);
    expect((await mcpx(['secrets', 'set', name], {input: first, env})).code).toBe(0);

    const refused = await mcpx(['secrets', 'set', name], {input: second, env});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists');
    expect(refused.stderr).toContain('--force');
    expect((await mcpx(['secrets', 'get', name], {env})).stdout).toBe(`${first}\n`);

    const forced = await mcpx(['secrets', 'set', name, '--force', '--json'], {input: second, env});
    expect(forced.code, forced.stderr).toBe(0);
    expect(json(forced)).toEqual({
      ok: true,
      command: 'secrets:set',
      result: {name, account: `env/${name}`, store: 'Secret Service keychain (D-Bus)', replaced: true, reference: `\${${name}}`},
    });
    expect(forced.stdout).not.toContain(second);

    const got = await mcpx(['secrets', 'get', name, '--json'], {env});
    expect(json(got)).toEqual({ok: true, command: 'secrets:get', result: {name, value: second}});
  });

  test('piped values: one trailing newline is dropped, inner ones kept; long unicode values round-trip', async () => {
    const long = `pässwörd-密码-🔑-${'😀'.repeat(600)}-${randomText(3000)}`;
    const cases: Array<[string, string, string]> = [
      ['MULTI', 'line one\nline two\n\n', 'line one\nline two\n'],
      ['LONG', long, long],
    ];
    for (const [label, input, expected] of cases) {
      const name = uniqueName(label);
      created.push(name);
      const set = await mcpx(['secrets', 'set', name], {input, env});
      expect(set.code, `${label}: ${set.stderr}`).toBe(0);
      const got = await mcpx(['secrets', 'get', name, '--json'], {env});
      expect((json(got).result as {value: string}).value, label).toBe(expected);
    }
  });

  test('refusals: empty value, bad name, a value on the command line', async () => {
    const name = uniqueName('EMPTY');
    const empty = await mcpx(['secrets', 'set', name], {input: '\n', env});
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('is empty; nothing was stored');
    expect((await mcpx(['secrets', 'get', name], {env})).code).toBe(1);

    const bad = await mcpx(['secrets', 'set', '9-LIVES'], {input: 'x', env});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"9-LIVES" is not a valid secret name');

    const typed = `val-${randomText(30)}`;
    const inArgv = await mcpx(['secrets', 'set', name, typed], {env});
    expect(inArgv.code).toBe(2);
    expect(inArgv.stderr).toContain('values are never read from the command line');
    expect(inArgv.stderr).not.toContain(typed);
  });
});

describe.skipIf(process.platform !== 'linux')('mcpx secrets with no D-Bus session bus', () => {
  /** Every file under `dir` with its mode, size, mtime and content hash. */
  function snapshot(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (d: string): void => {
      for (const entry of fs.readdirSync(d, {withFileTypes: true})) {
        const full = path.join(d, entry.name);
        const st = fs.statSync(full);
        const rel = path.relative(dir, full);
        if (entry.isDirectory()) {
          out[rel + '/'] = `${st.mode.toString(8)} ${st.mtimeMs}`;
          walk(full);
        } else {
          out[rel] = `${st.mode.toString(8)} ${st.size} ${st.mtimeMs} ${createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
        }
      }
    };
    walk(dir);
    return out;
  }

  test('every command stops with E_NO_KEYCHAIN, says how to get a keychain, and changes no file', async () => {
    const home = makeHome('nobus');
    try {
      // A home with the kind of files a secrets command might touch.
      fs.mkdirSync(path.join(home.dir, '.cursor'), {recursive: true});
      fs.writeFileSync(path.join(home.dir, '.cursor', 'mcp.json'), '{"mcpServers": {"x": {"command": "npx", "env": {"TOKEN": "${TOKEN}"}}}}\n');
      fs.mkdirSync(path.join(home.dir, 'mcpx', 'config'), {recursive: true, mode: 0o700});
      fs.writeFileSync(path.join(home.dir, 'mcpx', 'config', 'config.json'), '{}\n', {mode: 0o600});
      const before = snapshot(home.dir);
      const value = `tok-${randomText(32)}`;

      const envs: Array<[string, NodeJS.ProcessEnv]> = [
        ['bus address pointing nowhere', {...home.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(home.dir, 'no-such-bus')}`}],
        ['no bus address at all', {...home.env}],
      ];
      for (const [label, env] of envs) {
        const set = await mcpx(['secrets', 'set', 'TOKEN'], {input: `${value}\n`, env});
        expect(set.code, label).toBe(3);
        expect(set.stdout).toBe('');
        expect(set.stderr, label).toContain('Error: No usable keychain: no D-Bus session bus is reachable');
        expect(set.stderr).toContain('Nothing was stored.');
        expect(set.stderr).toMatch(/^Hint: Run mcpx inside a desktop session .*dbus-run-session.*gnome-keyring-daemon --unlock --components=secrets/m);
        expect(set.stdout + set.stderr).not.toContain(value);

        if (label === 'no bus address at all') continue;
        const setJson = await mcpx(['secrets', 'set', 'TOKEN', '--json'], {input: value, env});
        expect(setJson.code).toBe(3);
        const envelope = json(setJson);
        expect(envelope.ok).toBe(false);
        expect(envelope.error!.code).toBe('E_NO_KEYCHAIN');
        expect(envelope.error!.hint).toContain('gnome-keyring-daemon');

        const others = [['list'], ['get', 'TOKEN'], ['rm', 'TOKEN']];
        const runs = await Promise.all(others.map((args) => mcpx(['secrets', ...args], {env})));
        for (const [i, run] of runs.entries()) {
          expect(run.code, others[i]!.join(' ')).toBe(3);
          expect(run.stderr).toContain('No usable keychain');
        }
      }
      expect(snapshot(home.dir)).toEqual(before);
    } finally {
      fs.rmSync(home.dir, {recursive: true, force: true});
    }
  });
});
