#!/usr/bin/env node
// Benchmarks for `mcpx serve` (run `npm run build` first; `npm run bench:serve` does both):
//   1. size of tools/list through mcpx (search mode) vs every upstream tool listed directly;
//   2. time from spawning `mcpx serve` to the first tools/list answer, with a warm cache;
//   3. latency added per execute_tool call vs calling the upstream directly (median of many), with
//      SDK clients and servers, and once more between bare endpoints with each call split into
//      its way in and its way back;
//   4. what pin checks (docs/pinning.md) cost a warm tools/list: pinning on vs off, interleaved.
// Upstreams, replay mode (the default, offline): the real servers from the devDependencies
// (everything, filesystem, memory) plus every recorded tool list in bench/fixtures/tools/*.json,
// served by test/fixtures/servers/recorded-tools.mjs. With --real: every server of
// bench/lib/real-servers.mjs as the real process from npm (installed once into a cache; needs the
// npm registry the first time); those that fail to start are reported and left out (at least 10
// must start). Latency (3) is measured against the echo fixture and against server-everything's echo.
// Options: --real, --calls N (default 300), --starts N (default 15), --fixtures DIR (recorded tool
// lists; default bench/fixtures/tools), --json (machine-readable output).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {median, rawConnect as rawConnectWith} from '../lib/raw-rpc.mjs';
import {REAL_SERVERS, installServers, launchSpec, listAllTools} from '../lib/real-servers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const CALLS = opt('--calls', 300);
const STARTS = opt('--starts', 15);
const asJson = argv.includes('--json');
const real = argv.includes('--real');
/** With --real, fewer servers that start than this is a failed run. */
const MIN_REAL = 10;
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
/** name -> launch spec {command, args, env?, cwd?}; and what each one is, for the report. */
const servers = {};
const serverInfo = {};
/** Servers left out: {name, package, version, error}. */
const failed = [];
const recorded = [];
const versionOf = (pkg) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
if (real) {
  const installs = await installServers(REAL_SERVERS);
  for (const s of REAL_SERVERS) {
    const done = installs.get(s.name);
    if (done.error) {
      failed.push({name: s.name, source: 'npm', package: s.pkg, version: s.version, error: done.error});
      continue;
    }
    try {
      servers[s.name] = launchSpec(s, done.prefix, path.join(tmp, 'work', s.name));
      serverInfo[s.name] = {source: 'npm', package: s.pkg, version: s.version};
    } catch (error) {
      failed.push({name: s.name, source: 'npm', package: s.pkg, version: s.version, error: error instanceof Error ? error.message : String(error)});
    }
  }
} else {
  const dev = (name, pkg, args, env) => {
    servers[name] = {command: node, args: [path.join(root, 'node_modules', pkg, 'dist/index.js'), ...args], ...(env ? {env} : {})};
    serverInfo[name] = {source: 'devDependency', package: pkg, version: versionOf(pkg)};
  };
  dev('everything', '@modelcontextprotocol/server-everything', ['stdio']);
  dev('filesystem', '@modelcontextprotocol/server-filesystem', [data]);
  dev('memory', '@modelcontextprotocol/server-memory', [], {MEMORY_FILE_PATH: path.join(tmp, 'memory.jsonl')});
  const fixturesIdx = argv.indexOf('--fixtures');
  const fixturesDir = fixturesIdx >= 0 ? path.resolve(argv[fixturesIdx + 1]) : path.join(root, 'bench/fixtures/tools');
  if (fs.existsSync(fixturesDir)) recorded.push(...fs.readdirSync(fixturesDir).filter((f) => f.endsWith('.json')).sort());
  for (const f of recorded) {
    const name = path.basename(f, '.json').replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 40);
    // A server already running for real (everything, filesystem, memory) is not counted twice.
    if (servers[name]) continue;
    servers[name] = {command: node, args: [path.join(root, 'test/fixtures/servers/recorded-tools.mjs'), path.join(fixturesDir, f)]};
    const rec = JSON.parse(fs.readFileSync(path.join(fixturesDir, f), 'utf8'));
    serverInfo[name] = {source: 'recorded', package: rec.package, version: rec.version};
  }
}
const echoServer = {command: node, args: [path.join(root, 'test/fixtures/servers/fixture-server.mjs')]};
/** The bare upstream whose echo reports when the request arrived and when it answered. */
const bareServer = {command: node, args: [path.join(root, 'bench/serve/bare-server.mjs')]};
const configFile = path.join(tmp, 'mcpx.json');
const env = {PATH: process.env.PATH ?? '', HOME: tmp, MCPX_HOME: path.join(tmp, 'mcpx')};

/**
 * Connect the SDK's real Client to a server started from `spec` ({command, args, env?, cwd?}).
 * With `stderrTail`, the server's stderr is collected into stderrTail.text (last 2 KB) for reports.
 */
async function connect(spec, {stderrTail, timeout} = {}) {
  const client = new Client({name: 'mcpx-bench', version: '1.0.0'});
  const transport = new StdioClientTransport({command: spec.command, args: spec.args, env: {...env, ...spec.env}, stderr: stderrTail ? 'pipe' : 'ignore', cwd: spec.cwd ?? root});
  // Read it always: an unread pipe would block a chatty server.
  transport.stderr?.on('data', (chunk) => (stderrTail.text = (stderrTail.text + chunk).slice(-2048)));
  try {
    await client.connect(transport, timeout ? {timeout} : undefined);
  } catch (error) {
    await client.close().catch(() => {});
    throw error;
  }
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
const proxySpec = (...extra) => ({command: node, args: [path.join(root, 'bin/run.js'), 'serve', '--config', configFile, '--log-level', 'error', ...extra]});
/** The same config with tool pinning and the poisoning scan off (docs/pinning.md), for the pin-check cost. */
const configOffFile = path.join(tmp, 'mcpx-pinning-off.json');
const proxyOffSpec = (...extra) => ({command: node, args: [path.join(root, 'bin/run.js'), 'serve', '--config', configOffFile, '--log-level', 'error', ...extra]});
const bytes = (v) => Buffer.byteLength(JSON.stringify(v));
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const results = {};

// 1. tools/list size. Also the start check: every upstream is started and listed directly here;
// one that fails is reported and left out of the proxy's config.
{
  let directBytes = 0;
  let directTools = 0;
  for (const [name, s] of Object.entries(servers)) {
    const stderrTail = {text: ''};
    let c;
    try {
      c = await connect(s, {stderrTail, timeout: 90_000});
      // Raw, as a client receives it (the SDK's listTools() rejects some real servers' schemas).
      const {tools, pages} = await listAllTools(c, {timeout: 90_000});
      directBytes += pages.reduce((n, page) => n + bytes(page), 0);
      directTools += tools.length;
      serverInfo[name].tools = tools.length;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      const tail = stderrTail.text.trim().split('\n').slice(-2).join(' | ').slice(0, 300);
      failed.push({name, ...serverInfo[name], error: tail ? `${why} (stderr: ${tail})` : why});
      delete servers[name];
      delete serverInfo[name];
    } finally {
      await c?.close();
    }
    if (s.env?.MEMORY_FILE_PATH) fs.rmSync(s.env.MEMORY_FILE_PATH, {force: true});
  }
  const names = Object.keys(servers);
  const what = (n) => `${n} ${serverInfo[n].package}@${serverInfo[n].version} (${serverInfo[n].tools} tool${serverInfo[n].tools === 1 ? '' : 's'}${serverInfo[n].source === 'recorded' ? ', replayed' : ''})`;
  log(`upstreams (${real ? 'real servers from npm' : `real from devDependencies: ${names.filter((n) => serverInfo[n].source !== 'recorded').join(', ')}; the rest replayed from recorded tool lists`}):`);
  for (const n of names) log(`  ${what(n)}`);
  for (const f of failed) log(`  FAILED to start, left out: ${f.name} ${f.package}@${f.version}: ${f.error}`);
  if (real && names.length < MIN_REAL) {
    console.error(`Only ${names.length} real servers started (at least ${MIN_REAL} needed).`);
    fs.rmSync(tmp, {recursive: true, force: true});
    process.exit(1);
  }
  const config = {mcpServers: {...servers, bench: echoServer, bare: bareServer}};
  // Real servers under load can take longer than the default 30 s to start.
  if (real) config.options = {startupTimeout: 90_000};
  fs.writeFileSync(configFile, JSON.stringify(config));
  fs.writeFileSync(configOffFile, JSON.stringify({...config, options: {...config.options, pinning: 'off', scan: 'off'}}));

  // Cold start: warms the cache for the next measurements as well.
  const p = await connect(proxySpec());
  const searchList = await p.listTools();
  await p.callTool({name: 'search_tools', arguments: {query: 'warm up'}});
  const instructions = p.getInstructions() ?? '';
  await p.close();
  // mcpx waits at most 10 s for cold upstreams per request: with many real servers starting at
  // once on a busy machine some may miss that, so start again until every catalog is cached.
  let directList;
  let listedUpstream = 0;
  let attempts = 0;
  do {
    attempts++;
    const d = await connect(proxySpec('--mode', 'direct'));
    directList = await d.listTools();
    await d.close();
    listedUpstream = directList.tools.filter((t) => !t.name.startsWith('bench__')).length;
  } while (listedUpstream < directTools && attempts < 5);
  const viaMcpx = bytes(searchList);
  results.mode = real ? 'real' : 'replay';
  results.servers = names.map((n) => ({name: n, ...serverInfo[n]}));
  results.failed = failed;
  results.size = {
    servers: names.length,
    realServers: names.filter((n) => serverInfo[n].source !== 'recorded').length,
    recordedFixtures: recorded.length,
    upstreamTools: directTools,
    directBytes,
    mcpxSearchBytes: viaMcpx,
    mcpxInstructionsBytes: Buffer.byteLength(instructions),
    mcpxDirectModeBytes: bytes(directList),
    mcpxDirectModeTools: listedUpstream,
    reductionPct: round(100 * (1 - viaMcpx / directBytes), 1),
    reductionWithInstructionsPct: round(100 * (1 - (viaMcpx + Buffer.byteLength(instructions)) / directBytes), 1),
  };
  log(`tools/list size: ${directTools} tools on ${names.length} servers = ${directBytes} bytes listed directly;`);
  log(`  through mcpx (search mode): ${viaMcpx} bytes (${results.size.reductionPct}% smaller; ${results.size.reductionWithInstructionsPct}% counting the ${Buffer.byteLength(instructions)}-byte instructions)`);
  log(`  direct mode for reference: ${results.size.mcpxDirectModeBytes} bytes (${listedUpstream} upstream tools + the echo fixture's ${directList.tools.length - listedUpstream})`);
  if (results.size.mcpxDirectModeTools !== directTools) log(`  WARNING: mcpx lists ${results.size.mcpxDirectModeTools} of the ${directTools} upstream tools after ${attempts} starts: the cache is not fully warm`);
}

// 2. Warm-cache time to first tools/list (spawn -> initialize -> tools/list answered).
{
  // Interleaved with a minimal SDK server and a bare node JSON-RPC responder (the floors) so
  // that machine noise hits all three alike.
  const times = [];
  const timesOff = [];
  const bare = [];
  const nodeFloor = [];
  for (let i = 0; i < STARTS; i++) {
    let t0 = performance.now();
    const c = await connect(proxySpec());
    await c.listTools();
    times.push(performance.now() - t0);
    await c.close();
    // The same with pinning and the scan off: what checking every cached catalog's pins costs a start.
    t0 = performance.now();
    const off = await connect(proxyOffSpec());
    await off.listTools();
    timesOff.push(performance.now() - t0);
    await off.close();
    t0 = performance.now();
    const b = await connect(echoServer);
    await b.listTools();
    bare.push(performance.now() - t0);
    await b.close();
    t0 = performance.now();
    const n = await connect({command: node, args: [path.join(root, 'bench/serve/bare-server.mjs')]});
    await n.listTools();
    nodeFloor.push(performance.now() - t0);
    await n.close();
  }
  results.warmStart = {
    runs: STARTS,
    medianMs: round(median(times), 1),
    minMs: round(Math.min(...times), 1),
    pinningOffMedianMs: round(median(timesOff), 1),
    pinningOffMinMs: round(Math.min(...timesOff), 1),
    baselineSdkServerMedianMs: round(median(bare), 1),
    baselineSdkServerMinMs: round(Math.min(...bare), 1),
    baselineBareNodeMedianMs: round(median(nodeFloor), 1),
    baselineBareNodeMinMs: round(Math.min(...nodeFloor), 1),
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
  log(`warm-cache time to first tools/list (config naming ${Object.keys(servers).length + 1} servers): median ${results.warmStart.medianMs} ms, min ${results.warmStart.minMs} ms over ${STARTS} starts (load average ${results.warmStart.loadAverage[0].toFixed(1)})`);
  log(`  with pinning and the scan off (options pinning: "off", scan: "off"): median ${results.warmStart.pinningOffMedianMs} ms, min ${results.warmStart.pinningOffMinMs} ms (interleaved)`);
  log(`  (for comparison, spawn to tools/list: a minimal SDK server median ${results.warmStart.baselineSdkServerMedianMs} ms, min ${results.warmStart.baselineSdkServerMinMs} ms;`);
  log(`   a bare node JSON-RPC responder (bench/serve/bare-server.mjs) median ${results.warmStart.baselineBareNodeMedianMs} ms, min ${results.warmStart.baselineBareNodeMinMs} ms)`);
}

// 3. Added latency per execute_tool call, against the echo fixture (`bench`) and against a real
// npm server's cheap tool (server-everything's echo).
/**
 * Median latency of `tool` called on the upstream directly vs through mcpx's execute_tool and
 * through direct mode (`upstream__tool`), CALLS interleaved calls after a warm-up, and the CPU
 * each process used per call.
 */
async function measureLatency(upstream, spec, tool, args) {
  const direct = await connect(spec);
  const proxy = await connect(proxySpec());
  const proxyDirectMode = await connect(proxySpec('--mode', 'direct'));
  // The floor of any proxy: one more process that relays bytes without reading them.
  const relay = await connect({...spec, command: node, args: [path.join(root, 'bench/serve/bare-relay.mjs'), spec.command, ...(spec.args ?? [])]});
  const viaRelay = () => relay.callTool({name: tool, arguments: args});
  const viaDirect = () => direct.callTool({name: tool, arguments: args});
  const viaExecute = () => proxy.callTool({name: 'execute_tool', arguments: {name: `${upstream}__${tool}`, arguments: args}});
  const viaDirectMode = () => proxyDirectMode.callTool({name: `${upstream}__${tool}`, arguments: args});
  for (let i = 0; i < 50; i++) {
    await viaDirect();
    await viaExecute();
    await viaDirectMode();
    await viaRelay();
  }
  // A call that fails (e.g. an unknown tool) would measure nothing useful.
  for (const r of [await viaDirect(), await viaExecute(), await viaDirectMode()]) {
    if (r.isError) throw new Error(`${upstream}__${tool} failed: ${JSON.stringify(r.content).slice(0, 200)}`);
  }
  const t = {direct: [], execute: [], directMode: [], relay: []};
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
    t0 = performance.now();
    await viaRelay();
    t.relay.push(performance.now() - t0);
  }
  const cpuPerCall = (c, k) => {
    const now = cpuMs(c.pid);
    return now === undefined || cpu0[k] === undefined ? undefined : round((now - cpu0[k]) / CALLS);
  };
  const cpu = {upstream: cpuPerCall(direct, 'direct'), execute: cpuPerCall(proxy, 'execute'), directMode: cpuPerCall(proxyDirectMode, 'directMode')};
  await Promise.all([direct.close(), proxy.close(), proxyDirectMode.close(), relay.close()]);
  return {
    calls: CALLS,
    directMedianMs: round(median(t.direct)),
    executeToolMedianMs: round(median(t.execute)),
    directModeMedianMs: round(median(t.directMode)),
    addedExecuteToolMs: round(median(t.execute) - median(t.direct)),
    addedDirectModeMs: round(median(t.directMode) - median(t.direct)),
    // What a process that relays bytes without parsing them adds (the floor for any proxy).
    addedBareRelayMs: round(median(t.relay) - median(t.direct)),
    // mcpx's own share: what it adds beyond that unavoidable extra hop.
    addedOverRelayMs: round(median(t.execute) - median(t.relay)),
    // CPU used per call: by the upstream alone (direct), and by the mcpx process (not counting its upstream).
    cpuPerCallMs: cpu,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}
const logLatency = (label, l) => {
  log(`per-call latency, ${label} (median of ${l.calls}): direct ${l.directMedianMs} ms, via execute_tool ${l.executeToolMedianMs} ms, via direct mode ${l.directModeMedianMs} ms`);
  log(`  added by mcpx: ${l.addedExecuteToolMs} ms (execute_tool), ${l.addedDirectModeMs} ms (direct mode); by a bare byte relay (bench/serve/bare-relay.mjs): ${l.addedBareRelayMs} ms; execute_tool beyond that relay: ${l.addedOverRelayMs} ms`);
  log(`  CPU per call: upstream server ${l.cpuPerCallMs.upstream} ms; mcpx ${l.cpuPerCallMs.execute} ms (execute_tool), ${l.cpuPerCallMs.directMode} ms (direct mode); load average ${l.loadAverage[0].toFixed(1)}`);
};
results.latency = await measureLatency('bench', echoServer, 'echo', {text: 'x'.repeat(64)});
logLatency('echo fixture', results.latency);
if (servers.everything) {
  const l = await measureLatency('everything', servers.everything, 'echo', {message: 'x'.repeat(64)});
  results.latencyEverything = {server: `${serverInfo.everything.package}@${serverInfo.everything.version}`, ...l};
  logLatency(`server-everything's echo (${results.latencyEverything.server})`, l);
}

// 3b. The same between bare endpoints: a raw JSON-RPC client (no SDK) in this process and
// bench/serve/bare-server.mjs, whose echo reports when the request arrived and when it answered
// (process.hrtime: one monotonic clock for all processes). This leaves out what the SDK costs at
// either end, and splits each call into the way in (client write -> upstream read) and the way
// back (upstream write -> client read) for: the upstream directly, a bare byte relay, and mcpx.
const rawConnect = (spec) => rawConnectWith(spec, {env, cwd: root});
async function measureBareLatency() {
  const args = {text: 'x'.repeat(64)};
  const paths = {
    direct: {conn: rawConnect(bareServer), call: {name: 'echo', arguments: args}},
    relay: {conn: rawConnect({command: node, args: [path.join(root, 'bench/serve/bare-relay.mjs'), ...[bareServer.command, ...bareServer.args]]}), call: {name: 'echo', arguments: args}},
    executeTool: {conn: rawConnect(proxySpec()), call: {name: 'execute_tool', arguments: {name: 'bare__echo', arguments: args}}},
    directMode: {conn: rawConnect(proxySpec('--mode', 'direct')), call: {name: 'bare__echo', arguments: args}},
  };
  for (const p of Object.values(paths)) await p.conn.open();
  const t = Object.fromEntries(Object.keys(paths).map((k) => [k, {total: [], in: [], back: []}]));
  for (let i = 0; i < CALLS + 50; i++) {
    for (const [k, p] of Object.entries(paths)) {
      const {message, sent, received} = await p.conn.request('tools/call', p.call);
      const text = message.result?.content?.[0]?.text;
      if (!text) throw new Error(`bare echo via ${k} failed: ${JSON.stringify(message).slice(0, 200)}`);
      if (i < 50) continue; // warm-up
      const [arrived, answered] = text.split(' ').map(BigInt);
      t[k].total.push(Number(received - sent) / 1e6);
      t[k].in.push(Number(arrived - sent) / 1e6);
      t[k].back.push(Number(received - answered) / 1e6);
    }
  }
  await Promise.all(Object.values(paths).map((p) => p.conn.close()));
  const out = {calls: CALLS, loadAverage: os.loadavg().map((x) => round(x, 2))};
  for (const [k, v] of Object.entries(t)) out[k] = {medianMs: round(median(v.total)), inMs: round(median(v.in)), backMs: round(median(v.back))};
  out.addedExecuteToolMs = round(out.executeTool.medianMs - out.direct.medianMs);
  out.addedDirectModeMs = round(out.directMode.medianMs - out.direct.medianMs);
  out.addedBareRelayMs = round(out.relay.medianMs - out.direct.medianMs);
  return out;
}
results.latencyBare = await measureBareLatency();
{
  const l = results.latencyBare;
  log(`per-call latency between bare endpoints (raw JSON-RPC client, bench/serve/bare-server.mjs; median of ${l.calls}; way in + way back):`);
  for (const [k, label] of [['direct', 'direct'], ['relay', 'bare relay'], ['executeTool', 'execute_tool'], ['directMode', 'direct mode']]) {
    log(`  ${label.padEnd(12)} ${l[k].medianMs.toFixed(3)} ms (${l[k].inMs.toFixed(3)} + ${l[k].backMs.toFixed(3)})`);
  }
  log(`  added by mcpx: ${l.addedExecuteToolMs} ms (execute_tool), ${l.addedDirectModeMs} ms (direct mode); by the bare relay: ${l.addedBareRelayMs} ms; load average ${l.loadAverage[0].toFixed(1)}`);
}

// 4. What pin checks cost a warm tools/list: serve with pinning on (the default: hold, scan) and
// off (pinning and scan off), each in search mode and in direct mode (which lists every upstream
// tool, so every listing asks the pin guard), CALLS interleaved requests each from a raw JSON-RPC
// client after a warm-up, one run. With pinning on, a listing costs one stat of the pin store; the
// pins themselves are computed once per catalog, at start or refresh (the warm start above).
async function measurePinCost() {
  const paths = {
    searchOn: rawConnect(proxySpec()),
    searchOff: rawConnect(proxyOffSpec()),
    directOn: rawConnect(proxySpec('--mode', 'direct')),
    directOff: rawConnect(proxyOffSpec('--mode', 'direct')),
  };
  for (const c of Object.values(paths)) await c.open();
  const t = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  const tools = {};
  for (let i = 0; i < CALLS + 50; i++) {
    for (const [k, c] of Object.entries(paths)) {
      const {message, sent, received} = await c.request('tools/list', {});
      if (!Array.isArray(message.result?.tools)) throw new Error(`tools/list via ${k} failed: ${JSON.stringify(message).slice(0, 200)}`);
      tools[k] = message.result.tools.length;
      if (i >= 50) t[k].push(Number(received - sent) / 1e6);
    }
  }
  await Promise.all(Object.values(paths).map((c) => c.close()));
  const out = {calls: CALLS, loadAverage: os.loadavg().map((x) => round(x, 2))};
  for (const [k, v] of Object.entries(t)) out[k] = {medianMs: round(median(v)), p90Ms: round([...v].sort((a, b) => a - b)[Math.floor(v.length * 0.9)]), tools: tools[k]};
  out.addedSearchMs = round(out.searchOn.medianMs - out.searchOff.medianMs);
  out.addedDirectMs = round(out.directOn.medianMs - out.directOff.medianMs);
  return out;
}
results.pinCost = await measurePinCost();
{
  const l = results.pinCost;
  log(`warm tools/list with pinning on vs off (raw JSON-RPC client, median of ${l.calls} interleaved requests each; load average ${l.loadAverage[0].toFixed(1)}):`);
  log(`  search mode: on ${l.searchOn.medianMs} ms, off ${l.searchOff.medianMs} ms (${l.addedSearchMs >= 0 ? '+' : ''}${l.addedSearchMs} ms)`);
  log(`  direct mode (${l.directOn.tools} tools listed with pinning on, ${l.directOff.tools} off): on ${l.directOn.medianMs} ms, off ${l.directOff.medianMs} ms (${l.addedDirectMs >= 0 ? '+' : ''}${l.addedDirectMs} ms); p90 ${l.directOn.p90Ms} / ${l.directOff.p90Ms} ms`);
}

fs.rmSync(tmp, {recursive: true, force: true});
if (asJson) console.log(JSON.stringify(results, null, 2));
