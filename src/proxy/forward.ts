/**
 * Requests that upstream servers send to the client (sampling, elicitation, roots), forwarded to
 * the one downstream client of a stdio `mcpx serve`: which capabilities an upstream connection
 * declares (exactly the client's own sampling / elicitation / roots, so servers that adapt to
 * client capabilities see what a direct connection would show them), the cache key those
 * capabilities give a catalog, and the bridge that waits for the client's initialize and carries
 * requests to it. Over `--http` several clients share the upstreams, so nothing is declared and
 * nothing is forwarded. No SDK import: this loads on the hot path.
 */
import {createHash} from 'node:crypto';
import {stableJson} from '../util/stable-json.js';
import {ErrorCode, type Params, RpcError} from './rpc.js';

/** The client capability each forwarded request needs. */
export const FORWARDED: Readonly<Record<string, 'sampling' | 'elicitation' | 'roots'>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export type MirroredCapabilities = Partial<Record<'sampling' | 'elicitation' | 'roots', Record<string, unknown>>>;

/** The client's sampling / elicitation / roots capabilities, sub-fields included (a copy). */
export function mirrorCapabilities(client: Record<string, unknown> | undefined): MirroredCapabilities {
  const out: MirroredCapabilities = {};
  for (const key of ['sampling', 'elicitation', 'roots'] as const) {
    const value = client?.[key];
    // A capability is an object; anything else from a client is treated as "declared, no sub-fields".
    if (value !== undefined && value !== null) out[key] = typeof value === 'object' && !Array.isArray(value) ? (JSON.parse(JSON.stringify(value)) as Record<string, unknown>) : {};
  }
  return out;
}

/**
 * The part of a catalog's cache key that the declared capabilities decide: '' when none are
 * declared (the key catalogs had before forwarding existed), else a short hash of them, so a
 * catalog listed under other client capabilities is never served.
 */
export function capabilitiesKey(caps: MirroredCapabilities): string {
  if (Object.keys(caps).length === 0) return '';
  return createHash('sha256').update(stableJson(caps)).digest('hex').slice(0, 12);
}

/** What upstreams need from the downstream side. */
export interface ClientBridge {
  /**
   * The capabilities upstream connections declare. Resolves once the client's initialize has
   * arrived, or with none after a bounded wait. The answer changes at most once: when the
   * client's initialize comes after that wait, later calls get its capabilities (and
   * `onLateCapabilities` listeners hear of it).
   */
  capabilities(): Promise<MirroredCapabilities>;
  /**
   * `listener` is called once if the client initializes after `capabilities()` already answered
   * without it, and declares some of sampling / elicitation / roots: connections made before
   * then declared none of them.
   */
  onLateCapabilities?(listener: (caps: MirroredCapabilities) => void): void;
  /**
   * Send `method` to the client and return its answer; rejects with the client's error (an
   * RpcError). With `onprogress`, the request carries a progress token of mcpx's own in place of
   * the upstream's (tokens of several upstreams could clash) and the client's progress
   * notifications for it are passed to `onprogress`.
   */
  request(method: string, params: Params | undefined, signal: AbortSignal, onprogress?: ProgressListener): Promise<unknown>;
}

export type ProgressListener = (progress: {progress: number; total?: number; message?: string}) => void;

/** The downstream server as the bridge sees it (ProxyServer, kept structural to avoid a cycle). */
interface Downstream {
  clientCapabilities?: Record<string, unknown>;
  request(method: string, params: Params | undefined, options: {signal?: AbortSignal; onprogress?: ProgressListener}): Promise<unknown>;
}

/**
 * The bridge to the one client of a stdio `mcpx serve`. `initialized` resolves when the client's
 * initialize request arrives; after `maxWait` ms without it, upstreams start declaring nothing
 * until it comes.
 */
export function stdioBridge(server: Downstream, initialized: Promise<void>, maxWait = 2000): ClientBridge {
  let caps: Promise<MirroredCapabilities> | undefined;
  let timedOut = false;
  let late: MirroredCapabilities | undefined;
  const listeners: Array<(caps: MirroredCapabilities) => void> = [];
  // Registered before the race below: on a late initialize it runs after `timedOut` was set.
  void initialized.then(() => {
    if (!timedOut) return;
    const declared = mirrorCapabilities(server.clientCapabilities);
    if (Object.keys(declared).length === 0) return;
    late = declared;
    for (const listener of listeners.splice(0)) listener(declared);
  });
  return {
    capabilities() {
      if (late) return Promise.resolve(late);
      caps ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const first = await Promise.race([initialized.then(() => 'initialized' as const), new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), maxWait).unref()))]);
        clearTimeout(timer);
        if (first === 'timeout') timedOut = true;
        return mirrorCapabilities(server.clientCapabilities);
      })();
      return caps;
    },
    onLateCapabilities(listener) {
      if (late) listener(late);
      else listeners.push(listener);
    },
    request(method, params, signal, onprogress) {
      // No timeout: sampling and elicitation wait for a person; the upstream's cancellation ends it.
      return server.request(method, params, {signal, ...(onprogress ? {onprogress} : {})});
    },
  };
}

/**
 * The error an upstream gets for a forwarded-kind request that mcpx cannot pass on: the
 * capability was not declared to it (the client lacks it, or serve runs over HTTP).
 */
export function notForwarded(method: string, over: 'stdio' | 'http'): RpcError {
  const cap = FORWARDED[method];
  const why =
    over === 'http'
      ? 'mcpx serve --http does not forward requests from servers to its clients'
      : `the client connected to mcpx did not declare the '${cap}' capability`;
  return new RpcError(ErrorCode.MethodNotFound, `${method} is not available: ${why}`);
}
