/**
 * Discovery of home-folder layouts, generic names and backup copies below a searched tree, and
 * the same identification for a file named on the command line, through bin/run.js.
 */
import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {HAS_REAL_SECRET_RULE, mcpx, randomToken, requireBuild, tmpDir, write} from './helpers.js';

beforeAll(requireBuild);

const insecure = (name: string) => ({mcpServers: {[name]: {url: `http://${name}.example.com/mcp`}}});

/** Each layout with an insecure URL whose host names the layout, so the report shows which were read. */
const LAYOUTS: Array<[string, unknown]> = [
  ['dotfiles/.claude.json', {projects: {'/home/u/app': {mcpServers: {claudecode: {url: 'http://claudecode.example.com/mcp'}}}}}],
  ['dotfiles/.claude/backups/.claude.json.backup.1733580000', {mcpServers: {ccbackup: {url: 'http://ccbackup.example.com/mcp'}}}],
  ['dotfiles/.codeium/windsurf/mcp_config.json', {mcpServers: {windsurf: {serverUrl: 'http://windsurf.example.com/mcp'}}}],
  ['dotfiles/.antigravitycli/mcp_config.json', insecure('antigravity')],
  ['dotfiles/cline_mcp_settings.json', insecure('cline')],
  ['dotfiles/roo/mcp_settings.json', insecure('roo')],
  ['dotfiles/.lmstudio/mcp.json', insecure('lmstudio')],
  ['dotfiles/config/zed/settings.json', {context_servers: {zed: {url: 'http://zed.example.com/mcp'}}}],
  ['app/.vscode/settings.json', {mcp: {servers: {vscodesettings: {type: 'http', url: 'http://vscodesettings.example.com/mcp'}}}}],
  ['app/.cursor/mcp.json.bak', insecure('cursorbak')],
];

describe('discovery under a PATH', () => {
  it('finds home layouts, generic names and backups anywhere in the tree, with the right client', () => {
    const dir = tmpDir('disc');
    for (const [file, body] of LAYOUTS) write(dir, file, JSON.stringify(body, null, 2));
    write(dir, 'dotfiles/config/goose/config.yaml', 'extensions:\n  goose:\n    type: streamable_http\n    uri: http://goose.example.com/mcp\n    enabled: true\n');
    write(dir, 'dotfiles/config/codex/config.toml', '[mcp_servers.codex]\nurl = "http://codex.example.com/mcp"\n');
    write(dir, 'node_modules/x/.claude.json', JSON.stringify(insecure('decoy')));
    const r = mcpx(['lint', '--format', 'json', '.'], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {results: Array<{file: string; findings: Array<{ruleId: string; message: string; client?: string}>}>};
    const text = JSON.stringify(report);
    for (const host of ['claudecode', 'ccbackup', 'windsurf', 'antigravity', 'cline', 'roo', 'lmstudio', 'zed', 'vscodesettings', 'cursorbak', 'goose', 'codex']) {
      expect(text, host).toContain(`${host}.example.com`);
    }
    expect(text).not.toContain('decoy.example.com');
  });

  it.runIf(HAS_REAL_SECRET_RULE)('a named .claude.json is read as Claude Code (projects[*].mcpServers), a named .vscode/settings.json reads mcp.servers', () => {
    const dir = tmpDir('disc-named');
    const key = randomToken(['gh', 'p_'], 36);
    write(dir, 'home/.claude.json', JSON.stringify({projects: {'/w': {mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}}}}));
    write(dir, 'proj/.vscode/settings.json', JSON.stringify({'mcp.servers': {gh: {type: 'stdio', command: 'node', env: {GITHUB_TOKEN: key}}}}));
    for (const file of ['home/.claude.json', 'proj/.vscode/settings.json']) {
      const r = mcpx(['lint', file], dir);
      expect(r.code, `${file}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stdout).toContain('hardcoded-secret');
      expect(r.stdout + r.stderr).not.toContain(key);
    }
  });
});

describe('honest summaries and stdin', () => {
  it('a named path that is missing or a folder named like a config is exit 2, never ✔', () => {
    const dir = tmpDir('disc-missing');
    write(dir, 'ok/.mcp.json', JSON.stringify({mcpServers: {a: {url: 'https://a.example.com/mcp'}}}));
    fs.mkdirSync(path.join(dir, 'folder.json'));
    for (const args of [['nope.json'], ['folder.json'], ['ok', 'nope.json']]) {
      const r = mcpx(['lint', ...args], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout + r.stderr).not.toContain('✔');
    }
  });

  it('`mcpx lint -` reads stdin; --stdin-filename picks the client', () => {
    const dir = tmpDir('disc-stdin');
    const body = JSON.stringify({mcpServers: {ws: {serverUrl: 'http://ws.example.com/mcp'}}});
    const named = mcpx(['lint', '-', '--stdin-filename', '.codeium/windsurf/mcp_config.json', '--format', 'json'], dir, {}, body);
    expect(named.code, named.stderr).toBe(1);
    const report = JSON.parse(named.stdout) as {findings: Array<{ruleId: string; file: string; client?: string}>};
    expect(report.findings.find((f) => f.ruleId === 'insecure-url')).toMatchObject({client: 'windsurf'});
    expect(report.findings[0]!.file).toContain('mcp_config.json');
    const bare = mcpx(['lint', '-'], dir, {}, JSON.stringify({mcpServers: {a: {url: 'https://a.example.com/mcp'}}}));
    expect(bare.code, bare.stdout + bare.stderr).toBe(0);
    expect(mcpx(['lint', '--stdin-filename', 'x.json'], dir).code).toBe(2);
  });
});
