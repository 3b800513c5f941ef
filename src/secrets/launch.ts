/**
 * `mcpx run`: the launcher that `mcpx secrets move` writes into client configs. It resolves
 * `${NAME}` references in the server's args and in the env variables named with `--env` (from
 * the environment, then the keychain), then starts the original command with the client's own
 * stdio, forwarding signals and the exit code. Values never reach argv, logs or disk: they go
 * only into the child's environment and arguments.
 */
import {spawn} from 'node:child_process';
import path from 'node:path';
import {UserError} from '../errors.js';
import {redact} from './mask.js';
import {envSource, keychainSource, type ReferenceSource, resolveString} from './resolve.js';

export interface RunSpec {
  /** Env variables whose values hold references to resolve. */
  envNames: string[];
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

/** Parse `[--server NAME] [--env KEY[=NAME]]... -- command [args...]`. */
export function parseRunArgv(argv: string[]): RunSpec {
  const envNames: string[] = [];
  let server: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '--env' || a === '--server') {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`${a} needs a value.`, {hint: 'Usage: mcpx run [--server NAME] [--env KEY[=NAME]]... -- COMMAND [ARGS...]'});
      if (a === '--env') envNames.push(v);
      else server = v;
    } else if (a.startsWith('--env=')) envNames.push(a.slice(6));
    else if (a.startsWith('--server=')) server = a.slice(9);
    else if (a.startsWith('-')) throw new UserError(`Unknown flag ${a} for mcpx run.`, {hint: 'Usage: mcpx run [--server NAME] [--env KEY[=NAME]]... -- COMMAND [ARGS...]'});
    else break;
  }
  const [command, ...args] = argv.slice(i);
  if (!command) throw new UserError('mcpx run needs a command to start.', {hint: 'Usage: mcpx run [--server NAME] [--env KEY[=NAME]]... -- COMMAND [ARGS...]'});
  return {envNames, server, command, args};
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
    const raw = secret !== undefined ? '${' + secret + '}' : env[name] ?? '${' + name + '}';
    const r = await resolveString(raw, sources, {server: spec.server, field: `env.${name}`});
    childEnv[name] = r.value;
    secrets.push(...r.secrets);
  }
  const args: string[] = [];
  for (const [i, arg] of spec.args.entries()) {
    const r = await resolveString(arg, sources, {server: spec.server, field: `args[${i}]`});
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
