/** The registry of lint rules, sorted by id. Each rule lives in its own file named after its id. */
import type {Rule} from '../types.js';
import {filePermissionsRule} from './file-permissions.js';
import {hardcodedSecretRule} from './hardcoded-secret.js';
import {insecureUrlRule} from './insecure-url.js';
import {invalidConfigRule} from './invalid-config.js';
import {parseErrorRule} from './parse-error.js';
import {tlsVerificationDisabledRule} from './tls-verification-disabled.js';
import {unpinnedPackageRule} from './unpinned-package.js';

// Code-unit order, not localeCompare: the first localeCompare loads ICU collation (~15-30 ms of lint start-up).
export const RULES: readonly Rule[] = [
  filePermissionsRule,
  hardcodedSecretRule,
  insecureUrlRule,
  invalidConfigRule,
  parseErrorRule,
  tlsVerificationDisabledRule,
  unpinnedPackageRule,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

export function getRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
