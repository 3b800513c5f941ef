/**
 * `mcpx secrets move`: take every hardcoded secret out of client configs, into the keychain,
 * and rewrite each entry so the file holds only `${NAME}` references and the server still
 * starts from the same client. Stdio servers are wrapped in `mcpx run`, remote servers become
 * an `mcpx bridge` stdio entry; both resolve the references at launch.
 *
 * It works in two steps. `planMove` reads and changes nothing (it may read the keychain to pick
 * names). `applyMove` is all or nothing: every keychain write is read back, files are written
 * atomically, and on any failure (keychain, disk, a file changed since the plan, Ctrl-C) every
 * file gets its old bytes and mode back and every keychain entry this run created is deleted.
 * A journal (no secret in it) lets `undoMove` put the values back into the files.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {loadConfig, UnreadableConfigError} from '../clients/load.js';
import type {ClientDefinition, PathContext, Platform} from '../clients/types.js';
import {applyEdits, type Edit} from '../config/edit.js';
import {parseDocument} from '../config/parse.js';
import {formatName} from '../config/parse-error.js';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import {UserError} from '../errors.js';
import {defaultPaths, discover, keepTarget} from '../lint/discovery.js';
import type {ClientId, ServerEntry} from '../model.js';
import {mcpxDirs, homeDir} from '../util/paths.js';
import {mcpxLaunch} from '../util/package-root.js';
import {writeAtomically} from '../util/atomic-write.js';
import {toEnvName} from './detect.js';
import {findEntrySecrets, type EntrySecret} from './entry-secrets.js';
import {maskSecret, redactQuoted} from './mask.js';
import {findTextSecrets} from './text-secrets.js';
import {isSecretName, secretAccount} from './names.js';
import type {SecretStore} from './store-types.js';
import {parseRunArgv} from './launch.js';
import {applyTransaction, readText, withTransactionLock, type OperationWords, type Step} from '../util/transaction.js';

export interface Replacement {
  server: string;
  where: string;
  name: string;
  masked: string;
  reason: string;
  /** The secret sits in an argument: the server gets it on its command line, which other local users can read. */
  onCommandLine?: boolean;
}

/** What the journal keeps of one rewritten entry: names and structure, never a value. */
export interface JournalEntry {
  file: string;
  client: ClientId;
  server: string;
  pointer: JsonPath;
  /** Secret names this entry's rewrite introduced. */
  names: string[];
  /** The original native entry with each secret replaced by `${NAME}`. */
  template: unknown;
  /** The entry as the move wrote it (undo refuses entries changed since). */
  rewritten: unknown;
  movedAt: string;
}

/** One file an all-or-nothing apply writes, with what it held before. */
export interface FileWrite {
  file: string;
  before: string;
  after: string;
  beforeHash: string;
  mode: number;
  /** The file did not exist before: a rollback removes it (and `before` is ''). */
  created?: boolean;
}

export interface FilePlan extends FileWrite {
  client: ClientId;
  replacements: Replacement[];
  journal: JournalEntry[];
}

export interface PlannedSecret {
  name: string;
  /** Held in memory only, for the keychain write. */
  value: string;
  /** Already in the keychain with this same value: nothing to store. */
  existing: boolean;
}

export interface MovePlan {
  files: FilePlan[];
  secrets: PlannedSecret[];
  /** `parseError` is set for a file refused because it does not parse. */
  skipped: Array<{file: string; server?: string; reason: string; parseError?: {line: number; column: number}}>;
}

export interface PlanOptions {
  paths?: string[];
  user?: boolean;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Used to choose names that do not clash with values already stored. */
  store: SecretStore;
  /** The command line that starts mcpx (default: this node and this package's bin/run.js). */
  launcher?: [string, string];
}

/** The client path context for `env` (home folder, this OS). */
export function pathContext(env: NodeJS.ProcessEnv): PathContext {
  const p = process.platform;
  return {home: homeDir(env), platform: (p === 'darwin' || p === 'win32' ? p : 'linux') as Platform, env};
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Build the plan. Reads files and the keychain; writes nothing. */
export async function planMove(options: PlanOptions): Promise<MovePlan> {
  const env = options.env ?? process.env;
  const ctx = pathContext(env);
  const paths = defaultPaths(options.paths);
  const {targets, errors} = await discover(paths, {cwd: options.cwd, user: options.user ?? false, ctx, content: true});
  if (errors.length > 0) throw new UserError(errors.map((e) => e.message).join('\n'), {hint: 'Name files and folders that exist; nothing was changed.'});
  const plan: MovePlan = {files: [], secrets: [], skipped: []};
  const names = new Namer(options.store);
  const launcher = options.launcher ?? mcpxLaunch();
  for (const target of targets) {
    let loaded;
    try {
      loaded = await loadConfig(target.file, {ctx});
    } catch (error) {
      if (error instanceof UnreadableConfigError) {
        if (target.why !== 'mcp-shape') plan.skipped.push({file: target.file, reason: error.message});
        continue;
      }
      throw error;
    }
    if (!keepTarget(target, loaded)) continue;
    if (loaded.parseError) {
      const e = loaded.parseError;
      const found = findTextSecrets(loaded.text).map((t) => t.detection.secret);
      const holds = found.length > 0 ? `; it holds ${found.length} secret${found.length === 1 ? '' : 's'} (${[...new Set(found)].map(maskSecret).join(', ')}) that \`mcpx lint\` reports` : '';
      plan.skipped.push({file: target.file, reason: `${e.detail} (${formatName(e.format)}) — fix the syntax first; mcpx does not change a file it cannot parse${holds}`, parseError: {line: e.line, column: e.column}});
      continue;
    }
    if (!loaded.doc || !loaded.client) continue;
    const filePlan = await planFile(loaded.doc, loaded.client, loaded.servers, loaded.stat.mode & 0o777, names, launcher, env, plan);
    if (filePlan) plan.files.push(filePlan);
  }
  plan.secrets = names.planned();
  return plan;
}

/**
 * Picks keychain names: the detector's suggestion, made distinct when two values would share it.
 * Shared with `mcpx import`, so both name secrets the same way.
 */
export class Namer {
  private readonly byName = new Map<string, PlannedSecret>();
  private readonly byValue = new Map<string, string>();

  constructor(private readonly store: SecretStore) {}

  async nameFor(suggested: string, value: string, server: string): Promise<string> {
    const known = this.byValue.get(value);
    if (known) return known;
    const base = isSecretName(suggested) ? suggested : toEnvName(suggested) || 'SECRET';
    const serverPart = toEnvName(server) || 'SERVER';
    const candidates = [base, `${base}_${serverPart}`];
    for (let n = 2; n < 100; n++) candidates.push(`${base}_${serverPart}_${n}`);
    for (const name of candidates) {
      if (!isSecretName(name)) continue;
      const planned = this.byName.get(name);
      if (planned) {
        if (planned.value === value) return name;
        continue;
      }
      const stored = await this.store.get(secretAccount(name));
      if (stored !== undefined && stored !== value) continue;
      this.byName.set(name, {name, value, existing: stored === value});
      this.byValue.set(value, name);
      return name;
    }
    throw new UserError(`Could not find a free keychain name for a secret of server "${server}".`, {hint: 'Remove unused entries with `mcpx secrets rm`.'});
  }

  planned(): PlannedSecret[] {
    return [...this.byName.values()];
  }
}

export function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function setAt(root: unknown, rel: JsonPath, value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (let i = 0; i < rel.length - 1; i++) cur = cur[rel[i]!] as Record<string | number, unknown>;
  cur[rel[rel.length - 1]!] = value;
}

function deleteAt(root: unknown, rel: JsonPath): void {
  let cur = root as Record<string | number, unknown>;
  for (let i = 0; i < rel.length - 1; i++) cur = cur[rel[i]!] as Record<string | number, unknown>;
  delete cur[rel[rel.length - 1]!];
}

/**
 * Replace each secret's span in `value` (right to left, so offsets stay valid) with `${NAME}`,
 * or with `{{NAME}}` (`launch`), the form `mcpx run` and `mcpx bridge` resolve and no client expands.
 */
export function replaceSpans(value: string, spans: Array<{start: number; end: number; name: string}>, form: 'reference' | 'launch' = 'reference'): string {
  let out = value;
  const sorted = [...spans].sort((a, b) => b.start - a.start);
  let limit = Infinity;
  for (const s of sorted) {
    if (s.end > limit) continue; // overlapping detections: the rightmost wins
    out = out.slice(0, s.start) + (form === 'launch' ? '{{' + s.name + '}}' : '${' + s.name + '}') + out.slice(s.end);
    limit = s.start;
  }
  return out;
}

/** An absolute path for a bare command, so GUI clients with a minimal PATH can start it. */
function absoluteCommand(command: string, env: NodeJS.ProcessEnv): string {
  if (command.includes('/') || command.includes('\\') || command.includes('${')) return command;
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return command;
}

/** The `--env` bindings of an entry that already starts through `mcpx run` (a second move adds to them). */
function wrappedRun(entry: ServerEntry, launcher: [string, string]): {envNames: string[]; argRefs: number[]} | undefined {
  const args = entry.args ?? [];
  if (args[0] !== launcher[1] || args[1] !== 'run' || !args.includes('--')) return undefined;
  try {
    const spec = parseRunArgv(args.slice(2));
    return {envNames: spec.envNames, argRefs: spec.argRefs};
  } catch {
    return undefined;
  }
}

async function planFile(
  doc: ConfigDocument,
  client: ClientDefinition,
  servers: ServerEntry[],
  mode: number,
  names: Namer,
  launcher: [string, string],
  env: NodeJS.ProcessEnv,
  plan: MovePlan,
): Promise<FilePlan | undefined> {
  const edits: Edit[] = [];
  const replacements: Replacement[] = [];
  const journal: JournalEntry[] = [];
  const movedAt = new Date().toISOString();
  for (const entry of servers) {
    const found = findEntrySecrets(entry);
    if (found.length === 0) continue;
    if (found.some((s) => s.field === 'command')) {
      plan.skipped.push({file: doc.file, server: entry.name, reason: 'a secret in the command itself: move it to env by hand first'});
      continue;
    }
    // Group the secrets by the value they sit in, and name each.
    const byPath = new Map<string, {secret: EntrySecret; spans: Array<{start: number; end: number; name: string}>}>();
    const entryNames: string[] = [];
    for (const s of found) {
      const d = s.detection;
      const name = await names.nameFor(d.suggestedName, d.secret, entry.name);
      if (!entryNames.includes(name)) entryNames.push(name);
      const key = JSON.stringify(s.path);
      const group = byPath.get(key) ?? {secret: s, spans: []};
      // A secret in the default of `${VAR:-secret}` replaces the whole reference.
      group.spans.push(d.reference ? {start: d.reference.start, end: d.reference.end, name} : {start: d.start, end: d.end, name});
      byPath.set(key, group);
      replacements.push({server: entry.name, where: s.where, name, masked: maskSecret(d.secret), reason: d.reason, ...(s.field === 'args' && entry.command !== undefined ? {onCommandLine: true} : {})});
    }
    const template = clone(entry.raw);
    // `value` (secrets as `${NAME}`) is the journal's template; `launch` (secrets as `{{NAME}}`) is
    // what the rewritten entry holds, for `mcpx run`/`mcpx bridge` to resolve: clients expand a
    // `${NAME}` themselves (Claude Code, VS Code, Cursor) and warn when NAME is not in their env.
    const newValues = new Map<string, {field: EntrySecret['field']; rest: (string | number)[]; path: JsonPath; value: string; launch: string}>();
    for (const {secret, spans} of byPath.values()) {
      const value = replaceSpans(secret.value, spans);
      newValues.set(JSON.stringify(secret.path), {field: secret.field, rest: secret.rest, path: secret.path, value, launch: replaceSpans(secret.value, spans, 'launch')});
      setAt(template, secret.path.slice(entry.pointer.length), value);
    }
    const newOf = (field: EntrySecret['field'], ...rest: (string | number)[]) =>
      [...newValues.values()].find((v) => v.field === field && JSON.stringify(v.rest) === JSON.stringify(rest));

    let rewritten: Record<string, unknown>;
    if (entry.command !== undefined) {
      const wrapped = wrappedRun(entry, launcher);
      const originalArgs = (entry.args ?? []).map((a, i) => newOf('args', i)?.launch ?? a);
      const envNames = new Set(wrapped?.envNames ?? []);
      // `--arg N`: the child's argument N (0 = the first after the command) holds `{{NAME}}`.
      const argBase = wrapped ? originalArgs.indexOf('--') + 2 : 0;
      const argRefs = new Set(wrapped?.argRefs ?? []);
      for (const v of newValues.values()) if (v.field === 'args') argRefs.add(Number(v.rest[0]) - argBase);
      // A moved env value that is a whole reference leaves the entry's env: `--env KEY=NAME` tells
      // `mcpx run` to fill it from the keychain. A `${NAME}` left in the entry would be expanded by
      // clients that expand references themselves (Claude Code), which then warn that NAME is unset.
      const dropped: string[] = [];
      for (const [key, value] of Object.entries(entry.env ?? {})) {
        const moved = newOf('env', key)?.value;
        const whole = moved === undefined ? null : /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(moved);
        if (whole) {
          envNames.add(whole[1] === key ? key : `${key}=${whole[1]}`);
          dropped.push(key);
        } else if ((moved ?? value).includes('${')) envNames.add(key);
      }
      const inner = wrapped ? originalArgs.slice(originalArgs.indexOf('--') + 1) : [absoluteCommand(entry.command, env), ...originalArgs];
      const args = [
        launcher[1], 'run', '--server', entry.name,
        ...[...envNames].flatMap((n) => ['--env', n]),
        ...[...argRefs].sort((a, b) => a - b).flatMap((n) => ['--arg', String(n)]),
        '--', ...inner,
      ];
      const keptEnv = Object.keys(entry.env ?? {}).filter((k) => !dropped.includes(k));
      edits.push({op: 'set', path: entry.fields.command!, value: launcher[0]});
      edits.push({op: 'set', path: entry.fields.args ?? [...entry.pointer, 'args'], value: args});
      rewritten = clone(entry.raw);
      setAt(rewritten, entry.fields.command!.slice(entry.pointer.length), launcher[0]);
      setAt(rewritten, (entry.fields.args ?? [...entry.pointer, 'args']).slice(entry.pointer.length), args);
      const envPath = entry.fields.env;
      if (envPath && dropped.length > 0 && keptEnv.length === 0) {
        edits.push({op: 'delete', path: envPath});
        deleteAt(rewritten, envPath.slice(entry.pointer.length));
      } else if (envPath) {
        for (const key of dropped) {
          edits.push({op: 'delete', path: [...envPath, key]});
          deleteAt(rewritten, [...envPath, key].slice(entry.pointer.length));
        }
      }
      for (const v of newValues.values()) {
        if (v.field !== 'env' || dropped.includes(String(v.rest[0]))) continue;
        edits.push({op: 'set', path: v.path, value: v.launch});
        setAt(rewritten, v.path.slice(entry.pointer.length), v.launch);
      }
    } else if (entry.url !== undefined) {
      const url = newOf('url')?.launch ?? entry.url;
      const headers = Object.entries(entry.headers ?? {}).map(([k, v]) => `${k}: ${newOf('headers', k)?.launch ?? v}`);
      const args = [launcher[1], 'bridge', '--server', entry.name, '--transport', entry.transport === 'sse' ? 'sse' : 'http', ...headers.flatMap((h) => ['--header', h]), url];
      const stdio = client.toNative({name: entry.name, transport: 'stdio', command: launcher[0], args});
      const dropped = new Set([entry.fields.url?.at(-1), entry.fields.headers?.at(-1), 'type', 'transport'].filter((k): k is string => typeof k === 'string'));
      rewritten = {...stdio};
      for (const [k, v] of Object.entries(entry.raw)) if (!dropped.has(k) && !(k in rewritten)) rewritten[k] = v;
      edits.push({op: 'set', path: entry.pointer, value: rewritten});
    } else {
      plan.skipped.push({file: doc.file, server: entry.name, reason: 'neither a command nor a URL'});
      continue;
    }
    journal.push({file: doc.file, client: client.id, server: entry.name, pointer: entry.pointer, names: entryNames, template, rewritten, movedAt});
  }
  if (edits.length === 0) return undefined;
  const after = applyEdits(doc, edits);
  // The rewrite must leave nothing for lint to find in the entries it changed.
  const again = client.readServers(parseDocument(after, doc.format, doc.file));
  const left = again.filter((s) => journal.some((j) => JSON.stringify(j.pointer) === JSON.stringify(s.pointer))).flatMap((s) => findEntrySecrets(s));
  if (left.length > 0) throw new Error(`mcpx bug: the rewrite of ${doc.file} still holds ${left.length} secret(s)`);
  return {file: doc.file, client: client.id, before: doc.text, after, beforeHash: sha256(doc.text), mode, replacements, journal};
}

/** A unified diff of the plan with every secret masked, for --dry-run and the confirmation. */
export async function planDiff(plan: MovePlan): Promise<string> {
  const {unifiedDiff} = await import('../config/edit.js');
  const values = plan.secrets.map((s) => s.value);
  const parts: string[] = [];
  for (const f of plan.files) parts.push(maskedDiff(await unifiedDiff(f.file, f.before, f.after), f.before, f.after, values));
  return parts.join('');
}

/**
 * A file's diff with `values` masked however the file spells them (escapes included), and with
 * every other secret the text scanner finds in either version masked too: a value the move does not
 * take (the first of an env key written twice, which the client never reads) is still a secret.
 */
export function maskedDiff(diff: string, before: string, after: string, values: readonly string[]): string {
  const found = [before, after].flatMap((text) => findTextSecrets(text).map((t) => text.slice(t.start, t.end)));
  return redactQuoted(diff, [...values, ...found]);
}

export interface ApplyOptions {
  store: SecretStore;
  /** Aborting (Ctrl-C) rolls everything back. */
  signal?: AbortSignal;
  /** Atomic write, replaceable in tests to inject a disk failure. */
  write?: typeof writeAtomically;
  journalFile?: string;
}

export interface ApplyResult {
  files: string[];
  stored: string[];
  reused: string[];
}

export function defaultJournalFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(mcpxDirs(env).config, 'moves.json');
}

/** Apply a plan, all or nothing (see the module comment). */
export async function applyMove(plan: MovePlan, options: ApplyOptions): Promise<ApplyResult> {
  const journalFile = options.journalFile ?? defaultJournalFile();
  const add = plan.files.flatMap((f) => f.journal);
  await applyAllOrNothing({
    files: plan.files,
    secrets: plan.secrets,
    store: options.store,
    signal: options.signal,
    write: options.write,
    stateDir: path.dirname(journalFile),
    journals: [
      journalUpdate<JournalEntry>(journalFile, (entries) => [
        ...entries.filter((e) => !add.some((a) => a.file === e.file && JSON.stringify(a.pointer) === JSON.stringify(e.pointer))),
        ...add,
      ]),
    ],
    words: MOVE_WORDS,
  });
  return {files: plan.files.map((f) => f.file), stored: plan.secrets.filter((s) => !s.existing).map((s) => s.name), reused: plan.secrets.filter((s) => s.existing).map((s) => s.name)};
}

export type {OperationWords} from '../util/transaction.js';

const MOVE_WORDS: OperationWords = {noun: 'move', past: 'moved', rerun: 'mcpx secrets move'};

/** A journal file and how this run changes its entries (applied to the entries as they are at apply time). */
export interface JournalUpdate {
  file: string;
  update: (entries: unknown[]) => unknown[];
}

export function journalUpdate<T>(file: string, update: (entries: T[]) => T[]): JournalUpdate {
  return {file, update: update as (entries: unknown[]) => unknown[]};
}

export interface AllOrNothing {
  files: FileWrite[];
  secrets: PlannedSecret[];
  store: SecretStore;
  signal?: AbortSignal;
  write?: typeof writeAtomically;
  /** mcpx's state folder (journal, lock). */
  stateDir: string;
  /** Journal files rewritten as the last steps of the same transaction. */
  journals: JournalUpdate[];
  /** Files removed after the journals (each must still hash to `beforeHash`). */
  removals?: Array<{file: string; beforeHash: string}>;
  words: OperationWords;
}

/**
 * Store `secrets` in the keychain (each read back), write `files`, then the journals, as one
 * transaction (util/transaction.ts): any failure, abort or crash puts every file and keychain
 * entry back as it was, now or on the next run.
 * @throws UserError `E_CHANGED`, `E_KEYCHAIN_VERIFY`, `E_INTERRUPTED` or `E_ROLLBACK`; other errors as thrown by the steps.
 */
export async function applyAllOrNothing(op: AllOrNothing): Promise<void> {
  const ctx = {stateDir: op.stateDir, store: op.store, isReferenced: referencedByJournals(op.stateDir)};
  await withTransactionLock(ctx, async () => {
    const steps: Step[] = [];
    for (const s of op.secrets) if (!s.existing) steps.push({kind: 'secret', op: 'create', account: secretAccount(s.name), value: s.value});
    for (const f of op.files) steps.push({kind: 'file', op: 'write', file: f.file, before: f.created ? undefined : f.before, after: f.after, mode: f.mode});
    for (const j of op.journals) {
      const before = readText(j.file);
      const entries = parseJournal<unknown>(before, j.file);
      steps.push({kind: 'file', op: 'write', file: j.file, before, after: JSON.stringify({version: 1, entries: j.update(entries)}, null, 2) + '\n', mode: 0o600});
    }
    for (const r of op.removals ?? []) {
      const before = readText(r.file);
      if (before === undefined) continue;
      if (sha256(before) !== r.beforeHash) throw new UserError(`${r.file} changed since the plan was made; nothing was ${op.words.past}.`, {code: 'E_CHANGED', hint: `Run \`${op.words.rerun}\` again.`});
      steps.push({kind: 'file', op: 'remove', file: r.file, before, mode: 0o600});
    }
    await applyTransaction(steps, {...ctx, signal: op.signal, write: op.write, words: op.words});
  });
}

/**
 * True when a journal of moved or imported entries in `stateDir` refers to the keychain entry:
 * a file on disk then holds its `${NAME}`, and a rollback must not delete it.
 */
export function referencedByJournals(stateDir: string): (account: string) => Promise<boolean> {
  return async (account) => {
    const name = account.replace(/^env\//, '');
    for (const file of ['moves.json', 'imports.json']) {
      const text = readText(path.join(stateDir, file));
      if (text?.includes('${' + name + '}')) return true;
    }
    return false;
  };
}

/** The entries of a journal file ([] when there is none). @throws UserError `E_JOURNAL` when it cannot be read. */
export function readJournal<T = JournalEntry>(file: string): T[] {
  let text: string | undefined;
  try {
    text = readText(file);
  } catch (error) {
    throw new UserError(`The journal ${file} cannot be read: ${(error as Error).message}`, {code: 'E_JOURNAL'});
  }
  return parseJournal<T>(text, file);
}

/** The entries of a journal's text (undefined: no journal, []). @throws UserError `E_JOURNAL` when it does not parse. */
function parseJournal<T>(text: string | undefined, file: string): T[] {
  if (text === undefined) return [];
  try {
    const data = JSON.parse(text) as {version?: number; entries?: T[]};
    return Array.isArray(data.entries) ? data.entries : [];
  } catch (error) {
    throw new UserError(`The journal ${file} cannot be read: ${(error as Error).message}`, {code: 'E_JOURNAL'});
  }
}

/** Replace the journal's entries (0600; it never holds a secret value). */
export async function writeJournal<T>(file: string, entries: T[], write: typeof writeAtomically): Promise<void> {
  await write(file, JSON.stringify({version: 1, entries}, null, 2) + '\n', {mode: 0o600});
}


export interface UndoOptions {
  files?: string[];
  cwd: string;
  store: SecretStore;
  journalFile?: string;
  dryRun?: boolean;
  write?: typeof writeAtomically;
}

export interface UndoPlan {
  files: Array<{file: string; before: string; after: string; mode: number; entries: JournalEntry[]}>;
  skipped: Array<{file: string; server: string; reason: string}>;
  /** Values put back, for masking the diff; memory only. */
  values: string[];
}

/** Plan the undo: every journalled entry still as the move left it gets its values back from the keychain. */
export async function planUndo(options: UndoOptions): Promise<UndoPlan> {
  const journalFile = options.journalFile ?? defaultJournalFile();
  const wanted = options.files?.map((f) => path.resolve(options.cwd, f));
  const entries = readJournal(journalFile).filter((e) => !wanted || wanted.includes(e.file));
  const plan: UndoPlan = {files: [], skipped: [], values: []};
  const byFile = new Map<string, JournalEntry[]>();
  for (const e of entries) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    let loaded;
    try {
      loaded = await loadConfig(file, {client: list[0]!.client, ctx: pathContext(process.env)});
    } catch (error) {
      for (const e of list) plan.skipped.push({file, server: e.server, reason: (error as Error).message});
      continue;
    }
    const doc = loaded.doc;
    if (!doc) {
      for (const e of list) plan.skipped.push({file, server: e.server, reason: `it no longer parses (${loaded.parseError?.message ?? 'unknown error'})`});
      continue;
    }
    const text = loaded.text;
    const mode = loaded.stat.mode & 0o777;
    const edits: Edit[] = [];
    const done: JournalEntry[] = [];
    for (const e of list) {
      const current = getAt(doc.value, e.pointer);
      if (JSON.stringify(current) !== JSON.stringify(e.rewritten)) {
        plan.skipped.push({file, server: e.server, reason: 'the entry changed since the move; put the values back by hand (`mcpx secrets get NAME`)'});
        continue;
      }
      let restored = JSON.stringify(e.template);
      for (const name of e.names) {
        const value = await options.store.get(secretAccount(name));
        if (value === undefined) throw new UserError(`The keychain has no ${name} any more, so server "${e.server}" in ${file} cannot be restored; nothing was changed.`, {code: 'E_MISSING_SECRET'});
        plan.values.push(value);
        restored = restored.split('${' + name + '}').join(JSON.stringify(value).slice(1, -1));
      }
      edits.push({op: 'set', path: e.pointer, value: JSON.parse(restored)});
      done.push(e);
    }
    if (edits.length > 0) plan.files.push({file, before: text, after: applyEdits(doc, edits), mode, entries: done});
  }
  return plan;
}

export function getAt(value: unknown, p: JsonPath): unknown {
  let cur = value;
  for (const k of p) cur = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string | number, unknown>)[k];
  return cur;
}

/** Apply an undo plan, all or nothing; the journal forgets the restored entries. Keychain entries are kept. */
export async function applyUndo(plan: UndoPlan, options: UndoOptions): Promise<string[]> {
  const journalFile = options.journalFile ?? defaultJournalFile();
  const restored = plan.files.flatMap((f) => f.entries);
  await applyAllOrNothing({
    files: plan.files.map((f) => ({file: f.file, before: f.before, after: f.after, beforeHash: sha256(f.before), mode: f.mode})),
    secrets: [],
    store: options.store,
    write: options.write,
    stateDir: path.dirname(journalFile),
    journals: [journalUpdate<JournalEntry>(journalFile, (entries) => entries.filter((e) => !restored.some((r) => r.file === e.file && JSON.stringify(r.pointer) === JSON.stringify(e.pointer))))],
    words: {noun: 'undo', past: 'changed', rerun: 'mcpx secrets move --undo'},
  });
  return plan.files.map((f) => f.file);
}
