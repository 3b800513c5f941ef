/**
 * Honest search results through `mcpx serve` with real upstream servers from npm (filesystem and
 * memory): a request no configured server covers comes back as no match, naming the servers and
 * what they cover; a request they do cover lists its tools without filler.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {type Proxy, call, ensureBuilt, pkgMain, startProxy, tempHome, text, writeConfig} from './helpers.js';

let home: string;
let proxy: Proxy;

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  const data = path.join(home, 'data');
  fs.mkdirSync(data);
  const servers = {
    filesystem: {command: process.execPath, args: [pkgMain('@modelcontextprotocol/server-filesystem'), data]},
    memory: {command: process.execPath, args: [pkgMain('@modelcontextprotocol/server-memory')], env: {MEMORY_FILE_PATH: path.join(home, 'memory.jsonl')}},
  };
  proxy = await startProxy(writeConfig(home, servers), home);
}, 30_000);

afterAll(async () => {
  await proxy?.close();
  fs.rmSync(home, {recursive: true, force: true});
});

interface Structured {
  tools: Array<{name: string; match: number}>;
  note?: string;
  servers?: Array<{name: string; tools: number; covers: string[]}>;
  closest?: Array<{name: string}>;
}

describe('search_tools says when nothing matches', () => {
  it.each(['send a slack message', 'refund a payment', 'create a github issue'])('"%s" with only filesystem and memory: no match, and what the servers cover', async (query) => {
    const r = await call(proxy.client, 'search_tools', {query});
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as unknown as Structured;
    expect(s.tools).toEqual([]);
    expect(s.note).toMatch(/^No tool matches/);
    expect(s.servers!.map((x) => x.name).sort()).toEqual(['filesystem', 'memory']);
    const fsCovers = s.servers!.find((x) => x.name === 'filesystem')!.covers;
    expect(fsCovers).toEqual(expect.arrayContaining(['file', 'directory']));
    expect(s.servers!.find((x) => x.name === 'memory')!.covers).toEqual(expect.arrayContaining(['entities', 'relations', 'observations']));
    expect(text(r)).toMatch(/No tool matches .* The configured servers cover:\n- filesystem \(\d+ tools\): /);
  });

  it('a covered request lists its tools, best first, without the far weaker filler', async () => {
    const r = await call(proxy.client, 'search_tools', {query: 'read a file', limit: 20});
    const s = r.structuredContent as unknown as Structured;
    expect(s.note).toBeUndefined();
    expect(s.tools[0]!.name).toBe('filesystem__read_file');
    expect(s.tools[0]!.match).toBe(1);
    // 20 asked, but tools scoring under a quarter of the best are not listed (memory's among them).
    expect(s.tools.length).toBeLessThan(10);
    expect(s.tools.map((t) => t.name)).not.toContain('memory__delete_relations');
  });
});
