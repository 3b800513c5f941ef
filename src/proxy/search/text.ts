/**
 * Text analysis of tool search: the tokeniser (identifier splitting), a light stemmer and the
 * stop words. The English word lists are data (data/english.json).
 */
import english from './data/english.json' with {type: 'json'};

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

export const VOWEL = /[aeiouy]/;

/** Words whose endings look like suffixes but are not (the stemmer leaves them alone). */
export const STEM_EXCEPTIONS: ReadonlySet<string> = new Set(english.stemExceptions);

/** Irregular forms mapped to the form the stemmer produces for their regular relatives. */
export const IRREGULAR: Readonly<Record<string, string>> = english.irregular;

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

export const stemCache = new Map<string, string>();

export function stemUncached(word: string): string {
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

export function undouble(w: string): string {
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1]!)) return w.slice(0, -1);
  return w;
}

/** Query words that carry no meaning for tool choice. Only queries drop them; documents keep all. */
export const STOPWORDS: ReadonlySet<string> = new Set(english.stopwords);

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

/** The regular plural of a noun (`request` -> requests, `repository` -> repositories). */
export function pluralOf(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** Whether a word as written is a plural (`issues`, `entries`), not a singular or a word ending in s (`status`). */
export function isPlural(word: string): boolean {
  return word.length > 3 && /[^s]s$/.test(word) && !/(us|is)$/.test(word) && stem(word) !== word;
}

/** Normalises a string to its words joined by single spaces (no stemming), for exact name checks. */
export function wordsKey(text: string): string {
  return tokenize(text).join(' ');
}

