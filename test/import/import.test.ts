/**
 * `mcpx import` end to end, against the real keychain (gnome-keyring on a private D-Bus, from
 * test/setup/keyring.ts): Claude Code, Cursor (JSONC with comments), VS Code (servers + inputs)
 * and Codex (TOML) configs with planted secrets are adopted into mcpx's config. Afterwards each
 * client file holds only the `mcpx serve` entry (plus what mcpx cannot import) and its other keys
 * and comments, mcpx's config validates against its schema with `${NAME}` for every secret, no
 * file holds a planted secret, lint is clean, `mcpx serve` started as the client entry says runs
 * an imported tool, a second run finds nothing, and --undo restores.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {getClient} from '../../src/clients/index.js';
import {parseDocument} from '../../src/config/parse.js';
import type {ClientId} from '../../src/model.js';
import {loadAjv} from '../../src/proxy/config.js';
import {BIN, ROOT, runCli} from '../helpers/cli.js';
import {rawGet} from '../keychain/helpers.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';
import {filesHolding} from '../helpers/launch.js';

const keychain = inject('keychain');
const ECHO = path.join(ROOT, 'test/fixtures/move/echo-server.mjs');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));

const secrets = {
  github: TOKEN_MAKERS['github-pat']!(rng),
  otherGithub: TOKEN_MAKERS['github-pat']!(rng),
  remote: TOKEN_MAKERS['linear-api-key']!(rng),
  slack: TOKEN_MAKERS['slack-token']!(rng),
  search: TOKEN_MAKERS['tavily-api-key']!(rng),
  stripe: TOKEN_MAKERS['stripe-secret-key']!(rng),
};

let home: string;
let project: string;
let configFile: string;
let env: NodeJS.ProcessEnv;
const files: Record<string, {file: string; client: ClientId; text: string}> = {};

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
}

function read(file: string, client: ClientId): Record<string, unknown> {
  return parseDocument(fs.readFileSync(file, 'utf8'), getClient(client)!.format, file).value as Record<string, unknown>;
}

const serveEntry = () => ({command: process.execPath, args: [BIN, 'serve']});

describe.skipIf(!keychain.available)(`mcpx import${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-import-home-'));
    project = path.join(home, 'project');
    configFile = path.join(home, '.config', 'mcpx', 'config.json');
    env = {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCPX_HOME: undefined, MCPX_CONFIG: undefined, MCPX_KEYCHAIN_SERVICE: `mcpx-test-import-${randomBytes(4).toString('hex')}`};
    const add = (key: string, rel: string, client: ClientId, text: string) => {
      files[key] = {file: path.join(project, rel), client, text};
      write(files[key].file, text);
    };
    add(
      'claude',
      '.mcp.json',
      'claude-code',
      JSON.stringify(
        {
          mcpServers: {
            github: {command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: secrets.github, LOG_LEVEL: '${LOG_LEVEL:-info}'}},
            echo: {command: 'node', args: [ECHO, '--plain']},
            remote: {type: 'http', url: 'https://mcp.example.com/mcp', headers: {Authorization: `Bearer ${secrets.remote}`}},
          },
        },
        null,
        2,
      ) + '\n',
    );
    add(
      'cursor',
      '.cursor/mcp.json',
      'cursor',
      `{
  // Team servers: keep this comment
  "mcpServers": {
    /* the same name as in .mcp.json, another token */
    "github": {
      "command": "node",
      "args": ["${ECHO}"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${secrets.otherGithub}"}
    },
    "echo": {"command": "node", "args": ["${ECHO}", "--plain"]},
    "slack": {
      "command": "node",
      "args": ["${ECHO}"],
      "env": {
        "SLACK_BOT_TOKEN": "${secrets.slack}", // the bot
        "SLACK_TEAM": "\${env:SLACK_TEAM_ID}"
      }
    }
  }
  // trailing comment
}
`,
    );
    add(
      'vscode',
      '.vscode/mcp.json',
      'vscode',
      `{
  "inputs": [{"type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true}],
  "servers": {
    "gh-prompted": {"type": "stdio", "command": "node", "args": ["${ECHO}"], "env": {"GITHUB_TOKEN": "\${input:gh-token}"}},
    "search": {"type": "stdio", "command": "node", "args": ["${ECHO}", "\${workspaceFolder}/docs"], "env": {"TAVILY_API_KEY": "${secrets.search}"}}
  }
}
`,
    );
    add(
      'codex',
      '.codex/config.toml',
      'codex',
      `# Codex settings
model = "o4-mini"

[mcp_servers.stripe]
command = "node"
args = ["${ECHO}"]
env = { STRIPE_SECRET_KEY = "${secrets.stripe}", NOTE = "literal \${x}" }
env_vars = ["STRIPE_ACCOUNT"]
tool_timeout_sec = 30

# after the servers
[profiles.fast]
model = "o4-mini"
`,
    );
  });

  afterAll(() => {
    fs.rmSync(home, {recursive: true, force: true});
  });

  it('shows a masked plan with --dry-run and changes nothing', async () => {
    const r = await runCli(['import', '--dry-run'], {cwd: project, env});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Dry run: nothing was changed.');
    expect(r.stdout).toMatch(/GITHUB_PERSONAL_ACCESS_TOKEN in env ghp_…\w{4} → keychain \$\{GITHUB_PERSONAL_ACCESS_TOKEN\}/);
    expect(r.stderr).toMatch(/gh-prompted.*\$\{input:gh-token\}/);
    for (const v of Object.values(secrets)) expect(r.stdout + r.stderr).not.toContain(v);
    for (const f of Object.values(files)) expect(fs.readFileSync(f.file, 'utf8')).toBe(f.text);
    expect(fs.existsSync(configFile)).toBe(false);
    // The control for the lint check after the import: every planted secret is found now.
    const lint = await runCli(['lint', project, '--format', 'json'], {cwd: project, env});
    expect((JSON.parse(lint.stdout) as {findings: Array<{ruleId: string}>}).findings.filter((f) => f.ruleId === 'hardcoded-secret')).toHaveLength(Object.keys(secrets).length);
  });

  it('refuses without --yes when there is no terminal, changing nothing', async () => {
    const r = await runCli(['import'], {cwd: project, env});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(fs.existsSync(configFile)).toBe(false);
  });

  it('imports every server and leaves one mcpx serve entry per file', async () => {
    const started = Date.now();
    const r = await runCli(['import', '--yes', '--json'], {cwd: project, env});
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout).result as {imported: Array<{server: string; as: string; status: string; file: string}>};
    for (const v of Object.values(secrets)) expect(r.stdout).not.toContain(v);
    const byFile = (key: string) => result.imported.filter((i) => i.file === files[key]!.file).map((i) => `${i.server}:${i.as}:${i.status}`);
    // Discovery order: .cursor/mcp.json comes before .mcp.json.
    expect(byFile('cursor')).toEqual(['github:github:added', 'echo:echo:added', 'slack:slack:added']);
    expect(byFile('claude')).toEqual(['github:github-2:renamed', 'echo:echo:merged', 'remote:remote:added']);
    expect(byFile('vscode')).toEqual(['search:search:added']);
    expect(byFile('codex')).toEqual(['stripe:stripe:added']);
    console.log(`import of 4 files: ${Date.now() - started} ms`);

    // Client files: only the serve entry, plus their other keys and comments.
    expect(read(files.claude!.file, 'claude-code')).toEqual({mcpServers: {mcpx: serveEntry()}});
    const cursorText = fs.readFileSync(files.cursor!.file, 'utf8');
    expect(cursorText).toContain('// Team servers: keep this comment');
    expect(cursorText).toContain('// trailing comment');
    expect(read(files.cursor!.file, 'cursor')).toEqual({mcpServers: {mcpx: serveEntry()}});
    const vscode = read(files.vscode!.file, 'vscode');
    expect(vscode.inputs).toEqual([{type: 'promptString', id: 'gh-token', description: 'GitHub token', password: true}]);
    expect(Object.keys(vscode.servers as object)).toEqual(['gh-prompted', 'mcpx']);
    expect((vscode.servers as Record<string, unknown>).mcpx).toEqual({type: 'stdio', ...serveEntry()});
    const codexText = fs.readFileSync(files.codex!.file, 'utf8');
    expect(codexText).toContain('# Codex settings');
    expect(codexText).toContain('# after the servers');
    const codex = read(files.codex!.file, 'codex');
    expect(codex.model).toBe('o4-mini');
    expect(codex.profiles).toEqual({fast: {model: 'o4-mini'}});
    expect(codex.mcp_servers).toEqual({mcpx: serveEntry()});

    // mcpx's config: valid, secrets as references, client syntax translated.
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as {mcpServers: Record<string, Record<string, unknown>>};
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/mcpx-config.schema.json'), 'utf8')) as object;
    const Ajv = await loadAjv();
    const validate = new Ajv({allErrors: true, strict: false}).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    const s = config.mcpServers;
    expect(Object.keys(s).sort()).toEqual(['echo', 'github', 'github-2', 'remote', 'search', 'slack', 'stripe']);
    expect(s.github).toEqual({command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN}'}});
    expect(s['github-2']).toEqual({command: 'node', args: [ECHO], env: {GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN_GITHUB}', LOG_LEVEL: '${LOG_LEVEL:-info}'}});
    expect(s.echo).toEqual({command: 'node', args: [ECHO, '--plain']});
    expect(s.remote).toEqual({type: 'http', url: 'https://mcp.example.com/mcp', headers: {Authorization: expect.stringMatching(/^Bearer \$\{[A-Z_]+\}$/)}});
    expect(s.slack!.env).toEqual({SLACK_BOT_TOKEN: '${SLACK_BOT_TOKEN}', SLACK_TEAM: '${SLACK_TEAM_ID}'});
    expect(s.search!.args).toEqual([ECHO, `${project}/docs`]);
    expect(s.search!.env).toEqual({TAVILY_API_KEY: '${TAVILY_API_KEY}'});
    // Codex expands nothing: its literal `${x}` stays literal for mcpx too; env_vars become references.
    expect(s.stripe).toEqual({command: 'node', args: [ECHO], env: {STRIPE_ACCOUNT: '${STRIPE_ACCOUNT}', STRIPE_SECRET_KEY: '${STRIPE_SECRET_KEY}', NOTE: 'literal $${x}'}, timeout: 30_000});

    // The values sit in the keychain, and in no file.
    expect(await rawGet(env.MCPX_KEYCHAIN_SERVICE!, 'env/GITHUB_PERSONAL_ACCESS_TOKEN')).toBe(secrets.otherGithub);
    expect(await rawGet(env.MCPX_KEYCHAIN_SERVICE!, 'env/GITHUB_PERSONAL_ACCESS_TOKEN_GITHUB')).toBe(secrets.github);
    expect(await rawGet(env.MCPX_KEYCHAIN_SERVICE!, 'env/STRIPE_SECRET_KEY')).toBe(secrets.stripe);
    expect(filesHolding(home, Object.values(secrets))).toEqual([]);
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
  });

  it('leaves lint nothing to report as hardcoded-secret', async () => {
    const lint = await runCli(['lint', project, configFile, '--format', 'json'], {cwd: project, env});
    const report = JSON.parse(lint.stdout) as {summary: {files: number}; findings: Array<{ruleId: string; file: string}>};
    // The four client files and mcpx's config were all linted.
    expect(report.summary.files).toBe(5);
    expect(report.findings.filter((f) => f.ruleId === 'hardcoded-secret')).toEqual([]);
  });

  it('serves an imported tool through the rewritten client entry', async () => {
    const entry = read(files.claude!.file, 'claude-code').mcpServers as Record<string, {command: string; args: string[]}>;
    const transport = new StdioClientTransport({
      command: entry.mcpx!.command,
      args: entry.mcpx!.args,
      env: {
        PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: home,
        XDG_CONFIG_HOME: env.XDG_CONFIG_HOME!,
        DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS!,
        MCPX_KEYCHAIN_SERVICE: env.MCPX_KEYCHAIN_SERVICE!,
      },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({name: 'import-test', version: '1.0.0'});
    try {
      await client.connect(transport);
      const result = await client.callTool({name: 'execute_tool', arguments: {name: 'github-2__started_with', arguments: {}}});
      expect(result.isError, JSON.stringify(result) + stderr).toBeFalsy();
      const text = (result.content as Array<{text: string}>)[0]!.text;
      const started = JSON.parse(text) as {env: Record<string, string>};
      // The keychain value, and the Claude Code default syntax resolved by mcpx.
      expect(started.env.GITHUB_PERSONAL_ACCESS_TOKEN).toBe(secrets.github);
      expect(started.env.LOG_LEVEL).toBe('info');
    } finally {
      await client.close();
    }
    expect(stderr).not.toContain(secrets.github);
  }, 30_000);

  it('finds nothing to import on a second run', async () => {
    const before = Object.values(files).map((f) => fs.readFileSync(f.file, 'utf8'));
    const r = await runCli(['import', '--yes'], {cwd: project, env});
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Nothing to import');
    expect(Object.values(files).map((f) => fs.readFileSync(f.file, 'utf8'))).toEqual(before);
  });

  it('puts everything back with --undo', async () => {
    const r = await runCli(['import', '--undo', '--yes'], {cwd: project, env});
    expect(r.code, r.stderr).toBe(0);
    for (const v of Object.values(secrets)) expect(r.stdout + r.stderr).not.toContain(v);
    for (const f of Object.values(files)) {
      const original = parseDocument(f.text, getClient(f.client)!.format, f.file).value;
      expect(read(f.file, f.client), f.file).toEqual(original);
    }
    expect(fs.readFileSync(files.cursor!.file, 'utf8')).toContain('// Team servers: keep this comment');
    // The import created mcpx's config and nothing else is in it: undo leaves no empty shell behind.
    expect(r.stdout).toContain('the import created it and no servers are left in it');
    expect(fs.existsSync(configFile)).toBe(false);
    const again = await runCli(['import', '--undo', '--yes'], {cwd: project, env});
    expect(again.stdout).toContain('Nothing to undo');
  });
});
