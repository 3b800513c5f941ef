/**
 * The auth module's public surface, for commands and for `mcpx serve`: stored-token access
 * (`getValidAccessToken`, `StoredTokenAuthProvider` as the SDK transport's `authProvider`),
 * store selection, and the login/status/logout services.
 */
export {getValidAccessToken, ensureFreshTokens, needsRefresh, type TokenOptions} from './tokens.js';
export {StoredTokenAuthProvider, type StoredTokenProviderOptions} from './provider.js';
export {selectStore, readRecord, type TokenRecord, type StoreChoice} from './storage.js';
export {FileStore} from './file-store.js';
export {resolveTarget, listConfiguredServers, type AuthTarget, type OAuthSettings} from './targets.js';
export {recordInsufficientScope} from './step-up.js';
