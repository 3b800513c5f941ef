#!/usr/bin/env node
// What the audit log (and, for comparison, OpenTelemetry) costs `mcpx serve` per execute_tool
// call: raw JSON-RPC clients (bench/lib/raw-rpc.mjs) call bench/serve/bare-server.mjs's echo
// directly, through a bare byte relay, and through mcpx with the log off, on, on with payloads,
// and with telemetry on (to an OTLP sink in this process), one call on each path in turn (each
// round starting on the next path) so that load on the machine falls on all of them alike. Medians over --calls N (default 300) after 50
// warm-up calls. Run `npm run build` first.   node bench/serve/log-cost.mjs [--calls N] [--json]
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {median, rawConnect} from '../lib/raw-rpc.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const CALLS = argv.includes('--calls') ? Number(argv[argv.indexOf('--calls') + 1]) : 300;
const WARM = 50;
const node = process.execPath;
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
if (!fs.existsSync(path.join(root, 'dist/commands/serve.js'))) {
  console.error('Run `npm run build` first.');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-bench-log-'));
let exported = 0;
const sink = http.createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    exported++;
    res.writeHead(200, {'content-type': 'application/json'}).end('{}');
  });
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const otlp = `http://127.0.0.1:${sink.address().port}`;

const bare = {command: node, args: [path.join(root, 'bench/serve/bare-server.mjs')]};
/** mcpx serve over the bare server with these options, in a home of its own. */
const mcpx = (name, options) => {
  const home = path.join(tmp, name);
  fs.mkdirSync(home);
  const config = path.join(home, 'mcpx.json');
  fs.writeFileSync(config, JSON.stringify({mcpServers: {bare}, options}));
  return {command: node, args: [path.join(root, 'bin/run.js'), 'serve', '--config', config, '--log-level', 'error'], env: {HOME: home, MCPX_HOME: path.join(home, 'mcpx')}};
};
const args = {text: 'x'.repeat(64)};
const echo = {name: 'echo', arguments: args};
const viaMcpx = {name: 'execute_tool', arguments: {name: 'bare__echo', arguments: args}};
const paths = {
  direct: [bare, echo],
  relay: [{command: node, args: [path.join(root, 'bench/serve/bare-relay.mjs'), bare.command, ...bare.args]}, echo],
  logOff: [mcpx('off', {log: {enabled: false}}), viaMcpx],
  logOn: [mcpx('on', {}), viaMcpx],
  logPayloads: [mcpx('payloads', {log: {payloads: true}}), viaMcpx],
  telemetry: [mcpx('otel', {log: {enabled: false}, telemetry: {endpoint: otlp}}), viaMcpx],
};
const conns = Object.fromEntries(Object.entries(paths).map(([k, [spec, call]]) => [k, {conn: rawConnect(spec, {env: {PATH: process.env.PATH ?? ''}, cwd: root}), call}]));
for (const c of Object.values(conns)) await c.conn.open();
const times = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
for (let i = 0; i < CALLS + WARM; i++) {
  // Each round starts on another path, so none always follows the same one.
  const order = Object.entries(conns);
  for (const [k, {conn, call}] of [...order.slice(i % order.length), ...order.slice(0, i % order.length)]) {
    const {message, sent, received} = await conn.request('tools/call', call);
    if (!message.result?.content?.[0]?.text) throw new Error(`echo via ${k} failed: ${JSON.stringify(message).slice(0, 300)}`);
    if (i >= WARM) times[k].push(Number(received - sent) / 1e6);
  }
}
await Promise.all(Object.values(conns).map((c) => c.conn.close()));
sink.close();
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, round(median(v))]));
const records = (name) => {
  const dir = path.join(tmp, name, 'mcpx', 'state', 'logs');
  return fs.existsSync(dir) ? fs.readdirSync(dir).reduce((n, f) => n + fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).length, 0) : 0;
};
const out = {
  calls: CALLS,
  loadAverage: os.loadavg().map((x) => round(x, 2)),
  medianMs: m,
  addedByLogMs: round(m.logOn - m.logOff),
  addedByLogPayloadsMs: round(m.logPayloads - m.logOff),
  addedByTelemetryMs: round(m.telemetry - m.logOff),
  mcpxOverRelayLogOnMs: round(m.logOn - m.relay),
  mcpxOverRelayLogOffMs: round(m.logOff - m.relay),
  relayOverDirectMs: round(m.relay - m.direct),
  records: {logOff: records('off'), logOn: records('on'), logPayloads: records('payloads')},
  otlpExports: exported,
};
fs.rmSync(tmp, {recursive: true, force: true});
if (argv.includes('--json')) {
  console.log(JSON.stringify(out, null, 2));
} else {
  console.log(`per execute_tool call, median of ${CALLS} (load average ${out.loadAverage[0]}):`);
  for (const [k, v] of Object.entries(m)) console.log(`  ${k.padEnd(12)} ${v.toFixed(3)} ms`);
  console.log(`  the log adds ${out.addedByLogMs} ms (with payloads ${out.addedByLogPayloadsMs} ms); telemetry adds ${out.addedByTelemetryMs} ms`);
  console.log(`  mcpx over the bare relay: ${out.mcpxOverRelayLogOnMs} ms with the log, ${out.mcpxOverRelayLogOffMs} ms without; the relay over direct: ${out.relayOverDirectMs} ms`);
  console.log(`  records written: ${JSON.stringify(out.records)}; OTLP exports received: ${out.otlpExports}`);
}
