/**
 * OpenTelemetry from `mcpx serve`, end to end: a real OTLP/HTTP receiver on 127.0.0.1 decodes
 * what serve's exporters send (OTLP JSON), while the SDK's real Client drives the built proxy
 * over two real upstreams (the stdio fixture, and an SDK McpServer over Streamable HTTP that
 * wants a bearer header). The spans, their parent/child links and attributes follow the MCP
 * semantic conventions, `traceparent` reaches the upstream, both duration histograms arrive,
 * and no planted secret (env, header, argument, result) is in any span or metric, nor in any
 * file under serve's state, cache and config folders.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {readBody} from '../helpers/http.js';
import {FIXTURE, alive, ensureBuilt, startProxy, tempHome, text, waitFor, writeConfig} from '../proxy/helpers.js';

const ALPHA = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const token = (prefix: string, n: number) => prefix + Array.from(randomBytes(n), (b) => ALPHA[b % ALPHA.length]).join('');

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{key: string; value: OtlpValue}>;
  status?: {code?: number; message?: string};
}
const SERVER = 2;
const CLIENT = 3;
const attrs = (s: {attributes?: Array<{key: string; value: OtlpValue}>}) =>
  Object.fromEntries((s.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue ?? a.value.boolValue]));

let home: string;
let receiver: http.Server;
const bodies: Array<{path: string; type: string; text: string}> = [];
let upstream: http.Server;
/** What the HTTP upstream saw: each tools/call's `_meta`, and whether its bearer header was right. */
const seen: Array<{meta: Record<string, unknown> | undefined; authorized: boolean}> = [];
const secrets = {env: 'es' + randomBytes(16).toString('hex'), header: token('hs_', 32), argument: token('ghp_', 36), result: token('ghp_', 36)};
const clientTrace = {traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex')};
let spans: OtlpSpan[] = [];
let metrics: Array<{name: string; unit?: string; histogram?: {dataPoints: Array<{attributes: Array<{key: string; value: OtlpValue}>; count: string | number}>}}> = [];
const results: Record<string, {text: string; isError?: boolean}> = {};

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  receiver = http.createServer((req, res) => {
    void readBody(req).then((b) => {
      bodies.push({path: req.url ?? '', type: String(req.headers['content-type']), text: b.toString('utf8')});
      res.writeHead(200, {'content-type': 'application/json'}).end('{}');
    });
  });
  const otlp = await listen(receiver);

  const {McpServer} = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const {StreamableHTTPServerTransport} = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  upstream = http.createServer((req, res) => {
    void (async () => {
      const authorized = req.headers.authorization === `Bearer ${secrets.header}`;
      if (!authorized) return void res.writeHead(401).end();
      const body = req.method === 'POST' ? JSON.parse((await readBody(req)).toString('utf8') || 'null') : undefined;
      for (const m of Array.isArray(body) ? body : [body]) if (m?.method === 'tools/call') seen.push({meta: m.params?._meta, authorized});
      const mcp = new McpServer({name: 'traced-upstream', version: '1.0.0'});
      mcp.registerTool('whoami', {description: 'Who the caller is, with an API key in the answer'}, async () => ({content: [{type: 'text', text: `you are tester; key ${secrets.result}`}]}));
      const transport = new StreamableHTTPServerTransport({sessionIdGenerator: undefined, enableJsonResponse: true});
      res.on('close', () => void transport.close().then(() => mcp.close()));
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  const upstreamUrl = `${await listen(upstream)}/mcp`;

  const cfg = writeConfig(
    home,
    {
      a: {command: process.execPath, args: [FIXTURE], env: {TOKEN: '${MCPX_OTEL_ENV_SECRET}'}},
      h: {url: upstreamUrl, headers: {Authorization: 'Bearer ${MCPX_OTEL_HEADER_SECRET}'}},
    },
    {telemetry: {endpoint: otlp}, log: {payloads: true}},
  );
  const proxy = await startProxy(cfg, home, {MCPX_OTEL_ENV_SECRET: secrets.env, MCPX_OTEL_HEADER_SECRET: secrets.header});
  const run = async (key: string, name: string, args: Record<string, unknown>, meta?: Record<string, unknown>) => {
    const r = (await proxy.client.callTool({name: 'execute_tool', arguments: {name, arguments: args}, ...(meta ? {_meta: meta} : {})})) as {content: Array<{type: string; text?: string}>; isError?: boolean};
    results[key] = {text: text(r as never), ...(r.isError ? {isError: true} : {})};
  };
  await run('echo', 'a__echo', {text: `hello ${secrets.argument}`});
  await run('env', 'a__env', {});
  await run('whoami', 'h__whoami', {}, {traceparent: `00-${clientTrace.traceId}-${clientTrace.spanId}-01`});
  await run('fail', 'a__fail', {});
  await run('unknown', 'a__nope', {[secrets.argument]: 1});
  await proxy.close();
  expect(await waitFor(() => !alive(proxy.pid), 15_000)).toBe(true);

  for (const b of bodies.filter((x) => x.path === '/v1/traces')) {
    for (const rs of JSON.parse(b.text).resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans.push(...ss.spans);
  }
  for (const b of bodies.filter((x) => x.path === '/v1/metrics')) {
    for (const rm of JSON.parse(b.text).resourceMetrics ?? []) for (const sm of rm.scopeMetrics ?? []) metrics.push(...sm.metrics);
  }
}, 60_000);

afterAll(async () => {
  receiver?.close();
  upstream?.closeAllConnections();
  upstream?.close();
  fs.rmSync(home, {recursive: true, force: true});
});

/** The server span of the n-th tools/call (by request order) and the client spans under it. */
const serverSpans = () => spans.filter((s) => s.kind === SERVER && s.name.startsWith('tools/call')).sort((x, y) => Number(attrs(x)['jsonrpc.request.id']) - Number(attrs(y)['jsonrpc.request.id']));
const childrenOf = (s: OtlpSpan) => spans.filter((c) => c.parentSpanId === s.spanId && c.traceId === s.traceId);

describe('mcpx serve OpenTelemetry', () => {
  it('sends OTLP JSON with the service named', () => {
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b.type).toContain('application/json');
    const resource = JSON.parse(bodies.find((b) => b.path === '/v1/traces')!.text).resourceSpans[0].resource;
    expect(attrs(resource)['service.name']).toBe('mcpx');
  });

  it('opens a server span per request and a client span per upstream call under it', () => {
    const calls = serverSpans();
    expect(calls.map((s) => s.name)).toEqual(Array(5).fill('tools/call execute_tool'));
    const [echo, env, whoami, fail, unknown] = calls;
    const a = attrs(echo!);
    expect(a).toMatchObject({'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'execute_tool', 'gen_ai.operation.name': 'execute_tool', 'network.transport': 'pipe', 'mcpx.server': 'a', 'mcpx.upstream.tool': 'echo', 'mcpx.outcome': 'ok'});
    expect(a['mcp.session.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a['mcp.protocol.version']).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(a['jsonrpc.request.id']).toMatch(/^\d+$/);
    expect(a['error.type']).toBeUndefined();
    // Upstream calls: one client span each, child of the request's server span, same trace.
    const [echoUp] = childrenOf(echo!);
    expect(childrenOf(echo!)).toHaveLength(1);
    expect(echoUp!.name).toBe('tools/call echo');
    expect(echoUp!.kind).toBe(CLIENT);
    expect(attrs(echoUp!)).toMatchObject({'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'echo', 'gen_ai.operation.name': 'execute_tool', 'network.transport': 'pipe', 'mcpx.server': 'a'});
    expect(Number(attrs(echoUp!)['jsonrpc.request.id'])).toBeGreaterThanOrEqual(1_000_000_000);
    expect(childrenOf(env!).map((s) => s.name)).toEqual(['tools/call env']);
    expect(childrenOf(whoami!).map((s) => [s.name, attrs(s)['network.transport'], attrs(s)['mcpx.server']])).toEqual([['tools/call whoami', 'tcp', 'h']]);
    // The client's traceparent makes its span the parent of serve's server span.
    expect(whoami!.traceId).toBe(clientTrace.traceId);
    expect(whoami!.parentSpanId).toBe(clientTrace.spanId);
    expect(echo!.traceId).not.toBe(clientTrace.traceId);
    expect(echo!.parentSpanId || undefined).toBeUndefined();
    // Errors: a tool error on both spans, a refused call without an upstream span.
    expect(attrs(fail!)['error.type']).toBe('tool_error');
    expect(fail!.status?.code).toBe(2);
    expect(attrs(childrenOf(fail!)[0]!)['error.type']).toBe('tool_error');
    expect(attrs(unknown!)).toMatchObject({'error.type': 'unknown-tool', 'mcpx.outcome': 'refused'});
    expect(childrenOf(unknown!)).toHaveLength(0);
    // The handshake and listings have server spans too (no tool in their names).
    expect(spans.some((s) => s.kind === SERVER && s.name === 'initialize')).toBe(true);
  });

  it('carries the client span as traceparent in params._meta to the upstream', () => {
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorized).toBe(true);
    const up = childrenOf(serverSpans()[2]!)[0]!;
    expect(seen[0]!.meta?.traceparent).toBe(`00-${up.traceId}-${up.spanId}-01`);
  });

  it('records both operation-duration histograms in seconds', () => {
    const server = metrics.find((m) => m.name === 'mcp.server.operation.duration');
    const client = metrics.find((m) => m.name === 'mcp.client.operation.duration');
    expect(server?.unit).toBe('s');
    expect(client?.unit).toBe('s');
    const points = server!.histogram!.dataPoints.map((p) => ({...attrs(p), count: Number(p.count)}));
    expect(points).toContainEqual(expect.objectContaining({'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'execute_tool', 'error.type': 'tool_error', count: 1}));
    const up = client!.histogram!.dataPoints.map((p) => ({...attrs(p), count: Number(p.count)}));
    expect(up).toContainEqual(expect.objectContaining({'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'whoami', 'network.transport': 'tcp', count: 1}));
  });

  it('never exports or stores a planted secret, though the upstreams got and returned them', () => {
    // The secrets were really used: resolved into the env and the header, echoed, returned.
    expect(results.echo!.text).toContain(secrets.argument);
    expect(results.env!.text).toContain(secrets.env);
    expect(results.whoami!.text).toContain(secrets.result);
    // Payloads are on: spans carry arguments and results, masked.
    const echoAttrs = attrs(serverSpans()[0]!);
    expect(String(echoAttrs['gen_ai.tool.call.arguments'])).toContain('hello ghp_…');
    expect(String(attrs(serverSpans()[2]!)['gen_ai.tool.call.result'])).toContain('key ghp_…');
    expect(String(attrs(serverSpans()[1]!)['gen_ai.tool.call.result'])).toContain('TOKEN');
    const files = (dir: string): string[] => fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const stored = files(home);
    expect(stored.some((f) => f.includes(`${path.sep}state${path.sep}`))).toBe(true);
    expect(stored.some((f) => f.includes(`${path.sep}cache${path.sep}`))).toBe(true);
    const places = [...stored.map((f) => ({where: f, body: fs.readFileSync(f, 'latin1')})), ...bodies.map((b) => ({where: `OTLP ${b.path}`, body: b.text}))];
    for (const {where, body} of places) for (const [kind, s] of Object.entries(secrets)) expect(body.includes(s), `${where} holds the ${kind} secret`).toBe(false);
  });
});
