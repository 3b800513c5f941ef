/**
 * The labelled corpus: MCP configs in every client's format (JSON `mcpServers`, VS Code
 * `servers`, Zed `context_servers`, Gemini, Codex TOML, Continue YAML lists, Goose YAML
 * `extensions`), each with planted secrets, decoys that only look like secrets, http/ws URLs to
 * loopback and to look-alike hosts, and file modes. Every plant is labelled with the rule that
 * must report it and its native JSON pointer; decoys are labelled negative. All values are
 * random at run time (seeded), never literal keys.
 */
import fs from 'node:fs';
import path from 'node:path';
import {toPointer} from '../../src/config/types.js';
import {
  BASE62, DIGITS, HEX, LOWER, type Rng, TOKEN_MAKERS, genericSecret, humanPassword, int, ordinaryDecoys, pick, placeholderDecoys,
  randomProviderToken, randomString, referenceDecoys, seededRng,
} from '../../test/helpers/tokens.js';

export type Format = 'claude-code' | 'claude-desktop' | 'cursor' | 'vscode' | 'gemini' | 'zed' | 'codex' | 'continue' | 'goose';
export const FORMATS: readonly Format[] = ['claude-code', 'claude-desktop', 'cursor', 'vscode', 'gemini', 'zed', 'codex', 'continue', 'goose'];

/** Where a value sits in the neutral server. */
type Loc = ['env', string] | ['headers', string] | ['args', number] | ['url'];

/** A labelled plant: `positive` values must be reported by `rule` at the value's pointer. */
interface Plant {
  loc: Loc;
  rule: string;
  positive: boolean;
  /** What was planted, for the runner's error listing (never the value itself). */
  what: string;
  /** The raw secret(s) planted, for the exact-substring check. */
  secrets?: string[];
}

interface Server {
  name: string;
  transport: 'stdio' | 'http' | 'sse';
  command?: string;
  args: string[];
  env: Record<string, string>;
  url?: string;
  headers: Record<string, string>;
  plants: Plant[];
}

export interface Label {
  rule: string;
  /** Path relative to the corpus root, `/` separated. */
  file: string;
  pointer: string;
  positive: boolean;
  what: string;
  format: Format;
  /** The planted secrets; the runner compares their value hashes with the findings'. */
  secrets?: string[];
  /** file-permissions labels: the file's mode and whether it holds a planted secret. */
  mode?: number;
  holdsSecret?: boolean;
}

export interface Corpus {
  root: string;
  files: string[];
  labels: Label[];
}

// ---------------------------------------------------------------------------------------------
// Plant makers: each adds one value to a server and labels it

const CRED_ENV_KEYS = ['ACME_API_KEY', 'SERVICE_TOKEN', 'API_SECRET', 'CLIENT_SECRET', 'ACCESS_TOKEN', 'AUTH_TOKEN', 'PRIVATE_KEY', 'SECRET_KEY', 'WEBHOOK_SECRET', 'BOT_TOKEN', 'APIKEY', 'X_API_KEY', 'MCP_AUTH', 'SIGNING_KEY'];
const PROVIDER_ENV: Record<string, string> = {
  'github-pat': 'GITHUB_PERSONAL_ACCESS_TOKEN', 'github-fine-grained-pat': 'GITHUB_TOKEN', 'github-oauth': 'GH_TOKEN', 'github-app': 'GITHUB_TOKEN',
  'gitlab-pat': 'GITLAB_PERSONAL_ACCESS_TOKEN', 'slack-token': 'SLACK_BOT_TOKEN', 'anthropic-api-key': 'ANTHROPIC_API_KEY', 'openai-project-key': 'OPENAI_API_KEY',
  'openai-legacy-key': 'OPENAI_API_KEY', 'aws-access-key-id': 'AWS_ACCESS_KEY_ID', 'stripe-secret-key': 'STRIPE_SECRET_KEY', 'google-api-key': 'GOOGLE_API_KEY',
  'npm-token': 'NPM_TOKEN', 'huggingface-token': 'HF_TOKEN', 'linear-api-key': 'LINEAR_API_KEY', 'notion-token': 'NOTION_TOKEN',
  'supabase-access-token': 'SUPABASE_ACCESS_TOKEN', 'sendgrid-api-key': 'SENDGRID_API_KEY', 'tavily-api-key': 'TAVILY_API_KEY',
  'perplexity-api-key': 'PERPLEXITY_API_KEY', 'groq-api-key': 'GROQ_API_KEY', 'replicate-token': 'REPLICATE_API_TOKEN', 'firecrawl-api-key': 'FIRECRAWL_API_KEY',
  'databricks-token': 'DATABRICKS_TOKEN', jwt: 'SUPABASE_SERVICE_ROLE_KEY',
};

function anySecret(r: Rng): {value: string; what: string} {
  if (r() < 0.6) {
    const t = randomProviderToken(r);
    return {value: t.value, what: t.id};
  }
  return {value: genericSecret(r), what: 'generic'};
}

type Maker = (r: Rng, s: Server) => void;

const secretPlants: Array<[number, Maker]> = [
  [6, (r, s) => {
    const t = randomProviderToken(r);
    const key = r() < 0.7 ? PROVIDER_ENV[t.id]! : pick(r, ['MY_KEY', 'UPSTREAM', 'CREDENTIAL_VALUE', 'CONFIG_B']);
    setEnv(s, key, t.value, {rule: 'hardcoded-secret', positive: true, what: `env ${t.id}`, secrets: [t.value]});
  }],
  [4, (r, s) => {
    const v = genericSecret(r);
    setEnv(s, pick(r, CRED_ENV_KEYS), v, {rule: 'hardcoded-secret', positive: true, what: 'env generic under credential name', secrets: [v]});
  }],
  [2, (r, s) => {
    const v = humanPassword(r);
    setEnv(s, pick(r, ['DB_PASSWORD', 'POSTGRES_PASSWORD', 'MYSQL_PWD', 'SMTP_PASS', 'ADMIN_PASSWORD', 'REDIS_PASSWORD']), v, {rule: 'hardcoded-secret', positive: true, what: 'env human password', secrets: [v]});
  }],
  [1, (r, s) => {
    const v = randomString(r, int(r, 32, 44));
    setEnv(s, pick(r, ['ACME_CONFIG', 'UPSTREAM_CRED', 'DATA_SOURCE_X']), v, {rule: 'hardcoded-secret', positive: true, what: 'env random under neutral name', secrets: [v]});
  }],
  [3, (r, s) => {
    const {value, what} = anySecret(r);
    remote(r, s);
    setHeader(s, 'Authorization', `Bearer ${value}`, {rule: 'hardcoded-secret', positive: true, what: `header bearer ${what}`, secrets: [value]});
  }],
  [2, (r, s) => {
    const v = genericSecret(r);
    remote(r, s);
    setHeader(s, pick(r, ['X-API-Key', 'x-api-key', 'Api-Key', 'X-Auth-Token', 'X-Access-Token']), v, {rule: 'hardcoded-secret', positive: true, what: 'header api key', secrets: [v]});
  }],
  [1, (r, s) => {
    const b = Buffer.from(`${pick(r, ['admin', 'svc', 'me'])}:${humanPassword(r)}`).toString('base64');
    remote(r, s);
    setHeader(s, 'Authorization', `Basic ${b}`, {rule: 'hardcoded-secret', positive: true, what: 'header basic', secrets: [b]});
  }],
  [3, (r, s) => {
    const {value, what} = anySecret(r);
    bridge(r, s);
    pushArgs(s, ['--header', `Authorization: Bearer ${value}`], {rule: 'hardcoded-secret', positive: true, what: `mcp-remote --header ${what}`, secrets: [value]}, 1);
  }],
  [3, (r, s) => {
    const {value, what} = anySecret(r);
    const flag = pick(r, ['--api-key', '--token', '--access-token', '--auth-token', '--client-secret', '--password']);
    if (r() < 0.5) pushArgs(s, [flag, value], {rule: 'hardcoded-secret', positive: true, what: `flag value ${what}`, secrets: [value]}, 1);
    else pushArgs(s, [`${flag}=${value}`], {rule: 'hardcoded-secret', positive: true, what: `flag=value ${what}`, secrets: [value]}, 0);
  }],
  [1, (r, s) => {
    const t = randomProviderToken(r);
    if (!resetArgs(s, 'docker', ['run', '-i', '--rm'])) return;
    pushArgs(s, ['-e', `${PROVIDER_ENV[t.id]}=${t.value}`], {rule: 'hardcoded-secret', positive: true, what: `docker -e ${t.id}`, secrets: [t.value]}, 1);
    s.args.push(`ghcr.io/acme/mcp-server:${int(r, 1, 9)}.${int(r, 0, 9)}.0`);
  }],
  [2, (r, s) => {
    const v = r() < 0.5 ? genericSecret(r) : TOKEN_MAKERS['tavily-api-key']!(r);
    const param = pick(r, ['api_key', 'apiKey', 'token', 'access_token', 'key', 'tavilyApiKey', 'auth']);
    const url = `https://mcp.${pick(r, ['example.com', 'acme.dev', 'tools.example.net'])}/${pick(r, ['mcp', 'sse'])}?${r() < 0.5 ? 'profile=work&' : ''}${param}=${v}`;
    remote(r, s, url);
    s.plants.push({loc: ['url'], rule: 'hardcoded-secret', positive: true, what: `url query ${param}`, secrets: [v]});
  }],
  [2, (r, s) => {
    const pw = r() < 0.8 ? humanPassword(r).replace(/[@:/?#%]/g, '-') : pick(r, ['pass', 'postgres', 'hunter2']);
    const scheme = pick(r, ['postgresql', 'postgres', 'mysql', 'mongodb+srv', 'redis']);
    const url = `${scheme}://${pick(r, ['app', 'admin', 'svc', ''])}:${pw}@${pick(r, ['db.example.com', 'localhost', '10.0.0.12'])}${scheme === 'redis' ? ':6379' : '/app'}`;
    if (r() < 0.5) {
      s.command = 'npx';
      pushArgs(s, [url], {rule: 'hardcoded-secret', positive: true, what: `connection string arg ${scheme}`, secrets: [pw]}, 0);
    } else setEnv(s, pick(r, ['DATABASE_URL', 'POSTGRES_CONNECTION_STRING', 'MONGODB_URI', 'REDIS_URL']), url, {rule: 'hardcoded-secret', positive: true, what: `connection string env ${scheme}`, secrets: [pw]});
  }],
  [2, (r, s) => {
    const t = randomProviderToken(r);
    const name = PROVIDER_ENV[t.id]!;
    setEnv(s, name, '${' + name + ':-' + t.value + '}', {rule: 'hardcoded-secret', positive: true, what: `default ${t.id}`, secrets: [t.value]});
  }],
  [1, (r, s) => {
    const v = genericSecret(r);
    remote(r, s);
    setHeader(s, 'Authorization', 'Bearer ${MCP_TOKEN:-' + v + '}', {rule: 'hardcoded-secret', positive: true, what: 'default in bearer', secrets: [v]});
  }],
  [1, (r, s) => {
    const t = TOKEN_MAKERS['notion-token']!(r);
    setEnv(s, 'OPENAPI_MCP_HEADERS', JSON.stringify({Authorization: `Bearer ${t}`, 'Notion-Version': '2022-06-28'}), {rule: 'hardcoded-secret', positive: true, what: 'JSON headers env', secrets: [t]});
  }],
  [1, (r, s) => {
    const pw = humanPassword(r).replace(/;/g, '');
    setEnv(s, 'MSSQL_CONNECTION_STRING', `Server=db.example.com;Database=app;User Id=sa;Password=${pw};`, {rule: 'hardcoded-secret', positive: true, what: 'ADO connection string', secrets: [pw]});
  }],
  // Harder shapes: keys with no provider prefix, other auth schemes, PEM blocks, cookies.
  [1, (r, s) => {
    const v = r() < 0.5 ? [8, 4, 4, 4, 12].map((n) => randomString(r, n, HEX)).join('-') : randomString(r, 32, HEX);
    setEnv(s, pick(r, ['EXA_API_KEY', 'WEATHER_API_KEY', 'MAILCHIMP_API_KEY', 'BRAVE_API_KEY', 'JIRA_API_TOKEN']), v, {rule: 'hardcoded-secret', positive: true, what: 'env uuid/hex key', secrets: [v]});
  }],
  [1, (r, s) => {
    const v = randomString(r, int(r, 32, 64), BASE62 + '_-');
    remote(r, s, `https://${pick(r, ['mcp.zapier.com/api/mcp/s', 'mcp.example.com', 'actions.acme.dev/mcp'])}/${v}/${pick(r, ['sse', 'mcp'])}`);
    s.plants.push({loc: ['url'], rule: 'hardcoded-secret', positive: true, what: 'key in URL path', secrets: [v]});
  }],
  [1, (r, s) => {
    const v = randomString(r, 40, BASE62 + '+/');
    setEnv(s, 'AWS_SECRET_ACCESS_KEY', v, {rule: 'hardcoded-secret', positive: true, what: 'aws secret access key', secrets: [v]});
  }],
  [1, (r, s) => {
    const {value, what} = anySecret(r);
    remote(r, s);
    setHeader(s, 'Authorization', `${pick(r, ['token', 'bearer', 'Token', 'Bot', 'ApiKey'])} ${value}`, {rule: 'hardcoded-secret', positive: true, what: `header other scheme ${what}`, secrets: [value]});
  }],
  [1, (r, s) => {
    const v = TOKEN_MAKERS['google-api-key']!(r);
    remote(r, s);
    setHeader(s, pick(r, ['X-Goog-Api-Key', 'x-subscription-token', 'Ocp-Apim-Subscription-Key']), v, {rule: 'hardcoded-secret', positive: true, what: 'vendor key header', secrets: [v]});
  }],
  [1, (r, s) => {
    const v = randomString(r, 32, BASE62);
    remote(r, s);
    setHeader(s, 'Cookie', `theme=dark; session=${v}`, {rule: 'hardcoded-secret', positive: true, what: 'session cookie', secrets: [v]});
  }],
  [1, (r, s) => {
    const body = Array.from({length: 6}, () => randomString(r, 64, BASE62 + '+/')).join('\n');
    const pem = ['-----BEGIN ', 'PRIVATE KEY-----\n'].join('') + body + ['\n-----END ', 'PRIVATE KEY-----'].join('');
    setEnv(s, pick(r, ['GOOGLE_PRIVATE_KEY', 'SERVICE_ACCOUNT_KEY', 'JWT_SIGNING_PEM']), pem, {rule: 'hardcoded-secret', positive: true, what: 'PEM private key', secrets: [pem]});
  }],
  [1, (r, s) => {
    const v = humanPassword(r) + pick(r, ['#', '"', '\\', "'", ' x']);
    setEnv(s, pick(r, ['DB_PASSWORD', 'SMTP_PASSWORD']), v, {rule: 'hardcoded-secret', positive: true, what: 'password with special characters', secrets: [v]});
  }],
];

const decoyPlants: Array<[number, Maker]> = [
  [2, (r, s) => {
    const [flag, value] = pick(r, [
      ['--token-file', '~/.config/acme/token'],
      ['--api-key-env', 'ACME_API_KEY'],
      ['--password-file', '/run/secrets/db'],
      ['--header', 'Accept: application/json'],
      ['--auth', 'oauth'],
      ['--secret-name', 'prod/acme/api'],
    ] as Array<[string, string]>);
    pushArgs(s, [flag, value], {rule: 'hardcoded-secret', positive: false, what: `credential-sounding flag ${flag}`}, 1);
  }],
  [2, (r, s) => {
    const [key, value] = pick(r, [
      ['AUTH_HEADER', 'Bearer ${ACME_TOKEN}'],
      ['OAUTH_CLIENT_ID', randomString(r, 32, BASE62)],
      ['OPENAI_ORG', 'org-' + randomString(r, 24, BASE62)],
      ['SIGNING_KEY_ID', 'kid-' + randomString(r, 12, DIGITS)],
      ['TOKEN_ENDPOINT', 'https://auth.example.com/oauth2/token'],
      ['SECRET_NAME', 'prod/acme/api'],
      ['PASSWORD_MIN_LENGTH', '12'],
      ['SESSION_TIMEOUT', '3600'],
      ['AUTH_PROVIDER', 'github'],
    ] as Array<[string, string]>);
    setEnv(s, key, value, {rule: 'hardcoded-secret', positive: false, what: `credential-sounding name ${key}`});
  }],
  [5, (r, s) => {
    const name = pick(r, ['GITHUB_TOKEN', 'OPENAI_API_KEY', 'ACME_API_KEY', 'DB_PASSWORD']);
    setEnv(s, name, pick(r, referenceDecoys(name)), {rule: 'hardcoded-secret', positive: false, what: 'env reference'});
  }],
  [4, (r, s) => {
    setEnv(s, pick(r, ['OPENAI_API_KEY', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'API_KEY', 'ACME_TOKEN', 'AWS_ACCESS_KEY_ID']), pick(r, placeholderDecoys(r)), {rule: 'hardcoded-secret', positive: false, what: 'env placeholder'});
  }],
  [6, (r, s) => {
    const {key, value} = pick(r, ordinaryDecoys(r));
    setEnv(s, key, value, {rule: 'hardcoded-secret', positive: false, what: `env ordinary ${key}`});
  }],
  [2, (r, s) => {
    remote(r, s);
    const name = pick(r, ['MCP_TOKEN', 'ACME_KEY']);
    setHeader(s, 'Authorization', 'Bearer ' + pick(r, referenceDecoys(name).filter((x) => x !== '${' + name + ':-}')), {rule: 'hardcoded-secret', positive: false, what: 'bearer reference'});
  }],
  [1, (r, s) => {
    remote(r, s);
    setHeader(s, 'Authorization', 'Bearer ' + pick(r, ['<YOUR_TOKEN>', 'YOUR_API_KEY', 'your-token-here', 'xxxxxxxxxxxxxxxx']), {rule: 'hardcoded-secret', positive: false, what: 'bearer placeholder'});
  }],
  [1, (r, s) => {
    remote(r, s);
    setHeader(s, pick(r, ['Notion-Version', 'Accept', 'User-Agent', 'X-Request-Source']), pick(r, ['2022-06-28', 'application/json', 'mcpx/0.1', 'claude']), {rule: 'hardcoded-secret', positive: false, what: 'ordinary header'});
  }],
  [2, (r, s) => {
    bridge(r, s);
    pushArgs(s, ['--header', pick(r, ['Authorization:${AUTH_HEADER}', 'Authorization: Bearer ${env:MCP_TOKEN}', 'X-API-Key: ${input:api_key}'])], {rule: 'hardcoded-secret', positive: false, what: 'mcp-remote header reference'}, 1);
  }],
  [2, (r, s) => {
    const flag = pick(r, ['--api-key', '--token']);
    pushArgs(s, [flag, pick(r, ['${ACME_API_KEY}', '$ACME_TOKEN', '${input:token}', '<YOUR_KEY>'])], {rule: 'hardcoded-secret', positive: false, what: 'flag reference'}, 1);
  }],
  [3, (r, s) => {
    const [flag, value] = pick(r, [
      ['--workspace', randomString(r, 24, BASE62)],
      ['--commit', randomString(r, 40, HEX)],
      ['--project-id', [8, 4, 4, 4, 12].map((n) => randomString(r, n, HEX)).join('-')],
      ['--model', 'claude-sonnet-4-5'],
      ['--region', 'us-east-1'],
      ['--root', '/home/dev/projects/' + randomString(r, 8, LOWER)],
      ['--port', String(int(r, 1024, 65535))],
    ] as Array<[string, string]>);
    pushArgs(s, [flag, value], {rule: 'hardcoded-secret', positive: false, what: `arg ordinary ${flag}`}, 1);
  }],
  [1, (r, s) => {
    if (!resetArgs(s, 'docker', ['run', '-i', '--rm'])) return;
    pushArgs(s, ['-e', pick(r, ['GITHUB_PERSONAL_ACCESS_TOKEN', 'SLACK_BOT_TOKEN'])], {rule: 'hardcoded-secret', positive: false, what: 'docker -e pass-through'}, 1);
    s.args.push('ghcr.io/acme/mcp-server');
  }],
  [2, (r, s) => {
    const url = pick(r, [
      'https://mcp.example.com/mcp?profile=work&region=eu',
      'https://server.smithery.ai/@acme/weather/mcp',
      'https://mcp.example.com/sse?api_key=${ACME_API_KEY}',
      'https://api.example.com/mcp#section',
      `https://mcp.example.com/mcp?session=${randomString(r, 8, LOWER)}`,
      `https://mcp.composio.dev/composio/server/${[8, 4, 4, 4, 12].map((n) => randomString(r, n, HEX)).join('-')}/mcp`,
      `https://raw.githubusercontent.com/acme/tools/${randomString(r, 40, HEX)}/mcp.json`,
      `https://www.notion.so/Team-Wiki-${randomString(r, 32, HEX)}`,
      `https://mcp.example.com/v1/projects/my-very-long-project-name-for-testing-2025/mcp`,
    ]);
    remote(r, s, url);
    s.plants.push({loc: ['url'], rule: 'hardcoded-secret', positive: false, what: 'url without credentials'});
  }],
  [2, (r, s) => {
    const url = pick(r, ['postgresql://localhost:5432/app', 'postgresql://app@db.example.com/app', 'postgresql://app:${DB_PASSWORD}@db.example.com/app', 'redis://localhost:6379/0', 'mongodb://127.0.0.1:27017/test']);
    setEnv(s, 'DATABASE_URL', url, {rule: 'hardcoded-secret', positive: false, what: 'connection string without password'});
  }],
  [1, (r, s) => {
    setEnv(s, pick(r, ['GITHUB_TOKEN', 'LOG_LEVEL']), pick(r, ['${GITHUB_TOKEN:-}', '${LOG_LEVEL:-info}', '${TOKEN:-${GH_TOKEN}}', '${TOKEN:-your_token_here}']), {rule: 'hardcoded-secret', positive: false, what: 'harmless default'});
  }],
  [1, (r, s) => {
    setEnv(s, pick(r, ['STRIPE_PUBLISHABLE_KEY', 'GOOGLE_CLIENT_ID']), pick(r, [['pk', 'live', randomString(r, 40)].join('_'), `${randomString(r, 12, DIGITS)}-${randomString(r, 32, LOWER + DIGITS)}.apps.googleusercontent.com`]), {rule: 'hardcoded-secret', positive: false, what: 'public by design'});
  }],
  [1, (r, s) => {
    setEnv(s, pick(r, ['SSH_PUBLIC_KEY', 'GPG_FINGERPRINT', 'CONTENT_SHA256']), pick(r, ['ssh-ed25519 ' + randomString(r, 68, BASE62 + '+/') + ' dev@laptop', randomString(r, 40, HEX).toUpperCase(), randomString(r, 64, HEX)]), {rule: 'hardcoded-secret', positive: false, what: 'public key or hash'});
  }],
];

/** insecure-url plants: URLs in `url`, args and env, to loopback, remote and look-alike hosts. */
const urlPlants: Array<[number, Maker]> = [
  [4, (r, s) => {
    const [url, positive, what] = pick(r, [
      [`http://mcp.${pick(r, ['example.com', 'acme.dev'])}/mcp`, true, 'http remote'],
      ['http://localhost.evil.example/mcp', true, 'localhost look-alike'],
      ['http://127.0.0.1.attacker.example/sse', true, 'loopback look-alike'],
      ['http://localhost@evil.example/mcp', true, 'userinfo trick'],
      [`http://10.0.${int(r, 0, 255)}.${int(r, 1, 254)}:8080/mcp`, true, 'http private network'],
      ['ws://mcp.example.com/ws', true, 'ws remote'],
      ['https://mcp.example.com/mcp', false, 'https'],
      [`http://localhost:${int(r, 1024, 65535)}/mcp`, false, 'http localhost'],
      [`http://127.0.0.1:${int(r, 1024, 65535)}/sse`, false, 'http 127.0.0.1'],
      [`http://127.${int(r, 0, 255)}.${int(r, 0, 255)}.${int(r, 1, 254)}/mcp`, false, 'http 127/8'],
      ['http://[::1]:8931/mcp', false, 'http [::1]'],
      ['http://${MCP_HOST}/mcp', false, 'host reference'],
      ['wss://mcp.example.com/ws', false, 'wss'],
    ] as Array<[string, boolean, string]>);
    remote(r, s, url);
    s.plants.push({loc: ['url'], rule: 'insecure-url', positive, what});
  }],
  [2, (r, s) => {
    const [url, positive, what] = pick(r, [
      ['http://mcp.example.com/sse', true, 'mcp-remote http'],
      ['http://localhost.evil.example/sse', true, 'mcp-remote look-alike'],
      ['https://mcp.example.com/sse', false, 'mcp-remote https'],
      [`http://127.0.0.1:${int(r, 1024, 65535)}/sse`, false, 'mcp-remote loopback'],
    ] as Array<[string, boolean, string]>);
    if (!resetArgs(s, 'npx', ['mcp-remote@0.1.29'])) return;
    pushArgs(s, [url], {rule: 'insecure-url', positive, what}, 0);
  }],
  [1, (r, s) => {
    const [url, positive, what] = pick(r, [
      ['http://api.example.com/v1', true, 'env http'],
      ['http://localhost:11434', false, 'env ollama localhost'],
      ['https://api.example.com/v1', false, 'env https'],
    ] as Array<[string, boolean, string]>);
    setEnv(s, pick(r, ['API_BASE_URL', 'UPSTREAM_URL', 'OLLAMA_HOST']), url, {rule: 'insecure-url', positive, what});
  }],
];

function setEnv(s: Server, key: string, value: string, label: Omit<Plant, 'loc'>): void {
  if (s.transport !== 'stdio' || key in s.env) return;
  s.env[key] = value;
  s.plants.push({loc: ['env', key], ...label});
}

function setHeader(s: Server, key: string, value: string, label: Omit<Plant, 'loc'>): void {
  if (s.transport === 'stdio' || Object.keys(s.headers).some((k) => k.toLowerCase() === key.toLowerCase())) return;
  s.headers[key] = value;
  s.plants.push({loc: ['headers', key], ...label});
}

/** Append args; the value at `offset` within `added` is the labelled one. */
function pushArgs(s: Server, added: string[], label: Omit<Plant, 'loc'>, offset: number): void {
  if (s.transport !== 'stdio') return;
  const at = s.args.length + offset;
  s.args.push(...added);
  s.plants.push({loc: ['args', at], ...label});
}

/** Replace the command line (dropping labels of the old args). */
function resetArgs(s: Server, command: string, args: string[]): boolean {
  if (s.transport !== 'stdio') return false;
  s.command = command;
  s.args = args;
  s.plants = s.plants.filter((p) => p.loc[0] !== 'args');
  return true;
}

/** Make the server remote (drops stdio-only plants already made). */
function remote(r: Rng, s: Server, url?: string): void {
  if (s.transport === 'stdio') {
    s.transport = r() < 0.2 ? 'sse' : 'http';
    delete s.command;
    s.args = [];
    s.env = {};
    s.plants = s.plants.filter((p) => p.loc[0] !== 'args' && p.loc[0] !== 'env');
  }
  if (url !== undefined) {
    if (s.url !== undefined) s.plants = s.plants.filter((p) => p.loc[0] !== 'url');
    s.url = url;
  } else s.url ??= `https://mcp.${pick(r, ['example.com', 'acme.dev'])}/${s.transport === 'sse' ? 'sse' : 'mcp'}`;
}

/** Make the server an mcp-remote bridge. */
function bridge(r: Rng, s: Server): void {
  if (s.transport !== 'stdio') return;
  if (s.command !== 'npx' || !s.args.some((a) => a.startsWith('mcp-remote'))) resetArgs(s, 'npx', ['mcp-remote@0.1.29', `https://mcp.${pick(r, ['example.com', 'acme.dev'])}/sse`]);
}

function weighted(r: Rng, makers: Array<[number, Maker]>): Maker {
  const total = makers.reduce((n, [w]) => n + w, 0);
  let x = r() * total;
  for (const [w, m] of makers) {
    x -= w;
    if (x < 0) return m;
  }
  return makers[makers.length - 1]![1];
}

function makeServer(r: Rng, name: string): Server {
  const s: Server = {name, transport: 'stdio', command: 'npx', args: ['-y', `@acme/mcp-${name}@${int(r, 0, 3)}.${int(r, 0, 20)}.${int(r, 0, 9)}`], env: {}, headers: {}, plants: []};
  const n = int(r, 1, 4);
  for (let i = 0; i < n; i++) {
    const x = r();
    const maker = x < 0.4 ? weighted(r, secretPlants) : x < 0.85 ? weighted(r, decoyPlants) : weighted(r, urlPlants);
    maker(r, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Writers: one per format, returning the file text and the native path of each neutral location

interface Written {
  /** Path relative to the project folder. */
  rel: string;
  text: string;
  pointerOf: (server: Server, index: number, loc: Loc) => (string | number)[];
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

function standardEntry(s: Server, opts: {type?: boolean; urlKey?: string} = {}): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (s.transport === 'stdio') {
    if (opts.type) o.type = 'stdio';
    o.command = s.command;
    if (s.args.length) o.args = s.args;
    if (Object.keys(s.env).length) o.env = s.env;
  } else {
    if (opts.type) o.type = s.transport;
    o[opts.urlKey ?? 'url'] = s.url;
    if (Object.keys(s.headers).length) o.headers = s.headers;
  }
  return o;
}

function mapPointer(base: (string | number)[], s: Server, loc: Loc, keys: {env?: string; headers?: string; url?: string} = {}): (string | number)[] {
  const p = [...base, s.name];
  if (loc[0] === 'env') return [...p, keys.env ?? 'env', loc[1]];
  if (loc[0] === 'headers') return [...p, keys.headers ?? 'headers', loc[1]];
  if (loc[0] === 'args') return [...p, 'args', loc[1]];
  return [...p, keys.url ?? 'url'];
}

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function tomlInline(m: Record<string, string>): string {
  return `{ ${Object.entries(m).map(([k, v]) => `${tomlKey(k)} = ${JSON.stringify(v)}`).join(', ')} }`;
}

function yamlStr(v: string): string {
  return /^[A-Za-z0-9_./@-]+$/.test(v) && !/^(?:true|false|yes|no|on|off|null|~|[-+]?\d[\d._]*)$/i.test(v) && !v.startsWith('@') ? v : JSON.stringify(v);
}

function yamlMap(m: Record<string, string>, indent: string): string {
  return Object.entries(m).map(([k, v]) => `${indent}${yamlStr(k)}: ${yamlStr(v)}`).join('\n');
}

function write(format: Format, servers: Server[], r: Rng): Written {
  switch (format) {
    case 'claude-code':
    case 'claude-desktop':
    case 'cursor':
    case 'gemini': {
      const typed = format === 'claude-code';
      const entries = Object.fromEntries(servers.map((s) => [s.name, standardEntry(s, {type: typed, urlKey: format === 'gemini' && s.transport === 'http' ? 'httpUrl' : 'url'})]));
      let text = json({mcpServers: entries});
      if (format === 'cursor' || format === 'gemini') text = '// generated corpus file\n' + text.replace(/\n}$/, ',\n}');
      const rel = {'claude-code': '.mcp.json', 'claude-desktop': 'claude_desktop_config.json', cursor: '.cursor/mcp.json', gemini: '.gemini/settings.json'}[format];
      return {rel, text, pointerOf: (s, _i, loc) => mapPointer(['mcpServers'], s, loc, {url: format === 'gemini' && s.transport === 'http' ? 'httpUrl' : 'url'})};
    }
    case 'vscode': {
      const inputs = [{type: 'promptString', id: 'api_key', description: 'API key', password: true}];
      const text = '// VS Code MCP servers\n' + json({inputs, servers: Object.fromEntries(servers.map((s) => [s.name, standardEntry(s, {type: true})]))});
      return {rel: '.vscode/mcp.json', text, pointerOf: (s, _i, loc) => mapPointer(['servers'], s, loc)};
    }
    case 'zed': {
      const entries = Object.fromEntries(servers.map((s) => [s.name, {...(s.transport === 'stdio' ? {source: 'custom'} : {}), ...standardEntry(s)}]));
      const text = json({theme: 'One Dark', context_servers: entries});
      return {rel: '.zed/settings.json', text, pointerOf: (s, _i, loc) => mapPointer(['context_servers'], s, loc)};
    }
    case 'codex': {
      const parts: string[] = ['# Codex config', 'model = "gpt-5-codex"', ''];
      for (const s of servers) {
        parts.push(`[mcp_servers.${tomlKey(s.name)}]`);
        if (s.transport === 'stdio') {
          parts.push(`command = ${JSON.stringify(s.command)}`);
          if (s.args.length) parts.push(`args = [${s.args.map((a) => JSON.stringify(a)).join(', ')}]`);
          if (Object.keys(s.env).length) {
            if (r() < 0.5) parts.push(`env = ${tomlInline(s.env)}`);
            else {
              parts.push('', `[mcp_servers.${tomlKey(s.name)}.env]`);
              for (const [k, v] of Object.entries(s.env)) parts.push(`${tomlKey(k)} = ${JSON.stringify(v)}`);
            }
          }
        } else {
          parts.push(`url = ${JSON.stringify(s.url)}`);
          if (Object.keys(s.headers).length) parts.push(`http_headers = ${tomlInline(s.headers)}`);
        }
        parts.push('');
      }
      return {rel: '.codex/config.toml', text: parts.join('\n'), pointerOf: (s, _i, loc) => mapPointer(['mcp_servers'], s, loc, {headers: 'http_headers'})};
    }
    case 'continue': {
      const lines = ['name: Corpus MCP servers', 'version: 0.0.1', 'schema: v1', 'mcpServers:'];
      for (const s of servers) {
        lines.push(`  - name: ${yamlStr(s.name)}`);
        if (s.transport === 'stdio') {
          lines.push(`    command: ${yamlStr(s.command!)}`);
          if (s.args.length) lines.push('    args:', ...s.args.map((a) => `      - ${yamlStr(a)}`));
          if (Object.keys(s.env).length) lines.push('    env:', yamlMap(s.env, '      '));
        } else {
          lines.push(`    type: ${s.transport === 'sse' ? 'sse' : 'streamable-http'}`, `    url: ${yamlStr(s.url!)}`);
          if (Object.keys(s.headers).length) lines.push('    requestOptions:', '      headers:', yamlMap(s.headers, '        '));
        }
      }
      return {
        rel: `.continue/mcpServers/corpus-${randomString(r, 6, LOWER)}.yaml`,
        text: lines.join('\n') + '\n',
        pointerOf: (s, i, loc) => {
          const p: (string | number)[] = ['mcpServers', i];
          if (loc[0] === 'env') return [...p, 'env', loc[1]];
          if (loc[0] === 'headers') return [...p, 'requestOptions', 'headers', loc[1]];
          if (loc[0] === 'args') return [...p, 'args', loc[1]];
          return [...p, 'url'];
        },
      };
    }
    case 'goose': {
      const lines = ['GOOSE_PROVIDER: anthropic', 'extensions:', '  developer:', '    enabled: true', '    name: developer', '    type: builtin'];
      for (const s of servers) {
        lines.push(`  ${yamlStr(s.name)}:`, '    enabled: true', `    name: ${yamlStr(s.name)}`, '    timeout: 300');
        if (s.transport === 'stdio') {
          lines.push('    type: stdio', `    cmd: ${yamlStr(s.command!)}`);
          lines.push(s.args.length ? '    args:' : '    args: []', ...s.args.map((a) => `      - ${yamlStr(a)}`));
          if (Object.keys(s.env).length) lines.push('    envs:', yamlMap(s.env, '      '));
        } else {
          lines.push(`    type: ${s.transport === 'sse' ? 'sse' : 'streamable_http'}`, `    uri: ${yamlStr(s.url!)}`);
          if (Object.keys(s.headers).length) lines.push('    headers:', yamlMap(s.headers, '      '));
        }
      }
      return {rel: '.config/goose/config.yaml', text: lines.join('\n') + '\n', pointerOf: (s, _i, loc) => mapPointer(['extensions'], s, loc, {env: 'envs', url: 'uri'})};
    }
  }
}

/**
 * Home-folder layouts committed inside a tree (dotfiles, a scanned home folder), XDG layouts
 * without the dot, and backup copies: a third of the files move to one of these, so discovery
 * and identification are measured along with the rules.
 */
const HOME_LAYOUTS: Partial<Record<Format, string[]>> = {
  'claude-code': ['home/.claude.json', 'home/.claude/backups/.claude.json.backup.1733580000'],
  'claude-desktop': ['home/.codeium/windsurf/mcp_config.json', 'home/.antigravitycli/mcp_config.json', 'home/cline_mcp_settings.json', 'home/.lmstudio/mcp.json', 'home/roo/mcp_settings.json', 'home/Library/Application Support/Claude/claude_desktop_config.json'],
  zed: ['dotfiles/config/zed/settings.json', 'dotfiles/.config/zed/settings.json'],
  codex: ['dotfiles/config/codex/config.toml', 'dotfiles/.config/codex/config.toml'],
  goose: ['dotfiles/config/goose/config.yaml'],
};

function relocate(rel: string, format: Format, r: Rng): string {
  const x = r();
  const homes = HOME_LAYOUTS[format];
  let out = rel;
  if (homes && x < 0.35) out = pick(r, homes);
  if (r() < 0.1) out += pick(r, ['.bak', '.orig', '~']);
  return out;
}

// ---------------------------------------------------------------------------------------------

const MODES: Array<[number, number]> = [
  [0o600, 60],
  [0o644, 25],
  [0o664, 8],
  [0o640, 4],
  [0o666, 3],
];

/**
 * Write `projects` project folders under `root` (one config file each, formats in rotation)
 * and return the files and labels. `file-permissions` labels follow the rule's contract:
 * group/other-writable always; group/other-readable when the file holds a planted secret.
 */
export function generateCorpus(root: string, {seed = 1, projects = 360}: {seed?: number; projects?: number} = {}): Corpus {
  const r = seededRng(seed);
  const files: string[] = [];
  const labels: Label[] = [];
  fs.mkdirSync(root, {recursive: true});
  for (let p = 0; p < projects; p++) {
    const format = FORMATS[p % FORMATS.length]!;
    const names = new Set<string>();
    const servers: Server[] = [];
    const count = int(r, 1, 4);
    while (servers.length < count) {
      const name = pick(r, ['github', 'slack', 'search', 'db', 'notion', 'linear', 'files', 'remote', 'browser', 'memory', 'stripe', 'sentry']) + (r() < 0.3 ? `-${int(r, 2, 9)}` : '');
      if (names.has(name)) continue;
      names.add(name);
      servers.push(makeServer(r, name));
    }
    const written = write(format, servers, r);
    written.rel = relocate(written.rel, format, r);
    const dir = path.join(root, `p${String(p).padStart(4, '0')}`);
    const file = path.join(dir, written.rel);
    fs.mkdirSync(path.dirname(file), {recursive: true});
    fs.writeFileSync(file, written.text);
    let mode = 0o600;
    let x = r() * 100;
    for (const [m, w] of MODES) {
      x -= w;
      if (x < 0) {
        mode = m;
        break;
      }
    }
    fs.chmodSync(file, mode);
    for (let d = path.dirname(file); d.startsWith(dir); d = path.dirname(d)) fs.chmodSync(d, 0o755);
    const relFile = path.relative(root, file).split(path.sep).join('/');
    files.push(file);
    servers.forEach((s, i) => {
      for (const plant of s.plants) {
        const label: Label = {rule: plant.rule, file: relFile, pointer: toPointer(written.pointerOf(s, i, plant.loc)), positive: plant.positive, what: plant.what, format};
        if (plant.secrets) label.secrets = plant.secrets;
        labels.push(label);
      }
    });
    const holdsSecret = labels.some((l) => l.file === relFile && l.rule === 'hardcoded-secret' && l.positive);
    const permsPositive = (mode & 0o022) !== 0 || (holdsSecret && (mode & 0o044) !== 0);
    labels.push({rule: 'file-permissions', file: relFile, pointer: '', positive: permsPositive, what: `mode 0${mode.toString(8)}${holdsSecret ? ' with secret' : ''}`, format, mode, holdsSecret});
  }
  return {root, files, labels};
}
