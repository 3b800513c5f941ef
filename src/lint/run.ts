/**
 * `mcpx lint` from parsed flags to exit code: run the engine, fix permissions when asked,
 * format, write the report, and decide the exit code (0 clean, 1 findings at the failing
 * severity, 2 usage error or unreadable input). Shared by the oclif command and the fast path.
 */
import fs from 'node:fs';
import path from 'node:path';
import {CLIENT_IDS, type ClientId} from '../model.js';
import {ExitCode, UserError} from '../errors.js';
import {didYouMean} from '../util/suggest.js';
import {VERSION} from '../version.js';
import {lintPaths} from './engine.js';
import {FORMATS, type OutputFormat} from './flags.js';
import type {LintReport} from './types.js';

export interface LintFlags {
  format?: string;
  output?: string;
  json?: boolean;
  quiet?: boolean;
  'max-warnings'?: number;
  user?: boolean;
  client?: string;
  fix?: boolean;
  baseline?: string;
  'update-baseline'?: boolean;
  config?: string;
  color?: boolean;
}

export interface LintIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & {isTTY?: boolean};
  stderr: NodeJS.WritableStream;
}

export async function runLint(paths: string[], flags: LintFlags, io: LintIO): Promise<number> {
  const format = (flags.json ? 'json' : (flags.format ?? 'stylish')) as OutputFormat;
  if (!FORMATS.includes(format)) {
    throw new UserError(`Unknown format "${format}".${didYouMean(format, FORMATS)}`, {hint: `Use one of: ${FORMATS.join(', ')}.`});
  }
  if (flags.client !== undefined && !CLIENT_IDS.includes(flags.client as ClientId)) {
    throw new UserError(`Unknown client "${flags.client}".${didYouMean(flags.client, CLIENT_IDS)}`, {hint: `Clients: ${CLIENT_IDS.join(', ')}.`});
  }
  const report = await lintPaths({
    paths,
    user: flags.user,
    client: flags.client as ClientId | undefined,
    cwd: io.cwd,
    env: io.env,
  });
  if (flags.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');

  const text = await render(report, format, flags, io);
  if (flags.output) {
    const out = path.resolve(io.cwd, flags.output);
    fs.mkdirSync(path.dirname(out), {recursive: true});
    fs.writeFileSync(out, text);
  } else {
    io.stdout.write(text);
  }
  return exitCodeFor(report, flags);
}

export function exitCodeFor(report: LintReport, flags: Pick<LintFlags, 'max-warnings'>): number {
  if (report.errors.length > 0) return ExitCode.usage;
  const visible = report.findings.filter((f) => !f.suppressed);
  if (visible.some((f) => f.severity === 'error')) return ExitCode.findings;
  const warnings = visible.filter((f) => f.severity === 'warning').length;
  if (flags['max-warnings'] !== undefined && flags['max-warnings'] >= 0 && warnings > flags['max-warnings']) return ExitCode.findings;
  return ExitCode.ok;
}

async function render(report: LintReport, format: OutputFormat, flags: LintFlags, io: LintIO): Promise<string> {
  switch (format) {
    case 'json': {
      const {formatJson} = await import('./formatters/json.js');
      return formatJson(report, {cwd: io.cwd, toolVersion: VERSION});
    }
    case 'stylish':
    default: {
      const {formatStylish} = await import('./formatters/stylish.js');
      const {Chalk} = await import('chalk');
      const colorOn = flags.color ?? (!flags.output && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
      return formatStylish(report, {cwd: io.cwd, chalk: new Chalk({level: colorOn ? 1 : 0})});
    }
  }
}
