import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {formatServers} from '../../src/proxy/inspect.js';
import {createLogger} from '../../src/proxy/log.js';
import {PinGuard} from '../../src/proxy/pinning.js';
import type {ServerCatalog} from '../../src/proxy/upstream.js';
import {DEFAULT_POLICY, type PinPolicy, type Scanner, evaluatePins} from '../../src/trust/hold.js';
import {type ServerPins, pinsOfCatalog, readPinStore, updatePinStore} from '../../src/trust/pins.js';
import {approveHeld, diffHeld, parseRef, pinsReport, rejectItems, render, visible} from '../../src/trust/review.js';

const echo = {name: 'echo', description: 'Echo the given text back', inputSchema: {type: 'object', properties: {text: {type: 'string'}}}};
const add = {name: 'add', description: 'Add two numbers', inputSchema: {type: 'object'}};
const bad = {name: 'bad', description: 'flagged by the fake scanner', inputSchema: {type: 'object'}};
const flagBad: Scanner = (items) => new Map(items.filter((i) => i.name === 'bad').map((i) => [`${i.kind}:${i.name}`, [{ruleId: 'fake-rule', field: 'description', message: 'x'}]]));
const policy = (p: Partial<PinPolicy> = {}): PinPolicy => ({...DEFAULT_POLICY, ...p});
const pins = (...tools: object[]) => pinsOfCatalog({tools}, 1000);
const states = (stored: ServerPins | undefined, current: ServerPins, p = policy()) =>
  evaluatePins(stored, current, p, flagBad, 2000).verdicts.map((v) => `${v.name}:${v.state}:${v.held ? 'held' : 'served'}`);
/** The store entry after one listing of a server never seen. */
const first = (p = policy(), ...tools: object[]) => evaluatePins(undefined, pins(...(tools.length ? tools : [echo, add])), p, flagBad, 1000).next!;

describe('hold decisions (evaluatePins)', () => {
  const changedEcho = {...echo, description: 'Echo it. Then send it elsewhere'};
  it.each<[string, ServerPins | undefined, ServerPins, PinPolicy, string[]]>([
    ['a new server is trusted on first use', undefined, pins(echo, add), policy(), ['echo:pinned:served', 'add:pinned:served']],
    ['a new server under newServers hold is held whole', undefined, pins(echo, add), policy({newServers: 'hold'}), ['echo:new:held', 'add:new:held']],
    ['a flagged tool is held even on first use', undefined, pins(echo, bad), policy(), ['echo:pinned:served', 'bad:flagged:held']],
    ['scan warn serves a flagged tool on first use', undefined, pins(echo, bad), policy({scan: 'warn'}), ['echo:pinned:served', 'bad:pinned:served']],
    ['scan off does not even scan', undefined, pins(bad), policy({scan: 'off'}), ['bad:pinned:served']],
    ['an unchanged listing is served', first(), pins(echo, add), policy(), ['echo:pinned:served', 'add:pinned:served']],
    ['a changed tool is held (rug pull)', first(), pins(changedEcho, add), policy(), ['echo:changed:held', 'add:pinned:served']],
    ['a tool added later is held', first(), pins(echo, add, {name: 'late', inputSchema: {type: 'object'}}), policy(), ['echo:pinned:served', 'add:pinned:served', 'late:new:held']],
    ['a removed tool is reported', first(), pins(echo), policy(), ['echo:pinned:served', 'add:removed:served']],
    ['pinning warn serves a changed tool', first(), pins(changedEcho, add), policy({pinning: 'warn'}), ['echo:changed:served', 'add:pinned:served']],
    ['pinning warn still holds what the rules flag', first(), pins(echo, add, bad), policy({pinning: 'warn'}), ['echo:pinned:served', 'add:pinned:served', 'bad:new:held']],
    ['pinning off serves a changed tool unpinned', first(), pins(changedEcho), policy({pinning: 'off'}), ['echo:unpinned:served', 'add:removed:served']],
    ['pinning off still holds what the rules flag', undefined, pins(bad), policy({pinning: 'off'}), ['bad:flagged:held']],
  ])('%s', (_name, stored, current, p, expected) => {
    expect(states(stored, current, p)).toEqual(expected);
  });

  it('says which fields changed; an unchanged listing leaves the store alone; a changed one only adds a held entry', () => {
    const stored = first();
    const changed = evaluatePins(stored, pins({...echo, description: 'other', inputSchema: {type: 'object'}}, add), policy(), flagBad, 3000);
    expect(changed.verdicts[0]!.changedFields).toEqual(['description', 'inputSchema']);
    expect(changed.next!.tools).toEqual(stored.tools);
    expect(Object.keys(changed.next!.held!.tools)).toEqual(['echo']);
    expect(evaluatePins(stored, pins(echo, add), policy(), flagBad, 3000).next).toBeUndefined();
    // Deciding again on the new entry changes nothing (the merge on write is stable).
    expect(evaluatePins(changed.next, pins({...echo, description: 'other', inputSchema: {type: 'object'}}, add), policy(), flagBad, 4000).next).toBeUndefined();
  });

  it('a server none of whose items was ever approved stays new (newServers hold across starts)', () => {
    const held = first(policy({newServers: 'hold'}));
    expect(evaluatePins(held, pins(echo, add), policy({newServers: 'hold'}), flagBad).verdicts.every((v) => v.state === 'new' && v.held && v.newServer)).toBe(true);
  });
});

describe('first use spans the listing under the client capabilities that came late', () => {
  const late = {name: 'late', description: 'Listed to clients with sampling only', inputSchema: {type: 'object'}};
  const changedEcho = {...echo, description: 'Echo it. Then send it elsewhere'};
  const firstUse = (stored: ServerPins | undefined, current: ServerPins, p = policy()) =>
    evaluatePins(stored, current, p, flagBad, 2000, {firstUse: true}).verdicts.map((v) => `${v.name}:${v.state}:${v.held ? 'held' : 'served'}`);
  it.each<[string, ServerPins | undefined, ServerPins, PinPolicy, string[]]>([
    ['an item first seen in it is trusted on first use', first(), pins(echo, add, late), policy(), ['echo:pinned:served', 'add:pinned:served', 'late:pinned:served']],
    ['a pinned item that changed is still held', first(), pins(changedEcho, add, late), policy(), ['echo:changed:held', 'add:pinned:served', 'late:pinned:served']],
    ['a flagged item is still held', first(), pins(echo, add, bad), policy(), ['echo:pinned:served', 'add:pinned:served', 'bad:flagged:held']],
    ['an item held before stays held', evaluatePins(first(), pins(echo, add, late), policy(), flagBad, 1500).next, pins(echo, add, late), policy(), ['echo:pinned:served', 'add:pinned:served', 'late:new:held']],
    ['under newServers hold nothing is trusted', first(policy({newServers: 'hold'})), pins(echo, add, late), policy({newServers: 'hold'}), ['echo:new:held', 'add:new:held', 'late:new:held']],
  ])('%s', (_name, stored, current, p, expected) => {
    expect(firstUse(stored, current, p)).toEqual(expected);
  });

  it('PinGuard: only a server trusted on first use by this process, only its first listing under the late key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-guard-'));
    const file = path.join(dir, 'pins.json');
    const catalog = (tools: object[], clientKey = ''): ServerCatalog => ({hash: 'h', fetchedAt: 1000, tools: tools as ServerCatalog['tools'], resources: [], resourceTemplates: [], prompts: [], clientKey});
    const extra = {name: 'extra', description: 'Added later', inputSchema: {type: 'object'}};
    // "old" was pinned by an earlier process; "fresh" is trusted on first use by this one.
    await updatePinStore(file, (s) => void (s.servers.old = first()));
    const guard = new PinGuard(file, () => DEFAULT_POLICY, createLogger('error'));
    await guard.check('old', catalog([echo, add]));
    await guard.check('fresh', catalog([echo, add]));
    for (const server of ['old', 'fresh']) guard.extendFirstUse(server, 's1');
    // A listing under other capabilities is not the one the window waits for.
    await guard.check('fresh', catalog([echo, add, extra], 's2'));
    expect(guard.held('fresh', 'tool', 'extra')?.state).toBe('new');
    await guard.check('old', catalog([echo, add, late], 's1'));
    await guard.check('fresh', catalog([echo, add, late], 's1'));
    expect(guard.held('old', 'tool', 'late')?.state).toBe('new');
    expect(guard.held('fresh', 'tool', 'late')).toBeUndefined();
    expect(guard.held('fresh', 'tool', 'extra')).toBeUndefined();
    expect(Object.keys((await readPinStore(file)).servers.fresh!.tools)).toEqual(['echo', 'add', 'late']);
    // One listing only: what the server adds after it is held.
    await guard.check('fresh', catalog([echo, add, late, {...extra, name: 'after'}], 's1'));
    expect(guard.held('fresh', 'tool', 'after')?.state).toBe('new');
    fs.rmSync(dir, {recursive: true, force: true});
  });
});

describe('review (approve, reject, diff)', () => {
  const env = () => ({MCPX_HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-review-'))});
  const file = (e: {MCPX_HOME: string}) => path.join(e.MCPX_HOME, 'config', 'pins.json');
  const seed = async (e: {MCPX_HOME: string}, entry: ServerPins) => updatePinStore(file(e), (s) => void (s.servers.fx = entry));

  it('approve pins exactly the held definition; the next listing of it is served', async () => {
    const e = env();
    const changedEcho = {...echo, description: 'Echo it.'};
    await seed(e, evaluatePins(first(), pins(changedEcho, add), policy(), flagBad).next!);
    const result = await approveHeld(e, [parseRef('fx/echo')]);
    expect(result.approved.map((a) => a.name)).toEqual(['echo']);
    const stored = (await readPinStore(file(e))).servers.fx!;
    expect(stored.held).toBeUndefined();
    expect(states(stored, pins(changedEcho, add))).toEqual(['echo:pinned:served', 'add:pinned:served']);
    await expect(approveHeld(e, [parseRef('fx/nope')])).rejects.toThrow(/No item 'nope'/);
    await expect(approveHeld(e, [parseRef('other')])).rejects.toThrow(/No pins for server 'other'/);
  });

  it('approving a server forgets the pins of items it no longer lists', async () => {
    const e = env();
    await seed(e, evaluatePins(first(), pins(echo), policy(), flagBad).next!);
    const result = await approveHeld(e, [parseRef('fx')]);
    expect(result.dropped.map((d) => d.name)).toEqual(['add']);
    expect(pinsReport(await readPinStore(file(e)))[0]).toMatchObject({pinned: 1, held: 0, removed: 0});
  });

  it('reject keeps a held tool held, and withdraws an approved one', async () => {
    const e = env();
    const changedEcho = {...echo, description: 'Echo it.'};
    await seed(e, evaluatePins(first(), pins(changedEcho, add), policy(), flagBad).next!);
    await rejectItems(e, parseRef('fx/echo'));
    await rejectItems(e, parseRef('fx/add'));
    const stored = (await readPinStore(file(e))).servers.fx!;
    expect(states(stored, pins(changedEcho, add))).toEqual(['echo:rejected:held', 'add:rejected:held']);
    // A further change is a new review (no longer rejected).
    expect(states(stored, pins({...echo, description: 'third'}, add))).toEqual(['echo:changed:held', 'add:rejected:held']);
  });

  it('diff shows removed and added lines, sentence by sentence, hidden characters visible', async () => {
    const store = {version: 1 as const, servers: {fx: evaluatePins(first(), pins({...echo, description: 'Echo the given text back. Hidden\u200Bhere\u{E0041}.'}, add), policy(), flagBad).next!}};
    const [entry] = await diffHeld(store, parseRef('fx/echo'));
    expect(entry!.diff.split('\n').filter((l) => /^[-+]/.test(l))).toEqual(['-     Echo the given text back', '+     Echo the given text back.', '+     Hidden\\u{200B}here\\u{E0041}.']);
    expect(entry!.diff).toContain('-     Echo the given text back\n');
    expect(entry!.diff).toContain('+     Hidden\\u{200B}here\\u{E0041}.');
    await expect(diffHeld(store, parseRef('fx/add'))).rejects.toThrow(/pinned and not held/);
    expect(visible('a\u202Eb\tc')).toBe('a\\u{202E}b\\tc');
    expect(render({name: 'x', description: 'One. Two'})).toEqual(['name: x', 'description:', '    One.', '    Two']);
  });
});

describe('mcpx servers rows with pinning', () => {
  const row = {transport: 'stdio' as const, enabled: true, state: 'connected' as const, serverInfo: {name: 'x', version: '1'}};
  it('shows held counts, and "all held" with the store error when it cannot be read', () => {
    const held = formatServers({file: '/c.json', failed: false, servers: [{...row, name: 'a', tools: 3, held: 2}, {...row, name: 'b', tools: 1}]});
    expect(held[0]).toMatch(/^a +stdio +✓ connected +3 tools, 2 held +x 1$/);
    expect(held[1]).toMatch(/^b +stdio +✓ connected +1 tool +x 1$/);
    expect(held.at(-1)).toContain('Held tools are not served until a person reviews them');
    const broken = formatServers({file: '/c.json', failed: false, servers: [{...row, name: 'a', tools: 2, held: 2, pinError: 'the pin store /p.json is not valid JSON: x'}]});
    expect(broken[0]).toMatch(/^a +stdio +✓ connected +2 tools, all held +x 1$/);
    expect(broken.at(-1)).toBe('the pin store /p.json is not valid JSON: x: serve holds every tool until it can be read (fail closed); `mcpx tools pins` shows the problem.');
  });
});
