// Learns word associations for mcpx's tool search from labelled queries: which words of a tool's
// name the queries that use a word ask for ("report" -> issue, "members" -> user). A word of a
// query is associated with a name word of its expected tool when, among the training queries that
// use the word, a large enough share want a tool whose name has that word (and clearly more than
// queries in general do). The ranker looks these up like synonyms, at a weight (DEFAULT_TUNING
// `learned`) times the association's strength. `node bench/search/cv.mjs --write-associations`
// learns them from all development sets and writes src/proxy/search/data/associations.json;
// `node bench/search/run.mjs --cv` learns them from all sets but one and scores that one.

/**
 * A pair counts when at least `minQueries` queries show it and at least `minShare` of the queries
 * using the word show it, `minLift` times more often than queries in general want that name word;
 * at most `perWord` associations per word. `gapOnly`: learn only from query words the wanted
 * tool's own text lacks. `skipNames`: never learn a word any query capitalises after its first
 * word (names, values). minQueries is picked by the nested cross-validation in cv.mjs.
 */
export const ASSOCIATION_OPTIONS = {minQueries: 2, minShare: 0.4, minLift: 2, perWord: 3, gapOnly: true, skipNames: true};

/**
 * Map query-word stem -> [[name-word stem, strength]] learned from `queries` over `tools`.
 * `tokenize`, `stem`, `isStopword` and `plainWords` are the ranker's. A name word shared by most
 * of a server's tools (`browser`, `api`) names no particular tool and is never learned, nor is a
 * word of the server's own name.
 */
export function learnAssociations(tools, queries, {tokenize, stem, isStopword, plainWords}, options = ASSOCIATION_OPTIONS) {
  const {minQueries, minShare, minLift, perWord, gapOnly, skipNames} = options;
  const byServer = new Map();
  for (const t of tools) {
    if (!byServer.has(t.server)) byServer.set(t.server, []);
    byServer.get(t.server).push(t);
  }
  const nameWords = new Map();
  const docWords = new Map(tools.map((t) => [t.name, new Set(tokenize(`${t.tool} ${t.title ?? ''} ${t.description ?? ''}`).map(stem))]));
  for (const list of byServer.values()) {
    const freq = new Map();
    const words = list.map((t) => [...new Set(tokenize(t.tool).filter((w) => !isStopword(w)).map(stem))]);
    for (const ws of words) for (const w of ws) freq.set(w, (freq.get(w) ?? 0) + 1);
    list.forEach((t, i) => {
      // Nor words of the server's name (`exa` of exa_search): which server a query means is the
      // server mention's business, and a learned preference for one server would not carry over.
      const serverWords = new Set(tokenize(t.server).map(stem));
      const own = words[i].filter((w) => !(list.length >= 3 && freq.get(w) > list.length / 2) && !serverWords.has(w));
      nameWords.set(t.name, own);
    });
  }
  // A word any query writes capitalised after its first word ("Alice", "Berlin", "Q3 Roadmap")
  // is a name, a value: never learned, wherever it stands.
  const names = new Set();
  if (skipNames) for (const q of queries) for (const m of q.query.matchAll(/(?<=\S\s+)[A-Z][a-z]+/g)) names.add(m[0].toLowerCase());
  const nWord = new Map();
  const nTarget = new Map();
  const nPair = new Map();
  for (const q of queries) {
    // Only plain words, as the ranker applies them: quoted text and chunks with `/`, `.`, `_`,
    // `-`, `@`, `#` or digits are values (`acme/api`, `support.tickets`, `release-2.4`).
    let words = new Set(tokenize(plainWords(q.query)).filter((w) => w.length > 1 && !isStopword(w) && !names.has(w)).map(stem));
    // Only words the wanted tool's own text lacks: the gaps associations are for.
    if (gapOnly) words = new Set([...words].filter((w) => !q.expected.some((e) => docWords.get(e)?.has(w))));
    const targets = new Set(q.expected.flatMap((e) => nameWords.get(e) ?? []));
    for (const t of targets) nTarget.set(t, (nTarget.get(t) ?? 0) + 1);
    for (const w of words) {
      nWord.set(w, (nWord.get(w) ?? 0) + 1);
      for (const t of targets) {
        if (t === w) continue;
        const key = `${w} ${t}`;
        nPair.set(key, (nPair.get(key) ?? 0) + 1);
      }
    }
  }
  const out = new Map();
  for (const [key, count] of nPair) {
    const [w, t] = key.split(' ');
    const n = nWord.get(w);
    if (n < minQueries || count < minQueries) continue;
    const share = count / n;
    const lift = share / (nTarget.get(t) / queries.length);
    if (share < minShare || lift < minLift) continue;
    if (!out.has(w)) out.set(w, []);
    out.get(w).push([t, Number(share.toFixed(2))]);
  }
  for (const [w, list] of out) out.set(w, list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, perWord));
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
