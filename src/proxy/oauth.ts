/**
 * OAuth for remote upstreams that have no Authorization header in the config: a `fetch` for the
 * SDK's HTTP transports that sends the tokens `mcpx auth login` stored. Nothing about auth
 * happens until the server answers 401; from then on every request carries a token from the
 * store (refreshed ahead of expiry, under src/auth's cross-process lock). A token the server
 * rejects is refreshed once (under the lock) and the request retried. When no usable login is
 * left, or a `403 insufficient_scope` asks for more, the request fails with src/auth's UserError
 * (E_AUTH_REQUIRED, E_AUTH_SCOPE); nothing here ever opens a browser.
 *
 * Why a fetch and not the SDK's `authProvider`: on every 401 the SDK's `auth()` refreshes the
 * token itself, outside mcpx's lock, so two processes could both present one rotating refresh
 * token (and get the grant revoked); and the transport asks a provider for tokens on every
 * request, which would mean a keychain lookup per request even for servers that need no login.
 */
import path from 'node:path';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {configPath, type ServerOAuthSettings} from './config.js';
import type {Logger} from './log.js';

type AuthModule = typeof import('../auth/index.js');

export interface StoredLoginOptions {
  /** The server's name in the serve config. */
  name: string;
  /** The resolved URL: the key the login was stored under. */
  url: string;
  oauth?: ServerOAuthSettings;
  /** The serve config file: `mcpx auth login <name>` only knows names from the default one. */
  configFile?: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
}

/** True for a remote server without a configured Authorization header (any case). */
export function usesStoredLogin(transport: string, headers: Record<string, string> | undefined): boolean {
  if (transport !== 'http' && transport !== 'sse') return false;
  return !Object.keys(headers ?? {}).some((k) => k.toLowerCase() === 'authorization');
}

/** The requests of one upstream, authorised with its stored login (one per Upstream, kept across reconnects). */
export class StoredLogin {
  /** Set once the server answered 401: from then on every request carries a token. */
  private required = false;
  private module?: Promise<{auth: AuthModule; store: SecretStore}>;
  private readonly origin: string;
  /** The auth failure of the latest request, until a request succeeds (the SSE transport hides it). */
  failure?: UserError;

  constructor(private readonly options: StoredLoginOptions) {
    this.origin = new URL(options.url).origin;
  }

  get url(): string {
    return this.options.url;
  }

  /** What the user types to log in: the server's name when `mcpx auth` can find it, else its URL. */
  get loginTarget(): string {
    const {configFile, env, name, url} = this.options;
    // `mcpx auth` reads the file serve reads without --config (MCPX_CONFIG, else the default).
    return configFile && path.resolve(configFile) === configPath(undefined, env) ? name : url;
  }

  /** The `fetch` for the SDK transport. Throws src/auth's UserError when the user must log in. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    // Tokens go to the server they were issued for, never elsewhere.
    if (url.origin !== this.origin) return fetch(input, init);
    try {
      const response = await this.authorised(input, init);
      this.failure = undefined;
      return response;
    } catch (error) {
      this.failure = (error as UserError)?.name === 'UserError' ? (error as UserError) : undefined;
      throw error;
    }
  };

  private async authorised(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    let token = this.required ? await this.token() : undefined;
    let refreshed = false;
    for (;;) {
      const response = await fetch(input, withBearer(init, token));
      if (response.status === 403 && this.required) await this.checkScope(response);
      if (response.status !== 401) return response;
      await response.body?.cancel().catch(() => undefined);
      if (!this.required) this.options.log.debug(`server '${this.options.name}' asks for OAuth; using the login from mcpx auth`);
      this.required = true;
      if (refreshed) throw this.loginNeeded('The server rejects the stored OAuth login even after a refresh');
      // A token we sent and the server refused is refreshed (unless another process just did).
      if (token !== undefined) refreshed = true;
      token = await this.token(token);
    }
  }

  private load(): Promise<{auth: AuthModule; store: SecretStore}> {
    this.module ??= (async () => {
      const auth = await import('../auth/index.js');
      const {store, warning} = await auth.selectStore(this.options.env);
      if (warning) this.options.log.warn(warning);
      return {auth, store};
    })();
    // A failure to open the store is retried by the next request.
    this.module.catch(() => (this.module = undefined));
    return this.module;
  }

  private get serverName(): string | undefined {
    const target = this.loginTarget;
    return target === this.options.url ? undefined : target;
  }

  private async token(rejected?: string): Promise<string> {
    const {auth, store} = await this.load();
    const record = await auth.ensureFreshTokens(this.options.url, {
      store,
      env: this.options.env,
      serverName: this.serverName,
      oauth: this.options.oauth,
      ...(rejected === undefined ? {} : {rejectedAccessToken: rejected}),
    });
    const secrets = [record.tokens.access_token, record.tokens.refresh_token].filter((v): v is string => typeof v === 'string');
    this.options.log.addSecrets(secrets);
    return record.tokens.access_token;
  }

  private loginNeeded(why: string): UserError {
    const target = this.loginTarget;
    return new UserError(`${why} for ${target === this.options.url ? target : `"${target}" (${this.options.url})`}.`, {
      code: 'E_AUTH_REQUIRED',
      exitCode: 3,
      hint: `Run: mcpx auth login ${target}`,
    });
  }

  /** `403` + `insufficient_scope`: note the scope for the next login and fail with E_AUTH_SCOPE. */
  private async checkScope(response: Response): Promise<void> {
    const challenge = response.headers.get('www-authenticate') ?? '';
    if (!/error="?insufficient_scope/i.test(challenge)) return;
    await response.body?.cancel().catch(() => undefined);
    const {auth, store} = await this.load();
    throw await auth.recordInsufficientScope(this.options.url, challenge, {store, serverName: this.serverName});
  }
}

function withBearer(init: RequestInit | undefined, token: string | undefined): RequestInit | undefined {
  if (token === undefined) return init;
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${token}`);
  return {...init, headers};
}
