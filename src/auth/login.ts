/**
 * `mcpx auth login`: the MCP authorization flow (spec revisions 2025-06-18 and 2025-11-25) for
 * one remote server. mcpx probes the server without a token (401 + WWW-Authenticate gives the
 * resource metadata URL and scope), runs the SDK's discovery (RFC 9728 with its well-known
 * fallbacks, then RFC 8414 and OpenID Connect discovery), refuses an authorization server
 * without S256 PKCE or whose metadata names another issuer, then lets the SDK's `auth()` pick
 * the client identity (config client id > Client ID Metadata Document > Dynamic Client
 * Registration), build the PKCE + state + resource authorization URL and exchange the code.
 * The callback's `state` and `iss` are checked here, before the code is exchanged.
 */
import type {OAuthDiscoveryState} from '@modelcontextprotocol/sdk/client/auth.js';
import type {FetchLike} from '@modelcontextprotocol/sdk/shared/transport.js';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {presentAuthorizationUrl} from './browser.js';
import {startCallbackServer} from './callback-server.js';
import {endpointName, httpTimeoutMs, requireSecureEndpoint, timedFetch, toAuthError} from './http.js';
import {findMcpRemoteLogin, importMcpRemoteLogin} from './mcp-remote.js';
import {LoginAuthProvider} from './provider.js';
import {readRecord, selectStore} from './storage.js';
import {resolveTarget, type AuthTarget} from './targets.js';

export interface LoginOptions {
  env?: NodeJS.ProcessEnv;
  /** The store to use; default selectStore(). */
  store?: SecretStore;
  /** Scopes to request (override config and server suggestions). */
  scopes?: string[];
  callbackPort?: number;
  /** How long to wait for the browser (ms). Default 5 minutes. */
  timeoutMs?: number;
  noBrowser?: boolean;
  stdinIsTTY?: boolean;
  /** Import mcp-remote's tokens for this server when found: true = yes, false = never ask, undefined = ask when interactive. */
  importMcpRemote?: boolean;
  /** Ask a yes/no question (interactive only). */
  confirm?: (question: string) => Promise<boolean>;
  /** Messages for the user (stderr). Never receives a token. */
  print: (line: string) => void;
  fetchFn?: FetchLike;
}

export interface LoginResult {
  server: string;
  url: string;
  issuer: string;
  scopes: string[];
  expiresAt?: string;
  refreshable: boolean;
  client: 'preregistered' | 'metadata-document' | 'dynamic' | 'reused' | 'mcp-remote';
  storage: string;
  browser: 'browser' | 'printed' | 'none';
}

/** Log in to a server given by config name or URL. Throws UserErrors with a code per failure (E_AUTH_*). */
export async function login(input: string, options: LoginOptions): Promise<LoginResult> {
  const env = options.env ?? process.env;
  const target = await resolveTarget(input, env);
  const hint = target.name ?? target.url;
  let store = options.store;
  if (!store) {
    const choice = await selectStore(env);
    if (choice.warning) options.print(`Warning: ${choice.warning}`);
    store = choice.store;
  }
  const fetchFn = timedFetch(httpTimeoutMs(env), options.fetchFn);
  const sdk = await import('@modelcontextprotocol/sdk/client/auth.js');

  // 1. Ask the server what it wants, without a token.
  const challenge = await probe(target.url, fetchFn);

  // 2. Discovery (the SDK's, with the spec's fallbacks), then the checks the SDK leaves to us.
  let info;
  try {
    info = await sdk.discoverOAuthServerInfo(target.url, {resourceMetadataUrl: challenge.resourceMetadataUrl, fetchFn});
  } catch (error) {
    throw toAuthError(error, 'discovering the authorization server', hint);
  }
  const metadata = info.authorizationServerMetadata;
  if (!metadata) {
    throw new UserError(
      challenge.status === 401
        ? `${target.url} asks for a login but no authorization server metadata was found (tried ${endpointName(info.authorizationServerUrl)}).`
        : `${target.url} did not ask for a login (HTTP ${challenge.status}) and publishes no OAuth metadata: there is nothing to log in to.`,
      {code: 'E_AUTH_DISCOVERY', exitCode: 3, hint: 'Check the server URL; if it uses an API key instead of OAuth, put that in its headers.'},
    );
  }
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw new UserError(`The authorization server ${metadata.issuer} does not support PKCE with S256, which the MCP authorization spec requires; mcpx will not log in there.`, {
      code: 'E_AUTH_NO_PKCE',
      exitCode: 3,
      hint: 'Ask the server\'s operator to enable S256 PKCE (code_challenge_methods_supported).',
    });
  }
  if (!sameIssuer(metadata.issuer, info.authorizationServerUrl)) {
    throw new UserError(`The authorization server metadata at ${info.authorizationServerUrl} names another issuer (${metadata.issuer}); mcpx will not use it.`, {
      code: 'E_AUTH_ISSUER',
      exitCode: 3,
      hint: 'This is a server misconfiguration or an attack; report it to the server\'s operator.',
    });
  }
  const fullMetadata = {...metadata, ...(await droppedMetadataFields(info.authorizationServerUrl, fetchFn))};
  // Every endpoint the metadata names, before any request to one or any URL is shown or opened.
  for (const field of AS_ENDPOINT_FIELDS) {
    const value = (fullMetadata as Record<string, unknown>)[field];
    if (typeof value === 'string') requireSecureEndpoint(value, `authorization server's ${field}`);
  }
  const discovery: OAuthDiscoveryState = {
    authorizationServerUrl: info.authorizationServerUrl,
    authorizationServerMetadata: fullMetadata,
    resourceMetadata: info.resourceMetadata,
    resourceMetadataUrl: challenge.resourceMetadataUrl?.href,
  };

  // 3. Tokens left by mcp-remote for the same server can be reused instead of a browser round trip.
  const previous = await readRecord(store, target.url);
  const found = options.importMcpRemote === false ? undefined : await findMcpRemoteLogin(target.url, env);
  if (found) {
    let accept = options.importMcpRemote === true;
    if (options.importMcpRemote === undefined) {
      const interactive = (options.stdinIsTTY ?? Boolean(process.stdin.isTTY)) && options.confirm;
      if (interactive) accept = await options.confirm!(`mcp-remote has a login for ${target.url}. Import it instead of signing in again?`);
      else options.print(`Note: mcp-remote has a login for this server (${found.dir}); pass --import-mcp-remote to reuse it.`);
    }
    if (accept) {
      const record = await importMcpRemoteLogin(found, {store, target, discovery});
      options.print(`Imported mcp-remote's login for ${target.url}.`);
      return resultFrom(target, record.issuer, record.tokens.scope, record.expiresAt, Boolean(record.tokens.refresh_token), 'mcp-remote', store, 'none');
    }
  }

  // 4. Scope: explicit > config > the 401 challenge > the resource's scopes_supported (the SDK's
  // default), plus any scope a server demanded earlier with insufficient_scope (step-up).
  const base = options.scopes?.length ? options.scopes.join(' ') : target.oauth.scopes?.length ? target.oauth.scopes.join(' ') : challenge.scope;
  const scope = unionScopes(base ?? info.resourceMetadata?.scopes_supported?.join(' '), previous?.requiredScope);

  // 5. The browser round trip.
  const callback = await startCallbackServer(options.callbackPort ?? target.oauth.callbackPort ?? 0);
  let browser: LoginResult['browser'] = 'none';
  try {
    const provider = new LoginAuthProvider({
      serverUrl: target.url,
      serverName: target.name,
      store,
      oauth: target.oauth,
      env,
      redirectUrl: callback.redirectUrl,
      discovery,
      openAuthorizationUrl: async (url) => {
        browser = await presentAuthorizationUrl(url, {env, noBrowser: options.noBrowser, stdinIsTTY: options.stdinIsTTY, print: options.print});
      },
    });
    const authOptions = {serverUrl: target.url, resourceMetadataUrl: challenge.resourceMetadataUrl, fetchFn};
    const hadClient = Boolean(await provider.clientInformation());
    let started;
    try {
      started = await sdk.auth(provider, {...authOptions, ...(scope ? {scope} : {})});
    } catch (error) {
      throw toAuthError(error, hadClient ? 'starting the authorization' : 'registering mcpx with the authorization server', hint);
    }
    if (started !== 'REDIRECT') throw new Error(`Unexpected result from the SDK's auth(): ${started}`);
    const code = await callback.waitForCode(
      {
        state: provider.expectedState,
        issuer: metadata.issuer,
        issRequired: (discovery.authorizationServerMetadata as {authorization_response_iss_parameter_supported?: boolean}).authorization_response_iss_parameter_supported === true,
      },
      options.timeoutMs ?? 300_000,
    );
    let finished;
    try {
      finished = await sdk.auth(provider, {...authOptions, authorizationCode: code});
    } catch (error) {
      throw toAuthError(error, 'exchanging the authorization code for tokens', hint);
    }
    if (finished !== 'AUTHORIZED') throw new Error(`Unexpected result from the SDK's auth(): ${finished}`);
    const record = await readRecord(store, target.url);
    if (!record) throw new Error('The tokens were not stored.');
    return resultFrom(target, record.issuer, record.tokens.scope ?? scope, record.expiresAt, Boolean(record.tokens.refresh_token), provider.registration, store, browser);
  } finally {
    await callback.close();
  }
}

function resultFrom(
  target: AuthTarget,
  issuer: string,
  scope: string | undefined,
  expiresAt: number | undefined,
  refreshable: boolean,
  client: LoginResult['client'],
  store: SecretStore,
  browser: LoginResult['browser'],
): LoginResult {
  return {
    server: target.name ?? target.url,
    url: target.url,
    issuer,
    scopes: scope ? scope.split(' ').filter(Boolean) : [],
    ...(expiresAt ? {expiresAt: new Date(expiresAt).toISOString()} : {}),
    refreshable,
    client,
    storage: store.description,
    browser,
  };
}

interface Challenge {
  status: number;
  resourceMetadataUrl?: URL;
  scope?: string;
}

/** An MCP request without a token; a 401's WWW-Authenticate says where the metadata is and what scope to ask. */
async function probe(url: string, fetchFn: FetchLike): Promise<Challenge> {
  const {extractWWWAuthenticateParams} = await import('@modelcontextprotocol/sdk/client/auth.js');
  const {LATEST_PROTOCOL_VERSION} = await import('@modelcontextprotocol/sdk/types.js');
  const res = await fetchFn(url, {
    method: 'POST',
    headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': LATEST_PROTOCOL_VERSION},
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: {name: 'mcpx', version: '0'}},
    }),
  });
  await res.body?.cancel().catch(() => undefined);
  if (res.status !== 401) return {status: res.status};
  const {resourceMetadataUrl, scope} = extractWWWAuthenticateParams(res as Response);
  return {status: res.status, resourceMetadataUrl, scope};
}

/** Authorization server metadata fields that hold URLs mcpx may fetch, post to or open. */
const AS_ENDPOINT_FIELDS = [
  'issuer',
  'authorization_endpoint',
  'token_endpoint',
  'registration_endpoint',
  'revocation_endpoint',
  'introspection_endpoint',
  'jwks_uri',
  'userinfo_endpoint',
  'device_authorization_endpoint',
  'pushed_authorization_request_endpoint',
  'end_session_endpoint',
] as const;

/** Metadata fields mcpx needs that the SDK's OpenID discovery schema strips. */
const DROPPED_FIELDS = ['revocation_endpoint', 'revocation_endpoint_auth_methods_supported', 'authorization_response_iss_parameter_supported'] as const;

/**
 * The SDK parses an OpenID Connect discovery document with a schema that keeps only OIDC fields,
 * losing `revocation_endpoint` (RFC 7009) and `authorization_response_iss_parameter_supported`
 * (RFC 9207). Read them from the first metadata document that answers, in the SDK's order.
 */
async function droppedMetadataFields(authorizationServerUrl: string, fetchFn: FetchLike): Promise<Record<string, unknown>> {
  const {buildDiscoveryUrls} = await import('@modelcontextprotocol/sdk/client/auth.js');
  for (const {url} of buildDiscoveryUrls(authorizationServerUrl)) {
    try {
      const res = await fetchFn(url, {headers: {accept: 'application/json'}, redirect: 'error'});
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        continue;
      }
      const doc = (await res.json()) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const field of DROPPED_FIELDS) if (doc[field] !== undefined) out[field] = doc[field];
      return out;
    } catch {
      // Unreadable: the SDK already has what it needs; revocation and iss checks fall back.
    }
  }
  return {};
}

function sameIssuer(a: string, b: string): boolean {
  const norm = (s: string) => {
    try {
      return new URL(s).href.replace(/\/$/, '');
    } catch {
      return s.replace(/\/$/, '');
    }
  };
  return norm(a) === norm(b);
}

/** Space-separated union, first occurrence order. */
export function unionScopes(...scopes: Array<string | undefined>): string | undefined {
  const all = scopes.flatMap((s) => (s ? s.split(' ') : [])).filter(Boolean);
  return all.length ? [...new Set(all)].join(' ') : undefined;
}
