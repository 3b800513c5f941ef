/**
 * `mcpx servers` and `mcpx tools search/describe`, run as the built CLI against real upstreams
 * (server-memory, server-everything, the fixture server): the per-server report and exit codes,
 * `--cached` starting nothing, no child left running, no resolved secret in any output, and
 * serve's own search and describe from a terminal.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type CliResult, runCli} from '../helpers/cli.js';
import {FIXTURE, alive, ensureBuilt, expectCatalogCache, pkgMain, startDirect, tempHome, waitFor} from './helpers.js';

const node = process.execPath;
const secret = 'sv' + randomBytes(18).toString('base64url');
let home: string;
let work: string;
let cfg: string;
/** The config path as mcpx shows it (under HOME: `~/…`). */
let shown: string;
let env: Record<string, string>;
const outputs: string[] = [];
const expected: Record<string, {tools: number; info: {name: string; version: string}}> = {};

/** The pids of processes whose working directory is `dir` (every upstream here runs in it). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === dir) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Run the CLI, recording every process seen in `work` while it runs. */
async function run(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult & {seen: number[]}> {
  const seen = new Set<number>();
  const timer = setInterval(() => processesIn(work).forEach((p) => seen.add(p)), 20);
  try {
    const result = await runCli(args, {env: {...env, ...extraEnv}, timeoutMs: 30_000});
    outputs.push(result.stdout, result.stderr);
    return {...result, seen: [...seen]};
  } finally {
    clearInterval(timer);
  }
}

const fields = (line: string) => line.split(/ {2,}/);

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  work = fs.realpathSync(fs.mkdtempSync(path.join(home, 'work-')));
  const memory = {command: node, args: [pkgMain('@modelcontextprotocol/server-memory')], env: {MEMORY_FILE_PATH: path.join(work, 'memory.jsonl'), API_TOKEN: '${MCPX_SV_SECRET}'}, cwd: work};
  const everything = {command: node, args: [pkgMain('@modelcontextprotocol/server-everything')], cwd: work};
  cfg = path.join(work, 'mcpx.json');
  fs.writeFileSync(
    cfg,
    `{
  // JSONC, as serve reads it
  "mcpServers": {
    "memory": ${JSON.stringify(memory)},
    "everything": ${JSON.stringify(everything)},
    "broken": {"command": ${JSON.stringify(node)}, "args": [${JSON.stringify(FIXTURE)}, "--exit-at-start"], "env": {"FIXTURE_TOKEN": "\${MCPX_SV_SECRET}"}, "cwd": ${JSON.stringify(work)}},
    "leaky": {"command": ${JSON.stringify(node)}, "args": ["-e", "console.error('token is ' + process.env.T); process.exit(4)"], "env": {"T": "\${MCPX_SV_SECRET}"}, "cwd": ${JSON.stringify(work)}},
    "off": {"command": ${JSON.stringify(node)}, "args": [${JSON.stringify(FIXTURE)}, "--name", "off"], "cwd": ${JSON.stringify(work)}, "enabled": false},
    "needsvar": {"command": ${JSON.stringify(node)}, "args": [${JSON.stringify(FIXTURE)}], "env": {"K": "\${MCPX_SV_UNSET}"}, "cwd": ${JSON.stringify(work)}},
    "toggle": {"command": ${JSON.stringify(node)}, "args": ["\${MCPX_SV_SCRIPT}", "--name", "toggled"], "cwd": ${JSON.stringify(work)}},
  },
}
`,
  );
  shown = `~/${path.relative(home, cfg)}`;
  // MCPX_SV_UNSET stays unset; MCPX_CONFIG is emptied so the developer's own never leaks in.
  env = {HOME: home, MCPX_HOME: path.join(home, 'mcpx'), MCPX_SV_SECRET: secret, MCPX_SV_SCRIPT: FIXTURE, MCPX_CONFIG: ''};
  // What each server reports to a direct connection: the expected tool counts and versions.
  for (const [name, main] of [
    ['memory', pkgMain('@modelcontextprotocol/server-memory')],
    ['everything', pkgMain('@modelcontextprotocol/server-everything')],
  ] as const) {
    const client = await startDirect(node, [main], {MEMORY_FILE_PATH: path.join(work, 'memory.jsonl')});
    const info = client.getServerVersion()!;
    expected[name] = {tools: (await client.listTools()).tools.length, info: {name: info.name, version: info.version}};
    await client.close();
  }
}, 30_000);

afterAll(() => {
  if (home) fs.rmSync(home, {recursive: true, force: true});
});

describe('mcpx servers', () => {
  it('starts every enabled server, reports one line each, leaves nothing running and fills the cache', async () => {
    const r = await run(['servers', '--config', cfg]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map(fields)).toEqual([
      ['memory', 'stdio', '✓ connected', `${expected.memory!.tools} tools`, `${expected.memory!.info.name} ${expected.memory!.info.version}`],
      ['everything', 'stdio', '✓ connected', `${expected.everything!.tools} tools`, `${expected.everything!.info.name} ${expected.everything!.info.version}`],
      ['broken', 'stdio', '✗ failed', "server 'broken' exited during start (exit code 3); stderr: fixture: refusing to start (missing FIXTURE_TOKEN)"],
      ['leaky', 'stdio', '✗ failed', expect.stringMatching(/^server 'leaky' exited during start \(exit code 4\); stderr: token is \S+$/)],
      ['off', 'stdio', '- disabled'],
      ['needsvar', 'stdio', '✗ failed', expect.stringContaining("field 'env.K': ${MCPX_SV_UNSET} is not set")],
      ['toggle', 'stdio', '✓ connected', '9 tools', 'toggled 1.0.0'],
      [`3 connected, 3 failed, 1 disabled (${shown})`],
    ]);
    expect(r.stderr).toBe('');
    // The leaky server printed the resolved secret on its stderr: the report shows it masked.
    expect(lines[3]).not.toContain(secret);
    expect(lines[3]).toContain(`token is …${secret.slice(-4)}`);
    // Upstreams did run (memory, everything, broken, leaky, toggle at least), and none survives.
    expect(r.seen.length).toBeGreaterThanOrEqual(3);
    expect(await waitFor(() => r.seen.every((p) => !alive(p)), 2000)).toBe(true);
    expect(processesIn(work)).toEqual([]);
    // serve's catalog cache is refreshed for the servers that listed (0600, no secret in it).
    expectCatalogCache(home, 3, secret);
  }, 40_000);

  it('--json lists {name, transport, enabled, state, tools, serverInfo, error?}; names narrow the check', async () => {
    const r = await run(['servers', '-c', cfg, '--json', 'memory', 'off', 'broken']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {ok: boolean; command: string; result: Array<Record<string, unknown>>};
    expect(out.ok).toBe(true);
    expect(out.command).toBe('servers');
    expect(typeof out.result[0]!.ms).toBe('number'); // start-to-listed time of a connected server
    expect(out.result.map(({ms: _ms, ...rest}) => rest)).toEqual([
      {name: 'memory', transport: 'stdio', enabled: true, state: 'connected', tools: expected.memory!.tools, serverInfo: expected.memory!.info},
      {name: 'broken', transport: 'stdio', enabled: true, state: 'failed', tools: null, serverInfo: null, error: "server 'broken' exited during start (exit code 3); stderr: fixture: refusing to start (missing FIXTURE_TOKEN)"},
      {name: 'off', transport: 'stdio', enabled: false, state: 'disabled', tools: null, serverInfo: null},
    ]);
    expect(await waitFor(() => r.seen.every((p) => !alive(p)), 2000)).toBe(true);
  }, 40_000);

  it('exits 0 when every checked server connects', async () => {
    const r = await run(['servers', '-c', cfg, 'memory', 'toggle']);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => fields(l)[2])).toEqual(['✓ connected', '✓ connected', undefined]);
  }, 40_000);

  it('--cached starts nothing and reports the cache, even for a server that could not start now', async () => {
    // With MCPX_SV_SCRIPT naming a missing file, `toggle` cannot start now…
    const missing = {MCPX_SV_SCRIPT: path.join(work, 'missing.mjs')};
    const live = await run(['servers', '-c', cfg, 'toggle'], missing);
    expect(live.code).toBe(1);
    expect(fields(live.stdout.split('\n')[0]!)[2]).toBe('✗ failed');
    // …yet its cached catalog (same unresolved config, same cache key) is reported, and nothing runs.
    const r = await run(['servers', '-c', cfg, '--cached'], missing);
    expect(r.seen).toEqual([]);
    // Only an invalid config entry fails a --cached report; an empty cache does not.
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map(fields);
    expect(rows.map((f) => [f[0], f[2]?.replace(/\d+s ago/, 'Ns ago'), f[3]])).toEqual([
      ['memory', '✓ cached Ns ago', `${expected.memory!.tools} tools`],
      ['everything', '✓ cached Ns ago', `${expected.everything!.tools} tools`],
      ['broken', '? not cached', undefined],
      ['leaky', '? not cached', undefined],
      ['off', '- disabled', undefined],
      ['needsvar', '? not cached', undefined],
      ['toggle', '✓ cached Ns ago', '9 tools'],
      [`3 cached, 3 not cached, 1 disabled (${shown})`, undefined, undefined],
    ]);
    const json = await run(['servers', '-c', cfg, '--cached', '--json', 'toggle'], missing);
    const row = (JSON.parse(json.stdout) as {result: Array<Record<string, unknown>>}).result[0]!;
    expect(row).toMatchObject({name: 'toggle', state: 'cached', tools: 9, serverInfo: {name: 'toggled', version: '1.0.0'}});
    expect(typeof row.cacheAge).toBe('number');
    expect(json.seen).toEqual([]);
  }, 40_000);

  it('an unknown server name is a usage error with a suggestion; a broken config exits 2 with file:line:column', async () => {
    const r = await run(['servers', '-c', cfg, 'memroy']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Error: No server 'memroy' in ${shown}. Did you mean 'memory'?`);
    expect(r.stderr).toContain('Hint: Servers there: memory, everything, broken, leaky, off, needsvar, toggle.');
    expect(r.seen).toEqual([]);

    const bad = path.join(work, 'bad.json');
    fs.writeFileSync(bad, '{\n  "mcpServers": {\n    "a": {"command": "x",,}\n  }\n}\n');
    const b = await run(['servers', '--config', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('bad.json:3:26: expected a property name');
    const j = await run(['servers', '--json'], {MCPX_CONFIG: bad});
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ok: false, error: {code: 'E_CONFIG', message: expect.stringContaining('bad.json:3:26')}});

    // A folder given as the config says so and names the file to pass, not "check the permissions".
    const folder = await run(['servers', '-c', work]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is a folder, not an mcpx config file');
    expect(folder.stderr).toContain(`${path.basename(work)}/config.json`);
    expect(folder.stderr).not.toContain('permissions');
  }, 40_000);
});

describe('mcpx tools', () => {
  it('search prints search_tools\' lines, best match first', async () => {
    const r = await run(['tools', 'search', 'store a new entity in the knowledge graph', '-c', cfg, '--limit', '3']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^3 of \d+ tools match "store a new entity in the knowledge graph"/);
    expect(lines[1]).toBe('- memory__create_entities(entities: object[]) — Create multiple new entities in the knowledge graph');
    expect(lines.slice(1, 4).every((l) => l.startsWith('- '))).toBe(true);
    expect(r.stdout).toMatch(/Unavailable: broken \(server 'broken' exited during start/);
    expect(await waitFor(() => r.seen.every((p) => !alive(p)), 2000)).toBe(true);

    const j = await run(['tools', 'search', 'add two numbers', '-c', cfg, '--json']);
    const result = (JSON.parse(j.stdout) as {result: {tools: Array<{name: string; parameters: string}>}}).result;
    expect(result.tools[0]).toMatchObject({name: 'toggle__add', parameters: 'toggle__add(a: number, b: number)'});

    const bad = await run(['tools', 'search', 'x', '-c', cfg, '--limit', '0']);
    expect(bad.code).toBe(2);
  }, 40_000);

  it('describe prints the signature and the input schema; an unknown tool gets suggestions', async () => {
    const r = await run(['tools', 'describe', 'memory__create_entities', '-c', cfg]);
    expect(r.code).toBe(0);
    const [first, ...rest] = r.stdout.trimEnd().split('\n');
    expect(first).toBe('memory__create_entities(entities: object[])');
    const info = JSON.parse(rest.join('\n')) as {server: string; tool: string; inputSchema: {type: string; properties: {entities: {type: string; items: {required: string[]}}}; required: string[]}};
    expect(info.server).toBe('memory');
    expect(info.tool).toBe('create_entities');
    expect(info.inputSchema.type).toBe('object');
    expect(info.inputSchema.required).toEqual(['entities']);
    expect(info.inputSchema.properties.entities.type).toBe('array');
    expect(info.inputSchema.properties.entities.items.required).toEqual(['name', 'entityType', 'observations']);

    const u = await run(['tools', 'describe', 'memory__create_entitis', '-c', cfg]);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("Error: Unknown tool 'memory__create_entitis'. Did you mean 'memory__create_entities'");
    expect(u.stderr).toContain('Hint: Find tools with `mcpx tools search');
    expect(await waitFor(() => [...r.seen, ...u.seen].every((p) => !alive(p)), 2000)).toBe(true);
  }, 40_000);
});

describe('secrets', () => {
  it('the resolved ${VAR} value never appears in any output', () => {
    expect(outputs.length).toBeGreaterThan(20);
    for (const o of outputs) expect(o).not.toContain(secret);
  });
});
