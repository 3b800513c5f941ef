/**
 * `mcpx lint` from parsed flags to exit code: load the project config, run the engine, apply
 * suppressions (ignore globs, ignoreFindings, baseline), fix permissions when asked, format,
 * write the report, and decide the exit code (0 clean, 1 findings at the failing severity,
 * 2 usage error or unreadable input). Shared by the oclif command and the fast path. Nothing is
 * written unless --fix, --update-baseline or --output asks for it. Code only some runs need
 * (formatters, baseline, fixer, git) is imported lazily; the reporting half (baseline, format,
 * output, exit code) is src/lint/publish.ts, shared with `mcpx scan`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {CLIENT_IDS, type ClientId} from '../model.js';
import {UserError} from '../errors.js';
import {didYouMean} from '../util/suggest.js';
import {lintPaths, type LintOptions} from './engine.js';
import {applyBaselineFile, checkPublishFlags, exitCodeFor, publishReport, updateBaselineFile} from './publish.js';
import {applyProjectConfig, findProjectConfig, loadProjectConfig, type ProjectConfig} from './project-config.js';
import {RULES} from './rules/index.js';
import {TRUST_RULE_IDS} from '../trust/rule-ids.js';
import type {LintReport, SeveritySetting} from './types.js';

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
  staged?: boolean;
  'stdin-filename'?: string;
  config?: string;
  color?: boolean;
  verbose?: boolean;
  'only-configs'?: boolean;
}

export interface LintIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & {isTTY?: boolean};
  stderr: NodeJS.WritableStream;
  /** Rules to run instead of the registry (tests). */
  ruleSet?: LintOptions['ruleSet'];
  /** Where `mcpx lint -` reads from (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
}

export async function runLint(paths: string[], flags: LintFlags, io: LintIO): Promise<number> {
  const format = checkPublishFlags(flags);
  if (flags.client !== undefined && !CLIENT_IDS.includes(flags.client as ClientId)) {
    throw new UserError(`Unknown client "${flags.client}".${didYouMean(flags.client, CLIENT_IDS)}`, {hint: `Clients: ${CLIENT_IDS.join(', ')}.`});
  }
  if (flags.staged && (paths.length > 0 || flags.user)) {
    throw new UserError('--staged lints the files staged for commit; it takes no paths and no --user.', {hint: 'Drop the paths, or drop --staged.'});
  }
  const fromStdin = paths.includes('-');
  if (fromStdin && (paths.length > 1 || flags.user || flags.staged)) {
    throw new UserError('`mcpx lint -` reads one config from stdin; it takes no other paths, no --user and no --staged.', {hint: 'Name the file instead, or pipe one config.'});
  }
  if (flags['stdin-filename'] !== undefined && !fromStdin) throw new UserError('--stdin-filename names the config read from stdin; use it with `mcpx lint -`.');
  if (fromStdin && flags.fix) throw new UserError('--fix cannot repair stdin.', {hint: 'Name the file instead.'});
  const rules = io.ruleSet ?? RULES;
  const found = flags.config ? {config: path.resolve(io.cwd, flags.config)} : findProjectConfig(io.cwd);
  // The project config is shared with `mcpx scan`, so its rule ids are valid here too (ids only: no trust code loads).
  const project = found.config ? await loadProjectConfig(found.config, [...rules.map((r) => r.meta.id), ...TRUST_RULE_IDS]) : undefined;

  const collect = async (): Promise<LintReport> => {
    const report = flags.staged ? await lintStaged(flags, io, project) : fromStdin ? await lintStdin(flags, io, project) : await lintPaths(engineOptions(paths, flags, io, project?.rules));
    if (project) applyProjectConfig(report, project);
    return report;
  };
  let report = await collect();

  const baselineFile = flags.baseline ? path.resolve(io.cwd, flags.baseline) : undefined;
  const defaultBaseline = path.join(project?.dir ?? ('root' in found && found.root ? found.root : io.cwd), '.mcpx-baseline.json');
  const regenerate = 'mcpx lint --update-baseline';

  if (!flags['update-baseline']) await applyBaselineFile(report, baselineFile, defaultBaseline, regenerate);

  if (flags.fix) {
    const {describeFix, fixFindings} = await import('./fix.js');
    const secretsMoveRules = new Set(rules.filter((r) => r.meta.fix === 'secrets move').map((r) => r.meta.id));
    const fixed = await fixFindings(report.findings, {secretsMoveRules});
    io.stderr.write(describeFix(fixed, (f) => path.relative(io.cwd, f) || f));
    if (fixed.changed.length > 0) {
      // Report (and baseline) the state after the fix, not before it.
      report = await collect();
      if (!flags['update-baseline']) await applyBaselineFile(report, baselineFile, defaultBaseline, regenerate);
    }
  }

  if (flags['update-baseline']) await updateBaselineFile(report, baselineFile ?? defaultBaseline, io, regenerate);

  if (flags.verbose) io.stderr.write(describeReads(report, io.cwd));
  return publishReport(report, format, flags, io, {rules: rules.map((r) => r.meta)});
}

function engineOptions(paths: string[], flags: LintFlags, io: LintIO, rules: Record<string, SeveritySetting> | undefined): LintOptions {
  return {
    paths,
    user: flags.user,
    client: flags.client as ClientId | undefined,
    cwd: io.cwd,
    env: io.env,
    ...(rules ? {rules} : {}),
    ...(io.ruleSet ? {ruleSet: io.ruleSet} : {}),
    ...(flags['only-configs'] ? {namedAsFound: true} : {}),
  };
}

/**
 * `mcpx lint -`: the config on stdin (at most MAX_FILE_BYTES), written to a private temporary
 * folder under the name given by --stdin-filename (which picks the client, as a file of that
 * name would), linted there and reported under that name.
 */
async function lintStdin(flags: LintFlags, io: LintIO, project: ProjectConfig | undefined): Promise<LintReport> {
  const {MAX_FILE_BYTES} = await import('../clients/load.js');
  const name = flags['stdin-filename'] ?? 'stdin.json';
  const rel = path.normalize(name).replace(/^([/\\]|\.\.[/\\])+/, '');
  if (rel === '' || rel.split(/[/\\]/).includes('..')) throw new UserError(`--stdin-filename "${name}" must be a relative file name.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin ?? process.stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_FILE_BYTES) throw new UserError(`stdin: too large for an MCP config (more than ${MAX_FILE_BYTES} bytes).`);
    chunks.push(buf);
  }
  const os = await import('node:os');
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mcpx-stdin-'));
  try {
    const file = path.join(tmp, rel);
    await fs.promises.mkdir(path.dirname(file), {recursive: true, mode: 0o700});
    await fs.promises.writeFile(file, Buffer.concat(chunks), {mode: 0o600});
    const rules: Record<string, SeveritySetting> = {...project?.rules, 'file-permissions': 'off'};
    const report = await lintPaths(engineOptions([file], flags, {...io, cwd: tmp}, rules));
    remap(report, (f) => (f === file ? name : f), file, name);
    return report;
  } finally {
    await fs.promises.rm(tmp, {recursive: true, force: true});
  }
}

/** Lint the staged copies of staged config files, reported under their real paths. */
async function lintStaged(flags: LintFlags, io: LintIO, project: ProjectConfig | undefined): Promise<LintReport> {
  const {copyStagedConfigs} = await import('../hooks/staged.js');
  const staged = await copyStagedConfigs(io.cwd);
  try {
    if (staged.files.length === 0) return {files: [], findings: [], errors: [], notes: []};
    // The index records no permissions beyond the executable bit, so a mode check would judge the temp copy.
    const rules: Record<string, SeveritySetting> = {...project?.rules, 'file-permissions': 'off'};
    // Staged files are identified as a search would: known names, and other files by their MCP shape.
    const report = await lintPaths({...engineOptions(staged.files.map((f) => path.join(staged.tmp, f)), flags, {...io, cwd: staged.tmp}, rules), namedAsFound: true});
    remap(report, (f) => (f.startsWith(staged.tmp + path.sep) ? path.join(staged.root, f.slice(staged.tmp.length + 1)) : f), staged.tmp + path.sep, staged.root + path.sep);
    return report;
  } finally {
    await staged.cleanup();
  }
}

export {exitCodeFor};

/** Report paths under their real names (stdin's --stdin-filename, the staged copies' work tree). */
function remap(report: LintReport, back: (file: string) => string, from: string, to: string): void {
  report.files = report.files.map(back);
  for (const r of report.read ?? []) r.file = back(r.file);
  for (const s of report.skipped ?? []) s.file = back(s.file);
  for (const f of report.findings) f.file = back(f.file);
  for (const e of report.errors) {
    e.file = back(e.file);
    e.message = e.message.split(from).join(to);
  }
}

const REASONS: Record<NonNullable<LintReport['read']>[number]['reason'], string> = {
  named: 'named on the command line',
  'known-name': 'a known config name',
  'mcp-shape': 'found by its MCP shape',
  user: 'a user-scope config',
};

/** `--verbose`: each file read (its client and why) and each file a search skipped (why), one line each. */
export function describeReads(report: LintReport, cwd: string): string {
  const rel = (f: string) => path.relative(cwd, f).split(path.sep).join('/') || f;
  const by = {flag: 'by --client', name: 'by name', content: 'by content'} as const;
  const lines = (report.read ?? []).map((r) => `mcpx: read ${rel(r.file)}: ${r.client ? `${r.client} (${by[r.clientBy ?? 'name']})` : 'no client format fits'}, ${REASONS[r.reason]}`);
  for (const s of report.skipped ?? []) lines.push(`mcpx: skipped ${rel(s.file)}: ${s.reason}`);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}
