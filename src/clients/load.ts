/**
 * Read one MCP config file the way every command does: refuse what is not a config (folders,
 * binaries, huge files), pick the client by location (or by shape for files of unknown name),
 * parse with only the parser its format needs, and read its servers. Shared by lint,
 * `secrets move` and the other commands that work on client configs.
 */
import fs from 'node:fs';
import type {ClientDefinition, PathContext} from './types.js';
import {CLIENTS, clientForFile, getClient} from './index.js';
import {ParseError} from '../config/parse-error.js';
import {BoundedReadError, readBounded} from '../util/bounded-read.js';
import {parseDocumentLazy} from '../config/load.js';
import {sniffFormat} from '../config/sniff.js';
import type {ConfigDocument} from '../config/types.js';
import type {ClientId, ServerEntry} from '../model.js';

/** Files larger than this are not MCP configs; reading them would only slow the run. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

export interface LoadedConfig {
  file: string;
  text: string;
  stat: fs.Stats;
  client?: ClientDefinition;
  /** How the client was chosen: `--client`, the file's path, or the content's shape. */
  clientBy?: ClientChoice;
  doc?: ConfigDocument;
  servers: ServerEntry[];
  parseError?: ParseError;
}

export type ClientChoice = 'flag' | 'name' | 'content';

/** A file that could not be read as a config at all; `message` names the file and the reason. */
export class UnreadableConfigError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableConfigError';
  }
}

/**
 * Load `file`. Throws UnreadableConfigError (folder, binary, too large, EACCES, ELOOP...);
 * a syntax error is returned as `parseError` so callers can report it and go on.
 */
export async function loadConfig(file: string, options: {client?: ClientId; ctx: PathContext}): Promise<LoadedConfig> {
  let stat: fs.Stats;
  let buf: Buffer;
  try {
    stat = await fs.promises.stat(file);
    if (stat.isDirectory()) throw new UnreadableConfigError(file, `${file}: is a directory`);
    if (!stat.isFile()) throw new UnreadableConfigError(file, `${file}: not a regular file`);
    if (stat.size > MAX_FILE_BYTES) throw new UnreadableConfigError(file, `${file}: too large for an MCP config (${stat.size} bytes; the limit is ${MAX_FILE_BYTES})`);
    // Bounded whatever stat said: /proc files report size 0 and can yield gigabytes.
    buf = await readBounded(file, MAX_FILE_BYTES);
  } catch (error) {
    if (error instanceof UnreadableConfigError) throw error;
    if (error instanceof BoundedReadError) {
      throw new UnreadableConfigError(file, error.kind === 'too-large' ? `${file}: too large for an MCP config (more than ${MAX_FILE_BYTES} bytes)` : error.message);
    }
    throw new UnreadableConfigError(file, describeFsError(error, file));
  }
  if (buf.subarray(0, 8192).includes(0)) throw new UnreadableConfigError(file, `${file}: a binary file, not a config`);
  const text = buf.toString('utf8');
  let client: ClientDefinition | undefined = options.client ? getClient(options.client) : clientForFile(file, options.ctx);
  const format = client ? client.format : sniffFormat(file, text);
  const loaded: LoadedConfig = {file, text, stat, client, servers: []};
  if (client) loaded.clientBy = options.client ? 'flag' : 'name';
  try {
    loaded.doc = await parseDocumentLazy(text, format, file);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    loaded.parseError = error;
    return loaded;
  }
  if (!client) {
    client = clientByShape(loaded.doc);
    if (client) loaded.clientBy = 'content';
  }
  loaded.client = client;
  loaded.servers = client ? client.readServers(loaded.doc) : [];
  return loaded;
}

/** For a file of unknown name: the client whose top-level key it has. */
export function clientByShape(doc: ConfigDocument): ClientDefinition | undefined {
  const v = doc.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const keys = Object.keys(v);
  const rec = v as Record<string, unknown>;
  // Claude Code's home file keeps per-project maps under projects[*].mcpServers.
  const projects = rec.projects;
  if (typeof projects === 'object' && projects !== null && Object.values(projects).some((p) => typeof p === 'object' && p !== null && 'mcpServers' in p)) return CLIENTS.find((c) => c.id === 'claude-code');
  // VS Code's settings.json: "mcp": {"servers": …} or a flat "mcp.servers".
  const mcp = rec.mcp;
  if (keys.includes('mcp.servers') || (typeof mcp === 'object' && mcp !== null && 'servers' in mcp)) return CLIENTS.find((c) => c.id === 'vscode');
  const byKey: Array<[string, ClientId]> = [
    ['mcpServers', 'claude-desktop'],
    ['servers', 'vscode'],
    ['context_servers', 'zed'],
    ['mcp_servers', 'codex'],
    ['extensions', 'goose'],
  ];
  for (const [key, id] of byKey) {
    if (keys.includes(key)) {
      const found = CLIENTS.find((c) => c.id === id);
      if (found) return found;
    }
  }
  return undefined;
}

/** A one-line, user-facing description of a filesystem error. */
export function describeFsError(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return `${file}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${file}: permission denied (cannot read it)`;
    case 'ELOOP':
      return `${file}: too many levels of symbolic links (a symlink loop)`;
    case 'EISDIR':
      return `${file}: is a directory`;
    default:
      return `${file}: ${(error as Error).message}`;
  }
}
