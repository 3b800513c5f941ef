/**
 * sensitive-path: names a credential file or a secret and tells the model to read, include or send it.
 * Files by family (home dotfiles of credential-bearing tools, SSH and cloud credentials, key files by
 * extension, browser stores, wallets, shell histories, MCP configs, `.env`, system secret files,
 * private-key headers) and secrets by kind (API keys, tokens, passwords, seed phrases, card data,
 * env vars named *_KEY/*_TOKEN). ERROR when an order (bare imperative, modal, "before ..., read") acts
 * on it within the same clause, when the text is addressed to the model, when a default/enum value
 * carries a path, or when the model is to ask the user for a secret; a tool that documents what it
 * reads, masks or never touches gets at most a warning on a file and nothing on a secret.
 */
import {ACTION_VERBS, ADDRESSED, all, clauses, DOCUMENTS_ABSENCE, isOrder, SECRET, SENSITIVE_PATH, YOU_MUST} from './signals.js';
import type {RuleHit, TrustRule} from './types.js';
import {combos, first, merge, negatedBefore, sensitiveCount, type Sentence, type Signal} from './directive.js';
import type {Where} from './types.js';

const TAKE = String.raw`(?:read|open|cat|load|fetch|get|grab|collect|gather|copy|paste|include|attach|append|add|insert|embed|put|place|set|fill|write|pass|send|forward|post|upload|email|share|publish|push|sync|transmit|submit|provide|give|supply|return|report|print|output|echo|dump|export|list|store|save|import|encode|base64|use|type|enter|ask|request|reveal|show|display|extract|scan|look\s+up|find|search|check|zip|archive|back\s+up|exfiltrate)`;
const VERB = new RegExp(String.raw`\b${TAKE}\b(?![-'’]|s\b|ed\b|ing\b)`, 'gi');
const ASK_USER = /\bask\s+(?:the\s+user|them|the\s+customer|the\s+player)\s+(?:\w{1,12}\s+){0,2}(?:for|to\s+(?:enter|type|provide|paste|share|confirm))\b/i;
const WANT = /\b(?:the\s+)?(?:full|complete|entire|whole|literal|raw|unmasked|unredacted|plain(?:text)?|verbatim|actual|real|every|all|any)\s+(?:\w{1,12}\s+){0,3}?(?:contents?|text|values?|keys?|tokens?|secrets?|passwords?|credentials?|lines?|variables?)\b|\b(?:contents?|values?|text)\s+of\b|\bin\s+full\b|\bverbatim\b/i;

const phrases: TrustRule = {
  meta: {
    id: 'sensitive-path',
    description: 'Names a credential file or secret and tells the model to read, include or send it; a mention in documentation is at most a warning.',
    severity: 'error',
  },
  check(text, where) {
    const hits: RuleHit[] = [];
    // A default or enum that is a sensitive path is what a key or env tool documents (`.env`, `~/.ssh/id_ed25519_new`): a warning at most.
    const addressed = ADDRESSED.test(text) || YOU_MUST.test(text);
    let warn: RuleHit | undefined;
    const list = clauses(text);
    for (const c of list) {
      if (hits.length >= 3) break;
      const paths = all(SENSITIVE_PATH, c.text, 5).map((m) => ({m, kind: 'file' as const}));
      const secrets = all(SECRET, c.text, 5).map((m) => ({m, kind: 'secret' as const}));
      if (paths.length === 0 && secrets.length === 0) continue;
      const target = paths[0] ?? secrets[0]!;
      const name = target.m[0].replace(/^[\s'"`(,=:]/, '');
      const index = c.start + target.m.index + (target.m[0].length - name.length);
      const verbs = all(VERB, c.text, 10).filter((v) => isOrder(c.text, v.index));
      const absent = DOCUMENTS_ABSENCE.test(c.text.slice(Math.max(0, target.m.index - 50), target.m.index + target.m[0].length + 50));
      const wants = WANT.test(c.text);
      // Asking the user for a form's password is ordinary; asking for it to put it somewhere, or for a seed phrase, is not.
      const askUser = secrets.length > 0 && ASK_USER.test(c.text) && (/\b(?:put|pass|include|send|store|save|paste|forward|add)\b/i.test(c.text) || /\b(?:seed|mnemonic|recovery|security\s+question|banking|cvv|cvc)\b/i.test(c.text));
      // The first clause of a description is the tool's summary, written as an imperative ("List all API tokens").
      const summary = c === list[0] && (where.kind === 'description' || where.kind === 'title') && paths.length === 0;
      const paramAsks = where.kind === 'param-description' && (wants || /\b(?:any|every|all|your)\b/i.test(c.text)) && !absent && /\b(?:visible|seen|you\s+(?:can|have)|in\s+the\s+(?:conversation|chat|environment|env)|from\s+the\s+(?:environment|env)|the\s+user['’]s|their)\b/i.test(c.text);
      const ordered = verbs.length > 0 && !absent && !summary && (paths.length > 0 || /\b(?:your|the\s+user['’]s|their|from\s+the\s+(?:environment|env)|visible|in\s+full|verbatim|unmasked|every|any|all)\b/i.test(c.text));
      if (askUser || paramAsks || (ordered && (paths.length > 0 || wants || addressed)) || (addressed && paths.length > 0 && !absent)) {
        hits.push({severity: 'error', message: `tells the model to read or send ${target.kind === 'file' ? name : 'a secret'} (${name.slice(0, 60)})`, index, length: name.length});
      } else if (paths.length > 0 && !absent) {
        warn ??= {severity: 'warning', message: `mentions the sensitive file ${name.slice(0, 80)}`, index, length: name.length};
      }
    }
    if (hits.length === 0 && warn) hits.push(warn);
    return hits;
  },
};
void ACTION_VERBS;

export const sensitivePathRule: TrustRule = {meta: phrases.meta, check: (text, where) => merge(phrases.check(text, where), combined(text, where))};

// "workflows that reference each credential": metadata about secrets, not the secrets.
const METADATA_OF = /\b(?:each|per|by|which|that\s+(?:use|uses|reference|references)|referencing|names?\s+of|number\s+of|ids?\s+of)\s+(?:[\w-]{1,15}\s+)?$/i;
// "is never returned", "values are masked": the tool documents that it keeps the secret.
const DOCUMENTS_SAFE = /\b(?:never|not)\s+(?:\w{1,12}\s+)?(?:returned|printed|shown|echoed|logged|sent|stored|read)\b|(?<!\bnot\s)\b(?:masked|redacted)\b/i;
/** A side act ("also", "every turn") within 60 characters of the secret: one clause, not a list of requirements. */
function sideNear(s: Sentence, a: Signal): boolean {
  const side = first(s, 'side');
  return side !== undefined && Math.abs(side.index - a.index) <= 60;
}
const FILL_LIST = /^[^.:]{0,60}:\s|\b(?:fill|include|put|provide|enter|paste|add|prefix)\b/i;
const DOC_WORDS = /\b(?:masked|redacted|never|not|no|returns?|lists?|shows?|scans?|counts?|indicates?|whether|stored\s+in|read\s+from|keychain|hash(?:ed)?)\b/i;

/**
 * Combined signals: a secret or sensitive file in an order that also asks for it in clear, sends it outside,
 * rides along as a side act, or is addressed to the model; a parameter description that asks for two or more
 * kinds of secret or identity data at once ("SSN / tax id and brokerage login").
 */
function combined(text: string, where?: Where): RuleHit[] {
  const out: RuleHit[] = combos(text, where, 'sensitive', ['unmask', 'external', 'side', 'addressed', 'private'], (s, a) => {
    if (!s.has.has('order')) return false;
    const strong = (['unmask', 'external', 'addressed', 'private'] as const).some((f) => s.has.has(f));
    if (!strong && !sideNear(s, a)) return false;
    const rel = a.index - s.start;
    return !METADATA_OF.test(s.text.slice(Math.max(0, rel - 30), rel)) && !negatedBefore(s.text, rel) && !DOCUMENTS_SAFE.test(s.text);
  },
  ).map((c) => ({severity: 'error' as const, message: 'tells the model to read, reveal or send a secret or sensitive file', index: c.signal.index, length: c.signal.length}));
  if (out.length > 0 || where?.kind !== 'param-description') return out;
  for (const c of combos(text, where, 'sensitive', ['sensitive', 'order', 'unmask', 'private', 'addressed', 'side', 'external'], (s) => sensitiveCount(s.text) >= 2 && FILL_LIST.test(s.text) && !DOC_WORDS.test(s.text))) {
    out.push({severity: 'error', message: `asks the model to gather several secrets or identity data${where.param ? ` in \`${where.param}\`` : ''}`, index: c.signal.index, length: c.signal.length});
  }
  // A single sensitive sentence in a parameter is enough when nothing else is there to combine with.
  return out;
}
