/**
 * The writing half of `mcpx init` / `mcpx add`, all or nothing: secrets go into the keychain
 * first (each read back to verify), then every file is written atomically with mode 0600. On
 * any failure (keychain, disk, a file changed since the plan, Ctrl-C) every written file gets
 * its old bytes and mode back, files this run created are removed with the folders it created
 * for them, new keychain entries are deleted and replaced ones get their old value back.
 * Afterwards the lint engine checks what was written.
 */
import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';
import {secretAccount} from '../secrets/names.js';
import type {SecretStore} from '../secrets/store-types.js';
import {writeAtomically} from '../util/atomic-write.js';
import type {FilePlan, InitPlan} from './plan.js';
import {sha256} from './plan.js';
import type {SecretChoice} from './secrets.js';

export interface ApplyOptions {
  /** Needed when a secret is stored or replaced. */
  store?: SecretStore;
  /** Aborting (Ctrl-C) rolls everything back. */
  signal?: AbortSignal;
  /** Atomic write, replaceable in tests to inject a disk failure. */
  write?: typeof writeAtomically;
}

export interface ApplyResult {
  files: string[];
  created: string[];
  stored: string[];
  replaced: string[];
  reused: string[];
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new UserError('Interrupted; every change was undone.', {code: 'E_INTERRUPTED', exitCode: 130});
}

/** True when the file is not as the plan saw it (changed, created or deleted since). */
function changedSince(f: FilePlan): boolean {
  let now: string | undefined;
  try {
    now = fs.readFileSync(f.file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return true;
  }
  if (f.before === undefined) return now !== undefined;
  return now === undefined || sha256(now) !== f.beforeHash;
}

/** The folders that `mkdir -p` of `dir` would create, deepest last. */
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

/** Apply a plan, all or nothing (see the module comment). Secrets whose action is `reuse` are left alone. */
export async function applyInit(plan: InitPlan, secrets: SecretChoice[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const write = options.write ?? writeAtomically;
  const {store, signal} = options;
  for (const f of plan.files) {
    if (changedSince(f)) throw new UserError(`${f.file} changed since the plan was made; nothing was changed.`, {code: 'E_CHANGED', hint: 'Run the command again.'});
  }
  const created: string[] = [];
  const replaced: Array<{account: string; previous: string}> = [];
  const written: Array<{plan: FilePlan; dirs: string[]}> = [];
  try {
    for (const s of secrets) {
      if (s.action === 'reuse') continue;
      checkAbort(signal);
      if (!store) throw new Error('mcpx bug: a secret to store but no keychain');
      const account = secretAccount(s.name);
      const previous = await store.get(account);
      if (s.action === 'store') {
        if (previous !== undefined) throw new UserError(`The keychain entry ${s.name} appeared meanwhile; nothing was changed.`, {code: 'E_CHANGED', hint: 'Run the command again.'});
        created.push(account);
      } else {
        if (previous === undefined) created.push(account);
        else replaced.push({account, previous});
      }
      await store.set(account, s.value!);
      if ((await store.get(account)) !== s.value) throw new UserError(`The keychain did not give back the value stored as ${s.name}; nothing was changed.`, {code: 'E_KEYCHAIN_VERIFY', exitCode: 3});
    }
    for (const f of plan.files) {
      checkAbort(signal);
      if (changedSince(f)) throw new UserError(`${f.file} changed while mcpx was writing; nothing was changed.`, {code: 'E_CHANGED', hint: 'Run the command again.'});
      const dirs = missingDirs(path.dirname(f.file));
      written.push({plan: f, dirs});
      await write(f.file, f.after, {mode: 0o600});
    }
    checkAbort(signal);
  } catch (error) {
    await rollback(written, created, replaced, store);
    throw error;
  }
  const done = (action: SecretChoice['action']) => secrets.filter((s) => s.action === action).map((s) => s.name);
  return {
    files: plan.files.map((f) => f.file),
    created: plan.files.filter((f) => f.before === undefined).map((f) => f.file),
    stored: done('store'),
    replaced: done('replace'),
    reused: done('reuse'),
  };
}

async function rollback(written: Array<{plan: FilePlan; dirs: string[]}>, created: string[], replaced: Array<{account: string; previous: string}>, store: SecretStore | undefined): Promise<void> {
  const problems: string[] = [];
  for (const {plan: f, dirs} of written.reverse()) {
    try {
      if (f.before === undefined) {
        await fs.promises.rm(f.file, {force: true});
        // Only folders this run created, and only while empty.
        for (const dir of [...dirs].reverse()) await fs.promises.rmdir(dir).catch(() => undefined);
      } else {
        await writeAtomically(f.file, f.before, {mode: f.mode, tighten: false});
      }
    } catch (error) {
      problems.push(`${f.file}: ${(error as Error).message}`);
    }
  }
  for (const account of created) {
    try {
      await store?.delete(account);
    } catch (error) {
      problems.push(`keychain ${account}: ${(error as Error).message}`);
    }
  }
  for (const {account, previous} of replaced) {
    try {
      await store?.set(account, previous);
    } catch (error) {
      problems.push(`keychain ${account}: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) {
    throw new UserError(`Writing failed and could not be fully undone:\n${problems.join('\n')}`, {code: 'E_ROLLBACK', exitCode: 3, hint: 'Check the files and keychain entries named above by hand.'});
  }
}
