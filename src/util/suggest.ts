/** "Did you mean" suggestions for unknown flags, clients, presets and rule ids. */

/** Levenshtein distance, small inputs only. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({length: b.length + 1}, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidates closest to `input` (best first), within a distance that scales with length. */
export function suggest(input: string, candidates: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const d = lc.startsWith(needle) || needle.startsWith(lc) ? Math.min(1, editDistance(needle, lc)) : editDistance(needle, lc);
      return {c, d};
    })
    .filter(({d}) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, max)
    .map(({c}) => c);
}

/** " Did you mean X?" or "" — ready to append to an error message. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const found = suggest(input, candidates, 2);
  if (found.length === 0) return '';
  return ` Did you mean ${found.map((f) => `'${f}'`).join(' or ')}?`;
}
