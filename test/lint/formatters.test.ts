import {Chalk} from 'chalk';
/**
 * The output formats: SARIF validated against the official 2.1.0 schema (draft-04, as
 * published), the JSON report against schemas/lint-report.schema.json, GitHub workflow
 * command escaping, stylish colours, and that no format ever prints a planted secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import {describe, expect, it} from 'vitest';
import {escapeData, escapeProperty, formatGithub} from '../../src/lint/formatters/github.js';
import {toJsonReport} from '../../src/lint/formatters/json.js';
import {toSarif} from '../../src/lint/formatters/sarif.js';
import {formatStylish} from '../../src/lint/formatters/stylish.js';
import {FORMATS} from '../../src/lint/flags.js';
import {RULES} from '../../src/lint/rules/index.js';
import {runLint} from '../../src/lint/run.js';
import type {Finding, LintReport} from '../../src/lint/types.js';
import {ROOT, RULES_WITH_SECRET, randomToken, sink, tmpDir, write} from './helpers.js';

const sarifSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
const reportSchema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/lint-report.schema.json'), 'utf8'));

function sarifValidator() {
  const ajv = new AjvDraft04.default({allErrors: true, strict: false});
  addFormats.default(ajv);
  return ajv.compile(sarifSchema);
}

function reportValidator() {
  const ajv = new Ajv.default({allErrors: true, strict: true});
  addFormats.default(ajv);
  return ajv.compile(reportSchema);
}

const CWD = '/work/project';

function finding(over: Partial<Finding>): Finding {
  return {
    ruleId: 'insecure-url',
    severity: 'error',
    message: 'http:// to example.com in url of server "b" is unencrypted',
    file: `${CWD}/.cursor/mcp.json`,
    line: 3,
    column: 12,
    endLine: 3,
    endColumn: 40,
    pointer: '/mcpServers/b/url',
    fingerprint: 'a'.repeat(32),
    server: 'b',
    client: 'cursor',
    hint: 'use https://',
    ...over,
  };
}

function sampleReport(): LintReport {
  return {
    files: [`${CWD}/.cursor/mcp.json`, `${CWD}/dir with space/.mcp.json`, '/home/u/.cursor/mcp.json'],
    findings: [
      finding({}),
      finding({ruleId: 'unpinned-package', severity: 'warning', file: `${CWD}/dir with space/.mcp.json`, pointer: '/mcpServers/a/args/0', fingerprint: 'b'.repeat(32)}),
      finding({ruleId: 'file-permissions', severity: 'error', file: '/home/u/.cursor/mcp.json', line: 1, column: 1, endLine: 1, endColumn: 1, pointer: '', fingerprint: 'c'.repeat(32)}),
      finding({ruleId: 'hardcoded-secret', severity: 'error', masked: 'sk-…abcd', valueHash: 'd'.repeat(32), pointer: '/mcpServers/b/env/API_KEY', fingerprint: 'e'.repeat(32), suppressed: 'baseline'}),
      finding({ruleId: 'tls-verification-disabled', severity: 'info', fingerprint: 'f'.repeat(32), suppressed: 'inline'}),
    ],
    errors: [{file: `${CWD}/.mcp.json`, message: `${CWD}/.mcp.json: permission denied (cannot read it)`}],
    notes: ['a note'],
  };
}

describe('sarif', () => {
  const validate = sarifValidator();
  const metas = RULES.map((r) => r.meta);

  it('is valid SARIF 2.1.0 with findings, suppressions, outside-cwd files and file errors', () => {
    const sarif = toSarif(sampleReport(), {cwd: CWD, toolVersion: '1.2.3', rules: metas});
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('is valid with no findings, and keeps `results` present', () => {
    const sarif = toSarif({files: [], findings: [], errors: [], notes: []}, {cwd: CWD, toolVersion: '1.2.3', rules: metas});
    expect(validate(sarif)).toBe(true);
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(true);
  });

  it('the validator rejects a broken log (it can fail)', () => {
    const sarif = JSON.parse(JSON.stringify(toSarif(sampleReport(), {cwd: CWD, toolVersion: '1.2.3', rules: metas})));
    sarif.runs[0].results[0].level = 'fatal';
    expect(validate(sarif)).toBe(false);
  });

  it('gives each result what GitHub code scanning reads', () => {
    const sarif = toSarif(sampleReport(), {cwd: CWD, toolVersion: '1.2.3', rules: metas});
    const run = sarif.runs[0]!;
    const rules = run.tool.driver.rules;
    expect(run.results).toHaveLength(5);
    for (const r of run.results as Array<Record<string, any>>) {
      expect(rules[r.ruleIndex].id).toBe(r.ruleId);
      expect(['error', 'warning', 'note']).toContain(r.level);
      expect(r.message.text).toBeTruthy();
      expect(Object.values(r.partialFingerprints).every((v) => /^[0-9a-f]{32}$/.test(v as string))).toBe(true);
    }
    const first = run.results[0] as Record<string, any>;
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: {uri: '.cursor/mcp.json', uriBaseId: '%SRCROOT%'},
      region: {startLine: 3, startColumn: 12, endLine: 3, endColumn: 40},
    });
    expect((run.results[1] as any).locations[0].physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/.mcp.json');
    expect((run.results[1] as any).level).toBe('warning');
    // Outside the source root: an absolute file URI, no base id.
    expect((run.results[2] as any).locations[0].physicalLocation.artifactLocation).toEqual({uri: 'file:///home/u/.cursor/mcp.json'});
    expect((run.results[3] as any).suppressions[0].kind).toBe('external');
    expect((run.results[4] as any).suppressions[0].kind).toBe('inSource');
    expect((run.results[4] as any).level).toBe('note');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///work/project/');
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(1);
    const rule = rules.find((r) => r.id === 'insecure-url')!;
    expect(rule.helpUri).toMatch(/\/docs\/rules\/insecure-url\.md$/);
    expect(rule.defaultConfiguration.level).toBe('error');
    expect(rule.properties.tags).toContain('security');
    expect(rule.properties['security-severity']).toMatch(/^\d+\.\d$/);
    expect(rule.shortDescription.text).toBeTruthy();
    expect(rule.fullDescription.text).toBeTruthy();
    // A rule not in the registry (here the secret rule) still gets metadata, so ruleIndex stays valid.
    expect(rules.some((r) => r.id === 'hardcoded-secret')).toBe(true);
  });
});

describe('json', () => {
  it('matches schemas/lint-report.schema.json', () => {
    const validate = reportValidator();
    const json = toJsonReport(sampleReport(), {cwd: CWD, toolVersion: '1.2.3'});
    expect(validate(JSON.parse(JSON.stringify(json)))).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    expect(json.summary).toEqual({files: 3, errors: 2, warnings: 1, infos: 0, suppressed: 2, fileErrors: 1});
  });

  it('the schema rejects a report with an unknown severity (it can fail)', () => {
    const validate = reportValidator();
    const json = JSON.parse(JSON.stringify(toJsonReport(sampleReport(), {cwd: CWD, toolVersion: '1.2.3'})));
    json.findings[0].severity = 'fatal';
    expect(validate(json)).toBe(false);
  });
});

describe('github', () => {
  it('escapes %, CR and LF in data, and also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  it('prints one workflow command per visible finding with file, line, col, end and title', () => {
    const report = sampleReport();
    report.findings[0]!.file = `${CWD}/odd,name:x.json`;
    report.findings[0]!.message = 'line one\nline two 100%';
    const out = formatGithub(report, {cwd: CWD}).split('\n');
    expect(out[0]).toBe('::error file=odd%2Cname%3Ax.json,line=3,col=12,endLine=3,endColumn=40,title=insecure-url::line one%0Aline two 100%25%0A→ use https://');
    expect(out[1]).toMatch(/^::warning file=dir with space\/\.mcp\.json,line=3,/);
    expect(out.filter((l) => l.startsWith('::')).length).toBe(4); // 3 visible findings + 1 file error
    expect(out.some((l) => l.includes('hardcoded-secret'))).toBe(false);
  });
});

describe('stylish', () => {
  it('prints no escape codes with colours off, and some with colours on', () => {
    const off = formatStylish(sampleReport(), {cwd: CWD});
    const on = formatStylish(sampleReport(), {cwd: CWD, chalk: new Chalk({level: 1})});
    expect(off).not.toContain('\u001B[');
    expect(on).toContain('\u001B[31m');
    expect(off).toContain('3 problems (2 errors, 1 warning) in 3 of 3 files (2 suppressed)');
  });
});

describe('secrets never printed', () => {
  it('no format prints a planted secret value, only its mask', async () => {
    const dir = tmpDir('fmt');
    const secret = randomToken(['sk', '-', 'proj-'], 40);
    write(dir, '.cursor/mcp.json', JSON.stringify({mcpServers: {s: {command: 'node', args: ['server.js'], env: {OPENAI_API_KEY: secret}}}}, null, 2), 0o644);
    for (const format of FORMATS) {
      const stdout = sink();
      const stderr = sink();
      const code = await runLint([], {format}, {cwd: dir, env: {HOME: dir}, stdout, stderr, ruleSet: RULES_WITH_SECRET});
      expect(code, format).toBe(1);
      expect(stdout.text, format).toContain('hardcoded-secret');
      expect(stdout.text + stderr.text, format).not.toContain(secret);
      // Not even a long piece of it.
      expect(stdout.text, format).not.toContain(secret.slice(8, 30));
      if (format === 'json' || format === 'sarif') expect(stdout.text).toContain(`…${secret.slice(-4)}`);
    }
    // --fix lists the finding for `secrets move`, masked.
    const stderr = sink();
    await runLint([], {fix: true}, {cwd: dir, env: {HOME: dir}, stdout: sink(), stderr, ruleSet: RULES_WITH_SECRET});
    expect(stderr.text).toContain('mcpx secrets move');
    expect(stderr.text).not.toContain(secret);
  });
});
