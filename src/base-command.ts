/**
 * The house base command: every mcpx command extends it. It adds `--json` (one envelope for
 * every command), maps errors to exit codes and hints, suggests the right flag for a mistyped
 * one, and never shows a stack trace unless `DEBUG=mcpx*`.
 */
import {Command, Errors} from '@oclif/core';
import {ExitCode, UserError, debugEnabled, formatError, fromSystemError} from './errors.js';
import type {SecretStore} from './secrets/store-types.js';
import {didYouMean} from './util/suggest.js';

export interface JsonEnvelope<T> {
  ok: boolean;
  command: string;
  result?: T;
  error?: {code: string; message: string; hint?: string};
}

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  /** Turn oclif's parse failures into UserErrors with suggestions. */
  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    const userError = toUserError(err, this.ctor.flags ? Object.keys(this.ctor.flags) : []);
    if (userError === 'exit') throw err;
    process.exitCode = userError instanceof UserError ? userError.exitCode : ExitCode.failure;
    if (this.jsonEnabled()) {
      const e = userError instanceof UserError ? userError : undefined;
      const envelope: JsonEnvelope<never> = {
        ok: false,
        command: this.id ?? '',
        error: {
          code: e?.code ?? 'E_INTERNAL',
          message: userError instanceof Error ? userError.message : String(userError),
          ...(e?.hint ? {hint: e.hint} : {}),
        },
      };
      process.stdout.write(JSON.stringify(envelope, null, 2) + '\n');
    } else {
      process.stderr.write(formatError(userError) + '\n');
    }
    if (debugEnabled() && !(userError instanceof UserError)) process.stderr.write(String(err.stack) + '\n');
    return undefined;
  }

  /** Print for people only: nothing under `--json`, whose stdout is the envelope. */
  protected logHuman(text: string): void {
    if (!this.jsonEnabled()) this.log(text);
  }

  /** A warning for people, on stderr; nothing under `--json`. */
  protected warnHuman(text: string): void {
    if (!this.jsonEnabled()) process.stderr.write(text + '\n');
  }

  /**
   * Ask before changing anything: `yes` skips the question; without a terminal (or under
   * `--json`) it fails with E_CONFIRM, so scripts never hang on a prompt.
   */
  protected async confirmOrFail(yes: boolean | undefined, question: string): Promise<void> {
    if (yes) return;
    this.failUnlessConfirmable(yes);
    const {confirm} = await import('@inquirer/prompts');
    const ok = await confirm({message: question, default: false}).catch(() => false);
    if (!ok) throw new UserError('Cancelled; nothing was changed.', {code: 'E_CANCELLED', exitCode: 1});
  }

  /**
   * Fail with E_CONFIRM now, before printing a plan, when a confirmation will be needed and
   * cannot be asked (no `--yes`, no terminal, or `--json`).
   */
  protected failUnlessConfirmable(yes: boolean | undefined): void {
    if (yes) return;
    if (!process.stdin.isTTY || this.jsonEnabled()) {
      throw new UserError('Confirmation needed, and there is no terminal to ask in.', {code: 'E_CONFIRM', hint: 'Run again with --yes (or --dry-run to see the plan).'});
    }
  }

  /** Run `work` with an AbortSignal that Ctrl-C (SIGINT) or SIGTERM aborts, so it can roll back. */
  protected async abortableOnSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await work(controller.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  /**
   * The one confirm → diff → apply flow of every command that changes files and the keychain
   * (`secrets move`, `import`, and their `--undo`). Unless it is a dry run, the transaction lock
   * is held from the plan to the end of the apply, and an interrupted earlier run is recovered
   * first (and reported). Then: `summary` (false: nothing to do), the diff, "Dry run" or the
   * confirmation, and the apply, which Ctrl-C rolls back.
   */
  protected async planConfirmApply<P, R>(spec: PlannedChange<P, R>): Promise<{plan: P; applied?: R}> {
    const flow = async (): Promise<{plan: P; applied?: R}> => {
      const plan = await spec.plan();
      if (!(await spec.summary(plan))) return {plan};
      if (!spec.dryRun && spec.confirmBeforeDiff) this.failUnlessConfirmable(spec.yes);
      this.logHuman(await spec.diff(plan));
      if (spec.dryRun) {
        this.logHuman('Dry run: nothing was changed.');
        return {plan};
      }
      await this.confirmOrFail(spec.yes, spec.question(plan));
      // Ctrl-C during the apply rolls back instead of leaving half a change.
      const applied = await this.abortableOnSignal((signal) => spec.apply(plan, signal));
      return {plan, applied};
    };
    if (spec.dryRun) return flow();
    const {withTransactionLock, describeRecovery} = await import('./util/transaction.js');
    return withTransactionLock({stateDir: spec.stateDir, store: spec.store, isReferenced: spec.isReferenced, onRecovered: (r) => this.warnHuman(describeRecovery(r))}, flow);
  }

  /** Wrap a successful result in the JSON envelope (used when `--json` is given). */
  protected override toSuccessJson(result: unknown): unknown {
    return {ok: true, command: this.id ?? '', result};
  }
}

/** What `planConfirmApply` needs from a command. */
export interface PlannedChange<P, R> {
  /** mcpx's state folder: the transaction lock and journal. */
  stateDir: string;
  store: SecretStore;
  isReferenced?: (account: string) => Promise<boolean>;
  dryRun: boolean;
  yes: boolean | undefined;
  /** Refuse (no terminal, no --yes) before the diff is printed: an undo's diff shows where values go back. */
  confirmBeforeDiff?: boolean;
  plan: () => Promise<P>;
  /** Print what the plan does; false when there is nothing to do (having said so). */
  summary: (plan: P) => Promise<boolean> | boolean;
  /** The diff, secrets masked. */
  diff: (plan: P) => Promise<string>;
  question: (plan: P) => string;
  apply: (plan: P, signal: AbortSignal) => Promise<R>;
}

/** Map oclif's own errors onto UserError; `exit` means "let oclif's exit through untouched". */
export function toUserError(err: Error & {oclif?: {exit?: number}}, flagNames: string[]): Error | 'exit' {
  if (err instanceof UserError) return err;
  if (err instanceof Errors.ExitError) return 'exit';
  const system = fromSystemError(err);
  if (system instanceof UserError) return system;
  const message = err.message ?? '';
  const nonexistent = /Nonexistent flags?: (.+)/.exec(message);
  if (nonexistent) {
    const flags = nonexistent[1]!.split(/,\s*/).map((f) => f.trim());
    const hints = flags.map((f) => didYouMean(f.replace(/^-+/, '').replace(/=.*$/, ''), flagNames).replace(/'([^']+)'/g, "'--$1'")).filter(Boolean);
    return new UserError(`Unknown flag ${flags.join(', ')}.${hints.join('')}`, {
      hint: 'Run with --help to see the flags this command takes.',
      code: 'E_UNKNOWN_FLAG',
    });
  }
  if (err.name === 'CLIError' || /Missing required|Unexpected argument|Expected --|exclusive|is not one of|Parsing --/i.test(message)) {
    return new UserError(message.replace(/\n\s*See more help with --help/, ''), {
      hint: 'Run with --help to see the usage.',
      code: 'E_USAGE',
    });
  }
  return err;
}
