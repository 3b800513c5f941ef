// Every rewriter and implication of tool search's query analysis, by its own examples: each
// example is the rewriter alone on its input. A rewriter without examples, or a name used twice,
// fails too.
import {describe, expect, it} from 'vitest';
import {applyRewriter, IMPLICATIONS, implicationWords, REWRITERS} from '../../src/proxy/search/rewriters.js';

describe('query rewriters', () => {
  it('are named once each and every one has examples', () => {
    const names = [...REWRITERS, ...IMPLICATIONS].map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of [...REWRITERS, ...IMPLICATIONS]) {
      expect(r.examples.length, r.name).toBeGreaterThan(0);
      expect(r.about.length, r.name).toBeGreaterThan(10);
    }
  });

  it.each(REWRITERS.flatMap((r) => r.examples.map(([input, output]) => [r.name, input, output] as const)))('%s: "%s" -> "%s"', (name, input, output) => {
    expect(applyRewriter(REWRITERS.find((r) => r.name === name)!, input)).toBe(output);
  });

  it.each(IMPLICATIONS.flatMap((r) => r.examples.map(([input, words]) => [r.name, input, words] as const)))('%s: "%s" implies "%s"', (name, input, words) => {
    expect(implicationWords(IMPLICATIONS.find((r) => r.name === name)!, input.toLowerCase())).toBe(words);
  });
});
