/**
 * Word associations of tool search, learned from the benchmark's labelled queries by
 * bench/search/associations.mjs and shipped as generated data (data/associations.json): for a
 * query word (as a stem), the name words (stems) of the tools queries using it asked for, with the
 * share of those queries ("report" -> issue). The ranker looks them up like synonyms at a low
 * weight, for the tools of the catalog they were learned over only.
 */
import learned from './data/associations.json' with {type: 'json'};

/** Query word stem -> stems of name words of the tools it asks for, with the association's strength (0..1]. */
export type Associations = ReadonlyMap<string, readonly (readonly [string, number])[]>;

let built: Associations | undefined;
let known: ReadonlySet<string> | undefined;

/** The learned table, built on first use (the first search index), not when the module loads. */
export function loadAssociations(): Associations {
  built ??= new Map(learned.table as [string, [string, number][]][]);
  return built;
}

/**
 * The tool names (as their servers name them: `create_issue`, `browser_click`) of the catalog the
 * associations were learned over. The ranker applies associations to these tools only: what
 * queries said about them says nothing about a tool nobody labelled (measured in round 7: on 150
 * blind queries about 14 servers outside that catalog, associations on every tool lowered MRR
 * 0.789 -> 0.782).
 */
export function loadKnownTools(): ReadonlySet<string> {
  known ??= new Set(learned.knownTools);
  return known;
}
