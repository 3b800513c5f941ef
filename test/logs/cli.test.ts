/** `mcpx logs` and `mcpx logs stats` over an audit log written by the test, through the built CLI. */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type AuditRecord, AuditWriter} from '../../src/logs/audit.js';
import {csvRow, filterOf, parseSince, percentile, queryLogs} from '../../src/logs/query.js';
import {BIN, runCli} from '../helpers/cli.js';

let home: string;
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
const recs: AuditRecord[] = [];
// 20 ok calls to a/echo taking 1..20 ms, two hours ago to now.
for (let i = 1; i <= 20; i++) recs.push({time: at(120 - i * 5), id: i, method: 'tools/call', tool: 'execute_tool', server: 'a', upstreamTool: 'echo', durationMs: i, outcome: 'ok', argNames: ['text']});
recs.push({time: at(3), id: 21, method: 'tools/call', tool: 'execute_tool', server: 'b', upstreamTool: 'slow', durationMs: 500, outcome: 'timeout', errorType: 'timeout'});
recs.push({time: at(2), id: 22, method: 'tools/call', tool: 'execute_tool', durationMs: 0.5, outcome: 'refused', errorType: 'unknown-tool'});
recs.push({time: at(1), id: 23, method: 'tools/call', tool: 'execute_tool', server: 'b', upstreamTool: 'fail', durationMs: 3, outcome: 'tool-error'});
recs.push({time: at(0.5), id: 24, method: 'tools/call', tool: 'execute_tool', server: 'b', upstreamTool: 'pinned', durationMs: 0.2, outcome: 'held', errorType: 'pin-changed'});

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-logs-cli-'));
  const dir = path.join(home, 'state', 'logs');
  fs.mkdirSync(dir, {recursive: true});
  // Older records in a rotated file, the rest in the current one, and a torn last line.
  fs.writeFileSync(path.join(dir, 'audit-2026-01-01T00-00-00-000Z-1.jsonl'), recs.slice(0, 10).map((r) => JSON.stringify(r) + '\n').join(''));
  fs.writeFileSync(path.join(dir, 'audit.jsonl'), recs.slice(10).map((r) => JSON.stringify(r) + '\n').join('') + '{"time":"torn');
});
afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

const cli = (...args: string[]) => runCli(args, {env: {MCPX_HOME: home}});
const jsonl = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);

describe('mcpx logs', () => {
  it('prints a table of every record, oldest first, skipping the torn line', async () => {
    const r = await cli('logs');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^time\s+server\/tool\s+outcome\s+duration$/);
    expect(lines).toHaveLength(1 + recs.length);
    expect(lines[1]).toMatch(/a\/echo\s+ok\s+1\.0 ms$/);
    expect(lines.at(-4)).toMatch(/b\/slow\s+timeout \(timeout\)\s+500\.0 ms$/);
    expect(lines.at(-3)).toMatch(/execute_tool\s+refused \(unknown-tool\)/);
    expect(lines.at(-1)).toMatch(/b\/pinned\s+held \(pin-changed\)/);
  });

  it('filters by server, tool, outcome, since, grep and limit; --json prints JSON Lines', async () => {
    expect(jsonl((await cli('logs', '--server', 'b', '--tool', 'fail', '--json')).stdout).map((r) => r.id)).toEqual([23]);
    // The other filters in-process (the CLI passes its flags through filterOf).
    const ids = async (flags: Parameters<typeof filterOf>[0], limit?: number) => (await queryLogs(path.join(home, 'state', 'logs'), filterOf(flags), limit)).map((r) => r.id);
    expect(await ids({server: 'b'})).toEqual([21, 23, 24]);
    expect(await ids({since: '22m', until: at(2.5)})).toEqual([20, 21]);
    expect(await ids({until: at(100)})).toEqual([1, 2, 3]);
    expect(await ids({tool: 'echo'}, 3)).toEqual([18, 19, 20]);
    expect(await ids({tool: 'b__fail'})).toEqual([23]);
    expect(await ids({outcome: 'refused'})).toEqual([22]);
    expect(await ids({since: '22m'})).toEqual([20, 21, 22, 23, 24]);
    expect(await ids({grep: 'UNKNOWN-TOOL'})).toEqual([22]);
    const none = await cli('logs', '--server', 'zzz');
    expect(none.stdout.trim()).toBe('No matching records.');
  });

  it('rejects a bad --since with exit 2', async () => {
    const r = await cli('logs', '--since', 'yesterday-ish');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since');
    expect(() => filterOf({until: 'later'})).toThrow(/--until/);
  });
});

describe('mcpx logs stats', () => {
  it('counts calls, errors, refusals and latency percentiles by server', async () => {
    const r = await cli('logs', 'stats', '--by', 'server', '--json');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.stdout) as {result: Array<Record<string, unknown>>}).result;
    expect(rows.find((x) => x.key === 'a')).toMatchObject({calls: 20, errors: 0, refused: 0, p50: 10, p95: 19, p99: 20});
    expect(rows.find((x) => x.key === 'b')).toMatchObject({calls: 3, errors: 2, held: 1, timeouts: 1});
    expect(rows.find((x) => x.key === '(mcpx)')).toMatchObject({calls: 1, errors: 0, refused: 1});
    const table = await cli('logs', 'stats', '--by', 'tool', '--since', '22m');
    expect(table.stdout).toMatch(/^tool\s+calls\s+errors\s+error rate\s+refused\s+held\s+p50 ms\s+p95 ms\s+p99 ms/);
    expect(table.stdout).toMatch(/a\/echo\s+1\s+0\s+0\.0%\s+0\s+0\s+20\.0/);
    expect(table.stdout).toMatch(/b\/pinned\s+1\s+0\s+0\.0%\s+0\s+1\s+0\.2/);
    const total = await cli('logs', 'stats');
    expect(total.stdout).toMatch(/all\s+24\s+2\s+8\.3%\s+1\s+1\s+9\.0\s+20\.0\s+500\.0/);
    const until = await cli('logs', 'stats', '--until', '10m', '--json');
    expect((JSON.parse(until.stdout) as {result: Array<{calls: number}>}).result[0]!.calls).toBe(20);
  });

  it('parses durations and percentiles', () => {
    expect(parseSince('1h', 10_000_000)).toBe(10_000_000 - 3_600_000);
    expect(parseSince('2026-01-01T00:00:00Z')).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(() => parseSince('soon')).toThrow(/--since/);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 99)).toBe(0);
  });
});

describe('mcpx logs export', () => {
  it('exports JSON Lines and CSV, filtered, to stdout or a file', async () => {
    const j = await cli('logs', 'export', '--server', 'b');
    expect(j.code).toBe(0);
    expect(jsonl(j.stdout).map((r) => r.id)).toEqual([21, 23, 24]);
    const out = path.join(home, 'calls.csv');
    const c = await cli('logs', 'export', '--format', 'csv', '--output', out, '--outcome', 'ok');
    expect(c.code).toBe(0);
    expect(c.stderr).toContain('Exported 20 records');
    const rows = fs.readFileSync(out, 'utf8').split('\r\n').filter(Boolean);
    expect(rows[0]).toBe('time,id,session,clientName,clientVersion,method,tool,server,upstreamTool,durationMs,outcome,errorType,bytesIn,bytesOut,argNames,arguments,result');
    expect(rows).toHaveLength(21);
    expect(rows[1]).toBe(`${recs[0]!.time},1,,,,tools/call,execute_tool,a,echo,1,ok,,,,text,,`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
  });

  it('quotes CSV fields and defuses formulas', () => {
    const row = csvRow({time: 't', method: 'tools/call', tool: '=HYPERLINK("x")', durationMs: -1, outcome: 'ok', argNames: ['a,b', 'c'], arguments: {q: 'say hi'}});
    expect(row).toBe(`t,,,,,tools/call,"'=HYPERLINK(""x"")",,,-1,ok,,,,"a,b;c","{""q"":""say hi""}",\r\n`);
  });
});

describe('mcpx logs clear', () => {
  it('removes records older than --before, keeping the rest, then everything', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-logs-clear-'));
    try {
      const logs = path.join(dir, 'state', 'logs');
      fs.mkdirSync(logs, {recursive: true});
      fs.writeFileSync(path.join(logs, 'audit-2026-01-01T00-00-00-000Z-1.jsonl'), recs.slice(0, 10).map((r) => JSON.stringify(r) + '\n').join(''));
      fs.writeFileSync(path.join(logs, 'audit.jsonl'), recs.slice(10).map((r) => JSON.stringify(r) + '\n').join(''));
      const env = {MCPX_HOME: dir};
      const refused = await runCli(['logs', 'clear', '--before', '30m'], {env});
      expect(refused.code).not.toBe(0);
      const r = await runCli(['logs', 'clear', '--before', '30m', '--yes', '--json'], {env});
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).result).toMatchObject({removed: 18, kept: 6});
      const left = jsonl((await runCli(['logs', '--json'], {env})).stdout).map((x) => x.id);
      expect(left).toEqual([19, 20, 21, 22, 23, 24]);
      for (const f of fs.readdirSync(logs)) expect(fs.statSync(path.join(logs, f)).mode & 0o777).toBe(0o600);
      expect((await runCli(['logs', 'clear', '--yes'], {env})).stdout).toContain('Removed 6 records.');
      expect(fs.readdirSync(logs)).toEqual([]);
      expect((await runCli(['logs', 'clear', '--before', 'whenever', '--yes'], {env})).code).toBe(2);
    } finally {
      fs.rmSync(dir, {recursive: true, force: true});
    }
  });
});

describe('mcpx logs tail', () => {
  it('prints the newest records, then follows what a writer appends, across a rotation', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-logs-tail-'));
    const logs = path.join(dir, 'state', 'logs');
    const writer = new AuditWriter({dir: logs, maxBytes: 1500, flushMs: 1});
    const rec = (id: number): AuditRecord => ({time: new Date().toISOString(), id, method: 'tools/call', tool: 'execute_tool', server: 's', upstreamTool: 't', durationMs: 1, outcome: id % 2 ? 'ok' : 'error'});
    for (let i = 1; i <= 5; i++) writer.add(rec(i));
    await writer.flush();
    const child = spawn(process.execPath, [BIN, 'logs', 'tail', '-n', '2', '--json', '--outcome', 'ok'], {env: {...process.env, MCPX_HOME: dir}});
    let out = '';
    let waiting: {n: number; resolve: () => void} | undefined;
    const count = () => out.split('\n').filter(Boolean).length;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (waiting && count() >= waiting.n) waiting.resolve();
    });
    const seen = (n: number) => new Promise<void>((resolve) => (count() >= n ? resolve() : (waiting = {n, resolve})));
    try {
      await seen(2);
      // Enough records to rotate the file (maxBytes 1500) while tail follows it.
      for (let i = 6; i <= 30; i++) {
        writer.add(rec(i));
        if (i % 5 === 0) await writer.flush();
      }
      await writer.flush();
      expect(fs.readdirSync(logs).filter((f) => f.startsWith('audit-')).length).toBeGreaterThan(0);
      await seen(2 + 12);
      const ids = jsonl(out).map((r) => r.id);
      expect(ids).toEqual([3, 5, ...Array.from({length: 12}, (_, i) => 7 + 2 * i)]);
    } finally {
      child.kill('SIGTERM');
      fs.rmSync(dir, {recursive: true, force: true});
    }
  }, 20_000);
});
