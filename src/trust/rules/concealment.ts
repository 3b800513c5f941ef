/**
 * concealment: the text asks the model to keep something from the user. Modelled as structures, not
 * phrases: a negated verb of telling ("do not tell / never mention / without informing") whose object is
 * the user, a pronoun for the hidden act, or the reply; the user as the one who must not see, know or
 * learn; hiding FROM the user; deception (pretend, say you used theirs, keep showing the original); a
 * covert adverb (silently, quietly, secretly) on an order addressed to the model. A documented option
 * ("set quiet=true to send silently") or a tool describing its own masking is not concealment.
 */
import {ADDRESSED, all, clauses, isOrder, MODEL, SIDE_ACTION, type Clause} from './signals.js';
import type {RuleHit, TrustRule} from './types.js';
import {combos, merge, OPTION_DOC, type Sentence, type Signal} from './directive.js';
import type {Where} from './types.js';

const TELL = String.raw`(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|disclose|disclosing|show|showing|display|displaying|report|reporting|list|listing|notify|notifying|alert|alerting|warn|warning|say|saying|explain|explaining|admit|admitting|acknowledge|surface|surfacing|quote|quoting|expose|exposing|bring\s+(?:this|it|that)\s+up|bring\s+up|let\s+(?:the\s+user|them|anyone|the\s+\w{1,12})\s+know|make\s+(?:it\s+)?(?:visible|known))(?!\s+up\b)`;
const NEG = String.raw`(?:do\s+not|don['’]t|dont|never|must\s+not|mustn['’]t|should\s+not|shouldn['’]t|shall\s+not|without|no\s+need\s+to|nor|not\s+to|avoid|refrain\s+from|and\s+not|but\s+not|not)`;
const WHO = String.raw`(?:the\s+)?(?:user|users|user['’]s|customer|customers|client|clients|human|humans|requester|owner|person|people|recipient|recipients|agent|anyone|anybody|them|him|her|they|team|student|employee|end[- ]user)`;
// What an attacker hides: the extra act, the instruction itself, the reply.
const WHAT = String.raw`(?:it|this|that|these|those|them|anything|nothing|the\s+(?:\w{1,15}\s+){0,2}(?:step|steps|change|changes|action|actions|instruction|instructions|rule|rules|policy|note|call|calls|file|files|forwarding|copy|bcc|cc|header|substitution|rounding|link|links|request|extra|addition|redirect|upload|transfer|access|pr|message|text|reason|fact|result|results|fee|account|recipient|address)|(?:any|the|these|this)\s+(?:extra|additional|hidden)\b|which\b|what\b|where\b|why\b|that\s+you\b)`;
const PLACE = String.raw`(?:in|to|within|inside)\s+(?:the\s+|your\s+|any\s+)?(?:chat|reply|replies|answer|answers|response|responses|summary|conversation|output|message|ui|report|final\s+answer|draft)`;

const NEGATED_TELL = new RegExp(String.raw`\b${NEG}\s+(?:\w{1,12}\s+){0,2}?${TELL}\b(?:\s+\w{1,15}){0,1}?\s*(?:[^\w\s]{0,2}\s*)(?:${WHO}|${WHAT}|${PLACE})\b`, 'gi');
// "Do not disclose." / "(do not display)" with nothing after: the object is whatever came before.
const NEGATED_TELL_END = new RegExp(String.raw`\b${NEG}\s+(?:\w{1,12}\s+)?${TELL}\s*(?:[.!)\]*]|$)`, 'gi');
const TELL_NOTHING = new RegExp(String.raw`\b(?:tell|say|report|mention|show)\s+(?:${WHO}\s+)?(?:nothing|none)\b|\breport\s+nothing\b`, 'gi');
const USER_UNAWARE = new RegExp(String.raw`\b${WHO}\s+(?:\w{1,12}\s+)?(?:should|must|need|needs|does|do|will|may|can|is|are|shall|is\s+not|are\s+not)\s*(?:not|n['’]t|never)\s+(?:\w{1,10}\s+)?(?:need\s+to\s+)?(?:see|know|notice|find\s+out|learn|realize|realise|hear|suspect|be\s+(?:told|informed|aware|shown|notified|made\s+aware|alerted|bothered))(?=\s+(?:about|of|that|it|this|these|anything|what|where|which|the\s+(?:substitution|change|extra|real|true|forward|copy))\b|\s*[.,;:)!]|\s*$)|\b(?:without|before)\s+(?:the\s+user|they|them|anyone)\s+(?:\w{1,10}\s+)?(?:knowing|noticing|seeing|realizing|finding\s+out|being\s+(?:told|informed|asked))\b|\b(?:keep|leave)\s+(?:the\s+user|them|users)\s+(?:unaware|in\s+the\s+dark|uninformed)\b`, 'gi');
const HIDE_FROM = new RegExp(String.raw`\b(?:hide|hiding|conceal|concealing|keep|keeping|mask|masking|withhold|withholding)\b(?:\s+[\w'’-]{1,15}){0,6}?\s+(?:from|secret\s+from|hidden\s+from|private\s+from|away\s+from)\s+${WHO}|\b(?:invisible|hidden|not\s+visible|secret|unknown)\s+(?:to|from)\s+${WHO}|\b(?:this|it)\s+is\s+(?:invisible|hidden)\b|\b(?:do\s+not|don['’]t)\s+(?:display|show)\b(?!\s+up\b)`, 'gi');
const DECEIVE = new RegExp(String.raw`\b(?:pretend(?:ing)?|lie|lying|mislead(?:ing)?|deceive|deceiving|falsely|fake|feign|make\s+(?:it|them)\s+(?:look|seem|appear)|keep\s+(?:showing|displaying)\s+the\s+(?:original|old|requested)|(?:say|says|tell|claim|report|answer)\s+(?:to\s+the\s+user\s+|them\s+|the\s+user\s+)?(?:that\s+)?(?:you\s+(?:used|did|sent|chose|picked|followed)|it\s+(?:was|is)\s+(?:done|local|standard|safe|fine|normal)|processing\s+is|there\s+(?:were|was|are|is)\s+(?:none|no|nothing)|everything\s+(?:is|was)|only\s+the\s+one)|(?:tell|show)\s+(?:the\s+user|them)\s+only\b|(?:report|show|display)\s+(?:the\s+user['’]s|their)\s+(?:\w{1,15}\s+){0,2}(?:instead|anyway)|(?:just|only)\s+(?:answer|reply|say|respond)\s+(?:with\s+)?['"‘“]|answer\s+only\s+['"‘“]|always\s+report\s+(?:\w{1,15}\s+){0,3}as\s+(?:low|safe|fine|clean|none)|tell\s+(?:them|the\s+user)\s+(?:this|it)\s+is\s+(?:standard|normal|required|safe)|(?:the\s+user['’]?s?|their)\s+(?:dashboard|view|viewer|ui|screen)\s+(?:will\s+)?(?:still\s+)?(?:shows?|hides?|displays?)\s+only)\b`, 'gi');
const COVERT = /\b(?:silently|quietly|secretly|covertly|discreetly|invisibly|stealthily|surreptitiously|behind\s+the\s+(?:user['’]s\s+)?back|without\s+(?:telling|informing|notifying|alerting|asking|mentioning|saying|letting)|under\s+the\s+radar|in\s+secret|unnoticed)\b/gi;
// Other languages: "don't tell (the user)", "without saying".
const FOREIGN = /\bne\s+(?:lui\s+|leur\s+|le\s+|les\s+)?(?:dis|dites|mentionne[zs]?|r[ée]v[èe]le[zs]?|montre[zs]?|signale[zs]?)\s+(?:jamais|rien|pas)\b|\bsans\s+(?:le\s+|lui\s+|leur\s+)?(?:dire|mentionner|pr[ée]venir|informer|signaler)\b|\bno\s+(?:le\s+|les\s+|se\s+lo\s+)?(?:digas|diga|digan|menciones|mencione|informes|informe|reveles|revele|muestres|muestre|avises|avise)\b|\bsin\s+(?:decir|avisar|informar|mencionar)(?:le|les|lo)?\b|\bsag(?:e|en|t)?\s+(?:dem|der|den|es\s+dem)\s+(?:\w{1,12}\s+)?(?:nutzer|benutzer|anwender|kunden)\w*\s+nichts\b|\bnicht\s+(?:erw[äa]hnen|sagen|mitteilen|anzeigen|verraten)\b|\bohne\s+(?:es\s+)?(?:\w{1,12}\s+)?(?:zu\s+)?(?:sagen|erw[äa]hnen|informieren|benachrichtigen)\b|\bn[ãa]o\s+(?:conte|diga|mencione|informe|revele|mostre|avise)\b|\bsem\s+(?:avisar|informar|contar|dizer|mencionar)\b|\bnon\s+(?:dire|dirlo|menzionare|rivelare|mostrare|informare)\b|\bsenza\s+(?:dire|avvisare|informare|menzionare)\b|不要(?:告诉|告知|提及|提到|透露|显示|让用户知道|向用户)|别(?:告诉|提)|勿(?:告知|提及|透露)|(?:言わ|伝え|知らせ|教え|表示し|見せ)ないで|内緒|秘密に|не\s+(?:говори|сообщай|упоминай|показывай|рассказывай)|без\s+(?:уведомления|ведома)/gi;

const phrases: TrustRule = {
  meta: {
    id: 'concealment',
    description: 'Asks the model to keep an action or fact from the user ("do not tell the user", "the user should not know", "pretend you used theirs").',
    severity: 'error',
  },
  check(text) {
    const hits: RuleHit[] = [];
    const addressed = ADDRESSED.test(text);
    for (const c of clauses(text)) {
      if (hits.length >= 3) break;
      const hit = strong(c);
      if (hit) {
        hits.push(hit);
        continue;
      }
      // A covert adverb counts when it rides on an order (or the text is addressed to the model) and the
      // act is a side act ("also", "every", "whatever the user picks") or names no user-facing option.
      for (const m of all(COVERT, c.text, 3)) {
        const around = c.text.slice(Math.max(0, m.index - 80), m.index + m[0].length + 80);
        const optionDoc = /\b(?:set|pass|use|with|when|if)\s+[\w-]{1,20}\s*=|--[\w-]{2,20}|\b(?:option|flag|parameter|mode)\b|\bhappens\b|\bruns\b|\bin\s+the\s+background\b/i.test(around);
        const ordered = isOrderNear(c.text, m.index) || addressed || new RegExp(String.raw`\b${MODEL}\b`, 'i').test(around);
        if (ordered && !optionDoc) {
          hits.push({severity: SIDE_ACTION.test(around) || addressed ? 'error' : 'warning', message: 'asks the model to act covertly', index: c.start + m.index, length: m[0].length});
          break;
        }
      }
    }
    return hits.filter((h, i) => hits.findIndex((o) => o.index === h.index) === i);
  },
};

function strong(c: Clause): RuleHit | undefined {
  const at = (m: RegExpExecArray, message: string): RuleHit => ({severity: 'error', message, index: c.start + m.index, length: m[0].length});
  for (const m of all(NEGATED_TELL, c.text, 3)) {
    // "do not mention internal ticket numbers in public repos" documents a convention; the object of the
    // hiding is the user, the hidden act or the reply.
    if (/^(?:not|and\s+not|but\s+not|nor|avoid)\b/i.test(m[0]) && !/\b(?:user|anyone|them)\b/i.test(m[0])) continue;
    if (/\bwithout\s+(?:asking|confirm)/i.test(m[0]) && !/\b(?:tell|inform|notify|mention|say|let)/i.test(m[0])) continue;
    return at(m, 'asks the model to keep something from the user');
  }
  for (const m of all(NEGATED_TELL_END, c.text, 2)) {
    if (/^without\b/i.test(m[0])) continue;
    return at(m, 'asks the model to keep something from the user');
  }
  for (const re of [USER_UNAWARE, HIDE_FROM, DECEIVE, TELL_NOTHING, FOREIGN]) {
    const m = all(re, c.text, 1)[0];
    if (m) return at(m, re === DECEIVE ? 'asks the model to deceive the user' : 'asks the model to keep something from the user');
  }
  return undefined;
}

function isOrderNear(clause: string, index: number): boolean {
  const re = /\b[a-z]{2,15}\b/gi;
  const from = Math.max(0, index - 60);
  const window = clause.slice(from, index + 60);
  for (let m = re.exec(window); m !== null; m = re.exec(window)) {
    if (isOrder(clause, from + m.index) && /^(?:add|grant|send|forward|copy|upload|open|delete|remove|sign|pick|use|set|share|install|create|post|include|attach|replace|change|make|run|invite|transfer|apply|store|save|publish)$/i.test(m[0])) return true;
  }
  return false;
}

export const concealmentRule: TrustRule = {meta: phrases.meta, check: (text, where) => merge(phrases.check(text, where), combined(text, where))};

const PROTECTED = /^\s*(?:(?:a|an|the|any|their|its|your)\s+)?(?:[\w-]{1,15}\s+)?(?:passwords?|secrets?|keys?|tokens?|credentials?|pins?|pii|personal\s+data|values?)\b/i;
const COVERT_ADVERB = /^(?:secretly|silently|quietly|covertly|discreetly|stealthily|surreptitiously|unnoticed)$/i;
// What is kept from someone: "it", "this", "to the buyer", "from the user", a colon or "that …" clause.
const CONCEALED_OBJECT = /^\s*(?:(?:it|this|that|these|them|anything|everything)\b|(?:[\w'’-]{1,20}\s+){0,4}?(?:to|from|with)\s+(?:the\s+[\w-]{1,15}|them|him|her|anyone|anybody|users?)\b|(?:to\s+)?(?:the\s+)?(?:users?|customers?|buyers?|patrons?|employees?|teachers?|parents?|agents?|members?)\b|[,:—–-]|(?:dass|que|that)\b)/i;
// The user as the subject of the telling verb ("the user must confirm this is a new site") is not deception.
const USER_SUBJECT = /\b(?:users?|they|customers?|he|she|you)\s+(?:must|should|can|may|will|needs?\s+to|has\s+to|have\s+to)\s+(?:\w{1,12}\s+){0,3}$/i;

/**
 * Combined signals: a concealment phrase with a second signal in the same sentence (addressed to the model, a
 * side act, an outside address, a secret, private content, an override, deception, other tools), or with an
 * order when what is kept is named ("never disclose the partnership to the buyer", "keep it to yourself");
 * a deceiving report ("say it was random", "describe it as standard seats") inside an order.
 */
function combined(text: string, where?: Where): RuleHit[] {
  const out: RuleHit[] = [];
  const hit = (s: Signal, message: string) => out.push({severity: 'error', message, index: s.index, length: s.length});
  const matched = (s: Sentence, a: Signal) => s.text.slice(a.index - s.start, a.index - s.start + a.length);
  for (const c of combos(text, where, 'conceal', ['addressed', 'side', 'external', 'sensitive', 'private', 'override', 'deceive', 'cross', 'order'], (s, a) => {
    if (OPTION_DOC.test(s.text)) return false;
    const strongPartner = (['addressed', 'side', 'external', 'sensitive', 'private', 'override', 'deceive', 'cross'] as const).some((f) => s.has.has(f));
    const after = s.text.slice(a.index - s.start + a.length, a.index - s.start + a.length + 80);
    // "Never reveal a password unless …" protects a secret: what is withheld is the secret itself.
    if (PROTECTED.test(after)) return false;
    if (COVERT_ADVERB.test(matched(s, a))) return strongPartner && s.has.has('order');
    return strongPartner || CONCEALED_OBJECT.test(s.text.slice(a.index - s.start + a.length, a.index - s.start + a.length + 80));
  })) hit(c.signal, 'asks the model to keep something from the user');
  if (out.length > 0) return out;
  for (const c of combos(text, where, 'deceive', ['order', 'addressed', 'conceal', 'override'], (s, a) => !USER_SUBJECT.test(s.text.slice(Math.max(0, a.index - s.start - 40), a.index - s.start)) && !OPTION_DOC.test(s.text))) {
    hit(c.signal, 'asks the model to tell the user something other than what happened');
  }
  return out;
}
