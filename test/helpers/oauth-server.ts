/**
 * A real OAuth 2.1 authorization server on 127.0.0.1 for the auth tests: oidc-provider with
 * dynamic client registration, PKCE (S256), resource indicators (RFC 8707), refresh-token
 * rotation, revocation (RFC 7009), introspection (RFC 7662) and the `iss` authorization
 * response parameter (RFC 9207). Its dev interactions (login + consent forms) are driven by
 * test/fixtures/fake-browser.mjs.
 *
 * A thin node:http front lets tests inject faults (failing registration, a token endpoint that
 * never answers, PKCE methods without S256) and counts the requests each endpoint received.
 */
import {randomBytes} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type Provider from 'oidc-provider';
import {readBody} from './http.js';

export interface OAuthServerOptions {
  /** The protected resource (MCP server URL) this AS issues tokens for. Can be set later via `setResource`. */
  resource?: string;
  /** Scopes the resource server knows. */
  resourceScopes?: string[];
  /** Lifetime of access tokens in seconds (short TTLs let tests watch a refresh). */
  accessTokenTtl?: number;
  /** PKCE methods advertised and accepted; default ['S256']. */
  pkceMethods?: Array<'S256' | 'plain'>;
}

export interface OAuthFaults {
  /** Answer registration requests with this HTTP status and an OAuth error. */
  registrationStatus?: number;
  /** Hold token-endpoint requests this long before passing them on (ms). */
  tokenDelayMs?: number;
}

export interface TestOAuthServer {
  issuer: string;
  /** Client credentials the resource server uses for introspection. */
  introspection: {endpoint: string; clientId: string; clientSecret: string};
  faults: OAuthFaults;
  /** Requests seen per path (e.g. `/token`, `/token/revocation`, `/reg`), with the grant type for /token. */
  requests: Array<{method: string; path: string; grantType?: string; tokenTypeHint?: string; resource?: string}>;
  setResource(resource: string): void;
  /** Ask the AS about a token (as the resource server would). */
  introspect(token: string): Promise<{active: boolean; [k: string]: unknown}>;
  close(): Promise<void>;
}

const RESOURCE_SERVER_CLIENT = 'mcp-resource-server';
/** A public native client registered ahead of time (for `oauth.clientId` in mcpx config). */
export const PREREGISTERED_CLIENT = 'mcpx-preregistered';

/** Start the authorization server on a free loopback port. */
export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<TestOAuthServer> {
  const {default: ProviderCtor, errors} = await import('oidc-provider');
  const resourceScopes = options.resourceScopes ?? ['mcp:tools', 'mcp:admin'];
  let resource = options.resource;
  const faults: OAuthFaults = {};
  const requests: TestOAuthServer['requests'] = [];
  const rsSecret = randomBytes(24).toString('base64url');

  let handler: http.RequestListener | undefined;
  const server = http.createServer((req, res) => {
    void front(req, res);
  });

  async function front(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const entry: TestOAuthServer['requests'][number] = {method: req.method ?? 'GET', path};
    requests.push(entry);
    if (req.method === 'POST' && (path === '/token' || path === '/token/revocation')) {
      // Peek at the form body for bookkeeping, then replay it to oidc-provider.
      const body = await readBody(req);
      const form = new URLSearchParams(body.toString('utf8'));
      entry.grantType = form.get('grant_type') ?? undefined;
      entry.tokenTypeHint = form.get('token_type_hint') ?? undefined;
      entry.resource = form.get('resource') ?? undefined;
      if (path === '/token' && faults.tokenDelayMs) await new Promise((r) => setTimeout(r, faults.tokenDelayMs));
      if (res.destroyed) return;
      replay(req, body);
    }
    if (req.method === 'POST' && path === '/reg' && faults.registrationStatus) {
      res.writeHead(faults.registrationStatus, {'content-type': 'application/json'});
      res.end(JSON.stringify({error: 'invalid_client_metadata', error_description: 'registration is closed on this server'}));
      return;
    }
    handler!(req, res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider: Provider = new ProviderCtor(issuer, {
    clients: [
      {
        client_id: RESOURCE_SERVER_CLIENT,
        client_secret: rsSecret,
        grant_types: [],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        client_id: PREREGISTERED_CLIENT,
        application_type: 'native',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['http://127.0.0.1/callback'],
        token_endpoint_auth_method: 'none',
      },
    ],
    cookies: {keys: [randomBytes(16).toString('hex')]},
    scopes: ['openid', 'offline_access', ...resourceScopes],
    pkce: {methods: options.pkceMethods ?? ['S256'], required: () => true},
    features: {
      devInteractions: {enabled: true},
      registration: {enabled: true},
      revocation: {enabled: true},
      introspection: {enabled: true},
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource!,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (resource === undefined || indicator !== resource) throw new errors.InvalidTarget();
          return {
            scope: resourceScopes.join(' '),
            audience: resource,
            accessTokenTTL: options.accessTokenTtl ?? 3600,
            accessTokenFormat: 'opaque',
          };
        },
      },
    },
    // A public native client gets a refresh token whenever it registered for the grant; the
    // OIDC default would also demand `offline_access`, which MCP clients do not send.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      AuthorizationCode: 60,
      RefreshToken: 86_400,
      Grant: 86_400,
      Session: 86_400,
      Interaction: 600,
      IdToken: 3600,
    },
  });
  // oidc-provider logs "unsupported runtime"/dev warnings on stderr; tests only care about mcpx output.
  provider.on('server_error', (_ctx, error) => process.stderr.write(`[oauth-server] ${String(error)}\n`));
  handler = provider.callback() as http.RequestListener;

  // oidc-provider reads `req.body` when an upstream parser already consumed the stream.
  function replay(req: http.IncomingMessage, body: Buffer): void {
    (req as http.IncomingMessage & {body?: Buffer}).body = body;
  }

  const basic = 'Basic ' + Buffer.from(`${RESOURCE_SERVER_CLIENT}:${rsSecret}`).toString('base64');
  return {
    issuer,
    introspection: {endpoint: `${issuer}/token/introspection`, clientId: RESOURCE_SERVER_CLIENT, clientSecret: rsSecret},
    faults,
    requests,
    setResource(value: string) {
      resource = value;
    },
    async introspect(token: string) {
      const res = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: {authorization: basic, 'content-type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({token}),
      });
      return (await res.json()) as {active: boolean};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
