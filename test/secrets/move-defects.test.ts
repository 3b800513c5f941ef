/**
 * The `secrets move` defects of issue 14, each with real processes and the real keychain:
 * two runs at once on the same HOME, kill -9 at random moments during a move, `--undo` of a
 * YAML value holding `\n`, the same env key twice, a self-referencing YAML alias, and a
 * read-only config folder. Bounded: 10 rounds, 10 kills.
 */
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {applyMove, planMove} from '../../src/secrets/move.js';
import {openKeychain, type KeychainStore} from '../../src/secrets/store.js';
import {runEnvNames} from '../../src/secrets/usage.js';
import {BIN, runCli} from '../helpers/cli.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';

const keychain = inject('keychain');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));
const token = () => TOKEN_MAKERS['github-pat']!(rng);

let root: string;
let store: KeychainStore;
let service: string;

function sandbox(name: string): {home: string; project: string; env: NodeJS.ProcessEnv; state: string} {
  const home = path.join(root, name);
  const project = path.join(home, 'project');
  fs.mkdirSync(project, {recursive: true});
  return {home, project, state: path.join(home, '.config', 'mcpx'), env: {HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), MCPX_HOME: undefined, MCPX_KEYCHAIN_SERVICE: service}};
}

/** Three project files, each with its own secrets. */
function plant(project: string): Record<string, string[]> {
  const files: Record<string, string[]> = {};
  for (const [i, rel] of ['.mcp.json', '.cursor/mcp.json', 'sub/.mcp.json'].entries()) {
    const file = path.join(project, rel);
    const values = [token(), token()];
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(file, JSON.stringify({mcpServers: {[`s${i}`]: {command: 'node', args: ['x.js'], env: {GITHUB_TOKEN: values[0], OTHER_GITHUB_TOKEN: values[1]}}}}, null, 2) + '\n');
    files[file] = values;
  }
  return files;
}

/** The keychain names a moved file refers to: `${NAME}` and `mcpx run --env KEY[=NAME]` / `{{NAME}}`. */
function referenceNames(text: string): string[] {
  const out = new Set([...text.matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!));
  const doc = JSON.parse(text) as {mcpServers?: Record<string, {args?: string[]; env?: Record<string, string>}>};
  for (const s of Object.values(doc.mcpServers ?? {})) runEnvNames(s.args ?? [], s.env ?? {}, out);
  return [...out];
}

/**
 * Consistent: every file holds either its original values or only references (`${NAME}`, `mcpx run --env`) whose
 * keychain entries hold those same values.
 */
async function consistent(files: Record<string, string[]>): Promise<{moved: number; original: number}> {
  const count = {moved: 0, original: 0};
  for (const [file, values] of Object.entries(files)) {
    const text = fs.readFileSync(file, 'utf8');
    if (values.every((v) => text.includes(v))) {
      count.original++;
      continue;
    }
    for (const v of values) expect(text, file).not.toContain(v);
    const names = referenceNames(text);
    expect(names.length, `${file} has references`).toBeGreaterThan(0);
    const resolved = await Promise.all(names.map((n) => store.get(`env/${n}`)));
    for (const [i, n] of names.entries()) expect(resolved[i], `${file}: \${${n}} resolves`).toBeDefined();
    expect(new Set(resolved)).toEqual(new Set(values));
    count.moved++;
  }
  return count;
}

describe.skipIf(!keychain.available)(`secrets move defects (issue 14)${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-move-defects-'));
    service = `mcpx-test-defects-${randomBytes(4).toString('hex')}`;
    store = await openKeychain({service});
  });
  afterAll(async () => {
    for (const a of await store.list()) await store.delete(a);
    fs.rmSync(root, {recursive: true, force: true});
  });

  it('two `secrets move` runs at once on the same HOME never lose a secret (10 rounds)', async () => {
    const held = {tried: 0, held: 0};
    for (let round = 0; round < 10; round++) {
      const b = sandbox(`race-${round}`);
      const files = plant(b.project);
      const delay = Math.floor(Math.random() * 60);
      const first = runCli(['secrets', 'move', '--yes'], {cwd: b.project, env: b.env});
      await new Promise((r) => setTimeout(r, delay));
      const second = runCli(['secrets', 'move', '--yes'], {cwd: b.project, env: b.env});
      const results = await Promise.all([first, second]);
      held.tried++;
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const count = await consistent(files);
      expect(count.moved).toBe(3);
      held.held++;
    }
    console.log(`two runs at once: ${held.held} of ${held.tried} rounds held`);
  }, 120_000);

  it('kill -9 at random moments during a move: the next run (or --undo) leaves a consistent state (10 kills)', async () => {
    const tally = {kills: 0, held: 0, duringApply: 0};
    for (let k = 0; k < 10; k++) {
      const b = sandbox(`kill-${k}`);
      const files = plant(b.project);
      const intent = path.join(b.state, 'transaction', 'intent.json');
      const child = spawn(process.execPath, [BIN, 'secrets', 'move', '--yes'], {cwd: b.project, env: {...process.env, NO_COLOR: '1', ...b.env}, stdio: 'ignore'});
      const exited = new Promise((r) => child.on('exit', r));
      // Kill at a random moment after the apply started (the journal exists), or before it.
      const afterJournal = k % 5 !== 0;
      const extra = Math.floor(Math.random() * 40);
      const started = Date.now();
      while (afterJournal && !fs.existsSync(intent) && Date.now() - started < 15_000 && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
      if (!afterJournal) await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      await new Promise((r) => setTimeout(r, extra));
      if (fs.existsSync(intent)) tally.duringApply++;
      child.kill('SIGKILL');
      await exited;
      tally.kills++;
      // Half the time the next run is another move, half the time --undo.
      const next = k % 2 === 0 ? ['secrets', 'move', '--yes'] : ['secrets', 'move', '--undo', '--yes'];
      const r = await runCli(next, {cwd: b.project, env: b.env});
      expect(r.code, r.stderr).toBe(0);
      expect(fs.existsSync(intent)).toBe(false);
      const count = await consistent(files);
      if (next[2] === '--yes') expect(count.moved).toBe(3);
      tally.held++;
    }
    console.log(`kill -9 during move: ${tally.held} of ${tally.kills} kills held (${tally.duringApply} inside the apply)`);
    expect(tally.duringApply).toBeGreaterThan(3);
  }, 180_000);

  it('--undo puts back a YAML value that held \\n', async () => {
    const b = sandbox('yaml-newline');
    const file = path.join(b.project, '.continue/mcpServers/gh.yaml');
    const value = token();
    fs.mkdirSync(path.dirname(file), {recursive: true});
    const original = `name: x\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: gh\n    command: node\n    args: ["x.js"]\n    env:\n      GITHUB_TOKEN: ${value}\n      NOTE: "line1\\nline2"\n`;
    fs.writeFileSync(file, original);
    const moved = await runCli(['secrets', 'move', '--yes'], {cwd: b.project, env: b.env});
    expect(moved.code, moved.stderr).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).not.toContain(value);
    const undone = await runCli(['secrets', 'move', '--undo', '--yes'], {cwd: b.project, env: b.env});
    expect(undone.code, undone.stderr).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(value);
    const {parse} = await import('yaml');
    expect((parse(text) as {mcpServers: Array<{env: Record<string, string>}>}).mcpServers[0]!.env.NOTE).toBe('line1\nline2');
  });

  it('a file with the same env key twice: no "mcpx bug", no value in the output', async () => {
    const b = sandbox('dup-key');
    const file = path.join(b.project, '.mcp.json');
    const [v1, v2] = [token(), token()];
    const original = `{"mcpServers": {"gh": {"command": "node", "env": {"GITHUB_TOKEN": "${v1}", "GITHUB_TOKEN": "${v2}"}}}}\n`;
    fs.writeFileSync(file, original);
    const r = await runCli(['secrets', 'move', '--yes'], {cwd: b.project, env: b.env});
    expect(r.stderr).not.toMatch(/mcpx bug|looks like a bug/i);
    for (const v of [v1, v2]) expect(r.stderr + r.stdout).not.toContain(v);
    expect(original).toContain(v1);
  });

  it('a value spelled with JSON escapes is masked in the --dry-run diff', async () => {
    const b = sandbox('escaped');
    const file = path.join(b.project, '.mcp.json');
    const value = token();
    // `\u0067` is `g`: the file spells ghp_… with an escape, and a `\/` inside a second value.
    const spelled = '\\u0067' + value.slice(1);
    const other = 'sk-' + randomBytes(18).toString('base64url');
    const otherSpelled = other.slice(0, 10) + '\\/' + other.slice(10);
    fs.writeFileSync(file, `{"mcpServers": {"gh": {"command": "node", "env": {"GITHUB_TOKEN": "${spelled}", "OPENAI_API_KEY": "${otherSpelled}"}}}}\n`);
    const r = await runCli(['secrets', 'move', '--dry-run'], {cwd: b.project, env: b.env});
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/^-.*GITHUB_TOKEN/m);
    for (const v of [value, spelled, value.slice(1), other, otherSpelled, other.slice(10)]) expect(out).not.toContain(v);
  });

  it('a self-referencing YAML alias gives a per-file error in `secrets list` and `secrets move`; other files still move', async () => {
    const b = sandbox('alias');
    const bad = path.join(b.project, '.continue/mcpServers/loop.yaml');
    const good = path.join(b.project, '.mcp.json');
    const [v1, v2] = [token(), token()];
    fs.mkdirSync(path.dirname(bad), {recursive: true});
    const badText = `name: x\nversion: 0.0.1\nschema: v1\nloop: &a [*a]\nmcpServers:\n  - name: gh\n    command: node\n    env:\n      GITHUB_TOKEN: ${v1}\n`;
    fs.writeFileSync(bad, badText);
    fs.writeFileSync(good, JSON.stringify({mcpServers: {gh: {command: 'node', env: {GITHUB_TOKEN: v2}}}}));
    const list = await runCli(['secrets', 'list'], {cwd: b.project, env: b.env});
    expect(list.stderr).not.toMatch(/Maximum call stack|mcpx bug|looks like a bug/i);
    const move = await runCli(['secrets', 'move', '--yes'], {cwd: b.project, env: b.env});
    expect(move.code, move.stderr).toBe(0);
    expect(move.stderr).toMatch(/loop\.yaml/);
    expect(move.stderr).not.toMatch(/circular|Maximum call stack|mcpx bug/i);
    expect(fs.readFileSync(good, 'utf8')).not.toContain(v2);
    expect(fs.readFileSync(bad, 'utf8')).toBe(badText);
  });

  it('a read-only config folder: says nothing was changed, not "could not be fully undone"', async () => {
    const b = sandbox('read-only');
    const files = plant(b.project);
    const plan = await planMove({paths: [b.project], cwd: b.project, store});
    const readOnly = Object.keys(files)[1]!;
    const write = async (file: string, content: string | Uint8Array, options?: {mode?: number}) => {
      if (file === readOnly) throw Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), {code: 'EROFS', path: file, syscall: 'open'});
      const {writeAtomically} = await import('../../src/util/atomic-write.js');
      return writeAtomically(file, content, options);
    };
    const before = Object.keys(files).map((f) => fs.readFileSync(f, 'utf8'));
    const error = await applyMove(plan, {store, write, journalFile: path.join(b.state, 'moves.json')}).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/read-only.*nothing was moved/);
    expect((error as Error).message).not.toMatch(/could not be fully undone/);
    expect(Object.keys(files).map((f) => fs.readFileSync(f, 'utf8'))).toEqual(before);
    for (const s of plan.secrets) expect(await store.get(`env/${s.name}`)).toBeUndefined();
  });
});
