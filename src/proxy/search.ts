/**
 * Tool search for `mcpx serve`'s `search_tools` meta-tool. The ranker lives in ./search/ (see
 * ranker.ts); this module is its public face for meta-tools.ts, the tests and the benchmark.
 */
export {createSearchIndex, DEFAULT_TUNING, MIN_MATCH, noMatch, RELATIVE_CUTOFF, serverCoverage, type SearchHit, type SearchIndex, type SearchTuning, type ToolDoc} from './search/ranker.js';
export {isStopword, plainWords, stem, tokenize} from './search/text.js';
export {bm25Baseline, keywordBaseline} from './search/baselines.js';
