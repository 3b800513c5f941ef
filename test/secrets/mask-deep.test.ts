import {describe, expect, test} from 'vitest';
import {maskDeep, redact, redactQuoted} from '../../src/secrets/mask.js';

describe('maskDeep', () => {
  const secret = 'tok' + 'abcdefghijklmnop' + Math.random().toString(36).slice(2, 8);
  const mask = (t: string) => redact(t, [secret]);
  test('masks strings at every level, keys included, and leaves other values alone', () => {
    const out = maskDeep({a: `x ${secret}`, n: 3, b: [null, true, {[secret]: secret}]}, mask);
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out.n).toBe(3);
    expect(out.b[0]).toBeNull();
    expect(out.a.startsWith('x ')).toBe(true);
  });
  test('bounds depth', () => {
    let deep: unknown = secret;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(JSON.stringify(maskDeep(deep, mask, 10))).not.toContain(secret);
  });
});

describe('redactQuoted', () => {
  const secret = 'tok' + Math.random().toString(36).slice(2, 10) + 'abcdefgh/ijkl';
  test.each([
    ['plain', `"K": "${secret}"`],
    ['a unicode escape', `"K": "\\u0074${secret.slice(1)}"`],
    ['an escaped slash', `"K": "${secret.replace('/', '\\/')}"`],
    ['inside a longer value, in a diff line', `-  "K": "Bearer \\u0074${secret.slice(1)}",`],
  ])('masks a secret spelled %s', (_, text) => {
    const out = redactQuoted(text, [secret]);
    expect(out).not.toContain(secret.slice(1, -4));
    expect(out).toContain('"K": ');
  });
  test('leaves literals without a secret, and broken quoting, as they are', () => {
    expect(redactQuoted('"a\\u0041b" "x\\q"', [secret])).toBe('"a\\u0041b" "x\\q"');
  });
});
