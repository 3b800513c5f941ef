/**
 * The registry of client modules, in CLIENT_IDS order, and the helpers that pick a client
 * for a file found on disk.
 */
import path from 'node:path';
import type {ClientId} from '../model.js';
import {claudeCode} from './claude-code.js';
import {claudeDesktop} from './claude-desktop.js';
import {cline} from './cline.js';
import {codex} from './codex.js';
import {continueDev} from './continue.js';
import {cursor} from './cursor.js';
import {gemini} from './gemini.js';
import {goose} from './goose.js';
import {junie} from './junie.js';
import {kiro} from './kiro.js';
import {lmstudio} from './lmstudio.js';
import {mcpx} from './mcpx.js';
import {roo} from './roo.js';
import type {ClientDefinition, PathContext} from './types.js';
import {vscode} from './vscode.js';
import {windsurf} from './windsurf.js';
import {zed} from './zed.js';

/** Every client module, in CLIENT_IDS order (a unit test holds the two lists together). */
export const CLIENTS: readonly ClientDefinition[] = [
  claudeCode,
  claudeDesktop,
  cursor,
  vscode,
  windsurf,
  zed,
  cline,
  roo,
  kiro,
  gemini,
  codex,
  continueDev,
  goose,
  lmstudio,
  junie,
  mcpx,
];

export function getClient(id: ClientId): ClientDefinition | undefined {
  return CLIENTS.find((c) => c.id === id);
}

function normal(p: string): string {
  return p.split(path.sep).join('/');
}

/** Does `file` end with the project-relative pattern `pattern` (a `*` matches one path segment part)? */
export function matchesSuffix(file: string, pattern: string): boolean {
  const re = new RegExp('(^|/)' + pattern.split('/').map((seg) => seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')).join('/') + '$');
  return re.test(normal(file));
}

/** The client a file belongs to, by its location; undefined for files of unknown name. */
export function clientForFile(file: string, ctx: PathContext): ClientDefinition | undefined {
  const abs = path.resolve(file);
  for (const client of CLIENTS) {
    if (client.matches?.(abs, ctx)) return client;
  }
  for (const client of CLIENTS) {
    if (client.userFiles(ctx).some((u) => path.resolve(u) === abs)) return client;
  }
  for (const client of CLIENTS) {
    if (!client.matches && client.projectFiles.some((p) => matchesSuffix(abs, p))) return client;
  }
  return undefined;
}
