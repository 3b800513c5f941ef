/**
 * Clause-level query analysis of tool search: what a query says it does not want (negations),
 * why it asks (purpose clauses), what it is about (topics), quoted text and the shapes of values;
 * `rewritePhrases` runs the rewriters and implications (rewriters.ts) and these in order.
 */
import {implied, rewrite} from './rewriters.js';
import {STOPWORDS, tokenize} from './text.js';

/** The host of a URL or of a bare domain with a path. */
export const URL_HOST = /(?:\b(?:https?|wss?):\/\/|(?<![\w.@\/-])(?=[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|co|so|app)\/))(?:www\.)?([\w-]+(?:\.[\w-]+)+)/gi;

/** A file name or path with an extension, or a dotfile (`.gitlab-ci.yml`, `src/app.ts`). */
export const FILE_LIKE = /(?<![\w.\/:@-])((?:[\w-]+\/)*\.?[\w-]+(?:\.[\w-]+)*\.[a-z][a-z0-9]{0,4}|\.[a-z][\w-]+)(?=[\s,;:!?)]|$)/gi;

/**
 * What the query says it does not want ("without the snapshot", "skipping node_modules", "no page
 * text") names words that must not count: the phrase up to the next comma or clause is dropped.
 */
export const NEGATED = /\b(without|skipping|skip|excluding|except|ignoring|no|not|rather\s+than|instead\s+of)\s+(?:\w+ing\s+)?(?:(?:the|a|an|any|whole)\s+)*[\w./-]+(?:\s+(?!and\b|or\b|but\b|to\b|in\b|on\b|from\b|with\b|for\b|that\b)[\w./-]+){0,2}/gi;

/** "the <name> <kind>": a determiner or preposition, the one word naming the thing, then its kind. */
export const VALUE_BEFORE_KIND = /\b(the|my|our|your|its|this|that|in|into|from|on|to)\s+([\w-]+)(?=\s+(?:collections?|databases?|dbs?|tables?|namespaces?|channels?|repos?|repository|branch|project|workspace|folder|directory|cluster|deployment)\b)/gi;

/**
 * A kebab-case name right after a preposition or the kind of thing it names ("the job
 * migrate-db", "reported in node-fetch", "pod api-server"): a value, whatever its parts mean.
 */
export const NAME_AFTER_KIND = /\b(in|of|from|for|on|job|cronjob|pod|deployment|service|namespace|collection|database|db|table|channel|repo|repository|branch|project|package|library|node|container)\s+([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)+)(?![\w\/.-])/gi;

/** "so (that) I/you/the ... <until the clause ends>": why the user asks, not what. */
export const PURPOSE = /\bso(?:\s+that)?\s+(?:i|you|we|they|it|its|the|that|this|my|our)\b[^,.;?!]*/gi;

/** A file name with an extension (`package.json`, `src/index.ts`), for counting them. */
export const FILE_NAME = /(?<![\w.\/:-])[\w.\/-]*\w\.(?!(?:com|org|net|io|dev|ai|co|edu|gov|app)\b)[a-z][a-z0-9]{0,4}(?![\w.\/])/gi;

/** A question to look up (a question word first, or a question mark last). */
export const WH_QUESTION = /^\s*(?:who|what|when|where|which|why|how)\b|\?\s*$/i;

/** Quoted text is a value (a message to send, text to wait for), not words of the request. */
export const QUOTED: readonly RegExp[] = [/(^|\s)"[^"]*"/g, /(^|\s)'[^']*'(?=[\s,.;:!?]|$)/g, /(^|\s)`[^`]*`/g];

/** The query with phrasal verbs replaced, and the operation words its phrasings imply. */
export function rewritePhrases(input: string): {query: string; inferred: string} {
  let query = input;
  // Case is kept: tokenize splits camelCase.
  query = rewrite(query);
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
  inferred += implied(lower);
  // Two or more file names ("read package.json and tsconfig.json") ask for several files at once.
  if ((input.match(FILE_NAME) ?? []).length >= 2) inferred += ' multiple ';
  return {query, inferred};
}

/** "about <topic>" up to the end of its clause; not "about why/how ..." (a question is the request). */
export const TOPIC = /\babout\s+(?!(?:why|how|what|which|who|when|where)\b)([^,.;?!]*)/i;

/** "<request> to <verb> ..." up to the end of the clause, unless "to" belongs to the request ("want to", "how to"). */
export const PURPOSE_TO = /(?<!\b(?:want|wants|need|needs|how|way|able|going|have|has|had|trying|try|like|used|supposed|is|are))\s+to\s+([a-z]+)\b[^,.;?!]*/i;

/** What something is added to: the words after "to the" of an ADD_TO request, up to the clause's end. */
export const ADD_INTO = /\b(?:add|adds|adding|insert|append|put|attach)\b.*?\b(?:to|into|onto)\s+(?:the|my|our|your|this|that|its|their|an?\s+existing)\s+([^,.;:!?()]*)/i;
