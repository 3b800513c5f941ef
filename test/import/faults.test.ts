/**
 * `mcpx import` when things go wrong, against the real keychain: a client file or mcpx's config
 * changed between plan and apply, a failing write of a client file, of mcpx's config or of the
 * journal, and an undo over a file edited since the import. Every time every file keeps its bytes
 * (a created mcpx config disappears again) and no keychain entry of the run is left behind.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest';
import {applyImport, applyUndoImport, type ImportPlan, planImport, planUndoImport} from '../../src/import/import.js';
import {openKeychain, type KeychainStore} from '../../src/secrets/store.js';
import {writeAtomically} from '../../src/util/atomic-write.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';

const keychain = inject('keychain');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));

let dir: string;
let store: KeychainStore;
let files: string[];
let configFile: string;
let journalFile: string;
let tokens: string[];

/** Bytes of every client file and of mcpx's config (null when absent). */
function snapshot(): Array<[string, string | null]> {
  return [...files, configFile, journalFile].map((f) => [f, fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : null]);
}

function failOn(target: () => string): typeof writeAtomically {
  return async (file, content, options) => {
    if (file === target()) throw Object.assign(new Error(`EIO: i/o error, write '${file}'`), {code: 'EIO'});
    return writeAtomically(file, content, options);
  };
}

describe.skipIf(!keychain.available)(`mcpx import faults${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-import-faults-'));
    store = await openKeychain({service: `mcpx-test-import-faults-${randomBytes(4).toString('hex')}`});
    tokens = [TOKEN_MAKERS['github-pat']!(rng), TOKEN_MAKERS['slack-token']!(rng)];
    files = [path.join(dir, 'a/.mcp.json'), path.join(dir, 'b/.cursor/mcp.json')];
    configFile = path.join(dir, 'home/.config/mcpx/config.json');
    journalFile = path.join(dir, 'home/.config/mcpx/imports.json');
    fs.mkdirSync(path.dirname(files[0]!), {recursive: true});
    fs.mkdirSync(path.dirname(files[1]!), {recursive: true});
    fs.writeFileSync(files[0]!, JSON.stringify({mcpServers: {gh: {command: 'node', args: ['x.js'], env: {GITHUB_TOKEN: tokens[0]}}}}, null, 2));
    fs.writeFileSync(files[1]!, `{\n  // keep me\n  "mcpServers": {"slack": {"command": "node", "args": ["y.js"], "env": {"SLACK_BOT_TOKEN": "${tokens[1]}"}}}\n}\n`);
  });

  afterEach(async () => {
    for (const a of await store.list()) await store.delete(a);
    fs.rmSync(dir, {recursive: true, force: true});
  });

  async function plan(): Promise<ImportPlan> {
    const p = await planImport({paths: [dir], cwd: dir, store, configFile, env: {HOME: path.join(dir, 'home')}});
    expect(p.files).toHaveLength(2);
    expect(p.secrets).toHaveLength(2);
    return p;
  }

  it('refuses to apply when a client file changed after the plan, and stores nothing', async () => {
    const p = await plan();
    fs.appendFileSync(files[1]!, '\n');
    const before = snapshot();
    await expect(applyImport(p, {store, journalFile})).rejects.toThrow(/changed since the plan/);
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it('refuses to apply when mcpx\'s config appeared after the plan', async () => {
    const p = await plan();
    fs.mkdirSync(path.dirname(configFile), {recursive: true});
    fs.writeFileSync(configFile, '{"mcpServers": {}}\n');
    const before = snapshot();
    await expect(applyImport(p, {store, journalFile})).rejects.toThrow(/changed since the plan/);
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it('rolls back when the last client file cannot be written (a created config is removed)', async () => {
    const before = snapshot();
    const p = await plan();
    await expect(applyImport(p, {store, journalFile, write: failOn(() => files[1]!)})).rejects.toThrow('EIO');
    expect(snapshot()).toEqual(before);
    expect(fs.existsSync(configFile)).toBe(false);
    expect(await store.list()).toEqual([]);
  });

  it('rolls back an existing mcpx config when the journal cannot be written', async () => {
    fs.mkdirSync(path.dirname(configFile), {recursive: true});
    fs.writeFileSync(configFile, '{\n  // mine\n  "mcpServers": {"local": {"command": "node", "args": ["z.js"]}}\n}\n');
    const before = snapshot();
    const p = await plan();
    await expect(applyImport(p, {store, journalFile, write: failOn(() => journalFile)})).rejects.toThrow('EIO');
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it('rolls back when mcpx\'s config cannot be written', async () => {
    const before = snapshot();
    const p = await plan();
    await expect(applyImport(p, {store, journalFile, write: failOn(() => configFile)})).rejects.toThrow('EIO');
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it('undoes only the files still as the import left them, all or nothing', async () => {
    const original = snapshot();
    await applyImport(await plan(), {store, journalFile});
    const journal = fs.readFileSync(journalFile, 'utf8');
    for (const t of tokens) expect(journal).not.toContain(t);
    // Someone edits one client file after the import: its servers stay in mcpx's config.
    fs.writeFileSync(files[1]!, fs.readFileSync(files[1]!, 'utf8').replace('"mcpx"', '"mcpx-renamed"'));
    const u = await planUndoImport({cwd: dir, store, journalFile});
    expect(u.skipped.map((s) => s.file)).toEqual([files[1]]);
    expect(u.removed).toEqual(['gh']);
    // A failing write of mcpx's config during the undo leaves everything as the import left it.
    const afterImport = snapshot();
    await expect(applyUndoImport(u, {cwd: dir, store, journalFile, write: failOn(() => configFile)})).rejects.toThrow('EIO');
    expect(snapshot()).toEqual(afterImport);
    await applyUndoImport(u, {cwd: dir, store, journalFile});
    expect(fs.readFileSync(files[0]!, 'utf8')).toContain(tokens[0]);
    expect(JSON.parse(fs.readFileSync(files[0]!, 'utf8'))).toEqual(JSON.parse(original[0]![1]!));
    expect(Object.keys(JSON.parse(fs.readFileSync(configFile, 'utf8')).mcpServers)).toEqual(['slack']);
  });

  it('undoes two imports of the same file together', async () => {
    const original = JSON.parse(fs.readFileSync(files[0]!, 'utf8')) as {mcpServers: Record<string, unknown>};
    await applyImport(await plan(), {store, journalFile});
    // A server added to the client file after the first import, then imported too.
    const now = JSON.parse(fs.readFileSync(files[0]!, 'utf8')) as {mcpServers: Record<string, unknown>};
    now.mcpServers.later = {command: 'node', args: ['later.js']};
    fs.writeFileSync(files[0]!, JSON.stringify(now, null, 2));
    const second = await planImport({paths: [files[0]!], cwd: dir, store, configFile, env: {HOME: path.join(dir, 'home')}});
    expect(second.imported.map((i) => i.server)).toEqual(['later']);
    await applyImport(second, {store, journalFile});
    expect(Object.keys(JSON.parse(fs.readFileSync(files[0]!, 'utf8')).mcpServers)).toEqual(['mcpx']);
    await applyUndoImport(await planUndoImport({files: [files[0]!], cwd: dir, store, journalFile}), {cwd: dir, store, journalFile});
    expect(JSON.parse(fs.readFileSync(files[0]!, 'utf8')).mcpServers).toEqual({...original.mcpServers, later: {command: 'node', args: ['later.js']}});
    expect(Object.keys(JSON.parse(fs.readFileSync(configFile, 'utf8')).mcpServers)).toEqual(['slack']);
  });
});
