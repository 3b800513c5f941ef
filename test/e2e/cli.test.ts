/** The CLI as a whole: help, version, unknown commands and flags, the JSON envelope. */
import {describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

describe('mcpx', () => {
  it('prints help with the command list and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('USAGE');
    expect(r.stdout).toMatch(/\blint\b/);
  });

  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mcpx\/\d+\.\d+\.\d+/);
  });

  it('suggests the nearest command for a typo and exits 2', async () => {
    const r = await runCli(['lnt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown command "lnt". Did you mean 'lint'?`);
  });

  it('shows lint help through oclif with every flag', async () => {
    const r = await runCli(['lint', '--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--format', '--output', '--quiet', '--max-warnings', '--user', '--client', '--fix', '--baseline', '--update-baseline']) {
      expect(r.stdout).toContain(flag);
    }
  });
});

describe('the README example', () => {
  it('lint examples/ finds every kind of problem, masks every secret, and exits 1', async () => {
    const r = await runCli(['lint', 'examples/', '--format', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const rules = new Set(report.findings.map((f: {ruleId: string}) => f.ruleId));
    for (const id of ['hardcoded-secret', 'insecure-url', 'file-permissions', 'tls-verification-disabled', 'unpinned-package']) expect(rules).toContain(id);
    // The VS Code file shows the safe way and stays clean.
    expect(report.findings.filter((f: {file: string}) => f.file.includes('.vscode'))).toEqual([]);
    for (const f of report.findings.filter((x: {ruleId: string}) => x.ruleId === 'hardcoded-secret')) expect(f.masked).toContain('…');
  });
});
