/**
 * Finds the MCP config files to lint: every client's project files below each directory given
 * (skipping node_modules, .git and vendor folders, never following symlinked folders, so links
 * cannot loop), explicitly named files of any name, and with `user` the user-scope files of
 * every client for this OS. fast-glob is loaded only when a directory must be searched.
 */
import fs from 'node:fs';
import path from 'node:path';
import {BACKUP_SUFFIXES, CLIENTS, clientPatterns, suffixSource} from '../clients/index.js';
import {describeFsError} from '../clients/load.js';
import type {PathContext} from '../clients/types.js';
import type {FileError} from './types.js';

export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/vendor/**', '**/third_party/**', '**/bower_components/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**', '**/dist/**', '**/build/**', '**/.cache/**'];

export interface Target {
  file: string;
  /** Named on the command line (lint it whatever its name) rather than found by searching. */
  explicit: boolean;
}

export interface DiscoveryOptions {
  cwd: string;
  user: boolean;
  ctx: PathContext;
  /** Extra glob patterns to skip (from the project config). */
  ignore?: string[];
}

/**
 * Names that several clients use for their own file (e.g. `mcp_config.json` of Windsurf-like
 * clients such as `.antigravitycli/`), linted wherever they sit with the client picked by the
 * content's shape.
 */
export const GENERIC_NAMES = ['mcp.json', 'mcp_config.json', 'mcp-config.json', 'mcp_servers.json', 'mcp-servers.json'];

/**
 * Relative patterns of every file discovery looks for below a searched folder, deduplicated:
 * every client's project files and home layouts, the generic names, and backup copies of each
 * (`.claude.json.bak`, `mcp.json.orig`, `mcp_config.json~`). The git hook matches staged paths
 * against the same list.
 */
export function projectPatterns(): string[] {
  const base = [...new Set([...CLIENTS.flatMap(clientPatterns), ...GENERIC_NAMES])];
  return [...base, ...base.flatMap((p) => BACKUP_SUFFIXES.map((suffix) => p + suffix))];
}

let matcher: RegExp | undefined;

/** Is this (relative or absolute) path one discovery looks for? One compiled expression for all patterns. */
export function isDiscoverable(file: string): boolean {
  matcher ??= new RegExp('(^|/)(?:' + projectPatterns().map(suffixSource).join('|') + ')$');
  return matcher.test(file.split(path.sep).join('/'));
}

/** Two fast-glob patterns that select the candidates by file name; isDiscoverable then decides. */
function globPatterns(): string[] {
  const names = [...new Set([...CLIENTS.flatMap(clientPatterns), ...GENERIC_NAMES].map((p) => p.split('/').pop()!))];
  const group = `{${names.join(',')}}`;
  return [`**/${group}`, `**/${group}{${BACKUP_SUFFIXES.join(',')}}`];
}

/**
 * The paths to search when none are named: the current folder, also with `--user` (which adds
 * the home-folder configs to the project, it does not replace it). Lint, `secrets move` and
 * `import` all use this.
 */
export function defaultPaths(paths: string[] | undefined): string[] {
  return paths && paths.length > 0 ? paths : ['.'];
}

export async function discover(paths: string[], options: DiscoveryOptions): Promise<{targets: Target[]; errors: FileError[]}> {
  const targets: Target[] = [];
  const errors: FileError[] = [];
  const seen = new Set<string>();
  const add = (file: string, explicit: boolean) => {
    const abs = path.resolve(options.cwd, file);
    if (seen.has(abs)) return;
    seen.add(abs);
    targets.push({file: abs, explicit});
  };
  const dirs: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(options.cwd, p);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(abs);
    } catch (error) {
      errors.push({file: abs, message: describeFsError(error, abs)});
      continue;
    }
    // A folder named like a config file (`mcp.json/`) is a mistake, not a tree to search.
    if (stat.isDirectory() && /\.(json|jsonc|json5|toml|ya?ml)$/i.test(abs)) errors.push({file: abs, message: `${abs}: is a directory, not a config file`});
    else if (stat.isDirectory()) dirs.push(abs);
    else add(abs, true);
  }
  if (dirs.length > 0) {
    const {default: fg} = await import('fast-glob');
    const patterns = globPatterns();
    for (const dir of dirs) {
      const found = await fg(patterns, {
        cwd: dir,
        absolute: true,
        dot: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        suppressErrors: true,
        unique: true,
        ignore: [...DEFAULT_IGNORES, ...(options.ignore ?? [])],
      });
      for (const f of found.sort()) if (isDiscoverable(path.relative(dir, f))) add(f, false);
    }
  }
  if (options.user) {
    for (const client of CLIENTS) {
      for (const file of client.userFiles(options.ctx)) {
        // The file itself, and the copies left beside it (`~/.claude.json.bak`, `mcp.json~`).
        for (const candidate of [file, ...BACKUP_SUFFIXES.map((suffix) => file + suffix)]) if (fs.existsSync(candidate)) add(candidate, false);
      }
    }
    // Claude Code keeps timestamped copies of ~/.claude.json, secrets included.
    const backups = path.join(options.ctx.home, '.claude', 'backups');
    let names: string[] = [];
    try {
      names = await fs.promises.readdir(backups);
    } catch {
      // none
    }
    for (const name of names.sort()) if (name.startsWith('.claude.json.backup')) add(path.join(backups, name), false);
  }
  return {targets, errors};
}

