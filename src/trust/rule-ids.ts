/**
 * The ids of the tool-poisoning rules (src/trust/rules/), as plain data: `mcpx lint` validates the
 * shared project config (.mcpxrc.json) against them without loading any trust code. A registry
 * test keeps this list equal to TRUST_RULES.
 */
export const TRUST_RULE_IDS: readonly string[] = [
  'concealment',
  'encoded-blob',
  'exfiltration-parameter',
  'hidden-instruction-tag',
  'hidden-unicode',
  'instruction-override',
  'sensitive-path',
  'tool-shadowing',
];
