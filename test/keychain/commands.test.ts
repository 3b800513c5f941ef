/**
 * The secrets service in-process, against the real keychain: the interactive path of `set`
 * (a TTY stdin with a scripted prompter, since tests have no terminal), piped-input rules, and
 * the list rendering with and without the usage column.
 */
import {Readable} from 'node:stream';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {UserError} from '../../src/errors.js';
import {getSecret, listSecrets, readPipedValue, removeSecret, renderSecretList, setSecret, type Prompter} from '../../src/secrets/commands.js';
import {secretAccount} from '../../src/secrets/names.js';
import {openKeychain, type KeychainStore} from '../../src/secrets/store.js';
import {keychainEnv, randomText, skipNote, uniqueService} from './helpers.js';

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

/** A terminal stand-in: `isTTY` selects the prompt path; reading it would be a bug. */
const tty = Object.assign(Readable.from([]), {isTTY: true});

/** Answers prompts from a script and records the questions. */
function scripted(answers: {password?: string | Error; confirm?: boolean}): Prompter & {asked: string[]} {
  const asked: string[] = [];
  return {
    asked,
    async password(message) {
      asked.push(message);
      if (answers.password instanceof Error) throw answers.password;
      return answers.password ?? '';
    },
    async confirm(message) {
      asked.push(message);
      return answers.confirm ?? false;
    },
  };
}

function promptExit(): Error {
  const error = new Error('User force closed the prompt');
  error.name = 'ExitPromptError';
  return error;
}

describe('readPipedValue', () => {
  test('drops exactly one trailing newline (LF or CRLF), keeps everything else', async () => {
    const read = (...chunks: string[]) => readPipedValue(Readable.from(chunks.map((c) => Buffer.from(c))));
    expect(await read('abc\n')).toBe('abc');
    expect(await read('abc\r\n')).toBe('abc');
    expect(await read('ab', 'c')).toBe('abc');
    expect(await read('a\nb\n\n')).toBe('a\nb\n');
    expect(await read('  spaced  ')).toBe('  spaced  ');
    expect(await read('')).toBe('');
    // A multi-byte character split across chunks is joined, not mangled.
    const key = Buffer.from('🔑');
    expect(await readPipedValue(Readable.from([key.subarray(0, 2), key.subarray(2)]))).toBe('🔑');
  });

  test('refuses more than 64 KiB and text that is not UTF-8', async () => {
    const big = await failure(readPipedValue(Readable.from([Buffer.alloc(64 * 1024 + 1, 0x61)])));
    expect(big.code).toBe('E_VALUE_TOO_LARGE');
    const binary = await failure(readPipedValue(Readable.from([Buffer.from([0x61, 0xff, 0xfe])])));
    expect(binary.code).toBe('E_VALUE_ENCODING');
  });
});

function nameError(name: string): UserError {
  try {
    secretAccount(name);
  } catch (error) {
    return error as UserError;
  }
  throw new Error(`${name} was accepted`);
}

describe('secret names', () => {
  test('env-var-like names map to env/<NAME>; others are refused, long ones shown masked', () => {
    expect(secretAccount('GITHUB_TOKEN')).toBe('env/GITHUB_TOKEN');
    expect(secretAccount('_x1')).toBe('env/_x1');
    const short = nameError('my-token');
    expect(short.code).toBe('E_SECRET_NAME');
    expect(short.message).toBe('"my-token" is not a valid secret name: it contains characters other than letters, digits and _.');
    expect(short.hint).toContain('e.g. MY_TOKEN');
    // A value pasted where the name goes is neither echoed nor turned into a suggestion.
    const pasted = `tok-${randomText(36)}`;
    const long = nameError(pasted);
    expect(long.message + long.hint).not.toContain(pasted.slice(4, 20));
    expect(long.message + long.hint).not.toContain(pasted.slice(4, 20).toUpperCase());
    expect(() => secretAccount('9LIVES')).toThrow(/starts with a digit/);
    expect(() => secretAccount('')).toThrow(/is empty/);
    expect(() => secretAccount('A'.repeat(129))).toThrow(/longer than 128/);
  });
});

describe('renderSecretList', () => {
  test('names only; a USED BY column once usage is known', () => {
    expect(renderSecretList({store: 'S', secrets: []})).toBe('No secrets stored in S.\nAdd one with: mcpx secrets set NAME');
    expect(renderSecretList({store: 'S', secrets: [{name: 'A'}, {name: 'LONGER_NAME'}]})).toBe('2 secrets in S:\n  A\n  LONGER_NAME');
    expect(renderSecretList({store: 'S', secrets: [{name: 'A', usedBy: ['~/.cursor/mcp.json: github', '.vscode/mcp.json: gh']}, {name: 'LONGER_NAME', usedBy: []}]})).toBe(
      ['2 secrets in S:', '  NAME         USED BY', '  A            ~/.cursor/mcp.json: github, .vscode/mcp.json: gh', '  LONGER_NAME  (unused)'].join('\n'),
    );
  });
});

describe.skipIf(!keychainEnv.available)(`secrets service against the real keychain${skipNote}`, () => {
  let store: KeychainStore;

  beforeAll(async () => {
    store = await openKeychain({service: uniqueService('svc')});
  });

  afterAll(async () => {
    for (const account of await store.list()) await store.delete(account);
  });

  test('interactive set: hidden prompt; an existing value is replaced only when confirmed', async () => {
    const value = randomText(30);
    const first = scripted({password: value});
    const stored = await setSecret({name: 'PROMPTED', store, stdin: tty, prompter: first});
    expect(stored).toEqual({name: 'PROMPTED', account: 'env/PROMPTED', store: store.description, replaced: false, reference: '${PROMPTED}'});
    expect(first.asked).toEqual(['Value for PROMPTED (input is hidden):']);
    expect(await store.get('env/PROMPTED')).toBe(value);

    const declined = scripted({confirm: false, password: 'never-asked'});
    const kept = await failure(setSecret({name: 'PROMPTED', store, stdin: tty, prompter: declined}));
    expect(kept.code).toBe('E_SECRET_EXISTS');
    expect(kept.exitCode).toBe(1);
    // Asked about replacing, and never for a value it would not store.
    expect(declined.asked).toEqual([`PROMPTED already exists in ${store.description}. Replace it?`]);
    expect(await store.get('env/PROMPTED')).toBe(value);

    const next = randomText(30);
    const confirmed = scripted({confirm: true, password: next});
    expect((await setSecret({name: 'PROMPTED', store, stdin: tty, prompter: confirmed})).replaced).toBe(true);
    expect(await store.get('env/PROMPTED')).toBe(next);

    // --force skips the question.
    const forced = scripted({password: value});
    await setSecret({name: 'PROMPTED', store, stdin: tty, prompter: forced, force: true});
    expect(forced.asked).toHaveLength(1);
    expect(await store.get('env/PROMPTED')).toBe(value);
  });

  test('interactive set: Ctrl-C or an empty answer stores nothing', async () => {
    const cancelled = await failure(setSecret({name: 'CANCELLED', store, stdin: tty, prompter: scripted({password: promptExit()})}));
    expect(cancelled.code).toBe('E_CANCELLED');
    expect(cancelled.exitCode).toBe(130);
    const empty = await failure(setSecret({name: 'CANCELLED', store, stdin: tty, prompter: scripted({password: ''})}));
    expect(empty.code).toBe('E_EMPTY_VALUE');
    expect(await store.get('env/CANCELLED')).toBeUndefined();
  });

  test('get, list with usage, rm; a missing name suggests close ones', async () => {
    await setSecret({name: 'GITHUB_TOKEN', store, stdin: Readable.from([Buffer.from('gh-value\n')])});
    await setSecret({name: 'UNUSED_ONE', store, stdin: Readable.from([Buffer.from('other')])});
    expect(await getSecret({name: 'GITHUB_TOKEN', store})).toEqual({name: 'GITHUB_TOKEN', value: 'gh-value'});

    const missing = await failure(getSecret({name: 'GITHUB_TOKN', store}));
    expect(missing.code).toBe('E_SECRET_NOT_FOUND');
    expect(missing.message).toContain('Did you mean GITHUB_TOKEN?');

    // Auth tokens share the keychain but are not user secrets.
    await store.set('oauth/abc/tokens', 'x'.repeat(10));
    const usage = async (names: string[]) => new Map(names.filter((n) => n === 'GITHUB_TOKEN').map((n) => [n, ['~/.cursor/mcp.json: github']]));
    const listed = await listSecrets({store, usage});
    expect(listed.secrets.filter((s) => s.name !== 'PROMPTED')).toEqual([
      {name: 'GITHUB_TOKEN', usedBy: ['~/.cursor/mcp.json: github']},
      {name: 'UNUSED_ONE', usedBy: []},
    ]);
    expect((await listSecrets({store})).secrets).toContainEqual({name: 'GITHUB_TOKEN'});

    expect(await removeSecret({name: 'GITHUB_TOKEN', store})).toEqual({name: 'GITHUB_TOKEN', store: store.description, removed: true});
    const gone = await failure(removeSecret({name: 'GITHUB_TOKEN', store}));
    expect(gone.code).toBe('E_SECRET_NOT_FOUND');
    // Nothing to remove: the next step is to look, not to store the name just removed.
    expect(gone.hint).toBe('See what is stored: mcpx secrets list');
    expect((await failure(getSecret({name: 'NEVER_SET', store}))).hint).toContain('mcpx secrets set NEVER_SET');
  });
});
