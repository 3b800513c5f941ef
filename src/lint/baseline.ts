/**
 * Baselines: a file listing findings the project has accepted, so that `mcpx lint` fails only
 * on new ones. An entry is keyed by file (relative to the baseline's folder), rule, JSON
 * pointer and value hash, so it survives reformatting and line moves but not a changed secret.
 * The file holds hashes only, never a value. Written atomically, sorted, so diffs stay small.
 */
import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';
import {writeAtomically} from '../util/atomic-write.js';
import type {Finding} from './types.js';
import {BoundedReadError, readBounded} from '../util/bounded-read.js';

/** Largest baseline read; one entry is about 150 bytes, so this holds tens of thousands. */
export const MAX_BASELINE_BYTES = 16 * 1024 * 1024;

export const BASELINE_NAME = '.mcpx-baseline.json';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  file: string;
  rule: string;
  pointer: string;
  valueHash?: string;
}

export interface Baseline {
  version: number;
  entries: BaselineEntry[];
}

/** Entries of `baseline` whose file is not among `files` (absolute paths). */
export function entriesOutside(baseline: Baseline, baselineFile: string, files: readonly string[]): BaselineEntry[] {
  const linted = new Set(files.map((f) => relFile(baselineFile, f)));
  return baseline.entries.filter((e) => !linted.has(e.file));
}

function relFile(baselineFile: string, file: string): string {
  return path.relative(path.dirname(baselineFile), file).split(path.sep).join('/');
}

function key(e: BaselineEntry): string {
  return [e.file, e.rule, e.pointer, e.valueHash ?? ''].join('\0');
}

export function entryFor(baselineFile: string, f: Finding): BaselineEntry {
  return {file: relFile(baselineFile, f.file), rule: f.ruleId, pointer: f.pointer, ...(f.valueHash ? {valueHash: f.valueHash} : {})};
}

/**
 * Read a baseline; throws UserError (exit 2) when it is missing or malformed. `regenerate` is the
 * command that writes one, for the hints (`mcpx lint --update-baseline` or `mcpx scan …`).
 */
export async function readBaseline(file: string, regenerate = 'mcpx lint --update-baseline'): Promise<Baseline> {
  let text: string;
  try {
    // Bounded and non-blocking: a FIFO would hang the run, /dev/zero or /proc would fill memory.
    text = (await readBounded(file, MAX_BASELINE_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BoundedReadError) {
      const why = error.kind === 'directory' ? 'is a directory' : error.kind === 'not-regular' ? 'is not a regular file' : `is too large (the limit is ${MAX_BASELINE_BYTES} bytes)`;
      throw new UserError(`The baseline ${file} ${why}.`, {hint: `Point --baseline at the JSON file \`${regenerate}\` writes.`, code: 'E_BASELINE'});
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(`The baseline ${file} does not exist.`, {hint: `Create it with \`${regenerate} --baseline <file>\`.`, code: 'E_BASELINE'});
    }
    throw new UserError(`Cannot read the baseline ${file}: ${(error as Error).message}`, {code: 'E_BASELINE'});
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`The baseline ${file} is not valid JSON: ${(error as Error).message}`, {hint: `Regenerate it with \`${regenerate}\`.`, code: 'E_BASELINE'});
  }
  const d = data as {version?: unknown; findings?: unknown};
  const valid =
    typeof d === 'object' && d !== null && d.version === BASELINE_VERSION && Array.isArray(d.findings) &&
    d.findings.every((e: unknown) => {
      const x = e as Record<string, unknown>;
      return typeof x === 'object' && x !== null && typeof x.file === 'string' && typeof x.rule === 'string' && typeof x.pointer === 'string' && (x.valueHash === undefined || typeof x.valueHash === 'string');
    });
  if (!valid) throw new UserError(`The baseline ${file} is not an mcpx baseline (version ${BASELINE_VERSION}).`, {hint: `Regenerate it with \`${regenerate}\`.`, code: 'E_BASELINE'});
  return {version: BASELINE_VERSION, entries: d.findings as BaselineEntry[]};
}

/** Mark findings recorded in the baseline as `suppressed: 'baseline'`; returns how many matched. */
export function applyBaseline(findings: Finding[], baseline: Baseline, baselineFile: string): number {
  const keys = new Set(baseline.entries.map(key));
  let n = 0;
  for (const f of findings) {
    if (f.suppressed) continue;
    if (keys.has(key(entryFor(baselineFile, f)))) {
      f.suppressed = 'baseline';
      n++;
    }
  }
  return n;
}

/** The baseline text for these findings (those suppressed inline or by the project config are left out). */
export function serializeBaseline(findings: readonly Finding[], baselineFile: string, keep: readonly BaselineEntry[] = []): string {
  const seen = new Map<string, BaselineEntry>();
  for (const e of keep) seen.set(key(e), e);
  for (const f of findings) {
    if (f.suppressed === 'inline' || f.suppressed === 'config') continue;
    const e = entryFor(baselineFile, f);
    seen.set(key(e), e);
  }
  // Code-unit order: stable across locales, and no ICU collation to load.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  const entries = [...seen.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.pointer, b.pointer) || cmp(a.valueHash ?? '', b.valueHash ?? ''));
  return JSON.stringify({version: BASELINE_VERSION, tool: 'mcpx', findings: entries}, null, 2) + '\n';
}

/**
 * Write the baseline atomically (mode 0644 for a new file: it holds hashes only). `keep`
 * carries entries of files this run did not look at, so a partial run does not drop them.
 */
export async function writeBaseline(file: string, findings: readonly Finding[], keep: readonly BaselineEntry[] = []): Promise<number> {
  const text = serializeBaseline(findings, file, keep);
  await writeAtomically(file, text, fs.existsSync(file) ? {} : {mode: 0o644});
  return (JSON.parse(text) as {findings: unknown[]}).findings.length;
}
