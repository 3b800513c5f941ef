/**
 * `mcpx serve --http 127.0.0.1:PORT`: the same proxy over Streamable HTTP, on loopback only,
 * behind a bearer token (MCPX_SERVE_TOKEN, or generated and written 0600 to the cache dir,
 * never printed). One downstream server per session, all sharing the same upstreams.
 * Hostile clients are bounded: `Host` and `Origin` are checked before anything else (DNS
 * rebinding, per the MCP transport spec), only an initialize request opens a session, sessions
 * are capped (the least recently used idle one gives way) and expire when idle, and bodies are
 * read with a size cap.
 */
import {randomBytes, randomUUID, timingSafeEqual} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import type {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {UserError} from '../errors.js';
import {writeAtomically} from '../util/atomic-write.js';
import type {Logger} from './log.js';
import {asMessageTransport} from './rpc.js';
import type {ProxyServer} from './server.js';

export interface HttpListen {
  host: string;
  port: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
/** Host names a loopback `Host` header may carry (IPv6 in brackets, as in a URL). */
const LOOPBACK_HOST_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const DEFAULT_MAX_SESSIONS = 100;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** The largest request body read (the SDK's own default bound). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Parse `HOST:PORT` (or `PORT`); only loopback hosts are accepted. */
export function parseListen(value: string): HttpListen {
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  const host = (m?.[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  if (!m || port > 65535) throw new UserError(`--http expects HOST:PORT, e.g. 127.0.0.1:8765; got '${value}'.`, {hint: 'Use a loopback address and a port number.'});
  if (!LOOPBACK.has(host)) throw new UserError(`--http only listens on loopback (127.0.0.1, ::1, localhost); got '${host}'.`, {hint: 'Put a reverse proxy with TLS in front for anything else.'});
  return {host, port};
}

export interface HttpServeOptions {
  log: Logger;
  token?: string;
  tokenDir: string;
  /** Most sessions at once (default 100); at the cap the least recently used idle session is closed. */
  maxSessions?: number;
  /** A session without a request for this long is closed (default 30 min). */
  sessionIdleMs?: number;
  /** More `Host` values to accept (exact, case-insensitive, e.g. `mcp.example.com`), for a reverse proxy. */
  allowedHosts?: readonly string[];
  /** More `Origin` values to accept (exact, e.g. `https://app.example.com`); loopback origins always are. */
  allowedOrigins?: readonly string[];
  /** Called once a session's server is closed (so the caller can let go of it). */
  release?: (server: ProxyServer) => void;
}

export interface HttpServeHandle {
  url: string;
  tokenFile?: string;
  /** Open sessions (including one being initialised). */
  readonly sessionCount: number;
  close(): Promise<void>;
}

/**
 * Whether a `Host` header is acceptable: exactly one, naming a loopback host with the port
 * mcpx listens on, or one of `allowed` exactly.
 */
export function hostAllowed(values: readonly string[] | undefined, port: number, allowed: readonly string[] = []): boolean {
  if (!values || values.length !== 1) return false;
  const host = values[0]!.trim().toLowerCase();
  if (allowed.some((a) => a.toLowerCase() === host)) return true;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(host);
  if (!m || !LOOPBACK_HOST_NAMES.has(m[1]!)) return false;
  return m[2] === undefined ? port === 80 : Number(m[2]) === port;
}

/**
 * Whether an `Origin` header is acceptable: absent (not a browser), a loopback origin
 * (http or https, any port), or one of `allowed` exactly. `null` and everything else are not.
 */
export function originAllowed(values: readonly string[] | undefined, allowed: readonly string[] = []): boolean {
  if (!values || values.length === 0) return true;
  if (values.length !== 1) return false;
  const origin = values[0]!.trim();
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.origin !== origin) return false; // a browser sends the serialised origin, nothing more
  return LOOPBACK_HOST_NAMES.has(url.hostname);
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: ProxyServer;
  /** Requests (and open GET streams) of this session being answered. */
  active: number;
  lastSeen: number;
  closed: boolean;
}

/**
 * Listen on `listen` and build one downstream server per session with `makeServer`. Requests
 * with a bad `Host` or `Origin` get 403, without `Authorization: Bearer <token>` 401.
 */
export async function serveHttp(listen: HttpListen, makeServer: () => ProxyServer, options: HttpServeOptions): Promise<HttpServeHandle> {
  const {StreamableHTTPServerTransport} = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const {isInitializeRequest} = await import('@modelcontextprotocol/sdk/types.js');
  const log = options.log;
  let tokenFile: string | undefined;
  let token = options.token;
  if (!token) {
    token = randomBytes(32).toString('base64url');
    tokenFile = path.join(options.tokenDir, 'http-token');
    await writeAtomically(tokenFile, token + '\n', {mode: 0o600});
  }
  log.addSecrets([token]);
  const expected = Buffer.from(`Bearer ${token}`);
  const maxSessions = Math.max(1, options.maxSessions ?? DEFAULT_MAX_SESSIONS);
  const idleMs = Math.max(1, options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS);
  /** Every session, initialised or not, in least-recently-used order (a Set keeps insertion order). */
  const all = new Set<Session>();
  const byId = new Map<string, Session>();
  let port = listen.port;

  const closeSession = (s: Session, why: string) => {
    if (s.closed) return;
    s.closed = true;
    all.delete(s);
    if (s.transport.sessionId) byId.delete(s.transport.sessionId);
    log.debug(`http: session ${why} (${all.size} of ${maxSessions} open)`);
    void s.server.close().catch(() => undefined);
    options.release?.(s.server);
  };
  const touch = (s: Session) => {
    s.lastSeen = Date.now();
    all.delete(s);
    all.add(s);
  };
  /** Room for one more session: evict the least recently used idle one at the cap. */
  const makeRoom = (): boolean => {
    if (all.size < maxSessions) return true;
    for (const s of all) {
      if (s.active === 0) {
        closeSession(s, 'closed to make room for a new one');
        return true;
      }
    }
    return false;
  };
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const s of [...all]) if (s.active === 0 && now - s.lastSeen >= idleMs) closeSession(s, `expired after ${Math.round(idleMs / 1000)} s idle`);
    },
    Math.min(Math.max(idleMs / 4, 50), 60_000),
  );
  sweep.unref();

  const track = (s: Session, res: http.ServerResponse) => {
    s.active++;
    touch(s);
    res.once('close', () => {
      s.active--;
      s.lastSeen = Date.now();
    });
  };

  const httpServer = http.createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req.headersDistinct.host, port, options.allowedHosts)) {
        res.writeHead(403, {'Content-Type': 'text/plain'}).end('forbidden: the Host header must be one loopback name with this port\n');
        return;
      }
      if (!originAllowed(req.headersDistinct.origin, options.allowedOrigins)) {
        res.writeHead(403, {'Content-Type': 'text/plain'}).end('forbidden: cross-origin requests are refused\n');
        return;
      }
      const auth = Buffer.from(req.headers.authorization ?? '');
      if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
        res.writeHead(401, {'WWW-Authenticate': 'Bearer'}).end('missing or wrong bearer token\n');
        return;
      }
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
        res.writeHead(404).end('not found; the endpoint is /mcp\n');
        return;
      }
      const sid = req.headers['mcp-session-id'];
      if (typeof sid === 'string') {
        const s = byId.get(sid);
        if (!s) {
          jsonError(res, 404, -32001, 'Session not found');
          return;
        }
        track(s, res);
        await s.transport.handleRequest(req, res);
        return;
      }
      // Without a session id only an initialize request is served: anything else would get a
      // server and transport of its own that nothing ever closes.
      if (req.method !== 'POST') {
        jsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
        return;
      }
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === 'too-large') {
        jsonError(res, 413, -32000, `Request body over ${MAX_BODY_BYTES / 1024 / 1024} MB`);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        jsonError(res, 400, -32700, 'Parse error: Invalid JSON');
        return;
      }
      if (!(Array.isArray(parsed) ? parsed.some((m) => isInitializeRequest(m)) : isInitializeRequest(parsed))) {
        jsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
        return;
      }
      if (!makeRoom()) {
        res.setHeader('Retry-After', '5');
        jsonError(res, 503, -32000, `Too many sessions: all ${maxSessions} are busy`);
        return;
      }
      const server = makeServer();
      const s: Session = {transport: undefined as unknown as StreamableHTTPServerTransport, server, active: 0, lastSeen: Date.now(), closed: false};
      s.transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          if (!s.closed) byId.set(id, s);
        },
        onsessionclosed: () => closeSession(s, 'ended by the client'),
      });
      s.transport.onclose = () => closeSession(s, 'closed');
      all.add(s);
      track(s, res); // busy from here: a concurrent initialize cannot evict it before it answers
      log.debug(`http: session opened (${all.size} of ${maxSessions} open)`);
      await server.connect(asMessageTransport(s.transport));
      await s.transport.handleRequest(req, res, parsed);
      // An initialize the transport refused leaves no session behind.
      if (!s.transport.sessionId) closeSession(s, 'not initialised');
    })().catch((error: Error) => {
      log.error(`http: ${error.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // Keep-alive sockets outlive a client's idle pause (undici reuses them for up to 4 s).
  httpServer.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, resolve);
  });
  const address = httpServer.address() as AddressInfo;
  port = address.port;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/mcp`;
  return {
    url,
    tokenFile,
    get sessionCount() {
      return all.size;
    },
    async close() {
      clearInterval(sweep);
      const open = [...all];
      for (const s of open) closeSession(s, 'closed at shutdown');
      await Promise.all(open.map((s) => s.server.close().catch(() => undefined)));
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
    },
  };
}

function jsonError(res: http.ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, {'Content-Type': 'application/json'}).end(JSON.stringify({jsonrpc: '2.0', error: {code, message}, id: null}));
}

/** The request body as text, or 'too-large' past `max` bytes (then the rest is not read). */
function readBody(req: http.IncomingMessage, max: number): Promise<string | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
