/**
 * A real MCP server (the SDK's McpServer over Streamable HTTP, stateless) protected by OAuth,
 * as the MCP authorization spec describes a resource server: it serves Protected Resource
 * Metadata (RFC 9728) at the path-aware well-known URL, answers requests without a valid bearer
 * token with `401` + `WWW-Authenticate: Bearer resource_metadata=…, scope=…`, checks tokens by
 * introspection at the authorization server (audience must be this server), and answers a call
 * to the `admin-op` tool without the `mcp:admin` scope with `403 insufficient_scope`.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {TestOAuthServer} from './oauth-server.js';
import {readBody} from './http.js';

export interface ProtectedMcpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:1234/mcp (also the RFC 8707 resource). */
  url: string;
  resourceMetadataUrl: string;
  /** Bearer tokens rejected / accepted so far (counts only, never the values). */
  stats: {accepted: number; rejected: number};
  close(): Promise<void>;
}

export interface ProtectedMcpServerOptions {
  /** Scope the server asks for in its 401 challenge. */
  challengeScope?: string;
  /** Serve PRM only at the root well-known URL (exercises the client's fallback). */
  rootMetadataOnly?: boolean;
  /** Leave `resource_metadata` out of the 401 challenge (clients must find the well-known URL). */
  bareChallenge?: boolean;
}

/** Start the MCP server on a free loopback port and point the AS's resource indicator at it. */
export async function startProtectedMcpServer(as: TestOAuthServer, options: ProtectedMcpServerOptions = {}): Promise<ProtectedMcpServer> {
  const {McpServer} = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const {StreamableHTTPServerTransport} = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
  const stats = {accepted: 0, rejected: 0};
  const challengeScope = options.challengeScope ?? 'mcp:tools';

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, {'content-type': 'text/plain'});
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${origin}/mcp`;
  const resourceMetadataUrl = options.rootMetadataOnly
    ? `${origin}/.well-known/oauth-protected-resource`
    : `${origin}/.well-known/oauth-protected-resource/mcp`;
  as.setResource(url);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', origin).pathname;
    if (req.method === 'GET' && `${origin}${path}` === resourceMetadataUrl) {
      res.writeHead(200, {'content-type': 'application/json'});
      res.end(
        JSON.stringify({
          resource: url,
          authorization_servers: [as.issuer],
          scopes_supported: ['mcp:tools', 'mcp:admin'],
          bearer_methods_supported: ['header'],
        }),
      );
      return;
    }
    if (path !== '/mcp') {
      res.writeHead(404).end();
      return;
    }

    const challenge = (extra = '') =>
      options.bareChallenge ? `Bearer ${extra}scope="${challengeScope}"` : `Bearer ${extra}resource_metadata="${resourceMetadataUrl}", scope="${challengeScope}"`;
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (.+)$/i.exec(header)?.[1];
    const info = token ? await as.introspect(token) : {active: false};
    const audience = Array.isArray(info.aud) ? info.aud : [info.aud];
    if (!info.active || !audience.includes(url)) {
      stats.rejected++;
      res.writeHead(401, {'www-authenticate': challenge(token ? 'error="invalid_token", ' : ''), 'content-type': 'application/json'});
      res.end(JSON.stringify({error: token ? 'invalid_token' : 'unauthorized'}));
      return;
    }
    const scopes = new Set(String(info.scope ?? '').split(' '));

    const body = req.method === 'POST' ? JSON.parse((await readBody(req)).toString('utf8') || 'null') : undefined;
    const calls = (Array.isArray(body) ? body : [body]) as Array<{method?: string; params?: {name?: string}} | null>;
    if (calls.some((m) => m?.method === 'tools/call' && m.params?.name === 'admin-op') && !scopes.has('mcp:admin')) {
      stats.rejected++;
      res.writeHead(403, {
        'www-authenticate': `Bearer error="insufficient_scope", scope="mcp:tools mcp:admin", resource_metadata="${resourceMetadataUrl}"`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({error: 'insufficient_scope'}));
      return;
    }
    stats.accepted++;

    const mcp = new McpServer({name: 'protected-test-server', version: '1.0.0'});
    mcp.registerTool('whoami', {description: 'Who the bearer token belongs to'}, async () => ({
      content: [{type: 'text', text: `sub=${String(info.sub)} scope=${String(info.scope)}`}],
    }));
    mcp.registerTool('admin-op', {description: 'Needs the mcp:admin scope'}, async () => ({
      content: [{type: 'text', text: 'admin ok'}],
    }));
    const transport = new StreamableHTTPServerTransport({sessionIdGenerator: undefined, enableJsonResponse: true});
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  return {
    url,
    resourceMetadataUrl,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
