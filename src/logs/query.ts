/**
 * Reading the audit log for `mcpx logs` and its subcommands: filters applied while streaming,
 * a readable table, CSV, and per-server or per-tool statistics (calls, error rate, latency
 * percentiles, refused and held counts).
 */
import {UserError} from '../errors.js';
import {type AuditRecord, forEachLine, lineText, parseRecord, readChunks} from './audit.js';

export interface LogFilter {
  server?: string;
  tool?: string;
  /** Earliest time, ms since the epoch. */
  since?: number;
  /** Latest time (exclusive), ms since the epoch. */
  until?: number;
  outcome?: string;
  grep?: string;
}

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000};

/** `30m`, `1h`, `7d` (before `now`) or an ISO date/time; UserError (exit 2) naming `flag` otherwise. */
export function parseSince(text: string, now = Date.now(), flag = '--since'): number {
  const m = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * UNITS[m[2]!]!;
  const t = Date.parse(text);
  if (!Number.isNaN(t) && /^\d{4}-\d{2}-\d{2}/.test(text.trim())) return t;
  throw new UserError(`${flag}: expected a duration such as 30m, 1h or 7d, or an ISO date; got '${text}'.`, {code: 'E_USAGE', exitCode: 2});
}

/** The filter the flags of `mcpx logs` (and tail, export, stats) describe. */
export function filterOf(flags: {server?: string; tool?: string; since?: string; until?: string; outcome?: string; grep?: string}, now = Date.now()): LogFilter {
  const f: LogFilter = {};
  if (flags.server !== undefined) f.server = flags.server;
  if (flags.tool !== undefined) f.tool = flags.tool;
  if (flags.since !== undefined) f.since = parseSince(flags.since, now);
  if (flags.until !== undefined) f.until = parseSince(flags.until, now, '--until');
  if (flags.outcome !== undefined) f.outcome = flags.outcome;
  if (flags.grep !== undefined) f.grep = flags.grep;
  return f;
}

/** The record's server/tool as shown: the upstream tool when known, else the tool called. */
export function target(r: Pick<AuditRecord, 'server' | 'upstreamTool' | 'tool' | 'method'>): string {
  if (r.server && r.upstreamTool) return `${r.server}/${r.upstreamTool}`;
  if (r.server) return `${r.server}/${r.tool ?? r.method}`;
  return r.tool ?? r.method;
}

/** The fields filters and statistics look at. */
export type RecordHead = Pick<AuditRecord, 'time' | 'method' | 'tool' | 'server' | 'upstreamTool' | 'durationMs' | 'outcome' | 'errorType'>;

/**
 * Whether a record passes the filter. `line`: the record's line as read (`--grep` searches it;
 * else the record serialised).
 */
export function matches(r: RecordHead, f: LogFilter, line?: string): boolean {
  if (f.server !== undefined && r.server !== f.server) return false;
  if (f.tool !== undefined && r.upstreamTool !== f.tool && r.tool !== f.tool && `${r.server}__${r.upstreamTool}` !== f.tool) return false;
  if (f.outcome !== undefined && r.outcome !== f.outcome) return false;
  if (f.since !== undefined && !atOrAfter(r.time, f.since)) return false;
  if (f.until !== undefined && atOrAfter(r.time, f.until)) return false;
  if (f.grep !== undefined && !grepPattern(f.grep).test(line ?? JSON.stringify(r))) return false;
  return true;
}

const isoCache = new Map<number, string>();
/** `time >= ms`; ISO times as the writer writes them are compared as text (no Date.parse per record). */
function atOrAfter(time: string, ms: number): boolean {
  if (typeof time === 'string' && time.length === 24 && time[10] === 'T' && time[23] === 'Z') {
    let iso = isoCache.get(ms);
    if (iso === undefined) isoCache.set(ms, (iso = new Date(ms).toISOString()));
    return time >= iso;
  }
  return Date.parse(time) >= ms;
}

const grepCache = new Map<string, RegExp>();
function grepPattern(text: string): RegExp {
  let re = grepCache.get(text);
  if (!re) grepCache.set(text, (re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')));
  return re;
}

/**
 * The head of the record on [start, end) of a log chunk (latin1 text, see readChunks), read
 * without parsing the whole line: the writer puts these fields first, in a fixed order, as
 * plain strings and numbers, so they are read in sequence with a few string compares. A line
 * that does not fit (another key order, an escape in a value, a field missing) is parsed whole.
 */
export function headAt(chunk: string, start: number, end: number): RecordHead | undefined {
  const whole = () => parseRecord(lineText(chunk, start, end));
  if (!chunk.startsWith('{"time":"', start)) return whole();
  let p = start + 9;
  let odd = false;
  const key = (k: string) => {
    if (!chunk.startsWith(k, p)) return false;
    p += k.length;
    return true;
  };
  const text = (): string => {
    const q = chunk.indexOf('"', p);
    if (q < 0 || q >= end) {
      odd = true;
      return '';
    }
    const v = chunk.slice(p, q);
    p = q + 1;
    if (v.includes('\\')) odd = true;
    return /[\x80-\xff]/.test(v) ? Buffer.from(v, 'latin1').toString('utf8') : v;
  };
  const number = (): number => {
    let q = p;
    while (q < end && chunk.charCodeAt(q) !== 44 && chunk.charCodeAt(q) !== 125) q++;
    const n = Number(chunk.slice(p, q));
    p = q;
    return n;
  };
  const time = text();
  if (key(',"id":')) {
    if (key('"')) text();
    else number();
  }
  if (key(',"session":"')) text();
  if (key(',"client":{')) {
    if (key('"name":"')) text();
    if (key(',"version":"')) text();
    if (!key('}')) return whole();
  }
  if (!key(',"method":"')) return whole();
  const head: RecordHead = {time, method: text(), durationMs: 0, outcome: 'ok'};
  if (key(',"tool":"')) head.tool = text();
  if (key(',"server":"')) head.server = text();
  if (key(',"upstreamTool":"')) head.upstreamTool = text();
  if (!key(',"durationMs":')) return whole();
  head.durationMs = number();
  if (!key(',"outcome":"')) return whole();
  head.outcome = text() as AuditRecord['outcome'];
  if (key(',"errorType":"')) head.errorType = text();
  if (odd || Number.isNaN(head.durationMs)) return whole();
  return head;
}

/**
 * Call `each` with every line of the log whose record passes `f`, and its head, oldest first.
 * Files outside the filter's time range are not read; a line becomes a string only when it
 * passes (`--grep` aside, which searches the raw line).
 */
export async function eachMatch(dir: string, f: LogFilter, each: (line: string, head: RecordHead) => void): Promise<void> {
  // An ASCII --grep can search the latin1 text itself (ASCII case folding is the same there).
  const rawGrep = f.grep !== undefined && /^[\x00-\x7f]*$/.test(f.grep);
  const g = f.grep === undefined ? undefined : grepPattern(f.grep);
  const rest: LogFilter = {...f};
  delete rest.grep;
  for await (const chunk of readChunks(dir, f)) {
    forEachLine(chunk, (start, end) => {
      const h = headAt(chunk, start, end);
      if (!h || !matches(h, rest)) return;
      // The pattern has no `g` flag: test() keeps no state between lines.
      if (g && rawGrep && !g.test(chunk.slice(start, end))) return;
      const line = lineText(chunk, start, end);
      if (g && !rawGrep && !g.test(line)) return;
      each(line, h);
    });
  }
}

/** The matching records, oldest first; with `limit`, only the newest `limit` of them. */
export async function queryLogs(dir: string, f: LogFilter, limit?: number): Promise<AuditRecord[]> {
  // Lines are kept as read and parsed only once they are known to be shown.
  const kept: string[] = [];
  await eachMatch(dir, f, (line) => {
    kept.push(line);
    if (limit !== undefined && kept.length > limit * 2 + 1000) kept.splice(0, kept.length - limit);
  });
  const shown = limit === undefined ? kept : kept.slice(Math.max(0, kept.length - limit));
  return shown.map(parseRecord).filter((r): r is AuditRecord => r !== undefined);
}

const cells = (r: AuditRecord) => [String(r.time).replace('T', ' ').replace(/\.\d+Z$/, 'Z'), target(r), r.outcome + (r.errorType ? ` (${r.errorType})` : ''), `${formatMs(r.durationMs)}`];

/** One record as a line of `mcpx logs tail` (the table's columns, two spaces apart). */
export function formatRow(r: AuditRecord): string {
  return cells(r).join('  ');
}

export function formatTable(records: AuditRecord[]): string {
  if (records.length === 0) return 'No matching records.';
  const rows = records.map(cells);
  const head = ['time', 'server/tool', 'outcome', 'duration'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

function formatMs(ms: number): string {
  if (typeof ms !== 'number') return '?';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export interface StatsRow {
  key: string;
  calls: number;
  errors: number;
  errorRate: number;
  refused: number;
  held: number;
  timeouts: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Statistics per server or tool (or in total). Errors are tool-error, error and timeout
 * outcomes; refused and held calls are counted apart and are not errors.
 */
export async function logStats(dir: string, by: 'server' | 'tool' | undefined, f: LogFilter): Promise<StatsRow[]> {
  const groups = new Map<string, {durations: number[]; errors: number; refused: number; held: number; timeouts: number}>();
  await eachMatch(dir, f, (_line, r) => {
    const key = by === 'server' ? (r.server ?? '(mcpx)') : by === 'tool' ? target(r) : 'all';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = {durations: [], errors: 0, refused: 0, held: 0, timeouts: 0}));
    g.durations.push(typeof r.durationMs === 'number' ? r.durationMs : 0);
    if (r.outcome === 'refused') g.refused++;
    else if (r.outcome === 'held') g.held++;
    else if (r.outcome !== 'ok') g.errors++;
    if (r.outcome === 'timeout') g.timeouts++;
  });
  return [...groups.entries()]
    .map(([key, g]) => {
      const sorted = Float64Array.from(g.durations).sort();
      const s = [...sorted];
      return {key, calls: s.length, errors: g.errors, errorRate: s.length ? g.errors / s.length : 0, refused: g.refused, held: g.held, timeouts: g.timeouts, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99)};
    })
    .sort((a, b) => b.calls - a.calls || a.key.localeCompare(b.key));
}

export function formatStats(rows: StatsRow[], by: string | undefined): string {
  if (rows.length === 0) return 'No matching records.';
  const head = [by ?? 'scope', 'calls', 'errors', 'error rate', 'refused', 'held', 'p50 ms', 'p95 ms', 'p99 ms'];
  const body = rows.map((r) => [r.key, String(r.calls), String(r.errors), `${(r.errorRate * 100).toFixed(1)}%`, String(r.refused), String(r.held), r.p50.toFixed(1), r.p95.toFixed(1), r.p99.toFixed(1)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

const CSV_COLUMNS = ['time', 'id', 'session', 'clientName', 'clientVersion', 'method', 'tool', 'server', 'upstreamTool', 'durationMs', 'outcome', 'errorType', 'bytesIn', 'bytesOut', 'argNames', 'arguments', 'result'] as const;

/** One CSV field: quoted when needed; a cell a spreadsheet would run as a formula is defused with a leading `'`. */
function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value !== 'number') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

/** A record as one CSV row (RFC 4180, CRLF); argument names joined with `;`. */
export function csvRow(r: AuditRecord): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    time: r.time,
    id: r.id,
    session: r.session,
    clientName: r.client?.name,
    clientVersion: r.client?.version,
    method: r.method,
    tool: r.tool,
    server: r.server,
    upstreamTool: r.upstreamTool,
    durationMs: r.durationMs,
    outcome: r.outcome,
    errorType: r.errorType,
    bytesIn: r.bytesIn,
    bytesOut: r.bytesOut,
    argNames: Array.isArray(r.argNames) ? r.argNames.join(';') : undefined,
    arguments: r.arguments,
    result: r.result,
  };
  return CSV_COLUMNS.map((c) => csvField(cells[c])).join(',') + '\r\n';
}
