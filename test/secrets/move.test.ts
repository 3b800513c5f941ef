/**
 * `mcpx secrets move` end to end, against the real keychain (gnome-keyring on a private D-Bus,
 * from test/setup/keyring.ts): configs of several clients with planted secrets are rewritten,
 * each rewritten entry is launched exactly as its client would launch it and receives the
 * original value, no file holds a planted secret any more, lint is clean, a second run finds
 * nothing, and --undo puts the values back.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {getClient} from '../../src/clients/index.js';
import {parseDocument} from '../../src/config/parse.js';
import type {ClientId, ServerEntry} from '../../src/model.js';
import {ROOT, runCli, runCommand} from '../helpers/cli.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';
import {ECHO_SERVER as ECHO, callAsClient as launch, filesHolding, startRemote} from '../helpers/launch.js';
import {claudeDoctor, hasTmux} from '../helpers/claude.js';

const keychain = inject('keychain');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));

const secrets = {
  github: TOKEN_MAKERS['github-pat']!(rng),
  openai: TOKEN_MAKERS['openai-project-key']!(rng),
  slack: TOKEN_MAKERS['slack-token']!(rng),
  linear: TOKEN_MAKERS['linear-api-key']!(rng),
  stripe: TOKEN_MAKERS['stripe-secret-key']!(rng),
  remote: TOKEN_MAKERS['linear-api-key']!(rng),
  otherGithub: TOKEN_MAKERS['github-pat']!(rng),
};

let home: string;
let project: string;
let env: NodeJS.ProcessEnv;
let remote: {port: number; stop: () => void};

function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
}

/** Launch an entry as a client does, over a minimal env that can reach the test keychain. */
const callAsClient = (entry: ServerEntry, tool: string) =>
  launch(entry, tool, {PATH: '/usr/bin:/bin', HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS!, MCPX_KEYCHAIN_SERVICE: env.MCPX_KEYCHAIN_SERVICE!});

/** Read a server entry back through its client module, as mcpx itself would. */
function entryOf(file: string, client: ClientId, name: string): ServerEntry {
  const def = getClient(client)!;
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), def.format, file);
  const entry = def.readServers(doc).find((s) => s.name === name);
  if (!entry) throw new Error(`no server ${name} in ${file}`);
  return entry;
}

describe.skipIf(!keychain.available)(`mcpx secrets move${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-move-home-'));
    project = path.join(home, 'project');
    env = {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCPX_HOME: undefined, MCPX_KEYCHAIN_SERVICE: `mcpx-test-move-${randomBytes(4).toString('hex')}`};
    remote = await startRemote(secrets.remote);

    write(
      path.join(project, '.mcp.json'),
      JSON.stringify(
        {
          mcpServers: {
            github: {command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: secrets.github, LOG_LEVEL: 'info'}},
            openai: {command: 'node', args: [ECHO, '--api-key', secrets.openai]},
            remote: {type: 'http', url: `http://127.0.0.1:${remote.port}/mcp`, headers: {Authorization: `Bearer ${secrets.remote}`}},
          },
        },
        null,
        2,
      ) + '\n',
    );
    write(
      path.join(project, '.cursor/mcp.json'),
      `{
  // Team servers: keep this comment
  "mcpServers": {
    /* chat */
    "slack": {
      "command": "node",
      "args": ["${ECHO}"],
      "env": {
        "SLACK_BOT_TOKEN": "${secrets.slack}", // the bot
        "MOVE_CHANNEL": "general"
      }
    }
  }
}
`,
    );
    write(
      path.join(project, '.vscode/mcp.json'),
      `{
  "inputs": [{"type": "promptString", "id": "unused", "description": "Unused", "password": true}],
  "servers": {
    "linear": {"type": "stdio", "command": "node", "args": ["${ECHO}"], "env": {"LINEAR_API_KEY": "${secrets.linear}"}}
  }
}
`,
    );
    write(
      path.join(project, '.codex/config.toml'),
      `# Codex settings
model = "o4-mini"

[mcp_servers.stripe]
command = "node"
args = ["${ECHO}"]
env = { STRIPE_SECRET_KEY = "${secrets.stripe}" }
`,
    );
    // The user config: much more than servers, and a second GitHub token under the same name.
    write(
      path.join(home, '.claude.json'),
      JSON.stringify(
        {
          numStartups: 42,
          theme: 'dark',
          projects: {[project]: {allowedTools: ['Bash'], mcpServers: {gh2: {command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: secrets.otherGithub}}}}},
          mcpServers: {githubAgain: {command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: secrets.github}}},
        },
        null,
        2,
      ),
      0o644,
    );
  }, 60_000);

  afterAll(() => {
    remote?.stop();
    fs.rmSync(home, {recursive: true, force: true});
  });

  it('shows a masked plan with --dry-run and changes nothing', async () => {
    const before = filesHolding(home, Object.values(secrets)).length;
    const r = await runCli(['secrets', 'move', '--dry-run', project, path.join(home, '.claude.json')], {cwd: project, env});
    // The one secret in an argument must reach its server on the command line: say so, plainly.
    expect(r.stderr.trim().split('\n')).toEqual([
      'Server "openai" takes OPENAI_API_KEY in an argument, so `mcpx run` must put it on the server\'s command line: while it runs, other users of this machine can read it there (ps, /proc/PID/cmdline). If the server also reads it from an environment variable, use that: drop the argument and add `--env VAR=OPENAI_API_KEY` to its `mcpx run` line.',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was changed.');
    expect(r.stdout).toMatch(/GITHUB_PERSONAL_ACCESS_TOKEN in env ghp_…\w{4} → \$\{GITHUB_PERSONAL_ACCESS_TOKEN\}/);
    for (const v of Object.values(secrets)) expect(r.stdout).not.toContain(v);
    expect(filesHolding(home, Object.values(secrets))).toHaveLength(before);
  });

  it('refuses without --yes when there is no terminal, changing nothing', async () => {
    const r = await runCli(['secrets', 'move', project], {cwd: project, env});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Run again with --yes');
    expect(filesHolding(project, [secrets.github])).toHaveLength(1);
  });

  it('moves every secret into the keychain and keeps each file working', async () => {
    const r = await runCli(['secrets', 'move', '--yes', '--json', project, path.join(home, '.claude.json')], {cwd: project, env});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    for (const v of Object.values(secrets)) expect(r.stdout).not.toContain(v);
    // Same name, different values: distinct keychain names. Same value twice: stored once.
    expect(out.result.stored.sort()).toEqual(
      ['GITHUB_PERSONAL_ACCESS_TOKEN', 'GITHUB_PERSONAL_ACCESS_TOKEN_GH2', 'LINEAR_API_KEY', 'LINEAR_API_KEY_LINEAR', 'OPENAI_API_KEY', 'SLACK_BOT_TOKEN', 'STRIPE_SECRET_KEY'].sort(),
    );

    // No file under HOME (configs, journal, anything) holds a planted value.
    expect(filesHolding(home, Object.values(secrets))).toEqual([]);
    // Comments, other settings and key order are kept; modes are tightened to 0600.
    const cursor = fs.readFileSync(path.join(project, '.cursor/mcp.json'), 'utf8');
    expect(cursor).toContain('// Team servers: keep this comment');
    expect(cursor).toContain('/* chat */');
    expect(cursor).toContain('"MOVE_CHANNEL": "general"');
    const user = JSON.parse(fs.readFileSync(path.join(home, '.claude.json'), 'utf8'));
    expect(Object.keys(user)).toEqual(['numStartups', 'theme', 'projects', 'mcpServers']);
    expect(user.numStartups).toBe(42);
    expect(user.projects[project].allowedTools).toEqual(['Bash']);
    expect(fs.readFileSync(path.join(project, '.codex/config.toml'), 'utf8')).toMatch(/^# Codex settings\nmodel = "o4-mini"\n/);
    for (const f of ['.mcp.json', '.cursor/mcp.json', '.vscode/mcp.json', '.codex/config.toml']) {
      expect((fs.statSync(path.join(project, f)).mode & 0o777).toString(8)).toBe('600');
    }

    // No rewritten entry holds a `${…}` (in env, args, URL or headers): Claude Code, VS Code and
    // Cursor expand one themselves, and warn ("Missing environment variables") when NAME is not in
    // their environment. Moved env values leave env for `mcpx run --env KEY=NAME`; a secret in an
    // argument or a header is written `{{NAME}}`, which only mcpx resolves.
    const written: Array<[string, ClientId]> = [
      [path.join(project, '.mcp.json'), 'claude-code'],
      [path.join(home, '.claude.json'), 'claude-code'],
      [path.join(project, '.cursor/mcp.json'), 'cursor'],
      [path.join(project, '.vscode/mcp.json'), 'vscode'],
      [path.join(project, '.codex/config.toml'), 'codex'],
    ];
    for (const [file, client] of written) {
      const def = getClient(client)!;
      for (const entry of def.readServers(parseDocument(fs.readFileSync(file, 'utf8'), def.format, file))) {
        expect(JSON.stringify(entry.raw), `${file}: ${entry.name}`).not.toContain('${');
      }
    }
    const openai = entryOf(path.join(project, '.mcp.json'), 'claude-code', 'openai');
    expect(openai.args!.slice(1, 7)).toEqual(['run', '--server', 'openai', '--arg', '2', '--']);
    expect(openai.args!.slice(-2)).toEqual(['--api-key', '{{OPENAI_API_KEY}}']);
    expect(entryOf(path.join(project, '.mcp.json'), 'claude-code', 'remote').args).toContain('Authorization: Bearer {{LINEAR_API_KEY}}');

    // mcpx lint finds no hardcoded secret any more.
    const lint = await runCli(['lint', project, path.join(home, '.claude.json'), '--format', 'json'], {cwd: project, env});
    const findings = JSON.parse(lint.stdout).findings.filter((f: {ruleId: string}) => f.ruleId === 'hardcoded-secret');
    expect(findings).toEqual([]);
  });

  it('launches every rewritten entry as its client would, and the server receives the original value', async () => {
    type Seen = {env: Record<string, string>; argv: string[]; cmdline?: string[]; parentCmdline?: string[]};
    const onLinux = process.platform === 'linux';
    const cases: Array<[string, ClientId, string, (seen: Seen) => void]> = [
      [
        path.join(project, '.mcp.json'),
        'claude-code',
        'github',
        (s) => {
          expect(s.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(secrets.github);
          // In the environment only: on no command line, neither the server's nor mcpx run's.
          if (onLinux) expect(JSON.stringify([s.cmdline, s.parentCmdline])).not.toContain(secrets.github);
          if (onLinux) expect(s.parentCmdline).toContain('run');
        },
      ],
      [
        path.join(project, '.mcp.json'),
        'claude-code',
        'openai',
        (s) => {
          expect(s.argv).toEqual(['--api-key', secrets.openai]);
          // An argument is the server's own command line (the move warned about it), never mcpx run's.
          if (onLinux) expect(s.parentCmdline!.join(' ')).not.toContain(secrets.openai);
        },
      ],
      [path.join(project, '.cursor/mcp.json'), 'cursor', 'slack', (s) => expect([s.env.SLACK_BOT_TOKEN, s.env.MOVE_CHANNEL]).toEqual([secrets.slack, 'general'])],
      [path.join(project, '.vscode/mcp.json'), 'vscode', 'linear', (s) => expect(s.env.LINEAR_API_KEY).toBe(secrets.linear)],
      [path.join(project, '.codex/config.toml'), 'codex', 'stripe', (s) => expect(s.env.STRIPE_SECRET_KEY).toBe(secrets.stripe)],
      [path.join(home, '.claude.json'), 'claude-code', 'gh2', (s) => expect(s.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(secrets.otherGithub)],
      [path.join(home, '.claude.json'), 'claude-code', 'githubAgain', (s) => expect(s.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(secrets.github)],
    ];
    for (const [file, client, name, check] of cases) {
      const entry = entryOf(file, client, name);
      expect(path.isAbsolute(entry.command!)).toBe(true);
      check(JSON.parse(await callAsClient(entry, 'started_with')));
    }
  }, 90_000);

  it('turns a remote server with a secret header into a bridge that still authenticates', async () => {
    const entry = entryOf(path.join(project, '.mcp.json'), 'claude-code', 'remote');
    expect(entry.transport).toBe('stdio');
    expect(entry.args).toContain('bridge');
    expect(await callAsClient(entry, 'whoami')).toBe('authorised');
  }, 30_000);

  it('passes Claude Code\'s own health check (`claude mcp list`, offline) and its config diagnostics (`claude doctor`)', async () => {
    const claude = path.join(ROOT, 'node_modules/.bin/claude');
    const claudeEnv = {PATH: process.env.PATH, HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS, MCPX_KEYCHAIN_SERVICE: env.MCPX_KEYCHAIN_SERVICE, DISABLE_AUTOUPDATER: '1'};
    // A control entry with a reference Claude Code cannot expand proves the diagnostics are read.
    const mcpJson = path.join(project, '.mcp.json');
    const moved = fs.readFileSync(mcpJson, 'utf8');
    const withControl = JSON.parse(moved) as {mcpServers: Record<string, unknown>};
    withControl.mcpServers.control = {command: process.execPath, args: [ECHO, '${MCPX_DOCTOR_CONTROL}']};
    fs.writeFileSync(mcpJson, JSON.stringify(withControl, null, 2));
    let run, doctor;
    try {
      // Both at once: each takes a while to start.
      [run, doctor] = await Promise.all([
        runCommand(claude, ['mcp', 'list'], {cwd: project, env: claudeEnv, timeoutMs: 90_000}),
        hasTmux ? claudeDoctor(project, claudeEnv) : Promise.resolve(undefined),
      ]);
    } finally {
      fs.writeFileSync(mcpJson, moved);
    }
    const r = {out: run.stdout + run.stderr};
    for (const name of ['github', 'openai', 'remote', 'githubAgain']) expect(r.out).toMatch(new RegExp(`^${name}: .*✓ Connected`, 'm'));
    for (const v of Object.values(secrets)) expect(r.out).not.toContain(v);
    // The rewritten entries leave Claude Code nothing to expand: its diagnostics of both files (the
    // project's .mcp.json and ~/.claude.json) hold no warning, where a `${NAME}` in an argument or
    // header gave "Missing environment variables: NAME".
    if (doctor !== undefined) {
      expect(doctor).toContain('MCP Config Diagnostics');
      expect(doctor.match(/\[Warning\].*/g), doctor).toEqual(['[Warning] [control] mcpServers.control: Missing environment variables: MCPX_DOCTOR_CONTROL']);
      for (const v of Object.values(secrets)) expect(doctor).not.toContain(v);
    }
  }, 120_000);

  it('finds nothing to move on a second run', async () => {
    const r = await runCli(['secrets', 'move', '--yes', project, path.join(home, '.claude.json')], {cwd: project, env});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing to move');
  });

  it('lists the moved names, never values', async () => {
    const r = await runCli(['secrets', 'list', '--json'], {cwd: project, env});
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout).result.secrets as Array<{name: string; usedBy: string[]}>;
    const gh2 = listed.find((s) => s.name === 'GITHUB_PERSONAL_ACCESS_TOKEN_GH2');
    // Backup copies (~/.claude/backups/.claude.json.backup.*) are read too, so they may be listed beside it.
    expect(gh2?.usedBy).toContain('~/.claude.json: gh2');
    expect(listed.find((s) => s.name === 'SLACK_BOT_TOKEN')?.usedBy).toEqual(['.cursor/mcp.json: slack']);
    for (const v of Object.values(secrets)) expect(r.stdout).not.toContain(v);
  });

  it('--undo without a terminal and without --yes refuses before printing any diff, and changes nothing', async () => {
    const before = fs.readFileSync(path.join(project, '.mcp.json'), 'utf8');
    const r = await runCli(['secrets', 'move', '--undo'], {cwd: project, env});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Confirmation needed');
    expect(r.stdout).not.toMatch(/^(---|\+\+\+|@@) /m);
    expect(fs.readFileSync(path.join(project, '.mcp.json'), 'utf8')).toBe(before);
  });

  it('puts the values back with --undo', async () => {
    const r = await runCli(['secrets', 'move', '--undo', '--yes'], {cwd: project, env});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const v of Object.values(secrets)) expect(r.stdout).not.toContain(v);
    const restored = JSON.parse(fs.readFileSync(path.join(project, '.mcp.json'), 'utf8'));
    expect(restored.mcpServers.github).toEqual({command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: secrets.github, LOG_LEVEL: 'info'}});
    expect(restored.mcpServers.remote.headers.Authorization).toBe(`Bearer ${secrets.remote}`);
    expect(fs.readFileSync(path.join(project, '.codex/config.toml'), 'utf8')).toContain(secrets.stripe);
    const lint = await runCli(['lint', project, '--format', 'json'], {cwd: project, env});
    expect(JSON.parse(lint.stdout).findings.filter((f: {ruleId: string}) => f.ruleId === 'hardcoded-secret').length).toBeGreaterThanOrEqual(6);
  });
});
