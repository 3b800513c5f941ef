/**
 * The downstream MCP server of `mcpx serve`, independent of transport: in search mode it offers
 * the meta-tools, in direct mode every upstream tool under `<server>__<tool>` (announcing
 * changes with list_changed); resources and prompts pass through in both modes. Its
 * instructions tell the model which servers exist and how to use the tools.
 *
 * It speaks JSON-RPC itself instead of through the SDK's `Server`: the handshake and search
 * mode's tools/list are answered before anything heavy loads, and a forwarded call's result goes
 * back as the upstream sent it, parsed once and never re-validated (see docs/architecture.md).
 */
import {randomUUID} from 'node:crypto';
import type {CallToolResult, Implementation, Tool} from '@modelcontextprotocol/sdk/types.js';
import type {AuditRecord} from '../logs/audit.js';
import type {ServeMode} from './config.js';
import type {UpstreamManager} from './manager.js';
import {META_TOOLS, MetaTools, toolError} from './meta-tools.js';
import {heldErrorType, heldMessage} from './pinning.js';
import {type CancelSignal, Cancellation, ErrorCode, isRequest, isResponse, type MessageTransport, type Params, type RequestId, Requester, type RequestOptions, RpcError, type RpcMessage, type RpcRequest, StdioServerChannel, connectionClosed} from './rpc.js';
import {type AuditNote, type CallOptions, auditOf, classifyError, type TraceContext, UpstreamError} from './upstream.js';
import {validateArguments} from './validate.js';

/** Protocol versions this server speaks, newest first (the MCP revisions up to 2025-11-25). */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

export interface ProxyServerOptions {
  mode: ServeMode;
  searchLimit?: number;
  serverInfo?: Implementation;
  /** The servers named in the instructions. */
  servers: string[];
  /** A problem with the whole config known before start: every tool call reports it. */
  configError?: string;
  /** Receives one audit record per audited request (tools/call, resources/read, prompts/get). */
  audit?: (record: AuditRecord) => void;
  /** Put argument values and results in audit records (`options.log.payloads`; the writer redacts them). */
  auditPayloads?: boolean;
  /** OpenTelemetry (src/telemetry/otel.ts): a server span per request. */
  telemetry?: RequestTracer;
}

/** Opens the server span of a request; it is ended with the request's record (and the JSON-RPC error sent, if one was). */
export interface RequestTracer {
  start(request: RpcRequest, server: ProxyServer): TraceContext & {end(record: AuditRecord, error?: {code: number; message: string}): void};
}

const AUDITED = new Set(['tools/call', 'resources/read', 'prompts/get']);

/** What the handlers need once the config is validated and the cache loaded. */
export interface ProxyState {
  manager: UpstreamManager;
  /** A problem with the whole config: every tool call reports it. */
  configError?: string;
}

/** The model-facing summary of what is served. */
export function buildInstructions(options: Pick<ProxyServerOptions, 'servers' | 'mode' | 'configError'>): string {
  if (options.configError) return `mcpx could not load its config, so no MCP servers are available: ${options.configError}`;
  const list = options.servers.join(', ');
  const n = options.servers.length;
  const lines = [`mcpx connects ${n} MCP server${n === 1 ? '' : 's'}: ${list || 'none'}.`];
  if (options.mode === 'search') {
    lines.push(
      'Their tools are not listed directly. To use one: call search_tools with a few words describing the task, then execute_tool with the chosen name (server__tool) and its arguments; describe_tool gives the full input schema when the summary is not enough. list_servers shows server state and errors.',
    );
  } else {
    lines.push('Each tool is named server__tool.');
  }
  return lines.join('\n');
}

/** What a handler gets besides the params: cancellation and a way to report progress. */
interface HandlerContext {
  signal: CancelSignal;
  requestId: RequestId;
  /** Set when the client asked for progress (`_meta.progressToken`). */
  onprogress?: CallOptions['onprogress'];
  /** Set when the request is audited: handlers say which upstream ran and why a call was refused. */
  note?: AuditNote;
}

type Handler = (params: Params, ctx: HandlerContext) => Promise<unknown>;

/** Ids of requests mcpx sends to its client start here (clients number their own). */
const CLIENT_REQUEST_FIRST_ID = 1;

export class ProxyServer {
  private transport?: MessageTransport;
  private readonly handlers = new Map<string, Handler>();
  private readonly inFlight = new Map<RequestId, Cancellation>();
  private requester?: Requester;
  private meta?: MetaTools;
  private closed = false;
  /** What the client said about itself at initialize. */
  clientInfo?: Implementation;
  clientCapabilities?: Record<string, unknown>;
  protocolVersion?: string;
  private readonly ownSessionId = randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  /** The client sent initialize (`clientCapabilities` is set). */
  oninitialize?: () => void;
  /** The client finished the handshake (notifications/initialized). */
  oninitialized?: () => void;
  /** Other notifications from the client (roots/list_changed…). */
  onnotification?: (method: string, params: Params | undefined) => void;

  constructor(
    private readonly state: () => Promise<ProxyState>,
    private readonly options: ProxyServerOptions,
  ) {
    const on = (method: string, handler: Handler) => this.handlers.set(method, handler);
    on('initialize', async (params) => this.initialize(params));
    on('ping', async () => ({}));
    on('tools/list', async () => this.listTools());
    on('tools/call', async (params, ctx) => this.callTool(params, ctx));
    on('resources/list', async () => ({resources: (await this.catalogs()).resources().map((r) => r.resource)}));
    on('resources/templates/list', async () => ({resourceTemplates: (await this.catalogs()).resourceTemplates().map((r) => r.template)}));
    on('resources/read', async (params, ctx) => this.readResource(params, ctx));
    on('prompts/list', async () => ({prompts: (await this.catalogs()).prompts().map((p) => ({...p.prompt, name: p.name}))}));
    on('prompts/get', async (params, ctx) => this.getPrompt(params, ctx));
  }

  /** Serve on `transport` (stdio channel, or the SDK's Streamable HTTP server transport). */
  async connect(transport: MessageTransport): Promise<void> {
    this.transport = transport;
    this.requester = new Requester((m, o) => transport.send(m, o), CLIENT_REQUEST_FIRST_ID);
    // Handlers the transport's owner set before connecting keep running.
    const ownerClose = transport.onclose;
    const ownerError = transport.onerror;
    transport.onmessage = (message, extra) => this.onMessage(message, (extra as {bytes?: number} | undefined)?.bytes);
    transport.onclose = () => {
      ownerClose?.();
      this.onClosed();
    };
    transport.onerror = (error) => {
      ownerError?.(error);
      this.onerror?.(error);
    };
    await transport.start();
  }

  async close(): Promise<void> {
    await this.transport?.close();
    this.onClosed();
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.inFlight.values()) c.abort(new Error('the client disconnected'));
    this.requester?.failAll(connectionClosed());
    this.onclose?.();
  }

  /** Send a notification to the client (dropped once closed). */
  notify(method: string, params?: Params, relatedRequestId?: RequestId): Promise<void> {
    if (this.closed || !this.transport) return Promise.resolve();
    return this.transport.send({jsonrpc: '2.0', method, ...(params ? {params} : {})}, relatedRequestId === undefined ? undefined : {relatedRequestId}).catch(() => undefined);
  }

  /** Send a request to the client (sampling, elicitation, roots) and wait for its answer. */
  request(method: string, params: Params | undefined, options: RequestOptions = {}): Promise<unknown> {
    if (this.closed || !this.requester) return Promise.reject(connectionClosed());
    return this.requester.request(method, params, options);
  }

  /** The session: the HTTP transport's session id, else one made for this connection. */
  get sessionId(): string {
    return (this.transport as {sessionId?: string} | undefined)?.sessionId ?? this.ownSessionId;
  }

  private onMessage(message: RpcMessage, bytes?: number): void {
    if (isRequest(message)) {
      void this.onRequest(message, bytes);
    } else if (isResponse(message)) {
      if (!this.requester?.handle(message)) this.onerror?.(new Error(`a response for an unknown request id ${JSON.stringify(message.id)}`));
    } else if (message.method === 'notifications/cancelled') {
      const id = message.params?.requestId;
      if (typeof id === 'string' || typeof id === 'number') this.inFlight.get(id)?.abort(new Error(String(message.params?.reason ?? 'cancelled by the client')));
    } else if (message.method === 'notifications/initialized') {
      this.oninitialized?.();
    } else if (message.method === 'notifications/progress') {
      this.requester?.handle(message);
    } else {
      this.onnotification?.(message.method, message.params);
    }
  }

  private async onRequest(request: RpcRequest, bytesIn?: number): Promise<void> {
    const handler = this.handlers.get(request.method);
    if (!handler) {
      await this.respondError(request.id, new RpcError(ErrorCode.MethodNotFound, `Method not found: ${request.method}`));
      return;
    }
    const params = request.params ?? {};
    if (typeof params !== 'object' || Array.isArray(params)) {
      await this.respondError(request.id, new RpcError(ErrorCode.InvalidParams, 'params must be an object'));
      return;
    }
    const cancellation = new Cancellation();
    this.inFlight.set(request.id, cancellation);
    const token = (params._meta as {progressToken?: unknown} | undefined)?.progressToken;
    // Progress notifications are chained so they keep their order, and all go out before the result.
    let progressSent: Promise<unknown> | undefined;
    const audit = this.options.audit && AUDITED.has(request.method) ? this.options.audit : undefined;
    const span = this.options.telemetry?.start(request, this);
    const t0 = audit || span ? performance.now() : 0;
    const ctx: HandlerContext = {
      signal: cancellation,
      requestId: request.id,
      ...(audit || span ? {note: span ? {trace: span} : {}} : {}),
      ...(typeof token === 'string' || typeof token === 'number'
        ? {
            onprogress: (p) => {
              const note = {progressToken: token, progress: p.progress, ...(p.total === undefined ? {} : {total: p.total}), ...(p.message === undefined ? {} : {message: p.message})};
              progressSent = (progressSent ?? Promise.resolve()).then(() => this.notify('notifications/progress', note, request.id));
            },
          }
        : {}),
    };
    // What the audit log and the span are told once the request is answered.
    const done = (verdict: Pick<AuditRecord, 'outcome' | 'errorType'>, t1: number, out: RpcMessage | undefined, payload: unknown, error?: {code: number; message: string}) => {
      if (!audit && !span) return;
      const r = this.record(request, params, ctx.note!, t1 - t0, verdict, bytesIn, out, payload);
      if (!r) return;
      if (audit) audit(r);
      span?.end(r, error);
    };
    try {
      const result = await handler(params, ctx);
      if (progressSent) {
        await progressSent;
        // The SDK's client handles notifications a tick later than responses: a progress
        // notification read in the same chunk as the result would find its handler gone.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const t1 = audit || span ? performance.now() : 0;
      const verdict: Pick<AuditRecord, 'outcome' | 'errorType'> = cancellation.aborted ? {outcome: 'error', errorType: 'cancelled'} : (result as CallToolResult | undefined)?.isError === true ? {outcome: 'tool-error'} : {outcome: 'ok'};
      // A cancelled request gets no response (the client has stopped waiting for it).
      if (cancellation.aborted) return done(verdict, t1, undefined, result);
      const response: RpcMessage = {jsonrpc: '2.0', id: request.id, result};
      const sent = this.send(response);
      done(verdict, t1, response, result);
      await sent;
    } catch (error) {
      const t1 = audit || span ? performance.now() : 0;
      const wire = rpcErrorOf(error);
      done(cancellation.aborted ? {outcome: 'error', errorType: 'cancelled'} : {outcome: 'error', errorType: 'protocol-error', ...classifyMessage(error)}, t1, undefined, {error: (error as Error)?.message ?? String(error)}, cancellation.aborted ? undefined : wire);
      if (cancellation.aborted) return;
      await this.respondError(request.id, error);
    } finally {
      this.inFlight.delete(request.id);
    }
  }

  /**
   * One audit record: names only (tool, argument names), never values, unless payloads are on
   * (the writer redacts and truncates them). `out` is the response just sent (for its size).
   */
  private record(request: RpcRequest, params: Params, note: AuditNote, ms: number, fallback: Pick<AuditRecord, 'outcome' | 'errorType'>, bytesIn: number | undefined, out: RpcMessage | undefined, payload: unknown): AuditRecord | undefined {
    try {
      const tool = request.method === 'resources/read' ? undefined : typeof params.name === 'string' ? params.name : undefined;
      let args = request.method === 'resources/read' ? undefined : params.arguments;
      if (tool === 'execute_tool' && this.options.mode === 'search' && args && typeof args === 'object') args = (args as Params).arguments;
      const argNames = args && typeof args === 'object' && !Array.isArray(args) ? Object.keys(args).slice(0, 100).map((n) => n.slice(0, 200)) : undefined;
      const outcome = note.outcome ?? fallback.outcome;
      const errorType = note.errorType ?? fallback.errorType;
      const sent = out && this.transport instanceof StdioServerChannel ? this.transport.lastSentBytes : out ? Buffer.byteLength(JSON.stringify(out)) : undefined;
      return {
        time: new Date().toISOString(),
        id: request.id,
        session: this.sessionId,
        ...(this.clientInfo ? {client: {name: String(this.clientInfo.name).slice(0, 200), version: String(this.clientInfo.version).slice(0, 100)}} : {}),
        method: request.method,
        ...(tool === undefined ? {} : {tool: tool.slice(0, 500)}),
        ...(note.server ? {server: note.server} : {}),
        ...(note.upstreamTool ? {upstreamTool: note.upstreamTool} : {}),
        durationMs: Math.round(ms * 1000) / 1000,
        outcome,
        ...(errorType && outcome !== 'ok' ? {errorType} : {}),
        bytesIn: bytesIn ?? Buffer.byteLength(JSON.stringify(request)),
        ...(sent === undefined ? {} : {bytesOut: sent}),
        ...(argNames ? {argNames} : {}),
        ...(this.options.auditPayloads ? {arguments: request.method === 'resources/read' ? {uri: params.uri} : args, result: payload} : {}),
      };
    } catch {
      // the audit log must never break a call
      return undefined;
    }
  }

  private async respondError(id: RequestId, error: unknown): Promise<void> {
    const e = {...rpcErrorOf(error), ...(error instanceof RpcError && error.data !== undefined ? {data: error.data} : {})};
    await this.send({jsonrpc: '2.0', id, error: e});
  }

  private send(message: RpcMessage): Promise<void> {
    if (this.closed || !this.transport) return Promise.resolve();
    return this.transport.send(message).catch((error: Error) => this.onerror?.(error));
  }

  private initialize(params: Params): unknown {
    const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : undefined;
    this.protocolVersion = requested && PROTOCOL_VERSIONS.includes(requested) ? requested : PROTOCOL_VERSIONS[0];
    this.clientInfo = params.clientInfo as Implementation | undefined;
    this.clientCapabilities = (params.capabilities as Record<string, unknown> | undefined) ?? {};
    // The Streamable HTTP transport checks the header of later requests against this.
    (this.transport as {setProtocolVersion?: (v: string) => void} | undefined)?.setProtocolVersion?.(this.protocolVersion);
    this.oninitialize?.();
    return {
      protocolVersion: this.protocolVersion,
      capabilities: {tools: {listChanged: true}, resources: {listChanged: true}, prompts: {listChanged: true}},
      serverInfo: this.options.serverInfo ?? {name: 'mcpx', version: '0'},
      instructions: buildInstructions(this.options),
    };
  }

  private async ready(): Promise<ProxyState & {meta: MetaTools}> {
    const st = await this.state();
    this.meta ??= new MetaTools(st.manager, this.options.searchLimit);
    return {...st, meta: this.meta};
  }

  /** The manager, once every server without a catalog has been listed (or failed). */
  private async catalogs(): Promise<UpstreamManager> {
    const {manager} = await this.ready();
    await manager.waitForCatalogs();
    return manager;
  }

  private async listTools(): Promise<{tools: Tool[]}> {
    if (this.options.mode === 'search') return {tools: META_TOOLS};
    const manager = await this.catalogs();
    return {tools: [...manager.tools().values()].map((t) => ({...t.tool, name: t.name}))};
  }

  private async callTool(params: Params, ctx: HandlerContext): Promise<CallToolResult> {
    const name = params.name;
    if (typeof name !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'tools/call needs a tool name');
    const args = params.arguments ?? {};
    if (typeof args !== 'object' || Array.isArray(args) || args === null) throw new RpcError(ErrorCode.InvalidParams, 'tools/call arguments must be an object');
    const {manager, meta, configError} = await this.ready();
    if (configError) {
      if (ctx.note) Object.assign(ctx.note, {outcome: 'error', errorType: 'config-error'});
      return toolError(`mcpx could not load its config: ${configError}`);
    }
    const co: CallOptions = {signal: ctx.signal, ...(ctx.onprogress ? {onprogress: ctx.onprogress} : {})};
    if (ctx.note) co.note = ctx.note;
    const result = this.options.mode === 'search' ? await meta.call(name, args as Params, co) : await this.callDirect(manager, name, args as Params, co);
    // Passed on as received; only a result that is not a result at all is replaced.
    if (!result || typeof result !== 'object' || Array.isArray(result)) return toolError(`The upstream server answered tools/call with something that is not a tool result: ${JSON.stringify(result)?.slice(0, 200)}`);
    return result;
  }

  private async callDirect(manager: UpstreamManager, name: string, args: Params, co: CallOptions): Promise<CallToolResult> {
    try {
      const entry = await manager.ensureTool(name);
      if (co.note) Object.assign(co.note, {server: entry.server, upstreamTool: entry.tool.name});
      const problem = await validateArguments(entry, args);
      if (problem) {
        if (co.note) Object.assign(co.note, {outcome: 'refused', errorType: 'invalid-arguments'});
        return toolError(problem);
      }
      return await manager.upstreams.get(entry.server)!.callTool(entry.tool.name, args, co);
    } catch (error) {
      if (error instanceof UpstreamError) {
        if (co.note) Object.assign(co.note, auditOf(error));
        return toolError(error.message);
      }
      throw error;
    }
  }

  private async readResource(params: Params, ctx: HandlerContext): Promise<unknown> {
    const uri = params.uri;
    if (typeof uri !== 'string') throw new RpcError(ErrorCode.InvalidParams, 'resources/read needs a uri');
    const manager = await this.catalogs();
    const upstream = manager.serverForResource(uri);
    if (!upstream) {
      if (ctx.note) Object.assign(ctx.note, {outcome: 'refused', errorType: 'unknown-resource'});
      throw new RpcError(ErrorCode.InvalidParams, `No server offers the resource ${uri}`);
    }
    if (ctx.note) ctx.note.server = upstream.name;
    return this.forward(() => upstream.request('resources/read', {uri}, {signal: ctx.signal, ...(ctx.note ? {note: ctx.note} : {})}));
  }

  private async getPrompt(params: Params, ctx: HandlerContext): Promise<unknown> {
    const manager = await this.catalogs();
    const hit = manager.prompts().find((p) => p.name === params.name);
    const held = hit ? undefined : manager.heldPrompt(String(params.name));
    if (held) {
      if (ctx.note) Object.assign(ctx.note, {server: held.server, upstreamTool: held.prompt.name, outcome: 'held', errorType: heldErrorType(held.verdict)});
      throw new RpcError(ErrorCode.InvalidParams, heldMessage(String(params.name), held.server, held.verdict, manager.guard?.storeError));
    }
    if (!hit) {
      if (ctx.note) Object.assign(ctx.note, {outcome: 'refused', errorType: 'unknown-prompt'});
      throw new RpcError(ErrorCode.InvalidParams, `Unknown prompt '${String(params.name)}'`);
    }
    if (ctx.note) Object.assign(ctx.note, {server: hit.server, upstreamTool: hit.prompt.name});
    const args = params.arguments === undefined ? {} : {arguments: params.arguments};
    return this.forward(() => manager.upstreams.get(hit.server)!.request('prompts/get', {name: hit.prompt.name, ...args}, {signal: ctx.signal, ...(ctx.note ? {note: ctx.note} : {})}));
  }

  /** An upstream failure of a non-tool request, as a protocol error naming the server. */
  private async forward(fn: () => Promise<unknown>): Promise<unknown> {
    try {
      return await fn();
    } catch (error) {
      throw new RpcError(ErrorCode.InternalError, (error as Error).message);
    }
  }

  sendToolListChanged(): Promise<void> {
    return this.notify('notifications/tools/list_changed');
  }
  sendResourceListChanged(): Promise<void> {
    return this.notify('notifications/resources/list_changed');
  }
  sendPromptListChanged(): Promise<void> {
    return this.notify('notifications/prompts/list_changed');
  }
}

/** The JSON-RPC error a handler's exception is answered with. */
function rpcErrorOf(error: unknown): {code: number; message: string} {
  return error instanceof RpcError ? {code: error.code, message: error.rpcMessage} : {code: ErrorCode.InternalError, message: (error as Error)?.message ?? String(error)};
}

/** An error thrown by a handler, classified by its message (timeouts, unresolved secrets). */
function classifyMessage(error: unknown): Partial<Pick<AuditRecord, 'outcome' | 'errorType'>> {
  const c = classifyError(error instanceof RpcError ? error.rpcMessage : String((error as Error)?.message ?? error));
  return c.errorType === 'upstream-error' ? {} : c;
}

/** Forward the manager's list changes to the client (tools only in direct mode: search mode's list is fixed). */
export function announceChanges(server: ProxyServer, manager: UpstreamManager, mode: ServeMode): () => void {
  return manager.onChange((kind) => {
    if (kind === 'tools') {
      if (mode === 'direct') void server.sendToolListChanged();
    } else if (kind === 'resources') void server.sendResourceListChanged();
    else void server.sendPromptListChanged();
  });
}
