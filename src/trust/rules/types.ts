/** Shared types of the tool-poisoning rules (src/trust/rules/<id>.ts). Rules are pure: text in, hits out. */
export type TrustSeverity = 'error' | 'warning';

/** Where a string sits in what the model sees. `param` is set for strings inside an input schema. */
export interface Where {
  /** Dotted path such as `description` or `inputSchema.properties.notes.description`. */
  field: string;
  kind: 'name' | 'title' | 'description' | 'param-description' | 'enum' | 'default' | 'instructions' | 'prompt';
  /** The property name when the string belongs to an input-schema property. */
  param?: string;
  /** The tool (or prompt) the string belongs to, and the names of the other tools of the same server. */
  tool?: string;
  siblings?: readonly string[];
  /** Names defined by the same server's tool list (property names, enum values): not other tools. */
  ownNames?: ReadonlySet<string>;
}

export interface RuleHit {
  severity: TrustSeverity;
  message: string;
  /** Offset and length of the matched text in the string, for the excerpt. */
  index: number;
  length: number;
  /** Decoded hidden text, when the rule decoded some (hidden-unicode, encoded-blob). */
  decoded?: string;
}

export interface TrustRule {
  meta: {id: string; description: string; severity: TrustSeverity};
  check(text: string, where: Where): RuleHit[];
}

/** Runs `re` (must be global) over `text` and returns one hit per match. */
export function hitsOf(text: string, re: RegExp, severity: TrustSeverity, message: string, limit = 5): RuleHit[] {
  const hits: RuleHit[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null && hits.length < limit; m = re.exec(text)) {
    hits.push({severity, message, index: m.index, length: m[0].length});
    if (m[0].length === 0) re.lastIndex++;
  }
  return hits;
}

/** The first hit of any pattern in `patterns`, one per pattern. */
export function anyOf(text: string, patterns: readonly RegExp[], severity: TrustSeverity, message: string): RuleHit[] {
  const out: RuleHit[] = [];
  for (const re of patterns) out.push(...hitsOf(text, re, severity, message, 1));
  return out;
}

/** Who the text talks to: the model/assistant/AI/agent. */
export const MODEL = String.raw`(?:model|assistant|ai|llm|agent|claude|gpt|chatbot|copilot|bot)s?`;
