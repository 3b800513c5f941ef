/**
 * `mcpx serve` as a service: load the config (a broken config still serves, reporting the
 * problem on every tool call), answer from the cached catalog, speak MCP on stdin/stdout, and
 * shut down symmetrically (every upstream and its process group ended, bounded in time) when
 * the client closes stdin or mcpx gets SIGTERM/SIGINT/SIGHUP.
 */
import {defaultSources, type ReferenceSource} from '../secrets/resolve.js';
import {catalogDir} from './catalog.js';
import {ConfigError, DEFAULT_OPTIONS, type LogLevel, type ServeConfig, type ServeMode, configPath, loadServeConfig} from './config.js';
import {createLogger} from './log.js';
import {UpstreamManager} from './manager.js';
import {createProxyServer} from './server.js';

export interface RunServeOptions {
  /** --config; else MCPX_CONFIG; else the default path. */
  config?: string;
  mode?: ServeMode;
  logLevel?: LogLevel;
  logFile?: string;
  /** mcpx's version, reported to clients and upstreams. */
  version: string;
  env?: NodeJS.ProcessEnv;
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
  let config: ServeConfig;
  let configError: string | undefined;
  try {
    config = await loadServeConfig(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = `${error.message}${error.hint ? ` ${error.hint}` : ''}`;
    config = {file, servers: [], options: {...DEFAULT_OPTIONS}};
  }
  const o = config.options;
  if (options.mode) o.mode = options.mode;
  if (options.logLevel) o.logLevel = options.logLevel;
  if (options.logFile) o.logFile = options.logFile;
  const log = createLogger(o.logLevel, o.logFile);
  if (configError) log.error(configError);
  for (const s of config.servers) if (s.error) log.error(s.error);

  const manager = new UpstreamManager(config, {
    log,
    sources: options.sources ?? defaultSources(env),
    cacheDir: o.cache ? catalogDir(env) : undefined,
    clientInfo: {name: 'mcpx', version: options.version},
    parentEnv: env,
  });
  await manager.loadCache();
  const server = await createProxyServer(manager, {
    mode: o.mode,
    searchLimit: o.searchLimit,
    serverInfo: {name: 'mcpx', version: options.version},
    ...(configError ? {configError} : {}),
  });
  const {StdioServerTransport} = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const transport = new StdioServerTransport();

  let resolveDone!: (s: ServeSummary) => void;
  const done = new Promise<ServeSummary>((r) => (resolveDone = r));
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`shutting down (${reason})`);
    const deadline = new Promise((r) => setTimeout(r, 5000).unref());
    await Promise.race([manager.close(), deadline]);
    manager.killNow();
    await server.close().catch(() => undefined);
    resolveDone({reason, servers: config.servers.length});
  };
  const onSignal = (sig: NodeJS.Signals) => void stop(sig);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  process.stdin.on('end', () => void stop('client closed stdin'));
  process.stdin.on('close', () => void stop('client closed stdin'));
  // Last resort: whatever still runs when mcpx exits is killed with its group.
  process.on('exit', () => manager.killNow());
  server.onclose = () => void stop('connection closed');

  await server.connect(transport);
  log.info(`serving ${config.servers.length} server(s) from ${file} in ${o.mode} mode`);
  // After the handshake is possible: start servers whose catalog is not cached (or too old).
  setImmediate(() => manager.startBackground(o.cacheMaxAge));
  const summary = await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  process.off('SIGHUP', onSignal);
  return summary;
}
