/**
 * The one transaction engine behind every command that changes the keychain and files together
 * (`secrets move` and its `--undo`, `import` and its `--undo`, `init`/`add`).
 *
 * A transaction is a list of steps — create, replace or delete a keychain entry; write or remove
 * a file — each with a do and an undo. Before the first step changes anything, an intent journal
 * (`<state>/transaction/intent.json`, 0600, fsynced) lists every step; before each step it is
 * rewritten to say how far the run got. So a crash at any instant (kill -9, power loss, a full
 * disk) leaves something the next run can roll back: whichever mcpx command takes the lock next
 * (or `--undo`) finds the journal and puts back exactly what that run had changed.
 *
 * The journal holds no secret value. Keychain steps name the entry (`env/NAME`); the old value of
 * a replaced or deleted entry is kept in the keychain itself, under `mcpx-txn/<id>/<step>`, until
 * the transaction ends. A file step keeps hashes of the content before and after, and the
 * content before goes to a pre-image file beside the journal (0600 in a 0700 folder, deleted when
 * the transaction ends): it is a copy of a file that was on disk already (a config about to have
 * its secrets moved out can hold them), never more readable than the original was.
 *
 * One cross-process lock (`<state>/transaction/lock`, util/lock.ts) is held from the plan to the
 * end of the apply, so two runs never plan against each other's half-done changes. A rollback
 * removes only what this run created, leaves a file that someone else changed since (and says
 * so), and never deletes a keychain entry that a file on disk still refers to.
 */
import {AsyncLocalStorage} from 'node:async_hooks';
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fromSystemError, UserError} from '../errors.js';
import type {SecretStore} from '../secrets/store-types.js';
import {writeAtomically} from './atomic-write.js';
import {withLock} from './lock.js';

/** How an operation names itself in its messages. */
export interface OperationWords {
  /** 'move' ("during the move"). */
  noun: string;
  /** 'moved' ("nothing was moved"). */
  past: string;
  /** The command to run again, e.g. 'mcpx secrets move'. */
  rerun: string;
}

export interface SecretStep {
  kind: 'secret';
  /** create: the entry must not exist yet; replace: set it (created when missing); delete: remove it. */
  op: 'create' | 'replace' | 'delete';
  /** The keychain account, e.g. `env/GITHUB_TOKEN`. */
  account: string;
  /** The value to store (create, replace); memory only, never journalled. */
  value?: string;
}

export interface FileStep {
  kind: 'file';
  /** write: replace or create the file; remove: delete it. */
  op: 'write' | 'remove';
  file: string;
  /** The content the plan saw; undefined: the file must not exist (write creates it). */
  before?: string;
  /** The new content (write). */
  after?: string;
  /** The mode a rollback gives the file back. */
  mode?: number;
  /** The mode to write with (tightening an existing file's). Default 0o600. */
  writeMode?: number;
}

export type Step = SecretStep | FileStep;

/** One step as the journal records it: names, paths and hashes, never a value. */
interface JournalStep {
  kind: 'secret' | 'file';
  op: string;
  account?: string;
  /** replace/delete: the old value was saved under `backup` and read back. */
  backedUp?: boolean;
  backup?: string;
  /** replace found no entry: undo deletes it, as for create. */
  created?: boolean;
  file?: string;
  mode?: number;
  beforeHash?: string;
  afterHash?: string;
  /** The pre-image file name (in the journal folder). */
  pre?: string;
  /** Folders a created file needed (deepest last); undo removes them while empty. */
  dirs?: string[];
}

interface Journal {
  version: 1;
  id: string;
  pid: number;
  command: string;
  startedAt: string;
  /** applying: roll back on recovery; committed: every step is done, only clean-up is left. */
  state: 'applying' | 'committed';
  /** The last step that may have started (-1: none). */
  reached: number;
  steps: JournalStep[];
}

export interface TransactionOptions {
  /** mcpx's state folder; the journal, pre-images and lock live in `<stateDir>/transaction`. */
  stateDir: string;
  /** Needed when a step touches the keychain (and for recovering such a step). */
  store?: SecretStore;
  /** Aborting (Ctrl-C) rolls everything back. */
  signal?: AbortSignal;
  /** Writes file steps; replaceable in tests to inject a disk failure. */
  write?: typeof writeAtomically;
  words: OperationWords;
  /** True when a file on disk refers to this keychain account: a rollback then keeps it. */
  isReferenced?: (account: string) => Promise<boolean>;
  /** Tests: called before step `index` (and once more with `steps.length` before the commit). */
  beforeStep?: (index: number) => void | Promise<void>;
}

export interface RecoveryReport {
  /** The command the interrupted run was, e.g. 'mcpx secrets move'. */
  command: string;
  startedAt: string;
  /** rolled-back: the half-done run was undone; finished: it had completed, only clean-up was left. */
  outcome: 'rolled-back' | 'finished';
  /** Files given their old content back (or removed when the run had created them). */
  files: string[];
  /** Keychain accounts removed (the run had created them). */
  removed: string[];
  /** Keychain accounts given their old value back. */
  restored: string[];
  /** Created keychain accounts kept because a file refers to them. */
  kept: string[];
}

export interface LockContext {
  stateDir: string;
  store?: SecretStore;
  isReferenced?: (account: string) => Promise<boolean>;
  /** Told when the lock holder found an interrupted run and rolled it back (or finished it). */
  onRecovered?: (report: RecoveryReport) => void;
  /** How long to wait for another mcpx holding the lock (ms). Default 30 s. */
  waitMs?: number;
}

const held = new AsyncLocalStorage<Set<string>>();

export function transactionDir(stateDir: string): string {
  return path.join(path.resolve(stateDir), 'transaction');
}

const journalPath = (stateDir: string) => path.join(transactionDir(stateDir), 'intent.json');

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Run `fn` holding the transaction lock of `stateDir` (re-entrant within one async flow, so a
 * command can hold it from plan to apply and the apply still takes it when called alone). On first
 * taking it, an interrupted earlier run is recovered (rolled back, or its clean-up finished).
 * @throws UserError `E_LOCK` when another live mcpx holds it longer than `waitMs`; `E_RECOVER` when an interrupted run cannot be rolled back.
 */
export async function withTransactionLock<T>(ctx: LockContext, fn: () => Promise<T>): Promise<T> {
  const dir = transactionDir(ctx.stateDir);
  const mine = held.getStore();
  if (mine?.has(dir)) return fn();
  // Folders made only for the lock go again afterwards (while empty): a run leaves no trace.
  const made = missingDirs(dir);
  try {
    fs.mkdirSync(dir, {recursive: true, mode: 0o700});
  } catch (error) {
    throw nothingChanged(error, 'its state folder cannot be written');
  }
  let started = false;
  const run = () =>
    withLock(
      path.join(dir, 'lock'),
      async () => {
        started = true;
        const report = await recoverTransaction(ctx);
        if (report) ctx.onRecovered?.(report);
        return fn();
      },
      // A confirmation prompt can keep the lock for long; a dead holder is noticed by its pid.
      {waitMs: ctx.waitMs ?? 30_000, staleMs: 12 * 3600_000, code: 'E_LOCK'},
    );
  return held.run(new Set([...(mine ?? []), dir]), async () => {
    try {
      // Another mcpx may remove the (empty) folder just as this one makes its lock there: make it again.
      for (let attempt = 0; ; attempt++) {
        try {
          return await run();
        } catch (error) {
          if (started || attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          fs.mkdirSync(dir, {recursive: true, mode: 0o700});
        }
      }
    } catch (error) {
      // The lock file could not be made (full disk, read-only folder): nothing ran.
      if (!started && !(error instanceof UserError) && (error as NodeJS.ErrnoException).code) throw nothingChanged(error, 'its lock file cannot be written');
      throw error;
    } finally {
      for (const d of [...made].reverse()) {
        try {
          fs.rmdirSync(d);
        } catch {
          break; // not empty (or gone): keep it and its parents
        }
      }
    }
  });
}

function nothingChanged(error: unknown, why: string): UserError {
  const e = error as NodeJS.ErrnoException;
  return new UserError(`mcpx could not start: ${why} (${e.code ?? e.message}${e.path ? ` ${e.path}` : ''}); nothing was changed.`, {
    code: e.code ? `E_${e.code}` : 'E_STATE',
    exitCode: 3,
    hint: 'Free some space or fix the permissions of that folder, then run again.',
    cause: error,
  });
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new UserError('Interrupted; every change was undone.', {code: 'E_INTERRUPTED', exitCode: 130});
}

const label = (account: string) => account.replace(/^env\//, '');

/** A file's text, or undefined when it does not exist (other errors throw). */
export function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The folders that `mkdir -p` of `dir` would create, outermost first. */
function missingDirs(dir: string): string[] {
  const out: string[] = [];
  let cur = dir;
  while (!fs.existsSync(cur)) {
    out.unshift(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return out;
}

/** Write `content` to `file` and fsync it (and its folder): the journal must be on disk before the step it announces. */
async function durableWrite(file: string, content: string): Promise<void> {
  await writeAtomically(file, content, {mode: 0o600});
  await syncDir(path.dirname(file));
}

async function syncDir(dir: string): Promise<void> {
  try {
    const h = await fs.promises.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Some file systems refuse to fsync a folder; the rename is still atomic.
  }
}

function fileChanged(step: FileStep): boolean {
  let now: string | undefined;
  try {
    now = readText(step.file);
  } catch {
    return true;
  }
  if (step.before === undefined) return now !== undefined;
  return now === undefined || now !== step.before;
}

/**
 * Apply `steps` all or nothing (see the module comment), holding the transaction lock.
 * @throws UserError `E_CHANGED` (a file or entry changed since the plan), `E_KEYCHAIN_VERIFY`, `E_INTERRUPTED`, `E_ROLLBACK`; other errors as thrown by the steps, after the rollback.
 */
export async function applyTransaction(steps: Step[], options: TransactionOptions, command: string = options.words.rerun): Promise<void> {
  await withTransactionLock({stateDir: options.stateDir, store: options.store, isReferenced: options.isReferenced}, () => runTransaction(steps, options, command));
}

async function runTransaction(steps: Step[], options: TransactionOptions, command: string): Promise<void> {
  const {words, store} = options;
  const write = options.write ?? writeAtomically;
  for (const s of steps) {
    if (s.kind === 'file' && fileChanged(s)) throw new UserError(`${s.file} changed since the plan was made; nothing was ${words.past}.`, {code: 'E_CHANGED', hint: `Run \`${words.rerun}\` again.`});
    if (s.kind === 'secret' && !store) throw new Error('mcpx bug: a keychain step without a keychain');
  }
  if (steps.length === 0) return;
  const dir = transactionDir(options.stateDir);
  const id = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const journal: Journal = {version: 1, id, pid: process.pid, command, startedAt: new Date().toISOString(), state: 'applying', reached: -1, steps: []};
  const pres: string[] = [];
  try {
    for (const [i, s] of steps.entries()) {
      if (s.kind === 'secret') {
        journal.steps.push({kind: 'secret', op: s.op, account: s.account, ...(s.op === 'create' ? {} : {backup: `mcpx-txn/${id}/${i}`})});
        continue;
      }
      const j: JournalStep = {kind: 'file', op: s.op, file: path.resolve(s.file), mode: s.mode};
      if (s.before !== undefined) {
        j.beforeHash = sha256(s.before);
        j.pre = `${id}-${i}.pre`;
        await writeAtomically(path.join(dir, j.pre), s.before, {mode: 0o600});
        pres.push(j.pre);
      }
      if (s.op === 'write') j.afterHash = sha256(s.after ?? '');
      journal.steps.push(j);
    }
    await durableWrite(journalPath(options.stateDir), JSON.stringify(journal));
  } catch (error) {
    for (const p of pres) fs.rmSync(path.join(dir, p), {force: true});
    throw nothingChanged(error, 'its transaction journal cannot be written');
  }
  const mark = () => durableWrite(journalPath(options.stateDir), JSON.stringify(journal));
  try {
    for (const [i, s] of steps.entries()) {
      await options.beforeStep?.(i);
      checkAbort(options.signal);
      const j = journal.steps[i]!;
      if (s.kind === 'secret') {
        const previous = await store!.get(s.account);
        if (s.op === 'create' && previous !== undefined) throw new UserError(`The keychain entry ${label(s.account)} appeared during the ${words.noun}; nothing was ${words.past}.`, {code: 'E_CHANGED', hint: `Run \`${words.rerun}\` again.`});
        if (s.op === 'replace' && previous === undefined) j.created = true;
        journal.reached = i;
        await mark();
        if (previous !== undefined && s.op !== 'create') {
          await store!.set(j.backup!, previous);
          if ((await store!.get(j.backup!)) !== previous) throw new UserError(`The keychain did not give back the saved value of ${label(s.account)}; nothing was ${words.past}.`, {code: 'E_KEYCHAIN_VERIFY', exitCode: 3});
          j.backedUp = true;
          await mark();
        }
        if (s.op === 'delete') {
          if (previous !== undefined) await store!.delete(s.account);
        } else {
          await store!.set(s.account, s.value!);
          if ((await store!.get(s.account)) !== s.value) throw new UserError(`The keychain did not give back the value stored as ${label(s.account)}; nothing was ${words.past}.`, {code: 'E_KEYCHAIN_VERIFY', exitCode: 3});
        }
        continue;
      }
      if (fileChanged(s)) throw new UserError(`${s.file} changed during the ${words.noun}; nothing was ${words.past}.`, {code: 'E_CHANGED', hint: `Run \`${words.rerun}\` again.`});
      if (s.before === undefined) j.dirs = missingDirs(path.dirname(j.file!));
      journal.reached = i;
      await mark();
      if (s.op === 'write') await write(s.file, s.after ?? '', {mode: s.writeMode ?? 0o600});
      else await fs.promises.rm(s.file);
    }
    await options.beforeStep?.(steps.length);
    checkAbort(options.signal);
    journal.state = 'committed';
    await mark();
  } catch (error) {
    const report = await rollback(journal, {store, isReferenced: options.isReferenced, dir, memory: steps});
    if (report.problems.length > 0) {
      // The journal stays: the next run (or --undo) tries again.
      throw new UserError(`The ${words.noun} failed (${(error as Error).message}) and could not be fully undone:\n${report.problems.join('\n')}`, {
        code: 'E_ROLLBACK',
        exitCode: 3,
        hint: `The next mcpx run that changes files tries the rest of the rollback again; check the places named above.`,
        cause: error,
      });
    }
    await cleanUp(journal, store, dir, options.stateDir);
    throw undone(error, words);
  }
  await cleanUp(journal, store, dir, options.stateDir);
}

/** The error of a run that was rolled back completely: say that nothing changed. */
function undone(error: unknown, words: OperationWords): unknown {
  if (error instanceof UserError || !(error instanceof Error)) return error;
  const system = fromSystemError(error);
  const base = system instanceof UserError ? system : undefined;
  return new UserError(`${base?.message ?? error.message} The ${words.noun} was undone; nothing was ${words.past}.`, {
    code: base?.code ?? 'E_APPLY',
    exitCode: 3,
    hint: base?.hint ?? `Fix the cause above and run \`${words.rerun}\` again.`,
    cause: error,
  });
}

/** Delete the backups, pre-images and the journal of a finished (or fully rolled back) run. */
async function cleanUp(journal: Journal, store: SecretStore | undefined, dir: string, stateDir: string): Promise<void> {
  // The journal goes last: if anything here fails, the next run repeats the clean-up.
  for (const j of journal.steps) {
    if (j.backup && store) await store.delete(j.backup).catch(() => false);
    if (j.pre) await fs.promises.rm(path.join(dir, j.pre), {force: true}).catch(() => undefined);
  }
  await fs.promises.rm(journalPath(stateDir), {force: true}).catch(() => undefined);
  await syncDir(dir);
}

interface RollbackReport {
  problems: string[];
  files: string[];
  removed: string[];
  restored: string[];
  kept: string[];
}

/**
 * Undo steps `reached` down to 0. Each undo looks at what is there now, so it is safe to repeat:
 * a file already back to its old content is left, one changed by someone else is left and named.
 */
async function rollback(journal: Journal, ctx: {store?: SecretStore; isReferenced?: (a: string) => Promise<boolean>; dir: string; memory?: Step[]}): Promise<RollbackReport> {
  const report: RollbackReport = {problems: [], files: [], removed: [], restored: [], kept: []};
  for (let i = journal.reached; i >= 0; i--) {
    const j = journal.steps[i]!;
    const mem = ctx.memory?.[i];
    try {
      if (j.kind === 'file') await undoFile(j, mem?.kind === 'file' ? mem : undefined, ctx.dir, report);
      else await undoSecret(j, ctx, report);
    } catch (error) {
      report.problems.push(`${j.file ?? `keychain ${label(j.account ?? '')}`}: ${(error as Error).message}`);
    }
  }
  return report;
}

async function undoFile(j: JournalStep, mem: FileStep | undefined, dir: string, report: RollbackReport): Promise<void> {
  const file = j.file!;
  const now = readText(file);
  const nowHash = now === undefined ? undefined : sha256(now);
  if (nowHash === j.beforeHash) return; // never changed (or already put back)
  const before = () => mem?.before ?? fs.readFileSync(path.join(dir, j.pre!), 'utf8');
  if (j.op === 'write') {
    if (now === undefined && j.beforeHash !== undefined) throw new Error('it was deleted since; left as it is');
    if (now !== undefined && nowHash !== j.afterHash) throw new Error('it changed since mcpx wrote it; left as it is');
    if (now === undefined) return; // a file to create that was never written
    if (j.beforeHash === undefined) {
      await fs.promises.rm(file, {force: true});
      // Only folders this run created, and only while empty.
      for (const d of [...(j.dirs ?? [])].reverse()) await fs.promises.rmdir(d).catch(() => undefined);
    } else {
      await writeAtomically(file, before(), {mode: j.mode, tighten: false});
    }
    report.files.push(file);
    return;
  }
  // remove
  if (now !== undefined) throw new Error('it was created again since; left as it is');
  await writeAtomically(file, before(), {mode: j.mode, tighten: false});
  report.files.push(file);
}

async function undoSecret(j: JournalStep, ctx: {store?: SecretStore; isReferenced?: (a: string) => Promise<boolean>}, report: RollbackReport): Promise<void> {
  const store = ctx.store;
  if (!store) throw new Error('no keychain to undo this step in');
  const account = j.account!;
  if (j.op === 'create' || (j.op === 'replace' && j.created)) {
    if ((await store.get(account)) === undefined) return;
    if (ctx.isReferenced && (await ctx.isReferenced(account))) {
      report.kept.push(account);
      return;
    }
    await store.delete(account);
    report.removed.push(account);
    return;
  }
  if (!j.backedUp) {
    // The old value was never saved, so the entry itself was not touched yet.
    if (j.backup) await store.delete(j.backup).catch(() => false);
    return;
  }
  const previous = await store.get(j.backup!);
  if (previous === undefined) throw new Error('its saved old value is gone from the keychain');
  await store.set(account, previous);
  if ((await store.get(account)) !== previous) throw new Error('the keychain did not give back the restored value');
  await store.delete(j.backup!);
  report.restored.push(account);
}

/**
 * Finish what an interrupted run left (call it holding the lock; `withTransactionLock` does):
 * a committed run gets its clean-up, a half-done one is rolled back.
 * @throws UserError `E_RECOVER` when the rollback cannot be completed (the journal is kept), `E_JOURNAL` when it cannot be read.
 */
export async function recoverTransaction(ctx: LockContext): Promise<RecoveryReport | undefined> {
  const file = journalPath(ctx.stateDir);
  let text: string | undefined;
  try {
    text = readText(file);
  } catch (error) {
    throw new UserError(`The transaction journal ${file} cannot be read: ${(error as Error).message}`, {code: 'E_JOURNAL', exitCode: 3});
  }
  if (text === undefined) return undefined;
  let journal: Journal;
  try {
    journal = JSON.parse(text) as Journal;
    if (journal.version !== 1 || !Array.isArray(journal.steps)) throw new Error('not a journal mcpx wrote');
  } catch (error) {
    throw new UserError(`The transaction journal ${file} cannot be read: ${(error as Error).message}`, {code: 'E_JOURNAL', exitCode: 3, hint: 'Move it away after checking your config files by hand.'});
  }
  const dir = transactionDir(ctx.stateDir);
  let store = ctx.store;
  if (!store && journal.steps.some((s) => s.kind === 'secret')) {
    const {openKeychain} = await import('../secrets/store.js');
    store = await openKeychain();
  }
  const base = {command: journal.command, startedAt: journal.startedAt};
  if (journal.state === 'committed') {
    await cleanUp(journal, store, dir, ctx.stateDir);
    return {...base, outcome: 'finished', files: [], removed: [], restored: [], kept: []};
  }
  const report = await rollback(journal, {store, isReferenced: ctx.isReferenced, dir});
  if (report.problems.length > 0) {
    throw new UserError(`An interrupted \`${journal.command}\` (started ${journal.startedAt}) could not be fully rolled back:\n${report.problems.join('\n')}`, {
      code: 'E_RECOVER',
      exitCode: 3,
      hint: `Fix the places named above, then run again; the journal ${file} keeps what is left to undo.`,
    });
  }
  await cleanUp(journal, store, dir, ctx.stateDir);
  return {...base, outcome: 'rolled-back', files: report.files, removed: report.removed, restored: report.restored, kept: report.kept};
}

/** A sentence for people about a recovery. */
export function describeRecovery(r: RecoveryReport): string {
  if (r.outcome === 'finished') return `An earlier \`${r.command}\` (started ${r.startedAt}) had completed; mcpx finished its clean-up.`;
  const parts: string[] = [];
  if (r.files.length > 0) parts.push(`${r.files.length} file(s) put back (${r.files.join(', ')})`);
  if (r.removed.length > 0) parts.push(`${r.removed.length} new keychain entr${r.removed.length === 1 ? 'y' : 'ies'} removed`);
  if (r.restored.length > 0) parts.push(`${r.restored.length} keychain entr${r.restored.length === 1 ? 'y' : 'ies'} given back their old value`);
  if (r.kept.length > 0) parts.push(`kept ${r.kept.map(label).join(', ')} (a file refers to it)`);
  return `An interrupted \`${r.command}\` (started ${r.startedAt}) was rolled back${parts.length > 0 ? `: ${parts.join('; ')}` : '; it had changed nothing'}.`;
}
