#!/usr/bin/env node
// How fast `mcpx logs` reads a big audit log: writes --records N (default 1,000,000) records
// shaped like serve's (8 servers, 40 tools, mostly ok, some tool errors, errors, timeouts,
// refused and held calls, spread over 7 days) into rotated 10 MB files under a temp MCPX_HOME,
// then times the real CLI (wall clock, start-up included; best and median of --runs, default 3):
// `logs stats`, `logs stats --by tool`, a filtered `logs` (server + outcome), `logs --since 1h`
// and `logs --grep`. Run `npm run build` first.   node bench/serve/log-read.mjs [--records N] [--runs R] [--keep] [--json]
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {median} from '../lib/raw-rpc.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const N = opt('--records', 1_000_000);
const RUNS = opt('--runs', 3);
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
if (!fs.existsSync(path.join(root, 'dist/commands/logs/stats.js'))) {
  console.error('Run `npm run build` first.');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-bench-logread-'));
const dir = path.join(tmp, 'mcpx', 'state', 'logs');
fs.mkdirSync(dir, {recursive: true, mode: 0o700});

// A small deterministic generator (mulberry32), so every run reads the same log.
let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const servers = ['github', 'filesystem', 'postgres', 'slack', 'memory', 'fetch', 'linear', 'sentry'];
const tools = ['search', 'read', 'write', 'list', 'get', 'create', 'update'];
const sessions = Array.from({length: 50}, (_, i) => `6f1c${String(i).padStart(4, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`);
const outcomeOf = (x) => (x < 0.9 ? ['ok'] : x < 0.94 ? ['tool-error'] : x < 0.96 ? ['error', 'upstream-error'] : x < 0.975 ? ['timeout', 'timeout'] : x < 0.995 ? ['refused', 'invalid-arguments'] : ['held', 'pin-changed']);
const now = Date.now();
const start = now - 7 * 86_400_000;
const t0 = performance.now();
let file = 0;
let buf = [];
let bytes = 0;
let total = 0;
const flush = (last) => {
  const name = last ? 'audit.jsonl' : `audit-${new Date(start + file * 1000).toISOString().replace(/[:.]/g, '-')}-1.jsonl`;
  fs.writeFileSync(path.join(dir, name), buf.join(''), {mode: 0o600});
  total += bytes;
  file++;
  buf = [];
  bytes = 0;
};
for (let i = 0; i < N; i++) {
  const server = servers[Math.floor(rand() * servers.length)];
  const tool = tools[Math.floor(rand() * tools.length)] + '_' + server.slice(0, 3);
  const [outcome, errorType] = outcomeOf(rand());
  const rec = {
    time: new Date(start + Math.floor(((now - start) * i) / N)).toISOString(),
    id: i,
    session: sessions[i % sessions.length],
    client: {name: 'claude-code', version: '2.0.1'},
    method: 'tools/call',
    tool: 'execute_tool',
    ...(outcome === 'refused' && rand() < 0.5 ? {} : {server, upstreamTool: tool}),
    durationMs: round(outcome === 'timeout' ? 60000 : Math.exp(rand() * 7), 3),
    outcome,
    ...(errorType ? {errorType} : {}),
    bytesIn: 150 + Math.floor(rand() * 400),
    bytesOut: 200 + Math.floor(rand() * 4000),
    argNames: ['query', 'limit'],
  };
  const line = JSON.stringify(rec) + '\n';
  buf.push(line);
  bytes += line.length;
  if (bytes > 10 * 1024 * 1024) flush(false);
}
flush(true);
const genMs = performance.now() - t0;

const env = {PATH: process.env.PATH ?? '', HOME: tmp, MCPX_HOME: path.join(tmp, 'mcpx')};
const cases = [
  ['logs stats', ['logs', 'stats']],
  ['logs stats --by tool', ['logs', 'stats', '--by', 'tool']],
  ['logs --server postgres --outcome error', ['logs', '--server', 'postgres', '--outcome', 'error', '--limit', '50']],
  ['logs --since 1h', ['logs', '--since', '1h']],
  ['logs --grep pin-changed --limit 20', ['logs', '--grep', 'pin-changed', '--limit', '20']],
  ['logs --help (start-up alone)', ['logs', '--help']],
];
const results = [];
for (const [label, args] of cases) {
  const times = [];
  let out = '';
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const p = spawnSync(process.execPath, [path.join(root, 'bin/run.js'), ...args], {env, encoding: 'utf8', maxBuffer: 1 << 28});
    times.push(performance.now() - t);
    if (p.status !== 0) throw new Error(`${label} exited ${p.status}: ${p.stderr.slice(0, 500)}`);
    out = p.stdout;
  }
  results.push({label, bestMs: Math.round(Math.min(...times)), medianMs: Math.round(median(times)), outputLines: out.split('\n').filter(Boolean).length});
}
if (argv.includes('--keep')) console.error(`kept ${tmp}`);
else fs.rmSync(tmp, {recursive: true, force: true});
const report = {records: N, files: file, megabytes: round(total / 1048576, 1), generateMs: Math.round(genMs), loadAverage: os.loadavg().map((x) => round(x, 2)), runs: RUNS, results};
if (argv.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`${N} records in ${file} files (${report.megabytes} MB); load average ${report.loadAverage[0]}`);
  for (const r of results) console.log(`  ${r.label.padEnd(42)} best ${String(r.bestMs).padStart(5)} ms, median ${String(r.medianMs).padStart(5)} ms (${r.outputLines} lines)`);
}
