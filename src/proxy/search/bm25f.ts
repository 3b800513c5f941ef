/**
 * A BM25F index over documents made of token fields: per field a weight and a length
 * normalisation, saturation with k1, idf, posting lists ready to add up, and prefix completion
 * over the vocabulary. Knows nothing of any language or of tools: tokens are opaque strings.
 */

export interface Bm25fOptions {
  /** How much a match in each field counts. */
  fieldWeight: readonly number[];
  /** Length normalisation per field (0: none, 1: full). */
  fieldB: readonly number[];
  k1: number;
}

export interface Postings {
  /** Documents holding the term, ascending. */
  docs: Int32Array;
  /** idf times the saturated field-weighted term frequency, per document of `docs`. */
  scores: Float64Array;
}

export interface Bm25fIndex {
  /** Term -> its postings. */
  readonly postings: ReadonlyMap<string, Postings>;
  /** Term -> its idf. */
  readonly idf: ReadonlyMap<string, number>;
  /** The idf a term no document holds would have. */
  readonly absentIdf: number;
  /** Up to `max` indexed terms (other than `prefix` itself) starting with `prefix`. */
  completions(prefix: string, max?: number): string[];
}

/** Builds the index over `docs`, each a list of fields, each field a list of tokens. Linear in the total length. */
export function buildBm25f(docs: readonly (readonly (readonly string[])[])[], {fieldWeight, fieldB, k1}: Bm25fOptions): Bm25fIndex {
  const n = docs.length;
  const fieldCount = fieldWeight.length;
  const totalLen = new Float64Array(fieldCount);
  for (const fields of docs) for (let f = 0; f < fieldCount; f++) totalLen[f]! += fields[f]?.length ?? 0;
  const avgLen = Array.from(totalLen, (t) => (n > 0 ? t / n : 0) || 1);
  // Per term: the documents holding it and its saturated field-weighted frequency in each.
  const raw = new Map<string, {docs: number[]; weights: number[]}>();
  for (let d = 0; d < n; d++) {
    const fields = docs[d]!;
    const weighted = new Map<string, number>();
    for (let f = 0; f < fieldCount; f++) {
      const tokens = fields[f] ?? [];
      const norm = 1 - fieldB[f]! + (fieldB[f]! * tokens.length) / avgLen[f]!;
      const w = fieldWeight[f]! / norm;
      for (const t of tokens) weighted.set(t, (weighted.get(t) ?? 0) + w);
    }
    for (const [term, tf] of weighted) {
      let p = raw.get(term);
      if (!p) raw.set(term, (p = {docs: [], weights: []}));
      p.docs.push(d);
      p.weights.push(tf / (k1 + tf));
    }
  }
  const idf = new Map<string, number>();
  const postings = new Map<string, Postings>();
  for (const [term, p] of raw) {
    const termIdf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
    idf.set(term, termIdf);
    postings.set(term, {docs: Int32Array.from(p.docs), scores: Float64Array.from(p.weights, (w) => w * termIdf)});
  }
  const vocabulary = [...postings.keys()].sort();
  return {
    postings,
    idf,
    absentIdf: Math.log(1 + (n + 0.5) / 0.5),
    completions(prefix, max = 8) {
      let lo = 0;
      let hi = vocabulary.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (vocabulary[mid]! < prefix) lo = mid + 1;
        else hi = mid;
      }
      const out: string[] = [];
      for (let i = lo; i < vocabulary.length && out.length < max && vocabulary[i]!.startsWith(prefix); i++) if (vocabulary[i] !== prefix) out.push(vocabulary[i]!);
      return out;
    },
  };
}

/** Keeps the best `limit` of scored documents, best first; ties keep the lower document number first. */
export class TopK<T extends {d: number; score: number}> {
  readonly items: T[] = [];
  constructor(private readonly limit: number) {}

  /** Whether `score` could enter the list at all (cheap test before building an item). */
  admits(score: number): boolean {
    return this.items.length < this.limit || score > this.items[this.items.length - 1]!.score;
  }

  add(item: T): void {
    if (!this.admits(item.score)) return;
    const top = this.items;
    let i = top.length;
    while (i > 0 && (top[i - 1]!.score < item.score || (top[i - 1]!.score === item.score && top[i - 1]!.d > item.d))) i--;
    top.splice(i, 0, item);
    if (top.length > this.limit) top.pop();
  }
}
