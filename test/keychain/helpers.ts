/**
 * Shared bits of the keychain tests: whether the real keychain is available (from the
 * globalSetup in test/setup/keyring.ts), unique service names so test files never share
 * entries, and direct native access to check what really sits in the keychain.
 */
import {randomBytes} from 'node:crypto';
import {inject} from 'vitest';

export const keychainEnv = inject('keychain');

/** Suffix for describe() titles, so a skipped suite says why. */
export const skipNote = keychainEnv.available ? '' : ` (skipped: ${keychainEnv.reason ?? 'no keychain'})`;

/** A service name of its own for one test file: entries of parallel files never meet. */
export function uniqueService(label: string): string {
  return `mcpx-test-${label}-${randomBytes(4).toString('hex')}`;
}

/** Random text of `length` characters drawn from `alphabet` (test values are built at run time). */
export function randomText(length: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** What the keychain itself holds for `service`/`account`, bypassing mcpx's store. */
export async function rawGet(service: string, account: string): Promise<string | null> {
  const {AsyncEntry} = await import('@napi-rs/keyring');
  return (await new AsyncEntry(service, account, {linux: {store: 'secret-service'}}).getPassword()) ?? null;
}

export async function rawDelete(service: string, account: string): Promise<boolean> {
  const {AsyncEntry} = await import('@napi-rs/keyring');
  return new AsyncEntry(service, account, {linux: {store: 'secret-service'}}).deleteCredential();
}

/** Every account stored under `service` (Secret Service search; values are not returned). */
export async function rawAccounts(service: string): Promise<string[]> {
  const {findCredentialsAsync} = await import('@napi-rs/keyring');
  return (await findCredentialsAsync(service)).map((c) => c.account).sort();
}
