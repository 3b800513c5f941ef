/**
 * The interactive `mcpx init` in a real terminal (tmux, send-keys and capture-pane): choose the
 * client, search and pick a preset, type the secret at the masked prompt, confirm. The secret
 * never appears on screen and lands in the real keychain; Ctrl-C at the secret prompt leaves
 * every file and the keychain as they were. Skipped when tmux is not installed.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {BIN} from '../helpers/cli.js';
import {rawGet} from '../keychain/helpers.js';
import {installFixtures} from './fixtures.js';
import {randomSecret, readBack, sandbox, type Sandbox, write} from './helpers.js';

const keychain = inject('keychain');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `mcpx-init-test-${randomBytes(4).toString('hex')}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
}

function screen(session: string): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
}

async function waitFor(session: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(session);
    if (pattern.test(text)) return text;
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern} on screen:\n${text}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Start `mcpx init` in a fresh tmux session, with the env written into a script (not argv). */
function startInit(b: Sandbox, session: string, env: Record<string, string>): void {
  const script = path.join(b.home, `${session}.sh`);
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
  fs.writeFileSync(script, `${exports}\ncd '${b.project}'\n'${process.execPath}' '${BIN}' init\necho "EXIT=$?"\nsleep 60\n`);
  tmux('new-session', '-d', '-s', session, '-x', '150', '-y', '50', `sh '${script}'`);
}

describe.skipIf(!hasTmux || !keychain.available)(`mcpx init in a terminal${hasTmux ? '' : ' (skipped: tmux not installed)'}`, () => {
  let b: Sandbox;
  let env: Record<string, string>;
  const service = `mcpx-test-init-tty-${randomBytes(4).toString('hex')}`;

  beforeAll(() => {
    b = sandbox('tty');
    const bin = installFixtures(b);
    // Claude Code is configured here, so the wizard pre-selects it.
    write(path.join(b.project, '.mcp.json'), '{\n  "mcpServers": {}\n}\n', 0o600);
    env = {
      HOME: b.home,
      XDG_CONFIG_HOME: path.join(b.home, '.config'),
      PATH: `${bin}:${process.env.PATH}`,
      MCPX_KEYCHAIN_SERVICE: service,
      DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '',
      TERM: 'xterm-256color',
      NO_COLOR: '1',
    };
  });

  afterAll(() => {
    if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
    b?.cleanup();
  });

  it('asks, masks the secret, stores it in the keychain and writes the config', async () => {
    const secret = randomSecret('t');
    startInit(b, 'ok', env);
    await waitFor('ok', /Which clients should get the servers\?/);
    expect(screen('ok')).toMatch(/◉ Claude Code \(configured: \.mcp\.json\)/);
    tmux('send-keys', '-t', 'ok', 'Enter');
    await waitFor('ok', /Where should the servers go\?/);
    tmux('send-keys', '-t', 'ok', 'Enter');
    await waitFor('ok', /Add a server \(type to search\)/);
    tmux('send-keys', '-t', 'ok', '-l', 'echo-fix');
    await waitFor('ok', /❯ echo-fixture — Echo fixture/);
    tmux('send-keys', '-t', 'ok', 'Enter');
    await waitFor('ok', /Added: echo-fixture/);
    await waitFor('ok', /❯ Done/);
    tmux('send-keys', '-t', 'ok', 'Enter');
    await waitFor('ok', /ECHO_FIXTURE_TOKEN for echo-fixture/);
    tmux('send-keys', '-t', 'ok', '-l', secret);
    await waitFor('ok', new RegExp(`\\*{${secret.length}}`));
    tmux('send-keys', '-t', 'ok', 'Enter');
    await waitFor('ok', /Write these changes\?/);
    expect(screen('ok')).toContain('+ echo-fixture via mcpx run [${ECHO_FIXTURE_TOKEN}]');
    tmux('send-keys', '-t', 'ok', 'Enter');
    const final = await waitFor('ok', /EXIT=\d+/);
    expect(final).toContain('EXIT=0');
    expect(final).toContain('Stored in the keychain: ECHO_FIXTURE_TOKEN.');
    expect(final).toContain('mcpx lint: no findings');
    expect(final).not.toContain(secret);
    expect(await rawGet(service, 'env/ECHO_FIXTURE_TOKEN')).toBe(secret);
    const file = path.join(b.project, '.mcp.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain(secret);
    const entry = readBack(file, 'claude-code').find((s) => s.name === 'echo-fixture')!;
    expect(entry.env ?? {}).toEqual({});
    expect(entry.args).toEqual(expect.arrayContaining(['--env', 'ECHO_FIXTURE_TOKEN']));
  }, 90_000);

  it('Ctrl-C at the secret prompt changes nothing', async () => {
    const envCancel = {...env, MCPX_KEYCHAIN_SERVICE: `${service}-cancel`};
    fs.rmSync(path.join(b.project, '.mcp.json'));
    write(path.join(b.project, '.cursor/mcp.json'), '{\n  // mine\n  "mcpServers": {}\n}\n', 0o600);
    const before = fs.readFileSync(path.join(b.project, '.cursor/mcp.json'), 'utf8');
    startInit(b, 'cancel', envCancel);
    await waitFor('cancel', /Which clients should get the servers\?/);
    tmux('send-keys', '-t', 'cancel', 'Enter');
    await waitFor('cancel', /Where should the servers go\?/);
    tmux('send-keys', '-t', 'cancel', 'Enter');
    await waitFor('cancel', /Add a server/);
    tmux('send-keys', '-t', 'cancel', '-l', 'echo-fix');
    await waitFor('cancel', /❯ echo-fixture/);
    tmux('send-keys', '-t', 'cancel', 'Enter');
    await waitFor('cancel', /❯ Done/);
    tmux('send-keys', '-t', 'cancel', 'Enter');
    await waitFor('cancel', /ECHO_FIXTURE_TOKEN for echo-fixture/);
    tmux('send-keys', '-t', 'cancel', '-l', 'half-typed');
    tmux('send-keys', '-t', 'cancel', 'C-c');
    const final = await waitFor('cancel', /EXIT=\d+/);
    expect(final).toMatch(/Cancelled; nothing was changed\./);
    expect(final).toContain('EXIT=130');
    expect(fs.readFileSync(path.join(b.project, '.cursor/mcp.json'), 'utf8')).toBe(before);
    expect(fs.readdirSync(b.project).sort()).toEqual(['.cursor']);
    expect(await rawGet(envCancel.MCPX_KEYCHAIN_SERVICE, 'env/ECHO_FIXTURE_TOKEN')).toBeNull();
  }, 90_000);
});
