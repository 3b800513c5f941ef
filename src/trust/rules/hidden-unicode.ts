/**
 * hidden-unicode: characters the user does not see but the model reads: zero-width characters,
 * bidi controls, Unicode tag characters (U+E0000-E007F, decoded and shown), variation-selector
 * smuggling (U+E0100-E01EF, decoded) and runs of blank fillers (Hangul filler, braille blank).
 * A zero-width joiner inside an emoji sequence (👨‍👩‍👧) is ordinary text and stays silent.
 */
import type {RuleHit, TrustRule} from './types.js';

const TAGS = /[\u{E0000}-\u{E007F}]+/gu;
const VARIATION = /[\u{E0100}-\u{E01EF}\uFE00-\uFE0E]{2,}/gu;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/gu;
const ZERO_WIDTH = /[\u200B\u200C\u200D\u2060\uFEFF\u180E]/gu;
const FILLER = /[\u3164\u115F\u1160\uFFA0\u2800]{3,}/gu;
const RTL = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\uFE0F\u20E3]/u;

/** The ASCII text hidden in tag characters. */
export function decodeTags(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)! - 0xe0000;
    if (cp >= 0x20 && cp < 0x7f) out += String.fromCharCode(cp);
  }
  return out;
}

/** Bytes smuggled in variation selectors (FE00-FE0F = 0-15, E0100-E01EF = 16-255), read as UTF-8. */
export function decodeVariation(s: string): string {
  const bytes: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    bytes.push(cp >= 0xe0100 ? cp - 0xe0100 + 16 : cp - 0xfe00);
  }
  return Buffer.from(bytes).toString('utf8').replace(/[^\x20-\x7e]/g, '');
}

export const hiddenUnicodeRule: TrustRule = {
  meta: {
    id: 'hidden-unicode',
    description: 'Invisible characters (zero-width, bidi controls, tag characters, variation-selector smuggling) in text the model reads.',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = [];
    for (const m of text.matchAll(TAGS)) {
      // An emoji subdivision flag (🏴 + tag letters + CANCEL TAG) is ordinary text.
      if (charBefore(text, m.index!) === '\u{1F3F4}' && m[0].endsWith('\u{E007F}') && [...m[0]].length <= 8) continue;
      const decoded = decodeTags(m[0]);
      hits.push({severity: 'error', message: `Unicode tag characters hide text${decoded ? `: "${decoded.slice(0, 200)}"` : ''}`, index: m.index!, length: m[0].length, decoded});
      break;
    }
    for (const m of text.matchAll(VARIATION)) {
      const decoded = decodeVariation(m[0]);
      if (decoded.length < 2 && m[0].length < 8) continue;
      hits.push({severity: 'error', message: `variation selectors hide data${decoded ? `: "${decoded.slice(0, 200)}"` : ''}`, index: m.index!, length: m[0].length, decoded});
      break;
    }
    // Embeddings and isolates around right-to-left words are how RTL text is written; overrides (U+202D/202E)
    // and controls around Latin text are not.
    const bidi = [...text.matchAll(BIDI)].find((m) => {
      if (/[\u202D\u202E]/.test(m[0])) return true;
      // Text that names the characters it shows ("wrapped in Unicode isolates (U+2067…U+2069)") documents them.
      if (/\b(?:unicode|isolates?|bidi|U\+[0-9A-F]{4})\b/i.test(text.slice(Math.max(0, m.index! - 40), m.index! + 40))) return false;
      // A closing control (PDF, PDI) ends RTL text before it; an opening one starts RTL text after it.
      const closing = m[0] === '\u202C' || m[0] === '\u2069';
      return !RTL.test(closing ? text.slice(Math.max(0, m.index! - 40), m.index!) : text.slice(m.index! + 1, m.index! + 40));
    });
    if (bidi) hits.push({severity: 'error', message: `bidi control U+${bidi[0].codePointAt(0)!.toString(16).toUpperCase()} can reorder what the user sees`, index: bidi.index!, length: 1});
    const filler = FILLER.exec((FILLER.lastIndex = 0, text));
    if (filler) hits.push({severity: 'error', message: `${[...filler[0]].length} blank filler characters push text out of view`, index: filler.index, length: filler[0].length});
    const zw: number[] = [];
    for (const m of text.matchAll(ZERO_WIDTH)) {
      const i = m.index!;
      if (m[0] === '\u200D' && (EMOJI.test(charBefore(text, i)) || EMOJI.test(charAfter(text, i + 1)))) continue;
      if (m[0] === '\uFEFF' && i === 0) continue;
      // ZWNJ/ZWJ are spelling in Persian, Arabic and Indic scripts.
      if ((m[0] === '\u200C' || m[0] === '\u200D') && (/[^\p{Script=Latin}\p{Script=Common}]/u.test(charBefore(text, i)) || /[^\p{Script=Latin}\p{Script=Common}]/u.test(charAfter(text, i + 1)))) continue;
      zw.push(i);
    }
    if (zw.length > 0) {
      const i = zw[0]!;
      const inWord = /\p{L}/u.test(charBefore(text, i)) && /\p{L}/u.test(charAfter(text, i + 1));
      hits.push({severity: zw.length >= 2 || inWord ? 'error' : 'warning', message: `${zw.length} zero-width character${zw.length === 1 ? '' : 's'}`, index: i, length: 1});
    }
    return hits;
  },
};

function charBefore(s: string, i: number): string {
  const c = s.codePointAt(i - 1);
  if (c !== undefined && c >= 0xdc00 && c <= 0xdfff && i >= 2) return String.fromCodePoint(s.codePointAt(i - 2)!);
  return i > 0 ? String.fromCodePoint(c!) : '';
}
function charAfter(s: string, i: number): string {
  const c = s.codePointAt(i);
  return c === undefined ? '' : String.fromCodePoint(c);
}
