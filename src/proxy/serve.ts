/**
 * `mcpx serve` as a service: load the config (a broken config still serves, reporting the
 * problem on every tool call), answer from the cached catalog, speak MCP on stdin/stdout, and
 * shut down symmetrically (every upstream and its process group ended, bounded in time) when
 * the client closes stdin or mcpx gets SIGTERM/SIGINT/SIGHUP.
 */
import type {AuditRecord, AuditWriter} from '../logs/audit.js';
import type {ReferenceSource} from '../secrets/resolve.js';
import type {Telemetry} from '../telemetry/otel.js';
import {catalogDir} from './catalog.js';
import {type AuditLogOptions, ConfigError, type TelemetryOptions, type ConfigPeek, DEFAULT_OPTIONS, type LogLevel, type ServeConfig, type ServeMode, configPath, parseServeConfig, peekServeConfig, readServeConfigText} from './config.js';
import {type ClientBridge, stdioBridge} from './forward.js';
import type {HttpServeHandle, HttpServeOptions} from './http.js';
import {createLogger, type Logger} from './log.js';
import {type UpstreamManager, managerFor} from './manager.js';
import {StdioServerChannel} from './rpc.js';
import {type ProxyState, ProxyServer, announceChanges} from './server.js';

export interface RunServeOptions {
  /** --config; else MCPX_CONFIG; else the default path. */
  config?: string;
  mode?: ServeMode;
  logLevel?: LogLevel;
  logFile?: string;
  /** mcpx's version, reported to clients and upstreams. */
  version: string;
  env?: NodeJS.ProcessEnv;
  /** `HOST:PORT` on loopback: serve Streamable HTTP there instead of stdio. */
  http?: string;
  /** With `http`: session cap, idle expiry and extra Host / Origin values (see ./http.ts). */
  httpOptions?: Pick<HttpServeOptions, 'maxSessions' | 'sessionIdleMs' | 'allowedHosts' | 'allowedOrigins'>;
  /** Reference sources; default: environment, then keychain. */
  sources?: ReferenceSource[];
}

export interface ServeSummary {
  reason: string;
  servers: number;
}

/** Serve until the client goes away or a signal arrives. Resolves after a bounded shutdown. */
export async function runServe(options: RunServeOptions): Promise<ServeSummary> {
  const env = options.env ?? process.env;
  const file = configPath(options.config, env);
  // Only what the handshake needs happens before serving: read and peek at the file. Validation
  // (ajv), the cache and upstreams come after, so the first tools/list is answered at once.
  let text: string | undefined;
  let configError: string | undefined;
  try {
    text = await readServeConfigText(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = describe(error);
  }
  const peek: ConfigPeek = text === undefined ? {servers: [], options: {}} : peekServeConfig(text, file);
  if (peek.syntaxError) configError = describe(peek.syntaxError);
  const mode = options.mode ?? peek.options.mode ?? DEFAULT_OPTIONS.mode;
  const log = createLogger(options.logLevel ?? peek.options.logLevel ?? DEFAULT_OPTIONS.logLevel, options.logFile ?? peek.options.logFile);
  if (configError) log.error(configError);
  // Loaded off the start-up path; records made before it is ready wait for it in order.
  let audit: AuditWriter | undefined;
  const auditReady = peek.options.log?.enabled === false ? undefined : openAudit(env, peek.options.log, log).then((w) => (audit = w), () => undefined);
  // OpenTelemetry: imported only when on, while the rest starts; awaited before serving.
  const telemetryReady = telemetryWanted(env, peek.options.telemetry)
    ? openTelemetry(env, peek.options.telemetry, options, options.http === undefined ? 'pipe' : 'tcp', peek.options.log?.payloads === true, log).catch((error: Error) => {
        log.error(`telemetry is off: ${error.message}`);
        return undefined;
      })
    : undefined;
  let telemetry: Telemetry | undefined;

  let stopping = false;
  let manager: UpstreamManager | undefined;
  let config: ServeConfig | undefined;
  let state: Promise<ProxyState> | undefined;
  let server: ProxyServer | undefined;
  // Stdio: the one client's sampling / elicitation / roots are mirrored to upstreams and their
  // requests forwarded to it. Over HTTP clients share upstreams: nothing is mirrored.
  let bridge: ClientBridge | undefined;
  const ready = (): Promise<ProxyState> =>
    (state ??= (async () => {
      if (text !== undefined && !configError) {
        try {
          config = await parseServeConfig(text, file);
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          configError = describe(error);
          log.error(configError);
        }
      }
      config ??= {file, servers: [], options: {...DEFAULT_OPTIONS}};
      for (const s of config.servers) if (s.error) log.error(s.error);
      manager = managerFor(config, {log, version: options.version, env, ...(options.sources ? {sources: options.sources} : {}), ...(bridge ? {client: bridge} : {})});
      await manager.loadCache();
      for (const sv of servers.keys()) servers.set(sv, announceChanges(sv, manager, mode));
      if (!stopping) manager.startBackground(config.options.cacheMaxAge);
      return {manager, ...(configError ? {configError} : {})};
    })());

  // Each downstream server with its list-change subscription (an HTTP session's goes when it ends).
  const servers = new Map<ProxyServer, (() => void) | undefined>();
  const makeServer = () => {
    const sv = new ProxyServer(ready, {
      mode,
      searchLimit: peek.options.searchLimit,
      serverInfo: {name: 'mcpx', version: options.version},
      servers: peek.servers,
      ...(configError ? {configError} : {}),
      ...(auditReady ? {audit: (r: AuditRecord) => (audit ? audit.add(r) : void auditReady.then((w) => w?.add(r)))} : {}),
      ...((auditReady || telemetry) && peek.options.log?.payloads === true ? {auditPayloads: true} : {}),
      ...(telemetry ? {telemetry} : {}),
    });
    servers.set(sv, manager ? announceChanges(sv, manager, mode) : undefined);
    return sv;
  };
  const release = (sv: ProxyServer) => {
    servers.get(sv)?.();
    servers.delete(sv);
  };
  const http = options.http === undefined ? undefined : await import('./http.js');
  const listen = options.http === undefined ? undefined : http!.parseListen(options.http);
  telemetry = await telemetryReady;

  let resolveDone!: (s: ServeSummary) => void;
  const done = new Promise<ServeSummary>((r) => (resolveDone = r));
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`shutting down (${reason})`);
    const deadline = new Promise((r) => setTimeout(r, 5000).unref());
    if (manager) {
      await Promise.race([manager.close(), deadline]);
      manager.killNow();
    }
    await server?.close().catch(() => undefined);
    await httpHandle?.close().catch(() => undefined);
    await (await auditReady)?.flush();
    await telemetry?.shutdown();
    resolveDone({reason, servers: config?.servers.length ?? peek.servers.length});
  };
  const onSignal = (sig: NodeJS.Signals) => void stop(sig);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  if (!listen) {
    process.stdin.on('end', () => void stop('client closed stdin'));
    process.stdin.on('close', () => void stop('client closed stdin'));
  }
  // Last resort: whatever still runs when mcpx exits is killed with its group.
  process.on('exit', () => {
    manager?.killNow();
    try {
      audit?.flushSync();
    } catch {
      // nothing more can be done at exit
    }
  });
  // One bad upstream or message must not take the proxy (and every other server) down.
  process.on('unhandledRejection', (error) => log.error(`internal error (continuing): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  process.on('uncaughtException', (error) => log.error(`internal error (continuing): ${error.stack ?? error.message}`));
  // A client that went away makes stdout fail with EPIPE: shut down.
  process.stdout.on('error', () => void stop('stdout closed'));
  let httpHandle: HttpServeHandle | undefined;
  if (listen) {
    const token = env.MCPX_SERVE_TOKEN || undefined;
    httpHandle = await http!.serveHttp(listen, makeServer, {log, token, tokenDir: catalogDir(env), release, ...options.httpOptions});
    log.info(`listening on ${httpHandle.url}; bearer token ${httpHandle.tokenFile ? `in ${httpHandle.tokenFile}` : 'from MCPX_SERVE_TOKEN'}`);
  } else {
    server = makeServer();
    server.onclose = () => void stop('connection closed');
    server.onerror = (error) => log.debug(`client connection: ${error.message}`);
    const sv = server;
    // Upstreams start after initialize (bounded), so they can declare what the client declared.
    bridge = stdioBridge(sv, new Promise<void>((resolve) => (sv.oninitialize = resolve)));
    sv.onnotification = (method) => {
      if (method === 'notifications/roots/list_changed') manager?.notifyRunning(method, 'roots');
    };
    await server.connect(new StdioServerChannel());
  }
  log.debug(`serving ${file} in ${mode} mode`);
  // Soon after the handshake (not before it): validate, load the cache, start cold servers.
  setTimeout(() => void ready().catch((error: Error) => log.error(`cannot start: ${error.message}`)), 50).unref();
  const summary = await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.off('SIGHUP', onSignal);
  return summary;
}

/** The audit writer (loaded only when the log is on); its redaction list is every secret serve resolved. */
async function openAudit(env: NodeJS.ProcessEnv, o: AuditLogOptions | undefined, log: Logger): Promise<AuditWriter> {
  const {AuditWriter, logsDir} = await import('../logs/audit.js');
  return new AuditWriter({dir: logsDir(env), ...(o?.maxBytes ? {maxBytes: o.maxBytes} : {}), ...(o?.maxFiles === undefined ? {} : {maxFiles: o.maxFiles}), ...(o?.maxAgeDays ? {maxAgeDays: o.maxAgeDays} : {}), known: () => log.secrets()});
}

/** Telemetry is on with an `options.telemetry` block or an OTLP endpoint in the environment, unless turned off. */
export function telemetryWanted(env: NodeJS.ProcessEnv, o: TelemetryOptions | undefined): boolean {
  if (o?.enabled === false || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  return o !== undefined || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** The telemetry exporter (loaded only when on); `${VAR}` in its headers resolve like server secrets. */
async function openTelemetry(env: NodeJS.ProcessEnv, o: TelemetryOptions | undefined, serve: RunServeOptions, transport: 'pipe' | 'tcp', payloads: boolean, log: Logger): Promise<Telemetry> {
  let headers: Record<string, string> | undefined;
  if (o?.headers) {
    const {defaultSources, resolveReferences} = await import('../secrets/resolve.js');
    const resolved = await resolveReferences(o.headers, serve.sources ?? defaultSources(env), {server: 'telemetry', field: 'headers'});
    log.addSecrets(resolved.secrets);
    headers = resolved.value;
  }
  const {Telemetry} = await import('../telemetry/otel.js');
  return new Telemetry({version: serve.version, env, ...(o?.endpoint ? {endpoint: o.endpoint} : {}), ...(headers ? {headers} : {}), transport, payloads, known: () => log.secrets()});
}

function describe(error: ConfigError): string {
  return `${error.message}${error.hint ? ` ${error.hint}` : ''}`;
}
