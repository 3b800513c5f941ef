/**
 * Bad input and failures leave everything as it was: unknown names get suggestions, a malformed
 * config is reported with line:column and untouched, conflicts need --force, secrets never come
 * from argv, a failed write rolls back files and keychain entries, Ctrl-C at a prompt writes
 * nothing. In-process with a memory keychain.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {applyInit} from '../../src/init/apply.js';
import {planInit} from '../../src/init/plan.js';
import {type InitOptions, type Prompter, runInit} from '../../src/init/run.js';
import {detectClients, pathContext, requireClient} from '../../src/init/targets.js';
import {getPreset} from '../../src/presets/index.js';
import {MemoryStore} from '../../src/secrets/store-types.js';
import {FIXED_LAUNCHER, randomSecret, readBack, sandbox, type Sandbox, write} from './helpers.js';

let b: Sandbox;
afterEach(() => b?.cleanup());

function run(options: Partial<InitOptions>, store = new MemoryStore(), prompter?: Prompter) {
  return runInit({command: 'init', cwd: b.project, env: b.env, yes: true, launcher: FIXED_LAUNCHER, ...options}, {openStore: async () => store, prompter});
}

async function failure(p: Promise<unknown>): Promise<UserError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(UserError);
  return e as UserError;
}

function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
    const p = path.join(e.parentPath, e.name);
    out[path.relative(dir, p)] = e.isFile() ? fs.readFileSync(p, 'utf8') : '<dir>';
  }
  return out;
}

describe('bad input', () => {
  it('suggests the nearest preset and client names', async () => {
    b = sandbox('names');
    const preset = await failure(run({clients: ['cursor'], presets: ['githb']}));
    expect(preset.code).toBe('E_UNKNOWN_PRESET');
    expect(preset.message).toMatch(/^Unknown preset 'githb'\. Did you mean .*'github'/);
    const client = await failure(run({clients: ['claude-cod'], presets: ['memory']}));
    expect(client.code).toBe('E_UNKNOWN_CLIENT');
    expect(client.message).toContain("Did you mean 'claude-code'?");
    const setting = await failure(run({clients: ['cursor'], presets: ['filesystem'], set: ['allowed_dir=/tmp']}));
    expect(setting.message).toContain("Did you mean 'allowed_directory'?");
  });

  it('reports a malformed config with line:column and changes no file at all', async () => {
    b = sandbox('malformed');
    write(path.join(b.project, '.cursor/mcp.json'), '{\n  "mcpServers": {\n    "a": {"command": "node",}\n    "b": 1\n}\n');
    const before = snapshotTree(b.home);
    const e = await failure(run({clients: ['claude-code', 'cursor'], presets: ['memory']}));
    expect(e.code).toBe('E_PARSE');
    expect(e.message).toMatch(/^\.cursor\/mcp\.json:4:5: .* the file was left untouched\.$/);
    expect(snapshotTree(b.home)).toEqual(before);
  });

  it('takes an empty (0-byte) config file as an empty config and never loosens its mode', async () => {
    b = sandbox('empty');
    const file = path.join(b.project, '.vscode/mcp.json');
    write(file, '');
    fs.chmodSync(file, 0o640);
    await run({clients: ['vscode'], presets: ['memory']});
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as {servers: Record<string, unknown>};
    expect(Object.keys(written.servers)).toEqual(['memory']);
    expect(fs.statSync(file).mode & 0o777 & ~0o640).toBe(0); // kept or tightened, never loosened
  });

  it('refuses a servers map of the wrong type', async () => {
    b = sandbox('shape');
    write(path.join(b.project, '.mcp.json'), '{"mcpServers": ["not", "a", "map"]}\n');
    const e = await failure(run({clients: ['claude-code'], presets: ['memory']}));
    expect(e.code).toBe('E_CONFIG_SHAPE');
  });

  it('never takes a secret from the command line', async () => {
    b = sandbox('argv');
    const e = await failure(run({clients: ['cursor'], presets: ['brave-search'], set: ['BRAVE_API_KEY=' + randomSecret()]}));
    expect(e.code).toBe('E_SECRET_ARGV');
    expect(e.message).not.toMatch(/=k/);
  });

  it('names every missing secret and how to provide it, writing nothing', async () => {
    b = sandbox('missing');
    const e = await failure(run({clients: ['cursor'], presets: ['brave-search', 'tavily', 'memory']}));
    expect(e.code).toBe('E_MISSING_SECRET');
    expect(e.message).toContain('BRAVE_API_KEY, TAVILY_API_KEY');
    expect(e.hint).toContain('--secret-from-env');
    expect(fs.existsSync(path.join(b.project, '.cursor'))).toBe(false);
  });

  it('a client without project scope and --scope project is a usage error', async () => {
    b = sandbox('scope');
    const e = await failure(run({clients: ['windsurf'], presets: ['memory'], scope: 'project'}));
    expect(e.code).toBe('E_SCOPE');
  });

  it('asks for confirmation, and without a terminal refuses', async () => {
    b = sandbox('confirm');
    const e = await failure(run({clients: ['cursor'], presets: ['memory'], yes: false}));
    expect(e.code).toBe('E_CONFIRM');
    expect(fs.existsSync(path.join(b.project, '.cursor'))).toBe(false);
  });
});

describe('existing servers', () => {
  it('keeps a different server of the same name unless --force', async () => {
    b = sandbox('conflict');
    const file = path.join(b.project, '.mcp.json');
    write(file, '{\n  "mcpServers": {\n    "memory": {"command": "node", "args": ["mine.js"]}\n  }\n}\n');
    const before = fs.readFileSync(file, 'utf8');
    const e = await failure(run({clients: ['claude-code'], presets: ['memory', 'fetch']}));
    expect(e.code).toBe('E_EXISTS');
    expect(e.message).toContain('.mcp.json already has a different server "memory"');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    const r = await run({clients: ['claude-code'], presets: ['memory', 'fetch'], force: true});
    expect(r.files[0]!.servers.map((s) => [s.name, s.action])).toEqual([['memory', 'replace'], ['fetch', 'add']]);
    expect(readBack(file, 'claude-code').find((s) => s.name === 'memory')!.command).toBe('npx');
  });
});

describe('choosing the client', () => {
  it('add without --client uses the one client configured here, and asks for --client when there are several', async () => {
    b = sandbox('pick');
    write(path.join(b.project, '.vscode/mcp.json'), '{\n  "servers": {}\n}\n');
    const r = await run({command: 'add', presets: ['memory']});
    expect(r.files.map((f) => [f.client, path.relative(b.project, f.file)])).toEqual([['vscode', '.vscode/mcp.json']]);
    write(path.join(b.project, '.cursor/mcp.json'), '{}\n');
    const e = await failure(run({command: 'add', presets: ['fetch']}));
    expect(e.code).toBe('E_NO_CLIENT');
    expect(e.hint).toBe('Configured here: cursor, vscode.');
  });

  it('detects configured clients in both scopes and installed ones by their folder', () => {
    b = sandbox('detect');
    write(path.join(b.project, '.mcp.json'), '{}\n');
    write(path.join(b.home, '.codex/config.toml'), '');
    fs.mkdirSync(path.join(b.home, '.cursor'));
    const found = detectClients(b.project, pathContext(b.env));
    const pick = (id: string) => found.find((d) => d.id === id)!;
    expect(pick('claude-code')).toMatchObject({configured: true, project: path.join(b.project, '.mcp.json')});
    expect(pick('codex')).toMatchObject({configured: true, user: path.join(b.home, '.codex/config.toml')});
    expect(pick('cursor')).toMatchObject({configured: false, installed: true});
    expect(pick('zed')).toMatchObject({configured: false, installed: false});
    expect(found.map((d) => d.id)).not.toContain('mcpx');
  });

  it("counts a Zed extension's entry of the same name as existing", async () => {
    b = sandbox('zed');
    const file = path.join(b.project, '.zed/settings.json');
    write(file, '{\n  "context_servers": {\n    "memory": {"settings": {"x": 1}}\n  }\n}\n');
    const e = await failure(run({clients: ['zed'], presets: ['memory']}));
    expect(e.code).toBe('E_EXISTS');
  });
});

describe('dry run', () => {
  it('shows a diff with references only and writes nothing, not even the keychain', async () => {
    b = sandbox('dry', {BRAVE_API_KEY: randomSecret()});
    const store = new MemoryStore();
    const r = await run({clients: ['cursor', 'codex'], presets: ['brave-search'], dryRun: true, secretFromEnv: true}, store);
    expect(r.diff).toContain('+    "brave-search": {');
    // The secret is named for mcpx run to fill, never spelled as a `${…}` the client would expand.
    expect(r.diff).toMatch(/"--env",\s*"BRAVE_API_KEY"/);
    expect(r.diff).not.toContain('BRAVE_API_KEY = "${BRAVE_API_KEY}"');
    expect(JSON.stringify(r)).not.toContain(b.env.BRAVE_API_KEY);
    expect(r.secrets.stored).toEqual(['BRAVE_API_KEY']);
    expect(await store.list()).toEqual([]);
    expect(fs.readdirSync(b.project)).toEqual([]);
  });
});

describe('all or nothing', () => {
  it('a failed write restores every file, removes created ones and their folders, and undoes the keychain', async () => {
    b = sandbox('rollback');
    const existing = path.join(b.project, '.mcp.json');
    write(existing, '{\n  "mcpServers": {}\n}\n', 0o644);
    const store = new MemoryStore();
    await store.set('env/TAVILY_API_KEY', 'old-value');
    const ctx = pathContext(b.env);
    const req = (id: string, preset: Awaited<ReturnType<typeof getPreset>>) => ({preset, name: id, transport: 'stdio' as const, values: {}, optionalSecrets: []});
    const plan = await planInit({
      cwd: b.project,
      ctx,
      clients: [{client: requireClient('claude-code')}, {client: requireClient('cursor')}],
      servers: [req('brave-search', await getPreset('brave-search')), req('tavily', await getPreset('tavily'))],
      launcher: FIXED_LAUNCHER,
    });
    expect(plan.files.map((f) => path.relative(b.project, f.file))).toEqual(['.mcp.json', '.cursor/mcp.json']);
    let writes = 0;
    const failing = async (file: string, text: string | Uint8Array, opts?: {mode?: number}) => {
      if (++writes === 2) throw new Error('disk full');
      const {writeAtomically} = await import('../../src/util/atomic-write.js');
      await writeAtomically(file, text, opts);
    };
    const secrets = [
      {name: 'BRAVE_API_KEY', value: randomSecret(), action: 'store' as const, source: 'env' as const},
      {name: 'TAVILY_API_KEY', value: randomSecret(), action: 'replace' as const, source: 'env' as const},
    ];
    await expect(applyInit(plan, secrets, {store, write: failing})).rejects.toThrow('disk full');
    expect(fs.readFileSync(existing, 'utf8')).toBe('{\n  "mcpServers": {}\n}\n');
    expect((fs.statSync(existing).mode & 0o777).toString(8)).toBe('644');
    expect(fs.existsSync(path.join(b.project, '.cursor'))).toBe(false);
    expect(await store.list()).toEqual(['env/TAVILY_API_KEY']);
    expect(await store.get('env/TAVILY_API_KEY')).toBe('old-value');
  });

  it('an interrupt before writing leaves nothing behind', async () => {
    b = sandbox('abort', {BRAVE_API_KEY: randomSecret()});
    const store = new MemoryStore();
    const controller = new AbortController();
    controller.abort();
    const e = await failure(runInit({command: 'init', cwd: b.project, env: b.env, yes: true, clients: ['cursor'], presets: ['brave-search'], secretFromEnv: true}, {openStore: async () => store, signal: controller.signal}));
    expect(e.code).toBe('E_INTERRUPTED');
    expect(await store.list()).toEqual([]);
    expect(fs.readdirSync(b.project)).toEqual([]);
  });
});

/** A scripted prompter: answers from a table, or throws Ctrl-C at a chosen question. */
function scripted(answers: {secret?: string; cancelAt?: keyof Prompter}): Prompter & {asked: string[]} {
  const asked: string[] = [];
  const step = <T>(name: keyof Prompter, value: T) => async () => {
    asked.push(name);
    if (answers.cancelAt === name) throw new UserError('Cancelled; nothing was changed.', {code: 'E_CANCELLED', exitCode: 130});
    return value;
  };
  return {
    asked,
    chooseClients: step('chooseClients', ['claude-code', 'codex']),
    chooseScope: step('chooseScope', 'project'),
    choosePresets: step('choosePresets', ['brave-search', 'memory']),
    chooseTransport: step('chooseTransport', 'stdio'),
    askSetting: step('askSetting', ''),
    reuseStored: step('reuseStored', true),
    replaceStored: step('replaceStored', false),
    askValue: step('askValue', answers.secret),
    confirmReplace: step('confirmReplace', false),
    confirmWrite: step('confirmWrite', true),
  } as Prompter & {asked: string[]};
}

describe('the wizard flow', () => {
  it('asks clients, scope, servers, the secret, then confirms; the secret goes to the keychain only', async () => {
    b = sandbox('wizard');
    const store = new MemoryStore();
    const secret = randomSecret();
    const p = scripted({secret});
    const r = await run({yes: false}, store, p);
    expect(p.asked).toEqual(['chooseClients', 'chooseScope', 'choosePresets', 'askValue', 'confirmWrite']);
    expect(await store.get('env/BRAVE_API_KEY')).toBe(secret);
    expect(r.files.map((f) => path.relative(b.project, f.file)).sort()).toEqual(['.codex/config.toml', '.mcp.json']);
    for (const f of r.files) expect(fs.readFileSync(f.file, 'utf8')).not.toContain(secret);
    expect(r.lint?.findings).toEqual([]);
  });

  it.each(['chooseClients', 'choosePresets', 'askValue', 'confirmWrite'] as const)('Ctrl-C at %s writes nothing', async (at) => {
    b = sandbox('cancel');
    const store = new MemoryStore();
    const e = await failure(run({yes: false}, store, scripted({secret: randomSecret(), cancelAt: at})));
    expect(e.code).toBe('E_CANCELLED');
    expect(await store.list()).toEqual([]);
    expect(fs.readdirSync(b.project)).toEqual([]);
  });
});
