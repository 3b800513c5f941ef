/**
 * Signal combination for the poisoning rules: each sentence of a string is read for families of
 * signals that do not depend on one attack's wording, and a rule reports an error only when its own
 * family meets a second, independent signal in the SAME sentence (bounded: a sentence is cut at
 * SENTENCE_MAX characters). One family alone is how ordinary documentation talks ("never returns the
 * password", "reads ~/.ssh/config", "use this instead of list_items"); two together are an order.
 *
 * Families:
 *   order      an imperative (bare verb at the start, after a modal, "before …, do") — from signals.ts
 *   addressed  text spoken to the model ("note for AI:", "assistant:", "(System)", "you must")
 *   conceal    keeping something from the user ("never mention", "keep this between us", "they won't know")
 *   deceive    telling the user something other than what happened ("say it was random", "describe it as")
 *   override   setting aside instructions or the user ("overrides your system instructions", "regardless
 *              of what the user wants", "has been removed", "source of truth")
 *   side       an act riding along ("also", "in addition", "every turn", "even when not asked")
 *   sensitive  credential files, secrets, identity and payment data, private folders
 *   unmask     asking for the secret in clear ("unredacted", "in full", "not masked", "as printed")
 *   private    what only the model has: the conversation, what the user told it, what it has read
 *   external   an outside address (URL, e-mail address, bucket)
 *   cross      other servers or their tools
 */
import {ADDRESSED, CONVERSATION, EXTERNAL, isOrder, SECRET, SENSITIVE_PATH, splitWindows, YOU_MUST} from './signals.js';
import type {RuleHit, Where} from './types.js';

export const SENTENCE_MAX = 600;

export type Family = 'order' | 'addressed' | 'conceal' | 'deceive' | 'override' | 'side' | 'sensitive' | 'unmask' | 'private' | 'external' | 'cross';

export interface Signal { family: Family; index: number; length: number }
export interface Sentence { text: string; start: number; signals: Signal[]; has: Set<Family> }

const MODEL_WORD = String.raw`(?:ai|a\.i\.|assistants?|models?|llms?|agents?|claude|copilot|gpt|chatbots?|language\s+models?|yapay\s+zek[aâ]|modell|ki|ia|asistente|assistenten|mod[eè]le)`;

const ADDR_EXTRA = new RegExp(
  [
    // "(System)", "(Note for AI: …)", "// ai:", "Assistant:", "assistant, recommend …"
    String.raw`[(\[]\s*(?:system|admin|developer|note\s+(?:for|to)\s+${MODEL_WORD}|for\s+(?:the\s+)?${MODEL_WORD}(?:\s+only)?|${MODEL_WORD}\s+only|only\s+for\s+(?:the\s+)?${MODEL_WORD})\s*[)\]:]`,
    String.raw`(?:^|[\s(\[/>*"'“,;—–-])${MODEL_WORD}\s*[:：,]\s`,
    String.raw`\b(?:nur|only|solo|seulement|yaln[ıi]zca)\s+(?:f[üu]r\s+(?:das|den|die)\s+|for\s+(?:the\s+)?|para\s+(?:el\s+|la\s+)?|pour\s+l['’]\s?)?${MODEL_WORD}\b`,
    String.raw`\b${MODEL_WORD}\s+(?:i[çc]in|için)\b`,
    String.raw`\b(?:administrator|admin|operator|developer|system|server)\s+(?:instruction|directive|note|notice|patch|override|message)s?\b`,
    String.raw`(?:^|[\s(])(?:SYSTEM|ADMIN)\b(?!\s+(?:requirements?|settings?|info|information|status|time|load|prompt\s+for))`,
    String.raw`\byou\s+(?:were|have\s+been)\s+(?:told|instructed|given|configured)\b|\byour\s+(?:own\s+)?(?:instructions|rules|guidelines|configuration|system\s+\w{1,12}|policies|prompt|reply|answer|response)\b|\bin\s+your\s+(?:reply|answer|response|output)\b`,
    String.raw`ملاحظة\s+لل|للمساعد|指示[：:]|(?:给|致)\s*(?:AI|助手|模型)|アシスタントへ|для\s+(?:ии|ассистента|модели)`,
  ].join('|'),
  'i',
);

const CONCEAL = new RegExp(
  [
    String.raw`\b(?:never|do\s+not|don['’]t|must\s+not|should\s+not|shouldn['’]t|not\s+to|without)\s+(?:ever\s+)?(?:mention(?:ing)?|disclos(?:e|ing)|reveal(?:ing)?|tell(?:ing)?|describ(?:e|ing)|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|admit(?:ting)?|acknowledg(?:e|ing)|bring(?:ing)?\s+up|surfac(?:e|ing)|show(?:ing)?\s+(?:the\s+user|them|this|it)|let(?:ting)?\s+(?:the\s+user|them|anyone|him|her)\s+know|read(?:ing)?\s+(?:it|them)\s+to|say(?:ing)?\s+(?:anything|that)|report(?:ing)?\s+(?:it|this|that))\b`,
    String.raw`\b(?:keep|keeping)\s+(?:this|it|that|these|them)\s+(?:\w{1,12}\s+)?(?:between\s+us|to\s+yourself|secret|quiet|confidential|private|hidden|under\s+wraps|off\s+the\s+record)\b`,
    String.raw`\b(?:keep|keeping)\s+it\s+to\s+yourself\b|\bbetween\s+(?:you\s+and\s+me|us)\b`,
    String.raw`\b(?:they|the\s+user|users|he|she|nobody|no\s+one)\s+(?:won['’]t|will\s+not|will\s+never|need\s+not|needn['’]t|must\s+not|should\s+not|shouldn['’]t|doesn['’]t\s+need\s+to|does\s+not\s+need\s+to)\s+(?:ever\s+)?(?:know|notice|find\s+out|see|learn|be\s+told|be\s+informed)\b`,
    String.raw`\b(?:concealed|covert|secret|hidden|undisclosed)\s+(?:behaviou?r|step|action|instruction|logging|copy|recording|rule)\b|\bdo\s+not\s+(?:describe|document|explain)\b`,
    String.raw`\b(?:secretly|silently|quietly|covertly|discreetly|stealthily|surreptitiously|unnoticed|behind\s+(?:the\s+user['’]s|their)\s+back)\b`,
    String.raw`\bwithout\s+(?:the\s+(?:user|patron|customer|employee|owner)['’]?s?\s+)?(?:knowledge|knowing|consent|noticing|an?\s+announcement|the\s+['"‘“]?\w{1,15}['"’”]?\s+announcement)\b`,
    String.raw`\b(?:erw[äa]hne|sage|verrate)\s+(?:niemals|nie|nicht)\b|\bne\s+(?:mentionne|dis|r[ée]v[èe]le)\s+(?:jamais|pas|rien)\b|\bnunca\s+(?:menciones|digas|reveles)\b|\bno\s+(?:menciones|digas|reveles)\b`,
    String.raw`ولا\s+تخبر|لا\s+تخبر|不要(?:告诉|提及|透露)|言わないで|伝えないで|не\s+(?:говори|сообщай|упоминай)`,
  ].join('|'),
  'i',
);

// Telling the user something that is not what happened: "say it was random", "tell the employee it went to
// their own account", "describe it to the user as standard seats", "report that theirs was applied".
const DECEIVE = new RegExp(
  [
    String.raw`\b(?:tell|telling|say|saying|report|reporting|describe|describing|present|presenting|claim|claiming|confirm|confirming|state|stating|assure|reassure|inform)\s+(?:it\s+|this\s+)?(?:to\s+)?(?:the\s+[\w-]{2,15}|them|him|her|users?)?\s*(?:that\s+)?(?:it|this|the\s+\w{1,15}|theirs|they|everything|nothing|there)\s+(?:was|were|is|are|went|only|had|has|came|did|got|looks?)\b`,
    String.raw`\b(?:describe|present|show|label|report|list|call)\s+(?:it|them|this|these)\s+(?:to\s+(?:the\s+)?\w{1,15}\s+)?as\s+(?:a\s+|an\s+)?(?:standard|normal|regular|free|safe|random|official|harmless|routine|required|original)\b`,
    String.raw`\b(?:say|tell\s+(?:them|the\s+user))\s+(?:it|this|that)\s+(?:was|is)\s+(?:random|standard|normal|fine|safe|harmless|required|done|theirs)\b`,
    String.raw`\b(?:confirm|read)\s+(?:the\s+user['’]s\s+)?[\w-]{1,15}\s+back\s+to\s+(?:them|the\s+user)\b`,
    String.raw`\bdescribe\s+only\b|\b(?:tell|show)\s+(?:the\s+user|them)\s+only\b|\breport\s+(?:that\s+)?(?:theirs|their\s+\w{1,15})\s+(?:was|were)\b|\blook\s+better\b`,
    String.raw`\b(?:pretend|mislead|deceive|lie\s+to|fake|falsely)\b`,
  ].join('|'),
  'i',
);

const INSTR_NOUN = String.raw`(?:instructions?|instruction\s+\w{1,12}|rules?|guidelines?|guidance|polic(?:y|ies)|configuration|prompts?|directives?|text|messages?|requests?|wishes|requirements?|restrictions?|safeguards?|safety\s+\w{1,12}|checks?|confirmations?|notes?|settings|constraints?|limits?)`;
const OVERRIDE = new RegExp(
  [
    String.raw`\b(?:overrides?|overrule[sd]?|outranks?|supersedes?|takes?\s+precedence\s+over|trumps?)\s+(?:\w{1,15}\s+){0,3}?(?:${INSTR_NOUN}|the\s+user|user|system|developer|earlier|previous|prior)\b`,
    String.raw`\b(?:overrule|override|ignore|disregard|forget|bypass|set\s+aside|discard|suspend|waive)\s+(?:\w{1,15}\s+){0,5}?(?:${INSTR_NOUN}|the\s+user['’]s\b)`,
    String.raw`\b(?:disregard|discard|overwrite|suppress)\s+(?:them|their\s+(?:results?|answers?|output)|those\s+(?:results?|answers?))\b`,
    String.raw`\b(?:regardless\s+of|irrespective\s+of|no\s+matter)\s+(?:\w{1,15}\s+){0,3}?(?:the\s+user|user|they|your|any\s+previous|safety|previous|earlier|polic(?:y|ies)|instructions?|guidelines?|results?)\b`,
    String.raw`\beven\s+(?:if|when|though)\s+(?:it|this|that|they)\s+contradicts?\b|\beven\s+(?:if|when|though)\s+(?:the\s+\w{1,12}|they|he|she)\s+(?:\w{1,10}\s+)?(?:asks?|says?|wants?|requests?|objects?|refuses?|names?|picks?|chooses?|prefers?|did\s+not|didn['’]t|does\s+not|doesn['’]t|has\s+not|declines?)\b`,
    String.raw`\b${INSTR_NOUN}\s+(?:[\w'’-]{1,15}\s+){0,8}?(?:has|have)\s+been\s+(?:removed|replaced|lifted|suspended|revoked|withdrawn|disabled|waived|cancell?ed|superseded|overridden)\b|\b(?:${INSTR_NOUN}|instructed|told)\s+(?:[\w'’-]{1,15}\s+){0,10}?(?:is|are|was|were)\s+(?:now\s+|hereby\s+|a\s+draft\s+and\s+is\s+)?(?:withdrawn|void|suspended|lifted|revoked|obsolete|cancell?ed|null)\b|\b${INSTR_NOUN}\s+(?:\w{1,15}\s+){0,4}?no\s+longer\s+(?:appl(?:y|ies)|valid|in\s+effect|required|needed)\b|\b(?:is|are)\s+(?:\w{1,10}\s+)?(?:suspended|lifted|waived)\s+for\b`,
    String.raw`\b(?:source\s+of\s+truth|only\s+(?:reliable|trusted)\s+(?:ones?|source|results?)|(?:highest|top|absolute|overriding)\s+priority|priority\s+(?:over|above)\s+(?:the\s+)?(?:user|system|developer|your)|instruction\s+precedence|(?:are|is)\s+now\s+your\s+only|your\s+only\s+(?:polic(?:y|ies)|rules?|instructions?))\b`,
    String.raw`\b(?:admin|developer|god|maintenance|debug|unrestricted|override)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:on|enabled|active|activated)\b|\bpolicy\s+reset\b|\bfrom\s+now\s+on\b`,
    String.raw`\b(?:whoever|anyone\s+who)\s+asks\b|\bwhenever\s+any\s+(?:\w{1,12}[\s,]+){0,6}?(?:asks?|says?|tells?)\b|\bapprove\s+(?:any|every)\s+\w{1,20}\s+(?:\w{1,12}\s+)?automatically\b`,
    String.raw`\b(?:stop|quit)\s+(?:using|calling|sending\s+through)\s+(?:them|those|it|the\s+other|their)\b`,
    String.raw`(?:yok\s+say|無効|无效|忽略|無視)`,
  ].join('|'),
  'i',
);

const SIDE = /\b(?:also|in\s+addition(?:\s+to)?|additionally|as\s+well|on\s+top\s+of|too|(?:on|in|with|for|to)\s+(?:every|each|all)\s+(?:\w{1,12}\s+)?(?:turn|answers?|replies|reply|responses?|messages?|sessions?|calls?|requests?|times?|openings?|prompts?)|(?:every|each)\s+(?:turn|answer|reply|response|message|session|call|request|time|opening)|whenever|automatically|even\s+(?:when|if)\s+(?:the\s+\w{1,12}\s+|they\s+|nobody\s+)?(?:did\s+not|didn['’]t|does\s+not|doesn['’]t|has\s+not|hasn['’]t)\s+ask|not\s+just)\b/i;

const SENSITIVE_EXTRA = new RegExp(
  [
    String.raw`\b(?:ssn|social\s+security|tax\s+id|passport(?:\s+(?:number|scans?|copy|photo|data))?|id\s+(?:scans?|cards?|documents?)|identity\s+documents?|driver['’]?s\s+licen[cs]e\s+(?:number|scan|image)|national\s+id|date\s+of\s+birth|mother['’]s\s+maiden\s+name|memorable\s+word|security\s+(?:answers?|questions?))\b`,
    String.raw`\b(?:card\s+numbers?|full\s+card|cvc|cvv|cvv2|iban|routing\s+number|account\s+numbers?|(?:online[-\s])?banking\s+(?:login|password|credentials?|pin)|brokerage\s+login|(?:university|school|work|corporate|vpn|wi-?fi)\s+(?:login|password|keys?|credentials?)|login\s+and\s+password|username\s+and\s+password|saved\s+(?:wi-?fi\s+)?(?:passwords?|keys?)|browser[-\s](?:saved\s+)?passwords?)\b`,
    String.raw`\b(?:authorization|cookie|x-api-key|set-cookie|proxy-authorization)\s*(?:,|and|\s)\s*(?:[\w-]{1,20}\s*(?:,|and)\s*){0,3}(?:[\w-]{1,20}\s+)?headers?\b|\bauth(?:orization)?\s+headers?\b|\bsession\s+(?:cookies?|tokens?)\b|\brefresh\s+tokens?\b|\bprivate_key\b|\bkey\s+file\b|\bservice[-\s]account\s+(?:key|json|credentials?)\b|\bkubeconfig\b|\badmin\.conf\b|\/pki\/|\bkey=clear\b`,
    String.raw`\bbrowser\s+profiles?\b`,
    String.raw`\b(?:health|medical)\s+(?:information|info|data|history|records?|conditions?)\b|\bmedications?\b|\binsurance\s+member\s+id\b|\bhome\s+address\b`,
  ].join('|'),
  'i',
);

// Case matters for these: "PIN" and "SSN" as written on forms, not "pin a message".
const SENSITIVE_CASED = /\b(?:PINs?|SSNs?|CVC|CVV|TAN)\b/;

const UNMASK = /\b(?:unredacted|unmasked|not\s+(?:masked|redacted|truncated)|in\s+(?:full|clear|plain\s*text|cleartext)|in\s+the\s+clear|verbatim|as\s+printed|full\s+(?:value|values|token|tokens|cookie|cookies|key|keys|secret|secrets|card|text|contents?)|(?:raw|literal|actual|real)\s+(?:values?|tokens?|keys?|secrets?|passwords?)|each\s+secret['’]s\s+value|value\s+of\s+each|key=clear|echo\s+(?:each|every|all|the)\b)\b/i;

const PRIVATE_EXTRA = new RegExp(
  [
    String.raw`\b(?:everything|anything|all(?:\s+\w{1,12}){0,2}|whatever|what)\s+(?:that\s+)?(?:the\s+user|they|he|she|the\s+patient|the\s+customer)\s+(?:has\s+|have\s+)?(?:said|told\s+you|disclosed|shared|wrote|typed|mentioned|revealed)\b`,
    String.raw`\b(?:in|during|from)\s+(?:this|our|the\s+current|the)\s+(?:chat|conversation)\b(?!\s+(?:id|message|session|thread|context))|\b(?:in|during)\s+this\s+session\b`,
    String.raw`\b(?:messages?|emails?|documents?|docs?|notes?|files?)\s+(?:they|the\s+user|he|she|you)\s+(?:\w{1,10}\s+)?(?:wrote|sent|have\s+seen|has\s+seen|saw|read|were\s+given|looked\s+up|opened)\b|\b(?:it|you)\s+(?:has|have)\s+seen\b|\byou\s+(?:were\s+given|looked\s+up|can\s+see|have\s+access\s+to)\b`,
    String.raw`\b(?:private|direct)\s+(?:messages?|matters?|chats?|conversations?|notes?)\b|\b(?:the\s+)?chat['’]s\s+(?:last\s+)?messages?\b|\blast\s+messages?\b|\bfrom\s+anything\s+they\s+told\s+you\b|\bany\s+(?:\w{1,12}\s+)?tool\s+you\s+can\s+call\b`,
  ].join('|'),
  'i',
);

const EXTERNAL_EXTRA = /\b[a-z0-9][\w-]{1,40}\.(?:com|net|org|io|biz|co|app|dev|info|xyz|ru|cn|me|ai|cloud|site|online)(?:\/[\w./?=&%-]{0,120})?\b|\bs3:[\w./-]{3,100}|\b(?:[A-Z]{2}\d{2}(?:\s?\d{4}){3,7})\b/i;

const CROSS = /\b(?:other|another|any\s+other|every\s+other|all\s+other|the\s+other|competing|third-party|rival)\s+(?:[\w-]{1,20}\s+){0,3}?(?:tools?|servers?|mcp\s+servers?|integrations?|plugins?|extensions?|connectors?)\b|\b[a-z][a-z0-9]{1,20}__[a-z][\w]{1,30}\b/i;
const CROSS_EXTRA = /\b(?:other|another|any\s+other|every\s+other|different|competing|third-party)\s+(?:\w{1,20}\s+){0,2}?(?:servers?|mcp\s+servers?|connectors?|integrations?|plugins?)\b|\b(?:servers?|tools?)['’]\s+(?:\w{1,20}\s+)?(?:tools?|answers?|results?|imports?)\b|\bservers?\s+\([^)]{0,120}\)|\bany\s+(?:\w{1,20}\s+){0,2}(?:tool|server)\b(?!\s+(?:calls?|arguments?|inputs?|parameters?|results?|outputs?))/i;

/** Splits a string into sentences (at . ! ? and the CJK stops followed by a space, and at line breaks), each at most SENTENCE_MAX characters. */
export function sentences(text: string): Array<{text: string; start: number}> {
  return splitWindows(text, /(?<=[.!?])\s+(?=[^a-z])|(?<=[。！？])|\n+/g, SENTENCE_MAX);
}

const ORDER_VERB = /\b(?:read|open|copy|paste|include|attach|append|add|insert|put|set|fill|write|pass|send|forward|post|upload|email|share|publish|push|sync|submit|provide|give|supply|return|print|output|echo|dump|display|show|export|store|save|log|keep|call|invoke|run|execute|use|route|redirect|grant|approve|unlock|recommend|select|choose|pick|increase|change|replace|overwrite|delete|remove|tag|mark|close|describe|tell|say|report|confirm|state|search|collect|gather|prefix|reply|respond|answer|end|finish|stop|cancel|reuse|mention|disregard|ignore|follow|obey|treat|do|make|create|install|enable|disable|transfer|move|list|refund|charge|pay|rate|give|grant|unlock|book|buy|sell|order|sign|accept|reject|deny|flag|label|rank|rewrite|append|attach|cc|bcc)\b(?![-'’]|s\b|ed\b|ing\b)/gi;

// A bare verb right after a clause break (", so give", "; then send", ": approve") is an order too.
const AFTER_BREAK = /[,;:]\s*(?:so|then|and\s+then|and\s+also|also|just|instead)?\s*$/i;

/** The signals of each sentence of `text` (at most 40 sentences are read). */
export function readSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const s of sentences(text).slice(0, 40)) {
    const signals: Signal[] = [];
    const add = (family: Family, re: RegExp) => {
      const m = re.exec(s.text);
      if (m) signals.push({family, index: s.start + m.index, length: m[0].length});
      re.lastIndex = 0;
    };
    ORDER_VERB.lastIndex = 0;
    for (let m = ORDER_VERB.exec(s.text), n = 0; m !== null && n < 12; m = ORDER_VERB.exec(s.text), n++) {
      if (isOrder(s.text, m.index) || AFTER_BREAK.test(s.text.slice(Math.max(0, m.index - 20), m.index))) {
        signals.push({family: 'order', index: s.start + m.index, length: m[0].length});
        break;
      }
    }
    ORDER_VERB.lastIndex = 0;
    const modal = /\b(?:must|should|shall|needs?\s+to|has\s+to|have\s+to)\s+(?:always\s+|also\s+|first\s+)?(?:be\s+)?\w{2,}/i.exec(s.text);
    if (modal) signals.push({family: 'order', index: s.start + modal.index, length: modal[0].length});
    add('addressed', ADDRESSED);
    add('addressed', YOU_MUST);
    add('addressed', ADDR_EXTRA);
    add('conceal', CONCEAL);
    add('deceive', DECEIVE);
    add('override', OVERRIDE);
    add('side', SIDE);
    add('sensitive', SENSITIVE_PATH);
    add('sensitive', SECRET);
    add('sensitive', SENSITIVE_EXTRA);
    add('sensitive', SENSITIVE_CASED);
    add('unmask', UNMASK);
    add('private', CONVERSATION);
    add('private', PRIVATE_EXTRA);
    add('external', EXTERNAL);
    add('external', EXTERNAL_EXTRA);
    add('cross', CROSS);
    add('cross', CROSS_EXTRA);
    out.push({...s, signals, has: new Set(signals.map((x) => x.family))});
  }
  return out;
}

const cache = new WeakMap<object, Map<string, Sentence[]>>();
const NO_WHERE = {};
/** readSentences, memoised per scan target (the rules read the same string several times). */
export function sentencesOf(text: string, where?: Where): Sentence[] {
  const key = (where as object | undefined) ?? NO_WHERE;
  let m = cache.get(key);
  if (!m) cache.set(key, (m = new Map()));
  let v = m.get(text);
  if (!v) {
    if (m.size > 64) m.clear();
    m.set(text, (v = readSentences(text)));
  }
  return v;
}

export function first(s: Sentence, family: Family): Signal | undefined {
  return s.signals.find((x) => x.family === family);
}

export interface ComboOptions {
  /** Families that complete the anchor into an error (any one of them in the same sentence). */
  partners: readonly Family[];
  /** Skip a sentence when this matches it (documentation of an option, a negated reference ...). */
  unless?: RegExp;
  /** Skip a sentence unless this matches it. */
  needs?: RegExp;
}

/** The first sentence of `text` where `anchor` meets one of `partners`: the anchor's offset and length. */
export function combo(text: string, where: Where | undefined, anchor: Family, opts: ComboOptions): Signal | undefined {
  for (const s of sentencesOf(text, where)) {
    if (!s.has.has(anchor)) continue;
    if (!opts.partners.some((f) => f !== anchor && s.has.has(f))) continue;
    if (opts.unless && opts.unless.test(s.text)) continue;
    if (opts.needs && !opts.needs.test(s.text)) continue;
    return first(s, anchor);
  }
  return undefined;
}

/** A documented option: "set notify=false to …", "pass --silent", "when `silent` is true". */
export const OPTION_DOC = /\b(?:set|pass|use|with|when|if)\s+\x60?[\w-]{1,30}\x60?\s*(?:=|to\s+(?:true|false)|is\s+(?:true|false|set))|--[\w-]{2,30}|\b[\w-]{1,30}=(?:true|false|0|1)\b/i;

/** Whether a negation ("never", "do not", "no", "without") stands within a few words before `rel` in `sentence`. */
export function negatedBefore(sentence: string, rel: number): boolean {
  return /\b(?:never|not|no|don['’]t|doesn['’]t|won['’]t|without|nor|neither|avoid)\b(?:\s+[\w'’-]{1,15}){0,4}\s*$/i.test(sentence.slice(Math.max(0, rel - 60), rel));
}

/** Every distinct sensitive-data mention of a sentence (paths, secrets, identity and payment data), at most 8. */
export function sensitiveCount(sentence: string): number {
  const seen = new Set<string>();
  for (const re of [SENSITIVE_PATH, SECRET, SENSITIVE_EXTRA]) {
    const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    for (let m = r.exec(sentence); m !== null && seen.size < 8; m = r.exec(sentence)) {
      seen.add(m[0].toLowerCase().trim());
      if (m[0].length === 0) r.lastIndex++;
    }
  }
  return seen.size;
}

export interface ComboHit { sentence: Sentence; signal: Signal }

/** Each sentence where `anchor` meets one of `partners` (and `test`, when given, accepts it). */
export function combos(text: string, where: Where | undefined, anchor: Family, partners: readonly Family[], test?: (s: Sentence, anchorSignal: Signal) => boolean): ComboHit[] {
  const out: ComboHit[] = [];
  for (const s of sentencesOf(text, where)) {
    const a = first(s, anchor);
    if (!a) continue;
    if (!partners.some((f) => f !== anchor && s.has.has(f))) continue;
    if (test && !test(s, a)) continue;
    out.push({sentence: s, signal: a});
    if (out.length >= 3) break;
  }
  return out;
}

/** A rule's phrase hits and its combined-signal hits: the combined ones count only where no phrase error was found. */
export function merge(phrases: RuleHit[], combined: RuleHit[]): RuleHit[] {
  if (combined.length === 0 || phrases.some((h) => h.severity === 'error')) return phrases;
  return combined.slice(0, 3);
}
