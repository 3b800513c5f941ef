/** The registry of tool-poisoning rules, sorted by id. Each rule lives in its own file named after its id. */
import {concealmentRule} from './concealment.js';
import {encodedBlobRule} from './encoded-blob.js';
import {exfiltrationParameterRule} from './exfiltration-parameter.js';
import {hiddenInstructionTagRule} from './hidden-instruction-tag.js';
import {hiddenUnicodeRule} from './hidden-unicode.js';
import {instructionOverrideRule} from './instruction-override.js';
import {sensitivePathRule} from './sensitive-path.js';
import {toolShadowingRule} from './tool-shadowing.js';
import type {TrustRule} from './types.js';

export type {TrustRule, TrustSeverity, Where, RuleHit} from './types.js';

export const TRUST_RULES: readonly TrustRule[] = [
  concealmentRule,
  encodedBlobRule,
  exfiltrationParameterRule,
  hiddenInstructionTagRule,
  hiddenUnicodeRule,
  instructionOverrideRule,
  sensitivePathRule,
  toolShadowingRule,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));

export function getTrustRule(id: string): TrustRule | undefined {
  return TRUST_RULES.find((r) => r.meta.id === id);
}
