/**
 * `mcpx init` end to end through the built CLI with the real keychain (gnome-keyring from
 * test/setup/keyring.ts): secrets given through the environment land in the keychain and never
 * in a file or on screen; every written entry, launched exactly as its client launches it,
 * starts and receives the secret; Claude Code's own `claude mcp list` (and Codex's `codex mcp
 * list`, when its binary is installed) read the files. The servers are local fixtures reached
 * through test-only user presets; a fake `npx` on PATH stands in for the npm download.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {ROOT, runCli, runCommand} from '../helpers/cli.js';
import {rawGet} from '../keychain/helpers.js';
import {callAsClient, startRemote} from '../helpers/launch.js';
import {installFixtures} from './fixtures.js';
import {randomSecret, readBack, sandbox, type Sandbox} from './helpers.js';

const keychain = inject('keychain');
const CODEX = process.env.MCPX_TEST_CODEX_BIN ?? path.join(ROOT, 'node_modules/.bin/codex');

/** A client's own CLI (`claude mcp list`…): exit code and stdout + stderr together. */
async function runTool(cmd: string, args: string[], options: {cwd: string; env: NodeJS.ProcessEnv}): Promise<{code: number | null; out: string}> {
  const run = await runCommand(cmd, args, {...options, timeoutMs: 90_000});
  return {code: run.code, out: run.stdout + run.stderr};
}

describe.skipIf(!keychain.available)(`mcpx init with the real keychain${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  let b: Sandbox;
  let bin: string;
  let remote: {port: number; stop: () => void};
  const service = `mcpx-test-init-${randomBytes(4).toString('hex')}`;
  const secrets = {fixture: randomSecret('f'), remote: randomSecret('r')};
  let cliEnv: NodeJS.ProcessEnv;
  let launchEnv: Record<string, string>;

  beforeAll(async () => {
    b = sandbox('keychain');
    remote = await startRemote(secrets.remote);
    bin = installFixtures(b, remote.port);
    cliEnv = {...b.env, PATH: `${bin}:${process.env.PATH}`, MCPX_KEYCHAIN_SERVICE: service, MCPX_HOME: undefined};
    // What a client passes a server: little beyond PATH and HOME; never the secrets.
    launchEnv = {PATH: `${bin}:/usr/bin:/bin`, HOME: b.home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS!, MCPX_KEYCHAIN_SERVICE: service};
  }, 60_000);

  afterAll(() => {
    remote?.stop();
    b?.cleanup();
  });

  it('stores secrets from the environment in the keychain and writes only references', async () => {
    const r = await runCli(['init', '--client', 'claude-code', '--client', 'codex', '--preset', 'echo-fixture', '--preset', 'echo-remote', '--secret-from-env', '--yes', '--json'], {
      cwd: b.project,
      env: {...cliEnv, ECHO_FIXTURE_TOKEN: secrets.fixture, ECHO_REMOTE_TOKEN: secrets.remote},
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.result.secrets.stored.sort()).toEqual(['ECHO_FIXTURE_TOKEN', 'ECHO_REMOTE_TOKEN']);
    expect(out.result.lint).toEqual({files: 2, findings: []});
    for (const v of Object.values(secrets)) expect(r.stdout + r.stderr).not.toContain(v);
    expect(await rawGet(service, 'env/ECHO_FIXTURE_TOKEN')).toBe(secrets.fixture);
    expect(await rawGet(service, 'env/ECHO_REMOTE_TOKEN')).toBe(secrets.remote);
    for (const f of ['.mcp.json', '.codex/config.toml']) {
      const text = fs.readFileSync(path.join(b.project, f), 'utf8');
      for (const v of Object.values(secrets)) expect(text).not.toContain(v);
      expect(text).toMatch(/"--env",\s*"ECHO_FIXTURE_TOKEN"/);
      expect(text).not.toContain('${ECHO_FIXTURE_TOKEN}');
      expect((fs.statSync(path.join(b.project, f)).mode & 0o777).toString(8)).toBe('600');
    }
  });

  it('each written entry starts as its client starts it and receives the secret', async () => {
    for (const [file, client] of [['.mcp.json', 'claude-code'], ['.codex/config.toml', 'codex']] as const) {
      const entries = readBack(path.join(b.project, file), client);
      const echo = entries.find((e) => e.name === 'echo-fixture')!;
      const seen = JSON.parse(await callAsClient(echo, 'started_with', launchEnv)) as {env: Record<string, string>};
      expect(seen.env.ECHO_FIXTURE_TOKEN).toBe(secrets.fixture);
      const bridge = entries.find((e) => e.name === 'echo-remote')!;
      expect(await callAsClient(bridge, 'whoami', launchEnv)).toBe('authorised');
    }
  }, 60_000);

  it("passes Claude Code's own check (`claude mcp list`, offline)", async () => {
    const claude = path.join(ROOT, 'node_modules/.bin/claude');
    const r = await runTool(claude, ['mcp', 'list'], {cwd: b.project, env: {...launchEnv, PATH: `${bin}:${process.env.PATH}`, DISABLE_AUTOUPDATER: '1'}});
    for (const name of ['echo-fixture', 'echo-remote']) expect(r.out).toMatch(new RegExp(`^${name}: .*✓ Connected`, 'm'));
    for (const v of Object.values(secrets)) expect(r.out).not.toContain(v);
  }, 120_000);

  it.skipIf(!fs.existsSync(CODEX))("parses with Codex's own `codex mcp list` (when its binary is installed)", async () => {
    const codexHome = path.join(b.home, 'codex-home');
    fs.mkdirSync(codexHome, {recursive: true});
    fs.copyFileSync(path.join(b.project, '.codex/config.toml'), path.join(codexHome, 'config.toml'));
    const r = await runTool(CODEX, ['mcp', 'list', '--json'], {cwd: b.project, env: {PATH: process.env.PATH, HOME: b.home, CODEX_HOME: codexHome}});
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out.slice(r.out.indexOf('['))) as Array<{name: string; transport: {command: string; args: string[]; env: Record<string, string> | null}}>;
    const echo = list.find((s) => s.name === 'echo-fixture')!;
    expect(echo.transport.command).toBe(process.execPath);
    expect(echo.transport.args.slice(1, 3)).toEqual(['run', '--server']);
    expect(echo.transport.env).toEqual({ECHO_FIXTURE_TOKEN: '${ECHO_FIXTURE_TOKEN}'});
    expect(list.map((s) => s.name).sort()).toEqual(['echo-fixture', 'echo-remote']);
  }, 60_000);

  it('a second run reuses the stored secrets and changes nothing', async () => {
    const r = await runCli(['init', '--client', 'claude-code', '--preset', 'echo-fixture', '--yes', '--json'], {cwd: b.project, env: cliEnv});
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout).result;
    expect(out.files).toEqual([]);
    expect(out.secrets.reused).toEqual(['ECHO_FIXTURE_TOKEN']);
  });

  it('--via-serve: the client starts mcpx serve, which starts the server with the keychain secret', async () => {
    const project = path.join(b.home, 'served');
    fs.mkdirSync(project);
    const r = await runCli(['init', '--client', 'claude-code', '--preset', 'echo-fixture', '--via-serve', '--yes', '--json'], {cwd: project, env: cliEnv});
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).result.secrets.reused).toEqual(['ECHO_FIXTURE_TOKEN']);
    const entry = readBack(path.join(project, '.mcp.json'), 'claude-code').find((e) => e.name === 'mcpx')!;
    expect(entry.args?.slice(1)).toEqual(['serve']);
    const text = await callAsClient(entry, 'list_servers', launchEnv);
    expect(text).toContain('echo-fixture');
    const transport = new StdioClientTransport({command: entry.command!, args: entry.args ?? [], env: launchEnv, stderr: 'pipe'});
    const client = new Client({name: 'init-test-client', version: '1.0.0'});
    try {
      await client.connect(transport);
      const result = await client.callTool({name: 'execute_tool', arguments: {name: 'echo-fixture__started_with', arguments: {}}});
      const seen = JSON.stringify(result.content);
      expect(seen).toContain(secrets.fixture);
    } finally {
      await client.close();
    }
  }, 60_000);

  it('refuses to replace a different stored secret without --force', async () => {
    const other = randomSecret('o');
    const r = await runCli(['add', 'echo-fixture', '--client', 'cursor', '--secret-from-env', '--yes'], {cwd: b.project, env: {...cliEnv, ECHO_FIXTURE_TOKEN: other}});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The keychain already holds a different ECHO_FIXTURE_TOKEN');
    expect(r.stderr).not.toContain(other);
    expect(fs.existsSync(path.join(b.project, '.cursor'))).toBe(false);
    expect(await rawGet(service, 'env/ECHO_FIXTURE_TOKEN')).toBe(secrets.fixture);
  });
});
