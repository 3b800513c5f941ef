/**
 * `mcpx serve` seen by the official MCP Inspector CLI (@modelcontextprotocol/inspector-cli, the
 * program behind `npx @modelcontextprotocol/inspector --cli`), run as a child process against the
 * built CLI with real upstream servers from npm, in search mode and direct mode. The Inspector's
 * JSON output is compared with exact values, and with what the upstreams list themselves.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ROOT, ensureBuilt, pkgMain, startDirect, tempHome} from './helpers.js';

interface ToolInfo {
  name: string;
  inputSchema: unknown;
  [k: string]: unknown;
}
interface Hit {
  name: string;
  server: string;
  tool: string;
  score: number;
}

const require = createRequire(import.meta.url);
const INSPECTOR_PKG = require.resolve('@modelcontextprotocol/inspector-cli/package.json');
const INSPECTOR_BIN = path.join(
  path.dirname(INSPECTOR_PKG),
  (JSON.parse(fs.readFileSync(INSPECTOR_PKG, 'utf8')) as {bin: Record<string, string>}).bin['mcp-inspector-cli']!,
);

let home: string;
let config: string;
let env: NodeJS.ProcessEnv;
const EVERYTHING = [process.execPath, pkgMain('@modelcontextprotocol/server-everything'), 'stdio'];
const MEMORY = [process.execPath, pkgMain('@modelcontextprotocol/server-memory')];
// What the upstreams themselves list (asked with the SDK's Client).
const upstream = {} as {everythingTools: ToolInfo[]; memoryTools: ToolInfo[]; resources: unknown[]; prompts: Array<{name: string}>};

/**
 * Run the Inspector CLI (`mcp-inspector-cli --cli <target…> <args…>`, no shell) and parse the JSON it
 * prints. Rejects with its stderr when it exits non-zero. The cwd is the bin's own directory because
 * this version finds its package.json through a path relative to the cwd (`../package.json`).
 */
function inspect(target: string[], args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INSPECTOR_BIN, '--cli', ...target, ...args], {
      cwd: path.dirname(INSPECTOR_BIN),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout ends the launcher, the CLI and mcpx together
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`inspector ${args.join(' ')} exited ${code}:\n${err}\n${out}`));
      try {
        resolve(JSON.parse(out));
      } catch {
        reject(new Error(`inspector ${args.join(' ')} printed no JSON:\n${out}\n${err}`));
      }
    });
  });
}

// `-c`, not `--config`: the Inspector's launcher takes `--config` as its own option.
const serve = (...extra: string[]) => [process.execPath, path.join(ROOT, 'bin/run.js'), 'serve', '-c', config, ...extra];
const viaSearch = (args: string[]) => inspect(serve(), args);
const viaDirect = (args: string[]) => inspect(serve('--mode', 'direct'), args);
const execute = (name: string, args: unknown) =>
  viaSearch(['--method', 'tools/call', '--tool-name', 'execute_tool', '--tool-arg', `name=${name}`, `arguments=${JSON.stringify(args)}`]);
const byName = <T extends {name: string}>(list: T[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  env = {
    // The launcher starts `node` by name: make it this Node.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    NO_COLOR: '1',
  };
  config = path.join(home, 'mcpx.json');
  const [evCmd, ...evArgs] = EVERYTHING;
  const [memCmd, ...memArgs] = MEMORY;
  fs.writeFileSync(
    config,
    JSON.stringify({
      mcpServers: {
        everything: {command: evCmd, args: evArgs},
        memory: {command: memCmd, args: memArgs, env: {MEMORY_FILE_PATH: path.join(home, 'memory.jsonl')}},
      },
    }),
  );
  // One warm-up through mcpx fills the catalog cache (search_tools waits for both catalogs, where
  // tools/list would not). Meanwhile the SDK's Client asks the upstreams themselves, for reference.
  const [, ev, mem] = await Promise.all([
    viaSearch(['--method', 'tools/call', '--tool-name', 'search_tools', '--tool-arg', 'query=warm up']),
    startDirect(EVERYTHING[0]!, EVERYTHING.slice(1)),
    startDirect(MEMORY[0]!, MEMORY.slice(1), {MEMORY_FILE_PATH: path.join(home, 'memory-direct.jsonl')}),
  ]);
  try {
    Object.assign(upstream, {
      everythingTools: (await ev.listTools()).tools,
      memoryTools: (await mem.listTools()).tools,
      resources: [...(await ev.listResources()).resources, ...(await mem.listResources()).resources],
      prompts: (await ev.listPrompts()).prompts.map((p) => ({...p, name: `everything__${p.name}`})), // memory has no prompts
    });
  } finally {
    await Promise.all([ev.close(), mem.close()]);
  }
  expect(fs.readdirSync(path.join(home, '.cache/mcpx/serve')).filter((f) => f.startsWith('catalog-'))).toHaveLength(2);
}, 60_000);

afterAll(() => {
  if (home) fs.rmSync(home, {recursive: true, force: true});
});

describe('mcpx serve under the MCP Inspector CLI, search mode', () => {
  it('tools/list shows only the four meta-tools', async () => {
    const {tools} = (await viaSearch(['--method', 'tools/list'])) as {tools: ToolInfo[]};
    expect(tools.map((t) => t.name)).toEqual(['search_tools', 'describe_tool', 'execute_tool', 'list_servers']);
  });

  it('search_tools answers with structuredContent.tools, best first', async () => {
    const r = (await viaSearch(['--method', 'tools/call', '--tool-name', 'search_tools', '--tool-arg', 'query=echo back the input', 'limit=3'])) as {
      content: Array<{type: string; text: string}>;
      structuredContent: {tools: Hit[]};
    };
    const hits = r.structuredContent.tools;
    // Honest results: hits far below the best are cut, so up to three, the best first.
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits.length).toBeLessThanOrEqual(3);
    expect(hits[0]).toMatchObject({name: 'everything__echo', server: 'everything', tool: 'echo'});
    for (const h of hits) expect(h.name).toBe(`${h.server}__${h.tool}`);
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    if (scores.length > 1) expect(scores[0]).toBeGreaterThan(scores[1]!);
    expect(r.content[0]!.text).toContain('- everything__echo(message: string) — Echoes back the input string');
  });

  it('execute_tool runs everything echo with the arguments given by --tool-arg', async () => {
    const message = `hello from the Inspector, ${process.pid} = "pid"`;
    expect(await execute('everything__echo', {message})).toEqual({content: [{type: 'text', text: `Echo: ${message}`}]});
  });

  it('execute_tool with arguments that fail the schema is a tool error that says what is wrong', async () => {
    expect(await execute('everything__get-sum', {a: 1, b: '2'})).toEqual({
      content: [
        {
          type: 'text',
          text: "Arguments for everything__get-sum do not match its input schema: 'b' must be number.\nExpected: everything__get-sum(a: number, b: number)",
        },
      ],
      isError: true,
    });
  });

  it('resources/list passes the upstream resources through unchanged', async () => {
    const {resources} = (await viaSearch(['--method', 'resources/list'])) as {resources: unknown[]};
    expect(upstream.resources.length).toBeGreaterThan(0);
    expect(resources).toEqual(upstream.resources);
  });

  it('prompts/list passes the upstream prompts through as <server>__<prompt>', async () => {
    const {prompts} = (await viaSearch(['--method', 'prompts/list'])) as {prompts: Array<{name: string}>};
    expect(prompts.map((p) => p.name)).toContain('everything__simple-prompt');
    expect(byName(prompts)).toEqual(byName(upstream.prompts));
  });
});

describe('mcpx serve under the MCP Inspector CLI, direct mode', () => {
  it('tools/list lists every upstream tool as <server>__<tool>, schema unchanged', async () => {
    const {tools} = (await viaDirect(['--method', 'tools/list'])) as {tools: ToolInfo[]};
    const names = tools.map((t) => t.name);
    expect(names).toContain('everything__echo');
    expect(names).toContain('memory__create_entities');
    expect(names).not.toContain('search_tools');
    const expected = [
      ...upstream.everythingTools.map((t) => ({...t, name: `everything__${t.name}`})),
      ...upstream.memoryTools.map((t) => ({...t, name: `memory__${t.name}`})),
    ];
    expect(byName(tools)).toEqual(byName(expected));
  });

  it('a namespaced tool call reaches the upstream with its --tool-arg arguments', async () => {
    const r = await viaDirect(['--method', 'tools/call', '--tool-name', 'everything__echo', '--tool-arg', 'message=direct from the Inspector']);
    expect(r).toEqual({content: [{type: 'text', text: 'Echo: direct from the Inspector'}]});
  });

  it('memory written through direct mode is read back through execute_tool in search mode', async () => {
    const entity = {name: `mcpx-${process.pid}`, entityType: 'tool', observations: ['checked with the MCP Inspector']};
    const created = (await viaDirect(['--method', 'tools/call', '--tool-name', 'memory__create_entities', '--tool-arg', `entities=${JSON.stringify([entity])}`])) as {
      structuredContent: unknown;
    };
    expect(created.structuredContent).toEqual({entities: [entity]});
    const found = (await execute('memory__search_nodes', {query: entity.name})) as {structuredContent: unknown; isError?: boolean};
    expect(found.isError).toBeUndefined();
    expect(found.structuredContent).toEqual({entities: [entity], relations: []});
  });
});
