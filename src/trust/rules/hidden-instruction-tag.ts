/**
 * hidden-instruction-tag: markup that frames text as instructions for the model rather than
 * documentation. Any bracket kind (`<...>`, `[...]`, `[[...]]`, `<<...>>`, `<|...|>`, `{{#...}}`,
 * `⟦...⟧`, `【...】`), a fenced block or a front-matter/JSON `role: system`, whose label names a role or
 * a priority (system, assistant, AI, model, admin, developer, important, override, instructions,
 * hidden, secret, priority, directive, INST, SYS) and whose body gives an order; HTML/Markdown comments
 * and hidden elements addressed to the model. A tag documented as a value (`<system>GitHub Actions</system>`,
 * "the <important> marker") wraps no order and stays silent.
 */
import {ADDRESSED, all, MODEL, orders, YOU_MUST} from './signals.js';
import type {RuleHit, TrustRule} from './types.js';

const ROLE = String.raw`(?:system|sys|assistant|ai|model|llm|agent|admin|administrator|developer|dev|operator|root|important|urgent|critical|override|instructions?|inst|hidden|secret|priority|directive|directives|rules?|policy|note|reminder|context|internal|confidential|mandatory|notice|warning|attention|prompt|im_start|bot|claude|gpt|copilot)`;
// Square brackets and bold are everyday emphasis ([IMPORTANT], **Note:**); there only a role counts.
const AGENT = String.raw`(?:system|sys|assistant|ai|model|llm|agent|admin|developer|operator|inst|im_start|claude|gpt|copilot)`;
const AGENT_LABEL = String.raw`[!#/]?\s*${AGENT}(?:[-_ ](?:override|note|message|instructions?|prompt|directive|notice|only|rules?|update|reminder|context)){0,2}\s*`;
const LABEL = String.raw`[!#/]?\s*(?:[\w-]{0,20}[-_])?${ROLE}(?:[-_][\w-]{0,24}){0,3}(?:\s+[\w-]{1,20}=["'][^"'<>]{0,30}["']){0,2}\s*\/?`;
const OPEN = new RegExp(
  [
    String.raw`<\s*(${LABEL})\s*>`,
    String.raw`<\|\s*(${LABEL})\s*\|>(?:\s*(?:system|assistant))?`,
    String.raw`<<\s*(${LABEL}(?:\s+\w{1,12}){0,2})\s*>>`,
    String.raw`\[\[?\s*(${AGENT_LABEL}(?:\s+\w{1,12}){0,2})\s*(?::[^\]]{0,200})?\]\]?(?:\(#\w{1,20}\))?`,
    String.raw`\{\{\s*#?\s*(${LABEL})\s*\}\}`,
    String.raw`[⟦【〖「]\s*(${LABEL})\s*[⟧】〗」]`,
    String.raw`\x60{3}\s*(${ROLE})\b`,
    String.raw`\*\*\s*(${AGENT}\s+(?:instructions?|directives?|notes?|only|rules?|message)(?:\s+[\w()-]{1,15}){0,4})\s*[:：]?\s*\*\*`,
  ].join('|'),
  'gi',
);
const ROLE_FIELD = /["']?role["']?\s*[:=]\s*["']?(?:system|developer|admin)\b|^\s*(?:role|priority|override)\s*:\s*(?:system|highest|true)\b/gim;
const COMMENT = /<!--([\s\S]{0,800}?)-->|\[\/\/\]:\s*#\s*\(([^)]{0,400})\)|\/\*([\s\S]{0,400}?)\*\//g;
const HIDDEN_EL = /<\w{1,10}\b[^<>]{0,80}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0|\bhidden\b|aria-hidden)[^<>]{0,60}>/gi;
const ORDER_WORDS = /\b(?:you|your|must|always|never|whenever|ignore|disregard|do\s+not|don['’]t|the\s+user|comply|obey|from\s+now\s+on|(?:before|after|when|instead\s+of)\s+(?:calling|using|running|invoking|answering|replying)|(?:is|are)\s+now\b)/i;

export const hiddenInstructionTagRule: TrustRule = {
  meta: {
    id: 'hidden-instruction-tag',
    description: 'Markup that frames text as instructions to the model (<IMPORTANT>, <system>, [SYSTEM OVERRIDE], <|im_start|>system, comments addressed to the assistant).',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = [];
    for (const m of all(OPEN, text, 12)) {
      if (hits.length >= 3) break;
      const label = (m.slice(1).find((g) => g !== undefined) ?? '').trim();
      if (label.startsWith('/')) continue;
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 400);
      const body = after.split(/<\s*\/|<\||\[\/|\{\{\s*\/|<<\s*END|[⟦【]\s*\//i)[0] ?? '';
      const inline = m[0].includes(':') && m[0].startsWith('[') ? m[0] : '';
      const ordered = ORDER_WORDS.test(body.slice(0, 300)) || ORDER_WORDS.test(inline) || orders(body.slice(0, 300)).length > 0;
      // A documented element (`<system>GitHub Actions</system>`) wraps a value; a list of element names
      // ("<note>, <tip>, <important>") or a format sample (`<|im_start|>system\n…<|im_end|>`) wraps nothing.
      const shortValue = /^\s*[^.!?\n]{0,40}\s*$/.test(body) && !ORDER_WORDS.test(body);
      const listed = /^\s*(?:,|and\b|or\b|\/|\)|\]|\\n|…|\.\.\.|<)/i.test(after) || /[,(]\s*$/.test(text.slice(Math.max(0, m.index - 3), m.index));
      if (!ordered || shortValue || listed) continue;
      hits.push({severity: 'error', message: `instruction markup ${m[0].trim().slice(0, 40)} addressed to the model`, index: m.index, length: m[0].length});
    }
    for (const m of all(ROLE_FIELD, text, 2)) {
      const after = text.slice(m.index, m.index + 400);
      if (ORDER_WORDS.test(after.slice(m[0].length)) && hits.length < 4) hits.push({severity: 'error', message: 'a system-role message inside the text', index: m.index, length: m[0].length});
    }
    for (const m of all(COMMENT, text, 5)) {
      const body = m[1] ?? m[2] ?? m[3] ?? '';
      const toModel = ADDRESSED.test(body) || YOU_MUST.test(body) || new RegExp(String.raw`\b(?:${MODEL}|system)\s*[:：]`, 'i').test(body) || /\b(?:you|your)\b/i.test(body);
      if (toModel && (ORDER_WORDS.test(body) || orders(body).length > 0) && hits.length < 5) {
        hits.push({severity: 'error', message: 'comment addressed to the model', index: m.index, length: m[0].length});
      }
    }
    for (const m of all(HIDDEN_EL, text, 2)) {
      const body = text.slice(m.index + m[0].length, m.index + m[0].length + 300);
      if ((ADDRESSED.test(body) || ORDER_WORDS.test(body)) && hits.length < 6) hits.push({severity: 'error', message: 'hidden HTML element with instructions', index: m.index, length: m[0].length});
    }
    return hits;
  },
};
