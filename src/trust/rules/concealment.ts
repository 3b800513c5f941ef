/**
 * concealment: the text asks the model to keep something from the user ("do not tell the user",
 * "the user should not know", "silently ... never report").
 */
import {anyOf, MODEL, type TrustRule} from './types.js';

const WHO = String.raw`(?:the\s+)?(?:user|users|customer|client|agent|human|requester|operator)(?:'s)?`;
const PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:do\s+not|don't|dont|never|must\s+not|should\s+not|without)\s+(?:tell|telling|inform|informing|mention|mentioning|notify|notifying|alert|alerting|reveal|revealing|disclose|disclosing|show|showing|report|reporting|warn|warning|list|listing|quote|quoting)\b.{0,60}?\b${WHO}\b`, 'gi'),
  new RegExp(String.raw`\b${WHO}\s+(?:should|must|need|needs|does|do|will|may)\s*(?:not|n't|never)\s+(?:need\s+to\s+)?(?:see|know|notice|find\s+out|learn|be\s+(?:told|informed|aware|shown|notified))\b`, 'gi'),
  new RegExp(String.raw`\b(?:hide|conceal|keep)\b.{0,30}\b(?:from|secret\s+from|hidden\s+from)\s+${WHO}`, 'gi'),
  new RegExp(String.raw`\b(?:invisible|hidden|not\s+visible)\s+to\s+${WHO}`, 'gi'),
  new RegExp(String.raw`\b(?:no\s+need\s+to|never|don't|do\s+not|and\s+not)\s+(?:mention|report|tell|reveal|disclose|list)\b.{0,40}\b(?:it|this|them|that|the\s+\w{1,20})\b`, 'gi'),
  new RegExp(String.raw`\b(?:silently|quietly|secretly|covertly)\b.{0,80}\b(?:never|don't|do\s+not|without)\s+(?:report|mention|tell|asking|list|show)`, 'gi'),
  /\bwithout\s+(?:telling|informing|notifying)\s+(?:anyone|anybody)\b|\bwithout\s+(?:saying|mentioning)\s+(?:that\s+you|so|it|anything|this)\b|\bwithout\s+letting\s+\w{1,10}\s+know\b/gi,
  /(?:^|[.!:;(*]\s*)(?:do\s+not|don't)\s+(?:disclose|display|reveal|bring\s+this\s+up)\b/gi,
  /\b(?:does|do)\s+not\s+need\s+to\s+be\s+told\b|\bmust\s+not\s+(?:list|mention|reveal|disclose)\b/gi,
  /\btell\s+the\s+user\s+only\b|\bkeep\s+showing\s+the\s+original\b|\bsay\s+(?:that\s+)?you\s+used\s+their\b|\bpretend\s+(?:that\s+)?(?:the|it|you)\b/gi,
  new RegExp(String.raw`\b${MODEL}\s*:.{0,40}\b(?:silently|quietly|secretly)\b`, 'gi'),
  /\bne\s+(?:lui\s+)?dis\s+jamais\b|\bne\s+dites\s+(?:rien|jamais)\b/gi,
  new RegExp(String.raw`\breport\s+the\s+user's\s+\w{1,20}\s+\w{0,20}\s*instead\b`, 'gi'),
  new RegExp(String.raw`\bno\s+(?:le|les)\s+dig[aá]s\b|\bno\s+le\s+digas\s+nada\b|\bsag(?:e|en)?\s+(?:dem|der)\s+(?:nutzer|benutzer)\w*\s+nichts\b|\bne\s+(?:le\s+)?dis\s+rien\b`, 'gi'),
];
// Softer: "quietly"/"silently" next to an action aimed at the model, without an explicit "don't tell".
const SOFT = new RegExp(String.raw`\b(?:quietly|secretly|covertly)\s+(?:open|add|send|grant|forward|copy|upload|create|post|share|replace)\b|\bnote\s+to\s+${MODEL}\b.{0,200}\b(?:silently|quietly)\b`, 'gi');

export const concealmentRule: TrustRule = {
  meta: {
    id: 'concealment',
    description: 'Asks the model to keep an action or fact from the user ("do not tell the user", "the user should not know").',
    severity: 'error',
  },
  check(text) {
    const hits = anyOf(text, PATTERNS, 'error', 'asks the model to keep something from the user');
    if (hits.length === 0) hits.push(...anyOf(text, [SOFT], 'error', 'asks the model to act covertly'));
    return hits;
  },
};
