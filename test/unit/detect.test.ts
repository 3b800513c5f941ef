/** The secret detector: provider formats, structure, names, references, placeholders, decoys. */
import {describe, expect, it} from 'vitest';
import {type DetectContext, detectSecrets, isPlaceholder, isReference, shannonEntropy, toEnvName} from '../../src/secrets/detect.js';
import {PROVIDER_FORMATS} from '../../src/secrets/providers.js';
import {TOKEN_MAKERS, genericSecret, humanPassword, ordinaryDecoys, placeholderDecoys, randomString, referenceDecoys, seededRng} from '../helpers/tokens.js';

const r = seededRng(20261123);
const env = (key: string): DetectContext => ({field: 'env', key});

describe('provider formats', () => {
  for (const [id, make] of Object.entries(TOKEN_MAKERS)) {
    it(`finds ${id} alone, inside text and as a default`, () => {
      const token = make(r);
      const format = PROVIDER_FORMATS.find((f) => f.id === id)!;
      const alone = detectSecrets(token, env('SOME_VALUE'));
      expect(alone).toHaveLength(1);
      expect(alone[0]).toMatchObject({secret: token, start: 0, end: token.length, kind: 'provider-token', providerId: id, suggestedName: 'SOME_VALUE'});
      // Outside env, the provider's conventional name is suggested.
      const inArg = detectSecrets(`--key=${token}`, {field: 'arg'});
      expect(inArg).toMatchObject([{secret: token, start: 6, providerId: id, suggestedName: format.envName}]);
      const inDefault = detectSecrets('${MY_VAR:-' + token + '}', env('OTHER'));
      expect(inDefault).toMatchObject([{secret: token, start: 10, providerId: id, suggestedName: 'MY_VAR', reference: {start: 0, name: 'MY_VAR'}}]);
    });
  }

  it('does not match a token inside a longer run of token characters', () => {
    const token = TOKEN_MAKERS['github-pat']!(r);
    expect(detectSecrets('x' + token, {field: 'other'}).filter((d) => d.kind === 'provider-token')).toEqual([]);
    expect(detectSecrets(token + 'Q', {field: 'other'}).filter((d) => d.kind === 'provider-token')).toEqual([]);
  });

  it('has a generator for most formats and every format compiles and has an env name', () => {
    for (const f of PROVIDER_FORMATS) {
      expect(f.envName).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(() => new RegExp(f.pattern)).not.toThrow();
    }
    expect(Object.keys(TOKEN_MAKERS).length).toBeGreaterThanOrEqual(20);
  });
});

describe('structure: the exact substring that is the secret', () => {
  const secret = genericSecret(r);
  const password = humanPassword(r);
  const cases: Array<[string, string, DetectContext, {secret: string; kind: string; suggestedName: string}]> = [
    ['env value by its key', secret, env('ACME_API_KEY'), {secret, kind: 'named-credential', suggestedName: 'ACME_API_KEY'}],
    ['password env', password, env('DB_PASSWORD'), {secret: password, kind: 'named-credential', suggestedName: 'DB_PASSWORD'}],
    ['bearer header', `Bearer ${secret}`, {field: 'header', key: 'Authorization'}, {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['token scheme', `token ${secret}`, {field: 'header', key: 'Authorization'}, {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['raw authorization', secret, {field: 'header', key: 'authorization'}, {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['X-API-Key header', secret, {field: 'header', key: 'X-API-Key'}, {secret, kind: 'named-credential', suggestedName: 'API_KEY'}],
    ['flag then value', secret, {field: 'arg', prevArg: '--api-key'}, {secret, kind: 'named-credential', suggestedName: 'API_KEY'}],
    ['--flag=value', `--access-token=${secret}`, {field: 'arg'}, {secret, kind: 'named-credential', suggestedName: 'ACCESS_TOKEN'}],
    ['--header value', `Authorization: Bearer ${secret}`, {field: 'arg', prevArg: '--header'}, {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['--header=value', `--header=X-Api-Key:${secret}`, {field: 'arg'}, {secret, kind: 'named-credential', suggestedName: 'API_KEY'}],
    ['header text alone', `Authorization: Bearer ${secret}`, {field: 'arg'}, {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['docker -e', `ACME_TOKEN=${secret}`, {field: 'arg', prevArg: '-e'}, {secret, kind: 'named-credential', suggestedName: 'ACME_TOKEN'}],
    ['url password', `postgresql://app:${password}@db.example.com:5432/app`, env('DATABASE_URL'), {secret: password, kind: 'url-userinfo', suggestedName: 'POSTGRES_PASSWORD'}],
    ['weak url password', 'postgresql://user:pass@localhost/db', {field: 'arg'}, {secret: 'pass', kind: 'url-userinfo', suggestedName: 'POSTGRES_PASSWORD'}],
    ['url token user', `https://${secret}@git.example.com/repo.git`, {field: 'url'}, {secret, kind: 'url-userinfo', suggestedName: 'URL_TOKEN'}],
    ['url query', `https://mcp.example.com/sse?client=x&api_key=${secret}`, {field: 'url'}, {secret, kind: 'url-query', suggestedName: 'API_KEY'}],
    ['camelCase query', `https://mcp.example.com/mcp?acmeApiKey=${secret}`, {field: 'url'}, {secret, kind: 'url-query', suggestedName: 'ACME_API_KEY'}],
    ['key in the URL path', `https://mcp.zapier.com/api/mcp/s/${secret}/sse`, {field: 'url'}, {secret, kind: 'url-path', suggestedName: 'ZAPIER_URL_KEY'}],
    ['default of a reference', '${ACME_TOKEN:-' + secret + '}', env('ACME_TOKEN'), {secret, kind: 'named-credential', suggestedName: 'ACME_TOKEN'}],
    ['bearer default', 'Bearer ${ACME_TOKEN:-' + secret + '}', {field: 'header', key: 'Authorization'}, {secret, kind: 'authorization', suggestedName: 'ACME_TOKEN'}],
    ['JSON headers in env', `{"Authorization": "Bearer ${secret}", "Notion-Version": "2022-06-28"}`, env('OPENAPI_MCP_HEADERS'), {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['connection string', `Server=db;User Id=sa;Password=${password};`, env('MSSQL_CONNECTION'), {secret: password, kind: 'named-credential', suggestedName: 'PASSWORD'}],
    ['bearer kept under a neutral name', `Bearer ${secret}`, env('AUTH_HEADER'), {secret, kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
    ['--env=NAME=value', `--env=ACME_API_KEY=${secret}`, {field: 'arg'}, {secret, kind: 'named-credential', suggestedName: 'ACME_API_KEY'}],
    ['JSON config argument', `{"apiKey":"${secret}","region":"eu"}`, {field: 'arg', prevArg: '--config'}, {secret, kind: 'named-credential', suggestedName: 'API_KEY'}],
    ['basic auth', 'Basic ' + Buffer.from(`me:${password}`).toString('base64'), {field: 'header', key: 'Authorization'}, {secret: Buffer.from(`me:${password}`).toString('base64'), kind: 'authorization', suggestedName: 'AUTH_TOKEN'}],
  ];
  for (const [name, value, ctx, expected] of cases) {
    it(name, () => {
      const found = detectSecrets(value, ctx);
      expect(found).toHaveLength(1);
      const d = found[0]!;
      expect(d).toMatchObject(expected);
      expect(value.slice(d.start, d.end)).toBe(d.secret);
    });
  }

  it('reports the reference a default sits in', () => {
    const value = 'Bearer ${ACME_TOKEN:-' + secret + '}';
    const [d] = detectSecrets(value, {field: 'header', key: 'Authorization'});
    expect(d!.reference).toEqual({start: 7, end: value.length, name: 'ACME_TOKEN'});
  });

  it('entropy alone gives a low-confidence finding with no name to go by', () => {
    const [d] = detectSecrets(secret, env('ACME_SETTING'));
    expect(d).toMatchObject({kind: 'high-entropy', confidence: 'low', secret});
  });

  it('a name that says what else the value is silences entropy alone', () => {
    expect(detectSecrets(secret, env('OAUTH_CLIENT_ID'))).toEqual([]);
    expect(detectSecrets(secret, env('OPENAI_ORG'))).toEqual([]);
  });

  it('finds a PEM private key, a session cookie and an AWS secret access key', () => {
    const pem = ['-----BEGIN ', 'PRIVATE KEY-----\n'].join('') + randomString(r, 64) + '\n' + randomString(r, 40) + ['\n-----END ', 'PRIVATE KEY-----'].join('');
    expect(detectSecrets(pem, env('GOOGLE_PRIVATE_KEY'))).toMatchObject([{secret: pem, providerId: 'private-key', suggestedName: 'GOOGLE_PRIVATE_KEY'}]);
    const cookie = detectSecrets(`theme=dark; session=${secret}`, {field: 'header', key: 'Cookie'});
    expect(cookie).toMatchObject([{secret, kind: 'named-credential', suggestedName: 'SESSION'}]);
    const aws = randomString(r, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
    expect(detectSecrets(aws, env('AWS_SECRET_ACCESS_KEY'))).toMatchObject([{secret: aws, confidence: 'high'}]);
  });

  it('finds several secrets in one value', () => {
    const value = `https://u:${password}@h.example.com/x?token=${secret}`;
    expect(detectSecrets(value, {field: 'url'}).map((d) => d.secret)).toEqual([password, secret]);
  });
});

describe('silence: references, placeholders and ordinary values', () => {
  const silent: Array<[string, DetectContext]> = [];
  for (const ref of referenceDecoys('GITHUB_TOKEN')) {
    silent.push([ref, env('GITHUB_TOKEN')], [`Bearer ${ref}`, {field: 'header', key: 'Authorization'}], [ref, {field: 'arg', prevArg: '--token'}]);
  }
  for (const p of placeholderDecoys(r)) {
    silent.push([p, env('OPENAI_API_KEY')], [`Bearer ${p}`, {field: 'header', key: 'Authorization'}], [p, {field: 'arg', prevArg: '--api-key'}]);
  }
  for (const {key, value} of ordinaryDecoys(r)) silent.push([value, env(key)]);
  silent.push(
    ['Authorization:${AUTH_HEADER}', {field: 'arg', prevArg: '--header'}],
    ['Authorization: Bearer ${env:TOKEN}', {field: 'arg', prevArg: '--header'}],
    ['https://mcp.example.com/sse?api_key=${API_KEY}', {field: 'url'}],
    ['https://user:${DB_PASSWORD}@db.example.com/app', {field: 'url'}],
    ['postgresql://localhost:5432/app', {field: 'arg'}],
    ['https://server.smithery.ai:443/@acme/server/mcp', {field: 'url'}],
    ['https://server.smithery.ai/@acme/server/mcp?profile=work', {field: 'url'}],
    [`https://mcp.composio.dev/composio/server/${[8, 4, 4, 4, 12].map((n) => randomString(r, n, '0123456789abcdef')).join('-')}/mcp`, {field: 'url'}],
    [`https://raw.githubusercontent.com/acme/tools/${randomString(r, 40, '0123456789abcdef')}/mcp.json`, {field: 'url'}],
    ['https://mcp.example.com/v1/projects/my-very-long-project-name-for-testing-2025/mcp', {field: 'url'}],
    ['https://mcp.example.com/${MCP_KEY}/sse', {field: 'url'}],
    [`https://www.notion.so/Team-Wiki-${randomString(r, 32, '0123456789abcdef')}`, {field: 'url'}],
    ['@modelcontextprotocol/server-github', {field: 'arg', prevArg: '-y'}],
    ['mcp-remote@0.1.29', {field: 'arg'}],
    ['--api-key', {field: 'arg'}],
    ['-y', {field: 'arg'}],
    ['2022-06-28', {field: 'header', key: 'Notion-Version'}],
    ['application/json', {field: 'header', key: 'Accept'}],
    ['${GITHUB_TOKEN:-}', env('GITHUB_TOKEN')],
    ['${GITHUB_TOKEN:-${GH_TOKEN}}', env('GITHUB_TOKEN')],
    ['${TOKEN:-your_token_here}', env('TOKEN')],
    ['$${NOT_A_SECRET}', env('X')],
    ['op://Private/GitHub/token', env('GITHUB_TOKEN')],
    ['%GITHUB_TOKEN%', env('GITHUB_TOKEN')],
    ['{{ GITHUB_TOKEN }}', env('GITHUB_TOKEN')],
    ['true', env('API_KEY')],
    ['development', env('AUTH_TOKEN')],
    ['us-east-1', env('AWS_SECRET_ACCESS_KEY')],
    ['npx', {field: 'other'}],
    ['C:\\Users\\dev\\secrets\\token.txt', env('TOKEN')],
    ['~/.config/acme/credentials.json', env('ACME_CREDENTIALS')],
  );
  for (const [value, ctx] of silent) {
    it(`${JSON.stringify(value)} (${ctx.field}${ctx.key ? ' ' + ctx.key : ''}${ctx.prevArg ? ' after ' + ctx.prevArg : ''})`, () => {
      expect(detectSecrets(value, ctx)).toEqual([]);
    });
  }

  it('never flags random-looking ids under neutral names in many draws', () => {
    const rr = seededRng(7);
    for (let i = 0; i < 50; i++) {
      for (const {key, value} of ordinaryDecoys(rr)) expect(detectSecrets(value, env(key)), `${key}=${value}`).toEqual([]);
    }
  });
});

describe('helpers', () => {
  it('isReference', () => {
    for (const v of ['${X}', ' ${env:X} ', '${input:x}', '${{ secrets.X }}', '$X', '${X:-default}', '%X%']) expect(isReference(v), v).toBe(true);
    for (const v of ['x', 'Bearer ${X}', '${X}${Y}', '', 'a$X', '$lower']) expect(isReference(v), v).toBe(false);
  });

  it('isPlaceholder', () => {
    for (const v of placeholderDecoys(r)) expect(isPlaceholder(v), v).toBe(true);
    for (let i = 0; i < 300; i++) {
      const s = randomString(r, 40);
      expect(isPlaceholder(s), s).toBe(false);
    }
    expect(isPlaceholder(humanPassword(r))).toBe(false);
  });

  it('shannonEntropy', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('ab')).toBe(1);
    expect(shannonEntropy(randomString(r, 64))).toBeGreaterThan(4.5);
  });

  it('toEnvName', () => {
    expect(toEnvName('--api-key')).toBe('API_KEY');
    expect(toEnvName('X-API-Key')).toBe('API_KEY');
    expect(toEnvName('tavilyApiKey')).toBe('TAVILY_API_KEY');
    expect(toEnvName('access_token')).toBe('ACCESS_TOKEN');
  });

  it('is fast, with no catastrophic backtracking on hostile input', () => {
    // Typically ~300 ms on an idle machine. The bound is loose on purpose (CI machines share
    // cores); catastrophic backtracking on the hostile inputs would take minutes, not seconds.
    const values = Array.from({length: 10_000}, (_, i) => (i % 3 === 0 ? genericSecret(r) : i % 3 === 1 ? 'https://mcp.example.com/sse?x=1' : '@scope/pkg@1.2.3'));
    const hostile = ['a'.repeat(20_000), 'sk-'.repeat(5000), '${'.repeat(5000), 'https://' + 'a:'.repeat(5000) + '@', '-'.repeat(20_000), 'eyJ' + 'a.'.repeat(5000), 'xoxb-' + '1-'.repeat(5000)];
    const t0 = performance.now();
    for (const v of values) detectSecrets(v, env('SOME_KEY'));
    for (const v of hostile) for (const field of ['env', 'arg', 'url', 'header'] as const) detectSecrets(v, {field, key: 'API_KEY', prevArg: '--header'});
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});
