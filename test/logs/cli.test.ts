/** `mcpx logs` and `mcpx logs stats` over an audit log written by the test, through the built CLI. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AuditRecord} from '../../src/logs/audit.js';
import {parseSince, percentile} from '../../src/logs/query.js';
import {runCli} from '../helpers/cli.js';

let home: string;
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
const recs: AuditRecord[] = [];
// 20 ok calls to a/echo taking 1..20 ms, two hours ago to now.
for (let i = 1; i <= 20; i++) recs.push({time: at(120 - i * 5), id: i, method: 'tools/call', tool: 'execute_tool', server: 'a', upstreamTool: 'echo', durationMs: i, outcome: 'ok', argNames: ['text']});
recs.push({time: at(3), id: 21, method: 'tools/call', tool: 'execute_tool', server: 'b', upstreamTool: 'slow', durationMs: 500, outcome: 'timeout', errorType: 'timeout'});
recs.push({time: at(2), id: 22, method: 'tools/call', tool: 'execute_tool', durationMs: 0.5, outcome: 'refused', errorType: 'unknown-tool'});
recs.push({time: at(1), id: 23, method: 'tools/call', tool: 'execute_tool', server: 'b', upstreamTool: 'fail', durationMs: 3, outcome: 'tool-error'});

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
    expect(lines.at(-3)).toMatch(/b\/slow\s+timeout \(timeout\)\s+500\.0 ms$/);
    expect(lines.at(-2)).toMatch(/execute_tool\s+refused \(unknown-tool\)/);
  });

  it('filters by server, tool, outcome, since, grep and limit; --json prints JSON Lines', async () => {
    expect(jsonl((await cli('logs', '--server', 'b', '--json')).stdout).map((r) => r.id)).toEqual([21, 23]);
    expect(jsonl((await cli('logs', '--tool', 'echo', '--limit', '3', '--json')).stdout).map((r) => r.id)).toEqual([18, 19, 20]);
    expect(jsonl((await cli('logs', '--tool', 'b__fail', '--json')).stdout).map((r) => r.id)).toEqual([23]);
    expect(jsonl((await cli('logs', '--outcome', 'refused', '--json')).stdout).map((r) => r.id)).toEqual([22]);
    expect(jsonl((await cli('logs', '--since', '22m', '--json')).stdout).map((r) => r.id)).toEqual([20, 21, 22, 23]);
    expect(jsonl((await cli('logs', '--grep', 'UNKNOWN-TOOL', '--json')).stdout).map((r) => r.id)).toEqual([22]);
    const none = await cli('logs', '--server', 'zzz');
    expect(none.stdout.trim()).toBe('No matching records.');
  });

  it('rejects a bad --since with exit 2', async () => {
    const r = await cli('logs', '--since', 'yesterday-ish');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since');
  });
});

describe('mcpx logs stats', () => {
  it('counts calls, errors, refusals and latency percentiles by server', async () => {
    const r = await cli('logs', 'stats', '--by', 'server', '--json');
    expect(r.code).toBe(0);
    const rows = (JSON.parse(r.stdout) as {result: Array<Record<string, unknown>>}).result;
    expect(rows.find((x) => x.key === 'a')).toMatchObject({calls: 20, errors: 0, refused: 0, p50: 10, p95: 19, p99: 20});
    expect(rows.find((x) => x.key === 'b')).toMatchObject({calls: 2, errors: 2, errorRate: 1, timeouts: 1});
    expect(rows.find((x) => x.key === '(mcpx)')).toMatchObject({calls: 1, errors: 0, refused: 1});
    const table = await cli('logs', 'stats', '--by', 'tool', '--since', '22m');
    expect(table.stdout).toMatch(/^tool\s+calls\s+errors\s+error rate\s+refused\s+p50 ms\s+p95 ms\s+p99 ms/);
    expect(table.stdout).toMatch(/a\/echo\s+1\s+0\s+0\.0%\s+0\s+20\.0/);
    const total = await cli('logs', 'stats');
    expect(total.stdout).toMatch(/all\s+23\s+2\s+8\.7%\s+1\s+10\.0\s+20\.0\s+500\.0/);
  });

  it('parses durations and percentiles', () => {
    expect(parseSince('1h', 10_000_000)).toBe(10_000_000 - 3_600_000);
    expect(parseSince('2026-01-01T00:00:00Z')).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(() => parseSince('soon')).toThrow(/--since/);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 99)).toBe(0);
  });
});
