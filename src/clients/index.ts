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

/**
 * Does `file` end with the relative pattern `pattern`? A `*` matches part of one path segment;
 * leading globstar segments are implied (the match is a suffix anyway).
 */
export function matchesSuffix(file: string, pattern: string): boolean {
  return new RegExp('(^|/)' + suffixSource(pattern) + '$').test(normal(file));
}

/** The regular-expression source of a relative pattern (see matchesSuffix). */
export function suffixSource(pattern: string): string {
  const body = pattern.replace(/^(\*\*\/)+/, '').split('/').map((seg) => (seg === '**' ? '(?:[^/]+/)*' : seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '/')).join('');
  return body.slice(0, -1);
}

/** Suffixes of the copies editors, clients and people leave beside a config (`x.bak`, `x.orig`, `x~`). */
export const BACKUP_SUFFIXES = ['.bak', '.orig', '~', '.backup', '.old'];

/** `file` without a backup suffix (`mcp.json.bak` → `mcp.json`); the same path when it has none. */
export function withoutBackupSuffix(file: string): string {
  return file.replace(/(\.bak|\.orig|~|\.backup|\.old)$/i, '');
}

/** Every relative path a client's file may sit at in a searched tree: project files and home layouts. */
export function clientPatterns(client: ClientDefinition): string[] {
  return [...client.projectFiles, ...(client.homeFiles ?? [])];
}

/**
 * The client a file belongs to, by its location: the client's own matcher, its user files for
 * this OS, its home layouts found anywhere (`…/.codeium/windsurf/mcp_config.json`), then its
 * project files; a backup copy (`.claude.json.bak`) belongs to the client of the original.
 * Undefined for files of unknown name (the caller may then pick one by the content's shape).
 * This is the one identification lint, the git hook, `secrets move` and `import` share.
 */
export function clientForFile(file: string, ctx: PathContext): ClientDefinition | undefined {
  const abs = path.resolve(file);
  const found = identify(abs, ctx);
  if (found) return found;
  const original = withoutBackupSuffix(abs);
  return original === abs ? undefined : identify(original, ctx);
}

function identify(abs: string, ctx: PathContext): ClientDefinition | undefined {
  for (const client of CLIENTS) {
    if (client.matches?.(abs, ctx)) return client;
  }
  for (const client of CLIENTS) {
    if (client.userFiles(ctx).some((u) => path.resolve(u) === abs)) return client;
  }
  for (const client of CLIENTS) {
    if ((client.homeFiles ?? []).some((p) => matchesSuffix(abs, p))) return client;
  }
  for (const client of CLIENTS) {
    if (!client.matches && client.projectFiles.some((p) => matchesSuffix(abs, p))) return client;
  }
  return undefined;
}
