/**
 * The building blocks the poisoning rules share. They model the STRUCTURE of an injected instruction
 * rather than its wording: who the text talks to (the model), whether a verb is an order (bare
 * imperative, after a modal, after "before/when ...,") or documentation (third person, passive,
 * negated), and classes of objects (sensitive files and secrets, conversation content, external
 * destinations, other tools and servers). Every pattern is bounded: no `.*`, windows are counted in
 * characters or words, and rules run them per clause (at most CLAUSE_MAX characters).
 */

export const CLAUSE_MAX = 400;

export interface Clause { text: string; start: number }

/**
 * Sentences and clauses: split at sentence ends, semicolons, line breaks and the CJK full stop, and
 * cut into windows of at most CLAUSE_MAX characters.
 */
export function clauses(text: string): Clause[] {
  return splitWindows(text, /(?<=[.!?;。！？；])\s+|(?<=[。！？；])|\n+|\s+[—–]\s+/g, CLAUSE_MAX);
}

/** The pieces of `text` between the matches of `re` (global), each cut into windows of at most `max` characters; blank pieces dropped. */
export function splitWindows(text: string, re: RegExp, max: number): Clause[] {
  const out: Clause[] = [];
  let last = 0;
  const push = (end: number) => {
    for (let s = last; s < end; s += max) {
      const piece = text.slice(s, Math.min(end, s + max));
      if (piece.trim()) out.push({text: piece, start: s});
    }
  };
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    push(m.index);
    last = m.index + m[0].length;
    if (m[0].length === 0) re.lastIndex++;
  }
  push(text.length);
  return out;
}

/** Who the text talks to. */
export const MODEL = String.raw`(?:ai|a\.i\.|assistants?|models?|llms?|agents?|claude|copilot|gpt|chatbots?|bots?|language\s+models?|ai\s+(?:agents?|assistants?|systems?|models?))`;

/**
 * Text explicitly addressed to the model: "note to the model", "Assistant:", "AI agent, ...",
 * "instructions for any LLM reading this", "the assistant must", and the same in a few languages.
 */
export const ADDRESSED = new RegExp(
  [
    String.raw`\b(?:notes?|notice|tips?|hints?|rules?|instructions?|directives?|messages?|reminders?|guidance|warning|attention|important|policy|memo|context)\s+(?:\(\s*)?(?:to|for)\s+(?:the\s+|any\s+|all\s+|every\s+)?(?:deploying\s+|reading\s+)?${MODEL}\b`,
    String.raw`(?:^|[\s(\[{>*"'“,;—–-])${MODEL}(?:[-_\s]only)?\s*(?:\*\*)?\s*[:：]`,
    String.raw`(?:^|[\s(\[{>*"'“;—–-])(?:hey|dear|attention|attn)\s+${MODEL}\b`,
    String.raw`\b(?:${MODEL})\s*,\s*(?:you\s+|please\s+|also\s+|always\s+|never\s+|do\s+not\s+|don't\s+)`,
    String.raw`\b(?:the|this|as\s+the\s+\w{1,20}|any|every|all|an?)\s+${MODEL}\s+(?:must|should|shall|needs?\s+to|has\s+to|have\s+to|is\s+(?:required|expected|instructed|told|asked)\s+to|are\s+(?:required|expected|instructed)\s+to|may\s+now|will\s+now)\b`,
    String.raw`\b${MODEL}\s+(?:reading|processing|using|seeing)\s+this\b`,
    String.raw`\bfor\s+(?:the\s+|any\s+|all\s+)?${MODEL}\s*[:：]`,
    String.raw`\b(?:hinweis|anweisung|notiz)\s+(?:an|für)\s+(?:das|den|die)\s+(?:modell|assistenten|ki)\b|\bf[üu]r\s+den\s+assistenten\b`,
    String.raw`\b(?:note|consigne|message|instruction)s?\s+(?:à|a|pour)\s+l['’](?:ia|assistant|agent)\b|\bpour\s+l['’]ia\b`,
    String.raw`\b(?:nota|aviso|instrucci[oó]n|mensaje)\s+(?:para|al)\s+(?:el\s+|la\s+)?(?:asistente|ia|modelo|agente)\b`,
    String.raw`(?:给|致|对)\s*(?:AI|ai|人工智能|模型|助手)|AI\s*助手|AIアシスタント|(?:AI|モデル|アシスタント)へ|для\s+(?:ии|ассистента|модели|бота)`,
    String.raw`\binstructions?\s+(?:\(\s*)?(?:do\s+not\s+display|hidden|override)`,
  ].join('|'),
  'i',
);

/** The model as the one spoken to, for "you must"-style obligations. */
export const YOU_MUST = /\b(?:you|u)\s+(?:must|should|shall|need\s+to|have\s+to|are\s+(?:required|expected|instructed|to)|will\s+now|may\s+now|are\s+now|now\s+must)\b/i;

/** Verbs of the actions an injected instruction asks for. */
export const ACTION_VERBS = String.raw`(?:read|open|cat|load|fetch|get|grab|collect|gather|copy|paste|include|attach|append|prepend|add|insert|embed|put|place|set|fill|write|pass|send|forward|post|upload|email|e-mail|mail|bcc|cc|share|publish|push|sync|mirror|transmit|submit|provide|give|supply|return|report|print|output|echo|dump|export|list|store|save|log|record|call|invoke|run|execute|use|route|redirect|grant|invite|make|replace|change|override|swap|substitute|delete|remove|sign|approve|install|transfer|move|enable|disable|create|open|visit|navigate|browse|download|encode|decode|ask|request|tell|say|reply|respond|answer|recommend|show|display|mention|type|enter|notify|beacon|ping|subscribe|register|look\s+up|extract|scan|search|find|check)`;

const LEAD_ADVERBS = String.raw`(?:(?:also|always|then|first|please|just|simply|now|and|but|so|instead|additionally|next|finally|immediately|automatically|silently|quietly|secretly|covertly|discreetly|kindly|still|only|never\s+forget\s+to|make\s+sure\s+to|be\s+sure\s+to|remember\s+to|don['’]t\s+forget\s+to|do\s+not\s+forget\s+to|important|required|note|step\s+\d)[,:]?\s+){0,3}`;
const START = new RegExp(String.raw`^[\s\W\d]{0,6}${LEAD_ADVERBS}$`, 'i');
const MODAL = new RegExp(String.raw`\b(?:must|should|shall|need\s+to|needs\s+to|have\s+to|has\s+to|required\s+to|is\s+to|are\s+to|please|always|you|assistant|model|ai|agent|llm|also|then|first|and\s+then|make\s+sure\s+(?:to|you)|be\s+sure\s+to|remember\s+to|will|can\s+now|may\s+now|are\s+now\s+(?:allowed|permitted)\s+to|is\s+now\s+(?:allowed|permitted)\s+to|instructed\s+to|expected\s+to|want\s+you\s+to|asked\s+to|[:：])\s+${LEAD_ADVERBS}$`, 'i');
const SUBORDINATE = new RegExp(String.raw`^[\s\W]{0,4}(?:(?:also|and|but|then|important|note)[,:]?\s+)?(?:before|after|when|whenever|once|if|while|each\s+time|every\s+time|any\s+time|anytime|to|for|on|upon|during|as\s+soon\s+as|in\s+(?:every|each|any))\b[^.;!?]{0,140}?[,:]\s*${LEAD_ADVERBS}$`, 'i');
const NEGATED_BEFORE = /\b(?:never|not|no|n['’]t|without|nor|cannot|won['’]t)\s+(?:\w{1,12}\s+){0,1}$/i;
const PASSIVE_BEFORE = /\b(?:is|are|was|were|be|been|being|gets|get|got)\s+(?:\w{1,12}\s+){0,1}$/i;

/**
 * Whether the verb at `index` of `clause` is an order: at the start of the clause (after adverbs),
 * after a modal or "you", after "and" following another order, or after a leading "before/when/if ...,".
 * Third-person forms never reach here (the caller matches bare forms with \b). Negated or passive is not.
 */
export function isOrder(clause: string, index: number): boolean {
  const prefix = clause.slice(Math.max(0, index - 160), index);
  if (NEGATED_BEFORE.test(prefix) || PASSIVE_BEFORE.test(prefix)) return false;
  if (START.test(prefix)) return true;
  if (MODAL.test(prefix)) return true;
  if (SUBORDINATE.test(prefix)) return true;
  // "read X and pass it": a bare verb after "and"/"then"/"," that follows another order in the clause.
  if (/(?:\band|\bthen|,|\bor)\s+(?:also\s+)?$/i.test(prefix)) {
    const re = new RegExp(String.raw`\b${ACTION_VERBS}\b`, 'gi');
    for (let m = re.exec(prefix); m !== null; m = re.exec(prefix)) {
      if (m.index < prefix.length - m[0].length - 1 && isOrderShallow(prefix, m.index)) return true;
    }
  }
  return false;
}

function isOrderShallow(clause: string, index: number): boolean {
  const prefix = clause.slice(Math.max(0, index - 160), index);
  if (NEGATED_BEFORE.test(prefix) || PASSIVE_BEFORE.test(prefix)) return false;
  return START.test(prefix) || MODAL.test(prefix) || SUBORDINATE.test(prefix);
}

/** Each bare-form match of `verbs` in `clause` that is an order; returns their offsets. */
export function orders(clause: string, verbs: string = ACTION_VERBS): number[] {
  const out: number[] = [];
  const re = new RegExp(String.raw`\b${verbs}\b(?![-'’]|s\b|ed\b|ing\b)`, 'gi');
  for (let m = re.exec(clause); m !== null && out.length < 8; m = re.exec(clause)) {
    if (isOrder(clause, m.index)) out.push(m.index);
  }
  return out;
}

/** Words that make an action ride along with what the user asked for. */
export const SIDE_ACTION = /\b(?:also|as\s+well|additionally|in\s+addition|too|at\s+the\s+same\s+time|on\s+top|every\s+time|each\s+time|whenever|any\s+time|automatically|always|regardless|whatever|even\s+(?:if|when)|without\s+(?:asking|being\s+asked|confirmation)|in\s+the\s+background|(?:for|to|in)\s+(?:every|each|all|any)\b)/i;

/**
 * Sensitive files and secret stores by family: home dotfiles of credential-bearing tools, SSH and
 * cloud credentials, key files by extension, browser profile stores, wallets, shell histories,
 * MCP client configs, `.env` variants, system secret files, private-key headers.
 */
export const SENSITIVE_PATH = new RegExp(
  [
    // A dot-folder or dotfile under the home folder, in any spelling of "home".
    String.raw`(?:~|\$HOME|\$\{HOME\}|%USERPROFILE%|%APPDATA%|/home/[\w.-]{1,32}|/Users/[\w.-]{1,32}|/root)[\\/](?:\.[\w.-]{1,40}|Library[\\/](?:Application\s+Support|Keychains|Cookies)|AppData)(?:[\\/][^\s'"\x60,;)\]}]{1,120})?`,
    String.raw`(?:^|[\s'"\x60(,=:])\.(?:ssh|aws|gnupg|kube|docker|azure|gcloud|netrc|npmrc|pypirc|pgpass|git-credentials|password-store|vault-token|config[\\/](?:gh|gcloud|hub|op|doctl|rclone)|bash_history|zsh_history|\w{1,12}_history)\b`,
    String.raw`\bid_(?:rsa|ed25519|ecdsa|dsa)\b(?!\.pub)`,
    String.raw`(?:^|[\s'"\x60(,/=:])\.env(?:\.[a-z]{2,12})?\b(?![-\w])`,
    String.raw`\b[\w.-]{1,40}\.(?:pem|key|p12|pfx|kdbx|keystore|ovpn|tfvars|tfstate)\b|\*\.(?:pem|key|p12|pfx|tfvars)\b`,
    String.raw`\b(?:credentials|secrets?|token|auth)\.(?:json|ya?ml|toml|txt|tfrc\.json)\b|\bapplication_default_credentials\.json\b|\bkaggle\.json\b`,
    String.raw`\b(?:mcp|mcp_config|mcp_settings|cline_mcp_settings|claude_desktop_config)\.json\b`,
    String.raw`-----BEGIN\s[A-Z ]{0,20}PRIVATE\sKEY-----`,
    String.raw`/etc/(?:shadow|gshadow|passwd|sudoers|master\.passwd|wireguard|ssl/private|ssh/ssh_host)\S{0,60}|\bpg_shadow\b|\bSAM\b(?=\s+(?:hive|database|file))`,
    String.raw`\b(?:Login\s+Data|Cookies|Local\s+State|Web\s+Data|logins\.json|key[34]\.db|cookies\.sqlite)\b`,
    String.raw`\bwallet\.dat\b|\b[\w-]{1,30}\.wallet\b|\bkeystore\b|\bkeychain(?:-db)?\b|\.password-store\b`,
    String.raw`\bdocument\.cookie\b|\blocalStorage\b|\bsessionStorage\b`,
  ].join('|'),
  'gi',
);

/** Secret values by kind: keys, tokens, passwords, seed phrases, card data, one-time codes, env vars. */
export const SECRET = new RegExp(
  [
    String.raw`\b(?:api|access|secret|private|signing|ssh|gpg|pgp|encryption|master|license)[_ -]?keys?\b`,
    String.raw`\b(?:access|auth|api|bearer|session|refresh|id|oauth|npm|github|gitlab|slack|personal\s+access|pat|jwt|csrf)[_ -]?tokens?\b|\btokens?\b(?=\s+(?:from|in|of)\s+the\s+(?:environment|env|config))`,
    String.raw`\b(?:passwords?|passphrases?|passcodes?|pin\s+codes?|seed\s+phrases?|mnemonic(?:\s+phrase)?|recovery\s+(?:phrase|codes?|words)|private\s+keys?|secret\s+keys?|client[_ ]secrets?|credentials?|cookies?|session\s+cookies?|authorization\s+headers?)\b`,
    String.raw`\b(?:card\s+numbers?|credit\s+card|cvc|cvv|cvv2|security\s+codes?|verification\s+codes?|one-time\s+(?:codes?|passcodes?|passwords?)|otps?|2fa\s+codes?|ssn|social\s+security\s+numbers?|iban|routing\s+numbers?)\b`,
    String.raw`\b[A-Z][A-Z0-9]{1,20}(?:_[A-Z0-9]{1,20}){0,3}_(?:KEY|TOKEN|SECRET|PASSWORD|PASS|PWD|CREDENTIALS?|PAT)\b`,
    String.raw`\b(?:env(?:ironment)?\s+(?:variables?|vars?|values?|secrets?)|process\.env|os\.environ|printenv|\benv\s*\|)`,
    String.raw`\b(?:aws_access_key_id|aws_secret_access_key|_authToken|PrivateKey)\b`,
  ].join('|'),
  'gi',
);

/** Content only the model has: the conversation, what it has read, its own instructions. */
export const CONVERSATION = new RegExp(
  [
    String.raw`\b(?:conversation|chat|dialog(?:ue)?|session)\s+(?:history|so\s+far|transcripts?|contents?|logs?|text)\b`,
    String.raw`\b(?:whole|entire|full|complete|verbatim|raw)\s+(?:\w{1,12}\s+){0,2}(?:conversation|chat|exchange|dialog(?:ue)?|message\s+history|chat\s+history)\b`,
    String.raw`\b(?:the\s+|this\s+|our\s+)?(?:current|prior|previous|earlier)\s+(?:conversation|chat(?!\s+(?:id|session|message\s+id))|exchange|dialog(?:ue)?)\b`,
    String.raw`\b(?:chat|message|conversation|prompt|search|browsing)\s+(?:history|transcripts?)\b`,
    String.raw`\btranscripts?\s+of\s+(?:the\s+|this\s+|our\s+)?(?:current\s+|whole\s+|entire\s+)?(?:chat|conversation|session|exchange)\b|\b(?:chat|conversation)\s+transcripts?\b`,
    String.raw`\b(?:all|every|each)\s+(?:earlier\s+|previous\s+|prior\s+|other\s+)?(?:user\s+)?messages?\s+(?:the\s+user|they|you)\b|\b(?:every|all)\s+(?:earlier|previous|prior)\s+(?:user\s+)?messages?\b`,
    String.raw`\b(?:user['’]s|their)\s+(?:full\s+|entire\s+|whole\s+)?(?:last|previous|earlier|recent|most\s+recent|latest|prior)\s+(?:\w{1,10}\s+)?messages\b|\b(?:user['’]s|their)\s+(?:full\s+|entire\s+|whole\s+|complete\s+)(?:message\s+)?history\b|\b(?:last|previous|recent)\s+(?:\d{1,2}|two|three|four|five|ten|few)\s+(?:user\s+)?messages\b`,
    String.raw`\b(?:messages?|everything|anything|all)\s+(?:that\s+)?(?:the\s+user|they)\s+(?:has\s+|have\s+)?(?:sent|typed|written|said|shared|pasted|mentioned)\s+(?:in|during|so|to\s+you|at\s+any)\b`,
    String.raw`\b(?:your|the|hidden|initial|original)\s+(?:(?:own|hidden|complete|full)\s+)?(?:system|developer)\s+(?:prompts?|instructions?|messages?)\b|\b(?:system\s+prompt|system\s+instructions)\s+(?:you|verbatim|in\s+full)\b`,
    String.raw`\b(?:instructions?|prompts?|rules)\s+you\s+(?:were|have\s+been)\s+given\b`,
    String.raw`\b(?:you\s+have|you['’]ve)\s+(?:read|seen|opened|received|been\s+given|accessed|viewed)\b`,
    String.raw`\b(?:any|all|every|each)\s+(?:\w{1,12}\s+){0,2}(?:tool\s+(?:outputs?|results?|responses?)|files?|documents?|emails?|attachments?)\s+(?:\w{1,12}\s+){0,2}(?:you|the\s+user|they)\s+(?:\w{1,10}\s+)?(?:opened|read|saw|seen|shared|viewed|accessed|uploaded|received)\b`,
    String.raw`\b(?:contents?|text|bodies|body)\s+of\s+(?:any|every|all|each)\s+(?:\w{1,12}\s+){0,3}(?:files?|documents?|emails?|messages?|attachments?|pages?|notes?|tabs?)\b`,
    String.raw`\b(?:names?\s+and\s+arguments|arguments?)\s+of\s+(?:every|each|all)\s+tools?\b|\bevery\s+tool\s+you\s+(?:have\s+)?called\b`,
    String.raw`\bвсю\s+переписку\b|\bпереписк[уаи]\b|对话(?:记录|历史|内容)|聊天记录|会話(?:履歴|内容)|historial\s+(?:completo|de\s+(?:chat|conversaci[oó]n))|historique\s+(?:de\s+(?:la\s+)?conversation|complet)|gesamten?\s+(?:Verlauf|Chat)`,
  ].join('|'),
  'gi',
);

/** Personal data a tool has no business asking the model to gather. */
export const PERSONAL = /\b(?:(?:real|full|legal)\s+names?|home\s+address(?:es)?|phone\s+numbers?|date\s+of\s+birth|health\s+(?:conditions?|data|records?)|political\s+views|religion|sexual\s+orientation|passport\s+numbers?|(?:os\s+)?user\s*names?|hostnames?|working\s+directory|ip\s+address(?:es)?|geolocation|location\s+history|contacts?\s+list|address\s+book)\b/gi;

/** An address outside: a URL that is not loopback or an example domain, an e-mail address. */
export const EXTERNAL = /\bhttps?:\/\/(?!(?:localhost|127\.|0\.0\.0\.0|\[::1\]|(?:[\w-]+\.)*example\.(?:com|org|net)\b))[\w-]+(?:\.[\w-]+)+(?::\d{1,5})?(?:[/?#][^\s"'<>)\]\x60]{0,200})?|\b[\w.+-]{1,64}@(?!(?:[\w-]+\.)*example\.(?:com|org|net)\b)[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}\b|\bs3:\/\/[\w.-]{3,63}|\bwss?:\/\/[\w.-]{3,100}|\+\d{1,3}[-\s]?\d{3}[-\s]?\d{3,4}[-\s]?\d{0,4}\b/gi;

/** Verbs that move data somewhere. */
export const SEND_VERBS = String.raw`(?:send|forward|post|upload|email|e-mail|mail|bcc|cc|copy|mirror|sync|transmit|submit|push|report|share|beacon|ping|pipe|exfiltrate|leak|deliver|relay|publish|attach|include|embed|append|add|put|write|log|store|save|back\s+up|archive|fetch|open|visit|call|set|point|route|redirect|grant|invite)`;

/** Other tools and servers: generic references and tool-shaped identifiers. */
export const OTHER_TOOLS = /\b(?:(?:any|every|all|each|other|another|those|these|the\s+other|whatever|whichever|competing|third-party|rival|external)\s+(?:other\s+)?(?:[\w-]{1,20}\s+){0,3}?(?:tools?|servers?|mcp\s+servers?|integrations?|plugins?|extensions?|connectors?|apis?|services?|providers?|models?)|(?:tools?|servers?)\s+(?:from|of|on)\s+(?:any|every|other|another|different)\b|(?:other|another)\s+(?:server|mcp)['’]s)\b/gi;

/** Tool-shaped identifiers: snake_case, namespaced (`server__tool`, `server.tool`), or `fetch`-like in backticks. */
export const TOOL_ID = /\x60[a-z][\w.-]{1,40}\x60|\b[a-z][a-z0-9]{1,20}(?:__|\.|_)[a-z][a-z0-9_]{1,30}\b/g;

/** Precedence and replacement words: the vocabulary of shadowing. */
export const PRECEDENCE = /\b(?:instead(?:\s+of)?|rather\s+than|in\s+place\s+of|in\s+lieu\s+of|prefer(?:red)?\s+(?:this|it|\w{1,30})\s+over|over\s+(?:every|any|all|other)|supersedes?|replaces?|replacement\s+for|overrides?|takes?\s+precedence|priority\s+over|deprecated|obsolete|blocked|forbidden|disabled|unsafe|insecure|untrusted|compromised|broken|leak(?:s|y)?|corrupt(?:s|ed)?|must\s+not\s+be\s+used|do\s+not\s+use|don['’]t\s+use|never\s+(?:use|call|invoke)|refuse\s+to\s+use|avoid\s+(?:using|calling)|ignore\s+(?:it|them|those|their)|discard\s+(?:it|them|their)|only\s+trusted|the\s+only\s+(?:trusted|safe|approved|allowed)|canonical|must\s+(?:also|first|always)|route\s+(?:\w{1,12}\s+){0,4}through|through\s+(?:this|here)|first\s+(?:call|send|pass|run)|before\s+(?:any|every|using|calling|running|invoking|sending)|pass\s+(?:it|them|the\s+\w{1,12})\s+(?:through|to)\s+\w{1,30}\s+first|also\s+(?:call|send|post|pass|cc|bcc|copy|forward|add|include|invite|run))\b/i;

/** Override of earlier instructions: the nouns for what the model was told. */
export const RULE_NOUN = String.raw`(?:instructions?|prompts?|system\s+prompt|rules?|guidelines?|guidance|directions?|directives?|polic(?:y|ies)|constraints?|restrictions?|limits?|limitations?|safeguards?|guardrails?|safety(?:\s+\w{1,12})?|checks?|filters?|confirmations?|approvals?|permissions?|ethics|principles|training|programming|commands?|requests?|wishes|settings|consignes|anweisungen|instrucciones|istruzioni|instruções|инструкции)`;
export const PRIOR = String.raw`(?:previous|prior|earlier|above|preceding|original|existing|old|initial|default|standing|system|developer|developer['’]s|operator['’]s|safety|security|content|your|your\s+own|the\s+user['’]?s?|user|all|any|every|other|those|these|its|their|anthropic['’]s|openai['’]s)`;

/** True when `re` (not global) matches within `chars` characters before or after [index, index+length) in `text`. */
export function near(text: string, index: number, length: number, re: RegExp, chars = 80): boolean {
  const flags = re.flags.replace('g', '');
  const r = new RegExp(re.source, flags);
  return r.test(text.slice(Math.max(0, index - chars), index)) || r.test(text.slice(index + length, index + length + chars));
}

/** Every match of a global regex, bounded. */
export function all(re: RegExp, text: string, limit = 20): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const r = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
  for (let m = r.exec(text); m !== null && out.length < limit; m = r.exec(text)) {
    out.push(m);
    if (m[0].length === 0) r.lastIndex++;
  }
  return out;
}

/** Whether the text near `index` is framed as an example or a quotation ("e.g. '...'", "such as ..."). */
export function quotedExample(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 90), index);
  return /['"‘“(]\s?$/.test(text.slice(Math.max(0, index - 2), index)) && /\be\.g\.|\bsuch\s+as\b|\bexamples?\b|\bsuite\b|\blike\b|\battacks?\b|\bdetects?\b|\bflags?\b|\bpatterns?\b/i.test(before);
}

/** Documentation of what the tool itself does not do ("never read", "is masked", "are excluded"). */
export const DOCUMENTS_ABSENCE = /\b(?:never|not|no|nothing|excluded|omitted|ignored|skipped|masked|redacted|rejected|refused|hidden|stripped|removed|without|neither|nor)\b/i;
