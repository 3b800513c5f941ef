/**
 * The project config `.mcpxrc.json` (strict JSON): rule severities, paths to skip, and
 * individual findings to accept. Found upward from the working directory, stopping at the git
 * root (or the filesystem root), or named with `--config`. Validated by hand so that the lint
 * fast path loads no schema validator; unknown keys and rule ids fail with a suggestion.
 * The file's JSON Schema is schemas/mcpxrc.schema.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import {UserError} from '../errors.js';
import {BoundedReadError, readBounded} from '../util/bounded-read.js';
import {didYouMean} from '../util/suggest.js';
import {globMatcher, globProblem} from './glob.js';
import type {Finding, LintReport, SeveritySetting} from './types.js';

export const PROJECT_CONFIG_NAME = '.mcpxrc.json';
const SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const TOP_KEYS = ['$schema', 'rules', 'ignore', 'ignoreFindings'];
const FINDING_KEYS = ['rule', 'file', 'pointer', 'reason'];
/** A project config is a few hundred bytes; anything past this is not one. */
export const MAX_PROJECT_CONFIG_BYTES = 1024 * 1024;

export interface IgnoreFinding {
  rule?: string;
  /** Glob relative to the config file's folder. */
  file?: string;
  /** RFC 6901 pointer; also matches everything below it. */
  pointer?: string;
  reason?: string;
}

export interface ProjectConfig {
  /** Absolute path of the file it was read from. */
  file: string;
  /** Its folder: `ignore` and `ignoreFindings[].file` are relative to it. */
  dir: string;
  rules: Record<string, SeveritySetting>;
  ignore: string[];
  ignoreFindings: IgnoreFinding[];
}

/**
 * The folder where the upward search stopped: the nearest folder holding `.git` (the project
 * root), else undefined. Also returns the config file found on the way, if any.
 */
export function findProjectConfig(cwd: string): {config?: string; root?: string} {
  let dir = path.resolve(cwd);
  for (;;) {
    const candidate = path.join(dir, PROJECT_CONFIG_NAME);
    if (fs.existsSync(candidate)) return {config: candidate, root: fs.existsSync(path.join(dir, '.git')) ? dir : findGitRoot(dir)};
    if (fs.existsSync(path.join(dir, '.git'))) return {root: dir};
    const parent = path.dirname(dir);
    if (parent === dir) return {};
    dir = parent;
  }
}

function findGitRoot(from: string): string | undefined {
  let dir = from;
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Read and validate a project config. Throws UserError (exit 2) when the file is missing,
 * is not strict JSON, or holds unknown keys, unknown rule ids or bad severities.
 */
export async function loadProjectConfig(file: string, ruleIds: readonly string[]): Promise<ProjectConfig> {
  let text: string;
  try {
    text = (await readBounded(file, MAX_PROJECT_CONFIG_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BoundedReadError) {
      throw new UserError(`Cannot read the project config ${error.message}.`, {hint: 'Check the --config path: it must name a regular JSON file.', code: 'E_CONFIG'});
    }
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read the project config ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {
      hint: 'Check the --config path, or create the file (see docs/suppression.md).',
      code: 'E_CONFIG',
    });
  }
  const {parseJson} = await import('../config/json.js');
  const doc = parseJson(text, file, true);
  return validateProjectConfig(doc.value, file, ruleIds);
}

export function validateProjectConfig(value: unknown, file: string, ruleIds: readonly string[]): ProjectConfig {
  const fail = (message: string, hint = 'See docs/suppression.md for the format of .mcpxrc.json.') => {
    throw new UserError(`${file}: ${message}`, {hint, code: 'E_CONFIG'});
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('must be a JSON object.');
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!TOP_KEYS.includes(key)) fail(`unknown key "${key}".${didYouMean(key, TOP_KEYS)}`, `Allowed keys: ${TOP_KEYS.join(', ')}.`);
  }
  if (obj.$schema !== undefined && typeof obj.$schema !== 'string') fail('"$schema" must be a string.');
  const rules: Record<string, SeveritySetting> = {};
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) fail('"rules" must be an object of rule id → "off" | "info" | "warning" | "error".');
    for (const [id, setting] of Object.entries(obj.rules as Record<string, unknown>)) {
      checkRuleId(id, `rules`, ruleIds, fail);
      if (typeof setting !== 'string' || !SETTINGS.includes(setting as SeveritySetting)) {
        fail(`rules.${id} must be one of ${SETTINGS.map((s) => `"${s}"`).join(', ')}, got ${JSON.stringify(setting)}.${typeof setting === 'string' ? didYouMean(setting, SETTINGS) : ''}`);
      }
      rules[id] = setting as SeveritySetting;
    }
  }
  const ignore: string[] = [];
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || !obj.ignore.every((g) => typeof g === 'string' && g.trim() !== '')) fail('"ignore" must be an array of glob patterns (non-empty strings).');
    (obj.ignore as string[]).forEach((g, i) => {
      const problem = globProblem(g);
      if (problem) fail(`ignore[${i}]: ${problem}`);
    });
    ignore.push(...(obj.ignore as string[]));
  }
  const ignoreFindings: IgnoreFinding[] = [];
  if (obj.ignoreFindings !== undefined) {
    if (!Array.isArray(obj.ignoreFindings)) fail('"ignoreFindings" must be an array of {"rule", "file", "pointer", "reason"} objects.');
    (obj.ignoreFindings as unknown[]).forEach((entry, i) => {
      const where = `ignoreFindings[${i}]`;
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`${where} must be an object.`);
      const e = entry as Record<string, unknown>;
      for (const key of Object.keys(e)) {
        if (!FINDING_KEYS.includes(key)) fail(`${where}: unknown key "${key}".${didYouMean(key, FINDING_KEYS)}`, `Allowed keys: ${FINDING_KEYS.join(', ')}.`);
        if (typeof e[key] !== 'string') fail(`${where}.${key} must be a string.`);
      }
      if (e.rule === undefined && e.file === undefined && e.pointer === undefined) fail(`${where} must name at least one of "rule", "file" or "pointer" (an empty entry would hide everything).`);
      if (e.file !== undefined) {
        const problem = globProblem(e.file as string);
        if (problem) fail(`${where}.file: ${problem}`);
      }
      if (e.rule !== undefined) checkRuleId(e.rule as string, `${where}.rule`, ruleIds, fail);
      if (e.pointer !== undefined && e.pointer !== '' && !(e.pointer as string).startsWith('/')) fail(`${where}.pointer must be a JSON pointer starting with "/" (e.g. "/mcpServers/github/env/GITHUB_TOKEN").`);
      ignoreFindings.push(e as IgnoreFinding);
    });
  }
  return {file, dir: path.dirname(file), rules, ignore, ignoreFindings};
}

function checkRuleId(id: string, where: string, ruleIds: readonly string[], fail: (m: string, hint?: string) => never): void {
  if (!ruleIds.includes(id)) fail(`${where}: unknown rule "${id}".${didYouMean(id, ruleIds)}`, `Rules: ${ruleIds.join(', ')}.`);
}

/** The path of `file` relative to the config's folder (`/`-separated), or undefined when outside it. */
function relativeTo(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** A predicate telling whether `ignore` excludes a file (absolute path). */
export function ignoredFiles(config: ProjectConfig): (file: string) => boolean {
  const match = globMatcher(config.ignore);
  return (file) => {
    const rel = relativeTo(config.dir, file);
    return rel !== undefined && rel !== '' && match(rel);
  };
}

/** Mark findings accepted by `ignoreFindings` as `suppressed: 'config'`. */
export function applyIgnoreFindings(findings: Finding[], config: ProjectConfig): void {
  const entries = config.ignoreFindings.map((e) => ({...e, match: e.file !== undefined ? globMatcher([e.file]) : undefined}));
  if (entries.length === 0) return;
  for (const f of findings) {
    if (f.suppressed) continue;
    const rel = relativeTo(config.dir, f.file);
    const hit = entries.some((e) => {
      if (e.rule !== undefined && e.rule !== f.ruleId) return false;
      if (e.match && (rel === undefined || !e.match(rel))) return false;
      if (e.pointer !== undefined && f.pointer !== e.pointer && !f.pointer.startsWith(e.pointer + '/')) return false;
      return true;
    });
    if (hit) f.suppressed = 'config';
  }
}

/** Drop files matched by `ignore` and mark findings accepted by `ignoreFindings` (lint and scan). */
export function applyProjectConfig(report: LintReport, project: ProjectConfig): void {
  const ignored = ignoredFiles(project);
  report.files = report.files.filter((f) => !ignored(f));
  if (report.read) report.read = report.read.filter((r) => !ignored(r.file));
  report.findings = report.findings.filter((f) => !ignored(f.file));
  report.errors = report.errors.filter((e) => !ignored(e.file));
  applyIgnoreFindings(report.findings, project);
}
