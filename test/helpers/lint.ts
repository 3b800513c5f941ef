/** Helpers to lint text written to a temp dir, through the real engine. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {lintPaths} from '../../src/lint/engine.js';
import type {Finding, Rule} from '../../src/lint/types.js';
import type {ClientId} from '../../src/model.js';

export function tempDir(prefix = 'mcpx-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface LintTextOptions {
  /** Path of the file relative to the temp project, e.g. `.cursor/mcp.json`. */
  file: string;
  text: string;
  mode?: number;
  rules?: readonly Rule[];
  client?: ClientId;
}

/** Write `text` at `file` in a fresh temp project and lint that file. */
export async function lintText(options: LintTextOptions): Promise<Finding[]> {
  const dir = tempDir();
  const file = path.join(dir, options.file);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, options.text);
  fs.chmodSync(file, options.mode ?? 0o600);
  try {
    const report = await lintPaths({paths: [file], cwd: dir, ruleSet: options.rules, client: options.client, env: {...process.env, HOME: dir}});
    if (report.errors.length > 0) throw new Error(report.errors.map((e) => e.message).join('\n'));
    return report.findings;
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

/** `rule@line:column` strings, for compact assertions. */
export function where(findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`);
}
