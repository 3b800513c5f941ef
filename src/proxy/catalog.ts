/**
 * The tool catalog's persistent half and its naming rules: each server's listed tools,
 * resources and prompts cached on disk under a key that is the hash of the server's unresolved
 * config and the client capabilities declared to it (a changed or removed server never serves
 * stale tools, and no resolved secret is ever part of a key or a file), the short-lived records
 * of servers that failed to start (for `mcpx tools`), the pruning of files nobody uses any more,
 * plus the `<server>__<tool>` names and the allow/deny filter.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {Tool} from '@modelcontextprotocol/sdk/types.js';
import {writeAtomically} from '../util/atomic-write.js';
import {mcpxDirs} from '../util/paths.js';
import type {ServerConfig} from './config.js';
import type {ServerCatalog} from './upstream.js';

/** Bump when the cached file's shape changes. */
const CACHE_VERSION = 1;

export function catalogDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(mcpxDirs(env).cache, 'serve');
}

/**
 * One file per server config and set of declared client capabilities (servers may list other
 * tools for a client with sampling, elicitation or roots); `clientKey` '' keeps the plain name.
 */
function catalogFile(dir: string, hash: string, clientKey = ''): string {
  return path.join(dir, `catalog-${hash}${clientKey ? `-${clientKey}` : ''}.json`);
}

/**
 * The cached catalog of `server`, or undefined when none exists for its current config and the
 * client capabilities upstreams declare (`clientKey`, from forward.ts capabilitiesKey()).
 */
export async function readCachedCatalog(dir: string, server: ServerConfig, clientKey = ''): Promise<ServerCatalog | undefined> {
  try {
    const data = JSON.parse(await fs.promises.readFile(catalogFile(dir, server.hash, clientKey), 'utf8')) as {version?: number; catalog?: ServerCatalog};
    if (data.version !== CACHE_VERSION || !data.catalog || data.catalog.hash !== server.hash || (data.catalog.clientKey ?? '') !== clientKey || !Array.isArray(data.catalog.tools)) return undefined;
    return data.catalog;
  } catch {
    return undefined;
  }
}

/** Store a catalog (0600, atomically). Failures are reported to the caller, who may ignore them. */
export async function writeCachedCatalog(dir: string, catalog: ServerCatalog): Promise<void> {
  await writeAtomically(catalogFile(dir, catalog.hash, catalog.clientKey), JSON.stringify({version: CACHE_VERSION, catalog}), {mode: 0o600});
}

/** Catalogs untouched for this long are pruned unless the current config uses them. */
export const CATALOG_MAX_IDLE_DAYS = 30;
/** Failure records (below) and temp files left by a killed write go after a day. */
const SHORT_LIVED_MS = 86_400_000;
/** Only names mcpx itself writes here: `catalog-<hash>[-<caps>].json`, `failed-<hash>.json`, and their temp files. */
const CATALOG_NAME = /^catalog-([0-9a-f]{32})(?:-([0-9a-f]{12}))?\.json$/;
const SHORT_LIVED_NAME = /^(?:failed-[0-9a-f]{32}\.json|\.(?:catalog|failed)-[0-9a-f]{32}(?:-[0-9a-f]{12})?\.json\.[0-9a-f]{12}\.tmp)$/;

/**
 * Delete cache files nobody is likely to read again, and nothing else: catalogs whose file was
 * last written more than CATALOG_MAX_IDLE_DAYS ago, except the current config's own (a server
 * hash in `keep.hashes` with the capability key `keep.clientKey`); failure records and temp
 * files left by a killed write after a day. Other configs may share the directory, so age
 * decides, not membership: a catalog in use is rewritten at each refresh (cacheMaxAge, a day by
 * default) and stays young. Only regular files whose names mcpx's own pattern matches are
 * touched (no symlink is followed). Returns the names deleted; rejects only when the directory
 * cannot be read (files that cannot be deleted are skipped).
 */
export async function pruneCache(dir: string, keep: {hashes: ReadonlySet<string>; clientKey: string}, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.promises.readdir(dir)) {
    const catalog = CATALOG_NAME.exec(name);
    let maxAge: number;
    if (catalog) {
      if (keep.hashes.has(catalog[1]!) && (catalog[2] ?? '') === keep.clientKey) continue;
      maxAge = CATALOG_MAX_IDLE_DAYS * 86_400_000;
    } else if (SHORT_LIVED_NAME.test(name)) {
      maxAge = SHORT_LIVED_MS;
    } else {
      continue;
    }
    const file = path.join(dir, name);
    try {
      const stat = await fs.promises.lstat(file);
      if (!stat.isFile() || now - stat.mtimeMs <= maxAge) continue;
      await fs.promises.unlink(file);
      removed.push(name);
    } catch {
      // Gone meanwhile (another mcpx pruned it), or not ours to delete: leave it.
    }
  }
  return removed;
}

/** How long a failed start is remembered: `mcpx tools` does not start that server again meanwhile. */
export const FAILURE_MEMORY_MS = 5 * 60_000;

/**
 * A server that could not be started or listed, remembered so that `mcpx tools search` and
 * `describe` do not pay its start-up timeout on every run. `message` is masked by the caller.
 */
export interface FailureRecord {
  hash: string;
  failedAt: number;
  message: string;
}

function failureFile(dir: string, hash: string): string {
  return path.join(dir, `failed-${hash}.json`);
}

/** The remembered failure of `server`'s current config, when one is younger than FAILURE_MEMORY_MS. */
export async function readRecentFailure(dir: string, server: Pick<ServerConfig, 'hash'>, now = Date.now()): Promise<FailureRecord | undefined> {
  try {
    const data = JSON.parse(await fs.promises.readFile(failureFile(dir, server.hash), 'utf8')) as {version?: number; failure?: FailureRecord};
    const f = data.failure;
    if (data.version !== CACHE_VERSION || !f || f.hash !== server.hash || typeof f.failedAt !== 'number' || typeof f.message !== 'string') return undefined;
    return now - f.failedAt < FAILURE_MEMORY_MS && f.failedAt <= now ? f : undefined;
  } catch {
    return undefined;
  }
}

/** Remember a failure (0600, atomically); `record.message` must already be masked. Rejects on a write error. */
export async function writeFailure(dir: string, record: FailureRecord): Promise<void> {
  await writeAtomically(failureFile(dir, record.hash), JSON.stringify({version: CACHE_VERSION, failure: record}), {mode: 0o600});
}

/** Forget the failure of `server` (it started and listed). Never rejects. */
export async function clearFailure(dir: string, server: Pick<ServerConfig, 'hash'>): Promise<void> {
  await fs.promises.rm(failureFile(dir, server.hash), {force: true}).catch(() => undefined);
}

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * The name a tool (or prompt) has downstream: `<server>__<tool>`, with characters outside
 * `[a-zA-Z0-9_-]` replaced by `_`, and shortened with a hash suffix beyond 64 characters.
 */
export function namespacedName(server: string, tool: string): string {
  const name = `${namespacePrefix(server)}${tool.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
  if (VALID.test(name)) return name;
  const suffix = createHash('sha256').update(`${server}\0${tool}`).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}_${suffix}`;
}

/** What every namespaced name of `server`'s tools begins with: `<server>__` (unsafe characters as `_`). */
export function namespacePrefix(server: string): string {
  return `${server.replace(/[^a-zA-Z0-9_-]/g, '_')}__`;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The tools a server's allow/deny lists let through. */
export function filterTools(tools: readonly Tool[], server: Pick<ServerConfig, 'allowTools' | 'denyTools'>): Tool[] {
  const allow = server.allowTools?.map(globToRegExp);
  const deny = server.denyTools?.map(globToRegExp) ?? [];
  return tools.filter((t) => (!allow || allow.some((r) => r.test(t.name))) && !deny.some((r) => r.test(t.name)));
}

/** True when two catalogs offer the same lists of `kind`. */
export function sameList(a: ServerCatalog | undefined, b: ServerCatalog | undefined, kind: 'tools' | 'resources' | 'prompts'): boolean {
  const pick = (c: ServerCatalog | undefined) =>
    JSON.stringify(kind === 'resources' ? [c?.resources ?? [], c?.resourceTemplates ?? []] : (c?.[kind] ?? []));
  return pick(a) === pick(b);
}
