/**
 * `mcpx auth status`, `logout` and `token`: what is stored for each server (never the token
 * itself), revocation at the authorization server (RFC 7009) followed by local deletion
 * whatever the server answered, and a valid access token for scripts.
 */
import type {AuthorizationServerMetadata, OAuthClientInformationMixed} from '@modelcontextprotocol/sdk/shared/auth.js';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {httpTimeoutMs, timedFetch} from './http.js';
import {deleteServerState, listRecords, readClient, readRecord, selectStore, type TokenRecord} from './storage.js';
import {listConfiguredServers, resolveTarget, sameUrl} from './targets.js';
import {getValidAccessToken} from './tokens.js';

export interface SessionContext {
  env?: NodeJS.ProcessEnv;
  store?: SecretStore;
  /** Warnings for the user (stderr). */
  print?: (line: string) => void;
}

async function storeFor(context: SessionContext): Promise<SecretStore> {
  if (context.store) return context.store;
  const choice = await selectStore(context.env ?? process.env);
  if (choice.warning) context.print?.(`Warning: ${choice.warning}`);
  return choice.store;
}

export interface ServerStatus {
  server: string;
  name?: string;
  url: string;
  loggedIn: boolean;
  issuer?: string;
  scopes: string[];
  expiresAt?: string;
  expired?: boolean;
  refreshable?: boolean;
  source?: 'login' | 'mcp-remote';
  /** Where the tokens are stored (never the tokens). */
  storage?: string;
}

/** Every configured remote server and every stored login, tokens excluded. */
export async function authStatus(context: SessionContext = {}, now = Date.now()): Promise<ServerStatus[]> {
  const env = context.env ?? process.env;
  const store = await storeFor(context);
  const records = await listRecords(store);
  const configured = await listConfiguredServers(env);
  const rows: ServerStatus[] = [];
  const describe = (rec: TokenRecord | undefined, url: string, name?: string): ServerStatus => ({
    server: name ?? url,
    ...(name ? {name} : {}),
    url,
    loggedIn: Boolean(rec),
    scopes: rec?.tokens.scope ? rec.tokens.scope.split(' ').filter(Boolean) : [],
    ...(rec
      ? {
          issuer: rec.issuer,
          ...(rec.expiresAt ? {expiresAt: new Date(rec.expiresAt).toISOString(), expired: rec.expiresAt <= now} : {}),
          refreshable: Boolean(rec.tokens.refresh_token),
          source: rec.source ?? 'login',
          storage: store.description,
        }
      : {}),
  });
  for (const server of configured) {
    rows.push(describe(records.find((r) => sameUrl(r.serverUrl, server.url)), server.url, server.name));
  }
  for (const rec of records) {
    if (configured.some((s) => sameUrl(s.url, rec.serverUrl))) continue;
    rows.push(describe(rec, rec.serverUrl, undefined));
  }
  return rows;
}

export type RevocationOutcome = 'revoked' | 'failed' | 'unsupported' | 'none';

export interface LogoutResult {
  server: string;
  url: string;
  wasLoggedIn: boolean;
  revocation: {refreshToken: RevocationOutcome; accessToken: RevocationOutcome; detail?: string};
  deleted: boolean;
}

/**
 * Log out of one server (name or URL) or, with `all`, of every stored login: revoke the refresh
 * and access tokens where the server has a revocation endpoint, then delete everything stored
 * for the server whatever the answer. A failed revocation is reported, not thrown.
 */
export async function logout(input: string | undefined, options: SessionContext & {all?: boolean} = {}): Promise<LogoutResult[]> {
  const env = options.env ?? process.env;
  const store = await storeFor(options);
  if (options.all) {
    const results: LogoutResult[] = [];
    const configured = await listConfiguredServers(env);
    for (const rec of await listRecords(store)) {
      const entry = configured.find((s) => sameUrl(s.url, rec.serverUrl));
      results.push(await logoutOne(store, rec.serverUrl, entry?.name ?? rec.serverName ?? rec.serverUrl, env, rec, entry?.oauth.clientId));
    }
    return results;
  }
  if (!input) throw new UserError('Say which server to log out of, or pass --all.', {code: 'E_USAGE'});
  const target = await resolveTarget(input, env);
  return [await logoutOne(store, target.url, target.name ?? target.url, env, await readRecord(store, target.url), target.oauth.clientId)];
}

async function logoutOne(store: SecretStore, url: string, server: string, env: NodeJS.ProcessEnv, rec: TokenRecord | undefined, configuredClientId?: string): Promise<LogoutResult> {
  const revocation: LogoutResult['revocation'] = {refreshToken: 'none', accessToken: 'none'};
  if (rec) {
    const metadata = rec.discovery?.authorizationServerMetadata;
    const client: OAuthClientInformationMixed | undefined = configuredClientId ? {client_id: configuredClientId} : await readClient(store, url, rec.issuer);
    const endpoint = (metadata as {revocation_endpoint?: string} | undefined)?.revocation_endpoint;
    const fetchFn = timedFetch(httpTimeoutMs(env));
    const revoke = async (token: string | undefined, hint: 'refresh_token' | 'access_token'): Promise<RevocationOutcome> => {
      if (!token) return 'none';
      if (!endpoint || !client) return 'unsupported';
      try {
        await revokeToken(endpoint, token, hint, client, metadata, fetchFn);
        return 'revoked';
      } catch (error) {
        revocation.detail ??= (error as Error).message;
        return 'failed';
      }
    };
    // The refresh token first: revoking it usually ends the whole grant.
    revocation.refreshToken = await revoke(rec.tokens.refresh_token, 'refresh_token');
    revocation.accessToken = await revoke(rec.tokens.access_token, 'access_token');
  }
  await deleteServerState(store, url);
  return {server, url, wasLoggedIn: Boolean(rec), revocation, deleted: true};
}

/** RFC 7009 revocation, authenticating the client as at the token endpoint. */
async function revokeToken(
  endpoint: string,
  token: string,
  hint: string,
  client: OAuthClientInformationMixed,
  metadata: AuthorizationServerMetadata | undefined,
  fetchFn: ReturnType<typeof timedFetch>,
): Promise<void> {
  const {selectClientAuthMethod} = await import('@modelcontextprotocol/sdk/client/auth.js');
  const supported = (metadata as {revocation_endpoint_auth_methods_supported?: string[]} | undefined)?.revocation_endpoint_auth_methods_supported
    ?? metadata?.token_endpoint_auth_methods_supported
    ?? [];
  const method = selectClientAuthMethod(client, supported);
  const headers: Record<string, string> = {'content-type': 'application/x-www-form-urlencoded', accept: 'application/json'};
  const body = new URLSearchParams({token, token_type_hint: hint});
  if (method === 'client_secret_basic' && client.client_secret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
  } else {
    body.set('client_id', client.client_id);
    if (method === 'client_secret_post' && client.client_secret) body.set('client_secret', client.client_secret);
  }
  const res = await fetchFn(endpoint, {method: 'POST', headers, body});
  if (!res.ok) {
    let reason = `HTTP ${res.status}`;
    try {
      const json = (await res.json()) as {error?: string};
      if (json.error) reason += ` ${json.error}`;
    } catch {
      // Not JSON: the status says enough.
    }
    throw new Error(`revocation endpoint answered ${reason}`);
  }
  await res.body?.cancel().catch(() => undefined);
}

/** A valid access token for a server given by name or URL (refreshed first when needed). */
export async function accessTokenFor(input: string, context: SessionContext = {}): Promise<{server: string; url: string; accessToken: string}> {
  const env = context.env ?? process.env;
  const target = await resolveTarget(input, env);
  const store = await storeFor(context);
  const accessToken = await getValidAccessToken(target.url, {store, env, serverName: target.name, oauth: target.oauth});
  return {server: target.name ?? target.url, url: target.url, accessToken};
}
