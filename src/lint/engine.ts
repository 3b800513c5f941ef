/**
 * The lint engine: targets → documents → servers → rules → findings. It reads files and stats
 * them, but never prints, exits or writes: formatting and exit codes belong to the caller.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {type LoadedConfig, UnreadableConfigError, loadConfig} from '../clients/load.js';
import type {PathContext, Platform} from '../clients/types.js';
import {type ConfigDocument, toPointer} from '../config/types.js';
import type {ClientId} from '../model.js';
import {maskSecret} from '../secrets/mask.js';
import {homeDir} from '../util/paths.js';
import {defaultPaths, discover, keepTarget, type Target} from './discovery.js';
import {RULES} from './rules/index.js';
import type {FileInfo, FileRead, Finding, LintReport, Report, Rule, SeveritySetting} from './types.js';

export interface LintOptions {
  /** Files or directories; default: the current directory. */
  paths?: string[];
  /** Also lint the user-scope configs of every client. */
  user?: boolean;
  /** Read explicitly named files as this client's format. */
  client?: ClientId;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Severity overrides by rule id (from the project config); 'off' disables a rule. */
  rules?: Record<string, SeveritySetting>;
  /** Extra glob patterns to skip while searching directories. */
  ignore?: string[];
  /** Rules to run instead of the registry (tests). */
  ruleSet?: readonly Rule[];
  /** Named files are treated like search results (see DiscoveryOptions.namedAsFound). */
  namedAsFound?: boolean;
}

export async function lintPaths(options: LintOptions = {}): Promise<LintReport> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const ctx: PathContext = {home: homeDir(env), platform: toPlatform(platform), env};
  const paths = defaultPaths(options.paths);
  const {targets, errors, skipped} = await discover(paths, {cwd, user: options.user ?? false, ctx, ignore: options.ignore, content: true, namedAsFound: options.namedAsFound});
  const report: LintReport = {files: [], read: [], skipped, findings: [], errors, notes: []};
  if (platform === 'win32') report.notes.push('file-permissions is skipped on Windows: file modes do not apply there (check the ACLs of your config files by hand).');
  const results = await Promise.all(targets.map((t) => lintTarget(t, {...options, cwd, platform}, ctx)));
  for (const r of results) {
    if ('error' in r) report.errors.push(r.error);
    else if ('skipped' in r) skipped.push({file: r.skipped.file, reason: r.skipped.reason});
    else {
      report.files.push(r.file);
      report.read!.push(r.read);
      report.findings.push(...r.findings);
    }
  }
  // Code-unit order, not localeCompare: the first localeCompare loads ICU collation (~15-30 ms of start-up).
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  report.findings.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.ruleId, b.ruleId));
  return report;
}

function toPlatform(p: NodeJS.Platform): Platform {
  return p === 'darwin' || p === 'win32' ? p : 'linux';
}

type TargetResult = {file: string; read: FileRead; findings: Finding[]} | {error: {file: string; message: string}} | {skipped: {file: string; reason: string}};

async function lintTarget(target: Target, options: LintOptions & {cwd: string; platform: NodeJS.Platform}, ctx: PathContext): Promise<TargetResult> {
  const {file} = target;
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfig(file, {client: options.client, ctx});
  } catch (error) {
    // A file opened only to look at its shape is not an input the user gave: skip it quietly.
    if (error instanceof UnreadableConfigError) return target.why === 'mcp-shape' ? {skipped: {file, reason: error.message.replace(`${file}: `, '')}} : {error: {file, message: error.message}};
    throw error;
  }
  if (!keepTarget(target, loaded)) return {skipped: {file, reason: loaded.parseError ? 'does not parse, and names no key only MCP configs use' : 'an MCP-like key, but no MCP server (a command, or a URL with an MCP transport type)'}};
  let dirStat: fs.Stats | undefined;
  try {
    dirStat = await fs.promises.stat(path.dirname(file));
  } catch {
    dirStat = undefined;
  }
  const info: FileInfo = {file, stat: loaded.stat, dirStat, client: loaded.client, doc: loaded.doc, servers: loaded.servers, platform: options.platform};
  const e = loaded.parseError;
  if (e) {
    info.parseError = {message: `${e.detail} (${e.format.toUpperCase()})`, line: e.line, column: e.column};
    info.text = loaded.text;
  }
  const read: FileRead = {file, reason: target.why, ...(loaded.client ? {client: loaded.client.id} : {}), ...(loaded.clientBy ? {clientBy: loaded.clientBy} : {})};
  return {file, read, findings: runRules(info, options, ctx)};
}

function runRules(info: FileInfo, options: LintOptions & {cwd: string}, _ctx: PathContext): Finding[] {
  const rules = options.ruleSet ?? RULES;
  const findings: Finding[] = [];
  const ordered = [...rules.filter((r) => r.phase !== 'after'), ...rules.filter((r) => r.phase === 'after')];
  for (const rule of ordered) {
    const setting = options.rules?.[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (setting === 'off') continue;
    const hasCredential = findings.some((f) => f.ruleId === 'hardcoded-secret');
    rule.check({
      ...info,
      hasCredential,
      report: (r: Report) => findings.push(toFinding(rule, setting, r, info, options.cwd)),
    });
  }
  applyInlineSuppressions(findings, info.doc);
  return findings;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toFinding(rule: Rule, severity: Exclude<SeveritySetting, 'off'>, r: Report, info: FileInfo, cwd: string): Finding {
  const start = r.range?.start ?? {line: 1, column: 1};
  const end = r.range?.end ?? start;
  const pointer = r.path ? toPointer(r.path) : '';
  const valueHash = r.secret !== undefined ? sha256(`mcpx-value:${r.secret}`).slice(0, 32) : undefined;
  const rel = path.relative(cwd, info.file).split(path.sep).join('/');
  const finding: Finding = {
    ruleId: rule.meta.id,
    severity,
    message: r.message,
    file: info.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    pointer,
    fingerprint: sha256([rel, rule.meta.id, pointer, valueHash ?? r.message].join('\0')).slice(0, 32),
  };
  if (r.server !== undefined) finding.server = r.server;
  if (info.client) finding.client = info.client.id;
  if (r.secret !== undefined) finding.masked = maskSecret(r.secret);
  if (valueHash) finding.valueHash = valueHash;
  if (r.hint) finding.hint = r.hint;
  return finding;
}

const IGNORE = /mcpx-ignore(-next-line|-file)?(?::|\s)?\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)?/;

/**
 * Inline suppressions in formats that have comments: `mcpx-ignore [rule, …]` on the finding's
 * line, `mcpx-ignore-next-line [rule, …]` on the line before, `mcpx-ignore-file [rule, …]` anywhere.
 */
function applyInlineSuppressions(findings: Finding[], doc: ConfigDocument | undefined): void {
  if (!doc || doc.comments.length === 0) return;
  const directives = doc.comments
    .map((c) => {
      const m = IGNORE.exec(c.text);
      if (!m) return undefined;
      const rules = m[2] ? m[2].split(/\s*,\s*/) : undefined;
      return {kind: m[1] ?? '', line: c.range.start.line, endLine: c.range.end.line, rules};
    })
    .filter((d): d is NonNullable<typeof d> => d !== undefined);
  for (const f of findings) {
    const hit = directives.some((d) => {
      if (d.rules && !d.rules.includes(f.ruleId)) return false;
      if (d.kind === '-file') return true;
      if (d.kind === '-next-line') return d.endLine + 1 === f.line;
      return d.line === f.line;
    });
    if (hit) f.suppressed = 'inline';
  }
}
