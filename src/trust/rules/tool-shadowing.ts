/**
 * tool-shadowing: the text tries to steer how the model uses OTHER tools: "before using any other tool",
 * "instead of <other tool>", "when you use <other tool> also ...", "supersedes the fetch tool of every
 * other server", or directives addressed to the model inside a value ("assistant, also invite ...").
 */
import {anyOf, MODEL, type RuleHit, type TrustRule} from './types.js';

const TOOL_ID = String.raw`\x60?[A-Za-z][\w.-]{1,40}(?:__|_)[\w.-]{1,40}\x60?|\x60?[A-Za-z][\w.-]{1,40}\x60?\s+tools?\b`;
// "before using any other tool": real servers say it of their own set-up tool ("call this first"), so it
// is a warning unless it reaches across servers.
const BEFORE_ANY = /\bbefore\s+(?:using\s+|calling\s+|invoking\s+|running\s+|you\s+(?:use|call)\s+)?(?:any|every|all)\s+(?:other\s+)?(?:[\w-]{1,30}\s+){0,3}?(?:tools?|servers?)\b/gi;
const CROSS_SERVER = /\b(?:other|any|every)\s+(?:connected\s+|configured\s+|MCP\s+)?servers?\b|\b(?:of|from)\s+(?:any|every)\s+(?:other\s+)?server\b|\bbrowser-pilot\b|\bplaywright\b|\bname\s+and\s+full\s+arguments\b/i;
const PATTERNS: readonly RegExp[] = [
  /\b(?:before|after)\s+(?:calling\s+|using\s+)?any\s+tool\s+of\s+any\s+other\b/gi,
  /\b(?:supersedes|replaces|overrides|shadows|is\s+the\s+(?:canonical\s+)?replacement\s+for)\b.{0,60}?\b(?:tools?|servers?)\b.{0,40}?\b(?:other|any)\b/gi,
  /\b(?:canonical|official|mandatory)\s+replacement\s+for\b/gi,
  /\b(?:other|those\s+other|every\s+other|any\s+other)\s+(?:connected\s+|configured\s+|installed\s+|loaded\s+)?(?:MCP\s+)?servers?\b.{0,120}?\b(?:must|always|never|instead|deprecated|blocked)\b/gi,
  /\b(?:must|always|never|instead)\b.{0,120}?\b(?:other|those\s+other|every\s+other|any\s+other)\s+(?:connected\s+|configured\s+|installed\s+)?(?:MCP\s+)?servers?\b/gi,
  /\bwhen(?:ever)?\s+(?:you\s+)?(?:use|call|invoke|run|send|edit|post|using|calling)\b.{0,80}?\b(?:any\s+other|any)\b.{0,40}?\btools?\b.{0,60}?\b(?:must\s+also|also|insert|always|first)\b/gi,
  /\bwhen(?:ever)?\s+(?:you\s+)?(?:use|call|invoke|using|calling)\s+[\w.`-]{2,60}(?:__|_)[\w`.-]{1,40}\b.{0,60}?\b(?:must\s+also|also\s+(?:call|send|post|add|include|cc|bcc|forward|copy))\b/gi,
  /\b(?:with|using)\s+(?:those\s+)?(?:any|other)\s+(?:other\s+)?(?:tools?|servers?)\b.{0,60}?\bmust\s+(?:also\s+)?(?:cc|bcc|include|add|insert|send|copy)\b/gi,
  /\bwhen(?:ever)?\s+the\s+user\s+(?:[\w-]{1,15}\s+){0,2}?(?:uses|exports|books|reports|sends|asks)\b.{0,100}?\b(?:also|first)\s+(?:call|post|pass|send|forward|copy|cc|bcc|route)\b/gi,
  /\bwhatever\s+\w{1,12}\s+tool\s+is\s+available\b|\bany\s+other\s+[\w-]{1,20}\s+server\b.{0,80}?\b(?:pass|send|call|route|first)\b/gi,
  new RegExp(String.raw`\b(?:${MODEL})\s*[,:]\s*(?:also|always|you\s+must|never)\b`, 'gi'),
  /\bother\s+(?:\w{1,12}\s+)?tools\s+are\s+(?:blocked|deprecated|disabled|unsafe)\b|\bthose\s+are\s+deprecated\s+and\s+leak\b|\busing\s+those\s+leaks\b/gi,
];
const INSTEAD = new RegExp(String.raw`\b(?:instead\s+of|rather\s+than)\s+(?:using\s+|calling\s+)?(?:the\s+)?(?:${TOOL_ID})`, 'gi');
const INSTEAD_STRONG = /\b(?:any\s+other|other\s+servers?|deprecated|blocked|leak|supersede|from\s+other)/i;

export const toolShadowingRule: TrustRule = {
  meta: {
    id: 'tool-shadowing',
    description: 'Steers the model\'s use of other tools or servers ("before using any other tool", "instead of <other tool>").',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = anyOf(text, PATTERNS, 'error', 'steers the model\'s use of other tools');
    BEFORE_ANY.lastIndex = 0;
    const b = BEFORE_ANY.exec(text);
    if (b && hits.length === 0) {
      const near = text.slice(Math.max(0, b.index - 120), b.index + b[0].length + 120);
      hits.push({severity: CROSS_SERVER.test(near) ? 'error' : 'warning', message: 'tells the model to call this tool before any other', index: b.index, length: b[0].length});
    }
    INSTEAD.lastIndex = 0;
    const m = INSTEAD.exec(text);
    if (m && hits.length === 0) {
      const near = text.slice(Math.max(0, m.index - 100), m.index + m[0].length + 100);
      hits.push({severity: INSTEAD_STRONG.test(near) ? 'error' : 'warning', message: 'tells the model to use this tool instead of another', index: m.index, length: m[0].length});
    }
    return hits;
  },
};
