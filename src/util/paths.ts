/**
 * Where mcpx keeps its own files. XDG-aware; `MCPX_HOME` overrides both (tests use a temp dir).
 */
import os from 'node:os';
import path from 'node:path';

export interface McpxDirs {
  config: string;
  cache: string;
}

export function mcpxDirs(env: NodeJS.ProcessEnv = process.env): McpxDirs {
  if (env.MCPX_HOME) {
    return {config: path.join(env.MCPX_HOME, 'config'), cache: path.join(env.MCPX_HOME, 'cache')};
  }
  const home = homeDir(env);
  const configBase = env.XDG_CONFIG_HOME || path.join(home, '.config');
  const cacheBase = env.XDG_CACHE_HOME || path.join(home, '.cache');
  return {config: path.join(configBase, 'mcpx'), cache: path.join(cacheBase, 'mcpx')};
}

/** The user's home directory, honouring `HOME` (and `USERPROFILE` on Windows) so tests can redirect it. */
export function homeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}

/** `~/x` → absolute; anything else resolved against cwd. */
export function expandHome(p: string, env: NodeJS.ProcessEnv = process.env): string {
  if (p === '~') return homeDir(env);
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(homeDir(env), p.slice(2));
  return path.resolve(p);
}

/** Shorten a path for display: relative to cwd when inside it, `~/…` when inside home. */
export function displayPath(p: string, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const rel = path.relative(cwd, p);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel;
  if (rel === '') return '.';
  const home = homeDir(env);
  if (p === home) return '~';
  if (p.startsWith(home + path.sep)) return '~' + path.sep + p.slice(home.length + 1);
  return p;
}
