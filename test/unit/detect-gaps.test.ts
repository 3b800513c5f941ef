/**
 * Issue 13 detection gaps, as tables: each new shape with a value that must be found (and the
 * exact substring found) beside decoys of the same shape that must stay silent. Token-shaped
 * values are drawn at run time.
 */
import {describe, expect, it} from 'vitest';
import {type DetectContext, detectSecrets, isPlaceholder} from '../../src/secrets/detect.js';
import {BASE62, TOKEN_MAKERS, randomString, seededRng} from '../helpers/tokens.js';

const r = seededRng(13013);
const env = (key: string): DetectContext => ({field: 'env', key});

describe('connection strings whose password holds unencoded characters', () => {
  const table: [string, string][] = [
    ['postgresql://user:Ab3#x*Yz@db.example.com/app', 'Ab3#x*Yz'],
    ['postgresql://user:p@ss#w0rd!@db.example.com:5432/app?sslmode=require', 'p@ss#w0rd!'],
    ['mysql://root:Q?w#9e@127.0.0.1:3306/shop', 'Q?w#9e'],
    ['redis://default:Zk#4@v9m@cache.internal:6379', 'Zk#4@v9m'],
  ];
  for (const [url, secret] of table) {
    it(url, () => {
      const found = detectSecrets(url, env('DATABASE_URL'));
      expect(found.map((d) => [d.secret, d.kind, d.start])).toEqual([[secret, 'url-userinfo', url.indexOf(secret)]]);
    });
  }
  const silent = ['postgresql://user@db.example.com/app', 'https://host:8080/@org/server', 'https://example.com/a?to=foo@bar.com', 'postgresql://db.example.com/app#frag@x', 'postgresql://${DB_USER}:${DB_PASS}@db.example.com/app'];
  for (const url of silent) it(`silent: ${url}`, () => expect(detectSecrets(url, env('DATABASE_URL'))).toEqual([]));
});

describe('new provider formats', () => {
  for (const id of ['neon-api-key', 'google-vertex-express-key', 'openrouter-api-key']) {
    it(`${id} is found with its provider id`, () => {
      const token = TOKEN_MAKERS[id]!(r);
      expect(detectSecrets(token, env('SOME_VALUE'))).toMatchObject([{secret: token, kind: 'provider-token', providerId: id}]);
      // As a bare positional argument, with no flag before it.
      expect(detectSecrets(token, {field: 'arg'})).toMatchObject([{secret: token, providerId: id}]);
    });
  }
  it('stays silent on the placeholders of those formats and on near misses', () => {
    for (const v of ['napi_TU_NUEVA_API_KEY_AQUI', 'napi_xxxxxxxx', 'AQ.Ab...', 'sk-or-v1-...', 'napi_' + randomString(r, 20, 'abcdefghijklmnopqrstuvwxyz0123456789')]) {
      expect(detectSecrets(v, {field: 'arg'}).filter((d) => d.kind === 'provider-token'), v).toEqual([]);
    }
  });
});

describe('placeholders in other languages, by shape', () => {
  // The last two: keychain names as mcpx gives them (`mcpx run --env KEY=NAME` holds them in args).
  const placeholders = ['TU_TOKEN_AQUI', 'VOTRE_CLE_ICI', 'DEIN_API_KEY', 'SEU_TOKEN', 'IHR-SCHLUESSEL', '<token>', '<tu_clave>', '…', 'xxxx', 'sk-…', 'GITHUB_PERSONAL_ACCESS_TOKEN_GH2', 'OPENAI_API_KEY_2'];
  for (const p of placeholders) {
    it(`${p} under API_TOKEN is silent`, () => {
      expect(isPlaceholder(p)).toBe(true);
      expect(detectSecrets(p, env('API_TOKEN'))).toEqual([]);
      expect(detectSecrets(p, {field: 'arg', prevArg: '--api-key'})).toEqual([]);
    });
  }
  it('a credential that mixes case or digits is still found', () => {
    for (const v of ['TU8TOKEN_AQ9UI', 'Hunter2_Secret', 'K7_QWERTZ9X', randomString(r, 24, BASE62)]) {
      expect(detectSecrets(v, env('API_TOKEN')).map((d) => d.secret), v).toEqual([v]);
    }
  });
});

describe('session cookies in env values', () => {
  it('finds each credential pair of a *_COOKIE value', () => {
    const a = randomString(r, 32, BASE62);
    const b = randomString(r, 40, BASE62);
    const v = `sessionid=${a}; theme=dark; csrftoken=${b}`;
    expect(detectSecrets(v, env('SITE_COOKIE')).map((d) => [d.secret, d.start])).toEqual([
      [a, v.indexOf(a)],
      [b, v.indexOf(b)],
    ]);
  });
  it('is silent on a cookie value without credentials', () => {
    expect(detectSecrets('theme=dark; lang=en', env('SITE_COOKIE'))).toEqual([]);
  });
});

describe('--api-key=VALUE flags', () => {
  it('finds the value after = and after the flag', () => {
    const v = randomString(r, 32, BASE62);
    expect(detectSecrets(`--api-key=${v}`, {field: 'arg'})).toMatchObject([{secret: v, start: 10}]);
    expect(detectSecrets(v, {field: 'arg', prevArg: '--api-key'})).toMatchObject([{secret: v, start: 0}]);
    expect(detectSecrets('--api-key=TU_CLAVE_AQUI', {field: 'arg'})).toEqual([]);
  });
});

describe('base64 secrets that start with a slash are not paths', () => {
  it('finds an AWS secret access key that happens to look like /a/b/c', () => {
    const v = '/' + randomString(r, 6, BASE62) + '/' + randomString(r, 7, BASE62) + '/' + randomString(r, 24, BASE62);
    expect(detectSecrets(v, env('AWS_SECRET_ACCESS_KEY')).map((d) => d.secret)).toEqual([v]);
  });
  it('a real path under a credential name stays silent', () => {
    for (const p of ['/Users/Me/Keys/token.txt', '/run/secrets/api', '~/.config/app/credentials', '/opt/App/2024/key']) expect(detectSecrets(p, env('API_TOKEN')), p).toEqual([]);
  });
});
