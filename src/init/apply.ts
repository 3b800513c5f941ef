/**
 * The writing half of `mcpx init` / `mcpx add`, all or nothing through the transaction engine
 * (util/transaction.ts): secrets go into the keychain first (each read back to verify), then
 * every file is written atomically with mode 0600. On any failure (keychain, disk, a file
 * changed since the plan, Ctrl-C), or on the next run after a crash, every written file gets its
 * old bytes and mode back, files this run created are removed with the folders it created for
 * them, new keychain entries are deleted and replaced ones get their old value back.
 * Afterwards the lint engine checks what was written.
 */
import {secretAccount} from '../secrets/names.js';
import type {SecretStore} from '../secrets/store-types.js';
import {writeAtomically} from '../util/atomic-write.js';
import {mcpxDirs} from '../util/paths.js';
import type {Step} from '../util/transaction.js';
import type {InitPlan} from './plan.js';
import type {SecretChoice} from './secrets.js';

export interface ApplyOptions {
  /** Needed when a secret is stored or replaced. */
  store?: SecretStore;
  /** Aborting (Ctrl-C) rolls everything back. */
  signal?: AbortSignal;
  /** Atomic write, replaceable in tests to inject a disk failure. */
  write?: typeof writeAtomically;
  /** mcpx's state folder (transaction journal and lock); default: mcpx's config folder. */
  stateDir?: string;
  /** The command to run again, for messages (default `mcpx init`). */
  rerun?: string;
}

export interface ApplyResult {
  files: string[];
  created: string[];
  stored: string[];
  replaced: string[];
  reused: string[];
}

/**
 * Apply a plan, all or nothing, as one transaction (util/transaction.ts). Secrets whose action
 * is `reuse` are left alone.
 */
export async function applyInit(plan: InitPlan, secrets: SecretChoice[], options: ApplyOptions = {}): Promise<ApplyResult> {
  const {applyTransaction} = await import('../util/transaction.js');
  const steps: Step[] = [];
  for (const s of secrets) {
    if (s.action === 'reuse') continue;
    if (!options.store) throw new Error('mcpx bug: a secret to store but no keychain');
    steps.push({kind: 'secret', op: s.action === 'store' ? 'create' : 'replace', account: secretAccount(s.name), value: s.value!});
  }
  for (const f of plan.files) steps.push({kind: 'file', op: 'write', file: f.file, before: f.before, after: f.after, mode: f.mode});
  await applyTransaction(steps, {
    stateDir: options.stateDir ?? mcpxDirs().config,
    store: options.store,
    signal: options.signal,
    write: options.write,
    words: {noun: 'setup', past: 'changed', rerun: options.rerun ?? 'mcpx init'},
  });
  const done = (action: SecretChoice['action']) => secrets.filter((s) => s.action === action).map((s) => s.name);
  return {
    files: plan.files.map((f) => f.file),
    created: plan.files.filter((f) => f.before === undefined).map((f) => f.file),
    stored: done('store'),
    replaced: done('replace'),
    reused: done('reuse'),
  };
}
