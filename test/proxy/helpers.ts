/** Shared helpers for mcpx serve's end-to-end tests: build once, start the proxy or an upstream with the SDK's real Client. */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {CallToolResult} from '@modelcontextprotocol/sdk/types.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE = path.join(ROOT, 'test/fixtures/servers/fixture-server.mjs');
export const RECORDED = path.join(ROOT, 'test/fixtures/servers/recorded-tools.mjs');
export const pkgMain = (pkg: string) => path.join(ROOT, 'node_modules', pkg, 'dist/index.js');

/** Build dist/ once when it is missing or older than the proxy sources. */
export function ensureBuilt(): void {
  const out = path.join(ROOT, 'dist/commands/serve.js');
  const newest = Math.max(...fs.readdirSync(path.join(ROOT, 'src/proxy')).map((f) => fs.statSync(path.join(ROOT, 'src/proxy', f)).mtimeMs));
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= newest && fs.existsSync(path.join(ROOT, 'oclif.manifest.json'))) return;
  execFileSync(process.execPath, ['scripts/build.js'], {cwd: ROOT, stdio: 'inherit'});
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

/** Start `mcpx serve --config <file>` and connect the SDK's Client to it. */
export async function startProxy(configFile: string, home: string, extraEnv: Record<string, string> = {}, args: string[] = []): Promise<Proxy> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [path.join(ROOT, 'bin/run.js'), 'serve', '--config', configFile, ...args],
    env: {PATH: process.env.PATH ?? '', HOME: home, MCPX_HOME: path.join(home, 'mcpx'), ...extraEnv},
    stderr: 'pipe',
    cwd: ROOT,
  });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const client = new Client({name: 'mcpx-test', version: '1.0.0'});
  await client.connect(transport);
  return {client, transport, stderr: () => err, pid: transport.pid!, close: () => client.close()};
}

/** Connect the SDK's Client straight to an upstream (the "direct" side of a parity test). */
export async function startDirect(command: string, args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({name: 'mcpx-test-direct', version: '1.0.0'});
  await client.connect(new StdioClientTransport({command, args, env: {PATH: process.env.PATH ?? '', ...env}, stderr: 'pipe', cwd: ROOT}));
  return client;
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
