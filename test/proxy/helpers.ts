/** Shared helpers for mcpx serve's end-to-end tests: build once, start the proxy or an upstream with the SDK's real Client. */
import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js';
import {expect} from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE = path.join(ROOT, 'test/fixtures/servers/fixture-server.mjs');
export const RECORDED = path.join(ROOT, 'test/fixtures/servers/recorded-tools.mjs');
export const pkgMain = (pkg: string) => path.join(ROOT, 'node_modules', pkg, 'dist/index.js');

/**
 * The e2e tests run the built CLI (`npm test` builds first; else run `npm run build`). They never
 * build themselves: a rebuild empties dist/ under other test files running in parallel.
 */
export function ensureBuilt(): void {
  for (const f of ['dist/proxy/main.js', 'dist/commands/serve.js', 'oclif.manifest.json']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` before the serve end-to-end tests.`);
  }
}

export function tempHome(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-serve-'));
}

export interface Proxy {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  pid: number;
  close(): Promise<void>;
}

/** Start `mcpx serve --config <file>` and connect the SDK's Client (or `client`, not yet connected) to it. */
export async function startProxy(configFile: string, home: string, extraEnv: Record<string, string> = {}, args: string[] = [], client = new Client({name: 'mcpx-test', version: '1.0.0'})): Promise<Proxy> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(ROOT, 'bin/run.js'), 'serve', '--config', configFile, ...args],
    env: {PATH: process.env.PATH ?? '', HOME: home, MCPX_HOME: path.join(home, 'mcpx'), ...extraEnv},
    stderr: 'pipe',
    cwd: ROOT,
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await client.connect(transport);
  return {client, transport, stderr: () => err, pid: transport.pid!, close: () => client.close()};
}

/** Connect the SDK's Client straight to an upstream (the "direct" side of a parity test). */
export async function startDirect(command: string, args: string[], env: Record<string, string> = {}, client = new Client({name: 'mcpx-test-direct', version: '1.0.0'})): Promise<Client> {
  await client.connect(new StdioClientTransport({command, args, env: {PATH: process.env.PATH ?? '', ...env}, stderr: 'pipe', cwd: ROOT}));
  return client;
}

export interface HttpServe {
  proc: ChildProcess;
  /** The endpoint serve printed (`http://127.0.0.1:PORT/mcp`). */
  url: string;
  /** Everything serve wrote to stderr so far (its last 200 kB once it passes 1 MB). */
  stderr: () => string;
  kill(): void;
}

/** Start `mcpx serve --config <file> --http 127.0.0.1:0 ...args` with `token` and wait for its address. */
export async function startHttpServe(configFile: string, home: string, token: string, args: string[] = []): Promise<HttpServe> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'bin/run.js'), 'serve', '--config', configFile, '--http', '127.0.0.1:0', ...args], {
    env: {PATH: process.env.PATH ?? '', HOME: home, MCPX_HOME: path.join(home, 'mcpx'), MCPX_SERVE_TOKEN: token},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 1e6) stderr = stderr.slice(-2e5); // a soak logs a line per session
  });
  expect(await waitFor(() => /listening on (http:\S+);/.test(stderr) || proc.exitCode !== null, 20_000)).toBe(true);
  const url = /listening on (http:\S+);/.exec(stderr)?.[1];
  if (!url) throw new Error(`mcpx serve --http did not start:\n${stderr}`);
  return {proc, url, stderr: () => stderr, kill: () => void (proc.exitCode === null && proc.kill('SIGKILL'))};
}

export function writeConfig(dir: string, servers: Record<string, unknown>, options?: Record<string, unknown>): string {
  const file = path.join(dir, 'mcpx.json');
  fs.writeFileSync(file, JSON.stringify({mcpServers: servers, ...(options ? {options} : {})}, null, 2));
  return file;
}

export async function call(client: Client, name: string, args: Record<string, unknown>, options: Parameters<Client['callTool']>[2] = {}): Promise<CallToolResult> {
  return (await client.callTool({name, arguments: args}, undefined, options)) as CallToolResult;
}

export function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
}

export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat); // a zombie is gone for our purposes
  } catch {
    return false;
  }
}

export async function waitFor(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** serve's catalog cache files under `home`: there are `count`, each 0600 and without `secret`. */
export function expectCatalogCache(home: string, count: number, secret: string): void {
  const dir = path.join(home, 'mcpx', 'cache', 'serve');
  const files = fs.readdirSync(dir).filter((f) => f.startsWith('catalog-'));
  expect(files).toHaveLength(count);
  for (const f of files) {
    expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toContain(secret);
  }
}
