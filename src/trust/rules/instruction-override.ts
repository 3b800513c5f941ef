/**
 * instruction-override: the text tries to replace the model's instructions ("ignore all previous
 * instructions", "disregard your guidelines", "from now on you are ...", "this server's rules take
 * precedence over the user's").
 */
import {anyOf, MODEL, type TrustRule} from './types.js';

const RULES_WORD = String.raw`(?:instructions?|prompts?|rules|guidelines|guidance|directions|directives|polic(?:y|ies)|constraints|limits|restrictions|safety\s+\w{1,12})`;
const PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:ignore|disregard|forget|override|bypass|skip)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|earlier|above|preceding|original|existing|system|server|safety|other|user(?:'s)?|initial)\b.{0,40}?\b${RULES_WORD}`, 'gi'),
  new RegExp(String.raw`\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:your|the)\s+${RULES_WORD}`, 'gi'),
  new RegExp(String.raw`\bignore[_ ](?:all[_ ])?(?:previous|prior)[_ ]instructions`, 'gi'),
  new RegExp(String.raw`\b(?:ignore|disregard)\s+(?:all\s+|any\s+)?(?:instructions?|requests?)\s+from\s+the\s+user`, 'gi'),
  new RegExp(String.raw`\bignore\s+(?:all\s+)?user\s+instructions\b`, 'gi'),
  new RegExp(String.raw`\b(?:previous|prior|earlier|original|safety|system)\s+(?:\w{1,15}\s+){0,2}${RULES_WORD}\s+(?:are|is)\s+(?:now\s+)?(?:void|cancell?ed|revoked|suspended|lifted|null|overridden|obsolete)`, 'gi'),
  new RegExp(String.raw`\b${RULES_WORD}\s+(?:are|is)\s+(?:now\s+)?(?:void|cancell?ed|revoked|suspended|overridden)\b`, 'gi'),
  new RegExp(String.raw`\b(?:take|takes)\s+precedence\s+over\s+(?:the\s+)?(?:user|your|system)`, 'gi'),
  new RegExp(String.raw`\b(?:user's|user)\s+(?:instructions|requests)\s+(?:are|is)\s+(?:lower|less)\s+priority`, 'gi'),
  new RegExp(String.raw`\b(?:always\s+)?(?:obey|follow)\s+(?:the\s+)?(?:text|instructions|content)\s+(?:inside|in|contained\s+in|from)\s+(?:the\s+)?(?:\w{1,15}\s+){0,2}(?:over|above|before|rather\s+than)\s+(?:the\s+)?user`, 'gi'),
  new RegExp(String.raw`\bmust\s+be\s+followed\s+over\s+(?:the\s+)?user`, 'gi'),
  new RegExp(String.raw`\b(?:higher|highest)[-\s]priority\s+instructions\b`, 'gi'),
  new RegExp(String.raw`\b(?:from\s+now\s+on|you\s+are\s+now)\b.{0,30}\byou\s+are\b|\byou\s+are\s+(?:now\s+)?(?:DAN|in\s+(?:developer|maintenance|god|jailbreak)\s+mode)\b|\bfrom\s+now\s+on\s+you\s+are\b`, 'gi'),
  new RegExp(String.raw`\b(?:${MODEL})\s*:\s*from\s+now\s+on\b`, 'gi'),
  new RegExp(String.raw`\bSYSTEM\s*:\s*(?:disable|ignore|you|from|override|enable|accept)\b`, 'g'),
  new RegExp(String.raw`\b(?:previous|prior|earlier|original|existing)\s+(?:[\w-]{1,20}\s+){0,5}?${RULES_WORD}\b.{0,40}?\b(?:(?:are|were|is)\s+(?:now\s+)?(?:\w{1,10}\s+){0,3}?(?:void|outdated|obsolete|withdrawn|cancell?ed|revoked)|no\s+longer\s+apply|do\s+not\s+apply)\b`, 'gi'),
  new RegExp(String.raw`\b(?:ignore|disregard|forget|bypass)\s+(?:[\w-]{1,25}\s+){0,3}?(?:guidelines|policies|safety\s+rules)\b`, 'gi'),
  new RegExp(String.raw`\b(?:guidelines|policies|safety\s+rules)\b.{0,20}?\bdo\s+not\s+apply\b`, 'gi'),
  /\b(?:supersedes?|replaces?|replace)\s+(?:all\s+)?(?:earlier|previous|prior)\s+(?:rules|instructions|guidelines)\b|\bobey\s+only\b/gi,
  /\bprior\s+restrictions\b.{0,40}\bobsolete\b/gi,
  // Non-English forms of "ignore (all) previous instructions".
  /\bignorier(?:e|en)?\s+(?:alle\s+)?(?:vorherigen|bisherigen|früheren)\s+anweisungen/gi,
  /\bignor(?:a|e)\s+(?:todas\s+)?las\s+instrucciones\s+(?:anteriores|previas)/gi,
  /\bignore[rz]?\s+(?:toutes\s+)?les\s+instructions\s+(?:précédentes|antérieures)/gi,
];

export const instructionOverrideRule: TrustRule = {
  meta: {
    id: 'instruction-override',
    description: 'Tries to replace the model\'s instructions ("ignore all previous instructions", "your guidelines are void").',
    severity: 'error',
  },
  check(text) {
    // A tool that tests prompts may quote an attack phrase: quoted in '...' or "..." it is an example, not an order.
    return anyOf(text, PATTERNS, 'error', 'tries to override the model\'s instructions').filter((h) => !quoted(text, h.index));
  },
};

function quoted(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 2), index);
  return /['"‘“(]\s?$/.test(before) && /\be\.g\.|\bsuch\s+as\b|\bexamples?\b|\bsuite\b|\blike\b/i.test(text.slice(Math.max(0, index - 80), index));
}
