/**
 * Names of user secrets. A secret NAME is an environment-variable-like identifier, referenced in
 * configs as `${NAME}` and kept in the keychain under the account `env/<NAME>`.
 */
import {UserError} from '../errors.js';
import {maskSecret} from './mask.js';

/** The account namespace of user secrets (`env/<NAME>`). */
export const SECRET_NAMESPACE = 'env/';

const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_NAME_LENGTH = 128;

/** True when `name` can name a secret. */
export function isSecretName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME_PATTERN.test(name);
}

/**
 * Check a secret name and return it unchanged.
 * @throws UserError `E_SECRET_NAME` (exit 2) naming the rule the name breaks.
 */
export function validateSecretName(name: string): string {
  if (isSecretName(name)) return name;
  // A long non-name may be a value pasted in the wrong place: show it masked.
  const shown = JSON.stringify(name.length > 16 ? maskSecret(name) : name);
  const reason =
    name.length === 0
      ? 'it is empty'
      : name.length > MAX_NAME_LENGTH
        ? `it is longer than ${MAX_NAME_LENGTH} characters`
        : /^[0-9]/.test(name)
          ? 'it starts with a digit'
          : 'it contains characters other than letters, digits and _';
  const suggestion = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^([0-9])/, '_$1').toUpperCase();
  return failName(shown, reason, name.length <= 16 && isSecretName(suggestion) ? suggestion : undefined);
}

function failName(shown: string, reason: string, suggestion: string | undefined): never {
  throw new UserError(`${shown} is not a valid secret name: ${reason}.`, {
    code: 'E_SECRET_NAME',
    hint: `Use an environment-variable-style name (letters, digits and _, not starting with a digit)${suggestion ? `, e.g. ${suggestion}` : ''}.`,
  });
}

/** The keychain account of a secret: `GITHUB_TOKEN` → `env/GITHUB_TOKEN`. Validates the name. */
export function secretAccount(name: string): string {
  return SECRET_NAMESPACE + validateSecretName(name);
}

/** The secret name held by an account, or undefined when the account is not a user secret. */
export function secretNameOf(account: string): string | undefined {
  if (!account.startsWith(SECRET_NAMESPACE)) return undefined;
  const name = account.slice(SECRET_NAMESPACE.length);
  return isSecretName(name) ? name : undefined;
}
