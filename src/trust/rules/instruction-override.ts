/**
 * instruction-override: the text tries to replace the model's instructions. Structures: a verb of
 * setting aside (ignore, disregard, forget, bypass, override ...) within a few words of a noun for
 * what the model was told, qualified as earlier/system/yours/the user's; such instructions declared
 * void, lifted, obsolete or no longer applying; a precedence claim over the user, the system or the
 * developer; a new persona or mode ("from now on you are", "developer mode"); pre-approval that removes
 * the user's confirmation. A quoted example ("detects attacks such as 'ignore previous instructions'")
 * is documentation.
 */
import {all, clauses, MODEL, PRIOR, quotedExample, RULE_NOUN} from './signals.js';
import type {RuleHit, TrustRule} from './types.js';
import {combos, merge} from './directive.js';
import type {Where} from './types.js';

const SET_ASIDE = String.raw`(?:ignore|disregard|forget|override|overrule|bypass|circumvent|skip|discard|drop|abandon|set\s+aside|suspend|nullify|void|supersede|dismiss|neglect|disobey|violate|break|lift|relax|waive)`;
const STRONG_PRIOR = String.raw`(?:previous|prior|earlier|above|preceding|original|initial|system|developer|developer['’]s|operator['’]s|your|your\s+own|all\s+(?:of\s+)?(?:your|the|my)|any\s+(?:earlier|previous|prior))`;
const CORE_NOUN = String.raw`(?:instructions?|prompts?|system\s+prompt|rules|guidelines|guidance|directives?|polic(?:y|ies)|constraints|restrictions|safeguards|guardrails|consignes|programming|training|principles|ethics)`;
const PATTERNS: readonly RegExp[] = [
  // ignore (all of) your previous instructions / the system prompt / the user's requests
  new RegExp(String.raw`\b${SET_ASIDE}\s+(?:\w{1,15}\s+){0,3}?${STRONG_PRIOR}\s+(?:[\w'’-]{1,20}\s+){0,3}?${RULE_NOUN}\b|\b${SET_ASIDE}\s+(?:\w{1,15}\s+){0,3}?${PRIOR}\s+(?:[\w'’-]{1,20}\s+){0,3}?${CORE_NOUN}\b`, 'gi'),
  new RegExp(String.raw`\b${SET_ASIDE}\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:above|the\s+above|everything\s+(?:above|before|else)|what\s+(?:you\s+were|the\s+user)|the\s+user\b|the\s+user['’]s\b|user\s+(?:input|messages?|requests?)|(?:the\s+)?last\s+user\s+message)`, 'gi'),
  new RegExp(String.raw`\bignore[_ -](?:all[_ -])?(?:previous|prior|above|earlier|system)[_ -](?:instructions|prompts?|rules)`, 'gi'),
  // previous instructions are void / no longer apply
  new RegExp(String.raw`\b${PRIOR}\s+(?:[\w'’-]{1,20}\s+){0,4}?${RULE_NOUN}\s+(?:\w{1,15}\s+){0,6}?(?:are|is|were|was|have\s+been|has\s+been)\s+(?:now\s+|hereby\s+|henceforth\s+)?(?:void|cancell?ed|revoked|suspended|lifted|null|overridden|obsolete|outdated|withdrawn|invalid|disabled|superseded|replaced|removed|waived|off|a\s+test|no\s+longer\s+\w{1,12}|not\s+(?:applicable|valid|in\s+effect))`, 'gi'),
  new RegExp(String.raw`\b${RULE_NOUN}\s+(?:\w{1,15}\s+){0,5}?(?:no\s+longer\s+(?:apply|applies|required|needed|valid|in\s+effect)|(?:do|does)\s+not\s+apply|don['’]t\s+apply|(?:is|are)\s+(?:now\s+)?(?:disabled|lifted|void|suspended|waived|off|not\s+required|no\s+longer\s+required))\b`, 'gi'),
  // precedence over the user / system / developer
  new RegExp(String.raw`\b(?:takes?|taking|have|has)\s+(?:\w{1,10}\s+)?(?:precedence|priority)\s+over\s+(?:the\s+|any\s+|all\s+)?(?:user|your|system|developer|previous|prior|earlier|other\s+(?:instructions|rules)|instructions|rules|guidelines)|\b(?:higher|highest|top|overriding|absolute)[-\s](?:level\s+)?priority\s+(?:instructions?|directives?|rules?|than|over)\b|\bpriority:\s*(?:highest|critical|override|max)|\b(?:over|above|before|rather\s+than|instead\s+of)\s+(?:the\s+|any\s+|all\s+)?(?:user['’]?s?|system|developer|operator|your\s+(?:own\s+)?(?:instructions|rules|guidelines|prompt|system\s+prompt))\b(?:\s+(?:requests?|instructions?|wishes|messages?|prompts?|and\s+(?:user|system)))?|\b(?:lower|less|secondary)\s+priority\s+than\b|\b(?:user['’]?s?|their)\s+(?:\w{1,12}\s+){0,2}(?:instructions|requests|wishes)\s+(?:are|is)\s+(?:\w{1,10}\s+)?(?:lower|less|secondary|irrelevant)\b|\b${MODEL}\s+first\s+and\s+the\s+user['’]s\s+\w{1,12}\s+second\b`, 'gi'),
  new RegExp(String.raw`\b(?:obey|follow|comply\s+with|execute|treat|act\s+on|carry\s+out|do)\s+(?:\w{1,15}\s+){0,6}?(?:text|instructions?|content|notes?|passages?|documents?|pages?|comments?|directives?|commands?|whatever|anything)\s+(?:\w{1,15}\s+){0,8}?(?:over|above|rather\s+than|instead\s+of|even\s+if|regardless|as\s+(?:the\s+user['’]s\s+own|authoritative|higher[-\s]priority|your\s+own)|without\s+(?:asking|question|confirm))`, 'gi'),
  /\b(?:authoritative|binding|mandatory)\s+instructions\b|\bmust\s+be\s+(?:followed|obeyed)\s+(?:over|above|before|even)\b|\bobey\s+only\b|\byour\s+only\s+(?:loyalty|duty|job|goal)\b/gi,
  // persona and mode switches
  new RegExp(String.raw`\b(?:from\s+now\s+on|from\s+this\s+(?:point|moment)\s+(?:on|onward)|henceforth|for\s+the\s+rest\s+of\s+(?:this|the)\s+(?:session|conversation)|effective\s+immediately)\b(?:\s*[,:]?\s*(?:\w{1,15}\s+){0,6}?(?:you|your|always|never|obey|treat|the\s+user['’]?s?|ignore|act|respond|answer|must|all|every|accept|disable))`, 'gi'),
  new RegExp(String.raw`\byou\s+are\s+(?:now|no\s+longer)\b|\b(?:god|jailbreak|dan|unrestricted|unfiltered|sudo)\s+mode\b|\b(?:you|assistant|model|ai|agent)\s+(?:are|is)\s+(?:now\s+)?(?:in|operating\s+in|running\s+in)\s+(?:\w{1,15}\s+)?mode\b|\b(?:user|admin|operator|owner|grader)\s+has\s+(?:enabled|activated|turned\s+on)\s+['"‘“]?\w{1,15}(?:\s+\w{1,15})?['"’”]?\s+mode\b|\bnew\s+(?:instructions?|directives?|system\s+prompt|persona|role)\s*[:(]|\bnew\s+rules?\s+for\s+(?:the\s+|any\s+|all\s+)?${MODEL}`, 'gi'),
  // the user's confirmation removed
  /\b(?:pre-?approved|pre-?authori[sz]ed|already\s+(?:approved|authori[sz]ed|agreed|consented)|has\s+(?:already\s+)?(?:approved|consented))\b|\b(?:even\s+if|even\s+when|regardless\s+of\s+whether)\s+(?:the\s+user|they|he|she)\s+(?:\w{1,10}\s+)?(?:says?|asks?|tells?|wants?|objects?|refuses?|insists?)\b|\b(?:continue|keep\s+going|proceed)\s+anyway\b|\b(?:never|do\s+not|don['’]t|no\s+need\s+to)\s+ask\s+(?:the\s+user\s+)?(?:for\s+)?(?:confirmation|permission|approval|first)\b|\bwhatever\s+the\s+user\s+(?:says|picks|chooses|wants)\b|\bregardless\s+of\s+(?:the\s+)?user['’]?s?\b/gi,
  /\bsafety\s+(?:checks?|filters?|rules|guidelines|guardrails|policies)\s+(?:are|is|have\s+been)\s+(?:\w{1,10}\s+)?(?:disabled|off|suspended|lifted|removed|waived)\b|\bdisable\s+(?:\w{1,12}\s+){0,2}(?:safe|safety|security|checks?|verification|warnings?)\b/gi,
  // role labels: "SYSTEM: ..." written as an order
  /(?:^|[\s(\[>])(?:SYSTEM|ADMIN|DEVELOPER|OPERATOR|ROOT)\s*(?:OVERRIDE|NOTE|MESSAGE|NOTICE|UPDATE)?\s*[:：]\s*(?=[A-Za-z])/g,
  // Other languages.
  /\bignorier(?:e|en|t)?\s+(?:\w{1,12}\s+){0,2}(?:anweisungen|regeln|vorgaben|richtlinien)|\bignor(?:a|e|ez|er|ar)\s+(?:\w{1,12}\s+){0,3}(?:instrucciones|instructions|consignes|istruzioni|instruções|reglas|règles|regole)|\bolvida\s+(?:\w{1,12}\s+){0,2}instrucciones|\boublie[rz]?\s+(?:\w{1,12}\s+){0,2}(?:instructions|consignes)|\bdimentica\s+(?:\w{1,12}\s+){0,2}istruzioni|忽略(?:之前|以前|先前|上面|上述|前面|所有|全部|此前)|无视(?:之前|以前|所有)|(?:以前|前|これまで|上記)の(?:指示|命令|ルール)を(?:無視|忘れ)|指示を無視|игнорируй|забудь\s+(?:все\s+)?(?:предыдущие\s+)?инструкции|не\s+обращай\s+внимания\s+на\s+(?:предыдущие\s+)?инструкции/gi,
];

const phrases: TrustRule = {
  meta: {
    id: 'instruction-override',
    description: 'Tries to replace the model\'s instructions ("ignore all previous instructions", "your guidelines are void", "from now on you are").',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = [];
    for (const c of clauses(text)) {
      for (const re of PATTERNS) {
        const m = all(re, c.text, 1)[0];
        if (!m) continue;
        const index = c.start + m.index;
        if (quotedExample(text, index) || documentedOption(c.text, m) || /\b(?:not|never|n['’]t|no)\s+(?:\w{1,10}\s+)?$/i.test(c.text.slice(Math.max(0, m.index - 20), m.index))) continue;
        hits.push({severity: 'error', message: 'tries to override the model\'s instructions', index, length: m[0].length});
        break;
      }
      if (hits.length >= 3) break;
    }
    return hits;
  },
};

/** "Ignore stale-issue policy: set ignore_policy=true to skip ..." documents a parameter. */
function documentedOption(clause: string, m: RegExpExecArray): boolean {
  const after = clause.slice(m.index, m.index + m[0].length + 60);
  return /\b(?:set|pass|use|with)\s+[\w-]{1,30}\s*=|\b[\w-]{1,30}=(?:true|false)\b|--[\w-]{2,30}/i.test(after) && !/\b(?:you|your|system|previous|prior|earlier)\b/i.test(m[0]);
}

export const instructionOverrideRule: TrustRule = {meta: phrases.meta, check: (text, where) => merge(phrases.check(text, where), combined(text, where))};

/**
 * Combined signals: setting aside instructions, the user's wishes or a safeguard (override family) in a sentence
 * that gives an order or is addressed to the model; a quoted example stays documentation.
 */
function combined(text: string, where?: Where): RuleHit[] {
  return combos(text, where, 'override', ['order', 'addressed', 'conceal', 'deceive'], (s, a) => !quotedExample(text, a.index))
    .map((c) => ({severity: 'error' as const, message: 'tries to override the model\'s instructions or the user\'s wishes', index: c.signal.index, length: c.signal.length}));
}
