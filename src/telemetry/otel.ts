/**
 * OpenTelemetry for `mcpx serve` (docs/telemetry.md): a SERVER span per request from the client
 * and a CLIENT span per upstream call under it, named and attributed after the OpenTelemetry
 * semantic conventions for MCP, the `mcp.server.operation.duration` and
 * `mcp.client.operation.duration` histograms, and W3C trace context read from and written to
 * `params._meta`. Exported over OTLP/HTTP as JSON. Only imported when telemetry is on.
 * Nothing secret goes in: names pass through the audit log's redaction, and argument values,
 * results and resource URIs appear only with `options.log.payloads`, masked the same way.
 */
import {type Attributes, type Context, type Histogram, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, type TextMapGetter, type TextMapSetter, type Tracer, trace} from '@opentelemetry/api';
import {W3CTraceContextPropagator} from '@opentelemetry/core';
import {OTLPMetricExporter} from '@opentelemetry/exporter-metrics-otlp-http';
import {OTLPTraceExporter} from '@opentelemetry/exporter-trace-otlp-http';
import {resourceFromAttributes} from '@opentelemetry/resources';
import {MeterProvider, PeriodicExportingMetricReader} from '@opentelemetry/sdk-metrics';
import {BasicTracerProvider, BatchSpanProcessor} from '@opentelemetry/sdk-trace-base';
import {type AuditRecord, maskPayload, redactText} from '../logs/audit.js';
import type {RequestTracer, ProxyServer} from '../proxy/server.js';
import type {RpcRequest} from '../proxy/rpc.js';
import type {TraceContext, UpstreamCall, UpstreamSpan} from '../proxy/upstream.js';

export interface TelemetryConfig {
  /** mcpx's version (`service.version`). */
  version: string;
  env: NodeJS.ProcessEnv;
  /** OTLP/HTTP base URL; absent: the exporters read the OTEL_EXPORTER_OTLP_* variables (default http://localhost:4318). */
  endpoint?: string;
  /** Resolved export headers (OTEL_EXPORTER_OTLP_HEADERS is read by the exporters too). */
  headers?: Record<string, string>;
  /** How the client reaches serve: `pipe` (stdio) or `tcp` (--http). */
  transport: 'pipe' | 'tcp';
  /** `options.log.payloads`: put masked argument values and results in spans. */
  payloads: boolean;
  /** Every secret serve resolved, masked wherever it appears. */
  known: () => Iterable<string>;
}

/** The bucket boundaries (seconds) the conventions give for both operation-duration histograms. */
const DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
/** Characters of JSON kept of an argument or result attribute (as in the audit log). */
const PAYLOAD_MAX = 2000;
/** Shutdown exports at most this long: a dead collector must not hold serve open. */
const EXPORT_TIMEOUT_MS = 3000;

const getter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const v = carrier[key];
    // Bounded: _meta comes from the client.
    return typeof v === 'string' && v.length <= 512 ? v : undefined;
  },
};
const setter: TextMapSetter<Record<string, unknown>> = {set: (carrier, key, value) => (carrier[key] = value)};

export class Telemetry implements RequestTracer {
  private readonly tracers: BasicTracerProvider;
  private readonly meters: MeterProvider;
  private readonly tracer: Tracer;
  private readonly serverDuration: Histogram;
  private readonly clientDuration: Histogram;
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(private readonly config: TelemetryConfig) {
    const resource = resourceFromAttributes({'service.name': config.env.OTEL_SERVICE_NAME || 'mcpx', 'service.version': config.version});
    const base = config.endpoint?.replace(/\/+$/, '');
    const exporterOptions = (signal: string) => ({
      ...(base ? {url: `${base}/v1/${signal}`} : {}),
      ...(config.headers ? {headers: config.headers} : {}),
      timeoutMillis: EXPORT_TIMEOUT_MS,
    });
    this.tracers = new BasicTracerProvider({resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(exporterOptions('traces')))]});
    this.meters = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({exporter: new OTLPMetricExporter(exporterOptions('metrics')), exportIntervalMillis: 60_000, exportTimeoutMillis: EXPORT_TIMEOUT_MS})],
    });
    this.tracer = this.tracers.getTracer('mcpx', config.version);
    const meter = this.meters.getMeter('mcpx', config.version);
    const histogram = (name: string, description: string) => meter.createHistogram(name, {unit: 's', description, advice: {explicitBucketBoundaries: DURATION_BUCKETS}});
    this.serverDuration = histogram('mcp.server.operation.duration', 'MCP request duration as observed by mcpx serve, from receipt to the answer sent.');
    this.clientDuration = histogram('mcp.client.operation.duration', 'Duration of a request mcpx serve sent to an upstream server, until its answer.');
  }

  /** The SERVER span of a request from the client; its parent is the `traceparent` the client put in `params._meta`. */
  start(request: RpcRequest, server: ProxyServer): TraceContext & {end(record: AuditRecord, error?: {code: number; message: string}): void} {
    const params = (request.params ?? {}) as Record<string, unknown>;
    const meta = params._meta && typeof params._meta === 'object' && !Array.isArray(params._meta) ? (params._meta as Record<string, unknown>) : {};
    const parent = this.propagator.extract(ROOT_CONTEXT, meta, getter);
    const method = request.method;
    const target = targetOf(method, params.name, this.known());
    const attributes: Attributes = {
      'mcp.method.name': method,
      ...targetAttributes(method, target),
      'jsonrpc.request.id': String(request.id),
      'mcp.session.id': server.sessionId,
      'network.transport': this.config.transport,
      ...(server.protocolVersion ? {'mcp.protocol.version': server.protocolVersion} : {}),
    };
    const span = this.tracer.startSpan(target ? `${method} ${target}` : method, {kind: SpanKind.SERVER, attributes}, parent);
    const ctx = trace.setSpan(parent, span);
    return {
      upstreamCall: (call) => this.clientSpan(ctx, call),
      end: (record, error) => {
        try {
          this.endServerSpan(span, record, attributes, params, error);
        } catch {
          // telemetry must never break a call
        }
      },
    };
  }

  private endServerSpan(span: Span, record: AuditRecord, attributes: Attributes, params: Record<string, unknown>, error: {code: number; message: string} | undefined): void {
    const known = this.known();
    const more: Attributes = {'mcpx.outcome': record.outcome};
    if (!attributes['mcp.protocol.version'] && record.method === 'initialize' && typeof params.protocolVersion === 'string') more['mcp.protocol.version'] = params.protocolVersion.slice(0, 50);
    if (record.server) more['mcpx.server'] = record.server;
    if (record.upstreamTool) more['mcpx.upstream.tool'] = redactText(record.upstreamTool.slice(0, 200), known);
    const errorType = errorTypeOf(record, error);
    if (errorType) {
      more['error.type'] = errorType;
      if (record.errorType && record.errorType !== errorType) more['mcpx.error.type'] = record.errorType;
    }
    if (error) more['rpc.response.status_code'] = String(error.code);
    if (this.config.payloads) Object.assign(more, this.payloadAttributes(record, params, known));
    span.setAttributes(more);
    if (errorType) span.setStatus({code: SpanStatusCode.ERROR, ...(error ? {message: redactText(error.message.slice(0, 500), known)} : {})});
    span.end();
    const metric: Attributes = {
      'mcp.method.name': record.method,
      ...pick(attributes, 'gen_ai.tool.name', 'gen_ai.prompt.name', 'gen_ai.operation.name', 'network.transport', 'mcp.protocol.version'),
      ...pick(more, 'mcp.protocol.version', 'error.type'),
    };
    this.serverDuration.record(record.durationMs / 1000, metric);
  }

  /** Masked argument values, result and resource URI (`options.log.payloads` only). */
  private payloadAttributes(record: AuditRecord, params: Record<string, unknown>, known: string[]): Attributes {
    const json = (v: unknown) => {
      const m = maskPayload(v, known, PAYLOAD_MAX).value;
      return typeof m === 'string' ? m : JSON.stringify(m);
    };
    const out: Attributes = {};
    if (record.method === 'resources/read' && typeof params.uri === 'string') out['mcp.resource.uri'] = redactText(params.uri.slice(0, PAYLOAD_MAX), known);
    if (record.method === 'tools/call') {
      if (record.arguments !== undefined) out['gen_ai.tool.call.arguments'] = json(record.arguments);
      if (record.result !== undefined && record.outcome === 'ok') out['gen_ai.tool.call.result'] = json(record.result);
    }
    return out;
  }

  /** A CLIENT span for a request to an upstream, and the `traceparent` that makes it the upstream's parent. */
  private clientSpan(parent: Context, call: UpstreamCall): UpstreamSpan {
    const target = targetOf(call.method, call.target, this.known());
    const attributes: Attributes = {
      'mcp.method.name': call.method,
      ...targetAttributes(call.method, target),
      'network.transport': call.transport === 'stdio' ? 'pipe' : 'tcp',
      'mcpx.server': call.server,
    };
    const span = this.tracer.startSpan(target ? `${call.method} ${target}` : call.method, {kind: SpanKind.CLIENT, attributes}, parent);
    const meta: Record<string, unknown> = {};
    this.propagator.inject(trace.setSpan(parent, span), meta, setter);
    const t0 = performance.now();
    return {
      meta,
      id: (id) => span.setAttribute('jsonrpc.request.id', String(id)),
      end: (errorType) => {
        const seconds = (performance.now() - t0) / 1000;
        if (errorType) {
          span.setAttribute('error.type', errorType);
          span.setStatus({code: SpanStatusCode.ERROR});
        }
        span.end();
        this.clientDuration.record(seconds, {...pick(attributes, 'mcp.method.name', 'gen_ai.tool.name', 'gen_ai.prompt.name', 'gen_ai.operation.name', 'network.transport'), ...(errorType ? {'error.type': errorType} : {})});
      },
    };
  }

  private known(): string[] {
    return [...this.config.known()];
  }

  /** Export what is left (bounded in time), then stop. */
  async shutdown(): Promise<void> {
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, EXPORT_TIMEOUT_MS + 500).unref())]);
    await Promise.all([bounded(this.tracers.shutdown()), bounded(this.meters.shutdown())]);
  }
}

/** The low-cardinality target of a span name: the tool or prompt name (redacted), else none. */
function targetOf(method: string, name: unknown, known: string[]): string | undefined {
  if ((method !== 'tools/call' && method !== 'prompts/get') || typeof name !== 'string' || name === '') return undefined;
  return redactText(name.slice(0, 200), known);
}

function targetAttributes(method: string, target: string | undefined): Attributes {
  if (target === undefined) return {};
  return method === 'tools/call' ? {'gen_ai.tool.name': target, 'gen_ai.operation.name': 'execute_tool'} : {'gen_ai.prompt.name': target};
}

/**
 * `error.type` by the conventions: the JSON-RPC error code when an error was answered,
 * `tool_error` for a tool result with isError, else mcpx's own low-cardinality code.
 */
function errorTypeOf(record: AuditRecord, error: {code: number} | undefined): string | undefined {
  if (record.outcome === 'ok') return undefined;
  if (error) return String(error.code);
  if (record.outcome === 'tool-error') return 'tool_error';
  return record.errorType ?? '_OTHER';
}

function pick(from: Attributes, ...keys: string[]): Attributes {
  const out: Attributes = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}
