/**
 * Diagnostics over `mcpx serve`'s config from a terminal (`mcpx servers`, `mcpx tools search`,
 * `mcpx tools describe`): the same config resolution and validation as serve, the same
 * UpstreamManager to start servers and refresh the catalog cache, and serve's own search and
 * describe (MetaTools). Every upstream started here is closed before the function returns (its
 * process group ended), also on Ctrl-C; every error text passes through the logger's masking,
 * so no resolved `${VAR}` value reaches the output. A server that fails here is remembered for a
 * few minutes in the cache directory (masked message only), and `mcpx tools` does not start it
 * again meanwhile unless asked to (`--refresh`); `mcpx servers` always tries.
 */
import fs from 'node:fs';
import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import {UserError} from '../errors.js';
import type {Transport} from '../model.js';
import type {ReferenceSource} from '../secrets/resolve.js';
import {displayPath} from '../util/paths.js';
import {didYouMean} from '../util/suggest.js';
import {FAILURE_MEMORY_MS, catalogDir, clearFailure, filterTools, namespacePrefix, readCachedCatalog, readRecentFailure, writeFailure} from './catalog.js';
import {type ServeConfig, type ServerConfig, configPath, loadServeConfig} from './config.js';
import {createLogger, type Logger} from './log.js';
import type {UpstreamManager} from './manager.js';
import type {PinStore} from '../trust/pins.js';
import type {ServerCatalog} from './upstream.js';

export interface InspectOptions {
  /** --config; else MCPX_CONFIG; else the default path (as serve). */
  config?: string;
  /** mcpx's version, declared to upstreams. */
  version: string;
  env?: NodeJS.ProcessEnv;
  /** Reference sources; default: environment, then keychain. */
  sources?: ReferenceSource[];
  /** End started servers on SIGINT/SIGTERM before exiting (the CLI's case; tests in-process pass false). */
  handleSignals?: boolean;
}

/** `mcpx tools`: also start servers that failed within the last few minutes (else they are skipped). */
export interface RetryOption {
  refresh?: boolean;
}

/** A server `mcpx tools` did not start because it failed a moment ago. */
export interface SkippedServer {
  name: string;
  /** Seconds since it failed. */
  failedAgo: number;
  /** Why it failed then (masked). */
  error: string;
}

/**
 * connected / failed / needs-login / disabled come from a live check; cached / not-cached from
 * `--cached`, which starts nothing.
 */
export type CheckState = 'connected' | 'failed' | 'needs-login' | 'disabled' | 'cached' | 'not-cached';

export interface ServerCheck {
  name: string;
  transport: Transport;
  enabled: boolean;
  state: CheckState;
  /** Tools served (after allowTools/denyTools); null when unknown. */
  tools: number | null;
  /** What the server reported about itself; null when unknown. */
  serverInfo: {name: string; version: string} | null;
  /** Why it failed or what it needs (masked). */
  error?: string;
  /** `--cached`: seconds since the cached catalog was listed. */
  cacheAge?: number;
  /** Live check: milliseconds from start to listed tools. */
  ms?: number;
  /** Tools, prompts and resource templates pinning holds for review (docs/pinning.md); absent when none. */
  held?: number;
  /** Set when the pin store cannot be read (serve then holds everything). */
  pinError?: string;
}

export interface ServersReport {
  file: string;
  servers: ServerCheck[];
  /** True when any checked, enabled server failed (or has an invalid config entry). */
  failed: boolean;
}

/**
 * Check the servers of the serve config: start each selected, enabled one in parallel, list its
 * tools (refreshing the catalog cache as serve does) and close it again; with `cached`, start
 * nothing and report the cached catalogs. Throws ConfigError (exit 2) for an unusable config and
 * UserError for a name that is not in it; a server that fails is a row, never a throw.
 */
export async function checkServers(options: InspectOptions & {names?: string[]; cached?: boolean}): Promise<ServersReport> {
  const env = options.env ?? process.env;
  const config = await loadConfig(options);
  const selected = select(config, options.names);
  if (options.cached) {
    const pins = await cachedPins(env);
    const servers = await Promise.all(selected.map((s) => cachedCheck(config, s, env, pins)));
    return {file: config.file, servers, failed: servers.some((s) => s.state === 'failed')};
  }
  const servers = await withManager(config, options, async (manager, log) => {
    const rows = await Promise.all(selected.map((s) => liveCheck(manager, s)));
    // Masked once more at the end: by now every server's resolved values are known to the logger.
    const masked = rows.map((r) => (r.error ? {...r, error: log.mask(r.error)} : r));
    if (config.options.cache) await rememberChecks(catalogDir(env), selected, masked, log);
    return masked;
  });
  return {file: config.file, servers, failed: servers.some((s) => s.state === 'failed' || s.state === 'needs-login')};
}

/** One server's listing for `mcpx scan`: its catalog (tools after allowTools/denyTools) when one was had. */
export interface ServerListing {
  name: string;
  state: CheckState;
  catalog?: ServerCatalog;
  error?: string;
  /** From the cache: seconds since it was listed. */
  cacheAge?: number;
}

/**
 * The catalogs of the selected servers, as serve would pass them on (tools filtered by
 * allowTools/denyTools): from serve's catalog cache only (starts nothing), or with `connect`,
 * by starting each enabled server as `mcpx servers` does (which also refreshes the cache).
 * `onStart` hears the names about to be started. A server that fails is a row, never a throw.
 */
export async function listServerCatalogs(options: InspectOptions & {names?: string[]; connect?: boolean; onStart?: (names: string[]) => void}): Promise<{file: string; cacheOn: boolean; servers: ServerListing[]}> {
  const env = options.env ?? process.env;
  const config = await loadConfig(options);
  const selected = select(config, options.names);
  const filtered = (s: ServerConfig, c: ServerCatalog | undefined) => (c ? {...c, tools: filterTools(c.tools, s)} : undefined);
  if (!options.connect) {
    const servers = await Promise.all(
      selected.map(async (s): Promise<ServerListing> => {
        if (s.error) return {name: s.name, state: 'failed', error: s.error};
        const catalog = config.options.cache ? await newestCachedCatalog(catalogDir(env), s) : undefined;
        if (!s.enabled) return {name: s.name, state: 'disabled', ...(catalog ? {catalog: filtered(s, catalog)} : {})};
        if (!catalog) return {name: s.name, state: 'not-cached'};
        return {name: s.name, state: 'cached', catalog: filtered(s, catalog), cacheAge: Math.max(0, Math.round((Date.now() - catalog.fetchedAt) / 1000))};
      }),
    );
    return {file: config.file, cacheOn: config.options.cache, servers};
  }
  const starting = selected.filter((s) => s.enabled && !s.error);
  options.onStart?.(starting.map((s) => s.name));
  const servers = await withManager(config, options, async (manager, log) => {
    const rows = await Promise.all(
      selected.map(async (s): Promise<ServerListing> => {
        const {check, catalog} = await liveList(manager, s);
        return {name: s.name, state: check.state, ...(check.error ? {error: log.mask(check.error)} : {}), ...(catalog ? {catalog: filtered(s, catalog)} : {})};
      }),
    );
    if (config.options.cache) await rememberChecks(catalogDir(env), selected, rows, log);
    return rows;
  });
  return {file: config.file, cacheOn: config.options.cache, servers};
}

/** After a live check: forget the failures of servers that listed (or only need a login), remember the others'. */
async function rememberChecks(dir: string, selected: readonly ServerConfig[], rows: ReadonlyArray<{state: CheckState; error?: string}>, log: Logger): Promise<void> {
  await Promise.all(
    selected.map((s, i) => {
      const row = rows[i]!;
      // A needed login is not remembered as a failure: logging in fixes it at once.
      if (row.state === 'connected' || row.state === 'needs-login') return clearFailure(dir, s);
      if (row.state === 'failed' && !s.error) return remember(dir, s, row.error ?? `server '${s.name}' failed`, log);
      return undefined;
    }),
  );
}

export interface ToolMatch {
  name: string;
  server: string;
  tool: string;
  description: string;
  parameters: string;
  score: number;
}

export interface SearchReport {
  /** The text search_tools gives the model (header, one line per tool, unavailable servers), then a line naming skipped servers. */
  text: string;
  tools: ToolMatch[];
  /** Servers not started because they failed within the last few minutes (without `refresh`). */
  skipped: SkippedServer[];
}

/**
 * serve's search_tools over the catalog: cached catalogs, and servers without one started to
 * list them (bounded as in serve), except those that failed within the last few minutes unless
 * `refresh` is set; failures are remembered and successes forget them. Bad input (empty query,
 * limit outside 1..50) is a UserError.
 */
export async function searchCatalog(options: InspectOptions & RetryOption & {query: string; limit?: number}): Promise<SearchReport> {
  const loaded = await loadConfig(options);
  const {config, skipped} = await skipRecentFailures(loaded, options);
  return withManager(config, options, async (manager, log) => {
    const {MetaTools} = await import('./meta-tools.js');
    const args: Record<string, unknown> = {query: options.query, ...(options.limit === undefined ? {} : {limit: options.limit})};
    const result = await new MetaTools(manager, config.options.searchLimit).call('search_tools', args);
    const text = log.mask(textOf(result.content));
    if (result.isError) throw new UserError(text, {code: 'E_USAGE', hint: 'Run `mcpx tools search --help` for the usage.'});
    await rememberOutcomes(manager, config, skipped, options.env ?? process.env, log);
    return {text: text + skippedNote(skipped), tools: (result.structuredContent as {tools: ToolMatch[]}).tools, skipped};
  });
}

export interface ToolDescription {
  name: string;
  server: string;
  tool: string;
  title?: string;
  description: string;
  inputSchema: Tool['inputSchema'];
  outputSchema?: Tool['outputSchema'];
  annotations?: Tool['annotations'];
  /** The compact signature search shows, e.g. `fs__read(path: string, head?: number)`. */
  signature: string;
  /** describe_tool's text: the signature, then the JSON above. */
  text: string;
}

/**
 * serve's describe_tool for `server__tool` (starting that server when it has no cached catalog).
 * An unknown tool is a UserError naming the closest matches.
 */
export async function describeCatalogTool(options: InspectOptions & RetryOption & {name: string}): Promise<ToolDescription> {
  const loaded = await loadConfig(options);
  const {config, skipped} = await skipRecentFailures(loaded, options);
  return withManager(config, options, async (manager, log) => {
    const {MetaTools} = await import('./meta-tools.js');
    const result = await new MetaTools(manager, config.options.searchLimit).call('describe_tool', {name: options.name});
    const text = log.mask(textOf(result.content));
    await rememberOutcomes(manager, config, skipped, options.env ?? process.env, log);
    if (result.isError) {
      const server = skipped.find((s) => options.name.startsWith(namespacePrefix(s.name)));
      const hint = server
        ? `Server '${server.name}' failed ${formatAge(server.failedAgo)} ago and is not started again for a few minutes: run \`mcpx servers ${server.name}\` to check it, or add --refresh to retry now.`
        : 'Find tools with `mcpx tools search <what you want to do>`; names are server__tool.';
      throw new UserError(text.replace(/\s*Use search_tools to find tools\.$/, ''), {code: 'E_UNKNOWN_TOOL', hint});
    }
    const info = result.structuredContent as Omit<ToolDescription, 'signature' | 'text'>;
    return {...info, signature: text.split('\n', 1)[0]!, text};
  });
}

async function loadConfig(options: InspectOptions): Promise<ServeConfig> {
  return loadServeConfig(configPath(options.config, options.env ?? process.env));
}

/**
 * The config `mcpx tools` runs with: a server without a cached catalog that failed within
 * FAILURE_MEMORY_MS gets that failure as its config error, so nothing starts it (its tools are
 * reported unavailable, with the message). With `refresh`, or the cache off, the config as is.
 */
async function skipRecentFailures(config: ServeConfig, options: InspectOptions & RetryOption): Promise<{config: ServeConfig; skipped: SkippedServer[]}> {
  if (options.refresh || !config.options.cache) return {config, skipped: []};
  const dir = catalogDir(options.env ?? process.env);
  const now = Date.now();
  const skipped = new Map<string, SkippedServer>();
  await Promise.all(
    config.servers
      .filter((s) => s.enabled && !s.error)
      .map(async (s) => {
        const failure = await readRecentFailure(dir, s, now);
        // A server with a cached catalog is not started by search or describe anyway.
        if (failure && !(await readCachedCatalog(dir, s))) skipped.set(s.name, {name: s.name, failedAgo: Math.round((now - failure.failedAt) / 1000), error: failure.message});
      }),
  );
  if (skipped.size === 0) return {config, skipped: []};
  const servers = config.servers.map((s) => {
    const skip = skipped.get(s.name);
    return skip ? {...s, error: `${skip.error} (failed ${formatAge(skip.failedAgo)} ago; not retried yet)`} : s;
  });
  return {config: {...config, servers}, skipped: config.servers.filter((s) => skipped.has(s.name)).map((s) => skipped.get(s.name)!)};
}

/** The line after search's text that says which servers were skipped and how to retry them. */
function skippedNote(skipped: readonly SkippedServer[]): string {
  if (skipped.length === 0) return '';
  const names = skipped.map((s) => s.name);
  return `\nSkipped ${names.join(', ')}: failed within the last ${FAILURE_MEMORY_MS / 60_000} minutes. Run \`mcpx servers ${names.join(' ')}\` to check, or add --refresh to retry now.`;
}

/**
 * After `mcpx tools` ran: forget the failures of servers that listed or only need a login
 * (logging in fixes that at once), remember (masked) those of servers that were started and did
 * not list. Skipped servers keep their record as it is. Never throws.
 */
async function rememberOutcomes(manager: UpstreamManager, config: ServeConfig, skipped: readonly SkippedServer[], env: NodeJS.ProcessEnv, log: Logger): Promise<void> {
  if (!config.options.cache) return;
  const dir = catalogDir(env);
  await Promise.all(
    config.servers.map((s) => {
      const upstream = manager.upstreams.get(s.name);
      if (!upstream || s.error || upstream.startedAt === undefined || skipped.some((k) => k.name === s.name)) return undefined;
      if (manager.catalog(s.name) || upstream.state === 'needs-login') return clearFailure(dir, s);
      const why = manager.listError(s.name) ?? upstream.lastError ?? `server '${s.name}' did not list its tools in time`;
      return remember(dir, s, why, log);
    }),
  );
}

/** Write a failure record for `server` (message masked); a write failure is ignored (it only costs a retry). */
async function remember(dir: string, server: ServerConfig, message: string, log: Logger): Promise<void> {
  await writeFailure(dir, {hash: server.hash, failedAt: Date.now(), message: log.mask(message)}).catch(() => undefined);
}

/** The servers named (all when none is), in config order; an unknown name is a UserError. */
function select(config: ServeConfig, names: readonly string[] | undefined): ServerConfig[] {
  if (!names?.length) return config.servers;
  const known = config.servers.map((s) => s.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UserError(`No server '${name}' in ${displayPath(config.file)}.${didYouMean(name, known)}`, {
        code: 'E_UNKNOWN_SERVER',
        hint: known.length ? `Servers there: ${known.join(', ')}.` : 'The config has no servers yet: add them under "mcpServers".',
      });
    }
  }
  const wanted = new Set(names);
  return config.servers.filter((s) => wanted.has(s.name));
}

/**
 * Run `work` with a manager over `config` whose cache is loaded, then close every upstream
 * (bounded, then SIGKILL to what is left, as serve's shutdown).
 */
async function withManager<T>(config: ServeConfig, options: InspectOptions, work: (manager: UpstreamManager, log: Logger) => Promise<T>): Promise<T> {
  const env = options.env ?? process.env;
  // Quiet: failures are reported in the result, not as log lines. Only internal errors show.
  const log = createLogger('error');
  const {managerFor} = await import('./manager.js');
  const manager = managerFor(config, {log, version: options.version, env, ...(options.sources ? {sources: options.sources} : {})});
  const killNow = () => manager.killNow();
  const onSignal = (signal: NodeJS.Signals) => {
    manager.killNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', killNow);
  if (options.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    await manager.loadCache();
    return await work(manager, log);
  } finally {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([manager.close(), new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
    manager.killNow();
    process.off('exit', killNow);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Start one server, list it (refreshing its cache entry) and report; never throws. */
async function liveCheck(manager: UpstreamManager, server: ServerConfig): Promise<ServerCheck> {
  return (await liveList(manager, server)).check;
}

/** liveCheck, also handing back the catalog listed. */
async function liveList(manager: UpstreamManager, server: ServerConfig): Promise<{check: ServerCheck; catalog?: ServerCatalog}> {
  const row = {name: server.name, transport: server.transport, enabled: server.enabled};
  if (!server.enabled) return {check: {...row, state: 'disabled', tools: null, serverInfo: null}};
  if (server.error) return {check: {...row, state: 'failed', tools: null, serverInfo: null, error: server.error}};
  const upstream = manager.upstreams.get(server.name)!;
  const t0 = performance.now();
  // refresh() starts the server (start-up bounded by its startupTimeout inside Upstream), lists
  // it and writes the cache, as serve does. The listing gets the same bound again on top: a
  // server that starts but never lists must not hang the check.
  const bound = 2 * server.startupTimeout;
  let timer: NodeJS.Timeout | undefined;
  const catalog = await Promise.race([manager.refresh(server.name), new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), bound)))]);
  clearTimeout(timer);
  const ms = Math.round(performance.now() - t0);
  if (catalog === 'timeout') return {check: {...row, state: 'failed', tools: null, serverInfo: null, error: `server '${server.name}' did not start and list its tools within ${bound} ms`}};
  if (!catalog) {
    const state = upstream.state === 'needs-login' ? 'needs-login' : 'failed';
    return {check: {...row, state, tools: null, serverInfo: null, error: manager.listError(server.name) ?? upstream.lastError ?? `server '${server.name}': listing its tools failed`}};
  }
  return {check: {...row, state: 'connected', tools: filterTools(catalog.tools, server).length, serverInfo: infoOf(catalog), ms, ...heldOf(manager, server)}, catalog};
}

/** Held items of a checked server as serve counts them (list_servers), and the store's error if it holds everything. */
function heldOf(manager: UpstreamManager, server: ServerConfig): Pick<ServerCheck, 'held' | 'pinError'> {
  const counts = manager.status().find((s) => s.name === server.name)?.held;
  const held = counts ? counts.tools + counts.prompts + counts.resourceTemplates : 0;
  const error = manager.guard?.storeError;
  return {...(held ? {held} : {}), ...(error && held ? {pinError: error} : {})};
}

type CachedPins = {store: PinStore; error?: undefined} | {store?: undefined; error: string};

/** The pin store as `--cached` reads it (never written), or why it cannot be read. */
async function cachedPins(env: NodeJS.ProcessEnv): Promise<CachedPins> {
  const {pinStoreFile, readPinStore} = await import('../trust/pins.js');
  try {
    return {store: await readPinStore(pinStoreFile(env))};
  } catch (error) {
    return {error: (error as Error).message};
  }
}

/** What serve would hold of a cached catalog (after allow/deny filters), decided against the store without writing it. */
async function cachedHeld(server: ServerConfig, catalog: ServerCatalog, pins: CachedPins, options: ServeConfig['options']): Promise<Pick<ServerCheck, 'held' | 'pinError'>> {
  const [{evaluatePins, policyOf, uncheckedVerdicts}, {pinsOfCatalog}, {holdScanner}] = await Promise.all([import('../trust/hold.js'), import('../trust/pins.js'), import('../trust/scan.js')]);
  const policy = policyOf(server, options);
  const current = pinsOfCatalog(catalog);
  // As serve decides (src/proxy/pinning.ts): an unreadable store holds everything unless nothing is checked.
  const verdicts = pins.store ? evaluatePins(pins.store.servers[server.name], current, policy, holdScanner).verdicts : policy.pinning === 'off' && policy.scan === 'off' ? [] : uncheckedVerdicts(current);
  const served = new Set(filterTools(catalog.tools, server).map((t) => t.name));
  const held = verdicts.filter((v) => v.held && (v.kind !== 'tool' || served.has(v.name))).length;
  return {...(held ? {held} : {}), ...(pins.error && held ? {pinError: pins.error} : {})};
}

/** Report one server from the catalog cache alone. */
async function cachedCheck(config: ServeConfig, server: ServerConfig, env: NodeJS.ProcessEnv, pins: CachedPins): Promise<ServerCheck> {
  const row = {name: server.name, transport: server.transport, enabled: server.enabled};
  if (server.error) return {...row, state: 'failed', tools: null, serverInfo: null, error: server.error};
  const catalog = config.options.cache ? await newestCachedCatalog(catalogDir(env), server) : undefined;
  if (!server.enabled) return {...row, state: 'disabled', tools: catalog ? filterTools(catalog.tools, server).length : null, serverInfo: catalog ? infoOf(catalog) : null};
  if (!catalog) return {...row, state: 'not-cached', tools: null, serverInfo: null};
  return {...row, state: 'cached', tools: filterTools(catalog.tools, server).length, serverInfo: infoOf(catalog), cacheAge: Math.max(0, Math.round((Date.now() - catalog.fetchedAt) / 1000)), ...(await cachedHeld(server, catalog, pins, config.options))};
}

/**
 * The newest cached catalog of `server` under any declared client capabilities (serve caches
 * one per capability set; `mcpx servers` itself declares none).
 */
async function newestCachedCatalog(dir: string, server: ServerConfig): Promise<ServerCatalog | undefined> {
  const prefix = `catalog-${server.hash}`;
  let files: string[];
  try {
    files = await fs.promises.readdir(dir);
  } catch {
    return undefined;
  }
  const keys = files
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => f.slice(prefix.length, -'.json'.length))
    .filter((rest) => rest === '' || rest.startsWith('-'))
    .map((rest) => rest.slice(1));
  const catalogs = await Promise.all(keys.map((key) => readCachedCatalog(dir, server, key)));
  return catalogs.filter((c): c is ServerCatalog => c !== undefined).sort((a, b) => b.fetchedAt - a.fetchedAt)[0];
}

function infoOf(catalog: ServerCatalog): {name: string; version: string} | null {
  return catalog.serverInfo ? {name: catalog.serverInfo.name, version: catalog.serverInfo.version} : null;
}

function textOf(content: ReadonlyArray<{type: string; text?: string}>): string {
  return content.map((c) => (c.type === 'text' ? (c.text ?? '') : `[${c.type}]`)).join('\n');
}

/** `42s`, `5m`, `3h`, `2d`: how long ago, for people. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

type Paint = (text: string) => string;
/** The colours `formatServers` uses: chalk's shape, so a chalk instance fits. */
export interface ServersPalette {
  green: Paint;
  red: Paint;
  yellow: Paint;
  dim: Paint;
}
const PLAIN: ServersPalette = {green: (t) => t, red: (t) => t, yellow: (t) => t, dim: (t) => t};

/**
 * One line per server (`name  transport  status  N tools  server version`, the reason last for
 * a failure), then a summary line. Plain text unless a palette is given.
 */
export function formatServers(report: ServersReport, paint: ServersPalette = PLAIN): string[] {
  const rows = report.servers.map((s) => {
    const status = statusText(s);
    const tools = s.tools === null ? '' : `${s.tools} tool${s.tools === 1 ? '' : 's'}${s.pinError ? ', all held' : s.held ? `, ${s.held} held` : ''}`;
    const detail = s.error ?? (s.serverInfo ? `${s.serverInfo.name} ${s.serverInfo.version}` : '');
    return {s, cells: [s.name, s.transport, status.text, tools], paint: status.paint, detail};
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(0, ...rows.map((r) => r.cells[i]!.length)));
  const lines = rows.map(({s, cells, paint: p, detail}) => {
    const [name, transport, status] = cells.map((c, i) => c.padEnd(widths[i]!)) as [string, string, string];
    const tools = cells[3]!.padStart(widths[3]!);
    const coloured = p === 'green' ? paint.green(status) : p === 'red' ? paint.red(status) : p === 'yellow' ? paint.yellow(status) : paint.dim(status);
    return `${name}  ${transport}  ${coloured}  ${tools}  ${s.error ? detail : paint.dim(detail)}`.trimEnd();
  });
  if (lines.length === 0) return [`No servers in ${displayPath(report.file)}: add them under "mcpServers".`];
  const count = (state: CheckState) => report.servers.filter((s) => s.state === state).length;
  const parts = (['connected', 'cached', 'not-cached', 'failed', 'needs-login', 'disabled'] as const).filter((st) => count(st) > 0).map((st) => `${count(st)} ${st.replace('-', ' ')}`);
  lines.push(paint.dim(`${parts.join(', ')} (${displayPath(report.file)})`));
  const pinError = report.servers.find((s) => s.pinError)?.pinError;
  if (pinError) lines.push(paint.red(`${pinError}: serve holds every tool until it can be read (fail closed); \`mcpx tools pins\` shows the problem.`));
  else if (report.servers.some((s) => s.held)) lines.push(paint.dim('Held tools are not served until a person reviews them: mcpx tools pins, mcpx tools diff SERVER/TOOL, mcpx tools approve SERVER/TOOL.'));
  return lines;
}

function statusText(s: ServerCheck): {text: string; paint: 'green' | 'red' | 'yellow' | 'dim'} {
  switch (s.state) {
    case 'connected':
      return {text: '✓ connected', paint: 'green'};
    case 'failed':
      return {text: '✗ failed', paint: 'red'};
    case 'needs-login':
      return {text: '! needs login', paint: 'yellow'};
    case 'disabled':
      return {text: '- disabled', paint: 'dim'};
    case 'cached':
      return {text: `✓ cached ${formatAge(s.cacheAge ?? 0)} ago`, paint: 'green'};
    case 'not-cached':
      return {text: '? not cached', paint: 'yellow'};
  }
}
