/** Baselines for the benchmark (bench/search): plain BM25 and keyword counting; not used by mcpx serve. */
import type {SearchHit, SearchIndex, ToolDoc} from './ranker.js';

/**
 * Plain BM25 (k1 1.2, b 0.75) over one field — server, tool name and description — tokenised by
 * lowercasing and splitting on whitespace and punctuation; no stemming, synonyms or boosts.
 */
export function bm25Baseline(tools: readonly ToolDoc[]): SearchIndex {
  const split = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const docs = tools.map((t) => split(`${t.server} ${t.tool} ${t.description ?? ''}`));
  const n = docs.length;
  const avg = docs.reduce((s, d) => s + d.length, 0) / Math.max(1, n) || 1;
  const df = new Map<string, number>();
  const tfs = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  return {
    size: n,
    search(query, limit = 10) {
      const words = [...new Set(split(query))];
      const hits: SearchHit[] = [];
      for (let d = 0; d < n; d++) {
        let score = 0;
        for (const w of words) {
          const tf = tfs[d]!.get(w);
          if (!tf) continue;
          const dfw = df.get(w)!;
          const idf = Math.log(1 + (n - dfw + 0.5) / (dfw + 0.5));
          score += (idf * tf * (1.2 + 1)) / (tf + 1.2 * (1 - 0.75 + (0.75 * docs[d]!.length) / avg));
        }
        if (score > 0) hits.push({tool: tools[d]!, score, match: 1});
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, limit);
    },
  };
}

/**
 * Simple keyword counting (the original placeholder): the number of query words found as
 * substrings of `server tool description`, ties in input order.
 */
export function keywordBaseline(tools: readonly ToolDoc[]): SearchIndex {
  const docs = tools.map((tool) => ({tool, text: `${tool.server} ${tool.tool} ${tool.description ?? ''}`.toLowerCase()}));
  return {
    size: tools.length,
    search(query, limit = 10) {
      const words = query.toLowerCase().split(/\W+/).filter(Boolean);
      return docs
        .map(({tool, text}) => ({tool, score: words.filter((w) => text.includes(w)).length, match: 1}))
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
  };
}

