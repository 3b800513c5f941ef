/**
 * The transaction engine (src/util/transaction.ts), with a fault injected at every step and a
 * "kill -9" (an operation that never returns, then recovery as the next run does it) at every
 * keychain and disk operation: afterwards the files and the keychain are exactly as before (or,
 * for a run that got to its commit, exactly as after). Once against the in-memory store, once
 * against the real keychain.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, inject, test} from 'vitest';
import {openKeychain} from '../../src/secrets/store.js';
import {MemoryStore, type SecretStore} from '../../src/secrets/store-types.js';
import {writeAtomically} from '../../src/util/atomic-write.js';
import {applyTransaction, recoverTransaction, type Step, transactionDir} from '../../src/util/transaction.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';

const keychain = inject('keychain');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));
const WORDS = {noun: 'test', past: 'changed', rerun: 'mcpx test'};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-txn-'));
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

/** Files and keychain entries of one scenario, with the steps that change all kinds of them. */
interface Scenario {
  steps: Step[];
  values: string[];
  files: string[];
  accounts: string[];
}

async function scenario(store: SecretStore): Promise<Scenario> {
  const t = () => TOKEN_MAKERS['github-pat']!(rng);
  const values = [t(), t(), t(), t(), t()];
  const [inFile, fresh, replaced] = values;
  const a = path.join(dir, 'a.json');
  const b = path.join(dir, 'new/deeper/b.json');
  const c = path.join(dir, 'c.json');
  const s: Scenario = {
    steps: [
      {kind: 'secret', op: 'create', account: 'env/NEW', value: fresh},
      {kind: 'secret', op: 'replace', account: 'env/OLD', value: replaced},
      {kind: 'secret', op: 'replace', account: 'env/MISSING', value: replaced},
      {kind: 'secret', op: 'delete', account: 'env/GONE'},
      {kind: 'file', op: 'write', file: a, before: JSON.stringify({token: inFile}), after: '{"token": "${NEW}"}\n', mode: 0o644},
      {kind: 'file', op: 'write', file: b, after: 'created\n'},
      {kind: 'file', op: 'remove', file: c, before: 'to remove\n', mode: 0o640},
    ],
    values,
    files: [a, b, c, path.join(dir, 'new')],
    accounts: ['env/NEW', 'env/OLD', 'env/MISSING', 'env/GONE'],
  };
  await reset(s, store);
  return s;
}

/** Put the files and the keychain back to the scenario's starting point. */
async function reset(s: Scenario, store: SecretStore): Promise<void> {
  const [a, , c, newDir] = s.files;
  fs.rmSync(newDir!, {recursive: true, force: true});
  fs.writeFileSync(a!, JSON.stringify({token: s.values[0]}));
  fs.chmodSync(a!, 0o644);
  fs.writeFileSync(c!, 'to remove\n');
  fs.chmodSync(c!, 0o640);
  for (const acc of await store.list()) await store.delete(acc);
  await store.set('env/OLD', s.values[3]!);
  await store.set('env/GONE', s.values[4]!);
}

/** A signal for the moment a run reaches the operation it dies at. */
function deathPoint(): {reached: Promise<void>; die: () => Promise<never>} {
  let hit!: () => void;
  const reached = new Promise<void>((r) => (hit = r));
  return {reached, die: () => (hit(), never())};
}

type State = {files: Array<[string, string | null, number | null]>; keychain: Array<[string, string | undefined]>; listed: string[]};

async function state(s: Scenario, store: SecretStore): Promise<State> {
  return {
    files: s.files.map((f) => {
      if (!fs.existsSync(f)) return [f, null, null];
      const st = fs.statSync(f);
      return [f, st.isDirectory() ? 'dir' : fs.readFileSync(f, 'utf8'), st.mode & 0o777];
    }),
    keychain: await Promise.all(s.accounts.map(async (a) => [a, await store.get(a)] as [string, string | undefined])),
    listed: await store.list(),
  };
}

/** A store whose every operation counts; operation `n` runs `onOp` first (throw = fault, hang = kill). */
function instrumented(real: SecretStore, onOp: (n: number) => Promise<void> | void): SecretStore {
  let n = 0;
  const at = async () => onOp(n++);
  return {
    kind: real.kind,
    description: real.description,
    get: async (a) => (await at(), real.get(a)),
    set: async (a, v) => (await at(), real.set(a, v)),
    delete: async (a) => (await at(), real.delete(a)),
    list: () => real.list(),
  };
}

const never = () => new Promise<never>(() => undefined);

function leftovers(): string[] {
  const tdir = transactionDir(dir);
  return fs.existsSync(tdir) ? fs.readdirSync(tdir).filter((f) => f !== 'lock') : [];
}

/** `full`: every case; the real keychain runs the crash and fault cases only (each keychain call costs a D-Bus round trip). */
function suite(name: string, open: () => Promise<SecretStore>, clean: (s: SecretStore) => Promise<void>, full = true) {
  const more = full ? test : test.skip;
  describe(name, () => {
    let store: SecretStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => clean(store));

    test('applies every kind of step; nothing of the transaction is left afterwards', async () => {
      const s = await scenario(store);
      await applyTransaction(s.steps, {stateDir: dir, store, words: WORDS});
      const after = await state(s, store);
      expect(after.files[0]![1]).toBe('{"token": "${NEW}"}\n');
      expect(after.files[0]![2]).toBe(0o644 & 0o600);
      expect(after.files[1]![1]).toBe('created\n');
      expect(after.files[2]![1]).toBeNull();
      expect(after.keychain.map(([, v]) => v)).toEqual([s.values[1], s.values[2], s.values[2], undefined]);
      expect(after.listed.filter((a) => a.startsWith('mcpx-txn/'))).toEqual([]);
      expect(leftovers()).toEqual([]);
    });

    test('a fault before any step, at every step and before the commit: everything as before', async () => {
      const s = await scenario(store);
      const before = await state(s, store);
      for (let k = 0; k <= s.steps.length; k++) {
        await reset(s, store);
        const err = `fault at step ${k}`;
        await expect(applyTransaction(s.steps, {stateDir: dir, store, words: WORDS, beforeStep: (i) => {
          if (i === k) throw new Error(err);
        }})).rejects.toThrow(`${err} The test was undone; nothing was changed.`);
        expect(await state(s, store), `after ${err}`).toEqual(before);
        expect(leftovers()).toEqual([]);
      }
    });

    more('a keychain operation failing, at every one: everything as before', async () => {
      const s = await scenario(store);
      const before = await state(s, store);
      let count = 0;
      await applyTransaction(s.steps, {stateDir: dir, store: instrumented(store, () => void count++), words: WORDS});
      let tried = 0;
      for (let k = 0; k < count; k++) {
        await reset(s, store);
        const flaky = instrumented(store, (n) => {
          if (n === k) throw new Error('keychain went away');
        });
        const result = await applyTransaction(s.steps, {stateDir: dir, store: flaky, words: WORDS}).then(() => 'ok', (e: Error) => e.message);
        // Only the clean-up's deletes of saved old values can fail without failing the run.
        if (result === 'ok') continue;
        tried++;
        expect(result).toContain('keychain went away');
        expect(await state(s, store), `keychain fault at operation ${k}`).toEqual(before);
        expect(leftovers()).toEqual([]);
      }
      expect(tried).toBeGreaterThan(8);
    });

    more('the disk refusing a write: nothing was changed, and says so', async () => {
      const s = await scenario(store);
      const before = await state(s, store);
      const failing: typeof writeAtomically = async (file) => {
        if (file.endsWith('b.json')) throw Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), {code: 'EROFS', path: file, syscall: 'open'});
      };
      await expect(applyTransaction(s.steps, {stateDir: dir, store, words: WORDS, write: failing})).rejects.toThrow(/read-only.*nothing was changed/);
      expect(await state(s, store)).toEqual(before);
    });

    test('killed at every keychain operation: the next run rolls back (or finishes a committed run)', async () => {
      const s = await scenario(store);
      const before = await state(s, store);
      let count = 0;
      await applyTransaction(s.steps, {stateDir: dir, store: instrumented(store, () => void count++), words: WORDS});
      const after = await state(s, store);
      const outcomes = {rolledBack: 0, finished: 0};
      for (let k = 0; k < count; k++) {
        await reset(s, store);
        const death = deathPoint();
        const dying = instrumented(store, (n) => (n === k ? death.die() : undefined));
        void applyTransaction(s.steps, {stateDir: dir, store: dying, words: WORDS});
        await death.reached;
        const journal = fs.readFileSync(path.join(transactionDir(dir), 'intent.json'), 'utf8');
        for (const v of s.values) expect(journal).not.toContain(v);
        fs.rmSync(path.join(transactionDir(dir), 'lock'), {force: true}); // the dead run's lock
        const report = await recoverTransaction({stateDir: dir, store});
        expect(report).toBeDefined();
        if (report!.outcome === 'finished') outcomes.finished++;
        else outcomes.rolledBack++;
        expect(await state(s, store), `killed at operation ${k}`).toEqual(report!.outcome === 'finished' ? after : before);
        expect(leftovers()).toEqual([]);
      }
      expect(outcomes.rolledBack).toBeGreaterThan(8);
      expect(outcomes.finished).toBeGreaterThan(0);
    });

    more('killed at every file write: the next run rolls back; pre-images are 0600 in a 0700 folder', async () => {
      const s = await scenario(store);
      const before = await state(s, store);
      for (let k = 0; k < 2; k++) {
        await reset(s, store);
        let n = 0;
        const death = deathPoint();
        const dying: typeof writeAtomically = async (file, content, options) => (n++ === k ? death.die() : writeAtomically(file, content, options));
        void applyTransaction(s.steps, {stateDir: dir, store, words: WORDS, write: dying});
        await death.reached;
        const tdir = transactionDir(dir);
        expect(fs.statSync(tdir).mode & 0o777).toBe(0o700);
        const pres = fs.readdirSync(tdir).filter((f) => f.endsWith('.pre'));
        expect(pres.length).toBe(2);
        for (const p of pres) expect(fs.statSync(path.join(tdir, p)).mode & 0o777).toBe(0o600);
        fs.rmSync(path.join(tdir, 'lock'), {force: true});
        const report = await recoverTransaction({stateDir: dir, store});
        expect(report?.outcome).toBe('rolled-back');
        expect(await state(s, store), `killed at file write ${k}`).toEqual(before);
      }
    });

    test('a rollback keeps a created entry that a file refers to, and leaves a file changed by someone else', async () => {
      const s = await scenario(store);
      const a = s.files[0]!;
      const err = await applyTransaction(s.steps, {
        stateDir: dir,
        store,
        words: WORDS,
        isReferenced: async (account) => account === 'env/NEW',
        beforeStep: (i) => {
          if (i === 6) {
            fs.writeFileSync(a, 'edited by the user\n');
            throw new Error('boom');
          }
        },
      }).catch((e: Error & {code?: string}) => e);
      expect((err as {code?: string}).code).toBe('E_ROLLBACK');
      expect((err as Error).message).toMatch(/a\.json: it changed since mcpx wrote it; left as it is/);
      expect(fs.readFileSync(a, 'utf8')).toBe('edited by the user\n');
      expect(await store.get('env/NEW')).toBe(s.values[1]);
      // The journal stays for the next run, which reports the same file again.
      await expect(recoverTransaction({stateDir: dir, store})).rejects.toThrow(/could not be fully rolled back/);
    });

    more('a file changed since the plan: refused before anything is done', async () => {
      const s = await scenario(store);
      fs.writeFileSync(s.files[0]!, 'changed\n');
      const before = await state(s, store);
      await expect(applyTransaction(s.steps, {stateDir: dir, store, words: WORDS})).rejects.toMatchObject({code: 'E_CHANGED'});
      expect(await state(s, store)).toEqual(before);
      expect(leftovers()).toEqual([]);
    });
  });
}

suite('transaction engine, in-memory store', async () => new MemoryStore(), async (s) => {
  for (const a of await s.list()) await s.delete(a);
});

describe.skipIf(!keychain.available)(`transaction engine, real keychain${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  suite(
    'real keychain',
    () => openKeychain({service: `mcpx-test-txn-${randomBytes(4).toString('hex')}`}),
    async (s) => {
      for (const a of await s.list()) await s.delete(a);
    },
    false,
  );
});
