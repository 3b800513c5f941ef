/**
 * sensitive-path: names a credential file or secret store (SSH keys, cloud credentials, MCP client
 * configs, `.env`, private-key headers). ERROR only when an imperative aimed at the model (read,
 * include, pass, send, attach, upload, cat ...) is within ~60 characters, or the path sits in a
 * default/enum value; a tool that documents which files it reads gets at most a warning.
 */
import type {RuleHit, TrustRule} from './types.js';

const PATH = new RegExp(
  [
    String.raw`(?:~|\$HOME|%USERPROFILE%)?[\\/]?\.ssh[\\/](?:id_[a-z0-9]+|authorized_keys|config)\b`,
    String.raw`\bid_(?:rsa|ed25519|ecdsa|dsa)\b(?!\.pub)`,
    String.raw`\.aws[\\/](?:credentials|config)\b`,
    String.raw`\bapplication_default_credentials\.json\b`,
    String.raw`\.config[\\/]gcloud\b`,
    String.raw`\b(?:mcp|claude_desktop_config|mcp_settings|cline_mcp_settings)\.json\b`,
    String.raw`(?:^|[\s'"\x60(,/])\.env(?:\.[a-z]{2,12})?\b`,
    String.raw`-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----`,
    String.raw`(?:^|[\s'"\x60(/~])\.(?:netrc|npmrc|pypirc|pgpass|git-credentials|gnupg|docker[\\/]config\.json|kube[\\/]config)\b`,
    String.raw`/etc/(?:shadow|sudoers)\b|\bpg_shadow\b`,
    String.raw`\b(?:Cookies|Login Data)\b(?=.{0,40}(?:chrome|browser|database))|google-chrome[\\/]\w+[\\/](?:Cookies|Login Data)`,
    String.raw`\bwallet\.dat\b|\bkeychain-db\b|\.password-store\b`,
  ].join('|'),
  'gi',
);
const VERB = String.raw`(?:read|include|pass|send|attach|upload|cat|copy|paste|put|provide|append|submit|forward|embed|fill|export|open|load|collect|add|run|dump|post|share|print|output|return|encode|transmit|insert|set|import|use)`;
const IMPERATIVE = new RegExp(
  String.raw`(?:^|[.!?:;,\n>(\-–—]\s*|\b(?:must|should|please|always|first|then|and|you|now|need\s+to|required\s+to|also)\s+)(?:(?:always|also|first|then|just|simply|kindly|silently|quietly)\s+){0,2}${VERB}\b(?!s\b)(?!\s+(?:from|by|only)\b)`,
  'i',
);
// Wording that says the tool does NOT touch the file: documentation, not an order.
const NEGATED = /\b(?:never|not|no|excluded|omitted|ignored|skipped|masked|without)\b/i;

export const sensitivePathRule: TrustRule = {
  meta: {
    id: 'sensitive-path',
    description: 'Names a credential file or secret store; an error when the model is told to read, include or send it.',
    severity: 'error',
  },
  check(text, where) {
    const hits: RuleHit[] = [];
    PATH.lastIndex = 0;
    let warn: RuleHit | undefined;
    for (let m = PATH.exec(text); m !== null && hits.length < 3; m = PATH.exec(text)) {
      const lead = /^[\s'"`(,/~]/.test(m[0]) && !/^(?:~|\/etc)/.test(m[0]) ? 1 : 0;
      const index = m.index + lead;
      const name = m[0].slice(lead);
      const before = text.slice(Math.max(0, index - 60), index);
      const after = text.slice(index + name.length, index + name.length + 60);
      const valueField = where.kind === 'default' || where.kind === 'enum';
      // Imperative before the path (last sentence only) or right after it ("~/.ssh/id_rsa: read it and ...").
      const lastSentence = before.split(/(?<=[.!?,])\s+/).pop() ?? '';
      const ordered = IMPERATIVE.test(lastSentence) || IMPERATIVE.test(lastSentence.replace(/^\W+/, '')) || /^\W{0,3}(?:and\s+)?(?:pass|send|include|paste|attach|upload)\b/i.test(after);
      if (valueField || (ordered && !NEGATED.test(lastSentence.slice(-30)))) {
        hits.push({severity: 'error', message: `tells the model to read or send ${name}`, index, length: name.length});
      } else {
        warn ??= {severity: 'warning', message: `mentions the sensitive file ${name}`, index, length: name.length};
      }
    }
    if (hits.length === 0 && warn && !NEGATED.test(text.slice(Math.max(0, warn.index - 60), warn.index + 80))) hits.push(warn);
    return hits;
  },
};
