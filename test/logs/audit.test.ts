import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {type AuditRecord, AuditWriter, logFiles, logsDir, readRecords, redactText} from '../../src/logs/audit.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-logs-'));
  dirs.push(d);
  return path.join(d, 'logs');
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, {recursive: true, force: true});
});
const rec = (i: number, extra: Partial<AuditRecord> = {}): AuditRecord => ({time: new Date(1_800_000_000_000 + i).toISOString(), id: i, method: 'tools/call', tool: 'execute_tool', durationMs: 1, outcome: 'ok', ...extra});
const all = async (dir: string) => {
  const out: AuditRecord[] = [];
  for await (const r of readRecords(dir)) out.push(r);
  return out;
};
const token = () => 'ghp_' + Array.from({length: 36}, () => 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[Math.floor(Math.random() * 57)]).join('');

describe('audit log', () => {
  it('lives under XDG_STATE_HOME or MCPX_HOME', () => {
    expect(logsDir({XDG_STATE_HOME: '/s', HOME: '/h'})).toBe('/s/mcpx/logs');
    expect(logsDir({HOME: '/h'})).toBe('/h/.local/state/mcpx/logs');
    expect(logsDir({MCPX_HOME: '/m'})).toBe('/m/state/logs');
  });

  it('writes whole lines with 0700/0600 modes and reads them back, skipping a torn last line', async () => {
    const dir = tmp();
    const w = new AuditWriter({dir});
    for (let i = 0; i < 5; i++) w.add(rec(i));
    await w.flush();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'audit.jsonl')).mode & 0o777).toBe(0o600);
    fs.appendFileSync(path.join(dir, 'audit.jsonl'), '{"time":"2027-01-01T00:00:00.000Z","meth');
    expect((await all(dir)).map((r) => r.id)).toEqual([0, 1, 2, 3, 4]);
  });

  it('redacts known and detected secrets in tool and argument names', async () => {
    const dir = tmp();
    const known = 'k' + Math.random().toString(36).slice(2) + 'Zq9';
    const gh = token();
    const w = new AuditWriter({dir, known: () => [known]});
    w.add(rec(1, {tool: `x_${known}`, argNames: [gh, 'path']}));
    await w.flush();
    const text = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(text).not.toContain(known);
    expect(text).not.toContain(gh);
    expect(text).toContain('path');
    expect(redactText(`token ${gh}`)).not.toContain(gh);
  });

  it('rotates by size and keeps at most maxFiles rotated files, losing no recent record', async () => {
    const dir = tmp();
    const w = new AuditWriter({dir, maxBytes: 500, maxFiles: 2});
    for (let i = 0; i < 40; i++) {
      w.add(rec(i));
      if (i % 4 === 3) await w.flush();
    }
    await w.flush();
    const files = await logFiles(dir);
    expect(files.filter((f) => path.basename(f) !== 'audit.jsonl').length).toBeLessThanOrEqual(2);
    const ids = (await all(dir)).map((r) => r.id);
    expect(ids.at(-1)).toBe(39);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('several writers appending at once never interleave records', async () => {
    const dir = tmp();
    const writers = Array.from({length: 4}, () => new AuditWriter({dir, maxBytes: 1e9}));
    for (let i = 0; i < 400; i++) writers[i % 4]!.add(rec(i, {tool: 'x'.repeat(300)}));
    await Promise.all(writers.map((w) => w.flush()));
    const lines = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(400);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
  });
});
