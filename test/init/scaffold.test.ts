/**
 * Secure by construction: every preset scaffolded for every client (each scope it has, each way
 * a preset can run) is read back by that client's module, passes its JSON Schema and shape
 * check, and lints clean with the real lint engine; merged into an existing config, comments,
 * other servers and settings survive. Runs in-process (runInit) with a memory keychain; the
 * real keychain and real launches are in keychain.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {getClient} from '../../src/clients/index.js';
import {validateWithSchema} from '../../src/clients/schema.js';
import {parseDocument} from '../../src/config/parse.js';
import {runInit, type InitOptions} from '../../src/init/run.js';
import {INIT_CLIENT_IDS, projectFileOf, scopesOf} from '../../src/init/targets.js';
import {lintPaths} from '../../src/lint/engine.js';
import type {ClientId} from '../../src/model.js';
import {type Preset, availableTransports, defaultTransport, loadPresets, requiredSecrets} from '../../src/presets/index.js';
import {MemoryStore} from '../../src/secrets/store-types.js';
import {FIXED_LAUNCHER, randomSecret, readBack, sandbox, type Sandbox, write} from './helpers.js';
import {filesHolding} from '../helpers/launch.js';

let presets: Preset[];
const secretEnv: Record<string, string> = {};
const boxes: Sandbox[] = [];

function box(label: string): Sandbox {
  const b = sandbox(label, secretEnv);
  boxes.push(b);
  return b;
}

/** Settings the chosen presets require that have no default (only those: init refuses settings no preset has). */
function settings(project: string, ids: string[]): string[] {
  const all: Record<string, string> = {filesystem: `allowed_directory=${project}`, postgres: 'PGDATABASE=app', slack: 'SLACK_TEAM_ID=T0001', sqlite: `database_path=${path.join(project, 'db.sqlite')}`};
  return ids.filter((id) => all[id]).map((id) => all[id]!);
}

async function scaffold(b: Sandbox, client: ClientId, options: Partial<InitOptions>) {
  const store = new MemoryStore();
  const result = await runInit(
    {command: 'init', cwd: b.project, env: b.env, clients: [client], yes: true, secretFromEnv: true, launcher: FIXED_LAUNCHER, set: settings(b.project, options.presets ?? []), ...options},
    {openStore: async () => store},
  );
  return {result, store};
}

/** The file is valid for its client: module shape check, JSON Schema, and lint finds nothing. */
async function expectValid(file: string, client: ClientId, b: Sandbox): Promise<void> {
  const def = getClient(client)!;
  const doc = parseDocument(fs.readFileSync(file, 'utf8'), def.format, file);
  expect(def.validate?.(doc) ?? []).toEqual([]);
  expect(await validateWithSchema(def, doc)).toEqual([]);
  const report = await lintPaths({paths: [file], cwd: b.project, env: b.env});
  expect(report.errors).toEqual([]);
  expect(report.findings.map((f) => `${f.ruleId} ${f.line}:${f.column} ${f.message}`)).toEqual([]);
  expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
}

beforeAll(async () => {
  presets = await loadPresets({cwd: process.cwd(), env: {HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent'}});
  for (const p of presets) for (const t of availableTransports(p)) for (const s of requiredSecrets(p, t)) secretEnv[s.key] ??= randomSecret();
});

afterAll(() => {
  for (const b of boxes) b.cleanup();
});

describe('every preset for every client, into an empty config', () => {
  const cases = INIT_CLIENT_IDS.flatMap((id) => scopesOf(getClient(id)!).map((scope) => [id, scope] as const));

  it.each(cases)('%s (%s scope): reads back, passes its schema, lints clean', async (client, scope) => {
    const b = box(`${client}-${scope}`);
    const {result, store} = await scaffold(b, client, {presets: presets.map((p) => p.id), scope});
    expect(result.files).toHaveLength(1);
    const file = result.files[0]!.file;
    expect(result.files[0]!.created).toBe(true);
    if (scope === 'project') expect(file).toBe(path.join(b.project, projectFileOf(getClient(client)!)!));
    else expect(file.startsWith(b.home + path.sep) && !file.startsWith(b.project + path.sep)).toBe(true);

    const servers = readBack(file, client);
    expect(servers.map((s) => s.name).sort()).toEqual(presets.map((p) => p.id).sort());
    for (const s of servers) {
      const preset = presets.find((p) => p.id === s.name)!;
      const secrets = requiredSecrets(preset, defaultTransport(preset));
      // A server with a secret starts through mcpx (run for stdio, bridge for remote); others as the preset says.
      if (secrets.length > 0) expect([s.command, s.args?.[0], s.args?.[1]]).toEqual([FIXED_LAUNCHER[0], FIXED_LAUNCHER[1], defaultTransport(preset) === 'stdio' ? 'run' : 'bridge']);
      else expect(s.command === FIXED_LAUNCHER[0]).toBe(false);
      // Each secret is named, never held: `--env KEY` for mcpx run, `{{KEY}}` inside a header or
      // argument. No `${…}` anywhere: a client that expands references itself would, and warn.
      const held = JSON.stringify(s.raw);
      for (const key of secrets.map((x) => x.key)) {
        const byRun = s.args?.[1] === 'run' && s.args.some((a, i) => s.args![i - 1] === '--env' && (a === key || a.endsWith('=' + key)));
        expect(byRun || held.includes('{{' + key + '}}'), `${s.name}: ${key}`).toBe(true);
      }
      if (secrets.length > 0) expect(held, s.name).not.toContain('${');
      expect(JSON.stringify(s.env ?? {}), s.name).not.toMatch(/^\{.*"\$\{[A-Za-z_][A-Za-z0-9_]*\}"/);
    }
    await expectValid(file, client, b);
    expect(result.lint?.findings).toEqual([]);
    // Secrets went to the keychain, none to disk.
    expect(filesHolding(b.home, Object.values(secretEnv))).toEqual([]);
    expect((await store.list()).length).toBeGreaterThan(0);
  });

  it.each(INIT_CLIENT_IDS.map((id) => [id]))('%s: presets that can run both ways, the other way', async (client) => {
    const both = presets.filter((p) => availableTransports(p).length > 1);
    expect(both.length).toBeGreaterThan(2);
    for (const transport of ['stdio', 'http'] as const) {
      const b = box(`${client}-${transport}`);
      const {result} = await scaffold(b, client, {presets: both.map((p) => p.id), transport});
      const file = result.files[0]!.file;
      expect(readBack(file, client).map((s) => s.name).sort()).toEqual(both.map((p) => p.id).sort());
      await expectValid(file, client, b);
    }
  });
});

/** An existing config per client: comments where the format has them, another server, another setting. */
const EXISTING: Partial<Record<ClientId, string>> = {
  cursor: '{\n  // Team servers: keep this comment\n  "mcpServers": {\n    "other": {\n      "command": "node",\n      "args": ["other.js"] // the other one\n    }\n  }\n}\n',
  vscode: '{\n  // Workspace servers\n  "inputs": [],\n  "servers": {\n    "other": {"type": "stdio", "command": "node", "args": ["other.js"]}\n  }\n}\n',
  zed: '{\n  // Zed project settings\n  "tab_size": 2,\n  "context_servers": {\n    "other": {"command": "node", "args": ["other.js"]}\n  }\n}\n',
  gemini: '{\n  // Gemini CLI\n  "theme": "Default",\n  "mcpServers": {\n    "other": {"command": "node", "args": ["other.js"]}\n  }\n}\n',
  codex: '# Codex settings\nmodel = "o4-mini"\n\n[mcp_servers.other]\ncommand = "node"\nargs = ["other.js"] # the other one\n',
  continue: '# Continue block, keep this comment\nname: Team servers\nversion: 1.0.0\nschema: v1\nmcpServers:\n  - name: other\n    command: node\n    args:\n      - other.js\n',
  goose: '# Goose settings\nGOOSE_PROVIDER: openai\nextensions:\n  developer:\n    enabled: true\n    name: developer\n    type: builtin\n  other:\n    enabled: true\n    name: other\n    type: stdio\n    cmd: node\n    args:\n      - other.js\n',
};
const JSON_EXISTING = '{\n  "theme": "dark",\n  "mcpServers": {\n    "other": {\n      "command": "node",\n      "args": ["other.js"]\n    }\n  }\n}\n';
/** Where the existing file sits: the default target of each client. */
function existingFile(client: ClientId, b: Sandbox): string {
  const def = getClient(client)!;
  const rel = projectFileOf(def);
  if (client === 'continue') return path.join(b.project, '.continue/mcpServers/mcpx.yaml');
  if (rel) return path.join(b.project, rel);
  return def.userFiles({home: b.home, platform: 'linux', env: b.env}).find((f) => !f.endsWith('settings.json')) ?? def.userFiles({home: b.home, platform: 'linux', env: b.env})[0]!;
}
const SNAPSHOTS: Partial<Record<ClientId, string>> = {'claude-code': 'json', cursor: 'json', vscode: 'json', codex: 'toml', continue: 'yaml', goose: 'yaml', zed: 'json'};

describe('merging into an existing config', () => {
  it.each(INIT_CLIENT_IDS.map((id) => [id]))('%s: keeps comments, other servers and settings; lints clean', async (client) => {
    const b = box(`${client}-existing`);
    const file = existingFile(client, b);
    const before = EXISTING[client] ?? JSON_EXISTING;
    write(file, before, 0o644);
    const other = readBack(file, client).find((s) => s.name === 'other')!;
    const {result} = await scaffold(b, client, {presets: ['memory', 'github', 'brave-search', 'linear']});
    expect(result.files.map((f) => f.file)).toEqual([file]);
    expect(result.files[0]!.created).toBe(false);
    const after = fs.readFileSync(file, 'utf8');
    // Every comment line of the original is still there, verbatim.
    for (const line of before.split('\n').filter((l) => /\/\/|#/.test(l))) expect(after).toContain(line.trim());
    const servers = readBack(file, client);
    expect(servers.map((s) => s.name).sort()).toEqual(['brave-search', 'github', 'linear', 'memory', 'other', ...(client === 'goose' ? [] : [])].sort());
    expect(servers.find((s) => s.name === 'other')!.raw).toEqual(other.raw);
    if (client === 'codex') expect(after.startsWith('# Codex settings\nmodel = "o4-mini"\n')).toBe(true);
    if (client === 'goose') expect(after).toMatch(/GOOSE_PROVIDER: openai\nextensions:\n {2}developer:/);
    if (!EXISTING[client]) expect(JSON.parse(after).theme).toBe('dark');
    await expectValid(file, client, b);
    const ext = SNAPSHOTS[client];
    if (ext) await expect(after).toMatchFileSnapshot(`../fixtures/init/existing-${client}.${ext}`);
  });

  it('a second run changes nothing and says so', async () => {
    const b = box('again');
    await scaffold(b, 'cursor', {presets: ['memory', 'github']});
    const file = path.join(b.project, '.cursor/mcp.json');
    const first = fs.readFileSync(file, 'utf8');
    const {result} = await scaffold(b, 'cursor', {presets: ['memory', 'github']});
    expect(result.files).toEqual([]);
    expect(result.unchanged.map((u) => u.name).sort()).toEqual(['github', 'memory']);
    expect(fs.readFileSync(file, 'utf8')).toBe(first);
  });
});

describe('--via-serve', () => {
  it("puts the servers in mcpx's config and one mcpx serve entry in each client", async () => {
    const b = box('serve');
    const {result} = await scaffold(b, 'claude-code', {presets: ['memory', 'github', 'linear'], clients: ['claude-code', 'codex'], viaServe: true});
    const mcpxFile = path.join(b.home, '.config/mcpx/config.json');
    expect(result.files.map((f) => f.file).sort()).toEqual([path.join(b.project, '.codex/config.toml'), path.join(b.project, '.mcp.json'), mcpxFile].sort());
    const own = readBack(mcpxFile, 'mcpx');
    expect(own.map((s) => s.name).sort()).toEqual(['github', 'linear', 'memory']);
    // mcpx serve resolves references itself: no launcher inside its own config.
    expect(own.find((s) => s.name === 'github')!.headers).toEqual({Authorization: 'Bearer ${GITHUB_PERSONAL_ACCESS_TOKEN}'});
    for (const [file, client] of [[path.join(b.project, '.mcp.json'), 'claude-code'], [path.join(b.project, '.codex/config.toml'), 'codex']] as const) {
      const entries = readBack(file, client);
      expect(entries.map((e) => [e.name, e.command, e.args])).toEqual([['mcpx', FIXED_LAUNCHER[0], [FIXED_LAUNCHER[1], 'serve']]]);
      await expectValid(file, client, b);
    }
    await expectValid(mcpxFile, 'mcpx', b);
    expect(result.nextSteps.join('\n')).toContain('mcpx auth login linear');
  });
});
