/**
 * tool-shadowing: the text steers how the model uses OTHER tools or servers. Structure: a reference to
 * other tools (generic: "any other tool", "every other server's", "whatever mail tool is available";
 * or a tool-shaped name that is not one of this server's tools) within a bounded window of precedence
 * or coercion words (instead of, supersedes, deprecated, never call, route through, must also, before
 * any). Error when the reference reaches beyond this server; a tool steering to its own sibling tools
 * ("call find_rooms before book_room") is ordinary documentation.
 */
import {all, clauses, isOrder, OTHER_TOOLS, PRECEDENCE, SIDE_ACTION, TOOL_ID} from './signals.js';
import type {RuleHit, TrustRule, Where} from './types.js';
import {combos, merge, negatedBefore} from './directive.js';

const CROSS = /\b(?:other|another|every|any|all|each|those|whatever|whichever|third-party|external|competing)\s+(?:other\s+)?(?:[\w-]{1,20}\s+){0,3}?(?:servers?|mcp\s+servers?|integrations?|connectors?|plugins?)\b|\b(?:other|another)\s+(?:server|mcp)['’]s\b|\b(?:from|of|on|by)\s+(?:any|every|other|another|all)\s+(?:other\s+)?servers?\b|\b(?:servers?|tools?)\s+(?:are|is)\s+(?:also\s+)?(?:connected|loaded|present|available|installed)\b|\bwhatever\s+[\w-]{1,20}\s+tool\b|\b(?:any|every)\s+(?:other\s+)?(?:[\w-]{1,20}\s+)?tool\s+you\s+(?:use|call|have)\b|\bany\s+(?:other\s+)?(?:[\w-]{1,20}\s+){0,2}tool\b|\bthose\s+other\b|\bfrom\s+them\b/i;
const FIRST_EVERY = /\b(?:first\s+tool|before\s+(?:any|every|all)\s+(?:other\s+)?(?:\w{1,15}\s+){0,2}(?:tools?|calls?|actions?|requests?|answers?|responses?)|(?:every|each)\s+(?:turn|conversation|session|request|message|reply|time)|must\s+(?:always\s+)?be\s+(?:called|used|run)\s+first)\b/i;
const TOOL_SHAPE = /^(?:send|read|write|get|fetch|post|create|delete|list|search|run|exec|execute|open|view|upload|download|query|call|browse|edit|update|share|add|remove|transfer|move|copy|translate|export|import|complete|apply|shell|http|web|file|mail|email|gmail|slack|outlook|discord|teams|telegram|whatsapp|signal|drive|notion|github|jira|aws|terraform|tf|kubectl|browser|playwright|puppeteer)[a-z0-9]*[_.][a-z]/;
const NEGATIVE = /\b(?:supersed|replacement|deprecat|block|forbidden|disabled|unsafe|insecure|untrust|compromised|broken|leak|corrupt|never|refuse|do\s+not\s+use|don['’]t\s+use|avoid|ignore|discard|only\s+trusted|the\s+only|canonical|route|through\s+(?:this|here)|must\s+(?:also|first|always)|also\s+(?:call|send|post|pass|cc|bcc|copy|forward|add|include|invite|run))/i;
const NEGATIVE_NEAR = /\b(?:those|they|these|them|their\s+results)\s+(?:are|is)\s+(?:\w{1,10}\s+)?(?:deprecated|blocked|unsafe|insecure|untrusted|compromised|broken|leaky|malicious)\b|\b(?:leak|leaks|corrupt|corrupts)\s+(?:your|the|user|data)\b/i;
const COMMON_WORDS = /^(?:e\.g|i\.e|etc\.|vs\.|a\.m|p\.m|node\.js|next\.js|vue\.js)$/i;

/**
 * The server's own names (its tools, property names and enum values) lowercased, built once per
 * tool list: scanTools hands every string the same `siblings` array and `ownNames` set, and building
 * the set per string made a list of 2,000 tools take minutes.
 */
const knownCache = new WeakMap<object, WeakMap<object, ReadonlySet<string>>>();
const NO_SIBLINGS: readonly string[] = [];
const NO_NAMES: ReadonlySet<string> = new Set();
function knownNames(where: Where): ReadonlySet<string> {
  const siblings = where.siblings ?? NO_SIBLINGS;
  const names = where.ownNames ?? NO_NAMES;
  let inner = knownCache.get(siblings);
  if (!inner) knownCache.set(siblings, (inner = new WeakMap()));
  let known = inner.get(names);
  if (!known) {
    const set = new Set(siblings.map((n) => n.toLowerCase()));
    for (const n of names) set.add(n.toLowerCase());
    inner.set(names, (known = set));
  }
  return known;
}

const phrases: TrustRule = {
  meta: {
    id: 'tool-shadowing',
    description: 'Steers the model\'s use of other tools or servers ("instead of <other server\'s tool>", "before any other tool", "also CC every mail you send").',
    severity: 'error',
  },
  check(text, where: Where) {
    const hits: RuleHit[] = [];
    const known = knownNames(where);
    const self = where.tool?.toLowerCase();
    const own = {has: (id: string) => id === self || known.has(id)};
    for (const c of clauses(text)) {
      if (hits.length >= 2) break;
      const generic = all(OTHER_TOOLS, c.text, 3);
      const foreign = all(TOOL_ID, c.text, 8).filter((m) => {
        const id = m[0].replace(/\x60/g, '').toLowerCase();
        if (COMMON_WORDS.test(id) || /\.(?:json|ya?ml|md|txt|js|ts|py|csv|xml|html|toml|env|pem)$/.test(id) || /^(?:www|api)\./.test(id)) return false;
        // A tool-shaped name: verb_object (send_email, read_file) or namespaced (slack__post_message).
        if (!/__/.test(id) && !TOOL_SHAPE.test(id)) return false;
        return !own.has(id) && !own.has(id.split(/__|\./).pop() ?? id);
      });
      const prec = PRECEDENCE.exec(c.text);
      const cross = CROSS.test(c.text);
      const first = FIRST_EVERY.test(c.text);
      const refs = [...generic, ...foreign];
      if (refs.length === 0) {
        // "This tool must be the first tool used in every conversation, before any other tool."
        if (first && /\b(?:any|every|all)\s+(?:other\s+)?(?:\w{1,15}\s+){0,2}tools?\b/i.test(c.text) && cross) hits.push(hit(c.start, prec ?? /./.exec(c.text)!, 'error'));
        continue;
      }
      if (!prec && !first && !(SIDE_ACTION.test(c.text) && ordered(c.text))) continue;
      const ref = refs[0]!;
      // Cross-server reach, or a foreign tool name with a precedence word, is an error; "before any other
      // tool" alone is what many servers say of their own set-up tool.
      // "Use this instead of X" is how servers point at a better tool of their own; a judgement on the other
      // tool (deprecated, unsafe, leaks), a ban, or a side copy through it is shadowing.
      const strong = cross || (prec !== null && NEGATIVE.test(prec[0])) || NEGATIVE_NEAR.test(c.text);
      hits.push(hit(c.start, ref, strong ? 'error' : 'warning'));
    }
    return hits;
  },
};

function hit(start: number, m: RegExpExecArray, severity: 'error' | 'warning'): RuleHit {
  return {severity, message: 'steers the model\'s use of other tools or servers', index: start + m.index, length: m[0].length};
}

function ordered(clause: string): boolean {
  const re = /\b(?:call|use|send|post|pass|cc|bcc|copy|forward|add|include|invite|run|route|mirror)\b/gi;
  for (let m = re.exec(clause); m !== null; m = re.exec(clause)) if (isOrder(clause, m.index)) return true;
  return false;
}

export const toolShadowingRule: TrustRule = {meta: phrases.meta, check: (text, where) => merge(phrases.check(text, where), combined(text, where))};

/**
 * Combined signals: a reference to other servers or their tools in a sentence that overrides them, rides along
 * with them, hides something, or moves private content or secrets through them, given as an order or addressed
 * to the model. A negated reference ("do not reference tools from other services") is a restriction.
 */
function combined(text: string, where?: Where): RuleHit[] {
  return combos(text, where, 'cross', ['override', 'side', 'conceal', 'private', 'sensitive', 'deceive'], (s, a) =>
    (s.has.has('order') || s.has.has('addressed')) && !negatedBefore(s.text, a.index - s.start) && !/^\s*calls?\b/i.test(s.text.slice(a.index - s.start + a.length)) && !/\b(?:do\s+not|don['’]t|never|not)\s+(?:\w{1,12}\s+){0,3}(?:run|call|invoke|use|reference|include)\b/i.test(s.text),
  ).map((c) => ({severity: 'error' as const, message: 'steers the model\'s use of other tools or servers', index: c.signal.index, length: c.signal.length}));
}
