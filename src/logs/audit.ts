/**
 * The audit log of `mcpx serve` (issue 16, first part): one JSON Lines record per request,
 * redacted before it is written, appended in batches off the hot path, rotated by size, read
 * back with a torn last line skipped. Not yet wired into serve (see docs/logs.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import {detectSecrets} from '../secrets/detect.js';
import {maskSecret, redact} from '../secrets/mask.js';
import {homeDir} from '../util/paths.js';

export type Outcome = 'ok' | 'tool-error' | 'error' | 'refused' | 'timeout';

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
  /** Flush after this many ms (default 200). */
  flushMs?: number;
  known?: () => Iterable<string>;
}

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
    let out = '';
    for (const r of batch) {
      const rec = {...r};
      if (rec.tool) rec.tool = redactText(rec.tool, known);
      if (rec.argNames) rec.argNames = rec.argNames.map((n) => redactText(n, known));
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
      const fh = await fs.promises.open(file, 'a', 0o600);
      try {
        await fh.write(this.lines(batch));
        const {size} = await fh.stat();
        if (size > (this.opts.maxBytes ?? 10 * 1024 * 1024)) await this.rotate(file);
      } finally {
        await fh.close();
      }
    }).catch(() => undefined);
    return this.writing;
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
    const old = (await logFiles(this.opts.dir)).filter((f) => path.basename(f) !== CURRENT);
    const excess = old.length - (this.opts.maxFiles ?? 10);
    for (const f of old.slice(0, Math.max(0, excess))) await fs.promises.rm(f, {force: true});
  }
}

/** Log files oldest first (rotated by name, the current one last). */
export async function logFiles(dir: string): Promise<string[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const rotated = names.filter((n) => /^audit-.*\.jsonl$/.test(n)).sort();
  return [...rotated, ...(names.includes(CURRENT) ? [CURRENT] : [])].map((n) => path.join(dir, n));
}

/** Every record, streamed line by line; unparsable lines (a torn last line) are skipped. */
export async function* readRecords(dir: string): AsyncGenerator<AuditRecord> {
  for (const file of await logFiles(dir)) {
    let rest = '';
    for await (const chunk of fs.createReadStream(file, {encoding: 'utf8', highWaterMark: 1 << 20})) {
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
