/**
 * Tool search for `mcpx serve`'s `search_tools` meta-tool. PLACEHOLDER: plain keyword counting;
 * the real ranking (tokenising snake/camel/kebab case, stemming, field weights) replaces it
 * behind the same exports.
 */

export interface ToolDoc {
  /** Namespaced name used by execute_tool: `<server>__<tool>`. */
  name: string;
  server: string;
  tool: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
}

export interface SearchHit {
  tool: ToolDoc;
  score: number;
}

export interface SearchIndex {
  readonly size: number;
  /** Best first; at most `limit` hits, only hits with a positive score. */
  search(query: string, limit?: number): SearchHit[];
}

export function createSearchIndex(tools: readonly ToolDoc[]): SearchIndex {
  const docs = tools.map((tool) => ({tool, text: `${tool.server} ${tool.tool} ${tool.description ?? ''}`.toLowerCase()}));
  return {
    size: tools.length,
    search(query, limit = 10) {
      const words = query.toLowerCase().split(/\W+/).filter(Boolean);
      return docs
        .map(({tool, text}) => ({tool, score: words.filter((w) => text.includes(w)).length}))
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
  };
}
