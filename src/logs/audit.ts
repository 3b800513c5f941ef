/**
 * The audit log of `mcpx serve` (docs/logs.md): one JSON Lines record per request, redacted
 * before it is written, appended in batches off the hot path, rotated by size and age, read
 * back with a torn last line skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import {detectSecrets} from '../secrets/detect.js';
import {maskDeep, maskSecret, redact} from '../secrets/mask.js';
import {writeAtomically} from '../util/atomic-write.js';
import {homeDir} from '../util/paths.js';

export type Outcome = 'ok' | 'tool-error' | 'error' | 'refused' | 'held' | 'timeout';

export interface AuditRecord {
  time: string;
  id?: string | number;
  session?: string;
  client?: {name?: string; version?: string};
  method: string;
  tool?: string;
  server?: string;
  upstreamTool?: string;
  durationMs: number;
  outcome: Outcome;
  errorType?: string;
  bytesIn?: number;
  bytesOut?: number;
  /** Argument names only; values never, unless payloads are opted in. */
  argNames?: string[];
  /** With `options.log.payloads`: the argument values and the result, masked and truncated by the writer. */
  arguments?: unknown;
  result?: unknown;
  /** Set when `arguments` or `result` was cut to `payloadMax` characters of JSON (then a string). */
  payloadTruncated?: true;
}

/** `$XDG_STATE_HOME/mcpx/logs` (default ~/.local/state/mcpx/logs); `MCPX_HOME/state/logs` when set. */
export function logsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MCPX_HOME) return path.join(env.MCPX_HOME, 'state', 'logs');
  return path.join(env.XDG_STATE_HOME || path.join(homeDir(env), '.local', 'state'), 'mcpx', 'logs');
}

/** `text` with every known secret and every detected credential masked. */
export function redactText(text: string, known: Iterable<string> = []): string {
  let out = redact(text, known);
  const found = detectSecrets(out, {field: 'other'});
  for (const d of [...found].reverse()) out = out.slice(0, d.start) + maskSecret(d.secret) + out.slice(d.end);
  return out;
}

export interface WriterOptions {
  dir: string;
  /** Rotate the current file past this many bytes (default 10 MB). */
  maxBytes?: number;
  /** Keep at most this many rotated files (default 10). */
  maxFiles?: number;
  /** Delete rotated files older than this many days (default 30); the current file rotates at least daily. */
  maxAgeDays?: number;
  /** Flush after this many ms (default 200). */
  flushMs?: number;
  /** Characters of JSON kept of a payload (arguments, result) when payloads are logged (default 2000). */
  payloadMax?: number;
  known?: () => Iterable<string>;
}

const DAY_MS = 86_400_000;

const CURRENT = 'audit.jsonl';
/** Records written in one append at most. */
const MAX_BATCH = 1000;
/** No record is this long: a longer line (a file without newlines) is dropped, not buffered. */
const MAX_LINE = 1024 * 1024;

/**
 * Buffered JSONL writer: `add` only queues; a timer flushes every batch with one append write
 * of whole lines (O_APPEND), so several serve processes never interleave records.
 */
export class AuditWriter {
  private queue: AuditRecord[] = [];
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: WriterOptions) {}

  add(record: AuditRecord): void {
    this.queue.push(record);
    // A burst flushes at once, so neither the queue nor one batch's write grows without bound.
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.flushMs ?? 200).unref();
  }

  private lines(batch: AuditRecord[]): string {
    const known = [...(this.opts.known?.() ?? [])];
    const max = this.opts.payloadMax ?? 2000;
    let out = '';
    for (const r of batch) {
      const rec = {...r};
      if (rec.tool) rec.tool = redactText(rec.tool, known);
      if (rec.argNames) rec.argNames = rec.argNames.map((n) => redactText(n, known));
      for (const key of ['arguments', 'result'] as const) {
        if (rec[key] === undefined) continue;
        const p = maskPayload(rec[key], known, max);
        rec[key] = p.value;
        if (p.truncated) rec.payloadTruncated = true;
      }
      out += JSON.stringify(rec) + '\n';
    }
    return out;
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      await fs.promises.mkdir(this.opts.dir, {recursive: true, mode: 0o700});
      const file = path.join(this.opts.dir, CURRENT);
      if (!this.pruned) {
        this.pruned = true;
        await this.prune();
      }
      const fh = await fs.promises.open(file, 'a+', 0o600);
      let rotate = false;
      try {
        // One write of whole lines (O_APPEND): another process's batch lands before or after it.
        const bytes = Buffer.from(this.lines(batch));
        for (let off = 0; off < bytes.length; ) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
        const st = await fh.stat();
        rotate = st.size > (this.opts.maxBytes ?? 10 * 1024 * 1024) || Date.now() - (await this.startOf(fh, st.ino)) > this.rotateAfterMs();
      } finally {
        await fh.close();
      }
      if (rotate) await this.rotate(file);
    }).catch(() => undefined);
    return this.writing;
  }

  private pruned = false;
  /** The current file's inode and the time of its first record. */
  private current?: {ino: number; start: number};

  private maxAgeMs(): number {
    return (this.opts.maxAgeDays ?? 30) * DAY_MS;
  }

  private rotateAfterMs(): number {
    return Math.min(DAY_MS, this.maxAgeMs());
  }

  /** When the current file's first record was written (read once per file, by its inode). */
  private async startOf(fh: fs.promises.FileHandle, ino: number): Promise<number> {
    if (this.current?.ino === ino) return this.current.start;
    const buf = Buffer.alloc(4096);
    const {bytesRead} = await fh.read(buf, 0, buf.length, 0);
    const head = buf.subarray(0, bytesRead).toString('utf8');
    const m = /^\{"time":"([^"]+)"/.exec(head);
    const t = m ? Date.parse(m[1]!) : Number.NaN;
    this.current = {ino, start: Number.isNaN(t) ? Date.now() : t};
    return this.current.start;
  }

  /** Flush what is queued synchronously (at exit). */
  flushSync(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    fs.mkdirSync(this.opts.dir, {recursive: true, mode: 0o700});
    fs.appendFileSync(path.join(this.opts.dir, CURRENT), this.lines(batch), {mode: 0o600});
  }

  private async rotate(file: string): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await fs.promises.rename(file, path.join(this.opts.dir, `audit-${stamp}-${process.pid}.jsonl`)).catch(() => undefined);
    this.current = undefined;
    await this.prune();
  }

  /** Remove rotated files past `maxAgeDays`, then the oldest past `maxFiles`. */
  private async prune(): Promise<void> {
    const cutoff = Date.now() - this.maxAgeMs();
    const kept: string[] = [];
    for (const f of (await logFiles(this.opts.dir)).filter((f) => path.basename(f) !== CURRENT)) {
      const st = await fs.promises.stat(f).catch(() => undefined);
      if (st && st.mtimeMs < cutoff) await fs.promises.rm(f, {force: true});
      else if (st) kept.push(f);
    }
    const excess = kept.length - (this.opts.maxFiles ?? 10);
    for (const f of kept.slice(0, Math.max(0, excess))) await fs.promises.rm(f, {force: true});
  }
}

/**
 * A payload (argument values, a result) as logged: a bounded copy (strings cut, at most 100
 * items per array or object, depth 10) with every string and key masked (known secrets and
 * detected credentials), then cut to `max` characters of JSON. Strings are cut a little past
 * `max` before masking, so a credential that straddles the cut is still whole when detected.
 */
export function maskPayload(value: unknown, known: string[], max: number): {value: unknown; truncated: boolean} {
  let cut = false;
  const bound = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      if (v.length <= max + 256) return v;
      cut = true;
      return v.slice(0, max + 256);
    }
    if (v === null || typeof v !== 'object') return typeof v === 'bigint' || typeof v === 'function' || typeof v === 'symbol' ? String(v) : v;
    if (depth >= 10) {
      cut = true;
      return '[…]';
    }
    const entries = Array.isArray(v) ? v : Object.entries(v);
    if (entries.length > 100) cut = true;
    const some = entries.slice(0, 100);
    if (Array.isArray(v)) return some.map((item) => bound(item, depth + 1));
    return Object.fromEntries((some as Array<[string, unknown]>).map(([k, item]) => [k.slice(0, 200), bound(item, depth + 1)]));
  };
  const masked = maskDeep(bound(value, 0), (t) => redactText(t, known));
  const json = JSON.stringify(masked) ?? 'null';
  if (!cut && json.length <= max) return {value: masked, truncated: false};
  return {value: json.length <= max ? json : json.slice(0, max) + '…', truncated: true};
}

/** Log files oldest first (rotated by name, the current one last). */
export async function logFiles(dir: string): Promise<string[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const rotated = names.filter((n) => /^audit-.*\.jsonl$/.test(n)).sort();
  return [...rotated, ...(names.includes(CURRENT) ? [CURRENT] : [])].map((n) => path.join(dir, n));
}

/**
 * Every record, streamed line by line; unparsable lines (a torn last line) are skipped.
 * `currentEnd`: read the current file only up to this byte (where a follower takes over).
 */
export async function* readRecords(dir: string, currentEnd?: number): AsyncGenerator<AuditRecord> {
  for (const file of await logFiles(dir)) {
    const end = currentEnd !== undefined && path.basename(file) === CURRENT ? currentEnd : undefined;
    if (end === 0) continue;
    yield* readFileRecords(file, end);
  }
}

async function* readFileRecords(file: string, end?: number): AsyncGenerator<AuditRecord> {
  let rest = '';
  for await (const chunk of fs.createReadStream(file, {encoding: 'utf8', highWaterMark: 1 << 20, ...(end === undefined ? {} : {end: end - 1})})) {
    const text = rest + (chunk as string);
    const lines = text.split('\n');
    rest = lines.pop()!;
    if (rest.length > MAX_LINE) rest = '';
    for (const line of lines) {
      const r = parse(line);
      if (r) yield r;
    }
  }
  // A last line without its newline was torn by a crash mid-write.
}

/** The current file's inode and size now (where `followRecords` starts), or nothing yet. */
export async function currentPosition(dir: string): Promise<{ino: number; size: number} | undefined> {
  const st = await fs.promises.stat(path.join(dir, CURRENT)).catch(() => undefined);
  return st ? {ino: st.ino, size: st.size} : undefined;
}

/**
 * Follow the log like `tail -f`: every record appended after `from` (see currentPosition) is
 * passed to `on`, across rotations (the renamed file is read to its end before the new one),
 * until `signal` aborts. Woken by fs.watch on the folder, and by a poll in case it is missed.
 */
export async function followRecords(dir: string, from: {ino: number; size: number} | undefined, on: (r: AuditRecord) => void, signal: AbortSignal, pollMs = 500): Promise<void> {
  const file = path.join(dir, CURRENT);
  let fh: fs.promises.FileHandle | undefined;
  let ino = from?.ino;
  let offset = from?.size ?? 0;
  let rest = '';
  const buf = Buffer.alloc(1 << 16);
  const drain = async () => {
    if (!fh) return;
    for (;;) {
      const {bytesRead} = await fh.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) return;
      offset += bytesRead;
      const lines = (rest + buf.toString('utf8', 0, bytesRead)).split('\n');
      rest = lines.pop()!;
      if (rest.length > MAX_LINE) rest = '';
      for (const line of lines) {
        const r = parse(line);
        if (r) on(r);
      }
    }
  };
  const tick = async () => {
    const st = await fs.promises.stat(file).catch(() => undefined);
    if (fh && st?.ino !== ino) {
      // Rotated (or cleared): finish the old file, then start the new one from its beginning.
      await drain();
      await fh.close();
      fh = undefined;
      rest = '';
      offset = 0;
      ino = undefined;
    }
    if (!fh && st) {
      fh = await fs.promises.open(file, 'r').catch(() => undefined);
      if (!fh) return;
      const now = await fh.stat();
      if (ino !== undefined && now.ino !== ino) offset = 0;
      ino = now.ino;
    }
    await drain();
  };
  // An event during a read is not lost: `dirty` makes the loop read again at once.
  let dirty = false;
  let wakeUp: (() => void) | undefined;
  const wake = () => {
    dirty = true;
    wakeUp?.();
  };
  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(dir, wake);
    watcher.on('error', () => undefined);
  } catch {
    // no folder yet, or no inotify: the poll alone
  }
  signal.addEventListener('abort', wake);
  try {
    while (!signal.aborted) {
      dirty = false;
      await tick();
      if (dirty || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  } finally {
    signal.removeEventListener('abort', wake);
    watcher?.close();
    await fh?.close();
  }
}

/**
 * `mcpx logs clear`: without `before`, every log file is removed; with it, every record older
 * than `before` (ms since the epoch). The current file is first rotated away (serve starts a
 * new one at its next write), then each file is removed whole, kept, or rewritten atomically
 * with the records it keeps.
 */
export async function clearLogs(dir: string, before?: number): Promise<{files: number; removed: number; kept: number}> {
  const current = path.join(dir, CURRENT);
  if (before !== undefined && fs.existsSync(current)) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await fs.promises.rename(current, path.join(dir, `audit-${stamp}-${process.pid}.jsonl`)).catch(() => undefined);
  }
  let files = 0;
  let removed = 0;
  let kept = 0;
  for (const file of await logFiles(dir)) {
    const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const lines = text.split('\n').filter((l) => l !== '');
    const keep = before === undefined ? [] : lines.filter((l) => {
      const t = Date.parse(parse(l)?.time ?? '');
      return !Number.isNaN(t) && t >= before;
    });
    removed += lines.length - keep.length;
    kept += keep.length;
    if (keep.length === lines.length) continue;
    files++;
    if (keep.length === 0) await fs.promises.rm(file, {force: true});
    else await writeAtomically(file, keep.join('\n') + '\n', {mode: 0o600});
  }
  return {files, removed, kept};
}

function parse(line: string): AuditRecord | undefined {
  if (!line) return undefined;
  try {
    const r = JSON.parse(line) as AuditRecord;
    return r && typeof r === 'object' && typeof r.time === 'string' ? r : undefined;
  } catch {
    return undefined;
  }
}
