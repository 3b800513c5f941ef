/**
 * mcpx's implementations of the SDK's `OAuthClientProvider`: the SDK does discovery, PKCE,
 * registration (DCR or a Client ID Metadata Document), the token exchange and refresh; these
 * classes supply storage (the SecretStore), the client's metadata (a native app with a
 * loopback redirect), a random `state`, and expiry bookkeeping.
 *
 * - `LoginAuthProvider` runs inside `mcpx auth login`: it opens the browser, keeps the PKCE
 *   verifier in memory only, and never offers old tokens (a login always asks the user).
 * - `StoredTokenAuthProvider` is for `mcpx serve` and scripts (the SDK transport's
 *   `authProvider`): it serves stored tokens, refreshes them ahead of expiry under a
 *   cross-process lock, and never opens a browser — when the user must act it throws a
 *   UserError saying to run `mcpx auth login <server>`.
 */
import {randomBytes} from 'node:crypto';
import type {OAuthClientProvider, OAuthDiscoveryState} from '@modelcontextprotocol/sdk/client/auth.js';
import type {OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens} from '@modelcontextprotocol/sdk/shared/auth.js';
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {clientAccount, deleteServerState, readClient, readRecord, recordFromTokens, tokensAccount, writeClient, writeRecord, type TokenRecord} from './storage.js';
import type {OAuthSettings} from './targets.js';
import {ensureFreshTokens} from './tokens.js';

/** A placeholder redirect for providers that never redirect (the SDK needs one to pick the code flow). */
const NO_REDIRECT = 'http://127.0.0.1/mcpx-no-browser';

export interface ProviderBaseOptions {
  serverUrl: string;
  store: SecretStore;
  /** The name the user knows the server by (used in hints). */
  serverName?: string;
  oauth?: OAuthSettings;
  env?: NodeJS.ProcessEnv;
}

/** What mcpx tells an authorization server about itself when it registers. */
export function mcpxClientMetadata(redirectUrl: string, scope?: string): OAuthClientMetadata {
  const metadata: OAuthClientMetadata & {application_type: string} = {
    client_name: 'mcpx',
    client_uri: 'https://github.com/mcpx/mcpx',
    redirect_uris: [redirectUrl],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    // RFC 8252 / OIDC registration: a native app, so loopback redirects on any port are allowed.
    application_type: 'native',
    ...(scope ? {scope} : {}),
  };
  return metadata;
}

abstract class McpxProviderBase implements OAuthClientProvider {
  protected discovery?: OAuthDiscoveryState;
  protected readonly serverUrl: string;
  protected readonly store: SecretStore;
  protected readonly oauth: OAuthSettings;
  protected readonly serverName?: string;

  constructor(options: ProviderBaseOptions) {
    this.serverUrl = options.serverUrl;
    this.store = options.store;
    this.oauth = options.oauth ?? {};
    this.serverName = options.serverName;
  }

  abstract get redirectUrl(): string;
  abstract redirectToAuthorization(authorizationUrl: URL): Promise<void>;
  abstract tokens(): Promise<OAuthTokens | undefined>;

  get clientMetadataUrl(): string | undefined {
    return this.oauth.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return mcpxClientMetadata(this.redirectUrl);
  }

  /** The hint users see: the config name when there is one, else the URL. */
  protected get loginHint(): string {
    return this.serverName ?? this.serverUrl;
  }

  protected issuer(): string | undefined {
    return this.discovery?.authorizationServerUrl;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    // A pre-registered client id from config wins over anything stored.
    if (this.oauth.clientId) return {client_id: this.oauth.clientId};
    const issuer = this.issuer();
    if (!issuer) return undefined;
    return readClient(this.store, this.serverUrl, issuer);
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    if (this.oauth.clientId) return;
    const issuer = info.issuer ?? this.issuer();
    if (!issuer) return;
    await writeClient(this.store, this.serverUrl, issuer, info);
  }

  /** True for a new login (which replaces what was stored); false when tokens are only refreshed. */
  protected abstract readonly freshLogin: boolean;

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    const previous = await readRecord(this.store, this.serverUrl);
    const issuer = tokens.issuer ?? this.issuer() ?? previous?.issuer ?? '';
    const record = recordFromTokens(
      {
        serverUrl: this.serverUrl,
        serverName: this.serverName ?? previous?.serverName,
        issuer,
        discovery: this.discovery ?? previous?.discovery,
        // A new login asked for any step-up scope already; a refresh keeps the note and the origin.
        ...(this.freshLogin ? {source: 'login' as const} : {source: previous?.source ?? 'login', requiredScope: previous?.requiredScope}),
      },
      tokens,
    );
    await writeRecord(this.store, record);
  }

  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    return this.discovery;
  }

  async saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    this.discovery = state;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all') await deleteServerState(this.store, this.serverUrl);
    if (scope === 'tokens') await this.store.delete(tokensAccount(this.serverUrl));
    if (scope === 'client') {
      const issuer = this.issuer();
      if (issuer && !this.oauth.clientId) await this.store.delete(clientAccount(this.serverUrl, issuer));
    }
    if (scope === 'discovery') this.discovery = undefined;
  }

  abstract saveCodeVerifier(codeVerifier: string): void;
  abstract codeVerifier(): string;
}

export interface LoginProviderOptions extends ProviderBaseOptions {
  redirectUrl: string;
  discovery: OAuthDiscoveryState;
  /** Called with the authorization URL: opens the browser or prints the URL. */
  openAuthorizationUrl: (url: URL) => Promise<void>;
}

/** The provider behind `mcpx auth login`. */
export class LoginAuthProvider extends McpxProviderBase {
  protected readonly freshLogin = true;
  /** The random `state` sent with the authorization request, checked on the callback. */
  readonly expectedState = randomBytes(32).toString('base64url');
  /** How the client identified itself: filled in as the SDK decides. */
  registration: 'preregistered' | 'metadata-document' | 'dynamic' | 'reused' = 'reused';
  private verifier?: string;
  private pendingClient?: OAuthClientInformationMixed;
  private readonly redirect: string;
  private readonly open: (url: URL) => Promise<void>;

  constructor(options: LoginProviderOptions) {
    super(options);
    this.redirect = options.redirectUrl;
    this.discovery = options.discovery;
    this.open = options.openAuthorizationUrl;
    if (this.oauth.clientId) this.registration = 'preregistered';
  }

  get redirectUrl(): string {
    return this.redirect;
  }

  state(): string {
    return this.expectedState;
  }

  override async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    if (this.pendingClient) return this.pendingClient;
    const info = await super.clientInformation();
    // A stored registration is reused only when it lists this exact redirect URI: not every
    // authorization server lets native apps change the loopback port.
    if (info && !this.oauth.clientId && 'redirect_uris' in info && Array.isArray(info.redirect_uris)) {
      if (!info.redirect_uris.map(String).includes(this.redirect)) return undefined;
    }
    return info;
  }

  /**
   * A new registration is kept in memory until tokens are issued: a login that fails later must
   * not replace the registration an existing login's refresh token belongs to.
   */
  override async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    if (this.oauth.clientId) return;
    this.registration = info.client_id === this.oauth.clientMetadataUrl ? 'metadata-document' : 'dynamic';
    this.pendingClient = info;
  }

  override async saveTokens(tokens: OAuthTokens): Promise<void> {
    if (this.pendingClient) await super.saveClientInformation(this.pendingClient);
    await super.saveTokens(tokens);
  }

  /** A login never reuses old tokens: the user asked to sign in again. */
  async tokens(): Promise<OAuthTokens | undefined> {
    return undefined;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    await this.open(authorizationUrl);
  }

  saveCodeVerifier(codeVerifier: string): void {
    this.verifier = codeVerifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('No PKCE verifier: the authorization was not started by this login.');
    return this.verifier;
  }

  /** The AS metadata in use (after discovery). */
  get discovered(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }
}

export interface StoredTokenProviderOptions extends ProviderBaseOptions {
  /** Refresh this long before expiry (ms); default 60 s, or a quarter of a short token lifetime. */
  refreshMarginMs?: number;
}

/**
 * An `OAuthClientProvider` for the SDK's HTTP transports that uses the tokens `mcpx auth login`
 * stored. It refreshes ahead of expiry (locked across processes), stores rotated refresh tokens
 * at once, and never opens a browser: when a new login is needed, the transport's call fails
 * with a UserError (code E_AUTH_REQUIRED) whose hint is `mcpx auth login <server>`.
 */
export class StoredTokenAuthProvider extends McpxProviderBase {
  protected readonly freshLogin = false;
  private readonly options: StoredTokenProviderOptions;
  private record?: TokenRecord;

  constructor(options: StoredTokenProviderOptions) {
    super(options);
    this.options = options;
  }

  get redirectUrl(): string {
    return NO_REDIRECT;
  }

  private loginNeeded(why: string): UserError {
    return new UserError(`${why} for ${this.serverName ? `"${this.serverName}" (${this.serverUrl})` : this.serverUrl}.`, {
      code: 'E_AUTH_REQUIRED',
      exitCode: 3,
      hint: `Run: mcpx auth login ${this.loginHint}`,
    });
  }

  override async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    await this.load();
    const info = await super.clientInformation();
    // Without a registration the SDK would register a new client; that belongs to a login.
    if (!info) throw this.loginNeeded('No OAuth login');
    return info;
  }

  override async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    await this.load();
    return this.discovery;
  }

  private async load(): Promise<TokenRecord | undefined> {
    this.record = await readRecord(this.store, this.serverUrl);
    if (this.record?.discovery && !this.discovery) this.discovery = this.record.discovery;
    return this.record;
  }

  /** Stored tokens, refreshed first when they are about to expire. */
  async tokens(): Promise<OAuthTokens | undefined> {
    const record = await this.load();
    if (!record) return undefined;
    const fresh = await ensureFreshTokens(this.serverUrl, {
      store: this.store,
      env: this.options.env,
      refreshMarginMs: this.options.refreshMarginMs,
      serverName: this.serverName,
      oauth: this.oauth,
    });
    this.record = fresh;
    return fresh.tokens;
  }

  async redirectToAuthorization(): Promise<void> {
    throw this.loginNeeded('The OAuth login has expired or needs more permissions');
  }

  saveCodeVerifier(): void {
    // Never reached without a redirect, and a verifier is never persisted.
  }

  codeVerifier(): string {
    throw this.loginNeeded('No login in progress');
  }
}
