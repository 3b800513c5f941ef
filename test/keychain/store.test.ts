import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {UserError} from '../../src/errors.js';
import {openKeychain, splitValue, type KeychainStore} from '../../src/secrets/store.js';
import {keychainEnv, rawAccounts, rawDelete, rawGet, randomText, skipNote, uniqueService} from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe.skipIf(!keychainEnv.available)(`KeychainStore against the real keychain${skipNote}`, () => {
  const service = uniqueService('store');
  let store: KeychainStore;

  beforeAll(async () => {
    store = await openKeychain({service});
  });

  /** The part entries of `account`, in part order. */
  const partsOf = async (account: string) =>
    (await rawAccounts(service)).filter((a) => a.startsWith(`${account}#`)).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop()));

  afterAll(async () => {
    for (const account of await store.list()) await store.delete(account);
  });

  test('the probe leaves nothing behind', async () => {
    expect(await rawAccounts(service)).toEqual([]);
    expect(store.kind).toBe('keychain');
    expect(store.description).toMatch(/Secret Service/);
  });

  test('set, get, overwrite, delete', async () => {
    const value = randomText(40);
    await store.set('env/ROUND_TRIP', value);
    expect(await store.get('env/ROUND_TRIP')).toBe(value);
    // Really in the keychain, under the service and structured account, as the plain value.
    expect(await rawGet(service, 'env/ROUND_TRIP')).toBe(value);
    const second = randomText(12);
    await store.set('env/ROUND_TRIP', second);
    expect(await store.get('env/ROUND_TRIP')).toBe(second);
    expect(await store.delete('env/ROUND_TRIP')).toBe(true);
    expect(await store.get('env/ROUND_TRIP')).toBeUndefined();
    expect(await store.delete('env/ROUND_TRIP')).toBe(false);
    expect(await rawGet(service, 'env/ROUND_TRIP')).toBeNull();
  });

  test('get of an account never set is undefined', async () => {
    expect(await store.get('env/NEVER_SET')).toBeUndefined();
  });

  test('a 5,000-character value is split into parts of at most 1,000 and joined back', async () => {
    const value = randomText(5000);
    await store.set('oauth/abc123/tokens', value);
    expect(await store.layout('oauth/abc123/tokens')).toEqual({parts: 5});
    const head = (await rawGet(service, 'oauth/abc123/tokens'))!;
    const m = /^mcpx-chunks:2:([ab]):5:5000:[0-9a-f]{16}$/.exec(head);
    expect(m, head).not.toBeNull();
    const generation = m![1]!;
    expect(await partsOf('oauth/abc123/tokens')).toEqual([1, 2, 3, 4, 5].map((i) => `oauth/abc123/tokens#${generation}.${i}`));
    const raw = await Promise.all([1, 2, 3, 4, 5].map((i) => rawGet(service, `oauth/abc123/tokens#${generation}.${i}`)));
    for (const part of raw) expect(part!.length).toBeLessThanOrEqual(1000);
    expect(raw.join('')).toBe(value);
    expect(await store.get('oauth/abc123/tokens')).toBe(value);

    // A rewrite uses a new generation and removes every part of the old one.
    const shorter = randomText(1500);
    await store.set('oauth/abc123/tokens', shorter);
    expect(await store.get('oauth/abc123/tokens')).toBe(shorter);
    const after = await partsOf('oauth/abc123/tokens');
    expect(after).toHaveLength(2);
    expect(after.some((a) => a.includes(`#${generation}.`))).toBe(false);
    const short = randomText(20);
    await store.set('oauth/abc123/tokens', short);
    expect(await store.layout('oauth/abc123/tokens')).toEqual({parts: 0});
    expect(await partsOf('oauth/abc123/tokens')).toEqual([]);

    // Deleting a split value deletes every part.
    await store.set('oauth/abc123/tokens', value);
    expect(await store.delete('oauth/abc123/tokens')).toBe(true);
    expect((await rawAccounts(service)).filter((a) => a.startsWith('oauth/abc123/tokens'))).toEqual([]);
  });

  test('a value split by an older mcpx (version 1 head, parts at #1..#N) is read, and rewritten without leftovers', async () => {
    const value = randomText(2300);
    const parts = splitValue(value, 1000);
    const {AsyncEntry} = await import('@napi-rs/keyring');
    const raw = (account: string) => new AsyncEntry(service, account, {linux: {store: 'secret-service'}});
    for (const [i, part] of parts.entries()) await raw(`env/OLD_LAYOUT#${i + 1}`).setPassword(part);
    const {createHash} = await import('node:crypto');
    const sum = createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
    await raw('env/OLD_LAYOUT').setPassword(`mcpx-chunks:1:${parts.length}:${value.length}:${sum}`);
    expect(await store.get('env/OLD_LAYOUT')).toBe(value);
    const next = randomText(1800);
    await store.set('env/OLD_LAYOUT', next);
    expect(await store.get('env/OLD_LAYOUT')).toBe(next);
    const left = await partsOf('env/OLD_LAYOUT');
    expect(left).toHaveLength(2);
    expect(left.every((a) => /#[ab]\.\d$/.test(a))).toBe(true);
    await store.delete('env/OLD_LAYOUT');
    expect((await rawAccounts(service)).filter((a) => a.startsWith('env/OLD_LAYOUT'))).toEqual([]);
  });

  test('kill -9 in the middle of rewriting a split value leaves the old value or the new one, never a torn one (12 kills)', async () => {
    // Before generations, parts were rewritten in place: a kill between two part writes left the
    // old head over new parts, and every later read (of the index, too) failed as torn.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-kill-split-'));
    const storeUrl = pathToFileURL(path.join(ROOT, 'dist/secrets/store.js')).href;
    // Value i is the digit i % 10 repeated 6,000-8,000 times (6-8 parts); the child prints i once stored.
    const script = `const {openKeychain} = await import(${JSON.stringify(storeUrl)});
      const store = await openKeychain({service: process.env.SVC});
      for (let i = Number(process.env.FROM); ; i++) {
        await store.set('env/KILLED', String(i % 10).repeat(6000 + (i % 3) * 1000));
        process.stdout.write(i + '\\n');
      }`;
    const valueOf = (i: number) => String(i % 10).repeat(6000 + (i % 3) * 1000);
    let last = 0;
    try {
      await store.set('env/KILLED', valueOf(0));
      for (let round = 0; round < 12; round++) {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          env: {PATH: process.env.PATH, HOME: home, MCPX_HOME: path.join(home, 'mcpx'), DBUS_SESSION_BUS_ADDRESS: keychainEnv.busAddress, SVC: service, FROM: String(last + 1)},
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const wanted = 1 + (round % 3);
        let lines = 0;
        await new Promise<void>((resolve, reject) => {
          child.on('error', reject);
          child.on('close', () => reject(new Error('the writer exited early')));
          child.stdout!.on('data', (chunk: Buffer) => {
            for (const line of chunk.toString().split('\n').filter(Boolean)) {
              last = Number(line);
              if (++lines === wanted) resolve();
            }
          });
        });
        // Somewhere inside the next rewrite (a rewrite of 6-8 parts takes tens of milliseconds).
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 40)));
        const closed = new Promise((resolve) => child.on('close', resolve));
        child.kill('SIGKILL');
        await closed;
        const value = await store.get('env/KILLED');
        // The last value the writer finished, or the one it was writing when killed.
        expect([valueOf(last), valueOf(last + 1)], `round ${round}`).toContain(value);
        if (value === valueOf(last + 1)) last += 1;
      }
    } finally {
      await store.delete('env/KILLED').catch(() => undefined);
      // Only unreferenced parts of interrupted writes can remain besides the value.
      for (const account of await rawAccounts(service)) if (account.startsWith('env/KILLED#')) await rawDelete(service, account);
      fs.rmSync(home, {recursive: true, force: true});
    }
  }, 90_000);

  test('unicode survives, also when split (never between the halves of a surrogate pair)', async () => {
    const value = 'pässwörd-密码-🔑🗝️-' + '😀'.repeat(700) + '-e\u0301nd';
    await store.set('env/UNICODE', value);
    expect(await store.get('env/UNICODE')).toBe(value);
    const layout = await store.layout('env/UNICODE');
    expect(layout!.parts).toBeGreaterThan(1);
    for (let i = 1; i <= layout!.parts; i++) {
      const part = (await rawGet(service, (await partsOf('env/UNICODE'))[i - 1]!))!;
      expect(part).not.toMatch(LONE_SURROGATE);
    }
    await store.delete('env/UNICODE');
  });

  test('a value that looks like a split header is stored unambiguously', async () => {
    const tricky = 'mcpx-chunks:1:3:12:0123456789abcdef';
    await store.set('env/TRICKY', tricky);
    expect(await store.get('env/TRICKY')).toBe(tricky);
    await store.delete('env/TRICKY');
    expect(await partsOf('env/TRICKY')).toEqual([]);
  });

  test('a missing part is reported, not returned as a wrong value', async () => {
    await store.set('env/TORN', randomText(2500));
    await rawDelete(service, (await partsOf('env/TORN'))[1]!);
    const error = await store.get('env/TORN').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('E_KEYCHAIN_TORN');
    expect((error as UserError).message).not.toMatch(/[A-Za-z0-9_-]{100}/);
    await store.delete('env/TORN');
  });

  test('list() shows what was set, from the index, without parts or internal entries', async () => {
    const names = Array.from({length: 8}, (_, i) => `env/LISTED_${i}`);
    // In parallel: the index is updated one writer at a time, so none is lost.
    await Promise.all(names.map((n) => store.set(n, randomText(10))));
    await store.set('env/LISTED_LONG', randomText(3000));
    expect(await store.list()).toEqual([...names, 'env/LISTED_LONG'].sort());
    expect(await rawAccounts(service)).toContain('_mcpx/index');
    await Promise.all(names.map((n) => store.delete(n)));
    expect(await store.list()).toEqual(['env/LISTED_LONG']);
    await store.delete('env/LISTED_LONG');
    expect(await store.list()).toEqual([]);
    // An empty index is removed, so nothing of mcpx stays behind.
    expect(await rawAccounts(service)).toEqual([]);
  });

  test('an index entry whose value vanished (deleted by another tool) is dropped by delete()', async () => {
    await store.set('env/VANISHED', 'v1');
    await rawDelete(service, 'env/VANISHED');
    expect(await store.list()).toContain('env/VANISHED');
    expect(await store.delete('env/VANISHED')).toBe(false);
    expect(await store.list()).not.toContain('env/VANISHED');
  });

  test('an index that outgrows one entry is split like any value', async () => {
    // A small entry limit makes a few names enough to split the index.
    const small = await openKeychain({service, maxEntryLength: 64});
    const names = Array.from({length: 6}, (_, i) => `env/A_RATHER_LONG_SECRET_NAME_${i}`);
    for (const n of names) await small.set(n, 'x1');
    expect(await small.list()).toEqual(names);
    expect(await store.list()).toEqual(names);
    expect(await rawGet(service, '_mcpx/index')).toMatch(/^mcpx-chunks:2:[ab]:[2-9]:/);
    for (const n of names) await small.delete(n);
    expect(await rawAccounts(service)).toEqual([]);
  });

  test('a torn index (left by an older mcpx killed mid-write) is rebuilt from the keychain search, not an error forever', async () => {
    const small = await openKeychain({service, maxEntryLength: 64});
    const names = Array.from({length: 4}, (_, i) => `env/TORN_INDEX_NAME_${i}`);
    for (const n of names) await small.set(n, 'x1');
    const indexParts = (await rawAccounts(service)).filter((a) => a.startsWith('_mcpx/index#'));
    expect(indexParts.length).toBeGreaterThan(1);
    await rawDelete(service, indexParts[0]!);
    expect(await small.list()).toEqual(names);
    // The next change writes a whole index again.
    await small.set('env/TORN_INDEX_NEXT', 'x2');
    expect(await store.list()).toEqual([...names, 'env/TORN_INDEX_NEXT']);
    for (const n of [...names, 'env/TORN_INDEX_NEXT']) await small.delete(n);
    expect(await rawAccounts(service)).toEqual([]);
  });

  test('processes writing at the same time lose no index entry (cross-process lock)', async () => {
    // Three separate processes each set eight names as fast as they can; without the lock file
    // their read-modify-write cycles of the index interleave and names go missing from list().
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-index-lock-'));
    const storeUrl = pathToFileURL(path.join(ROOT, 'dist/secrets/store.js')).href;
    const script = `const {openKeychain} = await import(${JSON.stringify(storeUrl)});
      const store = await openKeychain({service: process.env.SVC});
      await Promise.all(Array.from({length: 8}, (_, i) => store.set('env/P' + process.env.N + '_' + i, 'v' + i)));`;
    const run = (n: number) =>
      new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          env: {PATH: process.env.PATH, HOME: home, MCPX_HOME: path.join(home, 'mcpx'), DBUS_SESSION_BUS_ADDRESS: keychainEnv.busAddress, SVC: service, N: String(n)},
          stdio: ['ignore', 'ignore', 'inherit'],
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
    try {
      expect(await Promise.all([run(1), run(2), run(3)])).toEqual([0, 0, 0]);
      const expected = [1, 2, 3].flatMap((n) => Array.from({length: 8}, (_, i) => `env/P${n}_${i}`)).sort();
      expect(await store.list()).toEqual(expected);
      // The lock file lives in mcpx's cache folder and is gone afterwards.
      expect(fs.readdirSync(path.join(home, 'mcpx', 'cache', 'locks'))).toEqual([]);
      for (const name of expected) await store.delete(name);
      expect(await rawAccounts(service)).toEqual([]);
    } finally {
      fs.rmSync(home, {recursive: true, force: true});
    }
  });

  test('bad accounts are refused before the keychain is touched', async () => {
    for (const account of ['nonamespace', 'env/', '/x', 'env/A#1', '_mcpx/index', `env/${'x'.repeat(300)}`, 'env/a\nb']) {
      const error = await store.set(account, 'v').catch((e: unknown) => e);
      expect((error as UserError).code, account).toBe('E_KEYCHAIN_ACCOUNT');
    }
    expect(await rawAccounts(service)).toEqual([]);
  });
});

describe('splitValue', () => {
  test('pieces are at most max long and join back', () => {
    expect(splitValue('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitValue('', 3)).toEqual(['']);
    const emoji = '😀😀😀';
    // A cut at 3 would split the second emoji; the piece ends one unit early instead.
    expect(splitValue(emoji, 3)).toEqual(['😀', '😀', '😀']);
  });
});
