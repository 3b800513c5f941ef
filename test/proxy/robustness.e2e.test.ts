/**
 * `mcpx serve` under bad conditions, end to end over stdio: upstreams that crash, hang, print
 * garbage, exit at start or are slow; bad tool names and arguments; unresolved references;
 * minimal child environments; and no orphaned processes after the client leaves.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FIXTURE, type Proxy, alive, call, ensureBuilt, startProxy, tempHome, text, waitFor, writeConfig} from './helpers.js';

const node = process.execPath;
const fixture = (...args: string[]) => ({command: node, args: [FIXTURE, ...args]});
const secret = 'sv' + randomBytes(16).toString('hex');
const parentOnly = 'po' + randomBytes(8).toString('hex');

let home: string;
let proxy: Proxy;

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  const cfg = writeConfig(home, {
    good: {...fixture(), env: {FROM_PARENT: '${MCPX_TEST_SECRET}', WITH_DEFAULT: '${MCPX_TEST_UNSET:-dflt}', LITERAL: '$${NOT_A_REF}'}},
    other: fixture('--name', 'other'),
    garbage: fixture('--garbage'),
    onlygarbage: {...fixture('--only-garbage'), startupTimeout: 3000},
    silent: {...fixture('--never-answers'), startupTimeout: 3000},
    dead: fixture('--exit-at-start'),
    missing: {command: 'mcpx-no-such-command-xyz'},
    unresolved: {...fixture(), env: {TOKEN: '${MCPX_TEST_NOT_SET_ANYWHERE}'}},
    quick: {...fixture('--name', 'quick'), timeout: 400},
    off: {...fixture(), enabled: false},
    invalid: {command: 'node', args: 'oops'},
  });
  proxy = await startProxy(cfg, home, {MCPX_TEST_SECRET: secret, MCPX_TEST_PARENT_ONLY: parentOnly, LANG: 'C.UTF-8'}, ['--log-level', 'debug']);
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  fs.rmSync(home, {recursive: true, force: true});
});

const exec = (name: string, args: unknown = {}, options = {}) => call(proxy.client, 'execute_tool', {name, arguments: args}, options);

describe('bad input gives clear tool errors', () => {
  it.each([
    ['unknown server', 'nope__echo', {}, /Unknown tool 'nope__echo'\. There is no server 'nope'/],
    ['unknown tool with suggestion', 'good__ech', {}, /Unknown tool 'good__ech'.*Did you mean 'good__echo'/],
    ['missing argument', 'good__echo', {}, /missing required argument 'text'.*Expected: good__echo\(text: string\)/s],
    ['wrong type', 'good__add', {a: 'one', b: 2}, /'a' must be number/],
    ['unknown argument', 'good__echo', {text: 'x', extra: 1}, /unknown argument 'extra'/],
    ['arguments not an object', 'good__echo', [1, 2], /'arguments' must be an object, got an array/],
    ['arguments a non-JSON string', 'good__echo', 'text=hi', /not JSON/],
    ['disabled server', 'off__echo', {text: 'x'}, /Unknown tool 'off__echo'/],
    ['invalid server entry', 'invalid__echo', {text: 'x'}, /server 'invalid': field 'args': must be array/],
    ['exits at start', 'dead__echo', {text: 'x'}, /server 'dead' exited during start \(exit code 3\).*refusing to start/],
    ['command not found', 'missing__echo', {text: 'x'}, /server 'missing' failed to start: command not found: mcpx-no-such-command-xyz/],
    ['never answers', 'silent__echo', {text: 'x'}, /server 'silent' did not answer initialize within 3000 ms/],
    ['only garbage on stdout', 'onlygarbage__echo', {text: 'x'}, /server 'onlygarbage' did not answer initialize.*non-protocol output on stdout: "Welcome to fixture!/],
    [
      'unresolved reference',
      'unresolved__echo',
      {text: 'x'},
      /server 'unresolved', field 'env\.TOKEN': \$\{MCPX_TEST_NOT_SET_ANYWHERE\} is not set \(not in the environment; keychain unavailable/,
    ],
  ])('%s', async (_label, name, args, expected) => {
    const r = await exec(name, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(expected);
  });

  it('accepts double-encoded JSON arguments', async () => {
    expect(text(await exec('good__echo', JSON.stringify({text: 'once'})))).toBe('once');
    expect(text(await exec('good__echo', JSON.stringify(JSON.stringify({text: 'twice'}))))).toBe('twice');
  });

  it('unknown meta-tool and missing fields', async () => {
    expect(text(await call(proxy.client, 'nope', {}))).toMatch(/Unknown tool 'nope'.*search_tools/);
    expect(text(await call(proxy.client, 'search_tools', {}))).toMatch(/needs 'query'/);
    expect(text(await call(proxy.client, 'describe_tool', {name: 'good__nope'}))).toMatch(/Unknown tool/);
  });

  it('keeps serving after all of that; list_servers shows states and last errors', async () => {
    expect(text(await exec('other__echo', {text: 'still here'}))).toBe('still here');
    const r = await call(proxy.client, 'list_servers', {});
    const servers = (r.structuredContent as {servers: Array<{name: string; state: string; lastError?: string; tools: number | null}>}).servers;
    const byName = Object.fromEntries(servers.map((s) => [s.name, s]));
    expect(byName.good!.state).toBe('ready');
    expect(byName.good!.tools).toBe(9);
    expect(byName.dead!.lastError).toMatch(/exited during start/);
    expect(byName.invalid!.state).toBe('failed');
    expect(byName.off!.state).toBe('disabled');
  });
});

describe('upstream behaviour', () => {
  it('tolerates non-protocol lines on stdout from a working server', async () => {
    expect(text(await exec('garbage__echo', {text: 'through the noise'}))).toBe('through the noise');
  });

  it('gives children a minimal environment plus their resolved env', async () => {
    const r = await exec('good__env');
    const env = (r.structuredContent as {env: Record<string, string>}).env;
    expect(env.FROM_PARENT).toBe(secret);
    expect(env.WITH_DEFAULT).toBe('dflt');
    expect(env.LITERAL).toBe('${NOT_A_REF}');
    expect(env.LANG).toBe('C.UTF-8');
    expect(env.PATH).toBeTruthy();
    expect(env.MCPX_TEST_PARENT_ONLY).toBeUndefined();
    expect(env.MCPX_TEST_SECRET).toBeUndefined();
    expect(env.MCPX_HOME).toBeUndefined();
  });

  it('restarts a crashed server on the next call, others unaffected', async () => {
    const before = (await call(proxy.client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; pid?: number}>};
    const pid = before.servers.find((s) => s.name === 'good')!.pid!;
    const crash = await exec('good__crash');
    expect(crash.isError).toBe(true);
    expect(text(crash)).toMatch(/server 'good' closed the connection \(exit code 7\).*crashing on purpose.*the next call restarts it/s);
    expect(text(await exec('good__echo', {text: 'back'}))).toBe('back');
    const after = (await call(proxy.client, 'list_servers', {})).structuredContent as {servers: Array<{name: string; pid?: number; restarts: number}>};
    const good = after.servers.find((s) => s.name === 'good')!;
    expect(good.pid).not.toBe(pid);
    expect(good.restarts).toBeGreaterThanOrEqual(1);
    expect(alive(pid)).toBe(false);
  });

  it('a slow call to one server does not hold up another; progress is forwarded', async () => {
    const progress: number[] = [];
    const started = Date.now();
    const slow = exec('good__slow', {ms: 1200}, {onprogress: (p: {progress: number}) => progress.push(p.progress), timeout: 10_000});
    const fast = await exec('other__echo', {text: 'quick'});
    const fastMs = Date.now() - started;
    expect(text(fast)).toBe('quick');
    expect(fastMs).toBeLessThan(900);
    expect(text(await slow)).toBe('slept 1200');
    // The SDK client may drop the last one when it arrives in the same read as the result.
    expect(progress.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('enforces the per-call timeout', async () => {
    const r = await exec('quick__slow', {ms: 3000});
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/server 'quick': tool 'slow' timed out after 400 ms/);
    expect(text(await exec('quick__echo', {text: 'ok after timeout'}))).toBe('ok after timeout');
  });

  it('answers a call whose result is over the size limit at once with a clear tool error, and keeps the server', async () => {
    expect(text(await exec('other__echo', {text: 'up'}))).toBe('up');
    const started = Date.now();
    const r = await exec('other__big', {mb: 100, raw: true}, {timeout: 60_000});
    const ms = Date.now() - started;
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/server 'other': tool 'big' failed: .*result over 64 MB limit \(the server sent 100 MB\)/);
    // Not the call's 20 s timeout (that error would say "timed out"): reading 100 MB takes ~1-2 s idle, more on a loaded machine.
    expect(ms).toBeLessThan(19_000);
    expect(text(await exec('other__big', {mb: 0.001}))).toHaveLength(1049);
    expect(text(await exec('other__echo', {text: 'same server, still up'}))).toBe('same server, still up');
  }, 30_000);

  it('forwards cancellation', async () => {
    expect(text(await exec('other__echo', {text: 'running'}))).toBe('running');
    const controller = new AbortController();
    // Aborted on the first progress report: by then the upstream is surely inside the call.
    const pending = exec('other__slow', {ms: 8000}, {signal: controller.signal, onprogress: () => controller.abort()});
    await expect(pending).rejects.toThrow(/abort/i);
    // The upstream saw notifications/cancelled (its stderr reaches mcpx's debug log).
    expect(await waitFor(() => /\[other\] fixture: slow call cancelled/.test(proxy.stderr()), 5000)).toBe(true);
    expect(text(await exec('other__echo', {text: 'after cancel'}))).toBe('after cancel');
  });

  it('never logs resolved secret values', () => {
    expect(proxy.stderr()).not.toContain(secret);
    expect(proxy.stderr()).toMatch(/server 'good' ready/);
  });
});

describe('shutdown', () => {
  it('leaves no process behind when the client closes stdin', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'orphans-'));
    const p = await startProxy(writeConfig(dir, {a: fixture(), b: fixture('--name', 'b')}), home);
    const spawned = (await call(p.client, 'execute_tool', {name: 'a__spawn_child', arguments: {}})).structuredContent as {pid: number; ppid: number};
    await call(p.client, 'execute_tool', {name: 'b__echo', arguments: {text: 'x'}});
    const status = (await call(p.client, 'list_servers', {})).structuredContent as {servers: Array<{pid?: number}>};
    const pids = [...status.servers.map((s) => s.pid!), spawned.pid, p.pid];
    expect(pids.every((pid) => typeof pid === 'number' && alive(pid))).toBe(true);
    await p.close();
    expect(await waitFor(() => pids.every((pid) => !alive(pid)), 6000)).toBe(true);
  });

  it('ends every child on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'sigterm-'));
    const p = await startProxy(writeConfig(dir, {a: fixture()}), home);
    const spawned = (await call(p.client, 'execute_tool', {name: 'a__spawn_child', arguments: {}})).structuredContent as {pid: number; ppid: number};
    const pids = [spawned.pid, spawned.ppid, p.pid];
    process.kill(p.pid, 'SIGTERM');
    expect(await waitFor(() => pids.every((pid) => !alive(pid)), 6000)).toBe(true);
    await p.close().catch(() => undefined);
  });
});
