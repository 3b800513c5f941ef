/**
 * Finds the MCP config files to lint: every client's project files below each directory given
 * (skipping node_modules, .git and vendor folders, never following symlinked folders, so links
 * cannot loop), explicitly named files of any name, and with `user` the user-scope files of
 * every client for this OS. fast-glob is loaded only when a directory must be searched.
 */
import fs from 'node:fs';
import path from 'node:path';
import {CLIENTS} from '../clients/index.js';
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

/** Project-relative patterns of every client, deduplicated. */
export function projectPatterns(): string[] {
  return [...new Set(CLIENTS.flatMap((c) => c.projectFiles))];
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
    if (stat.isDirectory()) dirs.push(abs);
    else add(abs, true);
  }
  if (dirs.length > 0) {
    const {default: fg} = await import('fast-glob');
    const patterns = projectPatterns().map((p) => `**/${p}`);
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
      for (const f of found.sort()) add(f, false);
    }
  }
  if (options.user) {
    for (const client of CLIENTS) {
      for (const file of client.userFiles(options.ctx)) {
        if (fs.existsSync(file)) add(file, false);
      }
    }
  }
  return {targets, errors};
}

