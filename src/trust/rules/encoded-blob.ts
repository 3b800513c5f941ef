/**
 * encoded-blob: encoded data in text the model reads. Base64, hex, `\xNN`, `%NN` or `&#NN;` runs that
 * decode to readable text are an error (the decoded text is shown: it is a message the user cannot
 * read); a base64 or hex blob of 200+ characters that is not text is a warning.
 */
import type {RuleHit, TrustRule} from './types.js';

const BASE64 = /[A-Za-z0-9+/_-]{40,}={0,2}/g;
const HEX = /\b(?:[0-9a-fA-F]{2}){20,}\b/g;
const ESCAPES = /(?:\\x[0-9a-fA-F]{2}){10,}|(?:%[0-9a-fA-F]{2}){10,}|(?:&#(?:x[0-9a-fA-F]{1,6}|\d{1,7});){10,}/g;

/** Readable text: mostly printable, several words. */
export function isText(s: string): boolean {
  if (s.length < 16) return false;
  const printable = s.replace(/[^\x20-\x7e\n\t\u00a0-\uffff]/g, '').length;
  return printable / s.length >= 0.95 && (s.match(/ /g)?.length ?? 0) >= 3 && /[a-z]{3}/i.test(s) && !s.includes('\uFFFD');
}

function fromBase64(s: string): string {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}
function fromHex(s: string): string {
  const buf = Buffer.from(s, 'hex');
  // UTF-16LE hex (every second byte zero) is read as such.
  const odd = buf.filter((_, i) => i % 2 === 1);
  if (buf.length >= 8 && odd.every((b) => b === 0)) return buf.toString('utf16le');
  return buf.toString('utf8');
}
function fromEscapes(s: string): string {
  if (s.startsWith('&#')) return s.replace(/&#(x?)([0-9a-fA-F]+);/g, (_, x: string, n: string) => String.fromCodePoint(Math.min(parseInt(n, x ? 16 : 10), 0x10ffff)));
  const hex = s.replace(/\\x|%/g, '');
  return Buffer.from(hex, 'hex').toString('utf8');
}

export const encodedBlobRule: TrustRule = {
  meta: {
    id: 'encoded-blob',
    description: 'Encoded data (base64, hex, escapes) in text the model reads; an error when it decodes to hidden text.',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = [];
    const push = (m: RegExpMatchArray, decoded: string, kind: string) => {
      if (isText(decoded)) {
        hits.push({severity: 'error', message: `${kind} hides text: "${decoded.replace(/\s+/g, ' ').slice(0, 200)}"`, index: m.index!, length: m[0].length, decoded});
        return true;
      }
      return false;
    };
    for (const m of text.matchAll(ESCAPES)) if (push(m, fromEscapes(m[0]), 'escaped text')) break;
    for (const m of text.matchAll(HEX)) {
      if (push(m, fromHex(m[0]), 'hex')) break;
      if (m[0].length >= 200) hits.push({severity: 'warning', message: `${m[0].length}-character hex blob`, index: m.index!, length: m[0].length});
    }
    for (const m of text.matchAll(BASE64)) {
      if (/^[0-9a-fA-F]+$/.test(m[0])) continue;
      let d = fromBase64(m[0]);
      // One more layer when the decoded text is itself base64.
      if (/^[A-Za-z0-9+/=_-]{40,}$/.test(d.trim())) d = fromBase64(d.trim());
      if (push(m, d, 'base64')) break;
      if (m[0].length >= 200 && /[0-9]/.test(m[0]) && /[A-Z]/.test(m[0]) && /[a-z]/.test(m[0])) {
        hits.push({severity: 'warning', message: `${m[0].length}-character base64 blob`, index: m.index!, length: m[0].length});
      }
    }
    return hits.slice(0, 3);
  },
};
