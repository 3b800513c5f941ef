import {randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {
  UnresolvedReferenceError,
  envSource,
  findReferences,
  lazySource,
  resolveReferences,
  resolveString,
  storeSource,
  type ReferenceSource,
} from '../../src/secrets/resolve.js';
import {MemoryStore} from '../../src/secrets/store-types.js';

const token = () => 'tok' + randomBytes(12).toString('hex');

describe('findReferences', () => {
  it.each([
    ['plain', []],
    ['${A}', [{variable: 'A', start: 0, end: 4}]],
    ['x${env:B_2}y', [{variable: 'B_2', start: 1, end: 11}]],
    ['${C:-d e}', [{variable: 'C', fallback: 'd e', start: 0, end: 9}]],
    ['${C:-}', [{variable: 'C', fallback: '', start: 0, end: 6}]],
    ['$${A}', []],
    ['$A ${', 'throws'],
    ['${input:tok}', 'throws'],
    ['${1A}', 'throws'],
  ] as const)('%s', (text, expected) => {
    if (expected === 'throws') expect(() => findReferences(text, 'args[0]', 's')).toThrow(UnresolvedReferenceError);
    else expect(findReferences(text)).toEqual(expected);
  });
});

describe('resolveString', () => {
  const env = envSource({HOME_DIR: '/h', EMPTY: '', TOKEN: 'env-value'});

  it.each([
    ['no refs', 'no refs'],
    ['${HOME_DIR}/x', '/h/x'],
    ['${env:HOME_DIR}', '/h'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['[${EMPTY}]', '[]'],
    ['$${HOME_DIR} and ${HOME_DIR}', '${HOME_DIR} and /h'],
    ['a $ b $$ c', 'a $ b $$ c'],
  ])('%s -> %s', async (text, expected) => {
    expect((await resolveString(text, [env], {field: 'f'})).value).toBe(expected);
  });

  it('tries sources in order and falls back to the store (account env/<NAME>)', async () => {
    const store = new MemoryStore();
    const secret = token();
    await store.set('env/ONLY_IN_STORE', secret);
    await store.set('env/TOKEN', 'store-value');
    const r = await resolveString('Bearer ${ONLY_IN_STORE} ${TOKEN}', [env, storeSource(store)], {field: 'headers.Authorization'});
    expect(r.value).toBe(`Bearer ${secret} env-value`);
    expect(r.references).toEqual([
      {variable: 'ONLY_IN_STORE', source: 'keychain'},
      {variable: 'TOKEN', source: 'environment'},
    ]);
    expect(r.secrets).toEqual([secret, 'env-value']);
  });

  it('fails closed with server, field and variable named, and the reason of an unavailable source', async () => {
    const broken = lazySource('keychain', async () => {
      throw new Error('no keychain here');
    });
    const err = await resolveString('x${NOPE}', [env, broken], {server: 'github', field: 'env.GITHUB_TOKEN'}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnresolvedReferenceError);
    const e = err as UnresolvedReferenceError;
    expect(e.message).toContain("server 'github'");
    expect(e.message).toContain("field 'env.GITHUB_TOKEN'");
    expect(e.message).toContain('${NOPE}');
    expect(e.message).toContain('not in the environment');
    expect(e.message).toContain('keychain unavailable: no keychain here');
    expect(e.variable).toBe('NOPE');
    // The hint leads to the keychain, never to a literal default that lint would flag as a secret.
    expect(e.hint).toContain('mcpx secrets set NOPE');
    expect(e.hint).not.toContain(':-');
  });

  it('opens a lazy source once and only when needed', async () => {
    let opened = 0;
    const lazy = lazySource('lazy', async () => {
      opened++;
      return {name: 'lazy', lookup: async (n) => (n === 'L' ? 'l' : undefined)} satisfies ReferenceSource;
    });
    await resolveString('${HOME_DIR}', [env, lazy], {field: 'f'});
    expect(opened).toBe(0);
    await resolveString('${L}${L}', [env, lazy], {field: 'f'});
    expect(opened).toBe(1);
  });
});

describe('lazySource retry', () => {
  it('reports the open failure, then opens again after the retry delay', async () => {
    let attempts = 0;
    const src = lazySource(
      'kc',
      async (retry) => {
        attempts++;
        if (!retry) throw new Error('locked');
        return {name: 'kc', lookup: async () => 'v'};
      },
      0,
    );
    await expect(src.lookup('X')).rejects.toThrow('locked');
    await new Promise((r) => setTimeout(r, 5));
    await expect(src.lookup('X')).resolves.toBe('v');
    await src.lookup('X');
    expect(attempts).toBe(2);
  });
});

describe('resolveReferences', () => {
  it('walks arrays and objects and names the failing path', async () => {
    const env = envSource({A: 'a'});
    const r = await resolveReferences({args: ['${A}', 'b'], env: {X: '${A}${A}'}}, [env], {server: 's', field: 'server'});
    expect(r.value).toEqual({args: ['a', 'b'], env: {X: 'aa'}});
    await expect(resolveReferences({args: ['ok', '${B}']}, [env], {server: 's', field: 'config'})).rejects.toThrow(/field 'config.args\[1\]'.*\$\{B\}/);
  });
});
