/**
 * `mcpx serve --http 127.0.0.1:PORT`: the same proxy over Streamable HTTP, on loopback only,
 * behind a bearer token (MCPX_SERVE_TOKEN, or generated and written 0600 to the cache dir,
 * never printed). One downstream server per session, all sharing the same upstreams; Host
 * checks guard against DNS rebinding.
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

/** Parse `HOST:PORT` (or `PORT`); only loopback hosts are accepted. */
export function parseListen(value: string): HttpListen {
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  const host = (m?.[1] ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  if (!m || port > 65535) throw new UserError(`--http expects HOST:PORT, e.g. 127.0.0.1:8765; got '${value}'.`, {hint: 'Use a loopback address and a port number.'});
  if (!LOOPBACK.has(host)) throw new UserError(`--http only listens on loopback (127.0.0.1, ::1, localhost); got '${host}'.`, {hint: 'Put a reverse proxy with TLS in front for anything else.'});
  return {host, port};
}

export interface HttpServeHandle {
  url: string;
  tokenFile?: string;
  close(): Promise<void>;
}

/**
 * Listen on `listen` and build one downstream server per session with `makeServer`. Requests
 * without `Authorization: Bearer <token>` get 401.
 */
export async function serveHttp(listen: HttpListen, makeServer: () => ProxyServer, options: {log: Logger; token?: string; tokenDir: string}): Promise<HttpServeHandle> {
  const {StreamableHTTPServerTransport} = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  let tokenFile: string | undefined;
  let token = options.token;
  if (!token) {
    token = randomBytes(32).toString('base64url');
    tokenFile = path.join(options.tokenDir, 'http-token');
    await writeAtomically(tokenFile, token + '\n', {mode: 0o600});
  }
  options.log.addSecrets([token]);
  const expected = Buffer.from(`Bearer ${token}`);
  const sessions = new Map<string, {transport: StreamableHTTPServerTransport; server: ProxyServer}>();
  const hostOk = (h: string | undefined) => !!h && LOOPBACK.has(h.replace(/:\d+$/, ''));

  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const auth = Buffer.from(req.headers.authorization ?? '');
      if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
        res.writeHead(401, {'WWW-Authenticate': 'Bearer'}).end('missing or wrong bearer token\n');
        return;
      }
      if (!hostOk(req.headers.host)) {
        res.writeHead(403).end('forbidden host\n');
        return;
      }
      if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
        res.writeHead(404).end('not found; the endpoint is /mcp\n');
        return;
      }
      const sid = req.headers['mcp-session-id'];
      if (typeof sid === 'string') {
        const s = sessions.get(sid);
        if (!s) {
          res.writeHead(404, {'Content-Type': 'application/json'}).end(JSON.stringify({jsonrpc: '2.0', error: {code: -32001, message: 'Session not found'}, id: null}));
          return;
        }
        await s.transport.handleRequest(req, res);
        return;
      }
      const server = makeServer();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void sessions.set(id, {transport, server}),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(asMessageTransport(transport));
      await transport.handleRequest(req, res);
    })().catch((error: Error) => {
      options.log.error(`http: ${error.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, resolve);
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/mcp`;
  return {
    url,
    tokenFile,
    async close() {
      await Promise.all([...sessions.values()].map((s) => s.server.close().catch(() => undefined)));
      httpServer.closeAllConnections();
      await new Promise((r) => httpServer.close(r));
    },
  };
}
