/**
 * `mcpx lint --fix`: repairs what can be repaired safely, which is file permissions. It removes
 * the group and other bits and keeps the owner's (never changes ownership), works on the file
 * a symlink points to only when the user owns that file, and opens it with O_NOFOLLOW and
 * `fchmod`s the handle so a swapped path cannot redirect the change. Secrets are not touched:
 * it lists the findings that need `mcpx secrets move`.
 */
import fs from 'node:fs';
import type {Finding} from './types.js';

export interface FixChange {
  file: string;
  /** The real file changed (differs from `file` when `file` is a symlink). */
  target: string;
  from: number;
  to: number;
}

export interface FixSkip {
  file: string;
  reason: string;
}

export interface FixResult {
  changed: FixChange[];
  skipped: FixSkip[];
  /** Findings that only `mcpx secrets move` can fix. */
  needsSecretsMove: Finding[];
  /** Findings left for the user to fix by hand (e.g. a world-writable folder). */
  manual: Finding[];
}

function octal(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
}

/**
 * Apply fixes for the visible (unsuppressed) findings. Never throws for a single file: a file
 * that cannot be fixed is reported in `skipped` with the reason.
 */
export async function fixFindings(findings: readonly Finding[], options: {platform?: NodeJS.Platform; uid?: number; secretsMoveRules: ReadonlySet<string>}): Promise<FixResult> {
  const result: FixResult = {changed: [], skipped: [], needsSecretsMove: [], manual: []};
  const visible = findings.filter((f) => !f.suppressed);
  result.needsSecretsMove = visible.filter((f) => options.secretsMoveRules.has(f.ruleId));
  const platform = options.platform ?? process.platform;
  const permFiles = new Set<string>();
  for (const f of visible) {
    if (f.ruleId !== 'file-permissions') continue;
    if (f.message.includes('folder holding this config')) result.manual.push(f);
    else permFiles.add(f.file);
  }
  if (platform === 'win32') {
    for (const file of permFiles) result.skipped.push({file, reason: 'file modes do not apply on Windows'});
    return result;
  }
  const uid = options.uid ?? process.getuid?.() ?? -1;
  for (const file of permFiles) {
    try {
      const change = await tightenMode(file, uid);
      if (change) result.changed.push(change);
    } catch (error) {
      result.skipped.push({file, reason: (error as Error).message});
    }
  }
  return result;
}

async function tightenMode(file: string, uid: number): Promise<FixChange | undefined> {
  const link = await fs.promises.lstat(file);
  let target = file;
  if (link.isSymbolicLink()) target = await fs.promises.realpath(file);
  // O_NOFOLLOW: if the real path was swapped for a link since realpath, open fails instead of following it.
  const handle = await fs.promises.open(target, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error('not a regular file');
    if (uid >= 0 && stat.uid !== uid) throw new Error(`owned by uid ${stat.uid}, not you: left unchanged (ask its owner to run chmod go-rwx)`);
    const from = stat.mode & 0o7777;
    const to = from & ~0o077;
    if (to === from) return undefined;
    await handle.chmod(to);
    return {file, target, from, to};
  } finally {
    await handle.close();
  }
}

/** Human-readable summary of a fix run, for stderr. */
export function describeFix(result: FixResult, display: (file: string) => string): string {
  const lines: string[] = [];
  for (const c of result.changed) {
    const via = c.target !== c.file ? ` (via symlink to ${display(c.target)})` : '';
    lines.push(`fixed: ${display(c.file)}${via}: mode ${octal(c.from)} → ${octal(c.to)}`);
  }
  for (const s of result.skipped) lines.push(`not fixed: ${display(s.file)}: ${s.reason}`);
  for (const f of result.manual) lines.push(`fix by hand: ${display(f.file)}: ${f.message}${f.hint ? ` (${f.hint})` : ''}`);
  if (result.needsSecretsMove.length > 0) {
    lines.push(`${result.needsSecretsMove.length} finding${result.needsSecretsMove.length === 1 ? '' : 's'} need${result.needsSecretsMove.length === 1 ? 's' : ''} \`mcpx secrets move\` (lint --fix never edits secrets):`);
    for (const f of result.needsSecretsMove) lines.push(`  ${display(f.file)}:${f.line}:${f.column}  ${f.ruleId}${f.masked ? `  ${f.masked}` : ''}`);
  }
  if (lines.length === 0) lines.push('nothing to fix');
  return lines.join('\n') + '\n';
}
