/**
 * Where OAuth state lives and how it is named. `selectStore()` picks the OS keychain (service
 * `mcpx`, via src/secrets/store.ts when that module is present) and falls back to a 0600 file
 * under `<config>/auth/` with a one-time warning. `MCPX_AUTH_STORE=file|keychain` forces a
 * choice (tests use `file`).
 *
 * Accounts: `oauth/<server-key>/tokens` holds a TokenRecord for one MCP server URL, and
 * `oauth/<server-key>/client/<issuer-key>` the client registration obtained from one
 * authorization server for it. Keys are short SHA-256 digests of the normalised URLs.
 * The PKCE verifier is never stored: it lives in the login's memory only.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {OAuthClientInformationMixed, OAuthTokens} from '@modelcontextprotocol/sdk/shared/auth.js';
import type {OAuthDiscoveryState} from '@modelcontextprotocol/sdk/client/auth.js';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {mcpxDirs} from '../util/paths.js';
import {FileStore} from './file-store.js';

/** Everything mcpx keeps about one logged-in server. */
export interface TokenRecord {
  version: 1;
  serverUrl: string;
  /** The config name used at login, for display. */
  serverName?: string;
  /** The authorization server (the SDK's binding key: tokens are never sent to another). */
  issuer: string;
  tokens: OAuthTokens;
  /** Epoch ms when the tokens were obtained and when the access token expires (if the AS said). */
  obtainedAt: number;
  expiresAt?: number;
  /** Discovery results (public metadata), so refresh and revocation need no new discovery. */
  discovery?: OAuthDiscoveryState;
  /** Scopes a server demanded with `403 insufficient_scope`; the next login asks for them too. */
  requiredScope?: string;
  /** How the tokens were obtained. */
  source?: 'login' | 'mcp-remote';
}

export interface StoreChoice {
  store: SecretStore;
  /** Set when the file fallback was chosen for lack of a keychain and the user was not told yet. */
  warning?: string;
}

/** Normalise a server URL for keys and comparisons: parsed form, no fragment. */
export function normalizeServerUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

export function serverKey(serverUrl: string): string {
  return digest(normalizeServerUrl(serverUrl));
}

export function tokensAccount(serverUrl: string): string {
  return `oauth/${serverKey(serverUrl)}/tokens`;
}

export function clientAccount(serverUrl: string, issuer: string): string {
  return `oauth/${serverKey(serverUrl)}/client/${digest(issuer.replace(/\/$/, ''))}`;
}

/** The folder for auth files (file store, locks). */
export function authDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(mcpxDirs(env).config, 'auth');
}

export function lockFile(serverUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(authDir(env), 'locks', `${serverKey(serverUrl)}.lock`);
}

/** Read the record for a server, or undefined. A corrupt record reads as absent. */
export async function readRecord(store: SecretStore, serverUrl: string): Promise<TokenRecord | undefined> {
  const raw = await store.get(tokensAccount(serverUrl));
  if (!raw) return undefined;
  try {
    const rec = JSON.parse(raw) as TokenRecord;
    return rec && typeof rec === 'object' && rec.tokens?.access_token ? rec : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRecord(store: SecretStore, record: TokenRecord): Promise<void> {
  await store.set(tokensAccount(record.serverUrl), JSON.stringify(record));
}

/** Build a record from a token response (expiry computed from `expires_in`). */
export function recordFromTokens(
  base: Omit<TokenRecord, 'version' | 'tokens' | 'obtainedAt' | 'expiresAt'>,
  tokens: OAuthTokens,
  now = Date.now(),
): TokenRecord {
  return {
    version: 1,
    ...base,
    tokens,
    obtainedAt: now,
    ...(typeof tokens.expires_in === 'number' ? {expiresAt: now + tokens.expires_in * 1000} : {}),
  };
}

export async function readClient(store: SecretStore, serverUrl: string, issuer: string): Promise<OAuthClientInformationMixed | undefined> {
  const raw = await store.get(clientAccount(serverUrl, issuer));
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as OAuthClientInformationMixed;
  } catch {
    return undefined;
  }
}

export async function writeClient(store: SecretStore, serverUrl: string, issuer: string, info: OAuthClientInformationMixed): Promise<void> {
  await store.set(clientAccount(serverUrl, issuer), JSON.stringify(info));
}

/** Delete the tokens and every client registration stored for a server. */
export async function deleteServerState(store: SecretStore, serverUrl: string): Promise<void> {
  const prefix = `oauth/${serverKey(serverUrl)}/`;
  for (const account of await store.list()) {
    if (account.startsWith(prefix)) await store.delete(account);
  }
}

/** All token records in a store. */
export async function listRecords(store: SecretStore): Promise<TokenRecord[]> {
  const out: TokenRecord[] = [];
  for (const account of await store.list()) {
    if (!/^oauth\/[0-9a-f]+\/tokens$/.test(account)) continue;
    const raw = await store.get(account);
    try {
      const rec = raw ? (JSON.parse(raw) as TokenRecord) : undefined;
      if (rec?.serverUrl) out.push(rec);
    } catch {
      // A corrupt entry is skipped; logout --all still removes it by prefix.
    }
  }
  return out;
}

interface KeychainModule {
  openKeychain?: (...args: unknown[]) => unknown;
}

/**
 * Choose the token store: the OS keychain when one answers, else the file store.
 * `MCPX_AUTH_STORE=file` forces the file store silently; `=keychain` makes a missing keychain
 * an error (E_NO_KEYCHAIN) instead of a fallback. The fallback warning is returned once per
 * config folder (a marker file records that the user was told).
 */
export async function selectStore(env: NodeJS.ProcessEnv = process.env): Promise<StoreChoice> {
  const forced = env.MCPX_AUTH_STORE?.toLowerCase();
  const file = new FileStore(path.join(authDir(env), 'tokens.json'));
  if (forced === 'file') return {store: file};
  if (forced && forced !== 'keychain') {
    throw new UserError(`MCPX_AUTH_STORE must be "file" or "keychain", not "${env.MCPX_AUTH_STORE}".`, {code: 'E_USAGE'});
  }
  let reason = 'the keychain module is missing';
  try {
    // The keychain store is optional at build time: until it exists this import fails and the
    // file store is used. A literal specifier lets the bundler include it once it does.
    // @ts-ignore -- the module may not exist in this build
    const mod = (await import('../secrets/store.js')) as KeychainModule;
    if (typeof mod.openKeychain === 'function') {
      const store = (await mod.openKeychain({env})) as SecretStore | undefined;
      if (store && typeof store.get === 'function') return {store};
    }
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (forced === 'keychain') {
    throw new UserError(`No OS keychain is available (${reason}).`, {
      code: 'E_NO_KEYCHAIN',
      hint: 'Unset MCPX_AUTH_STORE to let mcpx keep tokens in a 0600 file instead.',
    });
  }
  return {store: file, warning: await oneTimeWarning(env, file.file)};
}

async function oneTimeWarning(env: NodeJS.ProcessEnv, file: string): Promise<string | undefined> {
  const marker = path.join(authDir(env), '.file-store-warned');
  try {
    await fs.promises.access(marker);
    return undefined;
  } catch {
    await fs.promises.mkdir(authDir(env), {recursive: true, mode: 0o700});
    await fs.promises.writeFile(marker, '', {mode: 0o600});
    return `No OS keychain is available: OAuth tokens are kept in ${file} (mode 0600). Set MCPX_AUTH_STORE=file to silence this warning.`;
  }
}
