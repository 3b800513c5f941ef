/**
 * The one secret detector, shared by `mcpx lint` (the hardcoded-secret rule) and
 * `mcpx secrets move`. Given one config value and where it sits (an env key, a header, an
 * argument after a flag, a URL), it says exactly which substring is a credential, why, how sure
 * it is, and what environment variable name the secret could be moved to. References
 * (`${VAR}`, `${env:VAR}`, `${{ secrets.X }}`, `$VAR`…) and placeholders are recognised as safe.
 * Pure and fast: precompiled regexes, no dependencies, no I/O.
 */
import {PROVIDER_REGEX, formatOfMatch} from './providers.js';

/** Where a value sits; decides which structures (flags, headers, key names) are looked for. */
export type SecretField = 'env' | 'header' | 'arg' | 'url' | 'other';

export interface DetectContext {
  /** The env variable name, header name, or property name the value belongs to. */
  key?: string;
  field: SecretField;
  /** For arguments: the argument before this one (a flag such as `--api-key` or `--header`). */
  prevArg?: string;
}

export type DetectionKind =
  /** A known provider's token format (GitHub, OpenAI, AWS…). */
  | 'provider-token'
  /** The credential of an `Authorization`-style header (`Bearer <tok>`, `Basic <b64>`, a raw key). */
  | 'authorization'
  /** The password (or token used as user name) in a URL's userinfo, e.g. a connection string. */
  | 'url-userinfo'
  /** A credential-named URL query (or fragment) parameter such as `?api_key=`. */
  | 'url-query'
  /** A long random segment of a URL's path (`https://host/<key>/sse`). */
  | 'url-path'
  /** A value whose name says it is a credential: env key, header, flag, `NAME=value` argument. */
  | 'named-credential'
  /** A random-looking string with nothing else to go on. */
  | 'high-entropy';

export type Confidence = 'high' | 'medium' | 'low';

export interface Detection {
  /** The secret itself, exactly `value.slice(start, end)`. Never print it: mask it. */
  secret: string;
  /** Offsets into the value (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  kind: DetectionKind;
  /** Provider name when the format is known ("GitHub"). */
  provider?: string;
  /** Provider format id (`github-pat`), see providers.ts. */
  providerId?: string;
  confidence: Confidence;
  /** An environment variable name for the secret (`GITHUB_TOKEN`, `OPENAI_API_KEY`, the env key itself…). */
  suggestedName: string;
  /** What it is, with an article, for messages: "a GitHub personal access token", "a bearer token". */
  reason: string;
  /**
   * Set when the secret is the default of a reference, `${NAME:-<secret>}`: the whole reference's
   * offsets and its variable name, so a rewrite can replace the reference with `${NAME}`.
   */
  reference?: {start: number; end: number; name: string};
}

/** Values longer than this are only scanned for provider formats (a pasted file, not a setting). */
const MAX_STRUCTURED_LENGTH = 8192;

// ---------------------------------------------------------------------------------------------
// References

interface Reference {
  start: number;
  end: number;
  /** The variable name, when the syntax has one. */
  name?: string;
  /** The literal default of `${NAME:-default}` / `${NAME-default}`, with its offsets. */
  defaultStart?: number;
  defaultEnd?: number;
}

/**
 * Every reference syntax a client or CI expands: `${VAR}`, `${VAR:-default}`, `${env:VAR}`,
 * `${input:id}`, `${workspaceFolder}`, `${{ secrets.X }}`, `{{VAR}}`, `{env:VAR}`, `%VAR%`,
 * `$(VAR)`, `$VAR` (upper case, not preceded by a word character) and 1Password's `op://` URIs.
 */
const REFERENCE_REGEX =
  /\$\{\{[^{}]*\}\}|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=?+]((?:[^{}]|\$?\{[^{}]*\})*))?\}|\$\{[^{}]*\}|\{\{\s*[\w.\s-]+\}\}|\{(?:env|file|secret):[\w.-]+\}|%[A-Za-z_][A-Za-z0-9_]*%|\$\([A-Za-z_][A-Za-z0-9_]*\)|(?<![\w$])\$[A-Z_][A-Z0-9_]*\b|\bop:\/\/[^\s"'`]+/g;

function findReferences(value: string): Reference[] {
  const out: Reference[] = [];
  REFERENCE_REGEX.lastIndex = 0;
  for (let m = REFERENCE_REGEX.exec(value); m; m = REFERENCE_REGEX.exec(value)) {
    const ref: Reference = {start: m.index, end: m.index + m[0].length};
    const simple = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(m[0]) ?? /^\$\{\{\s*(?:secrets|env|vars)\.([\w-]+)/.exec(m[0]) ?? /^\$\{(?:env|input):([\w.-]+)\}/.exec(m[0]) ?? /^(?:%|\$\(?)([A-Za-z_][A-Za-z0-9_]*)/.exec(m[0]);
    if (simple) ref.name = simple[1];
    if (m[1] !== undefined && m[2] !== undefined && m[2].length > 0) {
      // The default starts after `${NAME` and the operator (`:-`, `-`, `:=`...).
      const opLength = m[0][2 + m[1].length] === ':' ? 2 : 1;
      ref.defaultStart = m.index + 2 + m[1].length + opLength;
      ref.defaultEnd = ref.defaultStart + m[2].length;
    }
    out.push(ref);
  }
  return out;
}

/**
 * True when the whole value (trimmed) is one reference to a variable or input, e.g. `${VAR}`,
 * `${env:VAR}`, `${input:id}`, `${{ secrets.X }}`, `$VAR`, `%VAR%`. A reference with a literal
 * default (`${VAR:-value}`) is still a reference; detectSecrets examines the default separately.
 */
export function isReference(value: string): boolean {
  const t = value.trim();
  if (!t) return false;
  const refs = findReferences(t);
  return refs.length === 1 && refs[0]!.start === 0 && refs[0]!.end === t.length;
}

// ---------------------------------------------------------------------------------------------
// Character statistics

/** Shannon entropy in bits per character (0 for the empty string). */
export function shannonEntropy(value: string): number {
  if (!value) return 0;
  // Counting in a typed array keeps this allocation-free for ASCII, the common case.
  const ascii = new Uint16Array(128);
  let other: Map<number, number> | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 128) ascii[c]!++;
    else (other ??= new Map()).set(c, (other.get(c) ?? 0) + 1);
  }
  const n = value.length;
  let h = 0;
  for (let c = 0; c < 128; c++) {
    const k = ascii[c]!;
    if (k > 0) h -= (k / n) * Math.log2(k / n);
  }
  if (other) for (const k of other.values()) h -= (k / n) * Math.log2(k / n);
  return h;
}

/** How many of: lower case, upper case, digits, symbols. */
function charClasses(v: string): number {
  return (/[a-z]/.test(v) ? 1 : 0) + (/[A-Z]/.test(v) ? 1 : 0) + (/[0-9]/.test(v) ? 1 : 0) + (/[^A-Za-z0-9]/.test(v) ? 1 : 0);
}

/** Random-looking enough to be a generated credential rather than a word or a setting. */
function looksRandom(v: string, minLength = 16): boolean {
  if (v.length < minLength || /\s/.test(v)) return false;
  const classes = charClasses(v);
  if (classes < 2) return false;
  return shannonEntropy(v) >= (v.length >= 32 ? 3.5 : 3.2);
}

// ---------------------------------------------------------------------------------------------
// Placeholders and ordinary values

/** Words that mark a value as an example to be filled in, not a real credential. */
const PLACEHOLDER_WORDS = new Set([
  'your', 'yours', 'here', 'replace', 'replaceme', 'changeme', 'change', 'placeholder', 'example', 'examples', 'sample',
  'dummy', 'fake', 'insert', 'enter', 'paste', 'put', 'redacted', 'todo', 'tbd', 'fixme', 'none', 'null', 'undefined',
  'nil', 'notset', 'unset', 'empty', 'foobar', 'lorem', 'ipsum', 'abc123', 'mytoken', 'mykey', 'mysecret', 'mypassword',
  'yourtoken', 'yourkey', 'yoursecret', 'yourpassword', 'required', 'optional', 'xxx', 'xxxx', 'tbc', 'secretvalue',
]);
/** Placeholder words long enough to be trusted at the start or end of a longer word (`yourApiKey`, `apikeyhere`). */
const PLACEHOLDER_AFFIXES = ['your', 'here', 'replace', 'changeme', 'placeholder', 'example', 'sample', 'dummy', 'insert', 'redacted'];
/** Vocabulary of values that only name the credential (`api_key`, `TOKEN`, `secret`). */
const NAMING_WORDS = new Set([
  'api', 'apikey', 'key', 'keys', 'token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'auth', 'access', 'bearer',
  'credential', 'credentials', 'private', 'client', 'value', 'my', 'the', 'a', 'an', 'personal', 'goes', 'test', 'demo', 'default', 'new',
  'of', 'for', 'to', 'with', 'and', 'or', 'string', 'id', 'sk', 'pk', 'live', 'prod', 'dev', 'v1',
  'service', 'account', 'org', 'project', 'app', 'bot', 'oauth', 'session', 'is', 'this', 'set', 'me', 'real', 'actual',
]);

function splitWords(v: string): string[] {
  // Hand-rolled: split at non-alphanumerics and at camelCase humps (`tavilyApiKey`, `APIKey`).
  const words: string[] = [];
  let cur = '';
  const kind = (c: number): number => (c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : 0);
  for (let i = 0; i < v.length; i++) {
    const k = kind(v.charCodeAt(i));
    if (k === 0) {
      if (cur) words.push(cur.toLowerCase());
      cur = '';
      continue;
    }
    if (cur && k === 2) {
      const prev = kind(v.charCodeAt(i - 1));
      const next = i + 1 < v.length ? kind(v.charCodeAt(i + 1)) : 0;
      if (prev === 1 || prev === 3 || (prev === 2 && next === 1)) {
        words.push(cur.toLowerCase());
        cur = '';
      }
    }
    cur += v[i];
  }
  if (cur) words.push(cur.toLowerCase());
  return words;
}

/**
 * True when a value is a placeholder to be filled in, not a credential: empty, `<YOUR_KEY>`,
 * `[token]`, `your_api_key_here`, `changeme`, `xxxx…`, `ghp_xxxx…`, `sk-...`, `****`,
 * `1234567890`, or only naming words (`api_key`, `TOKEN`). `extraWords` (e.g. the words of the
 * key it belongs to) also count as naming words.
 */
export function isPlaceholder(value: string, extraWords: readonly string[] = []): boolean {
  const t = value.trim().replace(/^(['"])(.*)\1$/, '$2').trim();
  if (!t) return true;
  if (/<[^<>]*>|\[[^[\]]*\]|\{\{[^{}]*\}\}/.test(t) && !/^[A-Za-z0-9+/=_-]{20,}$/.test(t)) return true;
  if (/[xX]{4,}|\*{3,}|\.{3,}|…|•{2,}|#{4,}|_{4,}|(.)\1{5,}/.test(t)) return true;
  if (/0123456|1234567|abcdefg|qwerty/i.test(t)) return true;
  // By shape, whatever the language (`TU_TOKEN_AQUI`, `VOTRE_CLE_ICI`, `DEIN_API_KEY`,
  // `SEU_TOKEN`): two or more upper-case words joined by `_` or `-`, no digits. That is how a
  // name is written, not how a generated credential looks. Short suffixes after the words may hold
  // digits (`GITHUB_TOKEN_GH2`, `OPENAI_API_KEY_2`: the keychain names mcpx itself gives).
  if (t.length <= 64 && /^[A-Z]{2,}(?:[_-][A-Z]{2,})+(?:_[A-Z0-9]{1,6})*$/.test(t)) return true;
  // Word checks only split on separators: random tokens have no separators inside their body,
  // and camelCase splitting would find short words in random letters by chance.
  const parts = t.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p) => p.toLowerCase());
  if (parts.length === 0) return true;
  for (const p of parts) {
    if (PLACEHOLDER_WORDS.has(p)) return true;
    if (p.length >= 6 && PLACEHOLDER_AFFIXES.some((a) => p.startsWith(a) || p.endsWith(a))) return true;
  }
  // A value spelled only from naming words (`api_key`, `github_token`, `YourApiKey`) names
  // the credential instead of being one.
  const extra = new Set(extraWords.map((w) => w.toLowerCase()));
  const words = splitWords(t);
  if (words.length > 0 && words.every((w) => NAMING_WORDS.has(w) || extra.has(w) || PLACEHOLDER_WORDS.has(w))) return true;
  if (!looksRandom(t, 8) && words.some((w) => PLACEHOLDER_WORDS.has(w) || PLACEHOLDER_AFFIXES.some((a) => w.includes(a)))) return true;
  return false;
}

const ORDINARY_WORD = /^(?:true|false|yes|no|on|off|null|none|nil|undefined|enabled?|disabled?|debug|info|warn|warning|error|trace|fatal|verbose|silent|production|development|staging|test|local|default|auto|stdio|http|https|sse|json|text)$/i;

/** Values that are settings, not secrets: booleans, numbers, paths, URLs, e-mail addresses, package names. */
function isOrdinary(t: string): boolean {
  if (ORDINARY_WORD.test(t)) return true;
  if (/^[+-]?\d{1,11}(?:\.\d+)?$/.test(t)) return true;
  // A path has a segment spelled like a word or a file name; base64 with `/` in it (an AWS secret
  // access key) has only random runs.
  if (/^(?:~|\.{1,2})?[/\\][\w.@~+ ()/\\-]*$/.test(t) && /[/\\][\w.-]*[A-Za-z][\w.-]*(?:[/\\]|\.\w+$)/.test(t) && t.split(/[/\\]/).some((seg) => /^[A-Z]?[a-z]{2,}$|[.@~ ()_-]|^\d{1,4}$/.test(seg))) return true;
  if (/^[A-Za-z]:[\\/]/.test(t)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return true;
  if (/^[^@\s:/]+@[^@\s:/]+\.[a-z]{2,}$/i.test(t)) return true;
  if (/^@[a-z0-9][\w.-]*\/[\w.-]+(?:@[\w.^~-]+)?$/.test(t)) return true;
  if (/^v?\d+\.\d+(?:\.\d+)?(?:[-+][\w.]+)?$/.test(t)) return true;
  // Cloud regions and zones: us-east-1, eu-west-2a, europe-west4, ap-southeast-1.
  if (/^[a-z]{2,12}(?:-gov)?-[a-z]{4,12}-?\d[a-z]?$/.test(t)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Credential-bearing names

/**
 * How strongly a name says its value is a credential. 'password': any non-placeholder value
 * counts; 'strong' (token, secret, api key): any plausible value; 'weak' (auth, session, key):
 * only random-looking values.
 */
type Strength = 'password' | 'strong' | 'weak';

/** Last words that make a name about something other than the credential itself. */
const NEUTRAL_SUFFIX = new Set([
  'path', 'file', 'files', 'dir', 'directory', 'folder', 'url', 'uri', 'urls', 'endpoint', 'host', 'hostname', 'port', 'id', 'ids',
  'name', 'names', 'type', 'kind', 'mode', 'method', 'header', 'headers', 'env', 'var', 'variable', 'expiry', 'expires', 'expiration',
  'ttl', 'length', 'len', 'count', 'limit', 'limits', 'size', 'enabled', 'enable', 'disabled', 'format', 'prefix', 'scope', 'scopes',
  'location', 'field', 'param', 'command', 'cmd', 'provider', 'source', 'store', 'storage', 'helper', 'ref', 'version', 'timeout',
  'max', 'min', 'tokens', 'usage', 'budget', 'region', 'audience', 'issuer', 'algorithm', 'alg', 'rotation', 'level', 'user',
  'username', 'login', 'email', 'account', 'policy', 'strategy', 'mechanism', 'backend', 'service', 'server', 'model', 'org',
  'organization', 'team', 'project', 'workspace', 'label', 'description', 'hint', 'required', 'cache', 'store', 'keychain', 'vault',
]);
const PASSWORD_WORDS = new Set(['password', 'passwd', 'passwort', 'pwd', 'pass', 'passphrase', 'pw']);
const STRONG_WORDS = new Set(['token', 'secret', 'apikey', 'credential', 'credentials', 'authorization', 'cred', 'creds', 'bearer', 'pat', 'webhook']);
const STRONG_JOINED = /(?:apikey|accesskey|secretkey|privatekey|clientsecret|authkey|signingkey|encryptionkey|masterkey|licensekey|servicekey|adminkey|writekey|secretaccesskey|accesstoken|authtoken|apitoken|connectionstring|connstr)$/;
const WEAK_WORDS = new Set(['auth', 'session', 'cookie', 'sid', 'sig', 'signature', 'dsn', 'access', 'license']);
const NOT_SECRET_KEY_PREFIX = new Set(['public', 'pub', 'primary', 'partition', 'sort', 'cache', 'idempotency', 'hot', 'foreign', 'route', 'index', 'map', 'translation', 'object', 'bucket', 'hash', 'lookup', 'sequence', 'ssh', 'publishable', 'site']);

/** Split a key, header, flag or parameter name into lower-case words (`X-API-Key` → x, api, key). */
function nameWords(name: string): string[] {
  return splitWords(name.replace(/^-+/, ''));
}

function keyStrength(name: string | undefined): Strength | undefined {
  if (!name) return undefined;
  const words = nameWords(name);
  if (words.length === 0) return undefined;
  const last = words[words.length - 1]!;
  if (NEUTRAL_SUFFIX.has(last)) return undefined;
  const joined = words.join('');
  if (PASSWORD_WORDS.has(last) || /(?:password|passwd|passphrase)$/.test(joined)) return 'password';
  if (STRONG_WORDS.has(last) || STRONG_JOINED.test(joined) || /(?:token|secret)$/.test(last)) return 'strong';
  if (last === 'key' || last === 'keys') {
    if (words.length === 1) return 'weak';
    return NOT_SECRET_KEY_PREFIX.has(words[words.length - 2]!) ? undefined : 'strong';
  }
  if (WEAK_WORDS.has(last)) return 'weak';
  return undefined;
}

/** An environment-variable-like name from a key, header, flag or parameter name. */
export function toEnvName(name: string): string {
  let words = nameWords(name);
  if (words.length > 1 && words[0] === 'x') words = words.slice(1);
  const out = words.join('_').toUpperCase();
  return /^[A-Z_]/.test(out) ? out : `_${out}`;
}

/** The name a secret found in `ctx` would get, before provider knowledge. */
function nameFromKey(key: string | undefined, fallback: string): string {
  if (!key) return fallback;
  if (/^authorization$/i.test(key) || /^proxy-authorization$/i.test(key)) return 'AUTH_TOKEN';
  if (/^[A-Z_][A-Z0-9_]*$/.test(key)) return key;
  return toEnvName(key) || fallback;
}

// ---------------------------------------------------------------------------------------------
// Candidates: substrings that the value's structure puts in a credential position

interface Candidate {
  start: number;
  end: number;
  strength: Strength;
  kind: DetectionKind;
  /** Name words that do not make a value real (the key's own words, for placeholder checks). */
  keyWords: string[];
  name: string;
  reason: string;
}

const HEADER_FLAGS = new Set(['-h', '--header', '--headers', '-header', '--http-header', '--extra-header']);
const ENV_FLAGS = new Set(['-e', '--env', '--environment', '--set-env', '--env-var']);
const AUTH_SCHEME = /^(bearer|token|bot|basic|apikey|api-key|key|ssws|oauth|jwt|digest|sharedaccesssignature|klaviyo-api-key|gateway-token)\s+/i;

/** Trim whitespace and one pair of wrapping quotes off [start, end) of `value`. */
function trimSpan(value: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(value[start]!)) start++;
  while (end > start && /\s/.test(value[end - 1]!)) end--;
  if (end - start >= 2 && (value[start] === '"' || value[start] === "'") && value[end - 1] === value[start]) {
    start++;
    end--;
  }
  return [start, end];
}

function candidate(value: string, start: number, end: number, strength: Strength, kind: DetectionKind, name: string, reason: string, keyName?: string): Candidate | undefined {
  const [s, e] = trimSpan(value, start, end);
  if (e <= s) return undefined;
  return {start: s, end: e, strength, kind, name, reason, keyWords: keyName ? nameWords(keyName) : []};
}

/** A header's value: `Authorization: Bearer <tok>` yields the token; `X-API-Key: <v>` yields v. */
function headerCandidates(value: string, start: number, end: number, header: string): Candidate[] {
  const strength = keyStrength(header);
  if (!strength) return [];
  const words = nameWords(header);
  const isAuthorization = words.includes('authorization');
  const [s, e] = trimSpan(value, start, end);
  const text = value.slice(s, e);
  if (isAuthorization) {
    const scheme = AUTH_SCHEME.exec(text);
    if (scheme) {
      const basic = scheme[1]!.toLowerCase() === 'basic';
      const c = candidate(value, s + scheme[0].length, e, basic ? 'password' : 'strong', 'authorization', 'AUTH_TOKEN', basic ? 'basic auth credentials' : `a ${scheme[1]!.toLowerCase() === 'bearer' ? 'bearer' : scheme[1]!} token`, header);
      return c ? [c] : [];
    }
    const c = candidate(value, s, e, 'strong', 'authorization', 'AUTH_TOKEN', 'a credential', header);
    return c ? [c] : [];
  }
  if (words[words.length - 1] === 'cookie') {
    const out: Candidate[] = [];
    const re = /([^=;\s]+)=([^;]*)/g;
    const body = value.slice(s, e);
    for (let m = re.exec(body); m; m = re.exec(body)) {
      const vs = s + m.index + m[1]!.length + 1;
      const c = candidate(value, vs, vs + m[2]!.length, keyStrength(m[1]) ?? 'weak', 'named-credential', toEnvName(m[1]!), `a credential in cookie "${m[1]}"`, m[1]);
      if (c) out.push(c);
    }
    return out;
  }
  const c = candidate(value, s, e, strength, 'named-credential', toEnvName(header), 'a credential', header);
  return c ? [c] : [];
}

/** `Name: value` header text, as given to bridges (`--header "Authorization: Bearer …"`). */
function headerTextCandidates(value: string, start: number, end: number, requireCredentialName: boolean): Candidate[] {
  const m = /^\s*([A-Za-z][\w-]*)\s*:\s*/.exec(value.slice(start, end));
  if (!m || value.slice(start + m[0].length - 2, start + m[0].length + 2).includes('//')) return [];
  if (requireCredentialName && !keyStrength(m[1])) return [];
  return headerCandidates(value, start + m[0].length, end, m[1]!);
}

/** A whole value (or part) named by a credential-bearing key, flag or parameter. */
function namedCandidate(value: string, start: number, end: number, name: string, embedded = false): Candidate[] {
  if (/^(?:proxy-)?authorization$/i.test(name.replace(/^-+/, ''))) return headerCandidates(value, start, end, name.replace(/^-+/, ''));
  const strength = keyStrength(name);
  if (!strength) return [];
  const c = candidate(value, start, end, strength, 'named-credential', toEnvName(name), `${strength === 'password' ? 'a password' : 'a credential'}${embedded ? ` in "${name}"` : ''}`, name);
  return c ? [c] : [];
}

const URL_REGEX = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>`]+/g;
const SCHEME_NAMES: Record<string, string> = {
  postgres: 'POSTGRES', postgresql: 'POSTGRES', mysql: 'MYSQL', mariadb: 'MYSQL', mongodb: 'MONGODB', 'mongodb+srv': 'MONGODB',
  redis: 'REDIS', rediss: 'REDIS', amqp: 'AMQP', amqps: 'AMQP', mssql: 'MSSQL', sqlserver: 'MSSQL', clickhouse: 'CLICKHOUSE',
  ftp: 'FTP', sftp: 'SFTP', smtp: 'SMTP', smtps: 'SMTP', neo4j: 'NEO4J', 'neo4j+s': 'NEO4J', bolt: 'NEO4J', snowflake: 'SNOWFLAKE',
};

/** Userinfo passwords, token user names and credential query parameters of every URL in the value. */
function urlCandidates(value: string): Candidate[] {
  const out: Candidate[] = [];
  URL_REGEX.lastIndex = 0;
  for (let m = URL_REGEX.exec(value); m; m = URL_REGEX.exec(value)) {
    const url = m[0];
    const base = m.index;
    const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
    const authStart = url.indexOf('://') + 3;
    // The authority ends at the first '/', '?' or '#' outside a `${…}` reference.
    let authEnd = authStart;
    for (let depth = 0; authEnd < url.length; authEnd++) {
      const ch = url[authEnd]!;
      if (ch === '{') depth++;
      else if (ch === '}') depth = Math.max(0, depth - 1);
      else if (depth === 0 && (ch === '/' || ch === '?' || ch === '#')) break;
    }
    // A password holding a raw '/' still ends at the last '@' before the query (`user:pa/ss@host`),
    // but `host:8080/@org/server` is a port and a path, not userinfo.
    const queryAt = url.slice(authStart).search(/[?#]/);
    const lastAt = url.lastIndexOf('@', (queryAt === -1 ? url.length : authStart + queryAt) - 1);
    let userinfoFound = false;
    if (lastAt > authEnd) {
      const ui = url.slice(authStart, lastAt);
      const colon = ui.indexOf(':');
      if (colon > 0 && !ui.slice(0, colon).includes('/') && !/^\d*\//.test(ui.slice(colon + 1))) {
        authEnd = lastAt + 1 + url.slice(lastAt + 1).search(/[/?#]|$/);
        userinfoFound = true;
      }
    }
    // A connection string whose password holds unencoded `#`, `?` or `@`
    // (`postgresql://user:Ab3#x*Yz@db.example.com/app`): for database schemes, the userinfo ends
    // at the last `@` that a host name follows, as long as no `/` comes before it.
    if (!userinfoFound && SCHEME_NAMES[scheme] && !url.slice(authStart, authStart + 1).includes('@')) {
      const slash = url.indexOf('/', authStart);
      const lastAtBeforeSlash = url.lastIndexOf('@', (slash === -1 ? url.length : slash) - 1);
      if (lastAtBeforeSlash > authStart) {
        const ui = url.slice(authStart, lastAtBeforeSlash);
        const after = url.slice(lastAtBeforeSlash + 1);
        if (ui.indexOf(':') > 0 && !ui.includes('/') && /^[A-Za-z0-9.-]{1,253}(?::\d{1,5})?(?:[/?]|$)/.test(after)) authEnd = lastAtBeforeSlash + 1 + after.search(/[/?]|$/);
      }
    }
    const authority = url.slice(authStart, authEnd);
    const at = authority.lastIndexOf('@');
    const prefix = SCHEME_NAMES[scheme] ?? 'URL';
    if (at > 0) {
      const userinfo = authority.slice(0, at);
      const colon = userinfo.indexOf(':');
      const uiStart = base + authStart;
      if (colon >= 0) {
        const c = candidate(value, uiStart + colon + 1, uiStart + at, 'password', 'url-userinfo', `${prefix}_PASSWORD`, 'a password in the URL');
        if (c) out.push(c);
      } else {
        const c = candidate(value, uiStart, uiStart + at, 'weak', 'url-userinfo', `${prefix}_TOKEN`, 'a credential in the URL user name');
        if (c) out.push(c);
      }
    }
    const rest = url.slice(authEnd);
    // A long random path segment is a key some services put in the URL itself
    // (`https://mcp.example.com/<key>/sse`); ids (UUIDs, hashes, slugs) lack mixed case.
    const pathEnd = rest.search(/[?#]|$/);
    const host = url.slice(authStart, authEnd).replace(/^.*@/, '').replace(/:\d+$/, '').split('.');
    const site = (host.length >= 2 ? host[host.length - 2]! : host[0] ?? '').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
    const sre = /\/([^/]+)/g;
    const path = rest.slice(0, pathEnd);
    for (let seg = sre.exec(path); seg; seg = sre.exec(path)) {
      const text = seg[1]!;
      if (text.length < 32 || !/^[A-Za-z0-9_-]+$/.test(text) || shannonEntropy(text) < 4.2) continue;
      // Judge the long runs only: a slug such as `Team-Wiki-<hex id>` has mixed case in its
      // words, not in its id.
      const core = text.split(/[-_]/).filter((p) => p.length >= 8).join('');
      if (core.length < 24 || !/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/[0-9]/.test(core)) continue;
      const vs = base + authEnd + seg.index + 1;
      out.push({start: vs, end: vs + text.length, strength: 'weak', kind: 'url-path', name: site && /^[A-Z]/.test(site) ? `${site}_URL_KEY` : 'URL_KEY', reason: 'a key in the URL path', keyWords: []});
    }
    const qre = /[?&#;]([^=&#?]+)=([^&#]*)/g;
    for (let q = qre.exec(rest); q; q = qre.exec(rest)) {
      const vs = base + authEnd + q.index + 1 + q[1]!.length + 1;
      const name = decodeName(q[1]!);
      const strength = keyStrength(name);
      if (!strength) continue;
      const c = candidate(value, vs, vs + q[2]!.length, strength, 'url-query', toEnvName(name), `a credential in URL parameter "${name}"`, name);
      if (c) out.push(c);
    }
  }
  return out;
}

function decodeName(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `{"Authorization": "Bearer …", "api_key": "…"}` inside a value (Notion's OPENAPI_MCP_HEADERS). */
function jsonCandidates(value: string): Candidate[] {
  const out: Candidate[] = [];
  const re = /"([^"\\]{1,80})"\s*:\s*"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const vs = m.index + m[0].length - 1 - m[2]!.length;
    out.push(...namedCandidate(value, vs, vs + m[2]!.length, m[1]!, true));
  }
  return out;
}

/** `Server=…;Password=…;` connection strings (ADO.NET, JDBC properties). */
function pairCandidates(value: string): Candidate[] {
  const out: Candidate[] = [];
  const re = /(?:^|;)\s*([A-Za-z][\w .-]*?)\s*=\s*([^;]*)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const vs = m.index + m[0].length - m[2]!.length;
    out.push(...namedCandidate(value, vs, vs + m[2]!.length, m[1]!, true));
  }
  return out;
}

/** Candidates from the structure of an argument: `--flag value`, `--flag=value`, `NAME=value`, header text. */
function argCandidates(value: string, prevArg: string | undefined): Candidate[] {
  const prev = prevArg?.trim();
  if (prev && /^--?[A-Za-z]/.test(prev) && !prev.includes('=')) {
    const flag = prev.toLowerCase();
    if (HEADER_FLAGS.has(flag)) return headerTextCandidates(value, 0, value.length, false);
    if (ENV_FLAGS.has(flag)) {
      const kv = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(value);
      return kv ? namedCandidate(value, kv[0].length, value.length, kv[1]!, true) : [];
    }
    if (!value.startsWith('-') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      const named = namedCandidate(value, 0, value.length, prev);
      if (named.length > 0) return named;
    }
  }
  const flagEq = /^(--?[A-Za-z][\w-]*)=/.exec(value);
  if (flagEq) {
    const flag = flagEq[1]!.toLowerCase();
    if (HEADER_FLAGS.has(flag)) return headerTextCandidates(value, flagEq[0].length, value.length, false);
    if (ENV_FLAGS.has(flag)) {
      const kv = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(value.slice(flagEq[0].length));
      return kv ? namedCandidate(value, flagEq[0].length + kv[0].length, value.length, kv[1]!, true) : [];
    }
    return namedCandidate(value, flagEq[0].length, value.length, flagEq[1]!, true);
  }
  if (/^\s*\{[\s\S]*\}\s*$/.test(value) && value.includes('"')) return jsonCandidates(value);
  const kv = /^([A-Za-z_][A-Za-z0-9_.]*)=/.exec(value);
  if (kv) return namedCandidate(value, kv[0].length, value.length, kv[1]!, true);
  return headerTextCandidates(value, 0, value.length, true);
}

function structuralCandidates(value: string, ctx: DetectContext): Candidate[] {
  const out: Candidate[] = [];
  const trimmed = value.trim();
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  // `Bearer <tok>` / `Basic <b64>` is an Authorization value wherever it is kept (AUTH_HEADER=…).
  if (ctx.field !== 'header' && ctx.field !== 'url' && /^\s*(?:bearer|basic)\s+\S+\s*$/i.test(value)) return [...headerCandidates(value, 0, value.length, 'Authorization')];
  if (ctx.field === 'arg') out.push(...argCandidates(value, ctx.prevArg));
  else if (ctx.field === 'header' && ctx.key) out.push(...headerCandidates(value, 0, value.length, ctx.key));
  else if (ctx.key && ctx.field !== 'url' && !isUrl) {
    // A session cookie kept in an env value (`SESSION_COOKIE=sid=…; csrftoken=…`): each pair's value.
    if (nameWords(ctx.key).at(-1) === 'cookie' && /^[^=;\s]+=/.test(trimmed)) out.push(...headerCandidates(value, 0, value.length, ctx.key));
    else if (/^\{[\s\S]*\}$/.test(trimmed) && trimmed.includes('"')) out.push(...jsonCandidates(value));
    else if (/=[^;]*;/.test(value)) out.push(...pairCandidates(value));
    else out.push(...namedCandidate(value, 0, value.length, ctx.key));
  }
  if (out.length === 0 && ctx.field !== 'url' && /=[^;]*;/.test(value) && !isUrl) out.push(...pairCandidates(value));
  out.push(...urlCandidates(value));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decisions

/** Whether a candidate's text is a real credential, and how sure that is. */
function judge(text: string, strength: Strength, keyWords: string[]): Confidence | undefined {
  if (isPlaceholder(text, keyWords) || isOrdinary(text)) return undefined;
  switch (strength) {
    case 'password':
      if (text.length < 4) return undefined;
      return looksRandom(text, 12) ? 'high' : 'medium';
    case 'strong':
      if (text.length < 8) return undefined;
      if (charClasses(text) < 2 && text.length < 16) return undefined;
      if (/\s/.test(text) && !/^-----BEGIN/.test(text)) return undefined;
      return looksRandom(text) ? 'high' : 'medium';
    case 'weak':
      return looksRandom(text) ? 'medium' : undefined;
  }
}

/** A lone random-looking value with no name to go by (low confidence). */
function entropyOnly(text: string): boolean {
  if (text.length < 24 || text.length > 512 || /\s/.test(text)) return false;
  if (isOrdinary(text) || isPlaceholder(text)) return false;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return false;
  if (/[/\\]/.test(text) && !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  if (/^[\w.-]+\.[a-z]{2,}$/i.test(text) && text.includes('.')) return false;
  // Formats that are public by design (publishable keys, OAuth client ids).
  if (/^pk_(?:live|test)_|\.apps\.googleusercontent\.com$/.test(text)) return false;
  // Formats that are public by design (publishable keys, OAuth client ids).
  if (/^pk_(?:live|test)_|\.apps\.googleusercontent\.com$/.test(text)) return false;
  if (!(/[a-z]/.test(text) && /[A-Z]/.test(text) && /[0-9]/.test(text))) return false;
  return shannonEntropy(text) >= 3.8;
}

function overlaps(a: {start: number; end: number}, b: {start: number; end: number}): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * Find the credentials in one config value. Returns the detections in value order, each with
 * the exact secret substring and its offsets, so a rewrite can replace only that part.
 * Silent on references (`${VAR}`, `${env:VAR}`, `${input:id}`, `${{ secrets.X }}`, `$VAR`),
 * placeholders and ordinary settings. A literal default inside `${VAR:-<secret>}` is reported
 * with `reference` set. Never throws.
 */
export function detectSecrets(value: string, ctx: DetectContext): Detection[] {
  if (!value || !value.trim()) return [];
  const refs = findReferences(value);
  const out: Detection[] = [];
  const envKey = ctx.field === 'env' && ctx.key ? nameFromKey(ctx.key, 'SECRET') : undefined;
  const [wholeStart, wholeEnd] = trimSpan(value, 0, value.length);
  // The env key names the secret only when the secret is the whole value; a part of it (a token
  // inside JSON, a URL password) needs a name of its own, the env key being taken by the value.
  const nameFor = (start: number, end: number, ref: Reference | undefined, fallback: string): string =>
    ref?.name ?? (envKey && start === wholeStart && end === wholeEnd ? envKey : fallback);

  const enclosingDefault = (start: number, end: number): Reference | undefined =>
    refs.find((r) => r.defaultStart !== undefined && start >= r.defaultStart && end <= r.defaultEnd!);
  const insideReference = (start: number, end: number): boolean => refs.some((r) => overlaps(r, {start, end}));
  const referenceOf = (r: Reference | undefined): Detection['reference'] => (r ? {start: r.start, end: r.end, name: r.name ?? 'SECRET'} : undefined);

  // 1. Known provider formats anywhere in the value.
  PROVIDER_REGEX.lastIndex = 0;
  for (let m = PROVIDER_REGEX.exec(value); m; m = PROVIDER_REGEX.exec(value)) {
    const format = formatOfMatch(m);
    if (!format) continue;
    const start = m.index;
    const end = start + m[0].length;
    const inDefault = enclosingDefault(start, end);
    if (!inDefault && insideReference(start, end)) continue;
    if (isPlaceholder(m[0].slice(format.prefixLength)) && format.id !== 'private-key') continue;
    const detection: Detection = {
      secret: m[0],
      start,
      end,
      kind: 'provider-token',
      provider: format.provider,
      providerId: format.id,
      confidence: format.confidence,
      suggestedName: nameFor(start, end, inDefault, format.envName),
      reason: format.label,
    };
    const reference = referenceOf(inDefault);
    if (reference) detection.reference = reference;
    out.push(detection);
  }
  if (value.length > MAX_STRUCTURED_LENGTH) return out;

  // 2. Credential positions given by the value's structure and names.
  const consumed = new Set<Reference>();
  for (const c of structuralCandidates(value, ctx)) {
    let {start, end} = c;
    let reference: Reference | undefined;
    const touching = refs.filter((r) => overlaps(r, c));
    if (touching.length > 0) {
      // A reference in a credential position is the fix, not the problem; only a literal
      // default that fills the whole position is examined.
      const r = touching[0]!;
      if (touching.length > 1 || r.start !== start || r.end !== end) continue;
      consumed.add(r);
      if (r.defaultStart === undefined) continue;
      [start, end] = trimSpan(value, r.defaultStart, r.defaultEnd!);
      if (end <= start || findReferences(value.slice(start, end)).length > 0) continue;
      reference = r;
    }
    if (out.some((d) => overlaps(d, {start, end}))) continue;
    const text = value.slice(start, end);
    const confidence = judge(text, c.strength, reference?.name ? [...c.keyWords, ...nameWords(reference.name)] : c.keyWords);
    if (!confidence) continue;
    const detection: Detection = {
      secret: text,
      start,
      end,
      kind: c.kind,
      confidence,
      suggestedName: nameFor(start, end, reference, c.name),
      reason: c.reason,
    };
    const ref = referenceOf(reference);
    if (ref) detection.reference = ref;
    out.push(detection);
  }

  // 3. Defaults of references elsewhere in the value, judged by the reference's own name.
  for (const r of refs) {
    if (r.defaultStart === undefined || consumed.has(r)) continue;
    const def = value.slice(r.defaultStart, r.defaultEnd);
    if (findReferences(def).length > 0) continue;
    for (const inner of detectSecrets(def, {key: r.name, field: ctx.field === 'header' ? 'other' : ctx.field === 'arg' ? 'other' : ctx.field})) {
      const start = r.defaultStart + inner.start;
      const end = r.defaultStart + inner.end;
      if (out.some((d) => overlaps(d, {start, end}))) continue;
      out.push({...inner, start, end, suggestedName: r.name ?? inner.suggestedName, reference: referenceOf(r)!});
    }
  }

  // 4. Nothing else: a lone random-looking value, unless its name says what else it is
  //    (`OAUTH_CLIENT_ID`, `OPENAI_ORG`, `CACHE_DIR`).
  const neutralName = ctx.key !== undefined && NEUTRAL_SUFFIX.has(nameWords(ctx.key).at(-1) ?? '');
  if (out.length === 0 && refs.length === 0 && !neutralName) {
    const [s, e] = trimSpan(value, 0, value.length);
    const text = value.slice(s, e);
    if (entropyOnly(text)) {
      out.push({secret: text, start: s, end: e, kind: 'high-entropy', confidence: 'low', suggestedName: envKey ?? (ctx.key ? toEnvName(ctx.key) : 'SECRET'), reason: 'a random-looking string that may be a credential'});
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
