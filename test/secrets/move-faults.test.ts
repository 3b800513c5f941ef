/**
 * `secrets move` when things go wrong half-way, against the real keychain: the keychain failing
 * after some writes, the disk refusing a write, a file changed between plan and apply, Ctrl-C,
 * and no keychain at all. Every time: every file keeps its bytes and mode, and no keychain entry
 * created by the run is left behind.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, inject, it} from 'vitest';
import {applyMove, planMove, type MovePlan} from '../../src/secrets/move.js';
import {openKeychain, type KeychainStore} from '../../src/secrets/store.js';
import type {SecretStore} from '../../src/secrets/store-types.js';
import {writeAtomically} from '../../src/util/atomic-write.js';
import {runCli} from '../helpers/cli.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';

const keychain = inject('keychain');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));

let dir: string;
let store: KeychainStore;
let files: string[];
let tokens: string[];

function snapshot(): Array<[string, string, number]> {
  return files.map((f) => [f, fs.readFileSync(f, 'utf8'), fs.statSync(f).mode & 0o777]);
}

/** A store that behaves like the real one until `failAt` writes, then throws (or runs `onSet`). */
function flaky(real: SecretStore, failAt: number, onSet?: () => void): SecretStore {
  let writes = 0;
  return {
    kind: real.kind,
    description: real.description,
    get: (a) => real.get(a),
    delete: (a) => real.delete(a),
    list: () => real.list(),
    async set(account, value) {
      writes++;
      if (writes === failAt) {
        if (onSet) onSet();
        else throw new Error('keychain went away');
      }
      await real.set(account, value);
    },
  };
}

describe.skipIf(!keychain.available)(`secrets move faults${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-move-faults-'));
    store = await openKeychain({service: `mcpx-test-faults-${randomBytes(4).toString('hex')}`});
    tokens = [TOKEN_MAKERS['github-pat']!(rng), TOKEN_MAKERS['slack-token']!(rng), TOKEN_MAKERS['stripe-secret-key']!(rng)];
    files = [path.join(dir, 'a/.mcp.json'), path.join(dir, 'b/.mcp.json')];
    fs.mkdirSync(path.dirname(files[0]!), {recursive: true});
    fs.mkdirSync(path.dirname(files[1]!), {recursive: true});
    fs.writeFileSync(files[0]!, JSON.stringify({mcpServers: {gh: {command: 'node', args: ['x.js'], env: {GITHUB_TOKEN: tokens[0]}}}}, null, 2));
    fs.writeFileSync(files[1]!, JSON.stringify({mcpServers: {slack: {command: 'node', args: ['y.js'], env: {SLACK_BOT_TOKEN: tokens[1], STRIPE_SECRET_KEY: tokens[2]}}}}, null, 2));
    fs.chmodSync(files[0]!, 0o644);
    fs.chmodSync(files[1]!, 0o640);
  });

  afterEach(async () => {
    for (const a of await store.list()) await store.delete(a);
    fs.rmSync(dir, {recursive: true, force: true});
  });

  async function plan(s: SecretStore = store): Promise<MovePlan> {
    const p = await planMove({paths: [dir], cwd: dir, store: s});
    expect(p.files).toHaveLength(2);
    expect(p.secrets).toHaveLength(3);
    return p;
  }

  const journalFile = () => path.join(dir, 'journal.json');

  it('rolls back when the keychain fails half-way', async () => {
    const before = snapshot();
    const p = await plan();
    await expect(applyMove(p, {store: flaky(store, 2), journalFile: journalFile()})).rejects.toThrow('keychain went away');
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
    expect(fs.existsSync(journalFile())).toBe(false);
  });

  it('rolls back when the second file cannot be written', async () => {
    const before = snapshot();
    const p = await plan();
    let n = 0;
    const failingWrite: typeof writeAtomically = async (file, content, options) => {
      if (file === files[1] && n++ === 0) throw Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), {code: 'EROFS'});
      return writeAtomically(file, content, options);
    };
    await expect(applyMove(p, {store, write: failingWrite, journalFile: journalFile()})).rejects.toThrow('EROFS');
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
    // No temp file left beside the configs.
    for (const f of files) expect(fs.readdirSync(path.dirname(f))).toEqual(['.mcp.json']);
  });

  it('refuses to apply when a file changed after the plan, and stores nothing', async () => {
    const p = await plan();
    fs.appendFileSync(files[1]!, '\n');
    const before = snapshot();
    await expect(applyMove(p, {store, journalFile: journalFile()})).rejects.toThrow(/changed since the plan/);
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it('rolls back when interrupted (Ctrl-C) in the middle', async () => {
    const before = snapshot();
    const controller = new AbortController();
    const p = await plan();
    await expect(applyMove(p, {store: flaky(store, 2, () => controller.abort()), signal: controller.signal, journalFile: journalFile()})).rejects.toThrow(/Interrupted/);
    expect(snapshot()).toEqual(before);
    expect(await store.list()).toEqual([]);
  });

  it('applies cleanly otherwise: values verified in the keychain, modes tightened, journal without values', async () => {
    const p = await plan();
    const result = await applyMove(p, {store, journalFile: journalFile()});
    expect(result.stored.sort()).toEqual(['GITHUB_TOKEN', 'SLACK_BOT_TOKEN', 'STRIPE_SECRET_KEY']);
    expect(await store.get('env/GITHUB_TOKEN')).toBe(tokens[0]);
    expect(files.map((f) => (fs.statSync(f).mode & 0o777).toString(8))).toEqual(['600', '600']);
    const journal = fs.readFileSync(journalFile(), 'utf8');
    for (const t of tokens) expect(journal).not.toContain(t);
    expect((fs.statSync(journalFile()).mode & 0o777).toString(8)).toBe('600');
  });

  it('stops with a clear message and changes nothing when no keychain is reachable', async () => {
    const before = snapshot();
    const r = await runCli(['secrets', 'move', '--yes', dir], {cwd: dir, env: {DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', HOME: dir}});
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/keychain/i);
    expect(r.stderr).toContain('Nothing was changed');
    expect(r.stderr).toMatch(/Hint: .*(gnome-keyring|desktop session|D-Bus)/);
    expect(snapshot()).toEqual(before);
    for (const t of tokens) expect(r.stdout + r.stderr).not.toContain(t);
  });
});
