/** The default human format: findings grouped by file, aligned, coloured, with a fix hint each. */
import path from 'node:path';
import type {Finding, LintReport} from '../types.js';
import {subjectOf} from './paths.js';

/** The styles this format uses: chalk's shape, so a chalk instance fits. */
type Paint = (text: string) => string;
export interface Palette {
  underline: Paint;
  dim: Paint;
  red: Paint & {bold: Paint};
  yellow: Paint & {bold: Paint};
  blue: Paint;
  green: Paint;
}

export interface StylishOptions {
  cwd: string;
  /** chalk when colouring; omitted for plain text (lint then never loads a colour library). */
  chalk?: Palette;
  /** What the summary counts (default: config files). `mcpx scan` counts servers. */
  scope?: {noun: readonly [string, string]; total: number; of: (f: Finding) => string};
}

const plain: Paint = (t) => t;
const PLAIN: Palette = {underline: plain, dim: plain, red: Object.assign(plain, {bold: plain}), yellow: Object.assign((t: string) => t, {bold: plain}), blue: plain, green: plain};

export function formatStylish(report: LintReport, {cwd, chalk = PLAIN, scope}: StylishOptions): string {
  const out: string[] = [];
  const visible = report.findings.filter((f) => !f.suppressed);
  const byFile = new Map<string, typeof visible>();
  for (const f of visible) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const rel = (f: string) => path.relative(cwd, f) || f;
  for (const [file, findings] of byFile) {
    out.push(chalk.underline(rel(file)));
    const posWidth = Math.max(...findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of findings) {
      const pos = `${f.line}:${f.column}`.padEnd(posWidth);
      const sev = f.severity === 'error' ? chalk.red('error  ') : f.severity === 'warning' ? chalk.yellow('warning') : chalk.blue('info   ');
      out.push(`  ${chalk.dim(pos)}  ${sev}  ${f.message}  ${chalk.dim(f.ruleId)}`);
      const indent = `  ${' '.repeat(posWidth)}  `;
      const subject = subjectOf(f);
      if (subject) out.push(indent + chalk.dim(subject));
      if (f.excerpt) out.push(indent + chalk.dim(`“${f.excerpt}”`));
      if (f.hint) out.push(indent + chalk.dim('→ ' + f.hint));
    }
    out.push('');
  }
  for (const e of report.errors) out.push(chalk.red('✖ ') + e.message);
  if (report.errors.length > 0) out.push('');
  for (const note of report.notes) out.push(chalk.dim('note: ' + note));
  const errors = visible.filter((f) => f.severity === 'error').length;
  const warnings = visible.filter((f) => f.severity === 'warning').length;
  const infos = visible.length - errors - warnings;
  const suppressed = report.findings.length - visible.length;
  const tail = suppressed > 0 ? chalk.dim(` (${suppressed} suppressed)`) : '';
  const [one, many] = scope?.noun ?? ['config file', 'config files'];
  const total = scope?.total ?? report.files.length;
  const units = (n: number) => `${n} ${n === 1 ? one : many}`;
  if (visible.length === 0) {
    const failed = report.errors.length;
    // Never a ✔ while an input could not be read.
    if (failed > 0) out.push(chalk.red.bold('✖') + ` ${failed} input${failed === 1 ? '' : 's'} could not be ${scope ? 'scanned' : 'linted'}; no problems in the ${units(total)} read` + tail);
    else out.push(chalk.green('✔') + ` no problems in ${units(total)}` + tail);
  } else {
    const parts = [`${errors} error${errors === 1 ? '' : 's'}`, `${warnings} warning${warnings === 1 ? '' : 's'}`];
    if (infos > 0) parts.push(`${infos} info${infos === 1 ? '' : 's'}`);
    const mark = errors > 0 ? chalk.red.bold('✖') : chalk.yellow.bold('⚠');
    const hit = scope ? new Set(visible.map(scope.of)).size : byFile.size;
    const of = scope ? `${hit} of ${units(total)}` : `${hit} of ${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
    out.push(`${mark} ${visible.length} problem${visible.length === 1 ? '' : 's'} (${parts.join(', ')}) in ${of}` + tail);
    if (visible.some((f) => f.ruleId === 'hardcoded-secret')) out.push(chalk.dim('  Move hardcoded secrets into the OS keychain with `mcpx secrets move`.'));
    if (visible.some((f) => f.ruleId === 'file-permissions')) out.push(chalk.dim('  Repair permissions with `mcpx lint --fix`.'));
  }
  return out.join('\n') + '\n';
}
