/**
 * Masking of secret values for every output: keeps a recognisable prefix (a provider's
 * `ghp_`, `sk-ant-`…) and the last four characters, never more than a quarter of the value.
 */

const KNOWN_PREFIX = /^(?:sk-ant-(?:api|admin)\d{2}-|sk-proj-|sk-svcacct-|sk-|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|xapp-|AKIA|ASIA|sk_live_|sk_test_|rk_live_|rk_test_|pk_live_|pk_test_|AIza|npm_|hf_|lin_api_|secret_|ntn_|sbp_|SG\.|tvly-|eyJ|pplx-|gsk_|r8_|fc-|dop_v1_|shpat_|xai-)/;

/** `ghp_…7f3a`. Short values become `****`. */
export function maskSecret(value: string): string {
  if (value.length <= 8) return '****';
  const prefix = KNOWN_PREFIX.exec(value)?.[0] ?? '';
  const tail = value.length >= 16 ? value.slice(-4) : '';
  const budget = Math.floor(value.length / 4);
  const shownPrefix = prefix.length + tail.length <= budget ? prefix : prefix.slice(0, Math.max(0, budget - tail.length));
  // Nothing can be shown safely: an opaque mask says more than a bare ellipsis.
  if (!shownPrefix && !tail) return '****';
  return `${shownPrefix}…${tail}`;
}

/** Replace every occurrence of each secret in `text` with its mask (for logs and error messages). */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  const sorted = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  for (const s of sorted) out = out.split(s).join(maskSecret(s));
  return out;
}

/**
 * `redact`, and also every quoted string literal of `text` (JSON, YAML or TOML double quotes)
 * whose escapes decode to a text holding a secret: a file may spell a value as `\u0067hp_…` or
 * `a\/b`, which plain matching would print in full. The literal is rewritten with the masks.
 */
export function redactQuoted(text: string, secrets: Iterable<string>): string {
  const list = [...new Set(secrets)].filter((s) => s.length >= 4);
  const out = redact(text, list);
  if (list.length === 0 || !out.includes('\\')) return out;
  return out.replace(/"(?:[^"\\\n]|\\.){4,}"/g, (literal) => {
    if (!literal.includes('\\')) return literal;
    let decoded: unknown;
    try {
      decoded = JSON.parse(literal);
    } catch {
      return literal;
    }
    if (typeof decoded !== 'string') return literal;
    const value = decoded;
    return list.some((v) => value.includes(v)) ? JSON.stringify(redact(value, list)) : literal;
  });
}

/**
 * A copy of JSON-like `value` with `mask` applied to every string in it, object keys included
 * (for what an upstream sends: tool descriptions, schemas, instructions). Depth is bounded; a
 * deeper part becomes null. `mask` is usually `(t) => redact(t, secrets)`.
 */
export function maskDeep<T>(value: T, mask: (text: string) => string, maxDepth = 64): T {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return mask(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return null;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[mask(k)] = walk(item, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}
