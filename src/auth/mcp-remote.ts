/**
 * Reuse of logins made by mcp-remote (the stdio-to-remote MCP bridge). Assumed layout, from
 * mcp-remote's source: a base folder `$MCP_REMOTE_CONFIG_DIR` or `~/.mcp-auth`, holding
 * `mcp-remote-<version>/` folders (and `mcp-remote/` in later releases), each with
 * `<md5(server URL)>_tokens.json` (an OAuth token response) and `<md5>_client_info.json` (the
 * client registration). The newest folder with a tokens file for the server wins. Files whose
 * hash also covers headers or a resource override are not matched.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {OAuthDiscoveryState} from '@modelcontextprotocol/sdk/client/auth.js';
import type {OAuthClientInformationMixed, OAuthTokens} from '@modelcontextprotocol/sdk/shared/auth.js';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {homeDir} from '../util/paths.js';
import {recordFromTokens, writeClient, writeRecord, type TokenRecord} from './storage.js';
import type {AuthTarget} from './targets.js';

export interface McpRemoteLogin {
  dir: string;
  tokensFile: string;
  clientFile?: string;
}

export function mcpRemoteBaseDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MCP_REMOTE_CONFIG_DIR || path.join(homeDir(env), '.mcp-auth');
}

/** The mcp-remote files for `serverUrl`, newest version folder first; undefined when none. */
export async function findMcpRemoteLogin(serverUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<McpRemoteLogin | undefined> {
  const base = mcpRemoteBaseDir(env);
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(base, {withFileTypes: true});
  } catch {
    return undefined;
  }
  // mcp-remote hashes the URL as the user typed it; try the common spellings.
  const spellings = new Set([serverUrl, serverUrl.replace(/\/$/, '')]);
  const hashes = [...spellings].map((u) => createHash('md5').update(u).digest('hex'));
  const dirs = entries
    .filter((e) => e.isDirectory() && /^mcp-remote(-\d+\.\d+\.\d+.*)?$/.test(e.name))
    .map((e) => e.name)
    .sort(compareVersionDirs)
    .reverse();
  for (const name of dirs) {
    for (const hash of hashes) {
      const tokensFile = path.join(base, name, `${hash}_tokens.json`);
      if (!fs.existsSync(tokensFile)) continue;
      const clientFile = path.join(base, name, `${hash}_client_info.json`);
      return {dir: path.join(base, name), tokensFile, ...(fs.existsSync(clientFile) ? {clientFile} : {})};
    }
  }
  return undefined;
}

function compareVersionDirs(a: string, b: string): number {
  const v = (s: string) => (/(\d+)\.(\d+)\.(\d+)/.exec(s)?.slice(1).map(Number) ?? [Infinity, 0, 0]);
  const [x, y] = [v(a), v(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/**
 * Copy an mcp-remote login into mcpx's store, bound to the discovered authorization server.
 * The expiry is estimated from the tokens file's modification time. E_AUTH_IMPORT when the
 * files cannot be read as a token response.
 */
export async function importMcpRemoteLogin(
  found: McpRemoteLogin,
  context: {store: SecretStore; target: AuthTarget; discovery: OAuthDiscoveryState},
): Promise<TokenRecord> {
  const {store, target, discovery} = context;
  let tokens: OAuthTokens;
  let client: OAuthClientInformationMixed | undefined;
  let obtainedAt: number;
  try {
    tokens = JSON.parse(await fs.promises.readFile(found.tokensFile, 'utf8')) as OAuthTokens;
    obtainedAt = (await fs.promises.stat(found.tokensFile)).mtimeMs;
    if (found.clientFile) client = JSON.parse(await fs.promises.readFile(found.clientFile, 'utf8')) as OAuthClientInformationMixed;
  } catch (error) {
    throw new UserError(`mcp-remote's files in ${found.dir} could not be read: ${(error as Error).message}`, {code: 'E_AUTH_IMPORT', hint: 'Log in without --import-mcp-remote.'});
  }
  if (typeof tokens?.access_token !== 'string' || typeof tokens.token_type !== 'string') {
    throw new UserError(`${found.tokensFile} is not an OAuth token response.`, {code: 'E_AUTH_IMPORT', hint: 'Log in without --import-mcp-remote.'});
  }
  if (tokens.refresh_token && !client?.client_id && !target.oauth.clientId) {
    throw new UserError(`mcp-remote's client registration for ${target.url} is missing, so its refresh token cannot be used.`, {code: 'E_AUTH_IMPORT', hint: 'Log in without --import-mcp-remote.'});
  }
  const issuer = discovery.authorizationServerUrl;
  const clean: OAuthTokens = {
    access_token: tokens.access_token,
    token_type: tokens.token_type,
    ...(tokens.refresh_token ? {refresh_token: tokens.refresh_token} : {}),
    ...(tokens.scope ? {scope: tokens.scope} : {}),
    ...(typeof tokens.expires_in === 'number' ? {expires_in: tokens.expires_in} : {}),
    issuer,
  };
  if (client?.client_id) await writeClient(store, target.url, issuer, {...client, issuer});
  const record: TokenRecord = {
    ...recordFromTokens({serverUrl: target.url, serverName: target.name, issuer, discovery, source: 'mcp-remote'}, clean, obtainedAt),
  };
  await writeRecord(store, record);
  return record;
}
