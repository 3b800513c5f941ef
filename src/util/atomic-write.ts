/**
 * Atomic file writes: write a temp file beside the target, fsync it, then rename over the
 * target, so a reader sees the old or the new content and never half of one. The target's mode
 * is kept (or set), the temp file never outlives a failure, and its mode is set before any
 * byte is written so a secret is never readable by others, even for an instant.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface WriteOptions {
  /** Mode for the file; defaults to the existing file's mode, else 0o600. */
  mode?: number;
  /** Never loosen an existing file's mode: the result is `existing & mode`. Default true when `mode` is given. */
  tighten?: boolean;
}

/** Write `content` to `file` atomically. Creates parent folders (0700) when missing. */
export async function writeAtomically(file: string, content: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  await fs.promises.mkdir(dir, {recursive: true, mode: 0o700});
  let existingMode: number | undefined;
  try {
    existingMode = (await fs.promises.stat(file)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let mode = options.mode ?? existingMode ?? 0o600;
  if (options.mode !== undefined && existingMode !== undefined && options.tighten !== false) mode = existingMode & options.mode;
  const real = await realTarget(file);
  const tmp = path.join(path.dirname(real), `.${path.basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.promises.open(tmp, 'wx', 0o600);
  try {
    await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    await fs.promises.rename(tmp, real);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, {force: true}).catch(() => undefined);
    throw error;
  }
}

/** Follow a symlinked config (dotfile managers do this) so the link survives the rename. */
async function realTarget(file: string): Promise<string> {
  try {
    return await fs.promises.realpath(file);
  } catch {
    return file;
  }
}
