/**
 * The upstream manager: owns one Upstream per configured server and the merged catalog. It
 * answers from the on-disk cache when it can (no upstream starts for tools/list with a warm
 * cache), starts servers whose cache is cold in the background, refreshes a server's catalog
 * whenever it (re)connects or says its list changed, and routes namespaced names to servers.
 */
import type {Implementation, Prompt, Resource, ResourceTemplate, Tool} from '@modelcontextprotocol/sdk/types.js';
import {defaultSources, type ReferenceSource} from '../secrets/resolve.js';
import {DEFAULT_POLICY, type ItemVerdict, policyOf} from '../trust/hold.js';
import {pinStoreFile} from '../trust/pins.js';
import {suggest} from '../util/suggest.js';
import {catalogDir, filterTools, namespacedName, pruneCache, readCachedCatalog, sameList, writeCachedCatalog} from './catalog.js';
import type {ServeConfig} from './config.js';
import {type ClientBridge, type MirroredCapabilities, capabilitiesKey} from './forward.js';
import type {Logger} from './log.js';
import {HeldError, type HeldSummary, PinGuard} from './pinning.js';
import {type ListKind, type ServerCatalog, Upstream, UpstreamError} from './upstream.js';

export interface ToolEntry {
  /** `<server>__<tool>`. */
  name: string;
  server: string;
  tool: Tool;
}

export interface ServerStatus {
  name: string;
  transport: string;
  state: string;
  enabled: boolean;
  tools: number | null;
  cached: boolean;
  catalogAge?: number;
  pid?: number;
  restarts: number;
  lastError?: string;
  /** What the server reported about itself at its last listing. */
  serverInfo?: {name: string; version: string};
  /** The server's own instructions for models (from its last listing). */
  instructions?: string;
  /** Items held for review by pinning (docs/pinning.md), when any. */
  held?: HeldSummary;
}

/** A tool a client named that pinning holds. */
export interface HeldEntry extends ToolEntry {
  verdict: ItemVerdict;
}

export interface ManagerOptions {
  log: Logger;
  sources: readonly ReferenceSource[];
  /** Where catalogs are cached; undefined disables the cache. */
  cacheDir?: string;
  clientInfo?: Implementation;
  parentEnv?: NodeJS.ProcessEnv;
  /** The downstream client upstream requests (sampling, elicitation, roots) go to; stdio mode only. */
  client?: ClientBridge;
  /** The pin store (docs/pinning.md); undefined: nothing is pinned or held. */
  pinStore?: string;
}

type Listener = (kind: ListKind) => void;

/**
 * The manager `mcpx serve` (and `mcpx servers`/`tools`) runs for `config`: references resolved
 * from `sources` (default: the environment, then the keychain), catalogs cached where the config
 * enables the cache, mcpx named as the client to upstreams.
 */
export function managerFor(
  config: ServeConfig,
  options: {log: Logger; version: string; env: NodeJS.ProcessEnv; sources?: readonly ReferenceSource[]; client?: ClientBridge},
): UpstreamManager {
  return new UpstreamManager(config, {
    log: options.log,
    sources: options.sources ?? defaultSources(options.env),
    cacheDir: config.options.cache ? catalogDir(options.env) : undefined,
    clientInfo: {name: 'mcpx', version: options.version},
    parentEnv: options.env,
    pinStore: pinStoreFile(options.env),
    ...(options.client ? {client: options.client} : {}),
  });
}

export class UpstreamManager {
  readonly upstreams = new Map<string, Upstream>();
  private readonly catalogs = new Map<string, ServerCatalog>();
  private readonly fromCache = new Set<string>();
  private readonly refreshing = new Map<string, Promise<ServerCatalog | undefined>>();
  private readonly again = new Set<string>();
  /** Why each server's last listing failed (cleared by a successful one). */
  private readonly listErrors = new Map<string, string>();
  private readonly listeners = new Set<Listener>();
  private toolIndex?: Map<string, ToolEntry>;
  /** Tools pinning holds, by namespaced name (built with toolIndex). */
  private heldIndex = new Map<string, HeldEntry>();
  /** Decides what is held (undefined: pinning not in use). */
  readonly guard?: PinGuard;
  private closed = false;
  /** The cache directory was pruned (once per manager, after its first catalog write). */
  private pruned = false;

  constructor(
    readonly config: ServeConfig,
    private readonly options: ManagerOptions,
  ) {
    for (const server of config.servers) {
      const upstream = new Upstream(server, {
        sources: options.sources,
        log: options.log,
        clientInfo: options.clientInfo,
        parentEnv: options.parentEnv,
        configFile: config.file,
        ...(options.client ? {client: options.client} : {}),
        onListChanged: (kind) => {
          options.log.debug(`server '${server.name}' says its ${kind} changed`);
          void this.refresh(server.name);
        },
        onReady: () => {
          // Running anyway: refresh its catalog in the background (a warm cache may be stale).
          if (!this.refreshing.has(server.name)) void this.refresh(server.name);
        },
      });
      this.upstreams.set(server.name, upstream);
    }
    options.client?.onLateCapabilities?.((caps) => void this.adoptLateCapabilities(caps));
    if (options.pinStore) {
      const policies = new Map(config.servers.map((s) => [s.name, policyOf(s, config.options)]));
      this.guard = new PinGuard(options.pinStore, (name) => policies.get(name) ?? DEFAULT_POLICY, options.log, () => {
        // Holds changed under a running serve (approved, rejected, store unreadable): every list may differ.
        this.toolIndex = undefined;
        for (const l of this.listeners) for (const kind of ['tools', 'resources', 'prompts'] as const) l(kind);
      });
    }
  }

  /**
   * The client initialized after upstreams had been told it declares nothing (serve waits 2 s
   * for it). No request from it can have reached an upstream before its initialize, so every
   * connection made until now served listings only: reconnect those (once any listing in flight
   * is done) so that they declare the client's sampling / elicitation / roots and list again, and
   * take the catalogs of servers not running from the cache under the new capabilities, or list
   * them. Servers that are failing pick the capabilities up at their next start.
   */
  private async adoptLateCapabilities(caps: MirroredCapabilities): Promise<void> {
    if (this.closed) return;
    const key = capabilitiesKey(caps);
    const stale = (u: Upstream) => (u.state === 'ready' ? capabilitiesKey(u.declaredCapabilities) !== key : (this.catalogs.get(u.name)?.clientKey ?? '') !== key);
    const affected = this.active.filter((u) => (u.state === 'ready' || u.state === 'starting' || u.state === 'idle') && (stale(u) || this.refreshing.has(u.name)));
    const names = Object.keys(caps).join(', ');
    this.options.log.warn(
      `the client's initialize came more than 2 s after mcpx began starting servers, so they were started without its capabilities (${names})` +
        (affected.length ? `; reconnecting ${affected.map((u) => u.name).join(', ')} to declare them` : ''),
    );
    await Promise.all(
      affected.map(async (u) => {
        // Its first listing under the client's capabilities still counts as its first use (docs/pinning.md).
        this.guard?.extendFirstUse(u.name, key);
        await this.refreshing.get(u.name);
        if (this.closed || !stale(u)) return;
        if (u.state === 'ready') {
          if (u.busy) {
            this.options.log.warn(`server '${u.name}' is busy: it keeps its connection without the client's capabilities until it restarts`);
            return;
          }
          await u.reset();
          await this.refresh(u.name);
          return;
        }
        if (u.state !== 'idle') return;
        const cached = this.options.cacheDir ? await readCachedCatalog(this.options.cacheDir, u.config, key) : undefined;
        if (!cached) {
          await this.refresh(u.name);
          return;
        }
        await this.guard?.check(u.name, cached);
        if (this.closed || u.state !== 'idle') return;
        this.announce(this.setCatalog(u.name, cached, true), cached);
      }),
    );
  }

  private get active(): Upstream[] {
    return [...this.upstreams.values()].filter((u) => u.config.enabled && !u.config.error);
  }

  /**
   * Load cached catalogs (fast: no upstream starts), those listed under the client capabilities
   * upstreams will declare (in stdio mode this waits, bounded, for the client's initialize).
   */
  async loadCache(): Promise<void> {
    const dir = this.options.cacheDir;
    if (!dir) return;
    const clientKey = capabilitiesKey((await this.options.client?.capabilities()) ?? {});
    await Promise.all(
      this.active.map(async (u) => {
        const catalog = await readCachedCatalog(dir, u.config, clientKey);
        if (!catalog) return;
        await this.guard?.check(u.name, catalog);
        this.setCatalog(u.name, catalog, true);
      }),
    );
  }

  /** Store a server's catalog (listed now, or read from the cache); returns the one it replaces. */
  private setCatalog(name: string, catalog: ServerCatalog, fromCache: boolean): ServerCatalog | undefined {
    const before = this.catalogs.get(name);
    this.catalogs.set(name, catalog);
    if (fromCache) this.fromCache.add(name);
    else this.fromCache.delete(name);
    this.toolIndex = undefined;
    return before;
  }

  /** Tell the listeners which lists (tools, resources, prompts) changed from `before` to `after`. */
  private announce(before: ServerCatalog | undefined, after: ServerCatalog): void {
    for (const kind of ['tools', 'resources', 'prompts'] as const) {
      if (!sameList(before, after, kind)) for (const l of this.listeners) l(kind);
    }
  }

  /**
   * Start, in the background, every server without a catalog, and refresh those whose cached
   * catalog is older than `maxAge` seconds. Never throws.
   */
  startBackground(maxAge: number): void {
    const now = Date.now();
    for (const u of this.active) {
      const c = this.catalogs.get(u.name);
      if (!c || now - c.fetchedAt > maxAge * 1000) void this.refresh(u.name);
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-list one server (single flight) and store the result; resolves undefined on failure. */
  refresh(name: string): Promise<ServerCatalog | undefined> {
    const pending = this.refreshing.get(name);
    if (pending) {
      // A change announced while listing may not be in that listing: list once more after it.
      this.again.add(name);
      return pending;
    }
    const upstream = this.upstreams.get(name);
    if (!upstream || this.closed) return Promise.resolve(undefined);
    const run = (async () => {
      try {
        const catalog = await upstream.fetchCatalog();
        if (this.closed) return catalog;
        // Pins are checked before anything of the new listing is served.
        await this.guard?.check(name, catalog);
        if (this.closed) return catalog;
        const before = this.setCatalog(name, catalog, false);
        this.listErrors.delete(name);
        if (this.options.cacheDir) {
          const dir = this.options.cacheDir;
          await writeCachedCatalog(dir, catalog).then(
            () => this.pruneOnce(dir, catalog.clientKey ?? ''),
            (error: Error) => this.options.log.warn(`cannot write the tool cache: ${error.message}`),
          );
        }
        this.announce(before, catalog);
        return catalog;
      } catch (error) {
        this.listErrors.set(name, (error as Error).message);
        this.options.log.debug(`listing '${name}' failed: ${(error as Error).message}`);
        return undefined;
      } finally {
        this.refreshing.delete(name);
        if (this.again.delete(name)) void this.refresh(name);
      }
    })();
    this.refreshing.set(name, run);
    return run;
  }

  /**
   * Prune the cache directory once, in the background, after a catalog was written there (so it
   * exists and is writable): old catalogs of other configs or capability sets go, this config's
   * own stay (catalog.ts pruneCache). A failure is only logged at debug level: serve goes on.
   */
  private pruneOnce(dir: string, clientKey: string): void {
    if (this.pruned) return;
    this.pruned = true;
    const hashes = new Set(this.config.servers.map((s) => s.hash));
    void pruneCache(dir, {hashes, clientKey}).then(
      (removed) => {
        if (removed.length) this.options.log.debug(`pruned ${removed.length} unused file(s) from the tool cache: ${removed.join(', ')}`);
      },
      (error: Error) => this.options.log.debug(`cannot prune the tool cache: ${error.message}`),
    );
  }

  /**
   * Wait (bounded by each server's start-up timeout) until every active server without a
   * catalog has been listed or has failed. Servers with a cached catalog are not waited for.
   */
  async waitForCatalogs(maxWait = 10_000): Promise<void> {
    // Servers that already failed are not waited for again here (they would hold up every
    // request until their backoff ends); a call naming one of them retries it (ensureTool).
    const pending = this.active
      .filter((u) => !this.catalogs.has(u.name) && (u.state === 'idle' || u.state === 'starting' || this.refreshing.has(u.name)))
      .map((u) => this.refresh(u.name));
    if (pending.length === 0) return;
    // A server slow to start must not hold up a listing for long: answer with what is there.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(pending), new Promise<void>((r) => (timer = setTimeout(r, maxWait)))]);
    clearTimeout(timer);
  }

  /**
   * The tool a call names, listing first what is needed: the named server when it has no
   * catalog yet (this retries a failed server, honouring its backoff), else servers still
   * starting. Throws UpstreamError like findTool.
   */
  async ensureTool(name: string): Promise<ToolEntry> {
    if (!this.tools().has(name)) {
      const sep = name.indexOf('__');
      const server = sep > 0 ? this.upstreams.get(name.slice(0, sep)) : undefined;
      if (server && server.config.enabled && !server.config.error && !this.catalogs.has(server.name)) await this.refresh(server.name);
      else await this.waitForCatalogs();
    }
    return this.findTool(name);
  }

  /** Why the server's last listing failed, when it did (the message names the server). */
  listError(name: string): string | undefined {
    return this.listErrors.get(name);
  }

  catalog(name: string): ServerCatalog | undefined {
    return this.catalogs.get(name);
  }

  /** Every tool served, after allow/deny filters, keyed by namespaced name. */
  tools(): Map<string, ToolEntry> {
    // One stat of the pin store: an approval in another process releases tools at once.
    this.guard?.sync();
    if (this.toolIndex) return this.toolIndex;
    const index = new Map<string, ToolEntry>();
    const held = new Map<string, HeldEntry>();
    for (const u of this.active) {
      const c = this.catalogs.get(u.name);
      if (!c) continue;
      for (const tool of filterTools(c.tools, u.config)) {
        const name = namespacedName(u.name, tool.name);
        const verdict = this.guard?.held(u.name, 'tool', tool.name);
        if (verdict) held.set(name, {name, server: u.name, tool, verdict});
        else index.set(name, {name, server: u.name, tool});
      }
    }
    this.heldIndex = held;
    this.toolIndex = index;
    return index;
  }

  /** The tools pinning holds (served tools are in tools()), keyed by namespaced name. */
  heldTools(): Map<string, HeldEntry> {
    this.tools();
    return this.heldIndex;
  }

  /**
   * The tool a client names: `<server>__<tool>` (or a bare tool name that only one server has).
   * Throws UpstreamError naming the closest matches when there is none.
   */
  findTool(name: string): ToolEntry {
    const tools = this.tools();
    const hit = tools.get(name);
    if (hit) return hit;
    const bare = [...tools.values()].filter((t) => t.tool.name === name);
    if (bare.length === 1) return bare[0]!;
    const held = this.heldIndex.get(name) ?? (bare.length === 0 ? onlyOne([...this.heldIndex.values()].filter((t) => t.tool.name === name)) : undefined);
    if (held) throw new HeldError(held.name, held.server, held.verdict, this.guard?.storeError);
    const sep = name.indexOf('__');
    const server = sep > 0 ? name.slice(0, sep) : undefined;
    const names = [...tools.keys()];
    const close = suggest(name, names, 3);
    let detail = '';
    if (server && !this.upstreams.has(server)) detail = ` There is no server '${server}' (servers: ${[...this.upstreams.keys()].join(', ') || 'none'}).`;
    else if (server && this.upstreams.get(server)!.lastError && !this.catalogs.has(server)) {
      throw new UpstreamError(`Tool '${name}' cannot be run: ${this.upstreams.get(server)!.lastError}`);
    }
    else if (bare.length > 1) detail = ` Several servers have it: ${bare.map((b) => b.name).join(', ')}.`;
    throw new UpstreamError(`Unknown tool '${name}'.${detail}${close.length ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : ''} Use search_tools to find tools.`);
  }

  /** A prompt that pinning holds, by its downstream name. */
  heldPrompt(name: string): {server: string; prompt: Prompt; verdict: ItemVerdict} | undefined {
    for (const u of this.active) {
      for (const prompt of this.catalogs.get(u.name)?.prompts ?? []) {
        if (namespacedName(u.name, prompt.name) !== name) continue;
        const verdict = this.guard?.held(u.name, 'prompt', prompt.name);
        return verdict ? {server: u.name, prompt, verdict} : undefined;
      }
    }
    return undefined;
  }

  resources(): Array<{server: string; resource: Resource}> {
    return this.active.flatMap((u) => (this.catalogs.get(u.name)?.resources ?? []).map((resource) => ({server: u.name, resource})));
  }

  resourceTemplates(): Array<{server: string; template: ResourceTemplate}> {
    this.guard?.sync();
    return this.active.flatMap((u) =>
      (this.catalogs.get(u.name)?.resourceTemplates ?? []).filter((t) => !this.guard?.held(u.name, 'resourceTemplate', t.uriTemplate)).map((template) => ({server: u.name, template})),
    );
  }

  prompts(): Array<{name: string; server: string; prompt: Prompt}> {
    this.guard?.sync();
    return this.active.flatMap((u) =>
      (this.catalogs.get(u.name)?.prompts ?? []).filter((p) => !this.guard?.held(u.name, 'prompt', p.name)).map((prompt) => ({name: namespacedName(u.name, prompt.name), server: u.name, prompt})),
    );
  }

  /** The server that serves `uri`: an exact listed resource, else the longest matching template prefix. */
  serverForResource(uri: string): Upstream | undefined {
    const exact = this.resources().find((r) => r.resource.uri === uri);
    if (exact) return this.upstreams.get(exact.server);
    let best: {server: string; len: number} | undefined;
    for (const {server, template} of this.resourceTemplates()) {
      const prefix = template.uriTemplate.split('{')[0]!;
      if (uri.startsWith(prefix) && (!best || prefix.length > best.len)) best = {server, len: prefix.length};
    }
    if (best) return this.upstreams.get(best.server);
    const withResources = this.active.filter((u) => this.catalogs.get(u.name)?.capabilities?.resources);
    return withResources.length === 1 ? withResources[0] : undefined;
  }

  status(): ServerStatus[] {
    const heldTools = new Map<string, number>();
    for (const h of this.heldTools().values()) heldTools.set(h.server, (heldTools.get(h.server) ?? 0) + 1);
    return [...this.upstreams.values()].map((u) => {
      const c = this.catalogs.get(u.name);
      const counts = c ? this.guard?.heldCounts(u.name) : undefined;
      const held = counts ? {...counts, tools: heldTools.get(u.name) ?? 0} : undefined;
      return {
        name: u.name,
        transport: u.config.transport,
        state: u.state,
        enabled: u.config.enabled,
        tools: c ? filterTools(c.tools, u.config).length : null,
        cached: this.fromCache.has(u.name),
        ...(c ? {catalogAge: Math.round((Date.now() - c.fetchedAt) / 1000)} : {}),
        ...(u.pid ? {pid: u.pid} : {}),
        restarts: u.restarts,
        ...(u.lastError ? {lastError: u.lastError} : {}),
        ...(c?.serverInfo ? {serverInfo: {name: c.serverInfo.name, version: c.serverInfo.version}} : {}),
        ...(c?.instructions ? {instructions: c.instructions} : {}),
        ...(held && held.tools + held.prompts + held.resourceTemplates > 0 ? {held} : {}),
      };
    });
  }

  /** Send a notification from the client (roots/list_changed) to every running server that declared `capability`. */
  notifyRunning(method: string, capability: 'roots' | 'sampling' | 'elicitation'): void {
    for (const u of this.upstreams.values()) if (u.state === 'ready' && u.declaredCapabilities[capability]) u.notify(method);
  }

  /** Close every upstream concurrently (each bounded in time). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.upstreams.values()].map((u) => u.close().catch(() => undefined)));
  }

  /** Synchronous last resort at process exit: SIGKILL every child group. */
  killNow(): void {
    for (const u of this.upstreams.values()) u.killNow();
  }
}

function onlyOne<T>(list: T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}
