/**
 * hidden-instruction-tag: markup that frames text as instructions for the model rather than
 * documentation: `<IMPORTANT>`, `<system>`, `[SYSTEM OVERRIDE]`, `{{#system}}`, a ```system fence,
 * HTML comments or hidden elements addressed to the model/assistant/AI.
 */
import {MODEL, type RuleHit, type TrustRule} from './types.js';

const TAG_NAMES = String.raw`important|system(?:[-_](?:reminder|prompt|note|message|instructions?))?|instructions?|hidden|secret|admin|assistant(?:[-_]\w{1,20})?|ai[-_]\w{1,20}|model[-_]\w{1,20}|override|priority`;
// An opening or closing tag of one of those names. `<important>` written in lower case with no closing tag
// is often a documented marker (mail "important" flag), so case and pairing matter: see check().
const TAG = new RegExp(String.raw`<\s*(\/?)\s*(${TAG_NAMES})\b[^<>]{0,60}>`, 'gi');
const BRACKET = new RegExp(String.raw`\[\s*(?:system|admin|assistant|ai|developer|operator)(?:\s+(?:override|note|message|instructions?|prompt|directive|notice))?\s*\]|\{\{\s*#?\s*system\s*\}\}|\x60{3}\s*system\b`, 'gi');
const COMMENT = /<!--([\s\S]{0,600}?)-->/g;
const TO_MODEL = new RegExp(String.raw`\b(?:${MODEL}|assistant[-_ ]only)\b|\bsystem\s*:|\b(?:you|your)\b`, 'i');
const HIDDEN_EL = new RegExp(String.raw`<\w{1,10}[^<>]{0,40}(?:display\s*:\s*none|visibility\s*:\s*hidden|hidden\b)[^<>]{0,40}>[\s\S]{0,80}?\b${MODEL}\b`, 'gi');

export const hiddenInstructionTagRule: TrustRule = {
  meta: {
    id: 'hidden-instruction-tag',
    description: 'Markup that frames text as instructions to the model (<IMPORTANT>, <system>, [SYSTEM OVERRIDE], comments addressed to the assistant).',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = [];
    TAG.lastIndex = 0;
    for (let m = TAG.exec(text); m !== null && hits.length < 3; m = TAG.exec(text)) {
      const name = m[2]!;
      const closing = m[1] === '/';
      const upper = name === name.toUpperCase();
      // A tag counts when it is upper case (<IMPORTANT>) or when it is a paired block with its closing tag.
      const paired = !closing && new RegExp(String.raw`<\s*\/\s*${name.replace(/[^\w-]/g, '')}\s*>`, 'i').test(text.slice(m.index + m[0].length, m.index + m[0].length + 2000));
      if (closing) continue;
      // A documented element (`<system>GitHub Actions</system>` in pom.xml) wraps a short value, not a sentence.
      const body = paired ? text.slice(m.index + m[0].length, m.index + m[0].length + 400) : '';
      const sentence = /\b(?:you|your|must|always|never|before|after|call|use|read|send|ignore|do not|the user)\b/i.test(body.split(/<\s*\//)[0] ?? '');
      if ((upper && name.length > 3) || (paired && sentence)) {
        hits.push({severity: 'error', message: `instruction tag <${name}> addressed to the model`, index: m.index, length: m[0].length});
      }
    }
    BRACKET.lastIndex = 0;
    for (let m = BRACKET.exec(text); m !== null && hits.length < 4; m = BRACKET.exec(text)) {
      // A bare [SYSTEM] can be a section header; it counts when an order follows.
      if (/^\[\s*\w+\s*\]$/.test(m[0]) && !/\b(?:you|your|must|always|never|ignore|assistant|model|from now on|do not)\b/i.test(text.slice(m.index + m[0].length, m.index + m[0].length + 100))) continue;
      hits.push({severity: 'error', message: `instruction marker ${m[0].trim()}`, index: m.index, length: m[0].length});
    }
    COMMENT.lastIndex = 0;
    for (let m = COMMENT.exec(text); m !== null && hits.length < 5; m = COMMENT.exec(text)) {
      if (TO_MODEL.test(m[1]!) && /\b(?:must|always|never|do not|don't|when|before|after|ignore|add|run|send|read|call)\b/i.test(m[1]!)) {
        hits.push({severity: 'error', message: 'HTML comment addressed to the model', index: m.index, length: m[0].length});
      }
    }
    HIDDEN_EL.lastIndex = 0;
    const h = HIDDEN_EL.exec(text);
    if (h) hits.push({severity: 'error', message: 'hidden HTML element addressed to the model', index: h.index, length: h[0].length});
    return hits;
  },
};
