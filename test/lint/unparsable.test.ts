/**
 * A config that does not parse, through the built CLI: lint reports the secrets it holds (masked,
 * with line and column) beside the parse-error, and `secrets move` refuses it with the parse
 * error's position instead of saying there is nothing to move (real keychain).
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, inject, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {mcpx, randomToken, requireBuild, tmpDir, write} from './helpers.js';

beforeAll(requireBuild);

const keychain = inject('keychain');

function brokenConfig(token: string, key: string): string {
  return `{
  "mcpServers": {
    "gh": {
      "command": "npx",
      "args": ["-y", "some-server", "--api-key", "${key}"],
      "env": {"GITHUB_TOKEN": "${token}",},
    },
  }
`;
}

describe('lint on a file that does not parse', () => {
  it('reports each secret as hardcoded-secret with line:column next to the parse-error, masked', () => {
    const dir = tmpDir('unparsable');
    const token = randomToken(['gh', 'p_'], 36);
    const key = randomToken([], 32);
    write(dir, '.mcp.json', brokenConfig(token, key));
    const r = mcpx(['lint', '--format', 'json', '.'], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {findings: Array<{ruleId: string; line: number; column: number; masked?: string}>};
    const rows = report.findings.map((f) => [f.ruleId, f.line, f.column]);
    expect(rows).toContainEqual(['hardcoded-secret', 5, 51]);
    expect(rows).toContainEqual(['hardcoded-secret', 6, 32]);
    expect(rows.filter(([id]) => id === 'parse-error')).toHaveLength(1);
    expect(report.findings.filter((f) => f.ruleId === 'hardcoded-secret').every((f) => f.masked && f.masked.includes('…'))).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(r.stdout + r.stderr).not.toContain(key);

    const text = mcpx(['lint', '.mcp.json'], dir);
    expect(text.stdout).toMatch(/"GITHUB_TOKEN" holds a GitHub personal access token \(ghp_…\w{4}\) \(found reading the file as text/);
    expect(text.stdout).toContain('parse-error');
    expect(text.stdout + text.stderr).not.toContain(token);
  });
});

describe.skipIf(!keychain.available)(`secrets move on a file that does not parse${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  it('refuses with file:line:column of the parse error, exit 2, and changes nothing', async () => {
    const dir = tmpDir('unparsable-move');
    const token = randomToken(['gh', 'p_'], 36);
    const file = write(dir, '.mcp.json', brokenConfig(token, randomToken([], 32)));
    const before = fs.readFileSync(file, 'utf8');
    const env = {HOME: dir, MCPX_HOME: path.join(dir, '.mcpx'), MCPX_KEYCHAIN_SERVICE: `mcpx-test-unparsable-${randomBytes(4).toString('hex')}`};
    const r = await runCli(['secrets', 'move', '--yes', '.'], {cwd: dir, env});
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout + r.stderr).not.toContain('Nothing to move');
    expect(r.stderr).toMatch(/\.mcp\.json:6:\d+: /);
    expect(r.stderr).toMatch(/fix the syntax first/i);
    expect(r.stderr).toMatch(/holds 2 secrets \([^)]*ghp_…\w{4}[^)]*\)/);
    expect(r.stdout + r.stderr).not.toContain(token);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
