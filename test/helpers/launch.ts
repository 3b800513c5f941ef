/**
 * Shared by the tests that write configs (secrets move, import, init): launch a written entry
 * exactly as a client would, start the header-checking remote fixture server, and scan a folder
 * for planted secret values.
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import type {ServerEntry} from '../../src/model.js';
import {ROOT} from './cli.js';

export const ECHO_SERVER = path.join(ROOT, 'test/fixtures/move/echo-server.mjs');
export const HTTP_SERVER = path.join(ROOT, 'test/fixtures/move/http-server.mjs');

/** Start the Streamable HTTP fixture that accepts only `Authorization: Bearer <token>`. */
export function startRemote(token: string): Promise<{port: number; stop: () => void}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HTTP_SERVER], {env: {...process.env, EXPECTED_TOKEN: token}, stdio: ['ignore', 'pipe', 'inherit']});
    child.stdout.on('data', (d: Buffer) => {
      const m = /PORT (\d+)/.exec(d.toString());
      if (m) resolve({port: Number(m[1]), stop: () => child.kill()});
    });
    child.on('error', reject);
  });
}

/** Every file below `dir` that contains any of `values`. */
export function filesHolding(dir: string, values: string[]): string[] {
  const hits: string[] = [];
  for (const e of fs.readdirSync(dir, {withFileTypes: true, recursive: true})) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    if (values.some((v) => fs.readFileSync(p, 'utf8').includes(v))) hits.push(p);
  }
  return hits;
}

/**
 * Launch an entry as a client does (its command, args and env over `base`, a minimal env) with
 * the SDK's real Client, call `tool` without arguments and return its first text content.
 */
export async function callAsClient(entry: ServerEntry, tool: string, base: Record<string, string>): Promise<string> {
  const transport = new StdioClientTransport({command: entry.command!, args: entry.args ?? [], env: {...base, ...entry.env}, stderr: 'pipe'});
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({name: 'mcpx-test-client', version: '1.0.0'});
  try {
    await client.connect(transport);
    const result = await client.callTool({name: tool, arguments: {}});
    return (result.content as Array<{text: string}>)[0]!.text;
  } catch (error) {
    throw new Error(`${(error as Error).message}\nserver stderr: ${stderr}`);
  } finally {
    await client.close();
  }
}
