/**
 * The `--format github` report: GitHub Actions workflow commands (`::error file=…::message`),
 * which the runner turns into annotations on the changed lines. Values are escaped as the
 * runner expects: `%`, CR and LF everywhere, and also `:` and `,` inside properties.
 */
import type {LintReport, Severity} from '../types.js';
import {displayPath} from './paths.js';

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

export function formatGithub(report: LintReport, {cwd}: {cwd: string}): string {
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
    const message = f.hint ? `${f.message}\n→ ${f.hint}` : f.message;
    out.push(`::${command(f.severity)} ${props.join(',')}::${escapeData(message)}`);
  }
  for (const e of report.errors) {
    const props = [`file=${escapeProperty(displayPath(cwd, e.file))}`, ...(e.line ? [`line=${e.line}`] : []), ...(e.column ? [`col=${e.column}`] : []), 'title=mcpx'];
    out.push(`::error ${props.join(',')}::${escapeData(e.message)}`);
  }
  const visible = report.findings.filter((f) => !f.suppressed);
  const errors = visible.filter((f) => f.severity === 'error').length;
  out.push(`mcpx: ${visible.length} problem${visible.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}) in ${report.files.length} config file${report.files.length === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}
