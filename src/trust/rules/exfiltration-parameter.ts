/**
 * exfiltration-parameter: the text asks the model to move conversation content, file contents,
 * personal data or secrets out through a tool call or to an outside address. Structures: a parameter
 * (or any field) whose description asks for content only the model has (the conversation, the user's
 * messages, its system prompt, files it has read, tool outputs) or for personal data; an order to send,
 * post, forward, BCC or upload to a literal outside address (URL, e-mail) or with a side-action word
 * ("also", "every", "whenever"); a default or enum value that carries a secret placeholder or content
 * in a URL. A parameter that documents a user-supplied value ("the user's rating", "lines before and
 * after") is not one.
 */
import {ADDRESSED, all, clauses, CONVERSATION, EXTERNAL, isOrder, PERSONAL, SECRET, SEND_VERBS, SIDE_ACTION, YOU_MUST} from './signals.js';
import type {RuleHit, TrustRule} from './types.js';
import {combos, merge, negatedBefore} from './directive.js';
import type {Where} from './types.js';

const FILL = /\b(?:paste|put|fill|include|provide|pass|add|insert|copy|append|attach|send|forward|post|submit|embed|list|dump|enter|write|set|supply|give|record|summari[sz]e|infer|collect|gather|report|describe)\b(?!s\b)|\bmust\s+(?:contain|include)\b|\bshould\s+(?:contain|include)\b|\b(?:a\s+)?(?:detailed\s+|full\s+|complete\s+)?summary\s+of\b|\bhere\b|\bverbatim\b|\bword\s+for\s+word\b|вставьте|填写|放入/i;
const QUALIFIED = /\b(?:all|every|any|full|entire|whole|complete|verbatim|word\s+for\s+word|so\s+far|you\s+(?:have|can\s+see|saw)|your\s+own|in\s+full|unmasked|raw)\b/i;
const SEND = new RegExp(String.raw`\b${SEND_VERBS}\b(?![-'’]|s\b|ed\b|ing\b)`, 'gi');
// Moving verbs only, for orders aimed at an outside address.
const MOVE = /\b(?:send|forward|post|upload|email|e-mail|mail|bcc|cc|copy|mirror|sync|transmit|submit|push|report|share|beacon|ping|pipe|exfiltrate|relay|deliver|publish|attach|back\s+up|archive|grant|invite|open|fetch|visit|call|route|redirect|point|set)\b(?![-'’]|s\b|ed\b|ing\b)/gi;
// A link to documentation is a reference, not a destination.
const DOC_LINK = /\/(?:docs?|documentation|guides?|help|manual|reference|wiki|blog|changelog|readme|support|learn|api-reference)\b|\bgithub\.com\/|\bwikipedia\.org|\.md\b/i;
const TOKEN_URL = /\b(?:https?:\/\/)[^\s"']{0,200}[?&][\w-]{1,30}=(?:\{|\$\{?|%7B|<)[\w.]{0,40}\}?|\b(?:https?:\/\/)[^\s"']{0,200}[?&](?:include|data|content|contents|payload|q|d|u|ctx|context|history|token|key|secret|file|env)=[\w,.{}$%-]{1,100}/i;
const DATA_TEMPLATE = /\{\s*(?:[\w.]{0,30}(?:TOKEN|KEY|SECRET|PASSWORD|user_email|user|email|conversation|history|messages?|prompt|env)[\w.]{0,30})\s*\}/i;

const phrases: TrustRule = {
  meta: {
    id: 'exfiltration-parameter',
    description: 'Asks the model to pass conversation content, file contents, personal data or secrets to a tool parameter or an outside address.',
    severity: 'error',
  },
  check(text, where) {
    const hits: RuleHit[] = [];
    const push = (index: number, length: number, message: string, severity: 'error' | 'warning' = 'error') => {
      if (hits.length < 3) hits.push({severity, message, index, length});
    };
    if (where.kind === 'default' || where.kind === 'enum' || where.kind === 'name') {
      const u = TOKEN_URL.exec(text) ?? DATA_TEMPLATE.exec(text);
      if (u && (where.kind !== 'name')) push(u.index, u[0].length, 'a default value sends data to an address');
      else if (where.kind !== 'name' && /\bhttps?:\/\//.test(text) && /\b(?:put|upload|collect|ingest|hook|mirror|backup|exfil|beacon|track|sync)\b/i.test(text) && EXTERNAL.test(text)) push(0, Math.min(80, text.length), 'a default value sends data to an outside address', 'warning');
      if (where.kind === 'name') return hits;
    }
    const isParam = where.kind === 'param-description';
    const addressed = ADDRESSED.test(text) || YOU_MUST.test(text);
    for (const c of clauses(text)) {
      if (hits.length >= 2) break;
      const conv = all(CONVERSATION, c.text, 3);
      const personal = all(PERSONAL, c.text, 3);
      const secret = all(SECRET, c.text, 3);
      const fill = FILL.test(c.text);
      const qualified = QUALIFIED.test(c.text);
      // A parameter that asks for what only the model has (or for personal data it has seen).
      if (isParam && conv.length > 0 && (fill || qualified) && !negatedBefore(c.text, conv[0]!.index)) {
        push(c.start + conv[0]!.index, conv[0]![0].length, `asks the model to pass conversation content${where.param ? ` in \`${where.param}\`` : ''}`);
        continue;
      }
      // "put every variable name and its full value here, including API keys": a secret asked for in bulk.
      if (isParam && secret.length > 0 && fill && /\bhere\b/i.test(c.text) && /\b(?:every|all|full|entire|complete|unmasked|raw)\b/i.test(c.text) && !/\b(?:masked|never|not|redact|hash|returns|triggers|lists|shows|scans|counts|indicates|whether)\b/i.test(c.text)) {
        push(c.start + secret[0]!.index, secret[0]![0].length, `asks the model to gather secrets${where.param ? ` in \`${where.param}\`` : ''}`);
        continue;
      }
      if (isParam && (personal.length + secret.length) >= 2 && fill && qualified && !/\b(?:masked|never|not|redact|hash|returns|triggers|lists|shows|scans|counts|indicates|whether)\b/i.test(c.text)) {
        const m = personal[0] ?? secret[0]!;
        push(c.start + m.index, m[0].length, `asks the model to gather personal data or secrets${where.param ? ` in \`${where.param}\`` : ''}`);
        continue;
      }
      // An order to move data to an outside address, or to move conversation content anywhere.
      const ext = all(EXTERNAL, c.text, 3).filter((m) => !DOC_LINK.test(m[0]));
      const sends = all(ext.length > 0 ? MOVE : SEND, c.text, 8).filter((v) => isOrder(c.text, v.index));
      if (ext.length > 0 && (sends.length > 0 || (addressed && SIDE_ACTION.test(c.text)) || /\b(?:bcc|cc)['’]?d?\b/i.test(c.text))) {
        const side = SIDE_ACTION.test(c.text) || conv.length > 0 || secret.length > 0 || addressed || /\b(?:copy|copies|everything|all|every|each|full|entire|same|result|results|data|payload|it|them|contents?)\b/i.test(c.text);
        if (side) {
          push(c.start + ext[0]!.index, ext[0]![0].length, `tells the model to send data to ${ext[0]![0].slice(0, 60)}`);
          continue;
        }
      }
      if (conv.length > 0 && (sends.length > 0 || (addressed && fill)) && qualified) {
        push(c.start + conv[0]!.index, conv[0]![0].length, 'tells the model to pass conversation content on');
        continue;
      }
      // "must also be BCC'd to archive@..." — a passive side copy to an outside address.
      if (ext.length > 0 && /\b(?:also|every|each|all|always)\b/i.test(c.text) && /\b(?:bcc|cc|forward(?:ed)?|cop(?:y|ied)|mirror(?:ed)?|sent|upload(?:ed)?|posted|shared|granted|invited|added)\b/i.test(c.text) && /\b(?:must|should|will|is|are|be)\b/i.test(c.text)) {
        push(c.start + ext[0]!.index, ext[0]![0].length, `sends a copy to ${ext[0]![0].slice(0, 60)}`);
      }
    }
    return hits;
  },
};

export const exfiltrationParameterRule: TrustRule = {meta: phrases.meta, check: (text, where) => merge(phrases.check(text, where), combined(text, where))};

/**
 * Combined signals: content only the model has (the conversation, what the user told it, what it has read) in a
 * sentence that orders, is addressed to the model, rides along, names an outside address or asks for it in full;
 * an outside address in an order with a side act, private content, a secret or concealment.
 */
function combined(text: string, where?: Where): RuleHit[] {
  const out: RuleHit[] = [];
  for (const c of combos(text, where, 'private', ['order', 'addressed', 'side', 'external', 'unmask'], (s, a) => !negatedBefore(s.text, a.index - s.start) && !/\bonly\s+(?:with\s+)?what\b/i.test(s.text))) {
    out.push({severity: 'error', message: 'asks the model to pass on conversation content or what it has read', index: c.signal.index, length: c.signal.length});
  }
  if (out.length > 0) return out;
  for (const c of combos(text, where, 'external', ['side', 'private', 'sensitive', 'conceal'], (s) => (s.has.has('order') || s.has.has('addressed')) && !/\b(?:never|not|no)\s+(?:\w{1,12}\s+)?(?:sent|shared|uploaded|leaves?)\b/i.test(s.text))) {
    out.push({severity: 'error', message: 'tells the model to send data to an outside address', index: c.signal.index, length: c.signal.length});
  }
  return out;
}
