/**
 * The audit log written by `mcpx serve`: the SDK's real Client drives the built proxy over the
 * fixture upstream; every call leaves one record with the right outcome, no planted secret
 * (resolved from ${VAR} into the upstream's env, or sent as an argument value) reaches any file
 * under mcpx's state folder, and `options.log.enabled: false` writes nothing.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {AuditRecord} from '../../src/logs/audit.js';
import {FIXTURE, alive, call, ensureBuilt, startProxy, tempHome, text, waitFor, writeConfig} from '../proxy/helpers.js';

const node = process.execPath;
const ALPHA = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const ghToken = () => 'ghp_' + Array.from(randomBytes(36), (b) => ALPHA[b % ALPHA.length]).join('');
let home: string;

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
});
afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];

const records = (logs: string): AuditRecord[] =>
  filesUnder(logs)
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);

describe('mcpx serve audit log', () => {
  it('records each call with its outcome and never a secret', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'on-'));
    const envSecret = 'es' + randomBytes(16).toString('hex');
    const argSecret = ghToken();
    const nameSecret = ghToken();
    const cfg = writeConfig(dir, {a: {command: node, args: [FIXTURE], env: {TOKEN: '${MCPX_AUDIT_SECRET}'}}});
    const proxy = await startProxy(cfg, dir, {MCPX_AUDIT_SECRET: envSecret});
    const ok = await call(proxy.client, 'execute_tool', {name: 'a__echo', arguments: {text: argSecret}});
    expect(text(ok)).toContain(argSecret);
    // The upstream really got the resolved secret (its result is not logged).
    expect(text(await call(proxy.client, 'execute_tool', {name: 'a__env', arguments: {}}))).toContain(envSecret);
    const unknown = await call(proxy.client, 'execute_tool', {name: 'a__nope', arguments: {[nameSecret]: argSecret}});
    expect(unknown.isError).toBe(true);
    const invalid = await call(proxy.client, 'execute_tool', {name: 'a__echo', arguments: {text: 5}});
    expect(invalid.isError).toBe(true);
    const failed = await call(proxy.client, 'execute_tool', {name: 'a__fail', arguments: {}});
    expect(failed.isError).toBe(true);
    await call(proxy.client, 'search_tools', {query: argSecret});
    await proxy.close();
    expect(await waitFor(() => !alive(proxy.pid), 10_000)).toBe(true);

    const state = path.join(dir, 'mcpx', 'state');
    const logs = path.join(state, 'logs');
    const recs = records(logs);
    const calls = recs.map((r) => [r.tool, r.server, r.upstreamTool, r.outcome, r.errorType]);
    expect(calls).toEqual([
      ['execute_tool', 'a', 'echo', 'ok', undefined],
      ['execute_tool', 'a', 'env', 'ok', undefined],
      ['execute_tool', undefined, undefined, 'refused', 'unknown-tool'],
      ['execute_tool', 'a', 'echo', 'refused', 'invalid-arguments'],
      ['execute_tool', 'a', 'fail', 'tool-error', undefined],
      ['search_tools', undefined, undefined, 'ok', undefined],
    ]);
    expect(recs[0]!.argNames).toEqual(['text']);
    // One session per connection, the sizes of the request and the response, no payload by default.
    expect(new Set(recs.map((r) => r.session)).size).toBe(1);
    expect(recs[0]!.session).toMatch(/^[0-9a-f-]{36}$/);
    expect(recs[0]!.bytesIn).toBeGreaterThan(argSecret.length);
    expect(recs[0]!.bytesOut).toBeGreaterThan(argSecret.length);
    expect(recs[1]!.bytesOut).toBeGreaterThan(recs[0]!.bytesOut!);
    expect(recs.some((r) => 'arguments' in r || 'result' in r)).toBe(false);
    expect(recs[0]!.method).toBe('tools/call');
    expect(recs[0]!.client).toEqual({name: 'mcpx-test', version: '1.0.0'});
    expect(recs.every((r) => typeof r.durationMs === 'number' && r.durationMs >= 0 && !Number.isNaN(Date.parse(r.time)))).toBe(true);
    // A token-shaped argument name is masked, not dropped.
    expect(recs[2]!.argNames).toHaveLength(1);
    expect(recs[2]!.argNames![0]).not.toBe(nameSecret);
    expect((fs.statSync(logs).mode & 0o777).toString(8)).toBe('700');
    for (const f of filesUnder(logs)) expect((fs.statSync(f).mode & 0o777).toString(8)).toBe('600');
    const all = filesUnder(state);
    expect(all.length).toBeGreaterThan(0);
    for (const f of all) {
      const body = fs.readFileSync(f, 'utf8');
      for (const s of [envSecret, argSecret, nameSecret]) expect(body.includes(s), `${f} holds a planted secret`).toBe(false);
    }
  }, 60_000);

  it('logs argument values and results with options.log.payloads, masked', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'payloads-'));
    const envSecret = 'es' + randomBytes(16).toString('hex');
    const argSecret = ghToken();
    const cfg = writeConfig(dir, {a: {command: node, args: [FIXTURE], env: {TOKEN: '${MCPX_AUDIT_SECRET}'}}}, {log: {payloads: true}});
    const proxy = await startProxy(cfg, dir, {MCPX_AUDIT_SECRET: envSecret});
    expect(text(await call(proxy.client, 'execute_tool', {name: 'a__echo', arguments: {text: `hello ${argSecret}`}}))).toContain(argSecret);
    expect(text(await call(proxy.client, 'execute_tool', {name: 'a__env', arguments: {}}))).toContain(envSecret);
    await proxy.close();
    expect(await waitFor(() => !alive(proxy.pid), 10_000)).toBe(true);
    const state = path.join(dir, 'mcpx', 'state');
    const recs = records(path.join(state, 'logs'));
    expect(recs).toHaveLength(2);
    expect(recs[0]!.arguments).toEqual({text: expect.stringMatching(/^hello ghp_…/)});
    expect(JSON.stringify(recs[0]!.result)).toContain('hello ghp_…');
    // The env dump is logged with the resolved secret in it masked.
    expect(JSON.stringify(recs[1]!.result)).toContain('TOKEN');
    for (const f of filesUnder(state)) {
      const body = fs.readFileSync(f, 'utf8');
      for (const s of [envSecret, argSecret]) expect(body.includes(s), `${f} holds a planted secret`).toBe(false);
    }
  }, 60_000);

  it('writes nothing with options.log.enabled false', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'off-'));
    const cfg = writeConfig(dir, {a: {command: node, args: [FIXTURE]}}, {log: {enabled: false}});
    const proxy = await startProxy(cfg, dir);
    expect((await call(proxy.client, 'execute_tool', {name: 'a__echo', arguments: {text: 'hi'}})).isError).toBeFalsy();
    // The config validates with the new option (a schema error would make every call fail).
    expect(text(await call(proxy.client, 'list_servers', {}))).toContain('a');
    await proxy.close();
    expect(await waitFor(() => !alive(proxy.pid), 10_000)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'mcpx', 'state', 'logs'))).toBe(false);
  }, 60_000);
});
