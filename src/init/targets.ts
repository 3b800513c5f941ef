/**
 * Where `mcpx init` and `mcpx add` write for a client: its project-scope file below the current
 * folder or its user-scope file in the home folder, and which clients look installed or already
 * configured here (so the wizard can pre-select them). Reads the file system; writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import {CLIENTS, getClient} from '../clients/index.js';
import type {ClientDefinition, PathContext, Platform} from '../clients/types.js';
import {UserError} from '../errors.js';
import {CLIENT_IDS, type ClientId} from '../model.js';
import {homeDir} from '../util/paths.js';
import {didYouMean} from '../util/suggest.js';

export type Scope = 'project' | 'user';

/** The clients `init` can set up directly; mcpx's own config is reached through `--via-serve`. */
export const INIT_CLIENT_IDS: readonly ClientId[] = CLIENT_IDS.filter((id) => id !== 'mcpx');

export function pathContext(env: NodeJS.ProcessEnv = process.env): PathContext {
  const p = process.platform;
  return {home: homeDir(env), platform: (p === 'darwin' || p === 'win32' ? p : 'linux') as Platform, env};
}

/**
 * The client module for a user-typed id. Throws UserError `E_UNKNOWN_CLIENT` with the nearest
 * names when there is none.
 */
export function requireClient(id: string, allowed: readonly ClientId[] = INIT_CLIENT_IDS): ClientDefinition {
  const client = (allowed as readonly string[]).includes(id) ? getClient(id as ClientId) : undefined;
  if (client) return client;
  throw new UserError(`Unknown client '${id}'.${didYouMean(id, allowed)}`, {
    hint: `The clients are: ${allowed.join(', ')}.`,
    code: 'E_UNKNOWN_CLIENT',
  });
}

/**
 * The project-relative file a client reads in a project, or undefined when the client has no
 * project scope. Claude Desktop's pattern only recognises its file by name: it has no project scope.
 * Continue reads every block file in `.continue/mcpServers/`: mcpx writes its own, `mcpx.yaml`.
 */
export function projectFileOf(client: ClientDefinition): string | undefined {
  if (client.id === 'claude-desktop') return undefined;
  const first = client.projectFiles[0];
  return first?.replace(/\*/g, 'mcpx');
}

/** The scopes a client supports, project first. */
export function scopesOf(client: ClientDefinition): Scope[] {
  return projectFileOf(client) ? ['project', 'user'] : ['user'];
}

/** The user file to write: the first one that exists, else the first (preferred) location. */
export function userFileOf(client: ClientDefinition, ctx: PathContext): string {
  const files = client.userFiles(ctx);
  // VS Code also lists settings.json (pre-1.102 location); new servers go to mcp.json.
  const candidates = client.id === 'vscode' ? files.filter((f) => path.basename(f) === 'mcp.json') : files;
  return candidates.find((f) => isFile(f)) ?? candidates[0] ?? files[0]!;
}

/**
 * The absolute file for a client and scope. `scope` undefined: project when the client has one,
 * else user. Throws UserError `E_SCOPE` when the client has no project scope and it was asked for.
 */
export function targetFile(client: ClientDefinition, scope: Scope | undefined, cwd: string, ctx: PathContext): {file: string; scope: Scope} {
  const project = projectFileOf(client);
  const chosen: Scope = scope ?? (project ? 'project' : 'user');
  if (chosen === 'project') {
    if (!project) {
      throw new UserError(`${client.name} has no project-scope config; it reads only its user config.`, {
        hint: `Use --scope user for ${client.id}.`,
        code: 'E_SCOPE',
      });
    }
    return {file: path.join(cwd, project), scope: 'project'};
  }
  return {file: userFileOf(client, ctx), scope: 'user'};
}

export interface DetectedClient {
  id: ClientId;
  name: string;
  /** Existing config files, by scope. */
  project?: string;
  user?: string;
  /** A config file exists (project or user scope). */
  configured: boolean;
  /** Its config folder exists although no config file does (the app ran once). */
  installed: boolean;
}

/**
 * Which clients look installed or configured for this folder and user: a config file in either
 * scope, or the folder that would hold its user config. Never throws on unreadable paths.
 */
export function detectClients(cwd: string, ctx: PathContext): DetectedClient[] {
  const out: DetectedClient[] = [];
  for (const client of CLIENTS) {
    if (!INIT_CLIENT_IDS.includes(client.id)) continue;
    const projectRel = projectFileOf(client);
    const project = projectRel && isFile(path.join(cwd, projectRel)) ? path.join(cwd, projectRel) : undefined;
    // Continue keeps one block file per server set: any of them means it is configured here.
    const continueBlocks = client.id === 'continue' ? anyFileIn(path.join(cwd, '.continue', 'mcpServers')) : undefined;
    const userFiles = client.userFiles(ctx);
    const user = userFiles.find((f) => isFile(f));
    const installed = !user && userFiles.some((f) => isDir(appFolder(client, f, ctx)));
    const projectFile = project ?? continueBlocks;
    out.push({id: client.id, name: client.name, ...(projectFile ? {project: projectFile} : {}), ...(user ? {user} : {}), configured: Boolean(projectFile || user), installed});
  }
  return out;
}

/** The folder whose existence says the client was installed: the first folder of its user path below home. */
function appFolder(client: ClientDefinition, file: string, ctx: PathContext): string {
  const rel = path.relative(ctx.home, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return path.dirname(file);
  const parts = rel.split(path.sep);
  // ~/.claude.json sits in home itself: the app folder is ~/.claude.
  if (parts.length === 1) return path.join(ctx.home, parts[0]!.replace(/\.json$/, ''));
  // ~/.config/<app>/… and ~/Library/Application Support/<app>/…: one level deeper than the base.
  const depth = parts[0] === '.config' || parts[0] === 'AppData' ? 2 : parts[0] === 'Library' ? 3 : 1;
  return path.join(ctx.home, ...parts.slice(0, Math.min(depth, parts.length - 1)));
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function anyFileIn(dir: string): string | undefined {
  try {
    const name = fs.readdirSync(dir).sort().find((n) => /\.(ya?ml|json)$/.test(n));
    return name ? path.join(dir, name) : undefined;
  } catch {
    return undefined;
  }
}
