/**
 * Shared bits of the init tests: a temp home and project per test, a fixed launcher so written
 * files are the same on every machine, random secret values, and reading entries back through
 * the client modules.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {getClient} from '../../src/clients/index.js';
import {parseDocument} from '../../src/config/parse.js';
import type {ClientId, ServerEntry} from '../../src/model.js';

/** The launcher written in snapshot tests: a stable stand-in for [node, bin/run.js]. */
export const FIXED_LAUNCHER: [string, string] = ['/usr/local/bin/node', '/opt/mcpx/bin/run.js'];

export interface Sandbox {
  home: string;
  project: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

/** A temp HOME with a project folder inside; env points every lookup (HOME, XDG, mcpx) there. */
export function sandbox(label: string, extra: NodeJS.ProcessEnv = {}): Sandbox {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `mcpx-init-${label}-`));
  const project = path.join(home, 'project');
  fs.mkdirSync(project);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    CODEX_HOME: undefined,
    APPDATA: undefined,
    ...extra,
  };
  return {home, project, env, cleanup: () => fs.rmSync(home, {recursive: true, force: true})};
}

/** A random value shaped like an API key (built at run time, never a literal). */
export function randomSecret(prefix = 'k'): string {
  return `${prefix}${randomBytes(24).toString('base64url')}`;
}

/** Every server of a file, read back through its client module. */
export function readBack(file: string, client: ClientId): ServerEntry[] {
  const def = getClient(client)!;
  return def.readServers(parseDocument(fs.readFileSync(file, 'utf8'), def.format, file));
}

export function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
}
