/**
 * A cross-process lock file, for read-modify-write cycles two mcpx processes must not interleave:
 * refreshing one OAuth token (with refresh-token rotation the loser would present a used refresh
 * token, and many authorization servers then revoke the whole grant) or updating the keychain
 * index. The lock is a file created with O_EXCL holding the owner's pid; a lock whose owner is
 * dead, or that is older than the stale limit, is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';

export interface LockOptions {
  /** How long to wait for another holder (ms). Default 30 s. */
  waitMs?: number;
  /** A lock older than this is considered abandoned (ms). Default 60 s. */
  staleMs?: number;
  /** The UserError code when waiting fails. Default `E_LOCK`. */
  code?: string;
}

/**
 * Run `fn` while holding the lock file `file` (its folder is created 0700).
 * Throws a UserError (`options.code`) when another live process holds it longer than `waitMs`.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  await fs.promises.mkdir(path.dirname(file), {recursive: true, mode: 0o700});
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await fs.promises.open(file, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({pid: process.pid, at: Date.now()}));
      } catch (error) {
        // A full disk (ENOSPC) would otherwise leave an empty lock behind for every later run.
        await handle.close().catch(() => undefined);
        await fs.promises.rm(file, {force: true});
        throw error;
      }
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isAbandoned(file, staleMs)) {
        await fs.promises.rm(file, {force: true});
        continue;
      }
      if (Date.now() > deadline) {
        throw new UserError(`Another mcpx process is holding ${file}.`, {
          code: options.code ?? 'E_LOCK',
          exitCode: 3,
          hint: 'Wait for it to finish; if no other mcpx is running, delete that file.',
        });
      }
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 50));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.promises.rm(file, {force: true});
  }
}

/** An owner writes its record right after creating the file; an empty or unreadable lock older than this was abandoned. */
const EMPTY_GRACE_MS = 2000;

async function isAbandoned(file: string, staleMs: number): Promise<boolean> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return false; // just removed: look again shortly
  }
  try {
    const {pid, at} = JSON.parse(text) as {pid?: number; at?: number};
    if (typeof at === 'number' && Date.now() - at > staleMs) return true;
    if (typeof pid === 'number' && pid !== process.pid) {
      try {
        process.kill(pid, 0);
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH';
      }
    }
    return false;
  } catch {
    // Empty or torn: being written right now, or its writer died (kill -9, full disk). Judge by age.
    try {
      const {mtimeMs} = await fs.promises.stat(file);
      return Date.now() - mtimeMs > EMPTY_GRACE_MS;
    } catch {
      return false;
    }
  }
}
