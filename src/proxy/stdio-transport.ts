/**
 * A stdio client transport that owns its child completely: the child runs in its own process
 * group with a minimal environment, lines on its stdout that are not JSON-RPC are set aside
 * (and reported) instead of breaking the connection, and closing ends the whole group (stdin
 * EOF, then SIGTERM, then SIGKILL), so no grandchild outlives mcpx.
 */
import {type ChildProcess, spawn, spawnSync} from 'node:child_process';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {isMessage} from './rpc.js';

/** Variables a child inherits from mcpx; everything else must be configured in its `env`. */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'TMPDIR', 'TZ', 'LANG', 'LANGUAGE'];
const INHERITED_WIN = ['APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATH', 'PATHEXT', 'PROCESSOR_ARCHITECTURE', 'SYSTEMDRIVE', 'SYSTEMROOT', 'TEMP', 'TMP', 'USERNAME', 'USERPROFILE', 'PROGRAMFILES', 'COMSPEC', 'WINDIR'];

/** The minimal environment of a child: PATH, HOME, user, shell, locale (LC_*), temp dir, time zone. */
export function minimalEnv(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const names = process.platform === 'win32' ? INHERITED_WIN : INHERITED;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || value.startsWith('()')) continue; // exported shell functions
    if (names.includes(key) || key.startsWith('LC_')) out[key] = value;
  }
  return out;
}

/** The largest message read from a child's stdout (in characters). */
export const DEFAULT_MAX_LINE = 64 * 1024 * 1024;
/** How much of an oversized line's start and end is kept to find its id. */
const KEEP = 512;

/**
 * The id of a JSON-RPC response known only by its first and last characters: `{"result"…,"id":N}`
 * (how the SDK writes it) or `{"jsonrpc":"2.0","id":N,"result"…`. Requests and notifications
 * (with a `method` before any `result`) give undefined.
 */
export function responseId(head: string, tail: string): string | number | undefined {
  const ID = String.raw`(-?\d+|"(?:[^"\\]|\\.)*")`;
  const lead = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?(?:"id"\s*:\s*${ID}\s*,\s*)?(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"(?:result|error)"\s*:`).exec(head);
  if (!lead) return undefined;
  const raw = lead[1] ?? new RegExp(String.raw`"id"\s*:\s*${ID}\s*\}\s*$`).exec(tail)?.[1];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as string | number;
  } catch {
    return undefined;
  }
}

export interface ChildTransportOptions {
  command: string;
  args?: string[];
  /** The full environment of the child (build it with minimalEnv() + configured env). */
  env: Record<string, string>;
  cwd?: string;
  /** Each stderr line of the child (without the newline). */
  onStderr?: (line: string) => void;
  /** Each stdout line that is not a JSON-RPC message. */
  onGarbage?: (line: string) => void;
  /** Grace periods when closing (ms). */
  closeGrace?: number;
  maxLineBytes?: number;
}

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child?: ChildProcess;
  /** The pieces of the line being read (joined once it ends). */
  private pending: string[] = [];
  private pendingLength = 0;
  /** Set while the rest of an oversized line is being skipped: its start, its last characters and its length so far. */
  private skipping?: {head: string; tail: string; size: number};
  private closed = false;
  private closing?: Promise<void>;
  private groupEnded = false;
  private exited?: Promise<void>;
  /** Exit code and signal once the child is gone. */
  exit?: {code: number | null; signal: NodeJS.Signals | null};
  /** The last lines of stderr, for error messages (callers redact). */
  readonly stderrTail: string[] = [];
  /** The first few non-protocol lines seen on stdout. */
  readonly garbage: string[] = [];

  constructor(private readonly options: ChildTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error('already started');
    const o = this.options;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(o.command, o.args ?? [], {
        env: o.env,
        cwd: o.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group (setsid) on POSIX, so closing can signal the child and all it spawned.
        detached: process.platform !== 'win32',
        windowsHide: true,
        shell: false,
      });
      this.child = child;
      child.once('error', (error) => {
        const e = (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`command not found: ${o.command}`) : error;
        reject(e);
        this.onerror?.(e);
        this.finish();
      });
      child.once('spawn', () => resolve());
      this.exited = new Promise((done) => {
        child.once('exit', (code, signal) => {
          this.exit = {code, signal};
          done();
          // A grandchild may hold the pipes open after the child died: do not wait for it.
          setTimeout(() => this.finish(), 200).unref();
        });
      });
      child.once('close', () => this.finish());
      child.stdin!.on('error', (error) => this.onerror?.(error));
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (chunk: string) => this.onData(chunk));
      child.stderr!.setEncoding('utf8');
      let pending = '';
      child.stderr!.on('data', (chunk: string) => {
        pending += chunk;
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          this.stderrLine(pending.slice(0, nl).replace(/\r$/, ''));
          pending = pending.slice(nl + 1);
        }
        if (pending.length > 8192) {
          this.stderrLine(pending);
          pending = '';
        }
      });
      child.stderr!.on('end', () => {
        if (pending) this.stderrLine(pending);
      });
    });
  }

  private stderrLine(line: string): void {
    this.stderrTail.push(line.length > 500 ? line.slice(0, 500) + '…' : line);
    if (this.stderrTail.length > 20) this.stderrTail.shift();
    this.options.onStderr?.(line);
  }

  private onData(chunk: string): void {
    const max = this.options.maxLineBytes ?? DEFAULT_MAX_LINE;
    // Only the new chunk is searched for a newline: rescanning the whole pending line on every
    // chunk made a 100 MB line take minutes.
    for (let start = 0; ; ) {
      const nl = chunk.indexOf('\n', start);
      const piece = nl < 0 ? chunk.slice(start) : chunk.slice(start, nl);
      if (this.skipping) {
        // The rest of an oversized line: keep only its end (where SDK servers put the id).
        this.skipping.tail = (this.skipping.tail + piece).slice(-KEEP);
        this.skipping.size += piece.length;
      } else if (piece) {
        this.pending.push(piece);
        this.pendingLength += piece.length;
        if (this.pendingLength > max) {
          // Not buffered any further: the rest of the line is skipped as it arrives.
          this.skipping = {head: this.pendingEdge('head'), tail: this.pendingEdge('tail'), size: this.pendingLength};
          this.pending = [];
          this.pendingLength = 0;
        }
      }
      if (nl < 0) return;
      start = nl + 1;
      if (this.skipping) {
        const {head, tail, size} = this.skipping;
        this.skipping = undefined;
        this.oversized(head, tail, size, max);
      } else {
        this.onLine(this.takePending().replace(/\r$/, ''));
      }
    }
  }

  /** The first or last KEEP characters of the pending pieces, without joining them all. */
  private pendingEdge(side: 'head' | 'tail'): string {
    let out = '';
    if (side === 'head') {
      for (const piece of this.pending) {
        out += piece.slice(0, KEEP - out.length);
        if (out.length >= KEEP) break;
      }
      return out;
    }
    for (let i = this.pending.length - 1; i >= 0 && out.length < KEEP; i--) out = this.pending[i]!.slice(-(KEEP - out.length)) + out;
    return out;
  }

  private takePending(): string {
    const line = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingLength = 0;
    return line;
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      message = undefined;
    }
    if (isMessage(message)) {
      this.onmessage?.(message as unknown as JSONRPCMessage);
    } else {
      if (this.garbage.length < 5) this.garbage.push(line.length > 200 ? line.slice(0, 200) + '…' : line);
      this.options.onGarbage?.(line);
    }
  }

  /**
   * A line over the size limit was dropped. When it was the answer to a request (its id is at
   * its start or its end), that request gets an error answer at once instead of waiting for its
   * timeout; the connection stays up.
   */
  private oversized(head: string, tail: string, size: number, max: number): void {
    const limit = `${Math.round(max / 1024 / 1024)} MB`;
    const id = responseId(head, tail);
    this.onerror?.(new Error(`a message on stdout (${(size / 1024 / 1024).toFixed(0)} MB) exceeded the ${limit} limit and was dropped`));
    if (id === undefined) return;
    this.onmessage?.({jsonrpc: '2.0', id, error: {code: -32603, message: `result over ${limit} limit (the server sent ${(size / 1024 / 1024).toFixed(0)} MB)`}} as JSONRPCMessage);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) throw new Error('Not connected');
    const json = JSON.stringify(message) + '\n';
    if (!stdin.write(json)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  /** End the child and its process group: stdin EOF, then SIGTERM, then SIGKILL. Bounded in time. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const child = this.child;
    const grace = this.options.closeGrace ?? 1000;
    if (child && this.exit === undefined && child.pid !== undefined) {
      try {
        child.stdin?.end();
      } catch {
        // already gone
      }
      if (!(await settled(this.exited, grace / 2))) {
        this.signal('SIGTERM');
        if (!(await settled(this.exited, grace))) {
          this.signal('SIGKILL');
          await settled(this.exited, grace);
        }
      }
    }
    // The leader may be gone while something it started still runs in its group.
    this.signal(process.platform === 'win32' ? 'SIGKILL' : 'SIGTERM');
    this.groupEnded = true;
    this.finish();
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      if (process.platform === 'win32') {
        // No process groups: end the child's whole tree with taskkill (untested here: Linux CI).
        if (sig === 'SIGTERM') this.child!.kill(sig);
        else spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], {stdio: 'ignore', windowsHide: true, timeout: 3000});
      } else process.kill(-pid, sig);
    } catch {
      // ESRCH: the group is already empty
    }
  }

  /** Synchronous last resort for process exit: SIGKILL the whole group (unless close() already ended it). */
  killNow(): void {
    if (!this.groupEnded) this.signal('SIGKILL');
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}

async function settled(p: Promise<void> | undefined, ms: number): Promise<boolean> {
  if (!p) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = await Promise.race([p.then(() => true), timeout]);
  clearTimeout(timer);
  return done;
}
