/**
 * Shared set-up for the auth tests: a temp MCPX_HOME/HOME, the file token store, the fake
 * browser as $BROWSER, and a way to run the built CLI while capturing stdout and stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll} from 'vitest';
import {FileStore} from '../../src/auth/file-store.js';
import {runCommand} from '../helpers/cli.js';
import {authDir} from '../../src/auth/storage.js';
import {type OAuthServerOptions, startOAuthServer, type TestOAuthServer} from '../helpers/oauth-server.js';
import {type ProtectedMcpServer, startProtectedMcpServer} from '../helpers/protected-mcp-server.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fakeBrowser = path.join(root, 'test/fixtures/fake-browser.mjs');

export interface TestEnv {
  dir: string;
  env: NodeJS.ProcessEnv;
  store: FileStore;
  /** Every line the code under test printed. */
  printed: string[];
  print: (line: string) => void;
}

export function makeEnv(extra: Record<string, string> = {}): TestEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-auth-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    MCPX_HOME: path.join(dir, 'mcpx'),
    MCPX_AUTH_STORE: 'file',
    BROWSER: `${process.execPath} ${fakeBrowser}`,
    FAKE_BROWSER_LOG: path.join(dir, 'browser.log'),
    ...extra,
  };
  const printed: string[] = [];
  return {dir, env, store: new FileStore(path.join(authDir(env), 'tokens.json')), printed, print: (line) => printed.push(line)};
}

/** Every secret value in the store (access and refresh tokens, client secrets), for leak checks. */
export async function secretsIn(store: FileStore): Promise<string[]> {
  const out: string[] = [];
  for (const account of await store.list()) {
    const value = JSON.parse((await store.get(account))!);
    for (const v of [value?.tokens?.access_token, value?.tokens?.refresh_token, value?.client_secret]) if (typeof v === 'string') out.push(v);
  }
  return out;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built CLI (`bin/run.js`) with `env`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20_000): Promise<CliRun> {
  return runCommand(process.execPath, [path.join(root, 'bin/run.js'), ...args], {env, timeoutMs});
}

export function expectNoSecrets(texts: string[], secrets: string[]): void {
  for (const text of texts) {
    for (const secret of secrets) {
      if (text.includes(secret)) throw new Error(`a token leaked into output: …${text.slice(Math.max(0, text.indexOf(secret) - 40), text.indexOf(secret))}<token>`);
    }
  }
}

/** Wait until the fake browser's log contains `text` (it writes after the callback answers). */
export async function waitForBrowserLog(env: NodeJS.ProcessEnv, text: string, timeoutMs = 5000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = fs.existsSync(env.FAKE_BROWSER_LOG!) ? fs.readFileSync(env.FAKE_BROWSER_LOG!, 'utf8') : '';
    if (log.includes(text) || Date.now() > deadline) return log;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A real authorization server and an MCP server it protects, started before the tests of the
 * enclosing file or describe block and closed after them. Read `.as` and `.mcp` inside tests.
 */
export function useAuthServers(options?: OAuthServerOptions): {as: TestOAuthServer; mcp: ProtectedMcpServer} {
  const servers = {} as {as: TestOAuthServer; mcp: ProtectedMcpServer};
  beforeAll(async () => {
    servers.as = await startOAuthServer(options);
    servers.mcp = await startProtectedMcpServer(servers.as);
  });
  afterAll(async () => {
    await servers.mcp?.close();
    await servers.as?.close();
  });
  return servers;
}
