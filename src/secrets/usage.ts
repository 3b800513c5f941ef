/**
 * Which config entries reference each secret name (`${NAME}`, `${NAME:-…}`, `${env:NAME}`):
 * the project configs below the current folder and every client's user configs, read the way
 * lint reads them. For `mcpx secrets list`.
 */
import type {PathContext, Platform} from '../clients/types.js';
import {loadConfig} from '../clients/load.js';
import {discover} from '../lint/discovery.js';
import {envBinding, parseRunArgv} from './launch.js';
import {displayPath, homeDir} from '../util/paths.js';

function referencedNames(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(/(?<!\$)\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)) out.add(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedNames(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedNames(v, out);
  }
}

/** The secrets an `mcpx run --env KEY=NAME` (or `--env KEY` with no KEY in env) launcher names. */
export function runEnvNames(args: readonly string[], env: Record<string, string>, out: Set<string>): void {
  // `mcpx run …` or `node …/mcpx/bin/run.js run …`: the subcommand comes first or second.
  const run = args[0] === 'run' ? 0 : args[1] === 'run' ? 1 : -1;
  if (run < 0) return;
  let spec;
  try {
    spec = parseRunArgv(args.slice(run + 1));
  } catch {
    return;
  }
  for (const arg of spec.envNames) {
    const {key, name} = envBinding(arg);
    if (name !== undefined) out.add(name);
    else if (!(key in env)) out.add(key);
  }
}

export async function secretUsage(names: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv} = {}): Promise<Map<string, string[]>> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const p = process.platform;
  const ctx: PathContext = {home: homeDir(env), platform: (p === 'darwin' || p === 'win32' ? p : 'linux') as Platform, env};
  const {targets} = await discover([cwd], {cwd, user: true, ctx});
  const usage = new Map<string, string[]>();
  const wanted = new Set(names);
  for (const target of targets) {
    let loaded;
    try {
      loaded = await loadConfig(target.file, {ctx});
    } catch {
      continue;
    }
    for (const server of loaded.servers) {
      const found = new Set<string>();
      referencedNames(server.raw, found);
      runEnvNames(server.args ?? [], server.env ?? {}, found);
      for (const name of found) {
        if (!wanted.has(name)) continue;
        usage.set(name, [...(usage.get(name) ?? []), `${displayPath(target.file, cwd, env)}: ${server.name}`]);
      }
    }
  }
  return usage;
}
