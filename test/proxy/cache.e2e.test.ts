/**
 * The on-disk tool catalog (warm start answers without starting upstreams; a changed server is
 * never served stale; no secret reaches the cache), direct mode's list_changed, and a broken
 * config reported to the client instead of a crash.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {ToolListChangedNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FIXTURE, call, ensureBuilt, expectCatalogCache, startProxy, tempHome, text, waitFor, writeConfig} from './helpers.js';

const node = process.execPath;
const secret = 'cs' + randomBytes(16).toString('hex');
let home: string;

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
});
afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

interface Status {
  name: string;
  state: string;
  cached: boolean;
  tools: number | null;
  pid?: number;
}
const servers = async (client: Parameters<typeof call>[0]) => ((await call(client, 'list_servers', {})).structuredContent as {servers: Status[]}).servers;

describe('catalog cache', () => {
  it('a warm cache answers search without starting any upstream; a call starts only its server', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'cache-'));
    const cfg = writeConfig(dir, {
      a: {command: node, args: [FIXTURE], env: {TOKEN: '${MCPX_CACHE_SECRET}'}},
      b: {command: node, args: [FIXTURE, '--name', 'b']},
    });
    const env = {MCPX_CACHE_SECRET: secret};
    const cold = await startProxy(cfg, home, env);
    const first = await call(cold.client, 'search_tools', {query: 'echo'});
    expect((first.structuredContent as {tools: unknown[]}).tools.length).toBeGreaterThan(0);
    await cold.close();

    expectCatalogCache(home, 2, secret);

    const warm = await startProxy(cfg, home, env);
    const before = await servers(warm.client);
    expect(before.map((s) => [s.name, s.state, s.cached, s.tools])).toEqual([
      ['a', 'idle', true, 9],
      ['b', 'idle', true, 9],
    ]);
    const hits = await call(warm.client, 'search_tools', {query: 'add two numbers'});
    expect((hits.structuredContent as {tools: Array<{name: string}>}).tools.map((t) => t.name)).toContain('a__add');
    expect((await servers(warm.client)).every((s) => s.state === 'idle' && s.pid === undefined)).toBe(true);
    expect(text(await call(warm.client, 'execute_tool', {name: 'a__echo', arguments: {text: 'lazy'}}))).toBe('lazy');
    const after = await servers(warm.client);
    expect(after.find((s) => s.name === 'a')!.state).toBe('ready');
    expect(after.find((s) => s.name === 'b')!.state).toBe('idle');
    await warm.close();
  });

  it('never serves a changed server from a stale cache', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'stale-'));
    const p1 = await startProxy(writeConfig(dir, {s: {command: node, args: [FIXTURE]}}), home);
    await call(p1.client, 'search_tools', {query: 'echo'});
    await p1.close();
    // Same name, different launch config: listed afresh (the cached entry does not apply).
    const p2 = await startProxy(writeConfig(dir, {s: {command: node, args: [FIXTURE, '--list-changed']}}), home);
    const st = (await servers(p2.client))[0]!;
    expect(st.cached).toBe(false);
    await p2.close();
  });
});

describe('direct mode', () => {
  it('announces notifications/tools/list_changed when an upstream changes its tools', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'direct-'));
    const p = await startProxy(writeConfig(dir, {fx: {command: node, args: [FIXTURE, '--list-changed']}}, {mode: 'direct', pinning: 'warn'}), home);
    let changed = 0;
    p.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      changed++;
    });
    const names = (await p.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('fx__echo');
    expect(names).not.toContain('fx__late_tool');
    await new Promise((r) => setTimeout(r, 200)); // let the notification of the first listing arrive
    const before = changed;
    expect(text((await p.client.callTool({name: 'fx__echo', arguments: {text: 'x'}})) as never)).toBe('x');
    expect(await waitFor(() => changed > before, 5000)).toBe(true);
    expect((await p.client.listTools()).tools.map((t) => t.name)).toContain('fx__late_tool');
    await p.close();
  });
});

describe('broken config', () => {
  it('keeps running and reports the file, line and column on every call', async () => {
    const dir = fs.mkdtempSync(path.join(home, 'broken-'));
    const file = path.join(dir, 'mcpx.json');
    fs.writeFileSync(file, '{\n  "mcpServers": {\n    "a": {"command": "node" "args": []}\n  }\n}\n');
    const p = await startProxy(file, home);
    expect(p.client.getInstructions()).toMatch(/could not load its config/);
    const r = await call(p.client, 'search_tools', {query: 'x'});
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/mcpx\.json:3:\d+: expected ','/);
    await p.close();
  });

  it('reports a missing config with a hint', async () => {
    const p = await startProxy(path.join(home, 'does-not-exist.json'), home);
    const r = await call(p.client, 'list_servers', {});
    expect(text(r)).toMatch(/No mcpx config at .*does-not-exist\.json/);
    await p.close();
  });
});
