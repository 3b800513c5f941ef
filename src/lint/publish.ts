/**
 * The reporting half shared by `mcpx lint` and `mcpx scan`: check the output flags, apply and
 * update a baseline, drop warnings under --quiet, render one of the formats, write the report
 * (stdout or -o FILE, atomically) and decide the exit code (0 clean, 1 findings at the failing
 * severity, 2 unreadable input). Formatters, the baseline module and chalk load lazily, so the
 * lint fast path pays only for what a run uses.
 */
import fs from 'node:fs';
import path from 'node:path';
import {ExitCode, UserError} from '../errors.js';
import {didYouMean} from '../util/suggest.js';
import {VERSION} from '../version.js';
import {FORMATS, type OutputFormat} from './flags.js';
import type {BaselineEntry} from './baseline.js';
import type {LintReport, RuleMeta} from './types.js';

/** The flags of the reporting half, spelled as lint and scan declare them. */
export interface PublishFlags {
  format?: string;
  output?: string;
  json?: boolean;
  quiet?: boolean;
  'max-warnings'?: number;
  color?: boolean;
  /** JSON: also list the files a search skipped. */
  verbose?: boolean;
}

export interface PublishIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & {isTTY?: boolean};
  stderr: NodeJS.WritableStream;
}

/** What the stylish summary counts: config files for lint, servers for scan. */
export interface ReportScope {
  /** Singular and plural noun, e.g. ['server', 'servers']. */
  noun: readonly [string, string];
  total: number;
  /** The unit a finding belongs to (findings are counted per distinct unit). */
  of: (finding: LintReport['findings'][number]) => string;
}

export interface RenderOptions {
  /** Metadata of every rule that ran (SARIF lists them all). */
  rules: readonly RuleMeta[];
  scope?: ReportScope;
}

/** The --format to use (--json wins); an unknown one or a negative --max-warnings is a UserError. */
export function checkPublishFlags(flags: PublishFlags): OutputFormat {
  const format = (flags.json ? 'json' : (flags.format ?? 'stylish')) as OutputFormat;
  if (!FORMATS.includes(format)) {
    throw new UserError(`Unknown format "${format}".${didYouMean(format, FORMATS)}`, {hint: `Use one of: ${FORMATS.join(', ')}.`});
  }
  if (flags['max-warnings'] !== undefined && flags['max-warnings'] < 0) {
    throw new UserError(`--max-warnings must be 0 or more, got ${flags['max-warnings']}.`);
  }
  return format;
}

/**
 * Mark the findings a baseline records as suppressed. `file` is --baseline (must exist) or, when
 * undefined, `fallback` if it exists. `regenerate` is the command that writes one (for hints).
 */
export async function applyBaselineFile(report: LintReport, file: string | undefined, fallback: string, regenerate: string): Promise<void> {
  const chosen = file ?? (fs.existsSync(fallback) ? fallback : undefined);
  if (!chosen) return;
  const {applyBaseline, readBaseline} = await import('./baseline.js');
  applyBaseline(report.findings, await readBaseline(chosen, regenerate), chosen);
}

/**
 * Record every current finding in the baseline `file`, mark them suppressed, and say so on
 * stderr. Entries this run did not cover are kept: by default those of files it did not look
 * at; `covered` says otherwise (scan: entries of the servers it scanned).
 */
export async function updateBaselineFile(report: LintReport, file: string, io: PublishIO, regenerate: string, covered?: (entry: BaselineEntry) => boolean): Promise<void> {
  const {entriesOutside, readBaseline, writeBaseline} = await import('./baseline.js');
  const old = fs.existsSync(file) ? await readBaseline(file, regenerate) : undefined;
  const keep = !old ? [] : covered ? old.entries.filter((e) => !covered(e)) : entriesOutside(old, file, report.files);
  const count = await writeBaseline(file, report.findings, keep);
  for (const f of report.findings) if (!f.suppressed) f.suppressed = 'baseline';
  io.stderr.write(`mcpx: wrote ${count} finding${count === 1 ? '' : 's'} to the baseline ${path.relative(io.cwd, file) || file}\n`);
}

/** Apply --quiet, render, write to stdout or --output, and return the exit code. */
export async function publishReport(report: LintReport, format: OutputFormat, flags: PublishFlags, io: PublishIO, options: RenderOptions): Promise<number> {
  if (flags.quiet) report.findings = report.findings.filter((f) => f.severity === 'error');
  const text = await renderReport(report, format, flags, io, options);
  if (flags.output) {
    const {writeAtomically} = await import('../util/atomic-write.js');
    const out = path.resolve(io.cwd, flags.output);
    if (isDirectory(out)) throw new UserError(`--output ${flags.output} is a directory; name a file to write the report to.`, {hint: `For example: -o ${path.join(flags.output, `mcpx-report.${format === 'stylish' || format === 'github' ? 'txt' : format}`)}`});
    await writeAtomically(out, text, fs.existsSync(out) ? {} : {mode: 0o644});
  } else {
    io.stdout.write(text);
  }
  return exitCodeFor(report, flags);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

export function exitCodeFor(report: LintReport, flags: Pick<PublishFlags, 'max-warnings'>): number {
  if (report.errors.length > 0) return ExitCode.usage;
  const visible = report.findings.filter((f) => !f.suppressed);
  if (visible.some((f) => f.severity === 'error')) return ExitCode.findings;
  const warnings = visible.filter((f) => f.severity === 'warning').length;
  if (flags['max-warnings'] !== undefined && flags['max-warnings'] >= 0 && warnings > flags['max-warnings']) return ExitCode.findings;
  return ExitCode.ok;
}

async function renderReport(report: LintReport, format: OutputFormat, flags: PublishFlags, io: PublishIO, options: RenderOptions): Promise<string> {
  switch (format) {
    case 'json': {
      const {formatJson} = await import('./formatters/json.js');
      return formatJson(report, {cwd: io.cwd, toolVersion: VERSION, verbose: flags.verbose ?? false});
    }
    case 'sarif': {
      const {formatSarif} = await import('./formatters/sarif.js');
      return formatSarif(report, {cwd: io.cwd, toolVersion: VERSION, rules: options.rules});
    }
    case 'github': {
      const {formatGithub} = await import('./formatters/github.js');
      return formatGithub(report, {cwd: io.cwd, ...(options.scope ? {scope: options.scope} : {})});
    }
    case 'stylish':
    default: {
      const {formatStylish} = await import('./formatters/stylish.js');
      const scope = options.scope ? {scope: options.scope} : {};
      const colorOn = flags.color ?? (!flags.output && Boolean(io.stdout.isTTY) && !io.env.NO_COLOR);
      if (!colorOn) return formatStylish(report, {cwd: io.cwd, ...scope});
      const {Chalk} = await import('chalk');
      return formatStylish(report, {cwd: io.cwd, chalk: new Chalk({level: 1}), ...scope});
    }
  }
}
