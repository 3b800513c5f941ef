/**
 * The `--format github` report: GitHub Actions workflow commands (`::error file=…::message`),
 * which the runner turns into annotations on the changed lines. Values are escaped as the
 * runner expects: `%`, CR and LF everywhere, and also `:` and `,` inside properties.
 */
import type {Finding, LintReport, Severity} from '../types.js';
import {displayPath, subjectOf} from './paths.js';

/** Escape the message part of a workflow command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (`file=…`, `title=…`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(severity: Severity): 'error' | 'warning' | 'notice' {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'notice';
}

export interface GithubOptions {
  cwd: string;
  /** What the summary line counts (default: config files). `mcpx scan` counts servers. */
  scope?: {noun: readonly [string, string]; total: number; of: (f: Finding) => string};
}

export function formatGithub(report: LintReport, {cwd, scope}: GithubOptions): string {
  const out: string[] = [];
  for (const f of report.findings) {
    if (f.suppressed) continue;
    const props = [
      `file=${escapeProperty(displayPath(cwd, f.file))}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(f.ruleId)}`,
    ];
    const subject = subjectOf(f);
    const lines = [subject ? `${subject}: ${f.message}` : f.message, ...(f.excerpt ? [`“${f.excerpt}”`] : []), ...(f.hint ? [`→ ${f.hint}`] : [])];
    const message = lines.join('\n');
    out.push(`::${command(f.severity)} ${props.join(',')}::${escapeData(message)}`);
  }
  for (const e of report.errors) {
    const props = [`file=${escapeProperty(displayPath(cwd, e.file))}`, ...(e.line ? [`line=${e.line}`] : []), ...(e.column ? [`col=${e.column}`] : []), 'title=mcpx'];
    out.push(`::error ${props.join(',')}::${escapeData(e.message)}`);
  }
  const visible = report.findings.filter((f) => !f.suppressed);
  const errors = visible.filter((f) => f.severity === 'error').length;
  const [one, many] = scope?.noun ?? ['config file', 'config files'];
  const total = scope?.total ?? report.files.length;
  out.push(`mcpx: ${visible.length} problem${visible.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${total} ${total === 1 ? one : many}`);
  return out.join('\n') + '\n';
}
