/**
 * Error types shared by every command. `UserError` is for problems the user can act on
 * (bad input, missing keychain, unknown preset): it carries a hint that says what to do and
 * an exit code. Anything else reaching the top level is treated as a bug in mcpx.
 */

/** Exit codes shared by all commands (lint: 0 clean, 1 findings, 2 usage or unreadable input). */
export const ExitCode = {
  ok: 0,
  findings: 1,
  usage: 2,
  failure: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface UserErrorOptions {
  /** One line telling the user what to do next. */
  hint?: string;
  /** Process exit code; defaults to 2 (usage / bad input). */
  exitCode?: number;
  /** Stable machine-readable code, e.g. `E_PARSE`, `E_NO_KEYCHAIN`. */
  code?: string;
  cause?: unknown;
}

/** A problem with the user's input or environment, with a hint saying who must act and how. */
export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;
  readonly code: string;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause});
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.code = options.code ?? 'E_USAGE';
  }
}

/** What the user's machine, not mcpx, got wrong: errnos that name a full disk, a read-only or locked-down place. */
const SYSTEM_ERRNOS: Record<string, {what: string; hint: string}> = {
  ENOSPC: {what: 'The disk is full', hint: 'Free some space and run again; files mcpx writes are replaced atomically, so none was left half-written.'},
  EDQUOT: {what: 'The disk quota is used up', hint: 'Free some space (or raise the quota) and run again.'},
  EROFS: {what: 'The file system is read-only', hint: 'Run where the files can be written, or remount it read-write.'},
  EACCES: {what: 'Permission denied', hint: 'Check the owner and mode of that file or folder.'},
  EPERM: {what: 'Operation not permitted', hint: 'Check the owner, mode and attributes of that file or folder.'},
  EMFILE: {what: 'Too many open files', hint: 'Raise the open-file limit (ulimit -n) or close other programs.'},
  EIO: {what: 'An input/output error from the disk', hint: 'Check the disk; then run again.'},
};

/**
 * Turn a Node system error the environment caused (ENOSPC, EROFS, EACCES…) into a UserError
 * (exit 3) that says so, instead of calling it a bug in mcpx. Anything else comes back as it is.
 */
export function fromSystemError(error: unknown): unknown {
  if (error instanceof UserError || !(error instanceof Error)) return error;
  const errno = error as NodeJS.ErrnoException;
  const known = errno.code ? SYSTEM_ERRNOS[errno.code] : undefined;
  if (!known) return error;
  const where = errno.path ? ` (${errno.syscall ? `${errno.syscall} ` : ''}${errno.path})` : '';
  return new UserError(`${known.what}${where}: ${errno.code}.`, {code: `E_${errno.code}`, exitCode: ExitCode.failure, hint: known.hint, cause: error});
}

/** True when the user asked for debugging output (`DEBUG=mcpx*` or `DEBUG=*`). */
export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const debug = env.DEBUG ?? '';
  return debug.split(',').some((part) => {
    const p = part.trim();
    return p === '*' || p === 'mcpx' || p.startsWith('mcpx');
  });
}

/** Render an error for a terminal: message, hint, and a stack only when debugging. */
export function formatError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  error = fromSystemError(error);
  if (error instanceof UserError) {
    const lines = [`Error: ${error.message}`];
    if (error.hint) lines.push(`Hint: ${error.hint}`);
    if (debugEnabled(env) && error.stack) lines.push(error.stack);
    return lines.join('\n');
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const lines = [`Error: ${err.message}`];
  if (debugEnabled(env)) {
    if (err.stack) lines.push(err.stack);
  } else {
    lines.push('This looks like a bug in mcpx. Run again with DEBUG=mcpx* for details and report it.');
  }
  return lines.join('\n');
}
