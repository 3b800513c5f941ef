/**
 * Which config entries reference each secret name (`${NAME}`, `${NAME:-…}`, `${env:NAME}`):
 * the project configs below the current folder and every client's user configs, read the way
 * lint reads them. For `mcpx secrets list`.
 */
import type {PathContext, Platform} from '../clients/types.js';
import {loadConfig} from '../clients/load.js';
import {discover} from '../lint/discovery.js';
import {parseBridgeArgv} from './bridge.js';
import {envBinding, launchReferenceNames, parseRunArgv} from './launch.js';
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

/**
 * The secrets an `mcpx run` or `mcpx bridge` launcher names: `--env KEY=NAME`, `--env KEY` with
 * no KEY in env, and `{{NAME}}` in the values `--env KEY` and `--arg N` name or in a bridge's URL
 * and headers.
 */
export function runEnvNames(args: readonly string[], env: Record<string, string>, out: Set<string>): void {
  // `mcpx run …` or `node …/mcpx/bin/run.js run …`: the subcommand comes first or second.
  const at = args[0] === 'run' || args[0] === 'bridge' ? 0 : args[1] === 'run' || args[1] === 'bridge' ? 1 : -1;
  if (at < 0) return;
  const add = (value: string | undefined) => {
    for (const n of launchReferenceNames(value ?? '')) out.add(n);
  };
  try {
    if (args[at] === 'bridge') {
      const bridge = parseBridgeArgv(args.slice(at + 1));
      add(bridge.url);
      for (const [, v] of bridge.headers) add(v);
      return;
    }
    const spec = parseRunArgv(args.slice(at + 1));
    for (const arg of spec.envNames) {
      const {key, name} = envBinding(arg);
      if (name !== undefined) out.add(name);
      else if (!(key in env)) out.add(key);
      else add(env[key]);
    }
    for (const i of spec.argRefs) add(spec.args[i]);
  } catch {
    // Not a command line mcpx wrote.
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
