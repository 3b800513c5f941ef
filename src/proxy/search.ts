/**
 * Tool search for `mcpx serve`'s `search_tools` meta-tool: ranks upstream tools for a
 * natural-language query. BM25F over seven fields (tool name, title, parameter names, description,
 * the description's first sentence, parameter descriptions, server name) with identifier splitting
 * (snake_case, camelCase, kebab-case, digits), a light stemmer and synonym expansion weighted down
 * for ambiguous words. The query is read before scoring: phrasal verbs and question phrasings
 * become the words tools use ("look up" -> search, "how many" -> count, "sorted by" -> sort), values
 * (URLs, file names, globs, quoted or backticked text, proper names, identifiers, kebab-case and
 * unknown camelCase names, SQL) stop acting as intent words except for what their shape says (an
 * issue key is an issue, a URL's host may name a server), purpose clauses and negations are
 * dropped, the topic after "about", a purpose "to <verb> ..." and a known name before its kind
 * count half (a purpose's verb is not the request's); a thing named by an unknown name favours
 * tools that search. Scores are then adjusted by an operation model (does the tool's name verb,
 * or agent noun, read, create, update, delete or execute what the query asks to? verbs inside a
 * question describe, the question reads), coordination over the query's words, a mild prior for
 * the general tool among siblings, a lower rank for a tool that creates what the query adds to
 * ("add a row to the table": not create_table), and boosts for covering the words that tell a
 * tool apart from its server's siblings (in the grammatical number the query uses) and for
 * queries that name a tool or a server (a server-naming word credits all of that server's tools
 * alike; a multi-part server name typed whole matches only that server). Word associations learned from labelled
 * queries (search-associations.ts: "report" -> issue) widen a query's plain words like synonyms.
 * Pure and dependency-free so `mcpx serve` loads it instantly; the index is built once per catalog
 * and a query touches only the postings of its own terms.
 */

import {loadAssociations, loadKnownTools, type Associations} from './search-associations.js';

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
  /**
   * How much of what the query names this tool matches, 0 to 1: the idf-weighted share of the
   * query's content words (not its operation verbs or inferred words) the tool matches, a synonym
   * counting by its weight and a word no tool holds counting as missed. Says whether a hit is an
   * answer or filler, independent of the catalog's size.
   */
  match: number;
}

/**
 * A hit scoring below this share of the best hit's score is filler, not listed (0.2 to 0.3 cost
 * no query in the top 3 of any benchmark set; see bench/README.md round 12).
 */
export const RELATIVE_CUTOFF = 0.25;
/** Below this `match` the best hit does not answer the query: search_tools says nothing matches. */
export const MIN_MATCH = 0.2;
/** Share of `match` credit of a query word matched only through a synonym, completion or association. */
const VARIANT_MATCH = 0.3;

/** Whether hits (best first) hold no tool that answers the query: none of the first three reaches MIN_MATCH. */
export function noMatch(hits: readonly SearchHit[]): boolean {
  return !hits.slice(0, 3).some((h) => h.match >= MIN_MATCH);
}

/**
 * What each server's tools cover, for a model to rephrase a query nothing matched: the words most
 * of its tool names use (`filesystem`: file, directory, ...), without operation verbs (as written), stopwords
 * and the server's own name, most frequent first, at most `max` (default 6).
 */
export function serverCoverage(tools: readonly ToolDoc[], max = 6): {name: string; tools: number; covers: string[]}[] {
  const byServer = new Map<string, ToolDoc[]>();
  for (const t of tools) {
    let list = byServer.get(t.server);
    if (!list) byServer.set(t.server, (list = []));
    list.push(t);
  }
  return [...byServer].map(([name, list]) => {
    const own = new Set(tokenize(name).map(stem));
    const counts = new Map<string, {word: string; count: number}>();
    for (const t of list) {
      const seen = new Set<string>();
      for (const word of tokenize(t.tool)) {
        const s = stem(word);
        if (word.length < 3 || seen.has(s) || own.has(s) || STOPWORDS.has(word) || OPERATION_BASE.has(word) || /\d/.test(word)) continue;
        seen.add(s);
        const entry = counts.get(s);
        if (entry) entry.count++;
        else counts.set(s, {word, count: 1});
      }
    }
    const covers = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, max).map((e) => e.word);
    return {name, tools: list.length, covers};
  });
}

export interface SearchIndex {
  readonly size: number;
  /** Best first; at most `limit` hits, only hits with a positive score. */
  search(query: string, limit?: number): SearchHit[];
}

// ---------------------------------------------------------------------------------------------
// Tokenising and stemming

/**
 * Splits text into lowercase word tokens: on anything not a letter or digit, on camelCase and
 * PascalCase humps (`getHTTPResponse` -> get, http, response), and between letters and digits
 * (`base64` -> base, 64). Never throws; empty input gives `[]`.
 */
export function tokenize(text: string): string[] {
  const spaced = text
    // A plural acronym (`PRs`, `URLs`, `IDs`) is one word, not `P Rs`.
    .replace(/\b([A-Z]{2,})s\b/g, (_, acronym: string) => `${acronym.toLowerCase()}s`)
    // `HTTPServer` -> `HTTP Server`, then `getFile` -> `get File`.
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase();
  return spaced.split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}

const VOWEL = /[aeiouy]/;

/** Words whose endings look like suffixes but are not (the stemmer leaves them alone). */
const STEM_EXCEPTIONS = new Set([
  'status', 'this', 'has', 'was', 'is', 'as', 'us', 'its', 'alias', 'canvas', 'analysis', 'axis', 'basis',
  'news', 'series', 'species', 'kubernetes', 'postgres', 'redis', 'https', 'aws', 'dns', 'os', 'gas',
  'plus', 'bus', 'campus', 'bonus', 'corpus', 'focus', 'virus', 'previous', 'various', 'thinking',
  'string', 'thing', 'nothing', 'something', 'anything', 'everything', 'ring', 'bring', 'spring',
  'during', 'ping', 'sing', 'king', 'wing', 'bed', 'red', 'need', 'feed', 'seed', 'speed', 'embed', 'shed',
  'id', 'ids', 'api', 'apis', 'less', 'unless', 'class', 'pass', 'access', 'process', 'address',
  'success', 'progress', 'express', 'across', 'cross', 'loss', 'boss',
]);

/** Irregular forms mapped to the form the stemmer produces for their regular relatives. */
const IRREGULAR: Record<string, string> = {
  children: 'child', people: 'person', indices: 'index', indexes: 'index', data: 'data', media: 'media',
  wrote: 'writ', written: 'writ', made: 'mak', ran: 'run', sent: 'send', got: 'get', gotten: 'get',
  found: 'find', took: 'tak', taken: 'tak', went: 'go', gone: 'go', did: 'do', done: 'do',
  mice: 'mouse', analyses: 'analysis', queries: 'query', entries: 'entry', directories: 'directory',
  // Comparatives and superlatives of size words: "make the window bigger" is about size.
  bigger: 'big', biggest: 'big', larger: 'larg', largest: 'larg', smaller: 'small', smallest: 'small',
  higher: 'high', highest: 'high', taller: 'tall', tallest: 'tall', wider: 'wid', widest: 'wid',
  longer: 'long', longest: 'long', shorter: 'short', shortest: 'short',
};

/**
 * Reduces a lowercase token to a stem shared by its word forms, so that list/lists/listing/listed,
 * create/creates/creating/created/creation and search/searches/searching meet. Light and
 * conservative: plurals, -ing, -ed, -ation/-ion, a final silent e. Stems are index keys, not words.
 */
export function stem(word: string): string {
  const cached = stemCache.get(word);
  if (cached !== undefined) return cached;
  const result = stemUncached(word);
  // Vocabularies are small; the cap only guards against pathological input.
  if (stemCache.size < 100_000) stemCache.set(word, result);
  return result;
}

const stemCache = new Map<string, string>();

function stemUncached(word: string): string {
  if (word.length <= 3 || /\d/.test(word) || STEM_EXCEPTIONS.has(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular !== undefined) return irregular;
  let w = word;
  // Plurals and third person.
  if (w.endsWith('ies') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (/(ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // Nominalisations: creation -> create, deletion -> delete, navigation -> navigate.
  if (w.endsWith('ation') && w.length > 7) w = w.slice(0, -3) + 'e';
  // Only when a verb of five letters or more remains: `station`, `mention`, `question` are words
  // of their own, not forms of `stat`, `ment`, `quest`.
  else if (/[st]ion$/.test(w) && w.length > 7) w = w.slice(0, -3) + 'e';
  // Verb forms; keep a vowel in what remains so `string`, `bed` survive.
  else if (w.endsWith('ing') && w.length > 5 && VOWEL.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ied') && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (w.endsWith('ed') && w.length > 4 && VOWEL.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  // A final silent e: create/creat(ing), delete/delet(ed), file/fil(es).
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1]!)) return w.slice(0, -1);
  return w;
}

/** Query words that carry no meaning for tool choice. Only queries drop them; documents keep all. */
const STOPWORDS = new Set([
  'a', 'an', 'the', 'to', 'for', 'of', 'in', 'on', 'at', 'by', 'with', 'from', 'into', 'onto', 'about',
  'and', 'or', 'but', 'i', 'me', 'my', 'mine', 'we', 'our', 'us', 'you', 'your', 'it', 'its', 'this', 'that',
  'these', 'those', 'there', 'here', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'am', 'do', 'does',
  'did', 'can', 'could', 'would', 'should', 'will', 'shall', 'may', 'might', 'must', 'please', 'want',
  'wanna', 'need', 'like', 'some', 'any', 'which', 'what', 'whats', 'how', 'who', 'whom', 'where', 'when',
  'why', 'let', 'lets', 'tool', 'tools', 'using', 'use', 'via', 'just', 'also', 'then', 'so', 'as', 'if',
  'up', 'out', 'over', 'one', 'someone', 'something', 'thing', 'things', 'currently', 'now', 'right',
  'help', 'give', 'have', 'has', 'had', 'kind', 'sort', 'way', 'named', 'called', 'titled', 'inside',
]);

/** Whether a lowercase word is one a query drops as meaningless for tool choice. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/**
 * The plain words of a query: without quoted text and without chunks holding `/`, `.`, `_`, `-`,
 * `@`, `#` or digits, which are values (`acme/api`, `support.tickets`, `kube-system`, 'book
 * venue'). Word associations are learned from and applied to these only.
 */
export function plainWords(query: string): string {
  return query
    .replace(/"[^"]*"|'[^']*'(?=[\s,.;:!?]|$)/g, ' ')
    .split(/\s+/)
    .filter((chunk) => /^[A-Za-z']+[,.;:!?)]*$/.test(chunk))
    .join(' ');
}

/** Indefinite pronouns of things (not of people: "list everyone" asks for users): stopwords, unless followed by "server" or "mcp" (a server may be named `everything`). */
const PRONOUNS = new Set(['everything', 'anything', 'nothing']);

/** Verbs that only ask to see something: with things in the plural, a listing. */
const SHOW_VERBS: ReadonlySet<string> = new Set(['show', 'display', 'see', 'view', 'give']);

/** The host of a URL or of a bare domain with a path. */
const URL_HOST = /(?:\b(?:https?|wss?):\/\/|(?<![\w.@\/-])(?=[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|co|so|app)\/))(?:www\.)?([\w-]+(?:\.[\w-]+)+)/gi;

/** A file name or path with an extension, or a dotfile (`.gitlab-ci.yml`, `src/app.ts`). */
const FILE_LIKE = /(?<![\w.\/:@-])((?:[\w-]+\/)*\.?[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{0,4}|\.[a-z][\w-]+)(?=[\s,;:!?)]|$)/gi;

/** Particles of phrasal verbs, joined to the word before them when that makes a known word. */
const PARTICLES = new Set(['up', 'over', 'out', 'in', 'on', 'off', 'down', 'back', 'through']);

/**
 * Groups of interchangeable words (as stems). A query word also matches the other members of its
 * groups at a reduced weight; the original word always scores highest.
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['get', 'read', 'fetch', 'retrieve', 'obtain', 'load', 'view', 'show', 'see', 'display', 'look', 'inspect', 'describe', 'detail', 'open', 'print', 'grab', 'peek', 'examine'],
  ['list', 'enumerate', 'all', 'browse', 'show'],
  ['create', 'make', 'add', 'new', 'insert', 'open', 'start', 'generate', 'build', 'register', 'raise', 'submit', 'spawn', 'initialize', 'init', 'compose', 'draft'],
  ['delete', 'remove', 'drop', 'erase', 'destroy', 'trash', 'unlink', 'rm', 'purge', 'discard', 'clear', 'wipe', 'forget', 'uninstall', 'prune', 'nuke'],
  ['update', 'edit', 'modify', 'change', 'patch', 'alter', 'set', 'amend', 'adjust', 'revise', 'replace', 'tweak', 'overwrite', 'rewrite'],
  ['find', 'search', 'lookup', 'look', 'query', 'locate', 'discover', 'seek', 'hunt', 'filter', 'grep', 'scan'],
  ['file', 'document', 'doc'],
  ['issue', 'ticket', 'bug', 'problem'],
  ['repo', 'repository', 'project', 'codebase'],
  ['directory', 'folder', 'dir'],
  ['message', 'msg', 'chat', 'text', 'note'],
  ['send', 'post', 'publish', 'share', 'reply', 'message', 'notify', 'announce', 'broadcast'],
  ['write', 'save', 'store', 'put', 'persist', 'record'],
  ['screenshot', 'capture', 'snapshot', 'snap', 'screen', 'picture'],
  ['navigate', 'goto', 'go', 'visit', 'open', 'browse', 'load'],
  ['click', 'press', 'tap', 'push'],
  ['type', 'fill', 'enter', 'input', 'key'],
  ['pull', 'pr', 'merge'],
  ['mr', 'merge'],
  ['comment', 'reply', 'remark', 'feedback', 'review'],
  ['reply', 'response', 'respond', 'answer'],
  ['user', 'member', 'person', 'account', 'people', 'profile', 'teammate', 'colleague', 'collaborator', 'everyone', 'everybody'],
  ['channel', 'room', 'conversation'],
  ['place', 'location', 'venue', 'spot', 'shop', 'restaurant', 'business', 'poi', 'nearby', 'establishment'],
  ['direction', 'route', 'navigation', 'itinerary'],
  ['distance', 'far', 'travel', 'duration'],
  ['geocode', 'coordinate', 'latitude', 'longitude', 'lat', 'lng', 'address'],
  ['elevation', 'altitude', 'height', 'high', 'tall', 'sea'],
  ['web', 'internet', 'online', 'google'],
  ['news', 'headline', 'article'],
  ['page', 'webpage', 'site', 'website', 'url', 'link'],
  ['scrape', 'crawl', 'extract', 'harvest', 'content'],
  ['database', 'db', 'sql', 'table'],
  ['entity', 'node', 'object'],
  ['relation', 'relationship', 'edge', 'connection', 'link'],
  ['observation', 'fact', 'note'],
  ['think', 'reason', 'thought', 'reflect', 'step', 'plan'],
  ['documentation', 'doc', 'docs', 'reference', 'manual', 'guide'],
  ['library', 'lib', 'package', 'framework', 'sdk', 'module'],
  ['pod', 'container'],
  ['deployment', 'deploy', 'rollout'],
  ['log', 'logs', 'output'],
  ['kubernetes', 'k8s', 'kube', 'kubectl', 'cluster'],
  ['customer', 'client', 'buyer', 'contact', 'supplier', 'vendor'],
  ['invoice', 'bill', 'billing'],
  ['payment', 'charge', 'pay', 'transaction'],
  ['refund', 'reimburse', 'reverse'],
  ['subscription', 'subscribe', 'plan', 'recurring'],
  ['product', 'item', 'sku', 'good'],
  ['price', 'pricing', 'cost', 'amount'],
  ['coupon', 'discount', 'promo', 'promotion'],
  ['function', 'lambda', 'serverless'],
  ['migration', 'migrate', 'schema'],
  ['secret', 'key', 'credential', 'token'],
  ['move', 'rename', 'mv', 'relocate'],
  ['info', 'metadata', 'stat', 'detail', 'property', 'attribute', 'size'],
  ['tree', 'structure', 'hierarchy', 'recursive', 'nested', 'layout', 'outline'],
  ['multiple', 'several', 'many', 'batch', 'bulk', 'every', 'each', 'parallel', 'concurrently'],
  ['image', 'picture', 'photo', 'img'],
  ['email', 'mail'],
  ['fork', 'copy', 'clone', 'duplicate'],
  ['branch', 'ref'],
  ['commit', 'change', 'revision'],
  ['run', 'execute', 'exec', 'invoke', 'call', 'perform', 'trigger'],
  ['stop', 'halt', 'cancel', 'abort', 'kill', 'terminate', 'end'],
  ['restart', 'reboot', 'reload', 'redeploy', 'rollout'],
  ['wait', 'sleep', 'delay', 'pause'],
  ['close', 'shut', 'quit', 'exit'],
  ['tab', 'window'],
  ['hover', 'mouseover'],
  ['select', 'choose', 'pick', 'dropdown', 'option'],
  ['upload', 'attach'],
  ['download', 'save'],
  ['history', 'past', 'previous', 'recent'],
  ['console', 'devtool'],
  ['network', 'request', 'traffic', 'call', 'xhr'],
  ['javascript', 'js', 'script', 'evaluate', 'eval'],
  ['dialog', 'popup', 'alert', 'prompt', 'modal'],
  ['reaction', 'emoji', 'react'],
  ['thread', 'conversation'],
  ['allowed', 'permitted', 'accessible', 'allow'],
  ['review', 'approve', 'approval'],
  ['aggregate', 'aggregation', 'group', 'pipeline'],
  ['count', 'tally', 'number'],
  ['sum', 'total', 'addition', 'plus'],
  ['size', 'big', 'large', 'space', 'storage', 'byte'],
  ['history', 'latest', 'recent', 'last'],
  ['simulate', 'fake', 'mock', 'dummy', 'sample', 'demo', 'test'],
  ['tiny', 'small', 'little', 'mini'],
  ['long', 'slow', 'lengthy'],
  ['operation', 'task', 'job', 'process'],
  ['toggle', 'switch', 'enable', 'disable', 'turn'],
  ['distance', 'drive', 'driving', 'travel', 'far'],
  ['disk', 'filesystem', 'local'],
  ['graph', 'memory', 'knowledge'],
  ['collection', 'table'],
  ['sitemap', 'map', 'structure'],
  ['approve', 'reject', 'review'],
  ['schema', 'field', 'column'],
  ['memory', 'remember', 'memorize', 'recall'],
  ['media', 'audio', 'video', 'sound', 'recording', 'image', 'picture', 'photo'],
  ['resize', 'enlarge', 'shrink', 'grow', 'big', 'small', 'wide', 'narrow'],
  ['ping', 'reachable', 'alive', 'health', 'healthy', 'heartbeat'],
  ['diff', 'difference', 'different', 'differ', 'compare', 'comparison', 'delta'],
  ['event', 'meeting', 'appointment', 'booking'],
  ['availability', 'available', 'free', 'busy', 'freebusy'],
  ['undo', 'revert', 'rollback', 'reset', 'restore'],
  ['quote', 'estimate', 'quotation'],
  ['favorite', 'favourite', 'star', 'bookmark'],
  ['notification', 'inbox'],
  ['sprint', 'iteration', 'cycle'],
  ['weather', 'forecast', 'rain', 'snow', 'temperature', 'sunny', 'storm', 'wind'],
  ['metric', 'latency', 'throughput', 'percentile', 'performance'],
  ['mute', 'silence', 'snooze'],
  ['downtime', 'maintenance'],
  ['estimate', 'roughly', 'approximately', 'approximate'],
  ['distinct', 'unique', 'deduplicated'],
  ['semantic', 'semantically', 'similar', 'similarity', 'embedding', 'nearest'],
  ['region', 'datacenter', 'datacentre', 'zone'],
  ['spec', 'specification', 'openapi', 'swagger'],
  ['category', 'section'],
  ['trace', 'span', 'tracing'],
  ['replay', 'resend', 'redeliver', 'retry'],
];


/** Shorthand expanded to the words tools use; the shorthand itself is kept too. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  mkdir: ['create', 'directory'],
  ls: ['list', 'directory'],
  rm: ['delete'],
  rmdir: ['delete', 'directory'],
  mv: ['move'],
  cp: ['copy'],
  cat: ['read', 'file'],
  pr: ['pull', 'request'],
  prs: ['pull', 'request'],
  mr: ['merge', 'request'],
  mrs: ['merge', 'request'],
  k8s: ['kubernetes'],
  repo: ['repository'],
  repos: ['repository'],
  db: ['database'],
  dbs: ['database'],
  env: ['environment', 'variable'],
  config: ['configuration'],
  js: ['javascript'],
  url: ['link'],
  urls: ['link'],
  dm: ['direct', 'message'],
  gh: ['github'],
  readme: ['file'],
  grep: ['search'],
  curl: ['fetch'],
  wget: ['fetch'],
  touch: ['create', 'file'],
  du: ['size'],
  sitemap: ['map'],
};

/** Shell commands that are also English words: expanded only in a command's place, first. */
const SHELL_WORDS: ReadonlySet<string> = new Set(['touch', 'cat', 'du']);

/**
 * Question phrasings that stand for an operation: "how many" asks for a count, "what/which <things>
 * are in/exist" for a listing. The operation word is added; the query keeps its own words.
 */
const PHRASES: readonly [RegExp, string][] = [
  [/\bhow many\b/, ' count list '],
  // "who is in/on the workspace" asks for its members.
  [/\bwho\s+(is|are|'s)\s+(in|on|part of|a member)\b/, ' user member '],
  [/\bwhere\s+(is|are)\b/, ' location '],
  // Three or more things, or "at once", asks for several at a time ("two" often names the ends
  // of a relation: "link two entities", "distance between two points").
  [/\b(three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?)\s+(\w+\s+)?\w+s\b|\b(at once|in one go|in bulk)\b/, ' multiple '],
  [/\b(what|which)\s+(\w+\s+){0,2}(are|exist|is there|are there)\b/, ' list '],
  [/\b(what|which)\s+\w+s\s+(do|does)\b/, ' list '],
  // Who changed something, or when it changed, is in its history.
  [/\bwho\s+(?:changed|flipped|moved|modified|edited|updated|deleted|removed|toggled|turned|switched|set|renamed|closed|reopened)\b|\bwhen\s+did\b.*\b(?:change|move|flip|switch)\b/, ' history audit log '],
  // Who last wrote or touched a line of code is what a blame shows.
  [/\bwho\s+(?:last\s+)?(?:touched|wrote|changed|edited|modified)\b.*\blines?\s+\d+|\bwho\s+(?:last\s+)?(?:touched|wrote)\b/, ' blame history '],
  // Which account a token or key belongs to asks who the caller is.
  [/\b(?:which|what|whose)\s+(?:\w+\s+)?(?:account|user|identity|portal|login|workspace)\b.*\b(?:token|key|credentials?)\b|\bwho\s+am\s+i\b|\bwhoami\b|\b(?:which|what)\s+(?:account|user)\s+am\s+i\b|\blogged\s+in\s+as\b/, ' current user viewer self authenticated '],
  // Getting from one place to another asks for directions; the latest on a topic is news; what
  // the assistant remembers is in its memory.
  [/\b(?:get|go|walk|travel)\s+from\s+\S.*\bto\s+\S/, ' directions route '],
  [/\b(?:latest|news)\s+(?:on|about)\b/, ' news web search '],
  [/\b(?:do|did)\s+you\s+remember\b|\bwhat\s+do\s+you\s+(?:know|remember)\b|\b(?:i|we)\s+told\s+you\b/, ' memory search '],
  // "Is the CLI logged in?", "is the server reachable?": a yes-or-no question about a state is a status.
  [/^\s*(?:is|are|am)\s+(?:[\w'-]+\s+){0,5}?(?:login|logged|unlocked|locked|connected|authenticated|running|online|healthy|reachable|alive)\b/, ' status '],
  // Git's own commands name what they show: `git log` the commits, `git diff` a comparison.
  [/\bgit\s+log\b/, ' list commits '],
  [/\bgit\s+diff\b/, ' compare diff '],
  // An order ("sorted by priority", "newest first") and conditions on values ("where Status =
  // Done", "over $50k", "created before 2023") ask for tools that filter and sort.
  [/\b(?:sort(?:ed)?|order(?:ed)?)\s+by\b|\b(?:newest|oldest|latest|earliest|highest|lowest|biggest|largest|smallest)\s+first\b/, ' sort '],
  [/\bwhere\s+\S+\s*(?:=|!=|<|>|\bis\b|\bare\b|\bcontains?\b)|[\w}\]]\s*(?:=|!=|>=|<=)\s*\S|\b(?:over|under|above|below|more than|less than|greater than|at least|at most)\s+\$?\d|\b(?:older|younger|newer|bigger|smaller|larger|higher|lower|cheaper|longer|shorter)\s+than\s+\$?\d|\b(?:before|after|since)\s+(?:\d{4}|yesterday|last|this|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\b/, ' filter '],
];

/**
 * Replaced before tokenising: phrasal verbs by the one word tools use ("look up" is search,
 * "set up" is create, "pull ... out" is extract), file names and paths by the word file.
 */
const REWRITES: readonly [RegExp, string][] = [
  [/\blook(s|ed|ing)?\s+up\b/gi, 'search'],
  [/\bset(s|ting)?\s+up\b/gi, 'create'],
  [/\badd(s|ed|ing)?\s+up\b/gi, 'sum'],
  [/\bpull(s|ed|ing)?\s+((?:\w+\s+){0,4}?)out\b/gi, 'extract $2'],
  [/\blook(s|ed|ing)?\s+for\b/gi, 'search'],
  // "pull up" shows; "pull" on its own takes something in (not a pull request).
  [/\bpull(s|ed|ing)?\s+up\b/gi, 'show'],
  [/\bpull(s|ing)?\b(?!\s+(requests?|reqs?)\b)(?=\s+(the|a|an|all|this|that|its|their|my|down)\b)/gi, 'fetch'],
  // Phrasal verbs of removal.
  [/\b(tear|tore|torn|wipe|wiped)\s+(down|out)\b/gi, 'cleanup'],
  [/\bshut(s|ting)?\s+(down|off)\b/gi, 'close'],
  [/\bget(ting)?\s+rid\s+of\b/gi, 'remove'],
  // `open` (an issue, a PR, a page, a state) reads when its object is a file name or a path.
  [/\bopen(?=\s+(?:(?:the|my|this|that)\s+)?(?:file\s+)?(?:[~.]?\/[\w.\/-]+|[\w.\/-]*\w\.[a-z][a-z0-9]{0,4}\b))/gi, 'read'],
  // Pointer phrasings: "press the submit button" clicks it, "move the mouse over" hovers.
  [/\b(press|push|hit|tap)(es|ed|ing)?\s+(?=(?:the|a|an|that|this)\s+(?:[\w'-]+\s+){0,2}button\b)/gi, 'click '],
  [/\bmov(e|es|ed|ing)\s+(the\s+)?(mouse|cursor|pointer)\b/gi, 'hover'],
  [/\b(?:mouse|cursor|pointer)\s+(?:is|was|goes|stays|sits|rests)\s+(?:over|on)\b/gi, 'hover'],
  // "taking up space" occupies it; "disk usage" is the space used.
  [/\b(?:take|takes|taking|took|taken)\s+up\b/gi, 'use'],
  [/\bdisk\s+usage\b/gi, 'storage size'],
  // "how long does it take" is not about taking a screenshot.
  [/\bit\s+(take|takes|took)\b/gi, ''],
  // A one-on-one is a meeting, and cancelling a meeting deletes the event.
  [/\b(?:1:1|one-on-one|1-on-1)s?\b/gi, 'meeting'],
  [/\bcancel(s|led|ed|ling|ing)?\b(?=\s+(?:(?:my|the|our|this|that|a|an|tomorrow's|today's)\s+)?(?:\w+\s+)?(?:meetings?|events?|appointments?|calls?|bookings?|syncs?|standups?)\b)/gi, 'cancel delete'],
  // Phrasal verbs of taking away and giving back: "kick Bob off the board", "take the label off
  // the note" remove (not "kick off the build", which starts it); "bring the entry back"
  // restores (not "bring back the results"); "open the issue again" reopens it.
  [/\bkick(?:s|ed|ing)?\s+((?:[\w'-]+\s+){1,3}?)(?:out\b|off\s+(?=(?:the|this|that|our|my|your|their|of|from)\b))/gi, 'remove $1'],
  [/\b(?:take|takes|taking|took)\s+((?:[\w'"-]+\s+){1,4}?)off\s+(?=(?:the|this|that|our|my|your|their|of|from)\b)/gi, 'remove $1'],
  [/\bbr(?:ing|ings|inging|ought)\s+((?:[\w'-]+\s+){1,3}?)back\b/gi, 'restore $1'],
  [/\bopen(s|ed|ing)?\s+((?:[\w'-]+\s+){0,3}?)again\b/gi, 'reopen $2'],
  // Errors or messages in a browser's console are its console messages, whatever their language.
  [/\b(?:(?:javascript|js)\s+)?(errors?|warnings?|logs?|messages?|output)\s+(?:in|on|from|of)\s+(?:the\s+)?(?:(?:browser|browser's|devtools|js|javascript)\s+)?console\b/gi, 'console $1 messages'],
  // A Post-it is a sticky note.
  [/\bpost[\s-]?its?\b/gi, 'sticky note'],
  // A cell range (`A1:D20`) is a range of spreadsheet cells; "thumbs up" an emoji reaction;
  // "looks like" similar; "no repeats" distinct; logging in is a login.
  [/(?<![\w:])[A-Z]{1,2}\d+:[A-Z]{1,2}\d+\b/g, 'spreadsheet range cells'],
  [/\bthumbs?[\s-]?up\b/gi, 'emoji reaction'],
  [/\blook(s|ing)?\s+like\b/gi, 'similar to'],
  [/\b(?:no|without)\s+(?:repeats|duplicates)\b/gi, 'distinct'],
  [/\blog(s|ged|ging)?\s+in(?:to)?\b/gi, 'login'],
  // Not sending something yet keeps it a draft.
  [/\b(?:don'?t|do\s+not|not)\s+send\b[^,.;!?]*|\bwithout\s+sending\b/gi, 'draft'],
  // Letting someone edit or view a thing grants them permission.
  [/\blet\s+(?:my|the|our|your|his|her|their)?\s*\w+\s+(edit|view|see|access|manage)\b/gi, 'permission access $1'],
  // Loading something into a store imports it; "P&L" is a profit and loss report.
  [/\bload(s|ed|ing)?\b(?=[^.;!?]*\binto\b)/gi, 'import'],
  [/\bp\s*&\s*l\b/gi, 'profit and loss'],
  // "sign off on" a change approves it.
  [/\bsign(s|ed|ing)?[\s-]+off\b/gi, 'approve'],
  // Changes as a thing ("the changes to src/auth.ts", "what changed in") are a diff.
  [/\b(the|its|their|these|those|my|your|just\s+the|only\s+the)\s+changes\b(?=\s+(?:to|in|of|on|between|since|from)\b)/gi, '$1 diff'],
  // Approving a change or requesting changes to it is reviewing it: the verdicts of a review.
  [/\b(approv(?:e|es|ed|ing))\b(?!\s+review)/gi, '$1 review'],
  [/\brequest(s|ed|ing)?\s+changes\b/gi, 'review'],
  // A note left on something ("leave a note on the spec page") is a comment on it.
  [/\bleav(e|es|ing)\s+(a|an)\s+(short\s+|quick\s+)?note\s+(on|under)\b/gi, 'add a comment note $4'],
  // "leave a comment/note/review" adds one.
  [/\bleav(e|es|ing)\s+(a|an)\b/gi, 'add $2'],
  // `file` is a noun but for "file a bug": only that verb sense means create.
  [/(^|[^\w.])file\s+(a|an)\b/gi, '$1create $2'],
  [/\b(go|goes|going|went)\s+to\b/gi, 'navigate to'],
  // Questions of measure: "how long" asks for a duration, "how far" for a distance.
  [/\bhow\s+long\b/gi, 'duration'],
  [/\bhow\s+far\b/gi, 'distance'],
  // A SQL statement is a SQL query, whatever its words (`select count(*) from users`).
  [/\bselect\s+(?:\*|count\s*\(\s*\*?\s*\)|[\w.]+(?:\s*,\s*[\w.]+)*)\s+from\s+(?!(?:the|a|an|this|that|my|our|your)\b)[\w."]+/gi, 'sql query'],
  // Closing or reopening an issue or a pull request changes its state: an update.
  [/\b(close|closes|closed|closing|reopen|reopens|reopened)\s+((?:the|this|that|an?|my|our)\s+)?(issues?|prs?|pull requests?|tickets?|bugs?|mrs?|merge requests?)\b/gi, 'update $2$3'],
  // The same with a product or repository named before the thing ("close GitLab issue 18").
  [/\b([Cc]los(?:e|es|ed|ing)|[Rr]eopen(?:s|ed)?)\s+((?:[A-Z][\w-]*|[\w-]+\/[\w.-]+)\s+)(issues?|PRs?|prs?|pull requests?|tickets?|bugs?|MRs?|mrs?|merge requests?)\b/g, 'update $2$3'],
  // An emoji code (`:white_check_mark:`, `:+1:`) is an emoji, whatever its words.
  [/(^|\s):[a-z0-9_+-]+:(?=[\s,.;!?)]|$)/gi, '$1emoji'],
  // Adding numbers sums them ("add 17 and 25"), it does not create anything.
  [/\badd(s|ed|ing)?\s+(-?\d+(?:\.\d+)?)\s+(and|to|plus)\s+(-?\d+(?:\.\d+)?)\b/gi, 'sum $2 and $4'],
  [/(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:\+|\bplus\b)\s*(-?\d+(?:\.\d+)?)(?![\w.])/gi, 'sum $1 and $2'],
  // A command in backticks after run/execute is a command, whatever its words (`npm test`).
  [/\b(run|runs|running|execute|executes|exec)\s+`[^`]+`/gi, '$1 command'],
  // An issue key (`PROJ-1423`, `ENG-42`: Jira, Linear, YouTrack) names an issue.
  [/(?<![\w./-])[A-Z][A-Z0-9]{1,9}-\d+\b(?![\w./-])/g, 'issue id'],
  // Giving an issue, a ticket or a task to someone assigns it ("give ENG-88 to Priya").
  [/\b(?:give|gives|gave|giving)\s+((?:the|this|that|an?)\s+)?((?:issue\s+)?id|issues?|tickets?|tasks?|bugs?|stor(?:y|ies)|cards?|items?)(?:\s+id)?\s+(?:over\s+)?to\b/gi, 'assign $1$2 to'],
  // `owner/name#123` names an issue or pull request of a repository; `owner/name` followed by
  // pull, PR, issue or MR, a repository.
  [/(?<![\w./~-])[\w.-]+\/[\w.-]+#\d+\b/g, 'repository number'],
  [/(?<![\w./~-])[a-z][\w.-]*\/[\w.-]+(?=\s+(?:pull|prs?|issues?|mrs?|merge)\b)/gi, 'repository'],
  // A key pressed by name ("hit Escape", "press the down arrow", `Ctrl+K`) is a key press,
  // whatever the key's name means as a word (enter, return, tab, home, end, delete).
  [/\b(press|hit|tap)(es|ed|ing)?\s+(?:the\s+)?(?:escape|esc|enter|return|tab|backspace|delete|del|space|spacebar|home|end|insert|page\s?(?:up|down)|arrow\s?(?:up|down|left|right)|(?:up|down|left|right)(?:\s+arrow)?|f\d{1,2})\b(?:\s+key)?/gi, 'press key'],
  [/(?<![\w+])(?:ctrl|control|cmd|command|alt|option|shift|meta)\s*\+\s*(?:(?:ctrl|control|cmd|command|alt|option|shift|meta)\s*\+\s*)*\w+\b/gi, 'press key'],
  // A size written as width x height (`375x812`, `1920×1080`) gives a width and a height.
  [/\b\d{2,5}\s*[x×]\s*\d{2,5}(?:\s*px)?\b/gi, 'width height size'],
  // A telephone number (`+1 555 0100`, `(555) 010-0199`, `555-010-0199`) is a phone number; a
  // range of years (`2023-2024`) is not.
  [/(?<![\w+])(?:\+\d{1,3}(?:[\s.-]?\d{1,4}){2,4}|\(\d{2,4}\)\s?\d{3}[\s.-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w.])/g, 'phone number'],
  // A latency percentile (`p95`, `p99.9`) is a metric.
  [/\bp(?:50|75|90|95|99|999|99\.9)\b/gi, 'percentile metric'],
  // A Cypher statement (`MATCH (n) RETURN n`) is a graph query, whatever its words.
  [/\bmatch\s*\(.*?\breturn\b[^,;]*/gi, 'cypher query'],
  // A local address with a port (`localhost:5432`, `127.0.0.1:8080`) is a port.
  [/(?<![\w./:-])(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):\d{1,5}\b(?![\w./-])/gi, 'localhost port'],
  // Values are not intents. A URL says "a link", whatever words its host and path hold.
  [/\b(?:https?|ftp|wss?):\/\/\S+/gi, 'url'],
  [/(^|\s)(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|ai|co|edu|gov|app)(?:\/\S*)?(?=[\s,.;:!?)]|$)/gi, '$1url'],
  // `open`/`closed` as a state ("open issues", "PRs that are open") filters on state; only first
  // in a clause is `open` the verb. "open source" is a word of its own.
  [/(?<!^\s*|\b(?:and|then|to|please|,)\s+)\b(open|closed)\b(?!\s+(?:a|an|the|up|source)\b)/gi, ''],
  // What follows "called/named/titled" is a name, a value: "a database called Reading List".
  [/\b(called|named|titled)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*/g, '$1'],
  // A pair of decimal numbers is a position: "what is at 48.8584, 2.2945".
  [/-?\b\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+\b/g, 'coordinates'],
  [/\blat(itude)?\s*\/\s*(long|lng|lon)(gitude)?\b/gi, 'latitude longitude'],
  // A radius ("within 2 km") says "nearby", not a distance to compute.
  [/\bwithin\s+\d+(\.\d+)?\s*(km|kilometers?|kilometres?|mi|miles?|m|meters?|metres?|blocks?|minutes?)\b/gi, 'nearby'],
  // A Slack-style channel (`#general`) is a channel; an issue number (`#482`) stays a number.
  [/(^|\s)#[a-z][\w-]*/gi, '$1channel'],
  // Code in the query (`document.title`, `page.getByRole`) is a script, not words.
  [/(^|\s)(?:window|document|page|localStorage|sessionStorage|navigator|console|location)\.[\w.()'"]+/g, '$1javascript'],
  // An image, audio or video file name says what kind of file it is (`logo.png`, `talk.mp3`).
  // A glob (`*.test.ts`, `src/**/*.py`) is a file name pattern to match.
  [/(^|\s)(?=[\w./-]*(\*|\?[\w.]))[\w./*?-]+/g, '$1file pattern'],
  [/(^|\s)[\w./*?-]*[\w*?]\.(png|jpe?g|gif|svg|webp|bmp|ico|tiff?|heic)\b/gi, '$1image file'],
  [/(^|\s)[\w./*?-]*[\w*?]\.(mp3|wav|ogg|flac|m4a|aac|mp4|mov|webm|mkv|avi)\b/gi, '$1media file'],
  // A dotfile (`.env`, `.gitignore`, `.env.example`) is a file name, not the word after its dot.
  [/(^|\s)\.[a-z][\w.-]*(?=[\s,;:!?)]|$)/gi, '$1file'],
  // A file name, path or glob says "a file", not `notes` or `log` (`notes.txt`, `*.log`, `src/*.ts`).
  [/(^|\s)[\w./*?-]*[\w*?]\.(txt|md|json|ya?ml|ts|tsx|js|jsx|mjs|py|rb|go|rs|java|c|h|cpp|csv|log|toml|ini|cfg|conf|env|xml|html?|css|sh|png|jpe?g|gif|svg|webp|pdf|zip|gz|tar|docx?|xlsx?|pptx?|odt|rtf|sql|lock)\b/gi, '$1file'],
  // A path ending in a slash (`/var/log/`, `docs/`) is a directory; another path without a file
  // extension (`./docs`, `~/Downloads`, `/etc/hosts`) may be either, so it says only `path`.
  [/(^|\s)(?:(?:\.{1,2}|~)?\/[\w.\/-]*|[\w.-]+)\/(?=[\s,;:!?)]|$)/g, '$1directory'],
  [/(^|\s)(?:\.{1,2}|~)?\/[\w.\/-]*(?=[\s,;:!?)]|$)/g, '$1path'],
  // `owner/name` after a preposition ("in facebook/react") names a repository.
  [/\b(in|of|on|to|from|for|against)\s+[\w.-]+\/[\w.-]+(?=[\s,;:!?)]|$)/gi, '$1 repository'],
];

/**
 * What the query says it does not want ("without the snapshot", "skipping node_modules", "no page
 * text") names words that must not count: the phrase up to the next comma or clause is dropped.
 */
const NEGATED = /\b(without|skipping|skip|excluding|except|ignoring|no|not|rather\s+than|instead\s+of)\s+(?:\w+ing\s+)?(?:(?:the|a|an|any|whole)\s+)*[\w./-]+(?:\s+(?!and\b|or\b|but\b|to\b|in\b|on\b|from\b|with\b|for\b|that\b)[\w./-]+){0,2}/gi;

/** "the <name> <kind>": a determiner or preposition, the one word naming the thing, then its kind. */
const VALUE_BEFORE_KIND = /\b(the|my|our|your|its|this|that|in|into|from|on|to)\s+([\w-]+)(?=\s+(?:collections?|databases?|dbs?|tables?|namespaces?|channels?|repos?|repository|branch|project|workspace|folder|directory|cluster|deployment)\b)/gi;

/**
 * A kebab-case name right after a preposition or the kind of thing it names ("the job
 * migrate-db", "reported in node-fetch", "pod api-server"): a value, whatever its parts mean.
 */
const NAME_AFTER_KIND = /\b(in|of|from|for|on|job|cronjob|pod|deployment|service|namespace|collection|database|db|table|channel|repo|repository|branch|project|package|library|node|container)\s+([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)+)(?![\w\/.-])/gi;

/** "so (that) I/you/the ... <until the clause ends>": why the user asks, not what. */
const PURPOSE = /\bso(?:\s+that)?\s+(?:i|you|we|they|it|its|the|that|this|my|our)\b[^,.;?!]*/gi;

/** A file name with an extension (`package.json`, `src/index.ts`), for counting them. */
const FILE_NAME = /(?<![\w.\/:-])[\w.\/-]*\w\.(?!(?:com|org|net|io|dev|ai|co|edu|gov|app)\b)[a-z][a-z0-9]{0,4}(?![\w.\/])/gi;

/** A question to look up (a question word first, or a question mark last). */
const WH_QUESTION = /^\s*(?:who|what|when|where|which|why|how)\b|\?\s*$/i;

/** Quoted text is a value (a message to send, text to wait for), not words of the request. */
const QUOTED: readonly RegExp[] = [/(^|\s)"[^"]*"/g, /(^|\s)'[^']*'(?=[\s,.;:!?]|$)/g, /(^|\s)`[^`]*`/g];

/** The query with phrasal verbs replaced, and the operation words its phrasings imply. */
function rewritePhrases(input: string): {query: string; inferred: string} {
  let query = input;
  // Case is kept: tokenize splits camelCase.
  for (const [pattern, word] of REWRITES) query = query.replace(pattern, word);
  // A purpose clause ("... so I can compare them", "... so the dropdown shows up") says why, not
  // what to do: its verbs and nouns would pull toward other tools (`dropdown` -> select_option).
  const purposeless = query.replace(PURPOSE, ' ');
  if (tokenize(purposeless).some((t) => t.length > 1 && !STOPWORDS.has(t))) query = purposeless;
  const positive = query.replace(NEGATED, ' ');
  if (tokenize(positive).some((t) => t.length > 1 && !STOPWORDS.has(t))) query = positive;
  // Unless the quotes hold the whole request (`"list files"`).
  let unquoted = query;
  for (const pattern of QUOTED) unquoted = unquoted.replace(pattern, '$1');
  if (tokenize(unquoted).some((t) => t.length > 1 && !STOPWORDS.has(t))) query = unquoted;
  const lower = query.toLowerCase();
  let inferred = '';
  for (const [pattern, word] of PHRASES) if (pattern.test(lower)) inferred += word;
  // Two or more file names ("read package.json and tsconfig.json") ask for several files at once.
  if ((input.match(FILE_NAME) ?? []).length >= 2) inferred += ' multiple ';
  return {query, inferred};
}

/** Stem -> the other stems of its synonym groups, built once. */
const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, Set<string>>();
  for (const group of SYNONYM_GROUPS) {
    const stems = [...new Set(group.map((w) => stem(w)))];
    for (const a of stems) {
      let entry = map.get(a);
      if (!entry) map.set(a, (entry = new Set()));
      for (const b of stems) if (b !== a) entry.add(b);
    }
  }
  return new Map([...map].map(([k, v]) => [k, [...v]]));
})();

/**
 * Stem -> how many synonym groups hold it. A word in several groups (`open`: get, create,
 * navigate) is ambiguous, so reaching it through a synonym counts for less.
 */
const GROUP_COUNT: ReadonlyMap<string, number> = (() => {
  const counts = new Map<string, number>();
  for (const group of SYNONYM_GROUPS) for (const s of new Set(group.map((w) => stem(w)))) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
})();

/** Weight factor of reaching `target` through a synonym: 1 for a word of one group, less for ambiguous ones. */
function ambiguity(target: string): number {
  return 1 / Math.sqrt(GROUP_COUNT.get(target) ?? 1);
}

// ---------------------------------------------------------------------------------------------
// Operations: what a query asks to do and what a tool does

/**
 * Operation classes as bits; a tool or query may carry several. Execute is running code or a
 * command (`exec_in_pod`, `run_code`, `evaluate`): it neither lists nor changes a named thing, so
 * "list pods" prefers `kubectl_get` over `exec_in_pod`.
 */
const Op = {Read: 1, Create: 2, Update: 4, Delete: 8, Execute: 16} as const;
/** Any change: a tool or query that writes agrees with create, update and delete. */
const WRITE = Op.Create | Op.Update | Op.Delete;
/** What a generic write verb (`save`, `record`, `approve`) asks for: to create or update, never to delete. */
const STORE = Op.Create | Op.Update;

/**
 * Verbs by the operation they name. A tool's operation is read off the verbs of its name
 * (`get_issue` reads, `update_issue` updates); a query's off its verbs and question forms.
 * Words with several common senses (`open`, `file`, `run`) are left out.
 */
const OPERATION_WORDS: readonly [number, readonly string[]][] = [
  [Op.Read, ['get', 'read', 'fetch', 'retrieve', 'obtain', 'view', 'show', 'see', 'display', 'look', 'inspect', 'describe', 'print',
    'list', 'enumerate', 'browse', 'search', 'find', 'lookup', 'query', 'locate', 'discover', 'seek', 'count', 'check', 'tell',
    'examine', 'explain', 'download', 'dump', 'export', 'grab', 'peek', 'grep', 'scan']],
  [Op.Create, ['create', 'make', 'add', 'new', 'insert', 'generate', 'build', 'register', 'raise', 'submit', 'post', 'send', 'reply', 'schedule',
    'upload', 'fork', 'install', 'publish', 'spawn', 'initialize', 'init', 'compose', 'draft', 'link', 'relate']],
  [Op.Update, ['update', 'edit', 'modify', 'change', 'patch', 'alter', 'set', 'amend', 'adjust', 'revise', 'replace', 'rename',
    'move', 'append', 'close', 'reopen', 'toggle', 'enable', 'disable', 'scale', 'upgrade', 'apply', 'resize', 'tweak',
    'overwrite', 'rewrite']],
  [Op.Delete, ['delete', 'remove', 'drop', 'erase', 'destroy', 'unlink', 'rm', 'purge', 'discard', 'clear', 'wipe', 'forget',
    'uninstall', 'cleanup', 'prune', 'nuke']],
  [STORE, ['write', 'save', 'store', 'record', 'approve', 'commit', 'merge', 'push', 'remember', 'memorize']],
  [Op.Execute, ['run', 'execute', 'exec', 'invoke', 'trigger', 'evaluate', 'eval']],
];

/** Stem -> operation bits. */
const OPERATION: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const [op, words] of OPERATION_WORDS) for (const w of words) map.set(stem(w), (map.get(stem(w)) ?? 0) | op);
  return map;
})();

/** The operation words as written: only these base forms are requests (not `changed`, `relation`). */
const OPERATION_BASE: ReadonlySet<string> = new Set(OPERATION_WORDS.flatMap(([, words]) => words));

/** Questions ask to read: "what/which/who/where ...", "is there", "does ... exist", "how many", "has anyone ...", "did ...". */
const QUESTION = /^\s*(what|which|who|whom|whose|where|when|is there|are there|does|do|did|is|are|was|were|has|have|had|how many|how much)\b|\bexists?\b/i;

/**
 * Operation bits of a tool, from the verbs of its name as written; 0 when its name has none.
 * Only base forms are verbs, as in queries: `delete_relations` deletes, its `relations` (stem
 * `relate`) does not also create.
 */
function toolOperation(nameWords: readonly string[]): number {
  let op = 0;
  for (const t of nameWords) if (OPERATION_BASE.has(t)) op |= OPERATION.get(stem(t))!;
  if (op !== 0) return op;
  // A name without a verb may say its operation by an agent noun (`deploy-services-reader`,
  // `...-updater`); not by nouns that merely look like one (`browser_click` does not browse).
  for (const t of nameWords) {
    if (!/[a-z]{3}er$/.test(t) || NOT_AGENT_NOUNS.has(t)) continue;
    const base = [t.slice(0, -2), t.slice(0, -1)].find((b) => OPERATION_BASE.has(b));
    if (base !== undefined) op |= OPERATION.get(stem(base))!;
  }
  return op;
}

const NOT_AGENT_NOUNS: ReadonlySet<string> = new Set(['browser', 'counter', 'viewer', 'poster', 'printer']);

/**
 * A query that opens with a question ("who opened PR 301 and what does it change", "did anyone
 * approve ...", "which API calls did the page make") asks to read: the verbs inside the question
 * say what happened, not what to do. A request may follow the question mark ("... ? switch the
 * color scheme"). `do` opens a question only before its subject ("do I ...", not "do research").
 */
const QUESTION_START = /^\s*(what|which|who|whom|whose|where|when|why|is|are|was|were|does|did|has|have|had|do\s+(?:i|you|we|they)|how\s+(?:many|much))\b/i;

/** "<request> to <verb> ..." up to the end of the clause, unless "to" belongs to the request ("want to", "how to"). */
const PURPOSE_TO = /(?<!\b(?:want|wants|need|needs|how|way|able|going|have|has|had|trying|try|like|used|supposed|is|are))\s+to\s+([a-z]+)\b[^,.;?!]*/i;

/** What something is added to: the words after "to the" of an ADD_TO request, up to the clause's end. */
const ADD_INTO = /\b(?:add|adds|adding|insert|append|put|attach)\b.*?\b(?:to|into|onto)\s+(?:the|my|our|your|this|that|its|their|an?\s+existing)\s+([^,.;:!?()]*)/i;
/** "add/insert/append ... to/into the/my ...": a part added to a thing that exists. */
const ADD_TO = /\b(?:add|adds|adding|insert|append|put|attach)\b.*?\b(?:to|into|onto|at\s+the\s+(?:end|top|bottom|start)\s+of)\s+(?:the|my|our|your|this|that|its|their|an?\s+existing)\b/i;

/** A question about how to do something: its verbs are what the user wants done. */
const HOW_TO = /\b(?:way|possible|able|tool|command|how)\s+to\b|\b(?:can|could|should|would|will)\s+(?:i|you|we|it|one|this|that|tool)\b|\btool\s+(?:can|could|will|would)\b/i;

/**
 * Operation bits a query asks for: those of its verbs, or, when it has none, read for a question.
 * Verbs inside an opening question are not requests (see QUESTION_START); `text` is the query
 * after rewriting. 0 when the query says nothing about it.
 */
function queryOperation(words: readonly string[], raw: string, text: string): number {
  let op = 0;
  let tokens = words;
  // Unless it asks how to do something ("is there a way to delete ...", "which tool can create ...").
  if (QUESTION_START.test(raw) && !HOW_TO.test(raw)) {
    const mark = text.indexOf('?');
    tokens = mark < 0 ? [] : tokenize(text.slice(mark + 1));
  }
  for (const t of tokens) {
    // Only base forms are requests: `changed`, `made`, `changes`, `relation` describe a state or
    // a thing ("which files changed", "requested changes"), not what to do.
    if (!OPERATION_BASE.has(t)) continue;
    op |= OPERATION.get(stem(t))!;
  }
  if (op === 0 && QUESTION.test(raw)) op = Op.Read;
  // Adding something to an existing thing ("add a property to the data source", "append a to-do
  // at the end of my page") creates the part and updates the whole: both agree.
  if ((op & Op.Create) !== 0 && ADD_TO.test(text)) op |= Op.Update;
  return op;
}

/**
 * Score factor for a tool whose operation differs from the query's: 1 when they agree or either
 * says nothing, `cross` between reading and changing, `sibling` between two kinds of change
 * (create vs update).
 */
function operationFactor(query: number, tool: number, cross: number, sibling: number): number {
  if (query === 0 || tool === 0 || (query & tool) !== 0) return 1;
  // Running a query or a find reads: a request to run agrees with a tool that reads.
  if ((query & Op.Execute) !== 0 && (tool & Op.Read) !== 0) return 1;
  const queryWrites = (query & WRITE) !== 0;
  const toolWrites = (tool & WRITE) !== 0;
  if (queryWrites && toolWrites) return sibling;
  return cross;
}

// ---------------------------------------------------------------------------------------------
// Index

const Field = {Name: 0, Title: 1, Params: 2, Description: 3, Server: 4, Summary: 5, ParamDescription: 6} as const;
type Field = (typeof Field)[keyof typeof Field];
const FIELD_COUNT = 7;

/** Ranking constants; exposed so the benchmark can study them, not for callers to tune. */
export const DEFAULT_TUNING = {
  /**
   * How much a match in each field counts: name, title, parameter names, description, server,
   * the description's first sentence (what the tool does, counted again), parameter descriptions.
   */
  fieldWeight: [4.0, 2.0, 0.8, 1.0, 0.8, 2.0, 0.5],
  /** Length normalisation per field: long descriptions should not win by repetition. */
  fieldB: [0.3, 0.3, 0.6, 0.75, 0.2, 0.75, 0.75],
  k1: 2.0,
  /** Added per unit of the share of the tool name's words the query covers. */
  nameCoverage: 1.5,
  /** Weight of a synonym match relative to the word the query used. */
  synonym: 0.6,
  /** Weight of an indexed word the query word is a prefix of (`kube` -> kubernetes). */
  prefix: 0.4,
  /** Weight of a query word that only repeats the idea of an earlier word (`make` after `create`). */
  redundant: 0.3,
  /** Score multiplier added when the query names the tool's server. */
  serverFactor: 1.0,
  /** Score factor when the query reads and the tool changes, or the other way round. */
  opCross: 0.7,
  /** Score factor when both change, differently (create vs update vs delete). */
  opSibling: 0.8,
  /** Share of a tool's score that depends on how much of the query (idf-weighted) it matches at all. */
  coordination: 0.2,
  /** Score factor for the more specific of two sibling tools when the query asks for nothing that makes it specific. */
  specificMiss: 0.8,
  /** Weight of a word the query's phrasing implies ("how many" -> count) relative to a typed word. */
  inferred: 0.5,
  /** Weight of a topic word (after "about", a purpose, a demoted name) relative to a word of the request itself (0.7 did the same, 0.3 cost a held-out query). */
  topic: 0.5,
  /** Name coverage credit of a word the tool's name has in the other grammatical number. */
  numberMiss: 0.6,
  /** Score factor for a tool that searches when the query names a thing by an unknown name or picks things by topic (1.1 to 1.3 the same). */
  namedSearch: 1.1,
  /** Score factors for a converter that gives (takes) what the query asks for. */
  directionMatch: 1.25,
  directionMiss: 0.8,
  /** Added when the query is the tool's name, in any casing or separator style. */
  exactName: 3.0,
  /** Hits scoring below this share of the best hit's are not returned (RELATIVE_CUTOFF). */
  cutoff: RELATIVE_CUTOFF,
  /** Mention credit of a server word that also names other servers' tools. */
  sharedServerWord: 0.25,
  /** Score factor for a tool that creates the thing the query adds something to ("add a row to the table": create_table); 0.5 to 0.8 the same. */
  containerCreate: 0.8,
  /** Weight, times the association's strength, of a word learned to go with a query word (see search-associations.ts). */
  learned: 0.5,
  /** Name coverage credit, times the association's strength, of a name word learned to go with a query word. */
  learnedCredit: 0.5,
};
export type SearchTuning = typeof DEFAULT_TUNING;
/** Smallest idf-weighted value a synonym or completion must reach to be looked up at all. */
const MIN_VARIANT_SCORE = 0.3;
/** "about <topic>" up to the end of its clause; not "about why/how ..." (a question is the request). */
const TOPIC = /\babout\s+(?!(?:why|how|what|which|who|when|where)\b)([^,.;?!]*)/i;

interface Prepared {
  tool: ToolDoc;
  /** Distinct stems of the tool name, for coverage. */
  nameStems: string[];
  /** Index into the distinct servers' stem lists. */
  serverId: number;
  /** Tool name normalised to words joined by a space, for exact matches. */
  exactName: string;
  /** Stems of the tool name joined by a space, for exact matches of a stemmed query. */
  nameKey: string;
  /** Operation bits of the tool's name verbs. */
  op: number;
  /** For a tool that converts one thing into another ("Convert an address into coordinates"): the stems of what it takes and of what it gives. */
  direction?: {from: Set<string>; to: Set<string>};
  /** Name words beyond those of a more general sibling tool of the same server, if it has one. */
  extraWords?: string[];
  /** Stems of the name's nouns written in the plural (`list_issues` -> issue, `push_files` -> file). */
  namePlurals: Set<string>;
  /** Whether learned associations apply: the tool's name is one of the catalog they were learned over. */
  known: boolean;
  /** Whether the name says the tool searches (`search_issues`, `post-search`, `search_nodes`). */
  searches: boolean;
}

/** The regular plural of a noun (`request` -> requests, `repository` -> repositories). */
function pluralOf(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** Whether a word as written is a plural (`issues`, `entries`), not a singular or a word ending in s (`status`). */
function isPlural(word: string): boolean {
  return word.length > 3 && /[^s]s$/.test(word) && !/(us|is)$/.test(word) && stem(word) !== word;
}

/** Field texts a tool is indexed under, each already tokenised and stemmed. */
function fieldTokens(tool: ToolDoc): string[][] {
  const fields: string[][] = Array.from({length: FIELD_COUNT}, () => []);
  const add = (field: Field, text: string | undefined): void => {
    if (text) for (const t of tokenize(text)) fields[field]!.push(stem(t));
  };
  add(Field.Name, tool.tool);
  add(Field.Title, tool.title);
  add(Field.Description, tool.description);
  add(Field.Summary, firstSentence(tool.description));
  add(Field.Server, tool.server);
  collectParams(tool.inputSchema, 0, (name, description) => {
    add(Field.Params, name);
    add(Field.ParamDescription, description);
  });
  return fields;
}

/**
 * What a description's "convert/turn/translate/transform A into/to B" takes (A) and gives (B),
 * as stems; undefined for descriptions of another form.
 */
function conversion(sentence: string | undefined): {from: Set<string>; to: Set<string>} | undefined {
  const m = sentence && /\b(?:convert|turn|translate|transform)s?\s+(.+?)\s+(?:into|to)\s+(.+)/i.exec(sentence);
  if (!m) return undefined;
  const stems = (text: string): Set<string> => new Set(tokenize(text).filter((t) => !STOPWORDS.has(t)).map(stem));
  return {from: stems(m[1]!), to: stems(m[2]!)};
}

/**
 * What a query asks to get, as stems: for "convert/turn ... into/to B" the words of B, otherwise
 * the words before its first preposition ("what street address is at these coordinates" asks for
 * a street address; the coordinates are what it gives). Empty when nothing precedes it.
 */
function askedFor(query: string): Set<string> {
  const lower = query.toLowerCase();
  const into = /\b(?:convert|turn|translate|transform)\s+.+?\s+(?:into|to)\s+(.+)/.exec(lower);
  const part = into ? into[1]! : /^(.*?)\b(?:at|of|for|from|in|near|on|with|given|to)\b/.exec(lower)?.[1];
  return new Set(part ? tokenize(part).filter((t) => !STOPWORDS.has(t)).map(stem) : []);
}

/** The first sentence of a description: what the tool does, before usage notes and caveats. */
function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /[.!?](\s|$)|\n/.exec(text);
  return m ? text.slice(0, m.index) : text;
}

/** Visits parameter names and descriptions of a JSON Schema, two levels deep (objects, arrays of objects). */
function collectParams(schema: unknown, depth: number, visit: (name: string, description?: string) => void): void {
  if (!isRecord(schema) || depth > 2) return;
  const props = schema.properties;
  if (isRecord(props)) {
    for (const [name, sub] of Object.entries(props)) {
      visit(name, isRecord(sub) && typeof sub.description === 'string' ? sub.description : undefined);
      collectParams(sub, depth + 1, visit);
    }
  }
  if (isRecord(schema.items)) collectParams(schema.items, depth + 1, visit);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Normalises a string to its words joined by single spaces (no stemming), for exact name checks. */
function wordsKey(text: string): string {
  return tokenize(text).join(' ');
}

interface QueryTerm {
  /** Stem as typed (after stemming). */
  stem: string;
  /** Stems to look up with their weights: itself at 1, synonyms and prefix completions lower. */
  variants: [string, number][];
  /** Grammatical number of the word as typed: true plural, false singular, undefined unknown (not typed as such). */
  plural?: boolean;
  /** When the word is part of a server's name typed whole (`context7`): the only server whose tools it matches. */
  server?: number;
  /** Learned associations of the word (search-associations.ts). */
  learned: readonly (readonly [string, number])[];
  /** The variants that come from associations alone: they match known tools only. */
  learnedOnly?: Set<string>;
  /** Mass of the word in the `match` share (0 for operation verbs and inferred words). */
  content: number;
}

/**
 * Builds an index over `tools`. Cost is linear in the total text; tools may be any mix of servers
 * and may lack a title, description or schema. A query is scored in time proportional to the
 * postings of its terms (and their synonyms); queries of only stopwords or unknown words return
 * `[]`. Never throws for any string input. `tuning` and `associations` (the learned word
 * associations, by default the shipped table, built on the first call) exist for the benchmark
 * and tests; callers omit them.
 */
export function createSearchIndex(tools: readonly ToolDoc[], tuning: SearchTuning = DEFAULT_TUNING, associations: Associations = loadAssociations(), knownTools: ReadonlySet<string> = loadKnownTools()): SearchIndex {
  const {fieldWeight: FIELD_WEIGHT, fieldB: FIELD_B, k1: K1, nameCoverage: NAME_COVERAGE_BONUS} = tuning;
  const {synonym: SYNONYM_WEIGHT, prefix: PREFIX_WEIGHT, redundant: REDUNDANT_WEIGHT, serverFactor: SERVER_FACTOR} = tuning;
  const {opCross: OP_CROSS, opSibling: OP_SIBLING, coordination: COORD, specificMiss: SPECIFIC_MISS, inferred: INFERRED_WEIGHT} = tuning;
  const {containerCreate: CONTAINER_CREATE, cutoff: CUTOFF} = tuning;
  const {topic: TOPIC_WEIGHT, numberMiss: NUMBER_MISS, namedSearch: NAMED_SEARCH, directionMatch: DIRECTION_MATCH, directionMiss: DIRECTION_MISS} = tuning;
  const {exactName: EXACT_NAME_BONUS, sharedServerWord: SHARED_SERVER_WORD_CREDIT, learned: LEARNED_WEIGHT, learnedCredit: LEARNED_CREDIT} = tuning;
  const n = tools.length;
  const prepared: Prepared[] = [];
  const perDocFields: string[][][] = [];
  const totalLen = new Float64Array(FIELD_COUNT);
  const serverIds = new Map<string, number>();
  const serverStems: string[][] = [];
  const serverIdOf = (stems: string[]): number => {
    const key = stems.join(' ');
    let id = serverIds.get(key);
    if (id === undefined) {
      id = serverStems.length;
      serverIds.set(key, id);
      serverStems.push([...new Set(stems)]);
    }
    return id;
  };

  for (const tool of tools) {
    const fields = fieldTokens(tool);
    perDocFields.push(fields);
    for (let f = 0; f < FIELD_COUNT; f++) totalLen[f]! += fields[f]!.length;
    const nameWords = tokenize(tool.tool);
    prepared.push({
      tool,
      nameStems: [...new Set(fields[Field.Name])],
      known: knownTools.has(tool.tool),
      serverId: serverIdOf(fields[Field.Server]!),
      exactName: nameWords.join(' '),
      nameKey: fields[Field.Name]!.join(' '),
      op: toolOperation(nameWords),
      direction: conversion(firstSentence(tool.description)),
      namePlurals: new Set(nameWords.filter(isPlural).map(stem)),
      searches: nameWords.some((t) => t === 'search' || t === 'find'),
    });
  }
  // Words of tool and server names, to tell a name in a query from a value.
  const nameVocabulary = new Set<string>();
  const serverVocabulary = new Set<string>();
  // Things some tool lists (`list_issues`, `list-collections`): their plurals ask for that listing.
  const listedThings = new Set<string>();
  for (const fields of perDocFields) if (fields[Field.Name]!.includes('list')) for (const t of fields[Field.Name]!) if (t !== 'list') listedThings.add(t);
  for (const fields of perDocFields) {
    for (const t of fields[Field.Name]!) nameVocabulary.add(t);
    for (const t of fields[Field.Server]!) nameVocabulary.add(t), serverVocabulary.add(t);
  }
  const avgLen = Array.from(totalLen, (t) => (n > 0 ? t / n : 0) || 1);
  // camelCase words the catalog itself writes (`JavaScript`, `connectionId`), lowercased: a query
  // using one means the catalog's thing; any other is a name (see keepKnownWords).
  const catalogCamel = new Set<string>();
  const addCamel = (text: string | undefined): void => {
    // The cheap test (an upper-case letter after a letter or digit) skips most texts.
    if (text && /[A-Za-z0-9][A-Z]/.test(text)) for (const m of text.matchAll(/\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g)) catalogCamel.add(m[0].toLowerCase());
  };
  for (const tool of tools) {
    addCamel(tool.tool);
    addCamel(tool.title);
    addCamel(tool.description);
    collectParams(tool.inputSchema, 0, (name, description) => {
      addCamel(name);
      addCamel(description);
    });
  }
  // Name words every tool of a server shares (`browser_`, `API-`, `kubectl_`, `maps_`) and filler
  // words (`a` in `retrieve-a-page`) tell the server's tools apart no better than nothing, so name
  // coverage is measured over the remaining, distinguishing words.
  {
    const byServer = new Map<number, number[]>();
    for (let d = 0; d < n; d++) {
      const id = prepared[d]!.serverId;
      let list = byServer.get(id);
      if (!list) byServer.set(id, (list = []));
      list.push(d);
    }
    for (const docs of byServer.values()) {
      const freq = new Map<string, number>();
      for (const d of docs) for (const t of prepared[d]!.nameStems) freq.set(t, (freq.get(t) ?? 0) + 1);
      // All of each name's words (the shared ones too), for the sibling comparison below.
      const full = new Map(docs.map((d) => [d, prepared[d]!.nameStems.filter((t) => !STOPWORDS.has(t))]));
      for (const d of docs) {
        const doc = prepared[d]!;
        const kept = doc.nameStems.filter((t) => !STOPWORDS.has(t) && !(docs.length >= 3 && freq.get(t)! > docs.length / 2));
        if (kept.length > 0) doc.nameStems = kept;
      }
      // A tool whose name is a sibling's plus more words (`get_pull_request_files` vs
      // `get_pull_request`, `read_media_file` vs `read_file`) is the more specific one; its
      // extra words are what the query must ask for to prefer it over the general sibling.
      for (const d of docs) {
        const own = full.get(d)!;
        let best: string[] | undefined;
        for (const e of docs) {
          if (e === d) continue;
          const other = full.get(e)!;
          if (other.length === 0 || other.length >= own.length || (best && other.length <= own.length - best.length)) continue;
          if (other.every((t) => own.includes(t))) best = own.filter((t) => !other.includes(t));
        }
        if (best) prepared[d]!.extraWords = best;
      }
    }
  }
  // Server words that also name other servers' tools (`map` of google-maps vs tavily_map,
  // `search` of brave-search) say little about which server the query means.
  const sharedServerWords = new Set<string>();
  {
    const words = new Set(serverStems.flat());
    for (let d = 0; d < n; d++) {
      const own = serverStems[prepared[d]!.serverId]!;
      for (const t of prepared[d]!.nameStems) if (words.has(t) && !own.includes(t)) sharedServerWords.add(t);
    }
  }

  // Per term: the documents holding it and the BM25F weight of the term in each (query-independent).
  const postings = new Map<string, {docs: number[]; weights: number[]}>();
  for (let d = 0; d < n; d++) {
    const fields = perDocFields[d]!;
    const weighted = new Map<string, number>();
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = fields[f]!.length;
      const norm = 1 - FIELD_B[f]! + (FIELD_B[f]! * len) / avgLen[f]!;
      const w = FIELD_WEIGHT[f]! / norm;
      for (const t of fields[f]!) weighted.set(t, (weighted.get(t) ?? 0) + w);
    }
    for (const [term, tf] of weighted) {
      let p = postings.get(term);
      if (!p) postings.set(term, (p = {docs: [], weights: []}));
      p.docs.push(d);
      p.weights.push(tf / (K1 + tf));
    }
  }
  const idf = new Map<string, number>();
  // Final posting lists: typed arrays holding idf * saturated term weight, ready to add up.
  const scored = new Map<string, {docs: Int32Array; scores: Float64Array}>();
  for (const [term, p] of postings) {
    const termIdf = Math.log(1 + (n - p.docs.length + 0.5) / (p.docs.length + 0.5));
    idf.set(term, termIdf);
    scored.set(term, {docs: Int32Array.from(p.docs), scores: Float64Array.from(p.weights, (w) => w * termIdf)});
  }
  postings.clear();
  /** The idf of a word no document holds: what a query word the catalog never uses weighs in `match`. */
  const absentIdf = Math.log(1 + (n + 0.5) / 0.5);
  const vocabulary = [...scored.keys()].sort();


  /** Vocabulary terms starting with `prefix` (binary search in the sorted vocabulary), capped. */
  function completions(prefix: string): string[] {
    let lo = 0;
    let hi = vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (vocabulary[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < vocabulary.length && out.length < 8 && vocabulary[i]!.startsWith(prefix); i++) {
      if (vocabulary[i] !== prefix) out.push(vocabulary[i]!);
    }
    return out;
  }

  /** Endings that make a word rather than a second word (`statement` is not state + ment). */
  const WORD_SUFFIXES = new Set(['ment', 'ments', 'ness', 'able', 'ible', 'less', 'ful', 'ship', 'ance', 'ence', 'ity', 'ing', 'ion', 'ions', 'ers', 'est']);

  /**
   * Splits an unknown word into two indexed words (`sitemap` -> site, map), or returns undefined.
   * Prefers the split with the longest first part.
   */
  function splitCompound(word: string): string[] | undefined {
    // A word the synonym table knows (`forget`) is a word, not a compound (`for` + `get`).
    if (word.length < 6 || scored.has(stem(word)) || SYNONYMS.has(stem(word))) return undefined;
    for (let i = word.length - 3; i >= 3; i--) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (STOPWORDS.has(head) || STOPWORDS.has(tail) || WORD_SUFFIXES.has(tail)) continue;
      if (scored.has(stem(head)) && scored.has(stem(tail))) return [head, tail];
    }
    return undefined;
  }

  /**
   * A run of capitalised words inside a query ("Big Ben", "New York", "Downing Street") is a
   * name, a value: its words that name no tool or server are dropped, so `new` of New York does
   * not ask to create. Words of tool and server names ("Pull Request", "Google Maps") stay.
   */
  function dropProperNames(text: string): string {
    return text.replace(/(?<=\S\s+)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b/g, (run) => {
      const kept = run.split(/\s+/).filter((w) => nameVocabulary.has(stem(w.toLowerCase())));
      if (kept.length < run.split(/\s+/).length) namedValue = true;
      return kept.join(' ');
    });
  }

  /**
   * Identifiers and names in a query are values, not words of the request: a snake_case or
   * KEY=value identifier (`staging_test`, `LOG_LEVEL=debug`), a hyphenated one with a number
   * (`web-0`, `checkout-5f6`), and the one word naming a thing before its kind ("the clickstream
   * collection", "the batch namespace", "in analytics db"). A typed tool name (`create_issue`)
   * and a server's name ("the notion workspace") stay.
   */
  function dropValueNames(text: string, demoted: string[] = []): string {
    return text
      .replace(/(?<![\w./@-])[A-Za-z0-9]+(?:[_=-][A-Za-z0-9.]+)+(?![\w/-])/g, (id) => {
        if (!/[_=]|-[a-z.]*\d/i.test(id)) return id;
        return tokenize(id).every((t) => nameVocabulary.has(stem(t))) ? id : ' ';
      })
      .replace(VALUE_BEFORE_KIND, (all, before: string, name: string) => {
        const s = stem(name.toLowerCase());
        if (serverVocabulary.has(s)) return all;
        // A known word naming the thing ("the docs folder") may still mean something: it is
        // demoted to the query's topic (half weight) rather than dropped.
        if (scored.has(s)) demoted.push(name);
        return `${before} `;
      })
      .replace(NAME_AFTER_KIND, (all, before: string, name: string) => {
        // Unless the words are (part of) a tool's or a server's name ("in google-maps", "the
        // read-file tool") or one names a server (`kube-system`).
        const words = ` ${wordsKey(name)} `;
        return catalogNames.includes(words) || tokenize(name).some((t) => t.length >= 4 && (namesServer(t) || namesServer(stem(t)))) ? all : `${before} `;
      });
  }

  /**
   * A camelCase word the catalog knows whole (`MongoDB`, `GitHub`, `PostgreSQL` as server names)
   * is one word: split, `MongoDB` would ask for `db` tools. One the catalog never writes
   * (`TypeScript`, `OpenSSL`) is a name, a value: split, its parts would ask for `browser_type`
   * or `open_nodes`. It stays when the catalog writes it (`JavaScript`, `connectionId`) or when
   * every part names a tool (a typed tool name, `readFile`), or names a server.
   */
  function keepKnownWords(text: string): string {
    return text.replace(/\b[A-Za-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b/g, (word) => {
      const lower = word.toLowerCase();
      if (scored.has(stem(lower))) return lower;
      // An acronym, plural ones too (`PRs`, `URLs`), is not camelCase.
      if (!/[a-z]/.test(word) || /^[A-Z]+s$/.test(word) || catalogCamel.has(lower)) return word;
      const parts = tokenize(word);
      if (parts.every((t) => nameVocabulary.has(stem(t))) || parts.some((t) => t.length >= 4 && namesServer(stem(t)))) return word;
      namedValue = true;
      return ' ';
    });
  }

  /** Whether a query stem names a server on its own: a server word no other server's tool names, or a prefix of one (`mongo`). */
  function namesServer(s: string): boolean {
    let known = serverNamers.get(s);
    if (known === undefined) {
      known = serverVocabulary.has(s) ? !sharedServerWords.has(s) : s.length >= 4 && [...serverVocabulary].some((w) => w.startsWith(s) && !sharedServerWords.has(w));
      // Bounded like the stem cache: queries are short, but their words are unbounded.
      if (serverNamers.size < 10_000) serverNamers.set(s, known);
    }
    return known;
  }
  const serverNamers = new Map<string, boolean>();
  /** Every tool and server name as words, each between spaces, to tell a kebab-case name the catalog uses from a value. */
  const catalogNames = ` ${[...new Set([...prepared.map((p) => p.exactName), ...[...new Set(tools.map((t) => t.server))].map(wordsKey)])].join(' | ')} `;
  /** Servers whose name has several parts (`context7`, `brave-search`), by the name as written, lowercased. */
  const wholeServerNames = new Map<string, number>();
  for (const doc of prepared) if (tokenize(doc.tool.server).length >= 2) wholeServerNames.set(doc.tool.server.toLowerCase(), doc.serverId);

  /** Whether a word is indexed or in the synonym table (as its stem). */
  function isKnown(word: string): boolean {
    const s = stem(word);
    return scored.has(s) || SYNONYMS.has(s);
  }

  /** Set while reading a query when it names a thing by a name the catalog does not know ("Q3 Roadmap", `TypeScript`). */
  let namedValue = false;

  function parseQuery(input: string): {terms: QueryTerm[]; op: number; servers: number[]; named: boolean; container?: Set<string>} {
    namedValue = false;
    const words: string[] = [];
    const typedAs = new Map<string, string>();
    // A server's name of several parts typed as one word (`context7`, `google-maps`) names that
    // server: its parts match only that server's tools (`context` would find `kubectl_context`).
    const servers: number[] = [];
    const serverOnly = new Map<string, number>();
    if (wholeServerNames.size > 0) {
      for (const word of input.match(/[\w.-]+/g) ?? []) {
        const id = wholeServerNames.get(word.toLowerCase());
        if (id === undefined) continue;
        servers.push(id);
        for (const t of tokenize(word)) serverOnly.set(stem(t), id);
      }
    }
    // A URL's host or a file name may name a server (`https://www.figma.com/design/...`,
    // `github.com/acme/api`, `.gitlab-ci.yml`): it becomes a value below, but the server it names
    // stays a word of the request.
    let query = input;
    for (const pattern of [URL_HOST, FILE_LIKE]) {
      for (const m of input.matchAll(pattern)) {
        for (const label of m[1]!.toLowerCase().split(/[./_-]+/)) if (label.length >= 3 && namesServer(stem(label))) query += ` ${label}`;
      }
    }
    const rewritten = rewritePhrases(query);
    const demoted: string[] = [];
    let purposeWords = 0;
    const cleaned = keepKnownWords(dropProperNames(dropValueNames(rewritten.query, demoted)));
    // What the request is about ("repositories about vector databases", "the news about
    // OpenSSL") is its topic: it comes after the rest and counts less than what is asked for.
    const hasContent = (list: readonly string[]): boolean => list.some((t) => t.length > 1 && !STOPWORDS.has(t));
    let tokens = tokenize(cleaned);
    const topic: string[] = [];
    // "press Escape to close the modal", "run some JavaScript in the page to read the title": after
    // a request, "to <verb> ..." says what for; it is a topic, and its verb is not the request's.
    const purpose = QUESTION_START.test(query) ? null : PURPOSE_TO.exec(cleaned);
    if (purpose && OPERATION_BASE.has(purpose[1]!.toLowerCase())) {
      const main = tokenize(cleaned.slice(0, purpose.index) + ' ' + cleaned.slice(purpose.index + purpose[0].length));
      if (hasContent(main)) {
        tokens = main;
        purposeWords = tokenize(purpose[0]).length;
        topic.push(...tokenize(purpose[0]));
      }
    }
    // One topic per query: a purpose, else what it is about.
    const about = purposeWords === 0 ? TOPIC.exec(cleaned) : null;
    if (about) {
      const main = tokenize(cleaned.slice(0, about.index) + ' ' + cleaned.slice(about.index + about[0].length));
      if (hasContent(main)) {
        tokens = main;
        topic.push(...tokenize(about[1]!));
        // Things picked by what they are about ("repos about vector databases", "what do I
        // have in memory about the migration") are found by searching their content.
        namedValue = true;
      }
    }
    for (const name of demoted) (hasContent(tokens) ? topic : tokens).push(...tokenize(name));
    const topicStart = topic.length > 0 ? tokens.length : Infinity;
    tokens.push(...topic);
    // Words the phrasing implies ("how many" -> count) come last and count less than typed words.
    const inferred = tokenize(rewritten.inferred);
    const typedCount = tokens.length;
    tokens.push(...inferred);
    let inferredFrom = Infinity;
    let topicFrom = Infinity;
    for (let i = 0; i < tokens.length; i++) {
      if (i === typedCount) inferredFrom = words.length;
      if (i === topicStart) topicFrom = words.length;
      let token = tokens[i]!;
      // A verb and its particle may be one known word (`mouse over` -> mouseover, `clean up` ->
      // cleanup); the particle alone is a stopword and would be lost.
      const next = tokens[i + 1];
      if (next !== undefined && PARTICLES.has(next) && isKnown(token + next)) {
        token += next;
        i++;
      }
      // Single letters are leftovers of contractions and paths (`what's`, `a.txt`).
      if (token.length < 2 || STOPWORDS.has(token)) continue;
      // An indefinite pronoun ("forget everything about ...") is a word of the sentence even when
      // a server bears it as its name; it names the server only as "the everything server/MCP".
      if (PRONOUNS.has(token) && next !== 'server' && next !== 'mcp') continue;
      // A shell command that is also an English word ("what files did the PR touch") is a command
      // only where a command stands: first in the query.
      const alias = SHELL_WORDS.has(token) && i > 0 ? undefined : ALIASES[token];
      if (!alias) typedAs.set(token, token);
      // A shorthand noun written in both numbers says which: `PR 73` is one pull request, `PRs`
      // several (pr/prs, mr/mrs, repo/repos, db/dbs, url/urls).
      else if (ALIASES[token.endsWith('s') ? token.slice(0, -1) : `${token}s`]) {
        const noun = alias[alias.length - 1]!;
        if (!typedAs.has(noun)) typedAs.set(noun, token.endsWith('s') ? pluralOf(noun) : noun);
      }
      if (alias) words.push(token, ...alias);
      else words.push(...(splitCompound(token) ?? [token]));
    }
    let op = queryOperation(purposeWords > 0 ? words.filter((_, i) => i < topicFrom || i >= inferredFrom) : words, query, rewritten.query);
    // A query without any verb that names things in the plural which a tool lists ("github open
    // bug issues", "mongo collections in analytics db") asks for that listing.
    const typed = words.slice(0, Math.min(words.length, inferredFrom, topicFrom));
    // So does one that only asks to see them ("show dbs", "show me 20 companies").
    const pluralListed = (w: string): boolean => {
      const written = typedAs.get(w) ?? w;
      return written.length > 3 && /[^s]s$/.test(written) && listedThings.has(stem(w));
    };
    if ((op === 0 || (op === Op.Read && typed.some((w) => SHOW_VERBS.has(w)))) && typed.some(pluralListed)) {
      if (inferredFrom === Infinity) inferredFrom = words.length;
      words.push('list');
      op = Op.Read;
    }
    const seen = new Set<string>();
    const terms: QueryTerm[] = [];
    const plain = new Set(associations.size > 0 ? tokenize(plainWords(input)).map(stem) : []);
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const s = stem(word);
      if (seen.has(s)) continue;
      seen.add(s);
      // Several words for one idea (`make a new ...`) count as that idea once, not once per word.
      const redundant = terms.some((t) => SYNONYMS.get(t.stem)?.includes(s));
      const scale = (redundant ? REDUNDANT_WEIGHT : 1) * (w >= inferredFrom ? INFERRED_WEIGHT : w >= topicFrom ? TOPIC_WEIGHT : 1);
      const variants = new Map<string, number>([[s, scale]]);
      for (const syn of SYNONYMS.get(s) ?? []) if (!variants.has(syn)) variants.set(syn, SYNONYM_WEIGHT * scale * ambiguity(syn));
      // A query word that is a prefix of indexed words (`repo` -> `repository`) also matches them.
      if (s.length >= 3) for (const c of completions(s)) if (!variants.has(c)) variants.set(c, PREFIX_WEIGHT * scale);
      // Words that labelled queries using this word wanted in their tool ("report" -> issue).
      // An association naming an operation the query does not ask for ("what do you remember
      // about ..." reads, though most queries saying remember create) is left out.
      const learned = plain.has(s) ? (associations.get(s) ?? []).filter(([a]) => op === 0 || !OPERATION.has(a) || (OPERATION.get(a)! & op) !== 0) : [];
      let learnedOnly: Set<string> | undefined;
      for (const [a, strength] of learned) {
        if (variants.has(a) || !scored.has(a)) continue;
        variants.set(a, LEARNED_WEIGHT * strength * scale);
        (learnedOnly ??= new Set()).add(a);
      }
      // Only a word typed as itself says singular or plural (not an alias's expansion or a phrasing's).
      const plural = w < inferredFrom && typedAs.has(word) ? isPlural(typedAs.get(word)!) : undefined;
      // A content word names what the request is about (not an operation verb, not implied by the
      // phrasing): its own idf, or that of a word in no document when no tool holds it.
      const content = w < inferredFrom && !OPERATION_BASE.has(word) ? scale * (idf.get(s) ?? absentIdf) : 0;
      terms.push({stem: s, variants: [...variants], plural, server: serverOnly.get(s), learned, content, ...(learnedOnly ? {learnedOnly} : {})});
    }
    // "add a row to the Bugs table": the table exists; the request adds to it, it does not create one.
    const into = (op & Op.Create) !== 0 ? ADD_INTO.exec(rewritten.query) : null;
    const container = into ? new Set(tokenize(into[1]!.split(/\s(?:in|on|of|with|from|for|at|under|so|and|that|which|saying)\s/i)[0]!).map(stem)) : undefined;
    return {terms, op, servers, named: namedValue, ...(container && container.size > 0 ? {container} : {})};
  }

  const scores = new Float64Array(n);
  const termBest = new Float64Array(n);
  const termMass = new Float64Array(n);
  const coord = new Float64Array(n);
  const contentHit = new Float64Array(n);
  const ownHit = new Uint8Array(n);
  const touchedFlag = new Uint8Array(n);

  return {
    size: n,
    search(query, limit = 10) {
      if (n === 0 || limit <= 0) return [];
      let parsed = parseQuery(query);
      // A question about the world, most of whose words no tool knows ("who won the 2024 Tour de
      // France?"), is for a web search.
      if (WH_QUESTION.test(query) && parsed.terms.filter((t) => t.variants.some(([v]) => scored.has(v) && !t.learnedOnly?.has(v))).length * 3 < parsed.terms.length) parsed = parseQuery(`${query} web search`);
      const {terms, op: queryOp, servers: namedServers, named, container} = parsed;
      let asked: Set<string> | undefined;
      if (terms.length === 0) return [];
      const touched: number[] = [];
      const queryStems = new Set(terms.map((t) => t.stem));
      // Name coverage credit per stem: a query word counts fully, its synonyms half.
      const credit = new Map<string, number>();
      for (const t of terms) credit.set(t.stem, 1);
      // Stems the query names in one grammatical number: "show issue #128" asks for one issue
      // (`get_issue`), "list the issues" for many (`list_issues`).
      const numbered = new Map<string, boolean>();
      for (const t of terms) if (t.plural !== undefined) numbered.set(t.stem, t.plural);
      for (const t of terms) for (const syn of SYNONYMS.get(t.stem) ?? []) if (!credit.has(syn)) credit.set(syn, 0.5 * ambiguity(syn));
      // A learned association covers a name word too, by its strength: for known tools only, as
      // the associations' scores are (the others use `credit`).
      const knownCredit = new Map(credit);
      for (const t of terms) for (const [a, strength] of t.learned) if (!knownCredit.has(a)) knownCredit.set(a, LEARNED_CREDIT * strength);
      const mentions = new Float64Array(serverStems.length).fill(-1);
      // Coordination: the idf-weighted share of the query's words a tool matches at all.
      let queryMass = 0;
      // The same without associations: the whole of the query for a tool they do not apply to.
      let queryPlainMass = 0;
      for (const term of terms) {
        // A query word scores once per document: its best-matching variant.
        const termTouched: number[] = [];
        let mass = 0;
        let plainMass = 0;
        for (const [variant, weight] of term.variants) {
          const p = scored.get(variant);
          if (!p) continue;
          const own = variant === term.stem;
          const learnedOnly = term.learnedOnly?.has(variant) === true;
          const vIdf = idf.get(variant)!;
          // A synonym or completion that is also a common word can add only a sliver of score
          // but would touch most of the catalog; skipping it keeps big catalogs fast.
          if (weight < 1 && weight * vIdf < MIN_VARIANT_SCORE) continue;
          if (weight * vIdf > mass) mass = weight * vIdf;
          if (!learnedOnly && weight * vIdf > plainMass) plainMass = weight * vIdf;
          const {docs, scores: vScores} = p;
          for (let i = 0; i < docs.length; i++) {
            const d = docs[i]!;
            if (term.server !== undefined && prepared[d]!.serverId !== term.server) continue;
            if (learnedOnly && !prepared[d]!.known) continue;
            const s = vScores[i]! * weight;
            const best = termBest[d]!;
            if (best === 0) termTouched.push(d);
            if (own) ownHit[d] = 1;
            if (s > best) {
              termBest[d] = s;
              if (weight * vIdf > termMass[d]!) termMass[d] = weight * vIdf;
            }
          }
        }
        queryMass += mass;
        queryPlainMass += plainMass;
        // A word naming a server ("mongo create collection") says which server, not which of its
        // tools: every tool of that server gets the best credit any of them got for it, so a
        // description that happens to repeat the server's name ("... into a MongoDB collection")
        // does not decide between siblings.
        if (namesServer(term.stem)) {
          const best = new Map<number, number>();
          for (const d of termTouched) {
            const id = prepared[d]!.serverId;
            if (!serverStems[id]!.some((w) => w === term.stem || (term.stem.length >= 4 && w.startsWith(term.stem)))) continue;
            best.set(id, Math.max(best.get(id) ?? 0, termBest[d]!));
          }
          for (const d of termTouched) {
            const b = best.get(prepared[d]!.serverId);
            if (b !== undefined) termBest[d] = b;
          }
        }
        for (const d of termTouched) {
          scores[d]! += termBest[d]!;
          coord[d]! += termMass[d]!;
          // The word itself counts fully; a synonym, completion or association only partly: it may
          // mean something else (`message` reaching `text`).
          if (term.content > 0) contentHit[d]! += term.content * (ownHit[d] === 1 ? 1 : VARIANT_MATCH);
          ownHit[d] = 0;
          termMass[d] = 0;
          termBest[d] = 0;
          if (touchedFlag[d] === 0) {
            touchedFlag[d] = 1;
            touched.push(d);
          }
        }
      }

      const contentMass = terms.reduce((sum, t) => sum + t.content, 0);
      const queryKey = terms.map((t) => t.stem).join(' ');
      const rawKey = wordsKey(query);
      // Keep only the best `limit` hits (sorted, small) instead of sorting every touched document.
      const top: {d: number; score: number; match: number}[] = [];
      for (const d of touched) {
        const doc = prepared[d]!;
        let score = scores[d]!;
        scores[d] = 0;
        const whole = doc.known ? queryMass : queryPlainMass;
        const share = whole > 0 ? Math.min(1, coord[d]! / whole) : 0;
        if (whole > 0) score *= 1 - COORD + COORD * share;
        const match = contentMass > 0 ? Math.min(1, contentHit[d]! / contentMass) : share;
        coord[d] = 0;
        contentHit[d] = 0;
        touchedFlag[d] = 0;
        // How much of the tool's own name the query covers; a synonym covers a word half as well.
        const docCredit = doc.known ? knownCredit : credit;
        let covered = 0;
        for (const ns of doc.nameStems) {
          const c = docCredit.get(ns);
          if (c === undefined) continue;
          const plural = numbered.get(ns);
          // A name word in the other number (`list_issues` for "issue #128") covers it less well.
          covered += plural !== undefined && plural !== doc.namePlurals.has(ns) ? c * NUMBER_MISS : c;
        }
        // The more specific of two siblings needs the query to ask for what makes it specific.
        if (doc.extraWords && !doc.extraWords.some((w) => docCredit.has(w))) score *= SPECIFIC_MISS;
        if (doc.nameStems.length > 0) score += NAME_COVERAGE_BONUS * (covered / doc.nameStems.length) * Math.min(1, score);
        // A query that names a server ("github create issue", "mongo") prefers that server's tools.
        let mention = mentions[doc.serverId]!;
        if (mention < 0) mention = mentions[doc.serverId] = namedServers.includes(doc.serverId) ? 1 : serverMention(serverStems[doc.serverId]!, queryStems, sharedServerWords, SHARED_SERVER_WORD_CREDIT);
        if (mention > 0) score *= 1 + SERVER_FACTOR * mention;
        // A tool that does something else than asked (reads when asked to change) ranks lower.
        score *= operationFactor(queryOp, doc.op, OP_CROSS, OP_SIBLING);
        // A tool that creates the thing the query adds to (create_table for "add a row to the
        // table") does something else: the thing exists.
        if (container && (doc.op & Op.Create) !== 0 && (doc.op & Op.Update) === 0) {
          const things = doc.nameStems.filter((t) => !OPERATION.has(t));
          if (things.length > 0 && things.every((t) => container.has(t))) score *= CONTAINER_CREATE;
        }
        // A thing named by a name the catalog does not know ("what do you remember about
        // TypeScript?") is found by searching for it: tools that search rank a little higher.
        if (named && doc.searches) score *= NAMED_SEARCH;
        // A converter that gives what the query asks for beats the one that takes it.
        if (doc.direction) {
          asked ??= askedFor(query);
          const gives = [...asked].some((t) => doc.direction!.to.has(t));
          const takes = [...asked].some((t) => doc.direction!.from.has(t));
          if (gives !== takes) score *= gives ? DIRECTION_MATCH : DIRECTION_MISS;
        }
        if (rawKey === doc.exactName || queryKey === doc.nameKey) score += EXACT_NAME_BONUS;
        if (top.length === limit && score <= top[top.length - 1]!.score) continue;
        // Ties keep catalog order: earlier documents first.
        let i = top.length;
        while (i > 0 && (top[i - 1]!.score < score || (top[i - 1]!.score === score && top[i - 1]!.d > d))) i--;
        top.splice(i, 0, {d, score, match});
        if (top.length > limit) top.pop();
      }
      // Hits far below the best are filler from unrelated tools, not alternatives.
      const floor = top.length > 0 ? top[0]!.score * CUTOFF : 0;
      return top.filter((h) => h.score >= floor).map(({d, score, match}) => ({tool: prepared[d]!.tool, score, match}));
    },
  };
}

/**
 * How fully the query names a server: the share of the server name's words the query contains,
 * where a query word of four or more letters may abbreviate a server word (`mongo` -> mongodb).
 */
function serverMention(serverStems: readonly string[], queryStems: ReadonlySet<string>, shared: ReadonlySet<string>, sharedCredit: number): number {
  if (serverStems.length === 0) return 0;
  let hit = 0;
  for (const s of serverStems) {
    const credit = shared.has(s) ? sharedCredit : 1;
    if (queryStems.has(s)) hit += credit;
    else for (const q of queryStems) if (q.length >= 4 && s.startsWith(q)) { hit += credit; break; }
  }
  return hit / serverStems.length;
}


// ---------------------------------------------------------------------------------------------
// Baselines for the benchmark (bench/search); not used by mcpx serve.

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
