/**
 * Server routing, a ranking signal: each server is one BM25F document of its name and all its
 * tools' names, first sentences and descriptions; a query's terms score every server, and the
 * ranker scales a tool's score by its server's score relative to the best server's, so the tools
 * of the server that covers the query as a whole rank above a lone tool of another server.
 */
import {buildBm25f} from './bm25f.js';
import {type Catalog, Field} from './catalog.js';
import type {QueryTerm} from './query.js';

export interface RoutingOptions {
  /** Field weights of a server's document: its name, its tools' names, first sentences, descriptions. */
  fieldWeight: readonly number[];
  fieldB: readonly number[];
  k1: number;
}

/**
 * The router of `catalog`: given a query's terms, each server's match relative to the best
 * server's (0 to 1, by Prepared.serverId; the array is reused by the next call). Undefined for a
 * catalog of one server.
 */
export function createRouter({prepared, perDocFields, serverStems}: Catalog, options: RoutingOptions): ((terms: readonly QueryTerm[]) => Float64Array) | undefined {
  if (serverStems.length < 2) return undefined;
  const n = prepared.length;
  const serverDocs: string[][][] = serverStems.map((stems) => [stems, [], [], []]);
  for (let d = 0; d < n; d++) {
    const f = perDocFields[d]!;
    const sd = serverDocs[prepared[d]!.serverId]!;
    // A loop, not push(...tokens): spreading a long description's tokens overflows the call stack.
    for (const [to, field] of [[1, Field.Name], [2, Field.Summary], [3, Field.Description]] as const) {
      const out = sd[to]!;
      for (const t of f[field]!) out.push(t);
    }
  }
  const routing = buildBm25f(serverDocs, options);
  const serverScore = new Float64Array(serverStems.length);
  const serverTermBest = new Float64Array(serverStems.length);
  return (terms) => {
    serverScore.fill(0);
    for (const term of terms) {
      serverTermBest.fill(0);
      for (const [variant, weight] of term.variants) {
        if (term.learnedOnly?.has(variant)) continue;
        const p = routing.postings.get(variant);
        if (!p) continue;
        for (let i = 0; i < p.docs.length; i++) {
          const s = p.scores[i]! * weight;
          if (s > serverTermBest[p.docs[i]!]!) serverTermBest[p.docs[i]!] = s;
        }
      }
      for (let id = 0; id < serverScore.length; id++) serverScore[id]! += serverTermBest[id]!;
    }
    let max = 0;
    for (const v of serverScore) if (v > max) max = v;
    if (max > 0) for (let id = 0; id < serverScore.length; id++) serverScore[id]! /= max;
    return serverScore;
  };
}
