/**
 * Read a file that outside data names, within bounds: regular files only (a FIFO, a device,
 * a folder or /dev/zero is refused before anything is read), opened without blocking so a
 * FIFO cannot hang the run, and read at most `maxBytes` + 1 bytes whatever `stat` says (files
 * under /proc report size 0 and can yield gigabytes).
 */
import fs from 'node:fs';

/** Why a file was refused: `kind` for callers that word their own message. */
export class BoundedReadError extends Error {
  constructor(
    readonly file: string,
    readonly kind: 'directory' | 'not-regular' | 'too-large',
    message: string,
  ) {
    super(message);
    this.name = 'BoundedReadError';
  }
}

/** Read `file` as bytes; throws BoundedReadError (or the fs error, e.g. ENOENT/EACCES). */
export async function readBounded(file: string, maxBytes: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new BoundedReadError(file, 'directory', `${file}: is a directory`);
    if (!stat.isFile()) throw new BoundedReadError(file, 'not-regular', `${file}: not a regular file`);
    const tooLarge = (size: string) =>
      new BoundedReadError(file, 'too-large', `${file}: too large (${size} bytes; the limit is ${maxBytes})`);
    if (stat.size > maxBytes) throw tooLarge(String(stat.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(64 * 1024, maxBytes + 1 - total));
      const {bytesRead} = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(`more than ${maxBytes}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}
