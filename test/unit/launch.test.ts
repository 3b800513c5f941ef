/**
 * `mcpx run`'s argv and references, in memory: `--env KEY[=NAME]` and `--arg N` bindings, the
 * `{{NAME}}` form the launchers write (no client expands it), and the unwrapped spec `mcpx import`
 * takes from a launcher line.
 */
import {describe, expect, it} from 'vitest';
import {fromLaunchReferences, parseRunArgv, resolveRun, toLaunchReferences, unwrapRun} from '../../src/secrets/launch.js';
import type {ReferenceSource} from '../../src/secrets/resolve.js';

const keychain = (values: Record<string, string>): ReferenceSource => ({name: 'keychain', lookup: async (n) => values[n]});

describe('parseRunArgv', () => {
  it.each([
    [['--', 'srv'], {envNames: [], argRefs: [], command: 'srv', args: []}],
    [['--server', 's', '--env', 'A', '--env=B=NAME_B', '--arg', '1', '--arg=0', '--', 'srv', 'x', 'y'], {envNames: ['A', 'B=NAME_B'], argRefs: [1, 0], server: 's', command: 'srv', args: ['x', 'y']}],
  ])('%j', (argv, spec) => {
    expect(parseRunArgv(argv)).toEqual({server: undefined, ...spec});
  });

  it.each([
    [['--arg', 'x', '--', 'srv', 'a'], /--arg takes the index of an argument/],
    [['--arg', '-1', '--', 'srv', 'a'], /--arg takes the index/],
    [['--arg', '1', '--', 'srv', 'a'], /--arg 1 names no argument: srv has 1 argument \(0 is the first\)/],
    [['--arg'], /--arg needs a value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseRunArgv(argv)).toThrow(message);
  });
});

describe('launch references', () => {
  it.each([
    ['${TOKEN}', '{{TOKEN}}'],
    ['Bearer ${TOKEN}', 'Bearer {{TOKEN}}'],
    ['https://h/?k=${K}&x=${X}', 'https://h/?k={{K}}&x={{X}}'],
    ['$${LITERAL}', '$${LITERAL}'],
    ['${env:VS}', '${env:VS}'],
    ['plain', 'plain'],
  ])('%s ⇄ %s', (dollar, braces) => {
    expect(toLaunchReferences(dollar)).toBe(braces);
    if (!dollar.includes('$$') && !dollar.includes(':')) expect(fromLaunchReferences(braces)).toBe(dollar);
  });
});

describe('resolveRun', () => {
  const sources = [keychain({TOKEN: 'tok-value', KEY: 'key-value', H: 'h-value'})];

  it('fills --arg arguments and --env values written {{NAME}}, and leaves other arguments as they are', async () => {
    const spec = parseRunArgv(['--env', 'AUTH', '--env', 'GH=TOKEN', '--arg', '1', '--', 'srv', '--key={{H}}', '--api-key={{KEY}}', '{{KEY}}']);
    const r = await resolveRun(spec, {AUTH: 'Bearer {{TOKEN}}', PATH: '/usr/bin'}, sources);
    expect(r.args).toEqual(['--key={{H}}', '--api-key=key-value', '{{KEY}}']);
    expect(r.env.AUTH).toBe('Bearer tok-value');
    expect(r.env.GH).toBe('tok-value');
    expect(r.secrets.sort()).toEqual(['key-value', 'tok-value', 'tok-value']);
  });

  it('still resolves ${NAME} in every argument (entries written before {{NAME}})', async () => {
    const r = await resolveRun(parseRunArgv(['--', 'srv', '--api-key', '${KEY}']), {}, sources);
    expect(r.args).toEqual(['--api-key', 'key-value']);
  });

  it('fails closed on a {{NAME}} no source knows', async () => {
    await expect(resolveRun(parseRunArgv(['--server', 's', '--arg', '0', '--', 'srv', '{{NOPE}}']), {}, sources)).rejects.toThrow(/NOPE/);
  });
});

describe('unwrapRun', () => {
  it('turns bindings into env references and {{NAME}} back into ${NAME}', () => {
    const spec = parseRunArgv(['--env', 'GH=TOKEN', '--env', 'SOLO', '--env', 'AUTH', '--arg', '1', '--', 'srv', '{{X}}', '--k={{KEY}}']);
    expect(unwrapRun(spec, {AUTH: 'Bearer {{TOKEN}}', OTHER: '{{LITERAL}}'})).toEqual({
      command: 'srv',
      args: ['{{X}}', '--k=${KEY}'],
      env: {AUTH: 'Bearer ${TOKEN}', OTHER: '{{LITERAL}}', GH: '${TOKEN}', SOLO: '${SOLO}'},
    });
  });
});
