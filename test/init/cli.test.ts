/**
 * `mcpx init` / `mcpx add` through the built CLI without secrets: the human summary, the
 * `--json` envelope for errors, flags before the preset argument, a malformed file reported
 * with line:column. (Secrets and the real keychain: keychain.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {readBack, sandbox, type Sandbox, write} from './helpers.js';

let b: Sandbox;
afterEach(() => b?.cleanup());

describe('mcpx init and add from the command line', () => {
  it('adds a server with flags before the preset, prints what changed and the lint result', async () => {
    b = sandbox('cli-add');
    const r = await runCli(['add', '--client', 'cursor', 'memory', '--yes'], {cwd: b.project, env: b.env});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Created .cursor/mcp.json (Cursor, project scope):\n  added memory (as the preset runs it)');
    expect(r.stdout).toContain('mcpx lint: no findings in the 1 file(s) written.');
    expect(r.stdout).toContain('Restart Cursor');
    expect(readBack(path.join(b.project, '.cursor/mcp.json'), 'cursor').map((s) => s.name)).toEqual(['memory']);
  });

  it('answers --json errors in the envelope, with suggestions', async () => {
    b = sandbox('cli-json');
    const r = await runCli(['add', 'githb', '--client', 'cursor', '--yes', '--json'], {cwd: b.project, env: b.env});
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.error.code).toBe('E_UNKNOWN_PRESET');
    expect(out.error.message).toContain("'github'");
  });

  it('reports a malformed config with line and column, leaving it untouched', async () => {
    b = sandbox('cli-parse');
    const file = path.join(b.project, '.codex/config.toml');
    write(file, '# mine\n[mcp_servers.a]\ncommand = "node\n');
    const r = await runCli(['init', '--client', 'codex', '--preset', 'memory', '--yes'], {cwd: b.project, env: b.env});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error: \.codex\/config\.toml:3:\d+: .*left untouched\.\nHint: Fix the syntax/);
    expect(fs.readFileSync(file, 'utf8')).toBe('# mine\n[mcp_servers.a]\ncommand = "node\n');
  });

  it('a dry run without the secrets shows the diff and what a real run needs', async () => {
    b = sandbox('cli-dry');
    const r = await runCli(['init', '--client', 'claude-code', '--preset', 'brave-search', '--dry-run'], {cwd: b.project, env: {...b.env, MCPX_KEYCHAIN_SERVICE: 'mcpx-test-init-dry-unused'}});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+    "brave-search": {');
    expect(r.stdout).toContain('Dry run: nothing was changed.');
    expect(r.stdout).toContain('A real run needs BRAVE_API_KEY');
    expect(fs.readdirSync(b.project)).toEqual([]);
  });
});
