/** Run the built CLI (`node bin/run.js …`) as a user would, capturing output and exit code. */
import {spawn} from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin', 'run.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Run as another user (via setpriv), e.g. to see EACCES while the tests run as root. */
  asUser?: string;
}

/** Run the built CLI with the test's environment on top of this process's. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const cmd = options.asUser ? 'setpriv' : process.execPath;
  const argv = options.asUser
    ? ['--reuid', options.asUser, '--regid', 'nogroup', '--clear-groups', '--', process.execPath, BIN, ...args]
    : [BIN, ...args];
  return runCommand(cmd, argv, {
    cwd: options.cwd ?? ROOT,
    env: {...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env},
    input: options.input ?? '',
    timeoutMs: options.timeoutMs,
  });
}

export interface CommandOptions {
  cwd?: string;
  /** The whole environment of the command (nothing is inherited). */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, then EOF; without it stdin is closed (ignored). */
  input?: string;
  /** SIGKILL after this many ms (default 20 s). */
  timeoutMs?: number;
}

/** Run any command, capturing stdout, stderr and the exit code (null when killed). */
export function runCommand(cmd: string, args: string[], options: CommandOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
    if (options.input !== undefined) {
      // The command may exit before reading stdin (e.g. it refuses early); that is fine.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(options.input);
    }
  });
}
