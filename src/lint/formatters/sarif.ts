/**
 * The `--format sarif` report: SARIF 2.1.0 as GitHub code scanning reads it. One result per
 * finding (suppressed ones carry `suppressions`), rule metadata in `tool.driver.rules`, paths
 * relative to `%SRCROOT%` (the working directory), fingerprints that are hashes, never values,
 * and unreadable files as tool execution notifications. Pure: report in, text out.
 */
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Finding, LintReport, RuleMeta, Severity} from '../types.js';
import {relativeInside, subjectOf} from './paths.js';

/** Where the rule docs live (`docs/rules/<id>.md`); helpUri points there. */
export const RULE_DOCS_BASE = 'https://github.com/mcpx-dev/mcpx/blob/main/docs/rules/';
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export interface SarifOptions {
  cwd: string;
  toolVersion: string;
  /** Metadata of every rule that ran (all are listed, so `ruleIndex` is stable). */
  rules: readonly RuleMeta[];
  /** Command line, for `invocations[0].commandLine` (optional). */
  commandLine?: string;
}

type SarifLevel = 'error' | 'warning' | 'note';

function level(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

/** GitHub's 0–10 scale, as a string: it ranks security alerts critical/high/medium/low. */
function securitySeverity(meta: RuleMeta): string | undefined {
  if (meta.category === 'correctness') return undefined;
  const base = meta.defaultSeverity === 'error' ? 8.0 : meta.defaultSeverity === 'warning' ? 5.0 : 2.0;
  return (meta.id === 'hardcoded-secret' ? 9.0 : base).toFixed(1);
}

/** GitHub shows `security-severity` only on rules tagged `security`. */
function tagsFor(meta: RuleMeta): string[] {
  return meta.category === 'correctness' ? ['correctness', 'mcp'] : [...new Set(['security', meta.category, 'mcp'])];
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function encodeRelative(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

/** The result text: a scan finding names its tool and field and quotes the excerpt; a hint follows as the fix. */
function messageText(f: Finding): string {
  const subject = subjectOf(f);
  let text = subject ? `${subject}: ${f.message}` : f.message;
  if (f.excerpt) text = `${sentence(text)} Text: “${f.excerpt}”`;
  return f.hint ? `${sentence(text)} Fix: ${f.hint}` : text;
}

export function toSarif(report: LintReport, options: SarifOptions) {
  const rulesById = new Map<string, RuleMeta>(options.rules.map((r) => [r.id, r]));
  // Findings of rules not in the list (a test rule, a plugin) still need an entry.
  for (const f of report.findings) {
    if (!rulesById.has(f.ruleId)) rulesById.set(f.ruleId, {id: f.ruleId, description: f.ruleId, defaultSeverity: f.severity, category: 'correctness'});
  }
  const metas = [...rulesById.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const srcRoot = pathToFileURL(options.cwd.endsWith(path.sep) ? options.cwd : options.cwd + path.sep).href;

  const artifactLocation = (file: string) => {
    const rel = relativeInside(options.cwd, file);
    return rel !== undefined ? {uri: encodeRelative(rel), uriBaseId: '%SRCROOT%'} : {uri: pathToFileURL(file).href};
  };

  const result = (f: Finding) => {
    const region: Record<string, number> = {startLine: f.line, startColumn: f.column};
    if (f.endLine > f.line || (f.endLine === f.line && f.endColumn > f.column)) {
      region.endLine = f.endLine;
      region.endColumn = f.endColumn;
    }
    const out: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId),
      level: level(f.severity),
      message: {text: messageText(f)},
      locations: [{physicalLocation: {artifactLocation: artifactLocation(f.file), region}}],
      partialFingerprints: {'mcpxFingerprint/v1': f.fingerprint, ...(f.valueHash ? {'mcpxValueHash/v1': f.valueHash} : {})},
    };
    const props: Record<string, unknown> = {};
    if (f.pointer) props.pointer = f.pointer;
    if (f.server !== undefined) props.server = f.server;
    if (f.client) props.client = f.client;
    if (f.masked) props.masked = f.masked;
    if (f.tool !== undefined) props.tool = f.tool;
    if (f.prompt !== undefined) props.prompt = f.prompt;
    if (f.field !== undefined) props.field = f.field;
    if (f.excerpt !== undefined) props.excerpt = f.excerpt;
    if (Object.keys(props).length > 0) out.properties = props;
    if (f.suppressed) {
      out.suppressions = [{kind: f.suppressed === 'inline' ? 'inSource' : 'external', justification: `suppressed by ${f.suppressed === 'inline' ? 'an mcpx-ignore comment' : f.suppressed === 'baseline' ? 'the baseline' : 'the project config'}`}];
    }
    return out;
  };

  const notifications = report.errors.map((e) => ({
    level: 'error',
    message: {text: e.message},
    locations: [{physicalLocation: {artifactLocation: artifactLocation(e.file), ...(e.line ? {region: {startLine: e.line, ...(e.column ? {startColumn: e.column} : {})}} : {})}}],
  }));

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mcpx',
            semanticVersion: options.toolVersion,
            version: options.toolVersion,
            informationUri: RULE_DOCS_BASE.replace(/blob\/main\/docs\/rules\/$/, ''),
            rules: metas.map((m) => {
              const sec = securitySeverity(m);
              return {
                id: m.id,
                name: m.id.replace(/(^|-)([a-z])/g, (_, _d: string, c: string) => c.toUpperCase()),
                shortDescription: {text: sentence(m.description)},
                fullDescription: {text: sentence(m.description) + (m.fix === 'lint --fix' ? ' `mcpx lint --fix` repairs it.' : m.fix === 'secrets move' ? ' `mcpx secrets move` moves the value into the OS keychain.' : '')},
                helpUri: `${RULE_DOCS_BASE}${m.id}.md`,
                help: {text: `See ${RULE_DOCS_BASE}${m.id}.md`},
                defaultConfiguration: {level: level(m.defaultSeverity)},
                properties: {tags: tagsFor(m), ...(sec ? {'security-severity': sec} : {}), precision: 'high'},
              };
            }),
          },
        },
        originalUriBaseIds: {'%SRCROOT%': {uri: srcRoot}},
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            ...(options.commandLine ? {commandLine: options.commandLine} : {}),
            toolExecutionNotifications: notifications,
          },
        ],
        results: report.findings.map(result),
        ...(report.notes.length > 0 ? {properties: {notes: report.notes}} : {}),
      },
    ],
  };
}

export function formatSarif(report: LintReport, options: SarifOptions): string {
  return JSON.stringify(toSarif(report, options), null, 2) + '\n';
}
