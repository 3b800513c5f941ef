/**
 * Run-time generators of token-shaped test values, one per provider format, plus decoys that
 * only look like secrets. Nothing here is a literal key: prefixes and bodies are joined at run
 * time from random characters, so secret scanners stay quiet on this repository.
 * A seeded generator makes corpora reproducible.
 */

export type Rng = () => number;

/** mulberry32: small, fast, seeded; good enough for test data. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = LOWER.toUpperCase();
export const DIGITS = '0123456789';
export const BASE62 = UPPER + LOWER + DIGITS;
export const HEX = '0123456789abcdef';
export const URLSAFE = BASE62 + '_-';
const BASE32 = UPPER + '234567';

export function pick<T>(r: Rng, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)]!;
}

export function int(r: Rng, min: number, max: number): number {
  return min + Math.floor(r() * (max - min + 1));
}

/** `length` random characters from `charset`, with at least one upper, lower and digit when the charset has them and length allows. */
export function randomString(r: Rng, length: number, charset = BASE62): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += charset[Math.floor(r() * charset.length)];
    const needs = [UPPER, LOWER, DIGITS].filter((cls) => [...cls].some((c) => charset.includes(c)));
    if (length < 12 || needs.every((cls) => [...s].some((c) => cls.includes(c)))) {
      // Random data can spell a run or a word that marks placeholders; draw again (rare).
      if (!/[xX]{4}|(.)\1{4}|0123456|1234567|abcdefg/i.test(s)) return s;
    }
  }
}

const CRC_TABLE = (() => {
  const table: number[] = [];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table.push(c >>> 0);
  }
  return table;
})();

export function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  const digits = DIGITS + UPPER + LOWER;
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = digits[v % 62] + out;
  return out.padStart(width, '0');
}

/** GitHub-style token: prefix + 30 random base62 characters + a 6-character base62 CRC32 of them. */
function githubToken(r: Rng, kind: string): string {
  const body = randomString(r, 30);
  return `gh${kind}_${body}${base62(crc32(body), 6)}`;
}

/** Makers per provider format id (the ids of src/secrets/providers.ts). */
export const TOKEN_MAKERS: Record<string, (r: Rng) => string> = {
  'github-pat': (r) => githubToken(r, 'p'),
  'github-fine-grained-pat': (r) => ['github', 'pat', randomString(r, 22), randomString(r, 59)].join('_'),
  'github-oauth': (r) => githubToken(r, 'o'),
  'github-app': (r) => githubToken(r, pick(r, ['u', 's', 'r'])),
  'gitlab-pat': (r) => 'gl' + 'pat-' + randomString(r, 20, URLSAFE),
  'slack-token': (r) => ['xo' + pick(r, ['xb', 'xp']), randomString(r, 12, DIGITS), randomString(r, 13, DIGITS), randomString(r, 24)].join('-'),
  'anthropic-api-key': (r) => 'sk-' + 'ant-' + 'api03-' + randomString(r, 93, URLSAFE) + 'AA',
  'openai-project-key': (r) => 'sk-' + 'proj-' + randomString(r, 156, URLSAFE),
  'openai-legacy-key': (r) => 'sk-' + randomString(r, 20) + ['T3Blbk', 'FJ'].join('') + randomString(r, 20),
  'aws-access-key-id': (r) => 'AK' + 'IA' + randomString(r, 16, BASE32),
  'stripe-secret-key': (r) => ['sk', pick(r, ['live', 'test']), randomString(r, 99)].join('_'),
  'google-api-key': (r) => 'AI' + 'za' + randomString(r, 35, URLSAFE),
  'npm-token': (r) => 'npm' + '_' + randomString(r, 36),
  'huggingface-token': (r) => 'hf' + '_' + randomString(r, 34),
  'linear-api-key': (r) => 'lin' + '_api_' + randomString(r, 40),
  'notion-token': (r) => 'ntn' + '_' + randomString(r, 11, DIGITS) + randomString(r, 35),
  'supabase-access-token': (r) => 'sbp' + '_' + randomString(r, 40, HEX),
  'neon-api-key': (r) => 'napi' + '_' + randomString(r, 64, LOWER + DIGITS),
  'google-vertex-express-key': (r) => 'AQ' + '.Ab' + randomString(r, 48, URLSAFE),
  'openrouter-api-key': (r) => 'sk-or' + '-v1-' + randomString(r, 64, HEX),
  'sendgrid-api-key': (r) => 'S' + 'G.' + randomString(r, 22, URLSAFE) + '.' + randomString(r, 43, URLSAFE),
  'tavily-api-key': (r) => 'tv' + 'ly-' + randomString(r, 32),
  'perplexity-api-key': (r) => 'pp' + 'lx-' + randomString(r, 48),
  'groq-api-key': (r) => 'gs' + 'k_' + randomString(r, 52),
  'replicate-token': (r) => 'r8' + '_' + randomString(r, 37),
  'firecrawl-api-key': (r) => 'fc' + '-' + randomString(r, 32, HEX),
  'databricks-token': (r) => 'da' + 'pi' + randomString(r, 32, HEX),
  'jwt': (r) => {
    const b64 = (s: string) => Buffer.from(s).toString('base64url');
    return [b64('{"alg":"HS256","typ":"JWT"}'), b64(JSON.stringify({sub: randomString(r, 12), iat: int(r, 1_600_000_000, 1_800_000_000), role: pick(r, ['service_role', 'anon', 'user'])})), randomString(r, 43, URLSAFE)].join('.');
  },
};

/** A random provider token: its format id, conventional env name and value. */
export function randomProviderToken(r: Rng): {id: string; value: string} {
  const id = pick(r, Object.keys(TOKEN_MAKERS));
  return {id, value: TOKEN_MAKERS[id]!(r)};
}

/** A credential with no provider format (a generic API key): 32–48 random base62 characters. */
export function genericSecret(r: Rng): string {
  return randomString(r, int(r, 32, 48));
}

/** A human-made password: word, digits and a symbol. */
export function humanPassword(r: Rng): string {
  const words = ['Tr0ub4dor', 'Correct', 'horse', 'Battery', 'staple', 'Maple', 'orbit', 'Velvet', 'Quartz', 'lantern'];
  return pick(r, words) + pick(r, ['!', '#', '%', '&', '@', '_', '+']) + int(r, 10, 9999) + pick(r, words).toLowerCase();
}

/** References and placeholders in the places a secret would go: must stay silent. */
export function referenceDecoys(name: string): string[] {
  return ['${' + name + '}', '${env:' + name + '}', '${input:' + name.toLowerCase() + '}', '${{ secrets.' + name + ' }}', '$' + name, '${' + name + ':-}'];
}

/** Placeholders people write in examples: must stay silent. */
export function placeholderDecoys(r: Rng): string[] {
  const xs = 'x'.repeat(36);
  return [
    'your_api_key_here', '<YOUR_KEY>', '<your-token>', 'YOUR_API_KEY', 'your-token-here', 'changeme', 'xxxx' + 'xxxxxxxx', 'gh' + 'p_' + xs,
    'sk-...', 'sk-' + 'your-key-here', 'REPLACE_ME', '', '********', 'insert-token-here', '[API_KEY]', 'TODO', 'placeholder',
    'AK' + 'IA' + 'IOSFODNN7' + 'EXAMPLE', 'sk-' + 'proj-' + 'X'.repeat(48), 'api_key', 'token', 'Bearer', pick(r, ['<token>', 'YOUR_TOKEN']),
  ];
}

/** Ordinary settings, some with credential-sounding names or random-looking shapes: must stay silent. */
export function ordinaryDecoys(r: Rng): Array<{key: string; value: string}> {
  const sha = randomString(r, 40, HEX);
  const uuid = [8, 4, 4, 4, 12].map((n) => randomString(r, n, HEX)).join('-');
  return [
    {key: 'LOG_LEVEL', value: pick(r, ['debug', 'info', 'warn', 'error'])},
    {key: 'NODE_ENV', value: 'production'},
    {key: 'AWS_REGION', value: pick(r, ['us-east-1', 'eu-west-2', 'ap-southeast-1'])},
    {key: 'MODEL', value: pick(r, ['claude-sonnet-4-5', 'gpt-4o-mini', 'gemini-2.5-pro', 'llama3.1:8b'])},
    {key: 'ALLOWED_DIRECTORIES', value: '/home/dev/projects'},
    {key: 'READ_ONLY', value: pick(r, ['true', 'false'])},
    {key: 'PORT', value: String(int(r, 1024, 65535))},
    {key: 'MAX_TOKENS', value: String(int(r, 256, 200000))},
    {key: 'GITHUB_TOKEN_PATH', value: '/home/dev/.config/gh/token'},
    {key: 'AUTH_TYPE', value: 'oauth'},
    {key: 'API_KEY_HEADER', value: 'X-API-Key'},
    {key: 'PASSWORD_FILE', value: '/run/secrets/db_password'},
    {key: 'PROJECT_ID', value: uuid},
    {key: 'GIT_SHA', value: sha},
    {key: 'NOTION_VERSION', value: '2022-06-28'},
    {key: 'PACKAGE', value: '@modelcontextprotocol/server-github'},
    {key: 'GOOGLE_CLIENT_ID', value: `${randomString(r, 12, DIGITS)}-${randomString(r, 32, LOWER + DIGITS)}.apps.googleusercontent.com`},
    {key: 'STRIPE_PUBLISHABLE_KEY', value: ['pk', 'test', randomString(r, 40)].join('_')},
    {key: 'TZ', value: 'Europe/Berlin'},
    {key: 'DATABASE_URL', value: 'postgresql://localhost:5432/app'},
    {key: 'API_BASE_URL', value: 'https://api.example.com/v1'},
    {key: 'TOKEN_URL', value: 'https://auth.example.com/oauth/token'},
    {key: 'SSH_PUBLIC_KEY', value: 'ssh-ed25519 ' + randomString(r, 68, BASE62 + '+/') + ' dev@laptop'},
    {key: 'CACHE_KEY', value: 'mcp-cache-v2'},
    {key: 'USER_AGENT', value: 'mcpx/0.1 (+https://example.com)'},
  ];
}
