/**
 * `mcpx run`: the launcher that `mcpx secrets move` and `mcpx init` write into client configs. It
 * resolves references in the env variables named with `--env` and the arguments named with
 * `--arg` (from the environment, then the keychain), then starts the original command with the
 * client's own stdio, forwarding signals and the exit code. Values never reach mcpx's own argv,
 * logs or disk: they go only into the child's environment, and into its arguments only where the
 * config puts a secret in an argument (the server then has it on its command line).
 *
 * The launchers write references as `{{NAME}}`, which no client expands: a `${NAME}` in an entry
 * is expanded by the clients that expand references themselves (Claude Code, VS Code, Cursor),
 * which warn when NAME is not in their environment. `${NAME}` is still resolved, as before.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';
import {UserError} from '../errors.js';
import {redact} from './mask.js';
import {envSource, keychainSource, type ReferenceSource, resolveString} from './resolve.js';

export interface RunSpec {
  /** Env variables whose values hold references to resolve (`KEY`), or keychain bindings (`KEY=NAME`). */
  envNames: string[];
  /** Indexes into `args` (0 = the first argument after the command) whose values hold `{{NAME}}` references. */
  argRefs: number[];
  /** Server name, for error messages. */
  server?: string;
  command: string;
  args: string[];
}

/** `--env KEY=NAME`: KEY gets the keychain entry NAME; `--env KEY`: KEY's own value, or the entry KEY. */
export function envBinding(arg: string): {key: string; name?: string} {
  const eq = arg.indexOf('=');
  return eq < 0 ? {key: arg} : {key: arg.slice(0, eq), name: arg.slice(eq + 1)};
}

/** A launcher reference: `{{NAME}}`. */
const LAUNCH_REFERENCE = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;

/** `${NAME}` → `{{NAME}}` (plain names only), the form the launchers' entries hold. */
export function toLaunchReferences(value: string): string {
  return value.replace(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '{{$1}}');
}

/** `{{NAME}}` → `${NAME}`, for the resolver (and for configs that want the usual form, like mcpx's own). */
export function fromLaunchReferences(value: string): string {
  return value.replace(LAUNCH_REFERENCE, '$${$1}');
}

/** The names a launcher value refers to with `{{NAME}}`. */
export function launchReferenceNames(value: string): string[] {
  return [...value.matchAll(LAUNCH_REFERENCE)].map((m) => m[1]!);
}

const RUN_USAGE = 'Usage: mcpx run [--server NAME] [--env KEY[=NAME]]... [--arg N]... -- COMMAND [ARGS...]';

/** Parse `[--server NAME] [--env KEY[=NAME]]... [--arg N]... -- command [args...]`. */
export function parseRunArgv(argv: string[]): RunSpec {
  const envNames: string[] = [];
  const argRefs: number[] = [];
  const addArg = (v: string) => {
    if (!/^\d{1,4}$/.test(v)) throw new UserError(`--arg takes the index of an argument after the command (0 for the first), not "${v}".`, {hint: RUN_USAGE});
    argRefs.push(Number(v));
  };
  let server: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--env' || a === '--server' || a === '--arg') {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`${a} needs a value.`, {hint: RUN_USAGE});
      if (a === '--env') envNames.push(v);
      else if (a === '--arg') addArg(v);
      else server = v;
    } else if (a.startsWith('--env=')) envNames.push(a.slice(6));
    else if (a.startsWith('--arg=')) addArg(a.slice(6));
    else if (a.startsWith('--server=')) server = a.slice(9);
    else if (a.startsWith('-')) throw new UserError(`Unknown flag ${a} for mcpx run.`, {hint: RUN_USAGE});
    else break;
  }
  const [command, ...args] = argv.slice(i);
  if (!command) throw new UserError('mcpx run needs a command to start.', {hint: RUN_USAGE});
  for (const n of argRefs) {
    if (n >= args.length) throw new UserError(`--arg ${n} names no argument: ${command} has ${args.length} argument${args.length === 1 ? '' : 's'} (0 is the first).`, {hint: RUN_USAGE});
  }
  return {envNames, argRefs, server, command, args};
}

/**
 * A run spec as a plain server spec, references in the usual `${NAME}` form: the env the child
 * gets (`--env KEY=NAME` and `--env KEY` bindings become `KEY: ${NAME}`) and its arguments. For
 * `mcpx import`, which moves wrapped entries into mcpx's own config.
 */
export function unwrapRun(spec: RunSpec, env: Record<string, string> = {}): {command: string; args: string[]; env: Record<string, string>} {
  const out: Record<string, string> = {...env};
  for (const arg of spec.envNames) {
    const {key, name} = envBinding(arg);
    const value = env[key];
    if (name !== undefined) out[key] = '${' + name + '}';
    else out[key] = value === undefined ? '${' + key + '}' : fromLaunchReferences(value);
  }
  const args = spec.args.map((a, i) => (spec.argRefs.includes(i) ? fromLaunchReferences(a) : a));
  return {command: spec.command, args, env: out};
}

/** Resolve the references of a run spec. Throws UnresolvedReferenceError naming the variable. */
export async function resolveRun(spec: RunSpec, env: NodeJS.ProcessEnv, sources?: readonly ReferenceSource[]) {
  // The --env variables hold the references themselves (`GITHUB_TOKEN=${GITHUB_TOKEN}`), so they
  // cannot be a source for them: look names up in the rest of the environment, then the keychain.
  const keys = spec.envNames.map((n) => envBinding(n).key);
  const others = Object.fromEntries(Object.entries(env).filter(([k]) => !keys.includes(k)));
  sources ??= [envSource(others), keychainSource()];
  const childEnv: NodeJS.ProcessEnv = {...env};
  const secrets: string[] = [];
  for (const arg of spec.envNames) {
    // `KEY` alone: KEY's own value holds references, or (when the client passed no KEY) KEY is
    // the secret's name.
    const {key: name, name: secret} = envBinding(arg);
    const raw = secret !== undefined ? '${' + secret + '}' : fromLaunchReferences(env[name] ?? '${' + name + '}');
    const r = await resolveString(raw, sources, {server: spec.server, field: `env.${name}`});
    childEnv[name] = r.value;
    secrets.push(...r.secrets);
  }
  const args: string[] = [];
  for (const [i, arg] of spec.args.entries()) {
    const r = await resolveString(spec.argRefs.includes(i) ? fromLaunchReferences(arg) : arg, sources, {server: spec.server, field: `args[${i}]`});
    args.push(r.value);
    secrets.push(...r.secrets);
  }
  // GUI clients start servers with a minimal PATH; let `#!/usr/bin/env node` scripts (npx...) find this node.
  const nodeDir = path.dirname(process.execPath);
  const parts = (childEnv.PATH ?? '').split(path.delimiter).filter(Boolean);
  if (!parts.includes(nodeDir)) childEnv.PATH = [...parts, nodeDir].join(path.delimiter);
  return {env: childEnv, args, secrets};
}

/** Start the server and resolve with its exit code (128 + signal number when killed by a signal). */
export async function runServer(spec: RunSpec, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const resolved = await resolveRun(spec, env);
  return await new Promise<number>((resolve) => {
    const child = spawn(spec.command, resolved.args, {stdio: 'inherit', env: resolved.env});
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
    for (const [s, h] of handlers) process.on(s, h);
    child.on('error', (error) => {
      process.stderr.write(`mcpx run: cannot start ${spec.command}: ${redact(error.message, resolved.secrets)}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 1));
    });
  });
}
