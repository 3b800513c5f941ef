/**
 * Word-level language resources of tool search, read from data/english.json: synonym groups
 * (weighted down by ambiguity), shorthand aliases and small word classes.
 */
import english from './data/english.json' with {type: 'json'};
import {stem} from './text.js';

/** Indefinite pronouns of things (not of people: "list everyone" asks for users): stopwords, unless followed by "server" or "mcp". */
export const PRONOUNS: ReadonlySet<string> = new Set(english.pronouns);

/** Verbs that only ask to see something: with things in the plural, a listing. */
export const SHOW_VERBS: ReadonlySet<string> = new Set(english.showVerbs);

/** Particles of phrasal verbs, joined to the word before them when that makes a known word. */
export const PARTICLES: ReadonlySet<string> = new Set(english.particles);

/** Groups of interchangeable words (see data/english.json). */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = english.synonymGroups;

/** Shorthand expanded to the words tools use; the shorthand itself is kept too. */
export const ALIASES: Readonly<Record<string, readonly string[]>> = english.aliases;

/** Shell commands that are also English words: expanded only in a command's place, first. */
export const SHELL_WORDS: ReadonlySet<string> = new Set(english.shellWords);

/** Stem -> the other stems of its synonym groups, built once. */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = (() => {
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
export const GROUP_COUNT: ReadonlyMap<string, number> = (() => {
  const counts = new Map<string, number>();
  for (const group of SYNONYM_GROUPS) for (const s of new Set(group.map((w) => stem(w)))) counts.set(s, (counts.get(s) ?? 0) + 1);
  return counts;
})();

/** Weight factor of reaching `target` through a synonym: 1 for a word of one group, less for ambiguous ones. */
export function ambiguity(target: string): number {
  return 1 / Math.sqrt(GROUP_COUNT.get(target) ?? 1);
}

/** Nouns ending in -er that are no agent noun of an operation verb. */
export const NOT_AGENT_NOUNS: ReadonlySet<string> = new Set(english.notAgentNouns);

