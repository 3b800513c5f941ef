import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {type AuditRecord, AuditWriter, logFiles, logsDir, maskPayload, readRecords, redactText} from '../../src/logs/audit.js';
import {UpstreamError, auditOf} from '../../src/proxy/upstream.js';
import {ROOT, ensureBuilt} from '../proxy/helpers.js';

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

  it('masks and truncates payloads: known and detected secrets in values and keys, strings cut', () => {
    const known = 'k' + Math.random().toString(36).slice(2) + 'Zq9';
    const gh = token();
    const p = maskPayload({text: `use ${gh} now`, [known]: 1, nested: {list: [known]}}, [known], 2000);
    expect(p.truncated).toBe(false);
    const json = JSON.stringify(p.value);
    expect(json).not.toContain(gh);
    expect(json).not.toContain(known);
    expect(json).toContain('use ghp_');
    // A credential straddling the cut is masked before the cut, so no prefix of it survives.
    const long = maskPayload({text: 'a '.repeat(45) + gh + ' tail'.repeat(500)}, [], 100);
    expect(long.truncated).toBe(true);
    expect(typeof long.value).toBe('string');
    expect((long.value as string).length).toBeLessThanOrEqual(101);
    expect(long.value as string).not.toContain(gh.slice(0, 20));
    const wide = maskPayload(Array.from({length: 500}, (_, i) => i), [], 100_000);
    expect(wide.truncated).toBe(true);
  });

  it('writes payloads masked by the writer', async () => {
    const dir = tmp();
    const gh = token();
    const w = new AuditWriter({dir, payloadMax: 300});
    w.add(rec(1, {arguments: {q: gh}, result: {content: [{type: 'text', text: `${gh} `.repeat(50)}]}}));
    await w.flush();
    const text = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(text).not.toContain(gh);
    const r = JSON.parse(text) as AuditRecord;
    expect(r.arguments).toEqual({q: expect.stringMatching(/^ghp_…/)});
    expect(r.payloadTruncated).toBe(true);
  });

  it('rotates a current file older than a day and deletes rotated files past maxAgeDays', async () => {
    const dir = tmp();
    fs.mkdirSync(dir, {recursive: true});
    const old = path.join(dir, 'audit-2026-01-01T00-00-00-000Z-1.jsonl');
    const recent = path.join(dir, 'audit-2026-01-02T00-00-00-000Z-1.jsonl');
    fs.writeFileSync(old, JSON.stringify(rec(0)) + '\n');
    fs.writeFileSync(recent, JSON.stringify(rec(1)) + '\n');
    const now = Date.now() / 1000;
    fs.utimesSync(old, now - 8 * 86400, now - 8 * 86400);
    fs.utimesSync(recent, now - 2 * 86400, now - 2 * 86400);
    fs.writeFileSync(path.join(dir, 'audit.jsonl'), JSON.stringify(rec(2, {time: new Date(Date.now() - 2 * 86_400_000).toISOString()})) + '\n');
    const w = new AuditWriter({dir, maxAgeDays: 7});
    w.add(rec(3, {time: new Date().toISOString()}));
    await w.flush();
    const names = (await logFiles(dir)).map((f) => path.basename(f));
    expect(names).not.toContain(path.basename(old));
    expect(names).toContain(path.basename(recent));
    // The two-day-old current file was rotated after the append: nothing is lost.
    expect(names).not.toContain('audit.jsonl');
    expect((await all(dir)).map((r) => r.id)).toEqual([1, 2, 3]);
    w.add(rec(4, {time: new Date().toISOString()}));
    await w.flush();
    // A fresh current file is not rotated again.
    expect((await logFiles(dir)).map((f) => path.basename(f))).toContain('audit.jsonl');
  });

  it('three serve processes writing at once never interleave records', async () => {
    ensureBuilt();
    const dir = tmp();
    const mod = pathToFileURL(path.join(ROOT, 'dist/logs/audit.js')).href;
    // Each writer queues 3,000 records of ~1.5 KB (flushed in batches of 1,000) as fast as it can.
    const script = `const {AuditWriter} = await import(${JSON.stringify(mod)});
      const w = new AuditWriter({dir: process.argv[1], maxBytes: 1e9, flushMs: 1});
      for (let i = 0; i < 3000; i++) { w.add({time: new Date().toISOString(), id: process.argv[2] + '-' + i, method: 'tools/call', tool: 'x'.repeat(1500), durationMs: 1, outcome: 'ok'}); if (i % 100 === 99) await new Promise((r) => setImmediate(r)); }
      await w.flush();`;
    await Promise.all(
      ['a', 'b', 'c'].map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, name], {stdio: 'inherit'});
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${name} exited ${code}`))));
          }),
      ),
    );
    const lines = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(9000);
    const ids = lines.map((l) => (JSON.parse(l) as AuditRecord).id);
    expect(new Set(ids).size).toBe(9000);
  }, 30_000);

  it('records a call mcpx held or refused itself by the verdict it carries', () => {
    expect(auditOf(new UpstreamError("Tool 'a__x' changed since it was pinned", {outcome: 'held', errorType: 'pin-changed'}))).toEqual({outcome: 'held', errorType: 'pin-changed'});
    expect(auditOf(new UpstreamError("Unknown tool 'a__x'."))).toEqual({outcome: 'refused', errorType: 'unknown-tool'});
  });
});
