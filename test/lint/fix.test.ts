/**
 * `mcpx lint --fix`: removes group/other permission bits and keeps the owner's, never changes
 * ownership, follows a symlink only to a file the user owns, leaves folders to the user,
 * reports what it changed, and lists the findings that need `mcpx secrets move`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runLint} from '../../src/lint/run.js';
import {RULES_WITH_SECRET, randomToken, sink, tmpDir, write} from './helpers.js';

const mode = (f: string) => fs.statSync(f).mode & 0o7777;
const isRoot = process.getuid?.() === 0;

function withSecret(): string {
  return JSON.stringify({mcpServers: {s: {command: 'node', args: ['s.js'], env: {API_TOKEN: randomToken(['tok', '_'], 32)}}}}, null, 2);
}

async function fix(dir: string, paths: string[] = []) {
  const stdout = sink();
  const stderr = sink();
  const code = await runLint(paths, {fix: true, format: 'json'}, {cwd: dir, env: {HOME: dir}, stdout, stderr, ruleSet: RULES_WITH_SECRET});
  return {code, stderr: stderr.text, report: JSON.parse(stdout.text)};
}

describe('lint --fix', () => {
  it('removes group and other bits, keeps the owner bits and the owner, reports the change', async () => {
    const dir = tmpDir('fix');
    const a = write(dir, 'a/.mcp.json', withSecret(), 0o666);
    const b = write(dir, 'b/.mcp.json', JSON.stringify({mcpServers: {x: {url: 'https://example.com/mcp'}}}), 0o764);
    const untouched = write(dir, 'c/.mcp.json', JSON.stringify({mcpServers: {x: {url: 'https://example.com/mcp'}}}), 0o644);
    const owner = fs.statSync(a).uid;
    const r = await fix(dir);
    expect(mode(a)).toBe(0o600);
    expect(mode(b)).toBe(0o700);
    // No finding, no change: a readable config without credentials is fine.
    expect(mode(untouched)).toBe(0o644);
    expect(fs.statSync(a).uid).toBe(owner);
    expect(r.stderr).toContain(`fixed: ${path.join('a', '.mcp.json')}: mode 0666 → 0600`);
    expect(r.stderr).toContain(`fixed: ${path.join('b', '.mcp.json')}: mode 0764 → 0700`);
    // The report shows the state after the fix: only the secret remains, for `secrets move`.
    expect(r.report.findings.map((f: {ruleId: string}) => f.ruleId)).toEqual(['hardcoded-secret']);
    expect(r.stderr).toContain('1 finding needs `mcpx secrets move`');
    expect(r.code).toBe(1);
  });

  it('fixes the target of a symlink the user owns, keeping the link', async () => {
    const dir = tmpDir('fix');
    const real = write(dir, 'dotfiles/mcp.json', withSecret(), 0o644);
    fs.mkdirSync(path.join(dir, 'proj'));
    const link = path.join(dir, 'proj', '.mcp.json');
    fs.symlinkSync(real, link);
    const r = await fix(dir, ['proj/.mcp.json']);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(mode(real)).toBe(0o600);
    expect(r.stderr).toContain('via symlink');
  });

  it.runIf(isRoot)('does not touch a file owned by someone else, even through a symlink', async () => {
    const dir = tmpDir('fix');
    const foreign = write(dir, 'other/mcp.json', withSecret(), 0o644);
    fs.chownSync(foreign, 4242, 4242);
    fs.symlinkSync(foreign, path.join(dir, '.mcp.json'));
    const r = await fix(dir, ['.mcp.json']);
    expect(mode(foreign)).toBe(0o644);
    expect(fs.statSync(foreign).uid).toBe(4242);
    expect(r.stderr).toMatch(/not fixed: \.mcp\.json: owned by uid 4242, not you/);
    expect(r.report.findings.some((f: {ruleId: string}) => f.ruleId === 'file-permissions')).toBe(true);
  });

  it('with --update-baseline, records the state after the fix (the repaired permission is not baselined)', async () => {
    const dir = tmpDir('fix');
    fs.mkdirSync(path.join(dir, '.git'));
    write(dir, '.mcp.json', withSecret(), 0o644);
    const stdout = sink();
    const code = await runLint([], {fix: true, 'update-baseline': true, format: 'json'}, {cwd: dir, env: {HOME: dir}, stdout, stderr: sink(), ruleSet: RULES_WITH_SECRET});
    expect(code).toBe(0);
    const rules = JSON.parse(fs.readFileSync(path.join(dir, '.mcpx-baseline.json'), 'utf8')).findings.map((e: {rule: string}) => e.rule);
    expect(rules).toEqual(['hardcoded-secret']);
  });

  it('leaves a world-writable folder to the user and says so', async () => {
    const dir = tmpDir('fix');
    fs.mkdirSync(path.join(dir, 'open'));
    fs.chmodSync(path.join(dir, 'open'), 0o777);
    write(dir, 'open/.mcp.json', JSON.stringify({mcpServers: {x: {url: 'https://example.com/mcp'}}}), 0o600);
    const r = await fix(dir);
    expect(fs.statSync(path.join(dir, 'open')).mode & 0o777).toBe(0o777);
    expect(r.stderr).toContain('fix by hand');
  });
});
