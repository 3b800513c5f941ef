/** Help where people look for it (`mcpx help`, `help CMD`, `-h` on every command) and shell completion in real shells. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {completeWords, type CompletionSources} from '../../src/cli/complete.js';
import {BIN, ROOT, runCli, runCommand} from '../helpers/cli.js';

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>};
const commandIds = Object.keys(manifest.commands).map((id) => id.replaceAll(':', ' '));

/** Run `count` async jobs at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({length: limit}, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await job(item);
  }));
}

describe('help', () => {
  it('answers `mcpx help` and `mcpx -h` with the command list', async () => {
    for (const args of [['help'], ['-h']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('COMMANDS');
      expect(r.stdout).toMatch(/\blint\b/);
    }
  });

  it('answers `-h` and `help COMMAND` for every command, lint and the lean launchers included', async () => {
    expect(commandIds.length).toBeGreaterThan(20);
    const failures: string[] = [];
    await inBatches(commandIds, 4, async (id) => {
      for (const args of [[...id.split(' '), '-h'], ['help', ...id.split(' ')]]) {
        const r = await runCli(args);
        if (r.code !== 0 || !r.stdout.includes('USAGE') || !r.stdout.includes(`$ mcpx ${id}`)) failures.push(`${args.join(' ')}: exit ${r.code} ${r.stderr.slice(0, 120)}`);
      }
    });
    expect(failures).toEqual([]);
  }, 120_000);

  it('shows one usage line per form for auth logout, and a single-quoted header in bridge help', async () => {
    const logout = await runCli(['auth', 'logout', '-h']);
    expect(logout.stdout).toContain('$ mcpx auth logout SERVER');
    expect(logout.stdout).toContain('$ mcpx auth logout --all');
    expect(logout.stdout).not.toContain('| ]');
    const bridge = await runCli(['help', 'bridge']);
    expect(bridge.stdout).toContain("--header 'Authorization: Bearer ${EXAMPLE_TOKEN}'");
  });

  it('refuses a server name together with --all', async () => {
    const r = await runCli(['auth', 'logout', 'linear', '--all'], {env: {MCPX_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-logout-'))}});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not both');
  });
});

describe('completion candidates', () => {
  const sources: CompletionSources = {
    manifest: manifest as CompletionSources['manifest'],
    clients: () => ['claude-code', 'cursor', 'vscode'],
    presets: () => ['github', 'filesystem', 'memory'],
    servers: () => ['linear', 'memory'],
  };
  it.each([
    [[''], 'lint', 'move'],
    [['sec'], 'secrets', 'serve'],
    [['secrets', ''], 'move', 'lint'],
    [['secrets', 'move', '--d'], '--dry-run', '--json-x'],
    [['add', ''], 'github', 'move'],
    [['add', '--client', ''], 'cursor', 'github'],
    [['init', '--client=cu'], '--client=cursor', 'cursor'],
    [['lint', '--format', ''], 'sarif', 'cursor'],
    [['auth', 'login', ''], 'linear', 'github'],
    [['presets', 'show', 'mem'], 'memory', 'linear'],
  ])('after %j offers %s and not %s', (words, wanted, unwanted) => {
    const out = completeWords(words, sources);
    expect(out).toContain(wanted);
    expect(out).not.toContain(unwanted);
  });

  it('leaves a file flag to the shell', () => {
    expect(completeWords(['lint', '--output', ''], sources)).toEqual([]);
  });
});

describe('completion scripts in real shells', () => {
  let shim: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    shim = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-shim-'));
    fs.writeFileSync(path.join(shim, 'mcpx'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`, {mode: 0o755});
    env = {PATH: `${shim}:${process.env.PATH}`, HOME: shim, MCPX_HOME: path.join(shim, 'mcpx')};
  });
  afterAll(() => fs.rmSync(shim, {recursive: true, force: true}));

  const has = (shell: string) => ['/usr/bin', '/bin'].some((d) => fs.existsSync(path.join(d, shell)));

  it('bash completes topics, subcommands and preset ids', async () => {
    const script = 'source <(mcpx completion bash); COMP_WORDS=(mcpx secrets ""); COMP_CWORD=2; _mcpx_complete; printf "%s\\n" "${COMPREPLY[@]}"; COMP_WORDS=(mcpx add git); COMP_CWORD=2; _mcpx_complete; printf "%s\\n" "${COMPREPLY[@]}"';
    const r = await runCommand('bash', ['-c', script], {env, cwd: ROOT});
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['move', 'set', 'github']));
  });

  it.runIf(has('zsh'))('zsh completes flag values (client ids)', async () => {
    const script = 'compdef(){ :; }; compadd(){ shift; print -l -- "$@"; }; _files(){ print FILES; }; source <(mcpx completion zsh); words=(mcpx add --client cl); CURRENT=4; _mcpx_complete';
    const r = await runCommand('zsh', ['-c', script], {env, cwd: ROOT});
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['claude-code', 'cline']));
    expect(r.stdout).not.toContain('FILES');
  });

  it.runIf(has('fish'))('fish completes commands and falls back to file names', async () => {
    const r = await runCommand('fish', ['-c', 'mcpx completion fish | source; complete -C "mcpx lint --format "; complete -C "mcpx lint READ"'], {env, cwd: ROOT});
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['sarif', 'README.md']));
  });
});
