/**
 * The `--format json` report. Versioned (`version`); documented in docs/json-output.md. Paths
 * are relative to the working directory; secrets appear only masked.
 */
import path from 'node:path';
import type {LintReport} from '../types.js';

export const JSON_REPORT_VERSION = 1;

export function toJsonReport(report: LintReport, {cwd, toolVersion, verbose = false}: {cwd: string; toolVersion: string; verbose?: boolean}) {
  const rel = (f: string) => path.relative(cwd, f).split(path.sep).join('/') || '.';
  const visible = report.findings.filter((f) => !f.suppressed);
  return {
    version: JSON_REPORT_VERSION,
    tool: {name: 'mcpx', version: toolVersion},
    summary: {
      files: report.files.length,
      errors: visible.filter((f) => f.severity === 'error').length,
      warnings: visible.filter((f) => f.severity === 'warning').length,
      infos: visible.filter((f) => f.severity === 'info').length,
      suppressed: report.findings.length - visible.length,
      fileErrors: report.errors.length,
    },
    files: report.files.map(rel),
    read: (report.read ?? []).map((r) => ({...r, file: rel(r.file)})),
    ...(verbose ? {skipped: (report.skipped ?? []).map((s) => ({...s, file: rel(s.file)}))} : {}),
    findings: report.findings.map((f) => ({...f, file: rel(f.file)})),
    errors: report.errors.map((e) => ({...e, file: rel(e.file)})),
    notes: report.notes,
    ...(report.servers ? {servers: report.servers.map((s) => ({...s, file: rel(s.file)}))} : {}),
  };
}

export function formatJson(report: LintReport, options: {cwd: string; toolVersion: string; verbose?: boolean}): string {
  return JSON.stringify(toJsonReport(report, options), null, 2) + '\n';
}
