/**
 * The cross-process lock and the lock file a full disk or a kill -9 leaves empty (issue 14):
 * an empty lock past a short grace is abandoned, a fresh empty one is still respected.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {withLock} from '../../src/util/lock.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-lock-'));
});
afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('withLock and an empty lock file', () => {
  test('a 0-byte lock left long ago is taken as stale at once, not waited on', async () => {
    const file = path.join(dir, 'keychain.lock');
    fs.writeFileSync(file, '');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(file, old, old);
    const started = Date.now();
    const result = await withLock(file, async () => 'ran', {waitMs: 1000, code: 'E_TEST'});
    expect(result).toBe('ran');
    expect(Date.now() - started).toBeLessThan(500);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a torn (unparsable) old lock is taken as stale too', async () => {
    const file = path.join(dir, 'x.lock');
    fs.writeFileSync(file, '{"pid":');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(file, old, old);
    await expect(withLock(file, async () => 'ran', {waitMs: 1000})).resolves.toBe('ran');
  });

  test('a fresh empty lock (its owner is writing it right now) is respected', async () => {
    const file = path.join(dir, 'x.lock');
    fs.writeFileSync(file, '');
    await expect(withLock(file, async () => 'ran', {waitMs: 300, code: 'E_TEST'})).rejects.toMatchObject({code: 'E_TEST'});
    expect(fs.existsSync(file)).toBe(true);
  });
});
