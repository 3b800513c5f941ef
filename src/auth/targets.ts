/**
 * Resolves what the user typed after `mcpx auth …` (a server name from mcpx's own config, or a
 * URL) to a remote server and its OAuth settings. mcpx's config is the file `mcpx serve` reads
 * (`MCPX_CONFIG`, else the default path), read minimally here (`mcpServers[name].url` and
 * `.oauth`, JSONC allowed) so auth does not depend on the serve config validator. `${VAR}`
 * references in a URL are resolved as serve resolves them (environment, then keychain), so the
 * login is stored under the URL serve will call.
 */
import fs from 'node:fs';
import {parseJson} from '../config/json.js';
import {UserError} from '../errors.js';
import {defaultSources, type ReferenceSource, resolveReferences} from '../secrets/resolve.js';
import {configPath} from '../proxy/config.js';
import {didYouMean} from '../util/suggest.js';
import {normalizeServerUrl} from './storage.js';

/** The per-server `oauth` block in mcpx's config. */
export interface OAuthSettings {
  /** A client id registered with the authorization server beforehand (skips registration). */
  clientId?: string;
  /** Scopes to request instead of those the server advertises. */
  scopes?: string[];
  /** A fixed loopback port for the callback (when the client id was registered with one). */
  callbackPort?: number;
  /** An HTTPS URL where mcpx's Client ID Metadata Document is published. */
  clientMetadataUrl?: string;
}

export interface AuthTarget {
  /** The config name, when the user named one (or the URL matched one). */
  name?: string;
  url: string;
  oauth: OAuthSettings;
}

export interface ConfiguredServer {
  name: string;
  /** With `${VAR}` references resolved; as written when one cannot be resolved (see urlError). */
  url: string;
  /** Why a reference in the URL could not be resolved: reported only when this server is the one asked for. */
  urlError?: UserError;
  oauth: OAuthSettings;
  /** A malformed `oauth` block: reported only when this server is the one asked for. */
  oauthError?: UserError;
}

/** mcpx's config file, as `mcpx serve` finds it without `--config`: `MCPX_CONFIG`, else the default. */
export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  return configPath(undefined, env);
}

/**
 * The remote servers (entries with a `url`) in mcpx's config; an absent file is an empty list.
 * A syntax error is a UserError with the file, line and column.
 */
export async function listConfiguredServers(env: NodeJS.ProcessEnv = process.env, sources: readonly ReferenceSource[] = defaultSources(env)): Promise<ConfiguredServer[]> {
  const file = configFile(env);
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // A syntax error is a ParseError (a UserError) naming file:line:column.
  const parsed = parseJson(text, file, false).value;
  const servers = (parsed as {mcpServers?: Record<string, unknown>})?.mcpServers ?? {};
  const out: ConfiguredServer[] = [];
  for (const [name, entry] of Object.entries(servers)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as {url?: unknown; oauth?: unknown};
    if (typeof e.url !== 'string') continue;
    let url = e.url;
    let urlError: UserError | undefined;
    if (url.includes('${')) {
      try {
        url = (await resolveReferences(url, sources, {server: name, field: 'url'})).value;
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        urlError = error;
      }
    }
    const server: ConfiguredServer = {name, url, oauth: {}, ...(urlError ? {urlError} : {})};
    try {
      server.oauth = readOAuthSettings(e.oauth, name);
    } catch (error) {
      server.oauthError = error as UserError;
    }
    out.push(server);
  }
  return out;
}

function readOAuthSettings(value: unknown, name: string): OAuthSettings {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object') throw badField(name, 'oauth', 'an object');
  const v = value as Record<string, unknown>;
  const out: OAuthSettings = {};
  if (v.clientId !== undefined) {
    if (typeof v.clientId !== 'string' || !v.clientId) throw badField(name, 'oauth.clientId', 'a non-empty string');
    out.clientId = v.clientId;
  }
  if (v.scopes !== undefined) {
    if (!Array.isArray(v.scopes) || !v.scopes.every((s) => typeof s === 'string')) throw badField(name, 'oauth.scopes', 'an array of strings');
    out.scopes = v.scopes as string[];
  }
  if (v.callbackPort !== undefined) {
    if (!Number.isInteger(v.callbackPort) || (v.callbackPort as number) < 1 || (v.callbackPort as number) > 65_535) {
      throw badField(name, 'oauth.callbackPort', 'a port number (1-65535)');
    }
    out.callbackPort = v.callbackPort as number;
  }
  if (v.clientMetadataUrl !== undefined) {
    if (typeof v.clientMetadataUrl !== 'string' || !/^https:\/\/[^/]+\/.+/.test(v.clientMetadataUrl)) {
      throw badField(name, 'oauth.clientMetadataUrl', 'an https URL with a path');
    }
    out.clientMetadataUrl = v.clientMetadataUrl;
  }
  return out;
}

function badField(name: string, field: string, expected: string): UserError {
  return new UserError(`Server "${name}": ${field} must be ${expected}.`, {code: 'E_CONFIG', hint: 'Fix mcpx\'s config.json, then run the command again.'});
}

/**
 * Resolve a server name or URL. URLs must be https, or http on a loopback host.
 * Throws UserError E_UNKNOWN_SERVER (with suggestions) or E_INSECURE_URL.
 */
export async function resolveTarget(input: string, env: NodeJS.ProcessEnv = process.env, sources?: readonly ReferenceSource[]): Promise<AuthTarget> {
  const servers = await listConfiguredServers(env, sources);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    const url = checkUrl(input);
    const match = servers.find((s) => sameUrl(s.url, url));
    if (match?.oauthError) throw match.oauthError;
    return match ? {name: match.name, url, oauth: match.oauth} : {url, oauth: {}};
  }
  const server = servers.find((s) => s.name === input);
  if (!server) {
    throw new UserError(`No remote server named "${input}" in ${configFile(env)}.${didYouMean(input, servers.map((s) => s.name))}`, {
      code: 'E_UNKNOWN_SERVER',
      hint: 'Give the server URL instead, or add the server to mcpx\'s config.',
    });
  }
  if (server.oauthError) throw server.oauthError;
  if (server.urlError) throw server.urlError;
  return {name: server.name, url: checkUrl(server.url, server.name), oauth: server.oauth};
}

function checkUrl(raw: string, name?: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError(`${name ? `Server "${name}": ` : ''}"${raw}" is not a valid URL.`, {code: 'E_USAGE'});
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UserError(`${url.origin} is not an https URL; OAuth tokens are only sent over TLS (or to this machine).`, {
      code: 'E_INSECURE_URL',
      hint: 'Use the server\'s https:// address.',
    });
  }
  return normalizeServerUrl(url.href);
}

export function sameUrl(a: string, b: string): boolean {
  try {
    return normalizeServerUrl(a).replace(/\/$/, '') === normalizeServerUrl(b).replace(/\/$/, '');
  } catch {
    return false;
  }
}
