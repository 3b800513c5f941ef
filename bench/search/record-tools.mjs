#!/usr/bin/env node
// Records the real `tools/list` of public MCP servers from npm into bench/fixtures/tools/<server>.json,
// the corpus the search benchmark ranks over. Run by hand (needs the npm registry), never in CI:
//   node bench/search/record-tools.mjs [server ...]
// Each server is installed at a pinned version into a temp prefix with install scripts disabled (no
// browser downloads), started over stdio with the SDK's real Client, listed, and shut down. Env
// values are obvious dummies built at run time: listing tools needs no account.
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
// zod comes with the SDK; a loose result schema records servers whose schemas the SDK's strict
// tools/list validation rejects (e.g. server-gitlab omits `type: "object"`).
import {z} from 'zod';

const LooseToolList = z.object({tools: z.array(z.record(z.string(), z.unknown())), nextCursor: z.string().optional()}).passthrough();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(root, 'bench/fixtures/tools');

/** A placeholder credential: clearly fake, never shaped like a provider's real token. */
const dummy = (prefix = '') => `${prefix}dummy-not-a-real-credential`;

/**
 * Servers to record. `name` becomes the namespace (`<name>__<tool>`); `args` and `env` are what the
 * server needs to start and answer tools/list without an account.
 */
const servers = [
  {name: 'everything', pkg: '@modelcontextprotocol/server-everything', version: '2026.8.31', args: ['stdio']},
  {name: 'filesystem', pkg: '@modelcontextprotocol/server-filesystem', version: '2026.8.31', args: ['{tmp}']},
  {name: 'memory', pkg: '@modelcontextprotocol/server-memory', version: '2026.8.31', env: {MEMORY_FILE_PATH: '{tmp}/memory.jsonl'}},
  {name: 'sequential-thinking', pkg: '@modelcontextprotocol/server-sequential-thinking', version: '2026.8.31'},
  {name: 'github', pkg: '@modelcontextprotocol/server-github', version: '2025.4.8', env: {GITHUB_PERSONAL_ACCESS_TOKEN: dummy()}},
  {name: 'gitlab', pkg: '@modelcontextprotocol/server-gitlab', version: '2025.4.25', env: {GITLAB_PERSONAL_ACCESS_TOKEN: dummy(), GITLAB_API_URL: 'https://gitlab.invalid/api/v4'}},
  {name: 'slack', pkg: '@modelcontextprotocol/server-slack', version: '2025.4.25', env: {SLACK_BOT_TOKEN: dummy(), SLACK_TEAM_ID: 'T00000000'}},
  {name: 'brave-search', pkg: '@modelcontextprotocol/server-brave-search', version: '0.6.2', env: {BRAVE_API_KEY: dummy()}},
  {name: 'google-maps', pkg: '@modelcontextprotocol/server-google-maps', version: '0.6.2', env: {GOOGLE_MAPS_API_KEY: dummy()}},
  {name: 'postgres', pkg: '@modelcontextprotocol/server-postgres', version: '0.6.2', args: ['postgresql://127.0.0.1:1/none']},
  {name: 'puppeteer', pkg: '@modelcontextprotocol/server-puppeteer', version: '2025.5.12'},
  {name: 'notion', pkg: '@notionhq/notion-mcp-server', version: '2.5.2', env: {NOTION_TOKEN: dummy()}},
  {name: 'tavily', pkg: 'tavily-mcp', version: '0.2.22', env: {TAVILY_API_KEY: dummy()}},
  {name: 'exa', pkg: 'exa-mcp-server', version: '3.4.1', env: {EXA_API_KEY: dummy()}},
  {name: 'context7', pkg: '@upstash/context7-mcp', version: '4.1.1'},
  {name: 'playwright', pkg: '@playwright/mcp', version: '0.0.83', args: ['--headless']},
  {name: 'kubernetes', pkg: 'mcp-server-kubernetes', version: '4.1.7'},
  {name: 'mongodb', pkg: 'mongodb-mcp-server', version: '3.0.4', env: {MDB_MCP_TELEMETRY: 'disabled'}},
];
// Tried and left out (2026-11): server-redis 2025.4.25 and @azure-devops/mcp 2.10.0 exit when they
// cannot reach their backend; @supabase/mcp-server-supabase 0.13.0 fetches from its API to list
// tools; @stripe/mcp 0.3.3 timed out; firecrawl-mcp and @sentry/mcp-server need Node 22.

/** Env for children: just enough to run node, plus settings that forbid browser downloads. */
function childEnv(extra, tmp) {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: tmp,
    PUPPETEER_SKIP_DOWNLOAD: '1',
    PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  };
  for (const [k, v] of Object.entries(extra ?? {})) env[k] = v.replaceAll('{tmp}', tmp);
  return env;
}

function binPath(prefix, pkg) {
  const dir = path.join(prefix, 'node_modules', pkg);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (!bin) throw new Error(`${pkg} declares no bin`);
  return path.join(dir, bin);
}

async function record(server) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mcpx-rec-${server.name}-`));
  try {
    // npm runs with the user's own environment (its registry and cache settings); no scripts.
    const env = {...process.env, PUPPETEER_SKIP_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1'};
    const install = spawnSync('npm', ['install', '--prefix', tmp, '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `${server.pkg}@${server.version}`], {env, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000});
    if (install.status !== 0) throw new Error(`npm install failed (${install.status})`);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [binPath(tmp, server.pkg), ...(server.args ?? []).map((a) => a.replaceAll('{tmp}', tmp))],
      env: childEnv(server.env, tmp),
      cwd: tmp,
      stderr: 'ignore',
    });
    const client = new Client({name: 'mcpx-bench-recorder', version: '0.1.0'});
    const tools = [];
    try {
      await client.connect(transport, {timeout: 60_000});
      let cursor;
      do {
        const page = await client.request({method: 'tools/list', params: cursor ? {cursor} : {}}, LooseToolList, {timeout: 60_000});
        tools.push(...page.tools);
        cursor = page.nextCursor;
      } while (cursor);
    } finally {
      // Closing the client ends the server process, also when listing failed.
      await client.close();
    }
    const fixture = {
      server: server.name,
      package: server.pkg,
      version: server.version,
      tools: tools.map((t) => ({name: t.name, ...(t.title ? {title: t.title} : {}), description: t.description ?? '', inputSchema: t.inputSchema})),
    };
    fs.mkdirSync(outDir, {recursive: true});
    fs.writeFileSync(path.join(outDir, `${server.name}.json`), JSON.stringify(fixture, null, 2) + '\n');
    return tools.length;
  } finally {
    fs.rmSync(tmp, {recursive: true, force: true});
  }
}

const only = new Set(process.argv.slice(2));
for (const server of servers) {
  if (only.size > 0 && !only.has(server.name)) continue;
  try {
    const n = await record(server);
    console.log(`ok   ${server.name} ${server.pkg}@${server.version}: ${n} tools`);
  } catch (error) {
    console.log(`FAIL ${server.name} ${server.pkg}@${server.version}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
