/**
 * One upstream MCP server and the single owner of its connection: resolves `${VAR}` references
 * at each start, connects over stdio (own process group, minimal env), Streamable HTTP or SSE,
 * starts lazily and restarts with backoff after a crash, re-initialises on HTTP session loss,
 * gives every call a timeout, forwards cancellation and progress (also for the requests it
 * passes to mcpx's client), and reports list changes.
 * Remote servers without an Authorization header use the login `mcpx auth login` stored when
 * they ask for one (./oauth.ts); a missing login puts the server in state `needs-login` and
 * fails its calls with a message saying what to run.
 * Nothing here blocks another upstream: all waiting is per instance.
 */
import type {Client} from '@modelcontextprotocol/sdk/client/index.js';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {CallToolResult, ClientResult, Implementation, Prompt, Resource, ResourceTemplate, ServerCapabilities, Tool} from '@modelcontextprotocol/sdk/types.js';
import {type ReferenceSource, resolveReferences} from '../secrets/resolve.js';
import {maskDeep} from '../secrets/mask.js';
import type {ServerConfig} from './config.js';
import type {UserError} from '../errors.js';
import {type ClientBridge, FORWARDED, type MirroredCapabilities, type ProgressListener, capabilitiesKey, notForwarded} from './forward.js';
import type {Logger} from './log.js';
import type {StoredLogin} from './oauth.js';
import {asMessageTransport, type CancelSignal, connectionClosed, type Params, type RequestId, Requester} from './rpc.js';
import type {ChildProcessTransport} from './stdio-transport.js';

export type UpstreamState = 'idle' | 'starting' | 'ready' | 'backoff' | 'needs-login' | 'failed' | 'disabled' | 'closed';

/** What a server offers, as listed at one moment (the unit cached on disk). */
export interface ServerCatalog {
  hash: string;
  fetchedAt: number;
  serverInfo?: Implementation;
  instructions?: string;
  capabilities?: ServerCapabilities;
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
  /** capabilitiesKey() of the client capabilities declared when this was listed ('' or absent: none). */
  clientKey?: string;
}

export type ListKind = 'tools' | 'resources' | 'prompts';

export interface UpstreamDeps {
  sources: readonly ReferenceSource[];
  log: Logger;
  /** The upstream said one of its lists changed (or it reconnected and may have changed). */
  onListChanged?: (kind: ListKind) => void;
  /** Called each time a connection becomes ready (first start and restarts). */
  onReady?: () => void;
  clientInfo?: Implementation;
  /** Environment the minimal child env is taken from (tests pass their own). */
  parentEnv?: NodeJS.ProcessEnv;
  /** The serve config file (decides whether login hints can use the server's name). */
  configFile?: string;
  /**
   * The downstream client for requests the server sends to its client (sampling, elicitation,
   * roots). Absent (serve over HTTP): no such capability is declared and such requests fail.
   */
  client?: ClientBridge;
}

export interface CallOptions {
  signal?: CancelSignal;
  onprogress?: (progress: {progress: number; total?: number; message?: string}) => void;
  meta?: Record<string, unknown>;
  /** Filled in by the handlers for the audit log (which upstream tool ran, why a call was refused). */
  note?: AuditNote;
}

export interface AuditNote {
  server?: string;
  upstreamTool?: string;
  outcome?: 'refused' | 'held' | 'timeout' | 'error';
  errorType?: string;
  /** The server span of the request (telemetry on): upstream calls open client spans under it. */
  trace?: TraceContext;
}

/** What telemetry gives an upstream call: a client span, its `traceparent`, and its end. */
export interface TraceContext {
  upstreamCall(call: UpstreamCall): UpstreamSpan;
}

export interface UpstreamCall {
  server: string;
  method: string;
  /** The tool or prompt name (`params.name`), if any. */
  target?: string;
  transport: ServerConfig['transport'];
}

export interface UpstreamSpan {
  /** Goes into the upstream request's `params._meta` (W3C `traceparent`). */
  meta: Record<string, unknown>;
  /** The JSON-RPC id the request went out under. */
  id(id: RequestId): void;
  /** `errorType` when the call failed (`tool_error` for a result with isError). */
  end(errorType?: string): void;
}

/** The audit verdict an UpstreamError carries (mcpx refused or held the call itself), if any. */
export interface AuditVerdict {
  outcome: 'refused' | 'held';
  /** A short code: `pin-changed`, `policy-denied`… */
  errorType: string;
}

/** The audit outcome of an error message mcpx produced (unknown tool, unresolved secret, timeout…). */
export function classifyError(message: string): Required<Pick<AuditNote, 'outcome' | 'errorType'>> {
  if (/^Unknown tool /.test(message)) return {outcome: 'refused', errorType: 'unknown-tool'};
  if (/\$\{[A-Za-z_][A-Za-z0-9_]*\} is not set/.test(message)) return {outcome: 'refused', errorType: 'unresolved-secret'};
  if (/timed out after \d+ ms/.test(message)) return {outcome: 'timeout', errorType: 'timeout'};
  if (/ was cancelled$/.test(message)) return {outcome: 'error', errorType: 'cancelled'};
  return {outcome: 'error', errorType: 'upstream-error'};
}

/** An error meant for the client as is (it already names the server and what to do). */
export class UpstreamError extends Error {
  /**
   * `verdict`: mcpx itself refused or held the call (a held pinned tool: `{outcome: 'held',
   * errorType: 'pin-changed'}`); the audit log records it as such instead of classifying the message.
   */
  constructor(
    message: string,
    readonly verdict?: AuditVerdict,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

/** The audit outcome of an UpstreamError: its verdict when it carries one, else from its message. */
export function auditOf(error: UpstreamError): Required<Pick<AuditNote, 'outcome' | 'errorType'>> {
  return error.verdict ? {outcome: error.verdict.outcome, errorType: error.verdict.errorType} : classifyError(error.message);
}

const MAX_BACKOFF = 30_000;
/** Pause between the last progress passed to a server and the answer to its request. */
const PROGRESS_SETTLE_MS = 20;

/** A result "schema" the SDK accepts (the zod v3 shape) that keeps a result exactly as received. */
const PASSTHROUGH = {safeParse: (data: unknown) => ({success: true, data})};

/**
 * First id of the requests mcpx sends past the SDK client (tool calls and other forwarded
 * requests); the SDK's own ids count up from 0 on the same connection and never get here.
 */
const DIRECT_FIRST_ID = 1_000_000_000;

export class Upstream {
  state: UpstreamState;
  lastError?: string;
  /** Consecutive failures (start failures and crashes); reset by a successful request. */
  private failures = 0;
  private retryAt = 0;
  private client?: Client;
  private transport?: Transport;
  /**
   * Forwarded requests (tools/call, resources/read, prompts/get) go straight to the transport:
   * the SDK client would parse every result against its zod schemas only for mcpx to pass it on
   * unchanged. Set with `client` once the connection is initialised.
   */
  private direct?: Requester;
  private connecting?: Promise<Client>;
  /** The client capabilities the current connection declared (mirrored from the downstream client). */
  private declared: MirroredCapabilities = {};
  /** The stored-login fetch of a remote server without an Authorization header (kept across reconnects). */
  private login?: StoredLogin;
  /** The needs-login message last logged (each distinct one is logged once, not on every call). */
  private loginWarning?: string;
  private generation = 0;
  restarts = 0;
  startedAt?: number;

  constructor(
    readonly config: ServerConfig,
    private readonly deps: UpstreamDeps,
  ) {
    this.state = config.error ? 'failed' : config.enabled ? 'idle' : 'disabled';
    this.lastError = config.error;
  }

  get name(): string {
    return this.config.name;
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  /** The pid of a running stdio child. */
  get pid(): number | undefined {
    return asChild(this.transport)?.pid;
  }

  get serverCapabilities(): ServerCapabilities | undefined {
    return this.client?.getServerCapabilities();
  }

  /**
   * A connected client, starting the server when needed (single flight). During a backoff after
   * repeated failures it fails fast with the last error instead of waiting.
   */
  connect(): Promise<Client> {
    if (this.state === 'disabled') return Promise.reject(new UpstreamError(`server '${this.name}' is disabled in the mcpx config`));
    if (this.config.error) return Promise.reject(new UpstreamError(this.config.error));
    if (this.state === 'closed') return Promise.reject(new UpstreamError(`server '${this.name}' is shutting down`));
    if (this.client && this.state === 'ready') return Promise.resolve(this.client);
    if (this.connecting) return this.connecting;
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      return Promise.reject(new UpstreamError(`server '${this.name}' failed and is retried in ${Math.ceil(wait / 1000)}s; last error: ${this.lastError ?? 'unknown'}`));
    }
    this.connecting = this.start().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async start(): Promise<Client> {
    const generation = ++this.generation;
    this.state = 'starting';
    if (this.startedAt !== undefined) this.restarts++;
    this.startedAt = Date.now();
    let transport: Transport | undefined;
    if (this.login) this.login.failure = undefined;
    try {
      // Before anything starts: the capabilities to declare (in stdio mode, the client's, once it said them).
      const declared = (await this.deps.client?.capabilities()) ?? {};
      transport = await this.createTransport();
      const [{Client}, types] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
      const client = new Client(this.deps.clientInfo ?? {name: 'mcpx', version: '0'}, {capabilities: declared});
      // Requests from the server to its client go to mcpx's client unparsed, as the SDK received
      // them; its answer (or error) comes back the same way, and the server's cancellation
      // (extra.signal) cancels the forwarded request.
      const forwards = new Map<RequestId, AbortController>();
      client.fallbackRequestHandler = async (request, extra) => {
        const controller = new AbortController();
        const onAbort = () => controller.abort(extra.signal.reason);
        extra.signal.addEventListener('abort', onAbort, {once: true});
        forwards.set(request.id, controller);
        // The client's progress for the request goes back to the server under the server's own
        // token, in order, and all of it before the answer.
        const token = (request.params?._meta as {progressToken?: unknown} | undefined)?.progressToken;
        let progressSent: Promise<void> | undefined;
        const onprogress: ProgressListener | undefined =
          typeof token === 'string' || typeof token === 'number'
            ? (p) => {
                progressSent = (progressSent ?? Promise.resolve()).then(() =>
                  extra.sendNotification({method: 'notifications/progress', params: {progressToken: token, ...p}}).catch((error: Error) => this.deps.log.debug(`server '${this.name}': cannot pass on progress: ${error.message}`)),
                );
              }
            : undefined;
        try {
          const result = await this.forwardToClient(declared, request.method, request.params, controller.signal, onprogress);
          if (progressSent) {
            await progressSent;
            // SDK servers handle a notification a tick after a response read in the same chunk,
            // so progress sent just before the answer would find its handler gone: a short pause
            // lets the server read it first (cheap next to a sampling or elicitation round trip).
            await new Promise((resolve) => setTimeout(resolve, PROGRESS_SETTLE_MS));
          }
          return result;
        } finally {
          extra.signal.removeEventListener('abort', onAbort);
          if (forwards.get(request.id) === controller) forwards.delete(request.id);
        }
      };
      client.setNotificationHandler(types.ToolListChangedNotificationSchema, async () => this.deps.onListChanged?.('tools'));
      client.setNotificationHandler(types.ResourceListChangedNotificationSchema, async () => this.deps.onListChanged?.('resources'));
      client.setNotificationHandler(types.PromptListChangedNotificationSchema, async () => this.deps.onListChanged?.('prompts'));
      client.onclose = () => this.onClosed(generation);
      client.onerror = (error) => this.deps.log.debug(`server '${this.name}': transport error: ${error.message}`);
      this.transport = transport;
      await client.connect(transport, {timeout: this.config.startupTimeout});
      if (generation !== this.generation || this.isClosed()) {
        await client.close().catch(() => undefined);
        throw new UpstreamError(`server '${this.name}' is shutting down`);
      }
      // Answers to forwarded requests are taken off the transport before the SDK client sees them.
      const raw = asMessageTransport(transport);
      const direct = new Requester((m, o) => raw.send(m, o), DIRECT_FIRST_ID);
      const sdkOnMessage = raw.onmessage;
      raw.onmessage = (message, extra) => {
        if (direct.handle(message)) return;
        // The SDK ignores the cancellation of request id 0 (a falsy id), the first a server sends.
        if ('method' in message && message.method === 'notifications/cancelled') {
          const id = message.params?.requestId;
          if (typeof id === 'string' || typeof id === 'number') forwards.get(id)?.abort(message.params?.reason ?? 'cancelled by the server');
        }
        sdkOnMessage?.(message, extra);
      };
      this.direct = direct;
      this.client = client;
      this.declared = declared;
      this.state = 'ready';
      this.lastError = undefined;
      this.loginWarning = undefined;
      const info = client.getServerVersion();
      this.deps.log.info(`server '${this.name}' ready${info ? ` (${info.name} ${info.version})` : ''}${this.pid ? ` pid ${this.pid}` : ''}`);
      queueMicrotask(() => this.deps.onReady?.());
      return client;
    } catch (error) {
      // The SSE transport reports a failed stream with its own error: ask the login what happened.
      const authError = asAuthErrorOf(error) ?? this.login?.failure;
      const message = authError ? this.describeAuthError(authError) : this.describeStartFailure(error, transport);
      await transport?.close().catch(() => undefined);
      if (this.transport === transport) this.transport = undefined;
      if (generation === this.generation && !this.isClosed()) {
        if (authError?.code === 'E_AUTH_REQUIRED') this.needsLogin(message);
        else this.fail(message);
      }
      throw new UpstreamError(message);
    }
  }

  private async createTransport(): Promise<Transport> {
    const c = this.config;
    const field = (name: string) => ({server: this.name, field: name});
    const resolved = {
      command: c.command === undefined ? undefined : (await resolveReferences(c.command, this.deps.sources, field('command'))),
      args: c.args === undefined ? undefined : await resolveReferences(c.args, this.deps.sources, field('args')),
      env: c.env === undefined ? undefined : await resolveReferences(c.env, this.deps.sources, field('env')),
      cwd: c.cwd === undefined ? undefined : await resolveReferences(c.cwd, this.deps.sources, field('cwd')),
      url: c.url === undefined ? undefined : await resolveReferences(c.url, this.deps.sources, field('url')),
      headers: c.headers === undefined ? undefined : await resolveReferences(c.headers, this.deps.sources, field('headers')),
    };
    // Resolved values stay in memory; the logger only learns them to mask them.
    for (const r of Object.values(resolved)) if (r) this.deps.log.addSecrets(r.secrets);
    if (c.transport === 'stdio') {
      const {ChildProcessTransport, minimalEnv} = await import('./stdio-transport.js');
      const t = new ChildProcessTransport({
        command: resolved.command!.value,
        args: resolved.args?.value,
        env: {...minimalEnv(this.deps.parentEnv), ...(resolved.env?.value ?? {})},
        cwd: resolved.cwd?.value,
        onStderr: (line) => this.deps.log.debug(`[${this.name}] ${line}`),
        onGarbage: (line) => this.deps.log.warn(`server '${this.name}' wrote non-protocol output on stdout: ${line.slice(0, 200)}`),
      });
      return t; // Client.connect() starts it
    }
    let url: URL;
    try {
      url = new URL(resolved.url!.value);
    } catch {
      throw new UpstreamError(`server '${this.name}', field 'url': not a valid URL`);
    }
    const requestInit = {headers: resolved.headers?.value ?? {}};
    const {StoredLogin, usesStoredLogin} = await import('./oauth.js');
    if (usesStoredLogin(c.transport, c.headers)) {
      // Per URL: a changed ${VAR} in the url is another server with another login.
      if (this.login?.url !== url.href) {
        this.login = new StoredLogin({name: this.name, url: url.href, oauth: c.oauth, configFile: this.deps.configFile, env: this.deps.parentEnv ?? process.env, log: this.deps.log});
      }
    } else {
      this.login = undefined;
    }
    const fetch = this.login?.fetch;
    if (c.transport === 'sse') {
      const {SSEClientTransport} = await import('@modelcontextprotocol/sdk/client/sse.js');
      return new SSEClientTransport(url, {requestInit, ...(fetch ? {fetch} : {})});
    }
    const {StreamableHTTPClientTransport} = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    return new StreamableHTTPClientTransport(url, {requestInit, ...(fetch ? {fetch} : {})});
  }

  /**
   * An auth failure as the client sees it: the server, what went wrong and the command that
   * fixes it (`mcpx auth login <server>`, by name when `mcpx auth` knows the name, else by URL).
   */
  private describeAuthError(error: UserError, what?: string): string {
    const command = /^Run:\s*(mcpx auth login \S+)/.exec(error.hint ?? '')?.[1];
    const fix = command
      ? error.code === 'E_AUTH_SCOPE'
        ? ` Run \`${command}\` again in a terminal (it asks for the extra scope), then try again.`
        : ` Run \`${command}\` in a terminal, then try again.`
      : error.hint
        ? ` ${error.hint}`
        : '';
    const head = error.code === 'E_AUTH_REQUIRED' ? `server '${this.name}' needs an OAuth login` : `server '${this.name}'${what ? `: ${what} failed` : ''}`;
    return this.deps.log.mask(`${head}: ${error.message}${fix}`);
  }

  /** No usable login: calls fail at once with `message` until the user logs in (no backoff: checking is local and cheap). */
  private needsLogin(message: string): void {
    if (this.loginWarning !== message) this.deps.log.warn(message);
    this.loginWarning = message;
    this.state = 'needs-login';
    this.lastError = message;
    this.retryAt = 0;
  }

  private describeStartFailure(error: unknown, transport: Transport | undefined): string {
    if (error instanceof UpstreamError) return error.message;
    const hint = (error as {hint?: unknown})?.hint;
    let raw = (error instanceof Error ? error.message : String(error)) + (typeof hint === 'string' ? ` (${hint})` : '');
    if ((error as {code?: unknown})?.code === 401) {
      // Servers without an Authorization header never get here (their 401 goes to the stored login).
      raw += ' (HTTP 401: the server rejects the configured Authorization header; fix its value, or remove the header to use `mcpx auth login`)';
    }
    const child = asChild(transport);
    const parts: string[] = [];
    if (child?.exit) {
      parts.push(`server '${this.name}' exited during start (${exitText(child.exit)})`);
    } else if (/timed out|timeout/i.test(raw)) {
      parts.push(`server '${this.name}' did not answer initialize within ${this.config.startupTimeout} ms`);
    } else if (raw.startsWith(`server '${this.name}'`)) {
      parts.push(raw); // already says which server (an unresolved reference names server and field)
    } else {
      parts.push(`server '${this.name}' failed to start: ${raw}`);
    }
    if (child?.garbage.length) parts.push(`it wrote non-protocol output on stdout: ${JSON.stringify(child.garbage[0])}`);
    if (child?.stderrTail.length) parts.push(`stderr: ${child.stderrTail.slice(-3).join(' | ')}`);
    return this.deps.log.mask(parts.join('; '));
  }

  private fail(message: string): void {
    this.failures++;
    this.lastError = message;
    this.state = 'backoff';
    // The first restart after a crash is immediate; repeated failures back off exponentially.
    const delay = this.failures <= 1 ? 0 : Math.min(MAX_BACKOFF, 250 * 2 ** (this.failures - 2));
    this.retryAt = Date.now() + delay;
    this.deps.log.warn(`${message}${delay ? ` (retry in ${delay} ms)` : ''}`);
  }

  private onClosed(generation: number): void {
    if (generation !== this.generation || this.state === 'closed') return;
    const child = asChild(this.transport);
    const wasReady = this.state === 'ready';
    this.client = undefined;
    this.transport = undefined;
    this.direct?.failAll(connectionClosed());
    this.direct = undefined;
    if (!wasReady) return; // start() reports its own failure
    const tail = child?.stderrTail.length ? `; stderr: ${child.stderrTail.slice(-3).join(' | ')}` : '';
    this.fail(this.deps.log.mask(`server '${this.name}' closed the connection${child?.exit ? ` (${exitText(child.exit)})` : ''}${tail}`));
    // Whatever the child left running in its group goes too.
    void child?.close();
  }

  /**
   * Run `fn` with a connected client. Retries once on HTTP session loss (404: the server forgot
   * our session) after re-initialising. Errors come back as UpstreamError with a clear message.
   */
  private async withClient<T>(what: string, fn: (client: Client, direct: Requester) => Promise<T>, timeout = this.config.timeout): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.connect();
      try {
        const result = await fn(client, this.direct!);
        this.failures = 0;
        return result;
      } catch (error) {
        if (attempt === 0 && isSessionLost(error) && this.client === client) {
          this.deps.log.info(`server '${this.name}' lost our session; re-initialising`);
          await this.reset();
          continue;
        }
        const authError = asAuthErrorOf(error);
        if (authError) {
          const message = this.describeAuthError(authError, what);
          if (authError.code === 'E_AUTH_REQUIRED' && this.client === client) {
            // The login is gone (logged out, revoked, expired): the next call starts afresh.
            await this.reset();
            this.needsLogin(message);
          }
          throw new UpstreamError(message);
        }
        throw this.describeCallError(error, what, timeout);
      }
    }
  }

  private describeCallError(error: unknown, what: string, timeout: number): Error {
    if (error instanceof UpstreamError) return error;
    const e = error as {code?: number; message?: string; name?: string};
    const msg = e?.message ?? String(error);
    if (e?.code === -32001 || /Request timed out/i.test(msg)) return new UpstreamError(`server '${this.name}': ${what} timed out after ${timeout} ms`);
    if (e?.name === 'AbortError' || /aborted|cancel/i.test(msg)) return new UpstreamError(`server '${this.name}': ${what} was cancelled`);
    if (e?.code === -32000 || /Connection closed/i.test(msg)) {
      return new UpstreamError(`${this.lastError ?? `server '${this.name}' closed the connection`} (during ${what}; the next call restarts it)`);
    }
    return new UpstreamError(this.deps.log.mask(`server '${this.name}': ${what} failed: ${msg}`));
  }

  /**
   * A request the server sent to its client: passed to mcpx's client when the capability it
   * needs was declared on this connection, else refused at once with a clear JSON-RPC error.
   * Other methods get the SDK's usual "Method not found".
   */
  private async forwardToClient(declared: MirroredCapabilities, method: string, params: unknown, signal: AbortSignal, onprogress?: ProgressListener): Promise<ClientResult> {
    const cap = FORWARDED[method];
    if (!cap) throw wireError(new Error('Method not found'), -32601);
    const bridge = this.deps.client;
    if (!bridge || !declared[cap]) {
      this.deps.log.debug(`server '${this.name}' sent ${method}; not forwarded (capability '${cap}' not declared)`);
      throw wireError(notForwarded(method, bridge ? 'stdio' : 'http'));
    }
    this.deps.log.debug(`server '${this.name}': forwarding ${method} to the client`);
    try {
      // Passed on as received, like forwarded results the other way.
      return (await bridge.request(method, params as Params | undefined, signal, onprogress)) as ClientResult;
    } catch (error) {
      throw wireError(error);
    }
  }

  /** Send a notification to the running server (dropped when it is not running). */
  notify(method: string, params?: Params): void {
    if (this.state !== 'ready' || !this.transport) return;
    void asMessageTransport(this.transport)
      .send({jsonrpc: '2.0', method, ...(params ? {params} : {})})
      .catch((error: Error) => this.deps.log.debug(`server '${this.name}': cannot send ${method}: ${error.message}`));
  }

  /** The client capabilities the running connection declared (sampling / elicitation / roots). */
  get declaredCapabilities(): MirroredCapabilities {
    return this.declared;
  }

  /** A forwarded request (tools/call, resources/read, prompts/get) is waiting for its answer. */
  get busy(): boolean {
    return (this.direct?.size ?? 0) > 0;
  }

  /** Call a tool upstream; the result is passed through unchanged. */
  callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    // Not client.callTool(): the result must reach the caller unchanged, without the SDK's
    // parsing and output-schema checks (which need a prior tools/list on this connection).
    const params: Params = {name: tool, arguments: args, ...(options.meta ? {_meta: options.meta} : {})};
    return this.request<CallToolResult>('tools/call', params, options, `tool '${tool}'`);
  }

  /**
   * Forward a request (tools/call, resources/read, prompts/get…) with the per-call timeout
   * (re-armed by progress), cancellation and progress; the result comes back as received.
   * With telemetry on (`options.note.trace`) the call gets a client span, whose `traceparent`
   * goes to the server in `params._meta`.
   */
  request<T>(method: string, params: Params | undefined, options: CallOptions = {}, what: string = method): Promise<T> {
    const target = typeof params?.name === 'string' ? params.name : undefined;
    const span = options.note?.trace?.upstreamCall({server: this.name, method, transport: this.config.transport, ...(target === undefined ? {} : {target})});
    const sent = span ? {...params, _meta: {...(params?._meta as Params | undefined), ...span.meta}} : params;
    const result = this.withClient(what, async (_client, direct) => {
      return (await direct.request(method, sent, {timeout: this.config.timeout, signal: options.signal, onprogress: options.onprogress, ...(span ? {onid: (id: RequestId) => span.id(id)} : {})})) as T;
    });
    if (!span) return result;
    return result.then(
      (r) => (span.end(method === 'tools/call' && (r as CallToolResult | undefined)?.isError === true ? 'tool_error' : undefined), r),
      (error: unknown) => {
        span.end(error instanceof UpstreamError ? auditOf(error).errorType : 'error');
        throw error;
      },
    );
  }

  /** Ping the server (starting it if needed), within `timeout` ms (default: the call timeout). */
  async ping(timeout = this.config.timeout): Promise<void> {
    await this.withClient('ping', (client) => client.ping({timeout}), timeout);
  }

  /** List everything the server offers, following `nextCursor` on every list. */
  fetchCatalog(): Promise<ServerCatalog> {
    return this.withClient('listing', async (client) => {
      const caps = client.getServerCapabilities() ?? {};
      const opts = {timeout: this.config.timeout};
      const all = async <I>(list: (cursor?: string) => Promise<{nextCursor?: string} & Record<string, unknown>>, key: string): Promise<I[]> => {
        const out: I[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 1000; page++) {
          const r = await list(cursor);
          out.push(...((r[key] as I[] | undefined) ?? []));
          cursor = r.nextCursor;
          if (!cursor) break;
        }
        return out;
      };
      const optional = async <I>(fn: () => Promise<I[]>): Promise<I[]> => {
        try {
          return await fn();
        } catch (error) {
          this.deps.log.debug(`server '${this.name}': optional listing failed: ${(error as Error).message}`);
          return [];
        }
      };
      // tools/list is read leniently (real servers omit `type: "object"` from schemas, which the
      // SDK's strict parse rejects), then normalised so that downstream clients get valid tools.
      const rawTools = caps.tools
        ? await all<Record<string, unknown>>(
            (cursor) => client.request({method: 'tools/list', params: cursor ? {cursor} : {}}, PASSTHROUGH as never, opts) as Promise<{nextCursor?: string} & Record<string, unknown>>,
            'tools',
          )
        : [];
      const tools = normaliseTools(rawTools, (m) => this.deps.log.warn(`server '${this.name}': ${m}`));
      const resources = caps.resources ? await optional(() => all<Resource>((cursor) => client.listResources(cursor ? {cursor} : undefined, opts), 'resources')) : [];
      const resourceTemplates = caps.resources
        ? await optional(() => all<ResourceTemplate>((cursor) => client.listResourceTemplates(cursor ? {cursor} : undefined, opts), 'resourceTemplates'))
        : [];
      const prompts = caps.prompts ? await optional(() => all<Prompt>((cursor) => client.listPrompts(cursor ? {cursor} : undefined, opts), 'prompts')) : [];
      // Upstream text may echo a resolved secret (a token in a description or the instructions):
      // mask it here, so neither the cache nor any answer of serve ever carries it.
      const listed = maskDeep(
        {serverInfo: client.getServerVersion(), instructions: client.getInstructions(), capabilities: caps, tools, resources, resourceTemplates, prompts},
        (text) => this.deps.log.mask(text),
      );
      return {hash: this.config.hash, clientKey: capabilitiesKey(this.declared), fetchedAt: Date.now(), ...listed};
    });
  }

  /** Drop the connection (killing a stdio child); the next use starts it again. */
  async reset(): Promise<void> {
    this.generation++;
    const client = this.client;
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    this.direct?.failAll(connectionClosed());
    this.direct = undefined;
    if (this.state !== 'closed' && this.state !== 'disabled' && !this.config.error) this.state = 'idle';
    await client?.close().catch(() => undefined);
    await transport?.close().catch(() => undefined);
  }

  /** Shut down for good (bounded in time). */
  async close(): Promise<void> {
    this.state = 'closed';
    await this.reset();
    this.state = 'closed';
  }

  /** Synchronous last resort at process exit. */
  killNow(): void {
    asChild(this.transport)?.killNow();
  }
}

/**
 * An error as the SDK sends it back to the server: `message` is the wire message as is (an
 * RpcError's own, not its "MCP error <code>:" display form), with the code and data kept.
 */
function wireError(error: unknown, code?: number): Error {
  const e = error as {code?: unknown; rpcMessage?: unknown; message?: unknown; data?: unknown; name?: string};
  const message = typeof e?.rpcMessage === 'string' ? e.rpcMessage : e?.name === 'AbortError' ? 'Request cancelled' : String(e?.message ?? error);
  const out = new Error(message) as Error & {code?: number; data?: unknown};
  out.code = code ?? (typeof e?.code === 'number' && Number.isSafeInteger(e.code) ? e.code : -32603);
  if (e?.data !== undefined) out.data = e.data;
  return out;
}

/** src/auth's UserError (`E_AUTH_*`) behind `error`, if that is what it is. */
function asAuthErrorOf(error: unknown): UserError | undefined {
  for (let e = error as {name?: string; code?: unknown; cause?: unknown} | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.name === 'UserError' && typeof e.code === 'string' && e.code.startsWith('E_AUTH_')) return e as unknown as UserError;
  }
  return undefined;
}

/** Keep tools with a name; give every tool an object input schema (adding a missing `type`). */
export function normaliseTools(raw: readonly unknown[], warn: (message: string) => void): Tool[] {
  const out: Tool[] = [];
  for (const t of raw) {
    const tool = t as Record<string, unknown> | null;
    if (!tool || typeof tool !== 'object' || typeof tool.name !== 'string' || tool.name === '') {
      warn(`skipped a tool without a name: ${JSON.stringify(t)?.slice(0, 120)}`);
      continue;
    }
    const schema = tool.inputSchema && typeof tool.inputSchema === 'object' && !Array.isArray(tool.inputSchema) ? (tool.inputSchema as Record<string, unknown>) : {};
    out.push({...tool, inputSchema: schema.type === 'object' ? schema : {...schema, type: 'object'}} as Tool);
  }
  return out;
}

/** The transport as a child process transport, when it is one (remote transports are not). */
function asChild(transport: Transport | undefined): ChildProcessTransport | undefined {
  return transport && 'stderrTail' in transport ? (transport as ChildProcessTransport) : undefined;
}

function exitText(exit: {code: number | null; signal: NodeJS.Signals | null}): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function isSessionLost(error: unknown): boolean {
  const e = error as {code?: unknown; name?: string};
  return e?.code === 404 && /Streamable HTTP error/i.test(String((error as Error)?.message));
}
