/**
 * Step-up authorization: when a server answers `403` with `WWW-Authenticate: Bearer
 * error="insufficient_scope", scope="…"`, the scopes it wants are remembered with the login so
 * that the next `mcpx auth login` asks for them too (the union with what was granted), and the
 * caller gets a UserError saying to log in again. A CLI cannot open a browser mid-request.
 */
import {UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {readRecord, writeRecord} from './storage.js';

/**
 * Record the scope demanded by an `insufficient_scope` challenge and return the UserError
 * (E_AUTH_SCOPE) to throw. `wwwAuthenticate` is the response's header value.
 */
export async function recordInsufficientScope(
  serverUrl: string,
  wwwAuthenticate: string,
  context: {store: SecretStore; serverName?: string},
): Promise<UserError> {
  const scope = /scope="([^"]*)"/.exec(wwwAuthenticate)?.[1] ?? /scope=([^\s,]+)/.exec(wwwAuthenticate)?.[1];
  const record = await readRecord(context.store, serverUrl);
  if (record && scope) {
    const granted = record.tokens.scope?.split(' ') ?? [];
    const wanted = [...new Set([...granted, ...(record.requiredScope?.split(' ') ?? []), ...scope.split(' ')])].filter(Boolean).join(' ');
    await writeRecord(context.store, {...record, requiredScope: wanted});
  }
  const hint = context.serverName ?? serverUrl;
  return new UserError(`${hint} needs more permissions than this login grants${scope ? ` (scope: ${scope})` : ''}.`, {
    code: 'E_AUTH_SCOPE',
    exitCode: 3,
    hint: `Run: mcpx auth login ${hint}  (it will ask for the extra scope)`,
  });
}
