// Tool search ranking: tokeniser and stemmer tables, ranking tables over the real tool lists
// recorded in bench/fixtures/tools, regressions that only the mcpx-specific features answer, the
// SearchIndex contract, and a CPU-time bound at 5,000 tools.
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {bm25Baseline, createSearchIndex as createShippedIndex, DEFAULT_TUNING, keywordBaseline, MIN_MATCH, noMatch, RELATIVE_CUTOFF, serverCoverage, stem, tokenize, type ToolDoc} from '../../src/proxy/search.js';
import {loadAssociations} from '../../src/proxy/search/associations.js';

/**
 * Indexes over small made-up catalogs test one mechanism each, so they leave out the word
 * associations learned from the real catalog's labelled queries and the relative cut-off (which
 * would hide the weaker hits whose scores they compare; "honest results" tests it); the real
 * catalog's index (`index`, `top`) and the 5,000-tool index use the shipped ranker.
 */
const createSearchIndex = (docs: readonly ToolDoc[], tuning = DEFAULT_TUNING): ReturnType<typeof createShippedIndex> => createShippedIndex(docs, {...tuning, cutoff: 0}, new Map());

const fixtureDir = path.resolve(import.meta.dirname, '../../bench/fixtures/tools');

function loadTools(): ToolDoc[] {
  const tools: ToolDoc[] = [];
  for (const file of fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.json')).sort()) {
    const fixture = JSON.parse(fs.readFileSync(path.join(fixtureDir, file), 'utf8')) as {
      server: string;
      tools: {name: string; title?: string; description?: string; inputSchema?: Record<string, unknown>}[];
    };
    for (const t of fixture.tools) {
      tools.push({name: `${fixture.server}__${t.name}`, server: fixture.server, tool: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema});
    }
  }
  return tools;
}

const tools = loadTools();
const index = createShippedIndex(tools);
const top = (query: string, limit = 3): string[] => index.search(query, limit).map((h) => h.tool.name);
/** The recorded tools without learned associations. */
const plainIndex = createSearchIndex(tools);

/** A made-up tool of server `s` (or `server`), for the small catalogs below. */
const toolDoc = (tool: string, description: string, server = 's'): ToolDoc => ({name: `${server}__${tool}`, server, tool, description});
/** The tool a small catalog ranks first for `query` (no associations). */
const first = (docs: ToolDoc[], query: string): string | undefined => createSearchIndex(docs).search(query, 1)[0]?.tool.tool;

describe('tokenize', () => {
  it.each([
    ['getFileContents', ['get', 'file', 'contents']],
    ['list_directory_with_sizes', ['list', 'directory', 'with', 'sizes']],
    ['get-library-docs', ['get', 'library', 'docs']],
    ['API-retrieve-a-page', ['api', 'retrieve', 'a', 'page']],
    ['HTTPServer2Go', ['http', 'server', '2', 'go']],
    ['base64 encoded', ['base', '64', 'encoded']],
    ['  what\'s in notes.txt?  ', ['what', 's', 'in', 'notes', 'txt']],
    ['', []],
  ])('%j -> %j', (input, expected) => {
    expect(tokenize(input)).toEqual(expected);
  });
});

describe('stem', () => {
  it.each([
    [['list', 'lists', 'listing', 'listed']],
    [['create', 'creates', 'creating', 'created', 'creation']],
    [['search', 'searches', 'searching', 'searched']],
    [['delete', 'deletes', 'deleting', 'deleted', 'deletion']],
    [['repository', 'repositories']],
    [['directory', 'directories']],
    [['navigate', 'navigating', 'navigation']],
    [['query', 'queries', 'querying']],
    [['branch', 'branches']],
    [['file', 'files']],
  ])('word forms of %j share one stem', (forms) => {
    expect(new Set(forms.map(stem)).size).toBe(1);
  });

  it.each(['string', 'status', 'kubernetes', 'process', 'address', 'thing'])('leaves %j alone', (word) => {
    expect(stem(word)).toBe(word);
  });

  it('keeps unrelated words apart', () => {
    expect(stem('list')).not.toBe(stem('lost'));
    expect(stem('page')).not.toBe(stem('pages2'));
  });
});

describe('ranking over recorded tools', () => {
  it('has the recorded corpus to rank', () => {
    expect(tools.length).toBeGreaterThan(150);
  });

  it.each([
    ['post a message to slack', 'slack__slack_post_message'],
    ['show the thread replies', 'slack__slack_get_thread_replies'],
    ['directions between two points', 'google-maps__maps_directions'],
    ['geocode an address', 'google-maps__maps_geocode'],
    ['retrieve a notion block', 'notion__API-retrieve-a-block'],
    ['kubectl scale', 'kubernetes__kubectl_scale'],
    ['remove a helm chart', 'kubernetes__uninstall_helm_chart'],
    ['insert documents into mongo', 'mongodb__insert-many'],
    ['searching repositories', 'github__search_repositories'],
    ['k8s pod logs', 'kubernetes__kubectl_logs'],
    ['brave web search', 'brave-search__brave_web_search'],
    ['context7 docs', 'context7__query-docs'],
  ])('%j ranks %s first', (query, expected) => {
    expect(top(query)[0]).toBe(expected);
  });

  it.each([
    ['github create issue', 'github__create_issue'],
    ['gitlab create issue', 'gitlab__create_issue'],
    ['open a merge request in gitlab', 'gitlab__create_merge_request'],
    ['take a screenshot with puppeteer', 'puppeteer__puppeteer_screenshot'],
  ])('a server named in the query wins: %j -> %s', (query, expected) => {
    expect(top(query)[0]).toBe(expected);
  });

  it.each([
    ['maps_geocode', 'google-maps__maps_geocode'],
    ['browser_take_screenshot', 'playwright__browser_take_screenshot'],
    ['read-graph', 'memory__read_graph'],
    ['gitlab__create_issue', 'gitlab__create_issue'],
    ['github__create_issue', 'github__create_issue'],
  ])('an exact tool or namespaced name %j ranks that tool first', (query, expected) => {
    expect(top(query)[0]).toBe(expected);
  });

  // Each of these is answered by one mcpx feature and missed by plain BM25, so removing the
  // feature (stemming, synonyms, identifier splitting, aliases) fails the test.
  it.each([
    ['synonym erase -> delete', 'erase an entity from the knowledge graph', 'memory__delete_entities'],
    ['plural screenshots -> screenshot', 'screenshots', 'puppeteer__puppeteer_screenshot'],
    ['word form forking -> fork', 'forking a repository', 'github__fork_repository'],
    ['nominalisation creation -> create', 'creation of a branch', 'github__create_branch'],
    ['camelCase query', 'browserTakeScreenshot', 'playwright__browser_take_screenshot'],
    ['shell alias mkdir', 'mkdir', 'filesystem__create_directory'],
  ])('%s: %j -> %s, where plain BM25 fails', (_feature, query, expected) => {
    expect(top(query)[0]).toBe(expected);
    expect(bm25Baseline(tools).search(query, 1)[0]?.tool.name).not.toBe(expected);
  });

  // Second round: question phrasings, file names, domain words, ambiguous synonyms and name
  // coverage over the words that tell a server's tools apart. Plain BM25 misses each.
  it.each([
    ['"how many" asks for a count', 'how many documents does the users collection hold', 'mongodb__count'],
    ['"which <things> are there" asks for a listing', 'which databases are there on this mongodb server', 'mongodb__list-databases'],
    ['a file name means a file', 'rename draft.md to final.md', 'filesystem__move_file'],
    ['domain words: sea level -> elevation', 'how high above sea level is Denver', 'google-maps__maps_elevation'],
    ['domain words: space -> storage size', 'how much space does the orders collection take', 'mongodb__collection-storage-size'],
    ['name words shared by all of a server\'s tools do not count', 'get notion page', 'notion__API-retrieve-a-page'],
    ['a synonym-table word is not split as a compound (forget, not for + get)', 'forget an entity', 'memory__delete_entities'],
    ['the phrasal verb "look up" means search', 'look up nodes about Bob in memory', 'memory__search_nodes'],
    ['the phrasal verb "add up" means sum', 'add up the total of 3 and 4', 'everything__get-sum'],
    ['word family: everyone -> users', 'list everyone in the notion workspace', 'notion__API-get-users'],
    ['word family: fields -> schema', 'what fields do documents in the users collection have', 'mongodb__collection-schema'],
  ])('%s: %j -> %s, where plain BM25 fails', (_feature, query, expected) => {
    expect(top(query)[0]).toBe(expected);
    expect(bm25Baseline(tools).search(query, 1)[0]?.tool.name).not.toBe(expected);
  });

  it.each([
    ['kill -> stop', 'kill the port forward', 'kubernetes__stop_port_forward'],
    ['nuke -> delete', 'nuke the mongo database', 'mongodb__drop-database'],
    ['tweak -> update', 'tweak a notion block', 'notion__API-update-a-block'],
  ])('common verbs (%s): %j -> %s', (_family, query, expected) => {
    // The synonym table alone: learned associations (`kill` also goes with port and forward in
    // the labelled queries) are not what this checks.
    expect(plainIndex.search(query, 1)[0]?.tool.name).toBe(expected);
  });

  it.each([
    ['a comparative is its adjective (bigger -> big -> resize)', 'make the browser window bigger', 'playwright__browser_resize'],
    ['word family: reachable -> ping', 'is the cluster reachable', 'kubernetes__ping'],
    ['"where is" asks for a location; the name Big Ben is a value', 'where is Big Ben', 'google-maps__maps_search_places'],
  ])('%s: %j -> %s', (_what, query, expected) => {
    expect(top(query)[0]).toBe(expected);
  });

  it('reads a run of capitalised words as a name, not as requests (New York does not ask to create)', () => {
    const docs: ToolDoc[] = [
      ['create_city', 'Create a city record'],
      ['get_weather', 'Weather forecast for a city'],
      ['list_cities', 'List cities'],
      ['delete_city', 'Delete a city'],
    ].map(([tool, description]) => ({name: `s__${tool}`, server: 's', tool: tool!, description}));
    const idx = createSearchIndex(docs);
    expect(idx.search('weather in New York').map((h) => h.tool.tool)).toEqual(['get_weather']);
    // `City` names a tool word (create_city) and stays, but `New` no longer asks to create.
    expect(idx.search('forecast for New York City', 1)[0]!.tool.tool).toBe('get_weather');
  });

  it('keeps capitalised words that name tools or servers', () => {
    expect(top('list open Pull Requests')[0]).toBe('github__list_pull_requests');
    expect(top('Google Maps directions to Long Beach')[0]).toBe('google-maps__maps_directions');
  });

  it('reads grab as get, a read, not a change', () => {
    expect(top('grab the contents of a notion page')[0]).toMatch(/^notion__API-retrieve-/);
  });

  it('reads the phrasal verb "pull ... out" as extract, where plain BM25 fails', () => {
    // exa's web_fetch (fetch a page's text) answers this as well and may come first.
    const query = 'pull out the main text of a web page';
    expect(top(query, 2)).toContain('tavily__tavily_extract');
    expect(bm25Baseline(tools).search(query, 2).map((h) => h.tool.name)).not.toContain('tavily__tavily_extract');
  });

  it('reads a file name as "a file", not as the words of the name, where plain BM25 fails', () => {
    const query = 'print observations.txt';
    expect(['filesystem__read_text_file', 'filesystem__read_file']).toContain(top(query)[0]);
    expect(bm25Baseline(tools).search(query, 1)[0]?.tool.name).toBe('memory__delete_observations');
  });

  it('does not take a common word in a server name for a mention of that server', () => {
    // `map` is a word of google-maps, but tavily_map is named by it too. (The URL is a value and
    // adds no words, so map tools may follow further down, but at a fraction of the score.)
    const hits = index.search('map out the links of example.com', 5);
    expect(hits[0]!.tool.name).toBe('tavily__tavily_map');
    expect(hits.slice(0, 2).filter((h) => h.tool.server === 'google-maps')).toEqual([]);
    for (const h of hits.filter((x) => x.tool.server === 'google-maps')) expect(h.score).toBeLessThan(hits[0]!.score / 2);
    // Naming the server fully still prefers its tools.
    expect(top('google maps geocode')[0]).toBe('google-maps__maps_geocode');
  });

  it('splits an unknown compound query word into indexed words', () => {
    expect(top('sitemap of a website')[0]).toBe('tavily__tavily_map');
  });

  it('counts several words for one idea once', () => {
    // "make", "new" and "build" all mean create; the folder tool must still be found.
    expect(top('make a new folder named output', 5)).toContain('filesystem__create_directory');
  });
});

describe('SearchIndex contract', () => {
  it('returns at most limit hits, best first, all with positive scores', () => {
    const hits = index.search('list files in a directory', 5);
    expect(hits).toHaveLength(5);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    for (const h of hits) expect(h.score).toBeGreaterThan(0);
  });

  it('defaults to ten hits', () => {
    expect(index.search('get')).toHaveLength(10);
  });

  it('returns nothing for empty, stopword-only or unknown queries and for an empty catalog', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('the of and to')).toEqual([]);
    expect(index.search('zzqxv')).toEqual([]);
    expect(createSearchIndex([]).search('anything')).toEqual([]);
    expect(index.search('list files', 0)).toEqual([]);
  });

  it('reports its size and leaves no state between searches', () => {
    expect(index.size).toBe(tools.length);
    const first = index.search('delete a pod', 5);
    index.search('send a slack message', 5);
    expect(index.search('delete a pod', 5)).toEqual(first);
  });

  it('tolerates tools without description or schema', () => {
    const bare = createSearchIndex([{name: 's__archive_logs', server: 's', tool: 'archive_logs'}]);
    expect(bare.search('archive the logs').map((h) => h.tool.name)).toEqual(['s__archive_logs']);
  });

  it('baselines answer the same interface', () => {
    expect(bm25Baseline(tools).search('slack post message', 1)[0]?.tool.name).toBe('slack__slack_post_message');
    expect(keywordBaseline(tools).search('slack', 3)).toHaveLength(3);
  });
});

describe('speed', () => {
  // CPU time, not wall time: other processes on a busy CI machine must not fail these tests.
  const cpuMs = (fn: () => void): number => {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  const big: ToolDoc[] = [];
  for (let copy = 0; big.length < 5000; copy++) {
    for (const t of tools) big.push({...t, server: `${t.server}-${copy}`, tool: `${t.tool}_v${copy}`, name: `${t.server}-${copy}__${t.tool}_v${copy}`});
  }
  const bigIndex = createShippedIndex(big.slice(0, 5000));

  it('answers a typical search over 5,000 tools in under 5 ms of CPU time (median of the labelled queries)', () => {
    const labelled = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../bench/search/queries.json'), 'utf8')) as Array<{query: string}>;
    const queries = labelled.slice(0, 60).map((q) => q.query);
    for (const q of queries) bigIndex.search(q);
    // Each query's best of three runs, so a preemption does not count as search work.
    const times = queries.map((q) => Math.min(...[0, 1, 2].map(() => cpuMs(() => bigIndex.search(q))))).sort((x, y) => x - y);
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(5);
  });

  it('stays bounded on broad queries that hit every copy of a server', () => {
    const queries = ['list files in a directory', 'create a github issue', 'take a screenshot of the page', 'delete a kubernetes pod', 'search the web for news'];
    for (const q of queries) bigIndex.search(q);
    const perSearchMs = cpuMs(() => {
      for (let i = 0; i < 5; i++) for (const q of queries) bigIndex.search(q);
    }) / (5 * queries.length);
    expect(perSearchMs).toBeLessThan(25);
  });
});

// Round 3: general mechanisms, each shown on a small catalog where the query fails without it.
describe('round 3 mechanisms', () => {
  const doc = (tool: string, description: string, params: Record<string, string> = {}): ToolDoc => ({
    name: `s__${tool}`,
    server: 's',
    tool,
    description,
    inputSchema: {type: 'object', properties: Object.fromEntries(Object.entries(params).map(([k, d]) => [k, {type: 'string', description: d}]))},
  });

  it('reads a URL as a link, not as the words of its host and path', () => {
    const docs = [doc('navigate', 'Navigate to a URL'), doc('search_docs', 'Search the example docs on the site')];
    expect(first(docs, 'visit https://example.com/docs/search')).toBe('navigate');
    expect(first(docs, 'visit example.com/docs/search')).toBe('navigate');
  });

  it('reads a glob as a file', () => {
    const docs = [doc('search_files', 'Find files whose names match a pattern'), doc('read_logs', 'Read the log output of a pod')];
    expect(first(docs, 'find every *.log')).toBe('search_files');
  });

  it('ignores the words of quoted text, unless the quotes hold the whole request', () => {
    const docs = [doc('wait_for', 'Wait for text to appear on the page'), doc('delete_file', 'Delete a file')];
    expect(first(docs, 'wait until "delete file" shows')).toBe('wait_for');
    expect(first(docs, '"delete file"')).toBe('delete_file');
    expect(first(docs, '"delete a file" please')).toBe('delete_file');
  });

  it('reads "how long" as a duration and "go to" as navigate', () => {
    const docs = [doc('travel_time', 'Estimated travel duration between places'), doc('long_task', 'Start a long running task')];
    expect(first(docs, 'how long between two places')).toBe('travel_time');
    const browser = [doc('navigate', 'Open a URL in the browser'), doc('go_back', 'Go back to the previous page')];
    expect(first(browser, 'go to the settings page')).toBe('navigate');
  });

  it('joins a word and its particle into a known compound (mouse over -> mouseover -> hover)', () => {
    const docs = [doc('hover', 'Hover over an element'), doc('select_option', 'Select an option in a menu')];
    expect(first(docs, 'mouse over the menu')).toBe('hover');
  });
});

describe('operation model', () => {
  const catalog: ToolDoc[] = [
    ['get_issue', 'Get an issue'],
    ['update_issue', 'Update an issue: title, body, state or labels'],
    ['create_index', 'Create an index on a collection'],
    ['collection_indexes', 'Describe the indexes of a collection'],
    ['edit_file', 'Edit a file by replacing lines'],
    ['get_file_info', 'Get file metadata. It holds the size and last modified time'],
    ['create_branch', 'Create a branch'],
    ['delete_branch', 'Delete a branch'],
  ].map(([tool, description]) => ({name: `s__${tool}`, server: 's', tool: tool!, description}));
  const withOps = createSearchIndex(catalog);
  const withoutOps = createSearchIndex(catalog, {...DEFAULT_TUNING, opCross: 1, opSibling: 1});
  const first = (idx: ReturnType<typeof createSearchIndex>, query: string): string | undefined => idx.search(query, 1)[0]?.tool.tool;

  it.each([
    ['close is a change, not a read', 'close the stale issue', 'update_issue', 'get_issue'],
    ['a question asks to read', 'is there an index on email', 'collection_indexes', 'create_index'],
    ['a participle is not a request ("was modified")', 'when was the file last modified', 'get_file_info', 'edit_file'],
  ])('%s: %j -> %s (without the operation model: %s)', (_what, query, expected, without) => {
    expect(first(withOps, query)).toBe(expected);
    expect(first(withoutOps, query)).toBe(without);
  });

  it('ranks a different kind of change lower, a read lower still', () => {
    const score = (idx: ReturnType<typeof createSearchIndex>, query: string, tool: string): number =>
      idx.search(query, 10).find((h) => h.tool.tool === tool)!.score;
    const ratio = (query: string, tool: string): number => score(withOps, query, tool) / score(withoutOps, query, tool);
    expect(ratio('delete the branch', 'delete_branch')).toBeCloseTo(1);
    expect(ratio('delete the branch', 'create_branch')).toBeCloseTo(DEFAULT_TUNING.opSibling);
    expect(ratio('update the issue', 'get_issue')).toBeCloseTo(DEFAULT_TUNING.opCross);
    // A query without a verb or question says nothing about the operation.
    expect(ratio('issue', 'get_issue')).toBeCloseTo(1);
  });
});

describe('coordination and quantities', () => {

  it('scales a tool by the share of the query words it matches at all', () => {
    const docs = [toolDoc('alpha_beta', 'Alpha and beta'), toolDoc('alpha', 'Alpha only'), toolDoc('gamma', 'Gamma'), toolDoc('delta', 'Delta')];
    const on = createSearchIndex(docs);
    const off = createSearchIndex(docs, {...DEFAULT_TUNING, coordination: 0});
    const ratio = (tool: string): number =>
      on.search('alpha beta').find((h) => h.tool.tool === tool)!.score / off.search('alpha beta').find((h) => h.tool.tool === tool)!.score;
    expect(ratio('alpha_beta')).toBeCloseTo(1);
    // alpha matches one of two equally rare words: 1 - c + c / 2.
    expect(ratio('alpha')).toBeCloseTo(1 - DEFAULT_TUNING.coordination / 2, 1);
    expect(ratio('alpha')).toBeLessThan(1);
  });

  it('reads three or more things, or "at once", as several at a time', () => {
    const docs = [toolDoc('read_file', 'Read a file'), toolDoc('read_multiple_files', 'Read several files in one call'), toolDoc('write_file', 'Write a file'), toolDoc('list_files', 'List the files of a directory')];
    const idx = createSearchIndex(docs);
    expect(idx.search('read config files', 1)[0]!.tool.tool).toBe('read_file');
    expect(idx.search('read three config files', 1)[0]!.tool.tool).toBe('read_multiple_files');
    expect(idx.search('read the config files at once', 1)[0]!.tool.tool).toBe('read_multiple_files');
  });
});

describe('the verb "file"', () => {
  const docs: ToolDoc[] = [
    ['create_issue', 'Create a new issue in a repository'],
    ['add_issue_comment', 'Add a comment to an existing issue'],
    ['get_issue_attachment', 'Get the attached file of an issue'],
    ['read_file', 'Read a file'],
  ].map(([tool, description]) => ({name: `s__${tool}`, server: 's', tool: tool!, description}));
  const idx = createSearchIndex(docs);

  it('means create only as "file a/an ..."; the noun file is not a synonym of create', () => {
    expect(idx.search('file a bug report', 1)[0]!.tool.tool).toBe('create_issue');
    const hits = idx.search('the file of issue 7', 2).map((h) => h.tool.tool);
    expect(hits).toContain('get_issue_attachment');
    expect(hits).not.toContain('create_issue');
  });
});

describe('description fields', () => {
  const doc = (tool: string, description: string, params: Record<string, string> = {}): ToolDoc => ({
    name: `s__${tool}`,
    server: 's',
    tool,
    description,
    inputSchema: {type: 'object', properties: Object.fromEntries(Object.entries(params).map(([k, d]) => [k, {type: 'string', description: d}]))},
  });
  const withWeights = (docs: ToolDoc[], summary: number, params: number) => {
    const fieldWeight = [...DEFAULT_TUNING.fieldWeight];
    fieldWeight[5] = summary;
    fieldWeight[6] = params;
    return createSearchIndex(docs, {...DEFAULT_TUNING, fieldWeight});
  };

  it('counts the first sentence of a description (what the tool does) over later usage notes', () => {
    const docs = [
      doc('export_report', 'Export a report. Draws the charts of the report.'),
      doc('render', 'Draw a chart from the rows of a table given as a list of records with named columns, types and units'),
      doc('x', 'Other thing'),
      doc('y', 'Another thing'),
    ];
    expect(createSearchIndex(docs).search('draw a chart', 1)[0]!.tool.tool).toBe('render');
    expect(withWeights(docs, 0, DEFAULT_TUNING.fieldWeight[6]!).search('draw a chart', 1)[0]!.tool.tool).toBe('export_report');
  });

  it('counts words of parameter descriptions less than words of the tool description', () => {
    const docs = [
      doc('send_message', 'Send a message to a channel', {text: 'The message text'}),
      doc('create_channel', 'Create a channel', {topic: 'Topic; members are sent a message when it changes'}),
    ];
    const on = createSearchIndex(docs);
    const even = withWeights(docs, DEFAULT_TUNING.fieldWeight[5]!, DEFAULT_TUNING.fieldWeight[3]!);
    const score = (idx: ReturnType<typeof createSearchIndex>, tool: string): number => idx.search('message', 5).find((h) => h.tool.tool === tool)!.score;
    expect(score(on, 'create_channel')).toBeLessThan(score(even, 'create_channel'));
  });
});

describe('general and specific siblings', () => {
  const docs: ToolDoc[] = [
    ['read_file', 'Read the complete contents of a file from the file system, as text in the given encoding'],
    ['read_media_file', 'Read a media file'],
    ['write_file', 'Write a file'],
    ['list_directory', 'List a directory'],
  ].map(([tool, description]) => ({name: `s__${tool}`, server: 's', tool: tool!, description}));
  const on = createSearchIndex(docs);
  const off = createSearchIndex(docs, {...DEFAULT_TUNING, specificMiss: 1});
  const ratio = (query: string, tool: string): number =>
    on.search(query).find((h) => h.tool.tool === tool)!.score / off.search(query).find((h) => h.tool.tool === tool)!.score;

  it('ranks the more specific sibling lower unless the query asks for what makes it specific', () => {
    expect(ratio('read a file from disk', 'read_media_file')).toBeCloseTo(DEFAULT_TUNING.specificMiss);
    expect(ratio('read a file from disk', 'read_file')).toBeCloseTo(1);
    // `audio` is of the media family: the query asks for the specific tool.
    expect(ratio('read an audio file', 'read_media_file')).toBeCloseTo(1);
  });

  it('prefers geocode over reverse geocode when the query does not ask to reverse', () => {
    expect(top('get latitude and longitude for 10 Downing Street')[0]).toBe('google-maps__maps_geocode');
  });
});

describe('operation words', () => {
  const docs: ToolDoc[] = [
    ['create_relations', 'Create relations between entities'],
    ['delete_entities', 'Delete entities and their relations'],
    ['delete_relations', 'Delete relations'],
    ['read_graph', 'Read the graph'],
  ].map(([tool, description]) => ({name: `s__${tool}`, server: 's', tool: tool!, description}));
  const on = createSearchIndex(docs);
  const off = createSearchIndex(docs, {...DEFAULT_TUNING, opCross: 1, opSibling: 1});
  const ratio = (query: string, tool: string): number =>
    on.search(query).find((h) => h.tool.tool === tool)!.score / off.search(query).find((h) => h.tool.tool === tool)!.score;

  it('reads link as a request to create', () => {
    expect(ratio('link two entities', 'create_relations')).toBeCloseTo(1);
    expect(ratio('link two entities', 'delete_entities')).toBeCloseTo(DEFAULT_TUNING.opSibling);
  });

  it('counts only base forms as requests: the noun relation is not the verb relate', () => {
    expect(ratio('drop a relation between entities', 'delete_relations')).toBeCloseTo(1);
    expect(ratio('drop a relation between entities', 'create_relations')).toBeCloseTo(DEFAULT_TUNING.opSibling);
  });
});

describe('words implied by a question', () => {
  const docs: ToolDoc[] = [
    ['count', 'Count documents in a collection'],
    ['list_pods', 'List pods of the cluster'],
    ['get_pod', 'Get a pod'],
    ['delete_pod', 'Delete a pod'],
  ].map(([tool, description]) => ({name: `s__${tool}`, server: 's', tool: tool!, description}));

  it('counts the words a phrasing implies ("how many" -> count, list) less than typed words', () => {
    const on = createSearchIndex(docs);
    const typed = createSearchIndex(docs, {...DEFAULT_TUNING, inferred: 1});
    const score = (idx: ReturnType<typeof createSearchIndex>, tool: string): number => idx.search('how many pods are there').find((h) => h.tool.tool === tool)!.score;
    expect(score(on, 'count')).toBeLessThan(0.75 * score(typed, 'count'));
    const hits = on.search('how many pods are there', 2).map((h) => h.tool.tool);
    expect(hits).toEqual(['list_pods', 'count']);
    expect(on.search('count the pods', 1)[0]!.tool.tool).toBe('count');
  });
});

describe('round 4 mechanisms', () => {

  it('keeps station apart from stat and a plural acronym whole', () => {
    expect(stem('station')).not.toBe(stem('stats'));
    expect(stem('deletion')).toBe(stem('delete'));
    expect(tokenize('which PRs and URLs')).toEqual(['which', 'prs', 'and', 'urls']);
  });

  it('reads a shell word that is also English (touch) as a command only first in the query', () => {
    const docs = [toolDoc('create_file', 'Create a new file'), toolDoc('get_changed_files', 'Get the files a commit changed'), toolDoc('get_alpha', 'Get alpha'), toolDoc('get_beta', 'Get beta')];
    expect(first(docs, 'which files did the commit touch?')).toBe('get_changed_files');
    expect(first(docs, 'touch notes.txt')).toBe('create_file');
  });

  it('reads has/did questions as reads and never takes save or record for delete', () => {
    const docs = [toolDoc('create_review', 'Create a review on a pull request'), toolDoc('get_reviews', 'Get the reviews on a pull request')];
    expect(first(docs, 'has anyone approved pull request 56?')).toBe('get_reviews');
    const store = [toolDoc('create_note', 'Create a note'), toolDoc('delete_note', 'Delete a note')];
    const on = createSearchIndex(store);
    const off = createSearchIndex(store, {...DEFAULT_TUNING, opCross: 1, opSibling: 1});
    const score = (idx: ReturnType<typeof createSearchIndex>, tool: string): number => idx.search('save a note').find((h) => h.tool.tool === tool)!.score;
    expect(score(on, 'delete_note') / score(off, 'delete_note')).toBeCloseTo(DEFAULT_TUNING.opSibling);
    expect(score(on, 'create_note') / score(off, 'create_note')).toBeCloseTo(1);
  });

  it('reads coordinates, a radius, a #channel and code as values', () => {
    expect(first([toolDoc('calculate', 'Calculate with decimals such as 48.8584 or 2.2945'), toolDoc('reverse_geocode', 'Find the address at coordinates')], 'what is at 48.8584, 2.2945?')).toBe('reverse_geocode');
    expect(first([toolDoc('measure_distance', 'Distance in km between two points'), toolDoc('search_nearby', 'Search places nearby')], 'cafes within 2 km')).toBe('search_nearby');
    expect(first([toolDoc('read_general_settings', 'Read the general settings'), toolDoc('read_channel', 'Read a channel')], 'read #general')).toBe('read_channel');
    expect(first([toolDoc('get_document_title', 'Get the title of a document'), toolDoc('evaluate', 'Evaluate JavaScript in the page')], 'run document.title')).toBe('evaluate');
  });

  it('reads a directory path as a directory and owner/name after a preposition as a repository', () => {
    expect(first([toolDoc('query_docs', 'Query the docs'), toolDoc('list_directory', 'List a directory')], "what's in ./docs/?")).toBe('list_directory');
    // Without a final slash a path may name a file as well: it says only "a path".
    expect(first([toolDoc('list_hosts', 'List the hosts'), toolDoc('read_file', 'Read the file at a path')], 'read /etc/hosts')).toBe('read_file');
    expect(first([toolDoc('add_reaction', 'React with an emoji to an issue'), toolDoc('list_issues', 'List issues of a repository')], 'issues in facebook/react')).toBe('list_issues');
  });

  it('reads a glob as a file pattern and an image file name as an image', () => {
    expect(first([toolDoc('find', 'Find documents in a collection'), toolDoc('search_files', 'Search for files matching a pattern')], 'find every *.test.ts')).toBe('search_files');
    expect(first([toolDoc('read_file', 'Read a text file'), toolDoc('read_media_file', 'Read an image or audio file')], 'load assets/logo.png')).toBe('read_media_file');
  });

  it('drops what the query says it does not want', () => {
    const docs = [toolDoc('snapshot', 'Take a snapshot of the page'), toolDoc('find', 'Find an element on the page')];
    expect(first(docs, 'locate the element without the page snapshot')).toBe('find');
  });

  it('reads phrasal verbs of removal and of showing', () => {
    expect(first([toolDoc('list_resources', 'List resources'), toolDoc('cleanup', 'Clean up resources')], 'tear down the resources')).toBe('cleanup');
    expect(first([toolDoc('merge_pull_request', 'Merge a pull request'), toolDoc('show_nodes', 'Show nodes')], 'pull up Dana')).toBe('show_nodes');
  });

  it('knows more word families: response/reply, every/each/many', () => {
    const filler = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((w) => toolDoc(`get_${w}`, `Get the ${w}`));
    expect(first([toolDoc('get_users', 'Get users'), ...filler, toolDoc('get_thread_replies', 'Get the replies of a thread')], 'read all responses')).toBe('get_thread_replies');
    expect(first([toolDoc('update_document', 'Update a document'), toolDoc('update_document_many', 'Update documents')], 'update each document')).toBe('update_document_many');
  });

  it('keeps a camelCase word the catalog knows whole (MongoDB is not mongo + db)', () => {
    const docs = [toolDoc('aggregate-db', 'Run an aggregation against a database', 'mongodb'), toolDoc('update-many', 'Update all documents that match a filter', 'mongodb')];
    expect(first(docs, 'set status on every order in MongoDB')).toBe('update-many');
  });

  it('reads capitalised words after called/named as a name and open/closed inside a clause as a state', () => {
    expect(first([toolDoc('read_list', 'Read a list'), toolDoc('create_database', 'Create a database')], 'a database called Reading List')).toBe('create_database');
    expect(first([toolDoc('open_nodes', 'Open nodes'), toolDoc('list_pull_requests', 'List pull requests')], 'which pull requests are open?')).toBe('list_pull_requests');
    // "open source" is a word of its own, not a state.
    expect(top('find open source repositories about vector databases', 5)).toContain('github__search_repositories');
  });

  it('prefers the converter that gives what the query asks for over the one that takes it', () => {
    // Names that favour neither: only the descriptions' direction tells the two apart.
    const docs = [toolDoc('coordinate_lookup', 'Convert an address into coordinates'), toolDoc('address_lookup', 'Convert coordinates into an address')];
    expect(first(docs, 'what street address is at these coordinates')).toBe('address_lookup');
    expect(first(docs, 'coordinates of 10 Downing Street')).toBe('coordinate_lookup');
    expect(first(docs, 'turn this coordinate into an address')).toBe('address_lookup');
    // And over the recorded tools, against the prior for the general sibling (geocode).
    expect(top('what street address is at 40.7128, -74.0060', 1)).toEqual(['google-maps__maps_reverse_geocode']);
  });
});

describe('round 5 mechanisms', () => {

  it('reads the verbs inside an opening question as what happened, a request after its question mark as a request', () => {
    const docs = [toolDoc('create_review', 'Create a review on a pull request'), toolDoc('get_reviews', 'Get the reviews on a pull request')];
    // `approve` and `request` (base forms) would ask to change; inside the question they do not.
    expect(first(docs, 'did anyone approve or request changes on pull request 9?')).toBe('get_reviews');
    expect(first(docs, 'is pull request 9 ready? approve it with a review')).toBe('create_review');
    // A question about how to do something keeps its verbs.
    const branches = [toolDoc('remove_branch', 'Remove a branch'), toolDoc('get_branch', 'Get a branch')];
    const on = createSearchIndex(branches);
    const off = createSearchIndex(branches, {...DEFAULT_TUNING, opCross: 1, opSibling: 1});
    const score = (idx: ReturnType<typeof createSearchIndex>, query: string): number => idx.search(query).find((h) => h.tool.tool === 'remove_branch')!.score;
    for (const query of ['is there a way to delete a branch?', 'which tool can delete a branch']) expect(score(on, query) / score(off, query)).toBeCloseTo(1);
    expect(score(on, 'which branches did the cleanup delete?') / score(off, 'which branches did the cleanup delete?')).toBeCloseTo(DEFAULT_TUNING.opCross);
  });

  it('reads identifiers and the name before a kind of thing as values', () => {
    expect(top('how much disk space is the clickstream collection taking up?', 1)).toEqual(['mongodb__collection-storage-size']);
    expect(top('wipe out the entire staging_test database in MongoDB', 1)).toEqual(['mongodb__drop-database']);
    expect(top('create a configmap app-config with LOG_LEVEL=debug', 1)).toEqual(['kubernetes__kubectl_create']);
    // A typed tool name is not a value.
    expect(top('read_multiple_files', 1)).toEqual(['filesystem__read_multiple_files']);
  });

  it('reads a verbless query naming things in the plural as a request to list them', () => {
    const docs = [toolDoc('update_issue', 'Update an issue in a repository'), toolDoc('get_issue', 'Get an issue of a repository'), toolDoc('list_issues', 'List the issues of a repository with filters')];
    expect(first(docs, 'github bug issues')).toBe('list_issues');
    // Not when a verb says what to do.
    expect(first(docs, 'edit bug issues')).toBe('update_issue');
  });

  it('tells running code from reading: a read request ranks a tool that executes lower', () => {
    expect(top('list pods in namespace payments', 1)).toEqual(['kubernetes__kubectl_get']);
    expect(top('execute ls in pod web-1', 1)).toEqual(['kubernetes__exec_in_pod']);
    // Running a query reads: no penalty for the tool that queries.
    const q = [toolDoc('query', 'Run a read-only SQL query'), toolDoc('exec_shell', 'Execute a shell command on the SQL server')];
    expect(first(q, 'run a SQL query')).toBe('query');
  });

  it('reads more values and phrasings: office files, two file names as several, plus as a sum, leaving a comment as adding one', () => {
    expect(top('when was report.docx last modified and how big is it?', 1)).toEqual(['filesystem__get_file_info']);
    expect(top('read package.json and tsconfig.json together', 1)).toEqual(['filesystem__read_multiple_files']);
    expect(top('read package.json', 1)).not.toEqual(['filesystem__read_multiple_files']);
    expect(top('what is 17 plus 25?', 1)).toEqual(['everything__get-sum']);
    expect(top("leave a comment 'reviewed' on a notion page", 1)).toEqual(['notion__API-create-a-comment']);
  });

  it('lets a word naming the server pick the server, not one of its tools whose description repeats the name', () => {
    const docs = [toolDoc('insert-many', 'Insert documents into a MongoDB collection', 'mongodb'), toolDoc('create-collection', 'Creates a new collection', 'mongodb')];
    expect(first(docs, 'mongo create collection audit_trail')).toBe('create-collection');
    expect(top('mongo collections in analytics db', 1)).toEqual(['mongodb__list-collections']);
  });

  it('drops a purpose clause ("so the dropdown shows up"): it says why, not what to do', () => {
    const docs = [toolDoc('type_text', 'Type text into an editable element'), toolDoc('select_option', 'Select an option in an autocomplete dropdown')];
    expect(first(docs, 'type the term so the autocomplete dropdown shows up')).toBe('type_text');
    // Not when the clause is all there is.
    expect(first(docs, 'so the dropdown opens')).toBe('select_option');
  });

  it('reads a SQL statement as a SQL query, closing an issue as an update and "who is in" as members', () => {
    expect(top('run select count(*) from users on postgres', 1)).toEqual(['postgres__query']);
    expect(top('select the Large option from the size dropdown', 1)).toEqual(['playwright__browser_select_option']);
    expect(top('close issue #42 in acme/api and mark it resolved', 1)).toEqual(['github__update_issue']);
    expect(top('close the browser', 1)).toEqual(['playwright__browser_close']);
    expect(top('who is in our slack workspace?', 1)).toEqual(['slack__slack_get_users']);
  });

  it('reads pointer phrasings and "how long does it take"', () => {
    expect(top('press the submit button', 1)).toEqual(['playwright__browser_click']);
    expect(top('press Escape', 1)).toEqual(['playwright__browser_press_key']);
    expect(top('move the mouse over the menu', 1)[0]).toMatch(/hover$/);
    expect(top('how long does it take to drive from Paris to Lyon', 1)[0]).toMatch(/^google-maps__/);
  });

  it('reads API calls as network requests', () => {
    const docs = [toolDoc('network_requests', 'List the network requests since loading the page'), toolDoc('run_code', 'Run code on the page')];
    expect(first(docs, 'which API calls did the page make')).toBe('network_requests');
  });
});

describe('round 6 mechanisms', () => {

  it('prefers the tool whose name has the noun in the number the query uses (one issue vs the issues)', () => {
    const docs = [toolDoc('list_issues', 'Issues of a repository'), toolDoc('get_issue', 'Issue of a repository')];
    expect(first(docs, 'show issue 12 of the repository')).toBe('get_issue');
    expect(first(docs, 'show the issues of the repository')).toBe('list_issues');
    expect(top('show issue #128 in facebook/react', 1)).toEqual(['github__get_issue']);
  });

  it('reads adding a part to an existing thing as an update of that thing too', () => {
    const docs = [toolDoc('update_page', 'Update a page'), toolDoc('create_page', 'Create a page')];
    const on = createSearchIndex(docs);
    const off = createSearchIndex(docs, {...DEFAULT_TUNING, opSibling: 1});
    const score = (idx: ReturnType<typeof createSearchIndex>, query: string): number => idx.search(query).find((h) => h.tool.tool === 'update_page')!.score;
    expect(score(on, 'add a paragraph at the end of my page') / score(off, 'add a paragraph at the end of my page')).toBeCloseTo(1);
    expect(score(on, 'add a paragraph to the page') / score(off, 'add a paragraph to the page')).toBeCloseTo(1);
    expect(score(on, 'add a new page') / score(off, 'add a new page')).toBeCloseTo(DEFAULT_TUNING.opSibling);
  });

  it('reads a camelCase word the catalog never writes (TypeScript, OpenSSL) as a name, not as its parts', () => {
    const docs = [toolDoc('open_nodes', 'Open nodes by name'), toolDoc('web_search', 'Search the web for news and pages')];
    expect(first(docs, 'what is the news about the latest OpenSSL vulnerability?')).toBe('web_search');
    expect(top('What is the news saying about the latest OpenSSL vulnerability?', 1)[0]).toMatch(/search/);
    // One the catalog writes (`TypeScript` below, `JavaScript` in the real lists) keeps its parts.
    const scripts = [toolDoc('type_text', 'Type text into a field'), toolDoc('run_script', 'Run a TypeScript script')];
    expect(first(scripts, 'TypeScript')).toBe('run_script');
    // So do plural acronyms.
    expect(top('which PRs in acme/webapp are still open against the release branch?', 1)).toEqual(['github__list_pull_requests']);
  });

  it('reads a server name of several parts typed as one word (context7) as that server, its parts matching only its tools', () => {
    const docs = [toolDoc('get_context', 'Get the current context', 'kube'), toolDoc('resolve-library-id', 'Resolve a package name to a library ID', 'context7'), toolDoc('get-docs', 'Get docs of a library', 'context7')];
    expect(first(docs, 'context7 id for mongoose')).toBe('resolve-library-id');
    expect(top('context7 id for mongoose', 1)).toEqual(['context7__resolve-library-id']);
    // The word alone still means what it says.
    expect(first(docs, 'show the context')).toBe('get_context');
  });

  it('drops what follows not / rather than / instead of, like without', () => {
    const docs = [toolDoc('aggregate', 'Run an aggregation pipeline against a collection'), toolDoc('aggregate_db', 'Run an aggregation pipeline against a whole database')];
    expect(first(docs, 'a pipeline for the whole database, not for one collection')).toBe('aggregate_db');
    expect(first(docs, 'a pipeline for the whole database rather than one collection')).toBe('aggregate_db');
    expect(top('a $documents pipeline over the whole analytics database, not against one collection', 1)).toEqual(['mongodb__aggregate-db']);
  });

  it("reads a tool name's operation off its base-form verbs only (delete_relations does not also relate/create)", () => {
    // Other tools, so that `relation` is a rare word worth looking up.
    const others = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'].map((w) => toolDoc(`get_${w}`, `Get the ${w} value`));
    const docs = [toolDoc('delete_relations', 'Delete relations'), toolDoc('create_relations', 'Create new relations between entities in the knowledge graph'), ...others];
    const on = createSearchIndex(docs);
    const off = createSearchIndex(docs, {...DEFAULT_TUNING, opSibling: 1});
    const score = (idx: ReturnType<typeof createSearchIndex>, query: string): number => idx.search(query).find((h) => h.tool.tool === 'delete_relations')!.score;
    expect(score(on, 'link alice to acme with a relation') / score(off, 'link alice to acme with a relation')).toBeCloseTo(DEFAULT_TUNING.opSibling);
    expect(top('link Alice to Acme with a works_at relation', 1)).toEqual(['memory__create_relations']);
  });

  it('reads everything/anything/nothing as pronouns, not as the server named everything, unless "server" follows', () => {
    const docs = [toolDoc('get-content', 'Returns sample content', 'everything'), toolDoc('delete_entities', 'Delete entities and their relations', 'memory')];
    expect(first(docs, 'forget zephyr entirely, along with everything connected to it')).toBe('delete_entities');
    expect(top('Forget project Zephyr entirely, along with everything connected to it')).toContain('memory__delete_entities');
    expect(top('Forget project Zephyr entirely, along with everything connected to it').some((name) => name.startsWith('everything__'))).toBe(false);
    expect(first(docs, 'give me sample content from the everything server')).toBe('get-content');
  });

  it('reads a kebab-case name after a preposition or its kind as a value (job migrate-db, in node-fetch)', () => {
    const docs = [toolDoc('drop_db', 'Drop a db', 'mongo'), toolDoc('delete_resource', 'Delete a resource such as a job or a pod', 'kube')];
    expect(first(docs, 'delete the job migrate-db')).toBe('delete_resource');
    expect(first(docs, 'delete the failed job migrate-db in namespace batch')).toBe('delete_resource');
    // Not a name the catalog uses, nor one naming a server.
    expect(first(docs, 'delete the job drop-db')).toBe('drop_db');
    expect(top('list all pods in kube-system', 3)).toContain('kubernetes__kubectl_get');
  });

  it('counts the topic after "about" less than what the request asks for', () => {
    const docs = [toolDoc('find', 'Find documents in a database collection'), toolDoc('search_repositories', 'Search for repositories')];
    const on = createSearchIndex(docs);
    const score = (query: string, tool: string): number => on.search(query).find((h) => h.tool.tool === tool)!.score;
    // The topic's words weigh half: `find` gains less from "databases" after "about" than before it.
    expect(score('find repositories about databases', 'find') / score('find databases repositories', 'find')).toBeLessThan(0.9);
    expect(top('find repositories about vector databases', 2)).toContain('github__search_repositories');
    // Not when the topic is all there is, nor "about why ...".
    expect(first(docs, 'about database documents')).toBe('find');
  });

  it('reads remember as a request to store', () => {
    const docs = [toolDoc('read_graph', 'Read the knowledge graph'), toolDoc('create_entities', 'Create entities such as a person in the knowledge graph')];
    expect(first(docs, 'remember alice as a person in the knowledge graph')).toBe('create_entities');
    expect(top('Remember Alice as a person and Acme as a company in the knowledge graph')).toContain('memory__create_entities');
    // A question about what is remembered still reads.
    expect(first(docs, 'what do you remember in the knowledge graph?')).toBe('read_graph');
  });

  it('reads "open <file name or path>" as reading the file', () => {
    const docs = [toolDoc('open_nodes', 'Open nodes by their names'), toolDoc('read_text_file', 'Read a text file from disk')];
    expect(first(docs, 'open src/index.ts')).toBe('read_text_file');
    expect(first(docs, 'open ~/notes')).toBe('read_text_file');
    expect(first(docs, 'open the nodes Alice and Bob')).toBe('open_nodes');
  });

  it('counts a known word naming a thing before its kind ("the batch namespace") at half weight, as a topic', () => {
    const docs = [toolDoc('delete_many', 'Delete many documents in one batch'), toolDoc('delete_resource', 'Delete a resource such as a cronjob in a namespace')];
    expect(first(docs, 'delete the cronjob old-report in the batch namespace')).toBe('delete_resource');
    expect(top('delete the cronjob old-report in the batch namespace', 1)).toEqual(['kubernetes__kubectl_delete']);
  });

  it('reads "the mouse is over ..." as hovering', () => {
    expect(top('the tooltip only shows while the cursor is over the icon', 1)[0]).toMatch(/hover$/);
  });

  it('reads "taking up space" as using space (not taking a screenshot) and disk usage as storage size', () => {
    expect(top('which folders in ~/Music take up the most space?', 1)).toEqual(['filesystem__list_directory_with_sizes']);
    expect(top('disk usage of the events collection', 1)).toEqual(['mongodb__collection-storage-size']);
  });

  it('reads "<request> to <verb> ..." as the request plus its purpose: the purpose counts half and its verb is not the request', () => {
    const docs = [toolDoc('close_page', 'Close the page'), toolDoc('press_key', 'Press a key such as Escape or Enter')];
    expect(first(docs, 'press Escape to close the page')).toBe('press_key');
    // "want to" / "how to" belong to the request.
    expect(first(docs, 'I want to close the page')).toBe('close_page');
    expect(top('run a script in the page to read document.title', 1)[0]).toMatch(/evaluate$/);
  });

  it('ranks tools that search a little higher when the query names a thing by a name the catalog does not know', () => {
    const docs = [toolDoc('read_graph', 'Read the whole knowledge graph'), toolDoc('search_nodes', 'Search the knowledge graph for nodes')];
    const on = createSearchIndex(docs);
    const score = (query: string): number => on.search(query).find((h) => h.tool.tool === 'search_nodes')!.score;
    const other = (query: string): number => on.search(query).find((h) => h.tool.tool === 'read_graph')!.score;
    const ratio = (query: string): number => score(query) / other(query);
    expect(ratio('what is in the knowledge graph about TypeScript?') / ratio('what is in the knowledge graph?')).toBeCloseTo(1.1);
    expect(top('what do you remember about TypeScript?', 1)).toEqual(['memory__search_nodes']);
  });
});

describe('round 7 mechanisms', () => {
  /** An index whose associations apply to every tool of `docs` (the shipped ones know only the benchmark's tool names). */
  const learnedIndex = (docs: ToolDoc[], tuning: typeof DEFAULT_TUNING, learned: Map<string, (readonly [string, number])[]>): ReturnType<typeof createShippedIndex> =>
    createShippedIndex(docs, tuning, learned, new Set(docs.map((d) => d.tool)));
  const firstOf = (idx: ReturnType<typeof createShippedIndex>, query: string): string | undefined => idx.search(query, 1)[0]?.tool.tool;

  it('looks up a learned association like a synonym: a word no tool uses reaches the tools its queries wanted', () => {
    const docs = [toolDoc('create_issue', 'Create a new issue'), toolDoc('web_search', 'Search the web for pages')];
    const learned = new Map([[stem('report'), [[stem('issue'), 1] as const]]]);
    const on = learnedIndex(docs, DEFAULT_TUNING, learned);
    const off = learnedIndex(docs, DEFAULT_TUNING, new Map());
    expect(firstOf(on, 'report the login crash')).toBe('create_issue');
    expect(firstOf(off, 'report the login crash')).toBeUndefined();
    // Weight 0 turns associations off.
    expect(firstOf(createShippedIndex(docs, {...DEFAULT_TUNING, learned: 0, learnedCredit: 0}, learned), 'report the login crash')).toBeUndefined();
  });

  it('credits a learned name word in name coverage', () => {
    const docs = [toolDoc('get_users', 'Users of the workspace, with their profiles and roles'), toolDoc('get_self', 'The users bot of the workspace')];
    const learned = new Map([[stem('staff'), [[stem('users'), 1] as const]]]);
    const score = (tuning: typeof DEFAULT_TUNING): number => learnedIndex(docs, tuning, learned).search('workspace staff').find((h) => h.tool.tool === 'get_users')!.score;
    expect(score(DEFAULT_TUNING)).toBeGreaterThan(score({...DEFAULT_TUNING, learnedCredit: 0}));
  });

  it('leaves out a learned association naming an operation the query does not ask for', () => {
    const docs = [toolDoc('create_note', 'Create a note'), toolDoc('read_notes', 'Read the notes')];
    const learned = new Map([[stem('jot'), [[stem('create'), 1] as const]]]);
    const idx = learnedIndex(docs, DEFAULT_TUNING, learned);
    expect(firstOf(idx, 'jot down a note')).toBe('create_note');
    // A question reads: `create` learned for "jot" does not apply.
    const question = idx.search('what did I jot in the notes?');
    const without = learnedIndex(docs, DEFAULT_TUNING, new Map()).search('what did I jot in the notes?');
    expect(question.map((h) => [h.tool.tool, h.score])).toEqual(without.map((h) => [h.tool.tool, h.score]));
  });

  it('applies learned associations to plain words only, not to values (kube-system)', () => {
    // `kube-system` stays in the query because `kube` names a server; it is still a value.
    const docs = [toolDoc('get_context', 'Get the current context', 'kube'), toolDoc('get_pods', 'Get pods', 'kube'), toolDoc('get_logs', 'Get logs', 'kube')];
    const learned = new Map([[stem('kube'), [[stem('context'), 1] as const]]]);
    const on = learnedIndex(docs, DEFAULT_TUNING, learned);
    const off = learnedIndex(docs, DEFAULT_TUNING, new Map());
    const scores = (idx: ReturnType<typeof createShippedIndex>, q: string): [string, number][] => idx.search(q).map((h) => [h.tool.tool, h.score]);
    expect(scores(on, 'pods in kube-system')).toEqual(scores(off, 'pods in kube-system'));
    expect(scores(on, 'switch the kube')).not.toEqual(scores(off, 'switch the kube'));
  });

    it('applies learned associations only to the tools they were learned over, by tool name', () => {
    const docs = [toolDoc('create_issue', 'Create a new issue', 'tracker'), toolDoc('open_issue', 'Open a new issue', 'other'), toolDoc('web_search', 'Search the web for pages'), toolDoc('send_message', 'Send a chat message'), toolDoc('read_file', 'Read a file')];
    const learned = new Map([[stem('report'), [[stem('issue'), 1] as const]]]);
    const known = createShippedIndex(docs, DEFAULT_TUNING, learned, new Set(['create_issue']));
    expect(known.search('report the login crash').map((h) => h.tool.tool)).toEqual(['create_issue']);
    // Applied to every tool, the association reaches the unknown one as well.
    const all = createShippedIndex(docs, DEFAULT_TUNING, learned, new Set(['create_issue', 'open_issue']));
    expect(all.search('report the login crash').map((h) => h.tool.tool).sort()).toEqual(['create_issue', 'open_issue']);
    // An unknown tool ranks as without associations: same score for a query they would touch.
    const without = createShippedIndex(docs, DEFAULT_TUNING, new Map(), new Set());
    const scoreOf = (idx: ReturnType<typeof createShippedIndex>, q: string): number | undefined => idx.search(q).find((h) => h.tool.tool === 'open_issue')?.score;
    expect(scoreOf(known, 'report a new issue')).toBe(scoreOf(without, 'report a new issue'));
    expect(scoreOf(all, 'report a new issue')).not.toBe(scoreOf(without, 'report a new issue'));
  });

it('ships a learned table that is built on first use', () => {
    const table = loadAssociations();
    expect(table.size).toBeGreaterThan(100);
    expect(loadAssociations()).toBe(table);
    for (const list of table.values()) for (const [, strength] of list) expect(strength).toBeGreaterThan(0), expect(strength).toBeLessThanOrEqual(1);
  });

  it('reads things picked by what they are about as a search, and their plurals as no listing', () => {
    const docs = [toolDoc('list_databases', 'List all databases'), toolDoc('search_entries', 'Search the entries')];
    expect(first(docs, 'entries about vector databases')).toBe('search_entries');
  });

  it('reads a dotfile (.env.example, .gitignore) as a file name, not as the word after its dot', () => {
    const docs = [toolDoc('read_file', 'Read a file'), toolDoc('get_env', 'Print the environment variables of the server')];
    expect(first(docs, 'show me .env.example')).toBe('read_file');
    expect(first(docs, 'show me the env')).toBe('get_env');
  });
});

describe('round 8 to 10 mechanisms', () => {
  const doc = (tool: string, description: string, inputSchema?: Record<string, unknown>): ToolDoc => ({...toolDoc(tool, description), ...(inputSchema ? {inputSchema} : {})});
  const chat = [doc('add_reaction', 'Add a reaction emoji to a message'), doc('post_message', 'Post a new message to a channel')];
  const tracker = [doc('get_issue', 'Get an issue by its key'), doc('get_pull_request_status', 'Get the combined status of a pull request')];
  const shell = [doc('start_process', 'Start a new terminal process running a shell command'), doc('read_file', 'Read the contents of a file')];
  const math = [doc('get-sum', 'Returns the sum of two numbers'), doc('add_observations', 'Add new observations to existing entities')];
  const review = [doc('get_approval_state', 'Get the approval state of a merge request: who approved it and which rules remain'), doc('merge_merge_request', 'Merge a merge request')];
  const issues = [doc('update_issue', 'Update an issue: title, state, labels'), doc('delete_issue', 'Delete an issue'), doc('get_issue', 'Get an issue')];
  const pages = [doc('create_comment', 'Create a comment on a page'), doc('post_page', 'Create a new page')];
  const tables = [doc('create_table', 'Create a table in a base'), doc('create_record', 'Create a new record (a row) in a table')];
  const git = [doc('list_commits', 'List commits of a branch'), doc('create_branch', 'Create a new branch')];
  const prs = [doc('get_pull_request', 'Get details of a pull request'), doc('list_pull_requests', 'List pull requests in a repository')];

  // Each row failed on the ranker before its round (checked). Round 8.
  it.each([
    ['an emoji code is an emoji', 'put a :white_check_mark: on the message', chat, 'add_reaction'],
    ['an issue key names an issue', "what's the status of PROJ-1423?", tracker, 'get_issue'],
    ['a backticked command after run is a command', 'run `cat notes.txt` and show me the output', shell, 'start_process'],
    ['adding numbers sums them', 'add 17 and 25', math, 'get-sum'],
    ['"sign off" approves', 'who still has to sign off on merge request 15?', review, 'get_approval_state'],
    ['closing "GitLab issue 18" updates it', 'Close GitLab issue 18 and drop the needs-triage label', issues, 'update_issue'],
    ['a note left on a page is a comment', "leave a note on the spec page: 'review by Friday'", pages, 'create_comment'],
    ['git log lists commits', 'git log of the release branch', git, 'list_commits'],
    // Listed first, list_pull_requests would win a tie.
    ['a shorthand noun with a number is one thing', 'status of PR 73', [prs[1]!, prs[0]!], 'get_pull_request'],
    // Round 9.
    ['who changed something asks for its history', 'who flipped the pricing-page flag yesterday?', [doc('get-feature-flag', 'Get a feature flag'), doc('get-audit-log-entries', 'Get audit log entries of the project')], 'get-audit-log-entries'],
    ["the account a token belongs to is the caller's", 'which account is this token connected to?', [doc('getViewer', 'Get the viewer: the user the API token belongs to'), doc('rotateWebhookSecret', 'Rotate the secret of a webhook token')], 'getViewer'],
    ['cancelling a 1:1 deletes the event', 'cancel my 1:1 with Sam on Monday', [doc('create-event', 'Create a calendar event'), doc('delete-event', 'Delete a calendar event'), doc('kill_process', 'Kill a running process')], 'delete-event'],
    ['P&L is profit and loss', 'xero p&l last quarter', [doc('list-profit-and-loss', 'Profit and loss report'), doc('list-timesheets', 'List timesheets')], 'list-profit-and-loss'],
    ['an issue key asks for the issue by id', 'linear issue ABC-123', [doc('getIssueById', 'Get an issue by its id'), doc('archiveIssue', 'Archive an issue')], 'getIssueById'],
    ['starring is a favorite', 'star the Growth project', [doc('addToFavorites', 'Add a project to favorites'), doc('createProject', 'Create a project')], 'addToFavorites'],
    ['being available is free/busy', 'when are Ana and Raj both available next week?', [doc('get-freebusy', 'Query free/busy information of calendars'), doc('list-events', 'List events of a calendar')], 'get-freebusy'],
    // Round 10.
    ['rain asks for the weather forecast', 'will it rain in Seattle tomorrow', [doc('get-forecast', 'Get the forecast for a location'), doc('get-alerts', 'Get alerts for a state')], 'get-forecast'],
    ['a thumbs up is an emoji reaction', 'thumbs up that message', [doc('add_reaction', 'Add a reaction to a message'), doc('delete_message', 'Delete a message')], 'add_reaction'],
    ['not sending yet keeps a draft', "write an email to the landlord but don't send it yet", [doc('draft_email', 'Draft an email'), doc('send_email', 'Send an email')], 'draft_email'],
    ['letting someone edit grants a permission', 'let my assistant edit my calendar', [doc('create-calendar-permission', 'Create a calendar permission'), doc('update-calendar', 'Update a calendar')], 'create-calendar-permission'],
    ['silencing alerts mutes', 'silence alerts from host db-03 while we patch it', [doc('mute_host', 'Mute a host'), doc('patch', 'Patch a resource')], 'mute_host'],
    ['getting from A to B asks for directions', 'how do i get from Boston to Portland by car, step by step', [doc('maps_directions', 'Get directions between two points'), doc('sequentialthinking', 'Think step by step')], 'maps_directions'],
    ['what the assistant remembers is in its memory', 'do you remember anything I told you about kubernetes?', [doc('search_nodes', 'Search nodes in the knowledge graph'), doc('kubectl_get', 'Get kubernetes resources')], 'search_nodes'],
  ])('%s: %j', (_what, query, docs, expected) => {
    expect(first(docs, query)).toBe(expected);
  });

  it.each([
    ['owner/name before pull names a repository', 'is nodejs/node pull 51234 mergeable, and who opened it?', 'github__get_pull_request'],
    ['a plural shorthand after show is a listing', 'show dbs', 'mongodb__list-databases'],
    ['approving is reviewing', 'approve pull request 57', 'github__create_pull_request_review'],
    ['approvals and requested changes are reviews', 'has anyone approved or requested changes on pull request 73?', 'github__get_pull_request_reviews'],
  ])('over the recorded tools, %s: %j', (_what, query, expected) => {
    expect(top(query, 1)).toEqual([expected]);
  });

  it('reads an order or a condition on values as a request for tools that filter and sort', () => {
    const docs = [
      doc('query_database', 'Query a database', {type: 'object', properties: {filter: {type: 'object'}, sorts: {type: 'array'}}}),
      doc('get_database', 'Retrieve a database by its id'),
    ];
    const margin = (query: string): number => {
      const hits = createSearchIndex(docs).search(query);
      return hits.find((h) => h.tool.tool === 'query_database')!.score / hits.find((h) => h.tool.tool === 'get_database')!.score;
    };
    const plain = margin('tasks database entries');
    for (const query of ['tasks database entries with Status = Done, newest first', 'deals over $50k in the database', 'tickets in the database created before 2023']) {
      expect(margin(query)).toBeGreaterThan(1.5 * plain);
    }
    // Code in backticks is a value: its `=` is no condition.
    expect(margin('tasks database entries with `DEBUG = True`')).toBeCloseTo(plain);
  });

  it('ranks lower, by containerCreate, a tool that creates the thing the query adds to', () => {
    const on = createSearchIndex(tables);
    const off = createSearchIndex(tables, {...DEFAULT_TUNING, containerCreate: 1});
    const ratio = (query: string): number => on.search(query).find((h) => h.tool.tool === 'create_table')!.score / off.search(query).find((h) => h.tool.tool === 'create_table')!.score;
    expect(ratio('add a lead to the Leads table: Jane Doe, jane@example.com')).toBeCloseTo(DEFAULT_TUNING.containerCreate);
    // Not when the table is what is added.
    expect(ratio('add a new table to the base')).toBeCloseTo(1);
    expect(first(tables, 'add a new table to the base')).toBe('create_table');
  });

  it('reads "different" as a diff, and changes as a thing as one', () => {
    const branches = [doc('list_branches', 'List the branches of a project'), doc('get_branch_diffs', 'Get the diffs between two branches')];
    const hits = createSearchIndex(branches).search("what's different between the develop and main branches?");
    expect(hits[0]!.tool.tool).toBe('get_branch_diffs');
    expect(hits[0]!.score).toBeGreaterThan(5 * hits[1]!.score);
    const mr = [doc('list_changed_files', 'List the files changed in a merge request'), doc('get_file_diff', 'Get the diff of one file in a merge request')];
    expect(first(mr, 'show me just the changes to src/auth.ts in MR 31')).toBe('get_file_diff');
  });

  it('keeps the server a file name names as a word of the request', () => {
    const docs = [{...doc('get_file', 'Get a file of a repository'), name: 'github__get_file', server: 'github'}, {...doc('get_file', 'Get a file of a project'), name: 'gitlab__get_file', server: 'gitlab'}];
    expect(createSearchIndex(docs).search('grab .gitlab-ci.yml from mygroup/backend', 1)[0]?.tool.name).toBe('gitlab__get_file');
    expect(createSearchIndex(docs).search('grab .github/workflows/ci.yml from acme/api', 1)[0]?.tool.name).toBe('github__get_file');
  });

  it("keeps the server a URL's host names as a word of the request", () => {
    const docs = [{...doc('get_file', "Get a design file's layout"), name: 'figma__get_file', server: 'figma'}, {...doc('fetch_page', 'Fetch a web page'), name: 'web__fetch_page', server: 'web'}];
    expect(first(docs, 'get https://www.figma.com/file/AbC123/Landing')).toBe('get_file');
    expect(first(docs, 'get https://example.com/file/AbC123/Landing')).toBe('fetch_page');
  });

  it('reads an agent noun in a tool name as its operation (reader reads, updater updates)', () => {
    const docs = [doc('deploy-services-updater', 'Deploy services: deploy a site, manage deploys'), doc('deploy-services-reader', 'Deploy services: get deploys and their status')];
    const hits = createSearchIndex(docs).search('show the deploy status of site 3f2a');
    expect(hits.map((h) => h.tool.tool)).toEqual(['deploy-services-reader', 'deploy-services-updater']);
    // The updater changes what the query reads: it gets the operation model's cross factor.
    expect(hits[1]!.score / hits[0]!.score).toBeLessThan(0.55);
    // Not a browser tool: `browser` is no agent noun of browse.
    const browser = [doc('browser_click', 'Click an element on the page'), doc('delete_page', 'Delete a page')];
    expect(first(browser, 'click the submit button on the page')).toBe('browser_click');
  });

  it('keeps the number of a plural shorthand', () => {
    expect(first(prs, 'show me the PRs')).toBe('list_pull_requests');
  });
});

describe('round 11 mechanisms', () => {
  const doc = (tool: string, description: string, inputSchema?: Record<string, unknown>): ToolDoc => ({...toolDoc(tool, description), ...(inputSchema ? {inputSchema} : {})});
  const browser = [
    doc('browser_press_key', 'Press a key on the keyboard', {type: 'object', properties: {key: {type: 'string'}}}),
    doc('browser_resize', 'Resize the browser window', {type: 'object', properties: {width: {type: 'number'}, height: {type: 'number'}}}),
    doc('browser_type', 'Type text into an editable element'),
    doc('browser_evaluate', 'Evaluate a JavaScript expression on the page'),
    doc('browser_console_messages', 'Returns all console messages'),
    doc('browser_tabs', 'List, create, close, or select a browser tab'),
  ];
  const cluster = [doc('port_forward', 'Forward a local port to a port on a Kubernetes resource'), doc('exec_in_pod', 'Execute a command in a pod'), doc('query', 'Run a read-only SQL query against postgres')];
  const web = [doc('web_search', 'Search the web for any topic'), doc('read_multiple_files', "Read several files at once; failed reads won't stop the operation"), doc('get-sum', 'Returns the sum of two numbers')];
  const board = [doc('get-board-members', 'Get the members of a board'), doc('remove-board-member', 'Remove a member from a board'), doc('update-board', 'Update a board'), doc('restore', 'Restore an item from the trash'), doc('reopen-issue', 'Reopen an issue'), doc('open_nodes', 'Open nodes by their names'), doc('update-sticky-note', 'Update a sticky note on a board'), doc('get-item', 'Get an item')];
  const phone = [doc('create_call', 'Create an outbound call', {type: 'object', properties: {phoneNumber: {type: 'string'}}}), doc('create_assistant', 'Create an assistant')];
  const metrics = [doc('query_metrics', 'Query timeseries metrics (latency, throughput)'), doc('search_places', 'Search places near a location')];
  const graph = [doc('execute_query', 'Execute a Cypher query against the graph database'), doc('count', 'Count documents in a collection'), doc('find', 'Find documents in a collection')];
  const vcs = [doc('scm_blame', 'Get SCM blame information of a component'), doc('issues', 'Search issues of a project'), doc('components', 'Search components')];
  const tracker = [doc('assignIssue', 'Assign an issue to a user'), doc('addIssueToCycle', 'Add an issue to a cycle'), doc('getIssueById', 'Get an issue by id')];
  const vault = [doc('status', 'Show the status of the vault'), doc('sync', 'Sync the vault with the server'), doc('lock', 'Lock the vault')];

  // Each row failed on the ranker before round 11 (checked).
  it.each([
    ['a key named after hit is a key press', 'hit Escape', browser, 'browser_press_key'],
    ['a modifier combination is a key press', 'Cmd+K on the page', browser, 'browser_press_key'],
    ['width x height is a size', 'set the viewport to 375x812', browser, 'browser_resize'],
    ['a local address with a port is a port', 'I want to hit the postgres pod from my laptop on localhost:5432', cluster, 'port_forward'],
    ['a question no tool knows goes to web search', 'who won the 2024 tour de france', web, 'web_search'],
    ['a sum written with plus', '17 + 25', web, 'get-sum'],
    ['kick ... off removes', 'kick Bob off the retro board', board, 'remove-board-member'],
    ['bring ... back restores', 'I deleted an entry by mistake, bring it back', board, 'restore'],
    ['open ... again reopens', 'that finding was closed by mistake, open it again', board, 'reopen-issue'],
    ['a Post-it is a sticky note', 'change the wording on the post-it', board, 'update-sticky-note'],
    ['collaborators are members', 'board collaborators', board, 'get-board-members'],
    ['a phone number is a phone number', 'ring +1 555 0100 with the support bot', phone, 'create_call'],
    ['p95 is a metric', 'p95 of the api over the past 24 hours', metrics, 'query_metrics'],
    ['a Cypher statement is a graph query', 'run MATCH (n) RETURN count(n)', graph, 'execute_query'],
    ['who last touched a line is a blame', 'who last touched line 120 of UserService.java?', vcs, 'scm_blame'],
    ['giving an issue to someone assigns it', 'give ENG-88 to Priya', tracker, 'assignIssue'],
    ['errors in the console are console messages', 'any javascript errors in the console on this page?', browser, 'browser_console_messages'],
    ['a yes-or-no question about a state is a status', 'is the vault server reachable?', vault, 'status'],
  ])('%s: %j', (_what, query, docs, expected) => {
    expect(first(docs, query)).toBe(expected);
  });

  it('keeps the key names and the address shapes apart from their words', () => {
    // "enter" as a verb is no key press; an address with a scheme is a link.
    expect(first(browser, 'enter hello into the search box')).toBe('browser_type');
    expect(first([doc('navigate', 'Navigate to a URL'), ...cluster], 'go to http://localhost:3000')).toBe('navigate');
    // A question whose words the tools know stays with those tools.
    expect(first([doc('get_channel_history', 'Get the history of a channel'), ...web], 'what has been said in #general today?')).toBe('get_channel_history');
  });
});

describe('honest results', () => {
  const fsMemory = tools.filter((t) => t.server === 'filesystem' || t.server === 'memory');
  const small = createShippedIndex(fsMemory);

  it('lists no hit scoring under the relative cut-off of the best', () => {
    const hits = index.search('read a file', 50);
    expect(hits.length).toBeGreaterThan(1);
    for (const h of hits) expect(h.score).toBeGreaterThanOrEqual(hits[0]!.score * RELATIVE_CUTOFF);
    // Without the cut-off the same query lists the filler too.
    const all = createShippedIndex(tools, {...DEFAULT_TUNING, cutoff: 0}).search('read a file', 50);
    expect(all.length).toBeGreaterThan(hits.length);
    expect(all.at(-1)!.score).toBeLessThan(hits[0]!.score * RELATIVE_CUTOFF);
  });

  it.each([
    ['send a slack message'],
    ['refund a payment'],
    ['create a github issue'],
    ['list my stripe customers'],
  ])('"%s" with only filesystem and memory matches nothing', (query) => {
    expect(noMatch(small.search(query, 8))).toBe(true);
  });

  it.each([
    ['read a file', 'filesystem__read_file'],
    ['make a folder called build', 'filesystem__create_directory'],
    ['add an observation about Bob', 'memory__add_observations'],
    ['show the knowledge graph', 'memory__read_graph'],
    ['delete the relation between two entities', 'memory__delete_relations'],
  ])('"%s" with only filesystem and memory matches %s', (query, expected) => {
    const hits = small.search(query, 8);
    expect(noMatch(hits)).toBe(false);
    expect(Math.max(...hits.slice(0, 3).map((h) => h.match))).toBeGreaterThanOrEqual(MIN_MATCH);
    expect(hits.slice(0, 3).map((h) => h.tool.name)).toContain(expected);
  });

  it('says what each server covers by the words of its tool names', () => {
    const coverage = serverCoverage(fsMemory);
    expect(coverage.map((c) => c.name)).toEqual(['filesystem', 'memory']);
    const memory = coverage.find((c) => c.name === 'memory')!;
    expect(memory.tools).toBe(9);
    expect(memory.covers).toEqual(expect.arrayContaining(['entities', 'relations', 'observations']));
    expect(memory.covers).not.toContain('memory');
    expect(memory.covers).not.toContain('create');
  });
});

describe('server routing', () => {
  // A server whose tools as a whole cover the query (billing: refunds and payments) is the likely
  // one; its tools rank above a lone tool of another server matching as many of the words.
  const catalog = [
    toolDoc('refund_order', 'Refund an order and notify the customer', 'shop'),
    toolDoc('list_products', 'List products in the catalog', 'shop'),
    toolDoc('get_cart', 'Get the shopping cart', 'shop'),
    toolDoc('create_refund', 'Create a refund for a charge', 'billing'),
    toolDoc('list_payments', 'List payments of a customer', 'billing'),
    toolDoc('capture_payment', 'Capture an authorized payment', 'billing'),
    toolDoc('get_payment', 'Get a payment by id', 'billing'),
  ];
  it('prefers the tool of the server that covers the query as a whole', () => {
    expect(first(catalog, 'refund the customer payment')).toBe('create_refund');
  });
  it('without routing the lone tool of the other server wins', () => {
    expect(createSearchIndex(catalog, {...DEFAULT_TUNING, route: 0}).search('refund the customer payment', 1)[0]?.tool.name).toBe('shop__refund_order');
  });
  it('a catalog of one server ranks as without routing', () => {
    const one = catalog.filter((t) => t.server === 'billing');
    const names = (tuning: typeof DEFAULT_TUNING): string[] => createSearchIndex(one, tuning).search('refund the customer payment', 4).map((h) => `${h.tool.name} ${h.score}`);
    expect(names(DEFAULT_TUNING)).toEqual(names({...DEFAULT_TUNING, route: 0}));
  });
});

describe('hostile catalogs', () => {
  it('indexes a tool whose description has 200,000 words without throwing', () => {
    const docs: ToolDoc[] = [
      {name: 'big__dump', server: 'big', tool: 'dump', description: 'word '.repeat(200_000)},
      {name: 'small__list_files', server: 'small', tool: 'list_files', description: 'List the files in a folder.'},
    ];
    const index = createShippedIndex(docs);
    expect(index.search('list files', 3)[0]?.tool.name).toBe('small__list_files');
  });
});
