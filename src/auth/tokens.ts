/**
 * Valid access tokens on demand: read the stored record, and when the access token is expired
 * or about to be, refresh it (the SDK's `refreshAuthorization`) under a cross-process lock,
 * storing a rotated refresh token at once. Used by `mcpx auth token`, by the transport
 * provider, and by `mcpx serve` through `getValidAccessToken()`.
 */
import type {OAuthClientInformationMixed} from '@modelcontextprotocol/sdk/shared/auth.js';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {httpTimeoutMs, timedFetch, toAuthError} from './http.js';
import {withLock} from '../util/lock.js';
import {lockFile, readClient, readRecord, recordFromTokens, tokensAccount, writeRecord, type TokenRecord} from './storage.js';
import type {OAuthSettings} from './targets.js';

export interface TokenOptions {
  store: SecretStore;
  env?: NodeJS.ProcessEnv;
  /** Refresh this long before expiry (ms). Default: 60 s, or a quarter of the token's lifetime if shorter. */
  refreshMarginMs?: number;
  /** For messages: the name the user knows the server by. */
  serverName?: string;
  /** Config settings (a pre-registered client id is used for the refresh). */
  oauth?: OAuthSettings;
  /** Clock, for tests. */
  now?: () => number;
  /**
   * An access token the resource server just rejected (401): when it is still the stored one it
   * is refreshed whatever its expiry says; when another process already replaced it, the stored
   * one is returned as is.
   */
  rejectedAccessToken?: string;
}

/** True when the access token is expired or expires within the margin. Tokens without expiry never are. */
export function needsRefresh(record: TokenRecord, now: number, marginMs?: number): boolean {
  if (record.expiresAt === undefined) return false;
  const lifetime = record.expiresAt - record.obtainedAt;
  const margin = marginMs ?? Math.min(60_000, Math.max(0, lifetime / 4));
  return now >= record.expiresAt - margin;
}

/**
 * A valid access token for `serverUrl`, refreshed first when needed.
 * Throws UserError E_AUTH_REQUIRED when there is no login or it can no longer be refreshed
 * (the hint says `mcpx auth login <server>`), E_AUTH_TIMEOUT/E_AUTH_NETWORK when the
 * authorization server cannot be reached (the stored tokens are then kept).
 */
export async function getValidAccessToken(serverUrl: string, options: TokenOptions): Promise<string> {
  return (await ensureFreshTokens(serverUrl, options)).tokens.access_token;
}

/** The stored record with a usable access token (see getValidAccessToken). */
export async function ensureFreshTokens(serverUrl: string, options: TokenOptions): Promise<TokenRecord> {
  const now = options.now ?? Date.now;
  const hint = options.serverName ?? serverUrl;
  const stale = (r: TokenRecord) =>
    needsRefresh(r, now(), options.refreshMarginMs) || (options.rejectedAccessToken !== undefined && r.tokens.access_token === options.rejectedAccessToken);
  const record = await readRecord(options.store, serverUrl);
  if (!record) throw notLoggedIn(serverUrl, hint, 'Not logged in');
  if (!stale(record)) return record;
  return withLock(lockFile(serverUrl, options.env), async () => {
    // Another process may have refreshed while this one waited for the lock.
    const current = await readRecord(options.store, serverUrl);
    if (!current) throw notLoggedIn(serverUrl, hint, 'Not logged in');
    if (!stale(current)) return current;
    return refreshRecord(current, options, hint);
  }, {code: 'E_AUTH_LOCK'});
}

async function refreshRecord(record: TokenRecord, options: TokenOptions, hint: string): Promise<TokenRecord> {
  const refreshToken = record.tokens.refresh_token;
  if (!refreshToken) throw notLoggedIn(record.serverUrl, hint, 'The access token has expired and the server gave no refresh token');
  const {refreshAuthorization, discoverAuthorizationServerMetadata} = await import('@modelcontextprotocol/sdk/client/auth.js');
  const fetchFn = timedFetch(httpTimeoutMs(options.env));
  const metadata = record.discovery?.authorizationServerMetadata ?? (await discoverAuthorizationServerMetadata(record.issuer, {fetchFn}));
  const clientInformation: OAuthClientInformationMixed | undefined = options.oauth?.clientId
    ? {client_id: options.oauth.clientId}
    : await readClient(options.store, record.serverUrl, record.issuer);
  if (!clientInformation) throw notLoggedIn(record.serverUrl, hint, 'The stored OAuth client registration is missing');
  // Same resource indicator as the login: the metadata's `resource`, verbatim.
  const resource = record.discovery?.resourceMetadata?.resource;
  let tokens;
  try {
    tokens = await refreshAuthorization(record.issuer, {metadata, clientInformation, refreshToken, resource, fetchFn});
  } catch (error) {
    const err = toAuthError(error, 'refreshing the access token', hint);
    if (err.code === 'E_AUTH_INVALID_GRANT') {
      // The refresh token is dead (revoked or expired): keep nothing that cannot work.
      await options.store.delete(tokensAccount(record.serverUrl));
      throw notLoggedIn(record.serverUrl, hint, 'The OAuth session was revoked or has expired', error);
    }
    throw err;
  }
  const next = recordFromTokens(
    {serverUrl: record.serverUrl, serverName: record.serverName, issuer: record.issuer, discovery: record.discovery, requiredScope: record.requiredScope, source: record.source},
    {...tokens, issuer: record.issuer},
    (options.now ?? Date.now)(),
  );
  await writeRecord(options.store, next);
  return next;
}

function notLoggedIn(serverUrl: string, hint: string, why: string, cause?: unknown): UserError {
  return new UserError(`${why} for ${hint === serverUrl ? serverUrl : `"${hint}" (${serverUrl})`}.`, {
    code: 'E_AUTH_REQUIRED',
    exitCode: 3,
    hint: `Run: mcpx auth login ${hint}`,
    ...(cause === undefined ? {} : {cause}),
  });
}
