#!/usr/bin/env node
// Benchmarks for `mcpx serve` (run `npm run build` first; `npm run bench:serve` does both):
//   1. size of tools/list through mcpx (search mode) vs every upstream tool listed directly;
//   2. time from spawning `mcpx serve` to the first tools/list answer, with a warm cache;
//   3. latency added per execute_tool call vs calling the upstream directly (median of many).
// Upstreams: the real servers from npm (everything, filesystem, memory) plus every recorded tool
// list in bench/fixtures/tools/*.json, served by test/fixtures/servers/recorded-tools.mjs.
// Options: --calls N (default 300), --starts N (default 15), --fixtures DIR (recorded tool lists;
// default bench/fixtures/tools), --json (machine-readable output).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const CALLS = opt('--calls', 300);
const STARTS = opt('--starts', 15);
const asJson = argv.includes('--json');
const node = process.execPath;
const log = (...a) => {
  if (!asJson) console.log(...a);
};

if (!fs.existsSync(path.join(root, 'dist/commands/serve.js'))) {
  console.error('Run `npm run build` first.');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-bench-serve-'));
const data = path.join(tmp, 'data');
fs.mkdirSync(data);
const servers = {
  everything: {command: node, args: [path.join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio']},
  filesystem: {command: node, args: [path.join(root, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'), data]},
  memory: {command: node, args: [path.join(root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js')], env: {MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl')}},
};
const fixturesIdx = argv.indexOf('--fixtures');
const fixturesDir = fixturesIdx >= 0 ? path.resolve(argv[fixturesIdx + 1]) : path.join(root, 'bench/fixtures/tools');
const recorded = fs.existsSync(fixturesDir) ? fs.readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort() : [];
for (const f of recorded) {
  const name = path.basename(f, '.json').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40);
  // A server already running for real (everything, filesystem, memory) is not counted twice.
  if (servers[name]) continue;
  servers[name] = {command: node, args: [path.join(root, 'test/fixtures/servers/recorded-tools.mjs'), path.join(fixturesDir, f)]};
}
const echoServer = {command: node, args: [path.join(root, 'test/fixtures/servers/fixture-server.mjs')]};
const configFile = path.join(tmp, 'mcpx.json');
fs.writeFileSync(configFile, JSON.stringify({mcpServers: {...servers, bench: echoServer}}));
const env = {PATH: process.env.PATH ?? '', HOME: tmp, MCPX_HOME: path.join(tmp, 'mcpx')};

async function connect(command, args, extraEnv = {}) {
  const client = new Client({name: 'mcpx-bench', version: '1.0.0'});
  const transport = new StdioClientTransport({command, args, env: {...env, ...extraEnv}, stderr: 'ignore', cwd: root});
  await client.connect(transport);
  client.pid = transport.pid;
  return client;
}

/** CPU time (user + system, ms) a process has used so far (Linux /proc; undefined elsewhere). */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ=100
  } catch {
    return undefined;
  }
}
const proxyArgs = (...extra) => [path.join(root, 'bin/run.js'), 'serve', '--config', configFile, '--log-level', 'error', ...extra];
const bytes = (v) => Buffer.byteLength(JSON.stringify(v));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const results = {};

// 1. tools/list size.
{
  let directBytes = 0;
  let directTools = 0;
  for (const [name, s] of Object.entries(servers)) {
    const c = await connect(s.command, s.args, s.env);
    // Raw, as a client receives it (the SDK's listTools() rejects some real servers' schemas).
    const r = await c.request({method: 'tools/list', params: {}}, {safeParse: (data) => ({success: true, data})});
    directBytes += bytes(r);
    directTools += r.tools.length;
    await c.close();
    if (name === 'memory') fs.rmSync(path.join(tmp, 'memory.jsonl'), {force: true});
  }
  // Cold start: warms the cache for the next measurements as well.
  const p = await connect(node, proxyArgs());
  const searchList = await p.listTools();
  await p.callTool({name: 'search_tools', arguments: {query: 'warm up'}});
  const instructions = p.getInstructions() ?? '';
  await p.close();
  const d = await connect(node, proxyArgs('--mode', 'direct'));
  const directList = await d.listTools();
  await d.close();
  const viaMcpx = bytes(searchList);
  results.size = {
    servers: Object.keys(servers).length,
    recordedFixtures: recorded.length,
    upstreamTools: directTools,
    directBytes,
    mcpxSearchBytes: viaMcpx,
    mcpxInstructionsBytes: Buffer.byteLength(instructions),
    mcpxDirectModeBytes: bytes(directList),
    reductionPct: round(100 * (1 - viaMcpx / directBytes), 1),
    reductionWithInstructionsPct: round(100 * (1 - (viaMcpx + Buffer.byteLength(instructions)) / directBytes), 1),
  };
  log(`tools/list size: ${directTools} tools on ${Object.keys(servers).length} servers = ${directBytes} bytes listed directly;`);
  log(`  through mcpx (search mode): ${viaMcpx} bytes (${results.size.reductionPct}% smaller; ${results.size.reductionWithInstructionsPct}% counting the ${Buffer.byteLength(instructions)}-byte instructions)`);
  log(`  direct mode for reference: ${results.size.mcpxDirectModeBytes} bytes`);
}

// 2. Warm-cache time to first tools/list (spawn -> initialize -> tools/list answered).
{
  // Interleaved with a minimal SDK server and a bare node JSON-RPC responder (the floors) so
  // that machine noise hits all three alike.
  const times = [];
  const bare = [];
  const nodeFloor = [];
  for (let i = 0; i < STARTS; i++) {
    let t0 = performance.now();
    const c = await connect(node, proxyArgs());
    await c.listTools();
    times.push(performance.now() - t0);
    await c.close();
    t0 = performance.now();
    const b = await connect(echoServer.command, echoServer.args);
    await b.listTools();
    bare.push(performance.now() - t0);
    await b.close();
    t0 = performance.now();
    const n = await connect(node, [path.join(root, 'bench/serve/bare-server.mjs')]);
    await n.listTools();
    nodeFloor.push(performance.now() - t0);
    await n.close();
  }
  results.warmStart = {
    runs: STARTS,
    medianMs: round(median(times), 1),
    minMs: round(Math.min(...times), 1),
    baselineSdkServerMedianMs: round(median(bare), 1),
    baselineSdkServerMinMs: round(Math.min(...bare), 1),
    baselineBareNodeMedianMs: round(median(nodeFloor), 1),
    baselineBareNodeMinMs: round(Math.min(...nodeFloor), 1),
  };
  log(`warm-cache time to first tools/list: median ${results.warmStart.medianMs} ms, min ${results.warmStart.minMs} ms over ${STARTS} starts`);
  log(`  (for comparison, spawn to tools/list: a minimal SDK server median ${results.warmStart.baselineSdkServerMedianMs} ms, min ${results.warmStart.baselineSdkServerMinMs} ms;`);
  log(`   a bare node JSON-RPC responder (bench/serve/bare-server.mjs) median ${results.warmStart.baselineBareNodeMedianMs} ms, min ${results.warmStart.baselineBareNodeMinMs} ms)`);
}

// 3. Added latency per execute_tool call.
{
  const direct = await connect(echoServer.command, echoServer.args);
  const proxy = await connect(node, proxyArgs());
  const proxyDirectMode = await connect(node, proxyArgs('--mode', 'direct'));
  const args = {text: 'x'.repeat(64)};
  const viaDirect = () => direct.callTool({name: 'echo', arguments: args});
  const viaExecute = () => proxy.callTool({name: 'execute_tool', arguments: {name: 'bench__echo', arguments: args}});
  const viaDirectMode = () => proxyDirectMode.callTool({name: 'bench__echo', arguments: args});
  for (let i = 0; i < 50; i++) {
    await viaDirect();
    await viaExecute();
    await viaDirectMode();
  }
  const t = {direct: [], execute: [], directMode: []};
  const cpu0 = {direct: cpuMs(direct.pid), execute: cpuMs(proxy.pid), directMode: cpuMs(proxyDirectMode.pid)};
  for (let i = 0; i < CALLS; i++) {
    // Interleaved so that machine noise hits all three alike.
    let t0 = performance.now();
    await viaDirect();
    t.direct.push(performance.now() - t0);
    t0 = performance.now();
    await viaExecute();
    t.execute.push(performance.now() - t0);
    t0 = performance.now();
    await viaDirectMode();
    t.directMode.push(performance.now() - t0);
  }
  const cpuPerCall = (c, k) => {
    const now = cpuMs(c.pid);
    return now === undefined || cpu0[k] === undefined ? undefined : round((now - cpu0[k]) / CALLS);
  };
  const cpu = {upstream: cpuPerCall(direct, 'direct'), execute: cpuPerCall(proxy, 'execute'), directMode: cpuPerCall(proxyDirectMode, 'directMode')};
  await Promise.all([direct.close(), proxy.close(), proxyDirectMode.close()]);
  results.latency = {
    calls: CALLS,
    directMedianMs: round(median(t.direct)),
    executeToolMedianMs: round(median(t.execute)),
    directModeMedianMs: round(median(t.directMode)),
    addedExecuteToolMs: round(median(t.execute) - median(t.direct)),
    addedDirectModeMs: round(median(t.directMode) - median(t.direct)),
    // CPU used per call: by the upstream alone (direct), and by the mcpx process (not counting its upstream).
    cpuPerCallMs: cpu,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
  log(`per-call latency (median of ${CALLS}): direct ${results.latency.directMedianMs} ms, via execute_tool ${results.latency.executeToolMedianMs} ms, via direct mode ${results.latency.directModeMedianMs} ms`);
  log(`  added by mcpx: ${results.latency.addedExecuteToolMs} ms (execute_tool), ${results.latency.addedDirectModeMs} ms (direct mode)`);
  log(`  CPU per call: upstream server ${cpu.upstream} ms; mcpx ${cpu.execute} ms (execute_tool), ${cpu.directMode} ms (direct mode); load average ${os.loadavg()[0].toFixed(1)}`);
}

fs.rmSync(tmp, {recursive: true, force: true});
if (asJson) console.log(JSON.stringify(results, null, 2));
