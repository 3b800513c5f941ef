/**
 * The fast entry point of `mcpx serve` (bin/run.js calls it without loading oclif, which would
 * add ~150 ms to every client's start). Takes the same flags as the oclif command in
 * src/commands/serve.ts, which still serves `mcpx serve --help`.
 */
import fs from 'node:fs';
import {fileURLToPath} from 'node:url';
import {formatError, UserError} from '../errors.js';
import type {LogLevel, ServeMode} from './config.js';

const MODES = ['search', 'direct'];
const LEVELS = ['error', 'warn', 'info', 'debug'];

/** Parse `serve` flags. Throws UserError on an unknown flag or a bad value. */
export interface ServeArgs {
  config?: string;
  mode?: ServeMode;
  logFile?: string;
  logLevel?: LogLevel;
  http?: string;
  httpOptions?: {maxSessions?: number; sessionIdleMs?: number; allowedHosts?: string[]; allowedOrigins?: string[]};
}

export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const out: ServeArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => {
      const v = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UserError(`Flag ${flag} needs a value.`, {hint: 'Run mcpx serve --help to see the usage.'});
      return v;
    };
    const oneOf = (v: string, allowed: string[]) => {
      if (!allowed.includes(v)) throw new UserError(`Expected ${flag} to be one of: ${allowed.join(', ')}; got '${v}'.`, {hint: 'Run mcpx serve --help to see the usage.'});
      return v;
    };
    switch (flag) {
      case '--config':
      case '-c':
        out.config = value();
        break;
      case '--mode':
        out.mode = oneOf(value(), MODES) as ServeMode;
        break;
      case '--log-file':
        out.logFile = value();
        break;
      case '--log-level':
        out.logLevel = oneOf(value(), LEVELS) as LogLevel;
        break;
      case '--http':
        out.http = value();
        break;
      case '--http-max-sessions':
        (out.httpOptions ??= {}).maxSessions = positive(flag, value());
        break;
      case '--http-session-idle':
        (out.httpOptions ??= {}).sessionIdleMs = positive(flag, value()) * 1000;
        break;
      case '--http-allow-host':
        ((out.httpOptions ??= {}).allowedHosts ??= []).push(value());
        break;
      case '--http-allow-origin':
        ((out.httpOptions ??= {}).allowedOrigins ??= []).push(value());
        break;
      default:
        throw new UserError(`Unknown flag ${arg}.`, {hint: 'Run mcpx serve --help to see the flags this command takes.', code: 'E_UNKNOWN_FLAG'});
    }
  }
  if (out.httpOptions && out.http === undefined) throw new UserError('The --http-* flags need --http HOST:PORT.', {hint: 'Run mcpx serve --help to see the usage.'});
  return out;
}

function positive(flag: string, v: string): number {
  if (!/^[1-9]\d{0,8}$/.test(v)) throw new UserError(`Expected ${flag} to be a positive whole number; got '${v}'.`, {hint: 'Run mcpx serve --help to see the usage.'});
  return Number(v);
}

/** Run `mcpx serve` with `argv` (the arguments after `serve`); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let flags: ServeArgs;
  try {
    flags = parseServeArgs(argv);
  } catch (error) {
    process.stderr.write(formatError(error) + '\n');
    return error instanceof UserError ? error.exitCode : 3;
  }
  const {runServe} = await import('./serve.js');
  try {
    await runServe({...flags, version: packageVersion()});
  } catch (error) {
    process.stderr.write(formatError(error) + '\n');
    return error instanceof UserError ? error.exitCode : 3;
  }
  // Stray handles (an HTTP keep-alive, an SDK timer) must not keep a finished proxy alive.
  process.exit(0);
}

function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {version: string}).version;
  } catch {
    return '0.0.0';
  }
}
