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
