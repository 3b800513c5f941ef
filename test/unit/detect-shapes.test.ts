/**
 * Issue 13, second round: placeholders recognised by shape in many languages (and real-shaped
 * tokens that must still be found), wallet seed phrases and hex keys, Smithery keys, and
 * `--flag value` pairs written inside one string. Token-shaped values are drawn at run time.
 */
import {describe, expect, it} from 'vitest';
import {type DetectContext, detectSecrets, isPlaceholder} from '../../src/secrets/detect.js';
import {BASE62, HEX, LOWER, TOKEN_MAKERS, UPPER, DIGITS, URLSAFE, randomString, seededRng} from '../helpers/tokens.js';

const r = seededRng(13113);
const env = (key: string): DetectContext => ({field: 'env', key});
const uuid = () => `${randomString(r, 8, HEX)}-${randomString(r, 4, HEX)}-4${randomString(r, 3, HEX)}-a${randomString(r, 3, HEX)}-${randomString(r, 12, HEX)}`;

describe('placeholders in many languages, by shape', () => {
  const placeholders = [
    'TU_TOKEN_AQUI', 'tu_token_aqui', 'Tu_Clave_Aqui', 'TuClaveAqui', 'VOTRE_CLE_ICI', 'VOTRE_CLÉ_API', 'votre-cle-api', 'DEIN_API_KEY',
    'dein-api-schluessel', 'SEU_TOKEN', 'seu_token_aqui', 'MEU-TOKEN-DE-ACESSO', 'INSERISCI_LA_TUA_CHIAVE', 'TWOJ_KLUCZ_API', 'uw_api_sleutel',
    'din_nøkkel_her', 'SİZİN_ANAHTARINIZ', 'ВАШ_ТОКЕН', 'ваш_токен_здесь', '你的密钥', '請在這裡輸入你的API密鑰', 'あなたのAPIキー', 'مفتاح_API_الخاص_بك',
    '여기에_API_키_입력', 'OPENAI_API_KEY_2',
  ];
  for (const p of placeholders) {
    it(`${p} is silent`, () => {
      expect(isPlaceholder(p)).toBe(true);
      expect(detectSecrets(p, env('API_TOKEN'))).toEqual([]);
      expect(detectSecrets(p, {field: 'arg', prevArg: '--api-key'})).toEqual([]);
    });
  }
  const makers: Array<() => string> = [
    ...Object.values(TOKEN_MAKERS).map((m) => () => m(r)),
    () => randomString(r, 32, BASE62),
    () => randomString(r, 40, HEX),
    () => randomString(r, 24, UPPER + DIGITS),
    () => randomString(r, 36, URLSAFE),
    () => `${randomString(r, 5, UPPER + DIGITS)}-${randomString(r, 5, UPPER + DIGITS)}-${randomString(r, 5, UPPER + DIGITS)}-${randomString(r, 5, UPPER + DIGITS)}`,
    () => `${randomString(r, 12, LOWER + DIGITS)}_${randomString(r, 12, LOWER + DIGITS)}`,
  ];
  it(`${makers.length} real-shaped tokens are still found`, () => {
    expect(makers.length).toBeGreaterThanOrEqual(20);
    for (const make of makers) {
      const v = make();
      expect(isPlaceholder(v), v.slice(0, 6)).toBe(false);
      expect(detectSecrets(v, env('API_TOKEN')).map((d) => d.secret), v.slice(0, 6)).toEqual([v]);
    }
  });
});

describe('wallet seed phrases and hex keys', () => {
  const words = 'ladder gossip mango tiny orbit velvet frozen pilot asthma cradle unveil sponsor jungle hybrid oxygen panel rescue talent unfold wisdom yellow zebra absorb basket'.split(' ');
  it('finds a 12- or 24-word phrase under SEED_PHRASE, MNEMONIC and after --mnemonic', () => {
    const twelve = words.slice(0, 12).join(' ');
    for (const key of ['SEED_PHRASE', 'MNEMONIC', 'WALLET_MNEMONIC', 'RECOVERY_PHRASE']) expect(detectSecrets(twelve, env(key)).map((d) => d.reason), key).toEqual(['a wallet seed phrase']);
    expect(detectSecrets(words.join(' '), env('MNEMONIC')).map((d) => d.secret)).toEqual([words.join(' ')]);
    expect(detectSecrets(twelve, {field: 'arg', prevArg: '--mnemonic'}).map((d) => d.secret)).toEqual([twelve]);
  });
  it('finds 64-hex private keys under wallet-like names', () => {
    for (const key of ['SEED_PHRASE', 'DEPLOYER_PK', 'WALLET', 'PRIVATE_KEY', 'SIGNER_PRIVATE_KEY']) {
      const v = (key === 'WALLET' ? '' : '0x') + randomString(r, 64, HEX);
      expect(detectSecrets(v, env(key)).map((d) => d.secret), key).toEqual([v]);
    }
  });
  it('is silent on public test mnemonics, numbered word placeholders, digests and random seeds', () => {
    expect(detectSecrets(`${'abandon '.repeat(11)}about`, env('MNEMONIC'))).toEqual([]);
    expect(detectSecrets(Array.from({length: 12}, (_, i) => `word${i + 1}`).join(' '), env('MNEMONIC'))).toEqual([]);
    expect(detectSecrets('your twelve word seed phrase goes here', env('SEED_PHRASE'))).toEqual([]);
    expect(detectSecrets(randomString(r, 64, HEX), env('TX_HASH'))).toEqual([]);
    expect(detectSecrets('42', env('RANDOM_SEED'))).toEqual([]);
  });
});

describe('Smithery API keys (UUIDs, known by where they sit)', () => {
  it('under SMITHERY_API_KEY, in a smithery.ai URL, after --key of @smithery/cli', () => {
    const a = uuid();
    expect(detectSecrets(a, env('SMITHERY_API_KEY'))).toMatchObject([{secret: a, providerId: 'smithery-api-key'}]);
    const b = uuid();
    const url = `https://server.smithery.ai/@x/y/mcp?api_key=${b}&profile=dual-barnacle-C2qHG5`;
    expect(detectSecrets(url, {field: 'url'})).toMatchObject([{secret: b, providerId: 'smithery-api-key', start: url.indexOf(b)}]);
    const c = uuid();
    expect(detectSecrets(c, {field: 'arg', prevArg: '--key', service: 'smithery'})).toMatchObject([{secret: c, providerId: 'smithery-api-key', suggestedName: 'SMITHERY_API_KEY'}]);
  });
});

describe('--flag value pairs inside one string', () => {
  it('finds the value in a command line and in a single argument', () => {
    const v = randomString(r, 32, BASE62);
    for (const s of [`npx -y foo --api-key ${v}`, `npx -y foo --verbose --api-key=${v} --port 80`, `npx -y foo --api-key "${v}"`, `docker run -e API_KEY=${v} img`]) {
      expect(detectSecrets(s, {field: 'other'}).map((d) => [d.secret, d.start]), s).toEqual([[v, s.indexOf(v)]]);
    }
    expect(detectSecrets(`--token ${v}`, {field: 'arg'}).map((d) => d.secret)).toEqual([v]);
  });
  it('is silent on placeholders and harmless flags', () => {
    for (const s of ['--token YOUR_TOKEN', '--port 8080', 'npx -y foo --api-key ${API_KEY}', 'npx -y foo --verbose --name server']) expect(detectSecrets(s, {field: s.startsWith('npx') ? 'other' : 'arg'}), s).toEqual([]);
  });
});
