/**
 * Discovery by content, through the built CLI on real files in a temp tree: JSON, TOML and YAML
 * files of any name whose content has an MCP shape are linted with the client chosen by that
 * shape; files of other shapes, oversized files, skipped folders and manifests are not.
 */
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {beforeAll, describe, expect, inject, it} from 'vitest';
import {mcpShapeHint} from '../../src/lint/discovery.js';
import {runCli} from '../helpers/cli.js';
import {mcpx, randomToken, requireBuild, tmpDir, write} from './helpers.js';

const keychain = inject('keychain');

beforeAll(requireBuild);

const url = (host: string) => `http://${host}.example.com/mcp`;

interface JsonReport {
  files: string[];
  read: Array<{file: string; client?: string; reason: string; clientBy?: string}>;
  skipped?: Array<{file: string; reason: string}>;
  findings: Array<{file: string; ruleId: string; client?: string; message: string}>;
}

describe('discovery by content', () => {
  it('lints files of any name with an MCP shape, with the client of that shape, and nothing else', () => {
    const dir = tmpDir('content');
    write(dir, 'tools/agents.json', JSON.stringify({mcpServers: {desk: {url: url('desk')}}}));
    write(dir, 'ops/editor-settings.json', JSON.stringify({'editor.fontSize': 12, mcp: {servers: {vs: {type: 'http', url: url('vsmcp')}}}}));
    write(dir, 'ops/servers.json', JSON.stringify({servers: {plain: {type: 'http', url: url('plainservers')}}}));
    write(dir, 'ai/zed-shared.json', JSON.stringify({context_servers: {z: {url: url('zedshape')}}}));
    write(dir, 'ai/agent.toml', `[mcp_servers.codexshape]\nurl = "${url('codexshape')}"\n`);
    write(dir, 'ai/goose-team.yaml', `extensions:\n  gooseshape:\n    type: streamable_http\n    uri: ${url('gooseshape')}\n    enabled: true\n`);
    write(dir, 'old/.mcp.json.disabled', JSON.stringify({mcpServers: {disabledcopy: {url: url('disabledcopy')}}}));
    // Not MCP: other shapes, a manifest, skipped folders, an oversized file.
    write(dir, 'config/app.json', JSON.stringify({servers: ['a.example.com'], url: url('appdecoy')}));
    write(dir, 'config/infra.yaml', `servers:\n  web:\n    host: web.internal\n    port: 80\n    link: ${url('infradecoy')}\n`);
    write(dir, 'config/extensions.json', JSON.stringify({extensions: {recommendations: ['x']}, homepage: url('extdecoy')}));
    write(dir, 'package.json', JSON.stringify({name: 'x', mcpServers: {pkg: {url: url('pkgdecoy')}}}));
    write(dir, 'node_modules/dep/tools.json', JSON.stringify({mcpServers: {nm: {url: url('nmdecoy')}}}));
    write(dir, 'dist/tools.json', JSON.stringify({mcpServers: {dist: {url: url('distdecoy')}}}));
    write(dir, 'big/huge.json', JSON.stringify({mcpServers: {big: {url: url('bigdecoy')}}, pad: 'z'.repeat(300 * 1024)}));

    const r = mcpx(['lint', '--format', 'json', '.'], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    const text = JSON.stringify(report.findings);
    const clientOf = (host: string) => report.findings.find((f) => f.message.includes(`${host}.example.com`))?.client;
    expect(clientOf('desk')).toBe('claude-desktop');
    expect(clientOf('vsmcp')).toBe('vscode');
    expect(clientOf('plainservers')).toBe('vscode');
    expect(clientOf('zedshape')).toBe('zed');
    expect(clientOf('codexshape')).toBe('codex');
    expect(clientOf('gooseshape')).toBe('goose');
    expect(clientOf('disabledcopy')).toBeDefined();
    for (const decoy of ['appdecoy', 'infradecoy', 'extdecoy', 'pkgdecoy', 'nmdecoy', 'distdecoy', 'bigdecoy']) expect(text, decoy).not.toContain(decoy);
    expect(report.files.map((f) => f.replace(/\\/g, '/')).sort()).toEqual(
      ['ai/agent.toml', 'ai/goose-team.yaml', 'ai/zed-shared.json', 'old/.mcp.json.disabled', 'ops/editor-settings.json', 'ops/servers.json', 'tools/agents.json'],
    );
    expect(r.stderr).toBe('');
  });

  it('reports a broken file with an MCP-only key (parse error and the secret in it), skips a broken one of another shape', () => {
    const dir = tmpDir('content-broken');
    const token = randomToken(['gh', 'p_'], 36);
    write(dir, 'team/tools.json', `{"mcpServers": {"gh": {"command": "npx", "env": {"GITHUB_TOKEN": "${token}"},}\n`);
    write(dir, 'config/broken.json', `{"servers": {"a": {"url": "x"},\n`);
    const r = mcpx(['lint', '--format', 'json', '.'], dir);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.files.map((f) => f.replace(/\\/g, '/'))).toEqual(['team/tools.json']);
    expect(report.findings.map((f) => f.ruleId).sort()).toEqual(['hardcoded-secret', 'parse-error']);
    expect(r.stdout).not.toContain(token);
  });
});

/** One tree: a known name, a file found by its shape, decoys of other shapes. */
function mixedTree(token: string): string {
  const dir = tmpDir('content-verbose');
  write(dir, '.cursor/mcp.json', JSON.stringify({mcpServers: {docs: {url: 'https://docs.example.com/mcp'}}}));
  write(dir, 'team/agents.json', JSON.stringify({mcpServers: {gh: {command: 'npx', args: ['-y', 'gh-server'], env: {GITHUB_TOKEN: token}}}}));
  write(dir, 'config/app.json', JSON.stringify({name: 'app', port: 3000}));
  write(dir, 'config/infra.yaml', 'servers:\n  web:\n    host: web.internal\n    url: https://web.internal\n');
  write(dir, 'notes.txt', 'mcpServers');
  return dir;
}

describe('what was read and why', () => {
  it('--verbose says each file read (client, by name or by content, why) and each skipped one (why); the JSON report lists them', () => {
    const token = randomToken(['gh', 'p_'], 36);
    const dir = mixedTree(token);
    const text = mcpx(['lint', '--verbose', '.'], dir);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('mcpx: read .cursor/mcp.json: cursor (by name), a known config name');
    expect(text.stderr).toContain('mcpx: read team/agents.json: claude-desktop (by content), found by its MCP shape');
    expect(text.stderr).toContain('mcpx: skipped config/app.json: no MCP shape');
    expect(text.stderr).toContain('mcpx: skipped config/infra.yaml: an MCP-like key, but no MCP server (a command, or a URL with an MCP transport type)');
    expect(text.stderr).not.toContain('notes.txt');
    expect(text.stdout + text.stderr).not.toContain(token);
    // Without --verbose: nothing on stderr.
    expect(mcpx(['lint', '.'], dir).stderr).toBe('');

    const json = JSON.parse(mcpx(['lint', '--format', 'json', '--verbose', '.'], dir).stdout) as JsonReport;
    expect(json.read).toEqual([
      {file: '.cursor/mcp.json', reason: 'known-name', client: 'cursor', clientBy: 'name'},
      {file: 'team/agents.json', reason: 'mcp-shape', client: 'claude-desktop', clientBy: 'content'},
    ]);
    expect(json.skipped!.map((s) => s.file).sort()).toEqual(['config/app.json', 'config/infra.yaml']);
    const plain = JSON.parse(mcpx(['lint', '--format', 'json', '.'], dir).stdout) as JsonReport;
    expect(plain.read).toHaveLength(2);
    expect(plain.skipped).toBeUndefined();
    // A named file: reason named, client by name or by content.
    const named = JSON.parse(mcpx(['lint', '--format', 'json', 'team/agents.json', '--client', 'cursor'], dir).stdout) as JsonReport;
    expect(named.read).toEqual([{file: 'team/agents.json', reason: 'named', client: 'cursor', clientBy: 'flag'}]);
  });

  it('--only-configs treats named files as a search does (pre-commit): known names and MCP shapes are linted, the rest skipped', () => {
    const token = randomToken(['gh', 'p_'], 36);
    const dir = mixedTree(token);
    write(dir, 'broken.yaml', 'a: [1, 2\n');
    const args = ['.cursor/mcp.json', 'team/agents.json', 'config/app.json', 'config/infra.yaml', 'notes.txt', 'broken.yaml'];
    const r = mcpx(['lint', '--format', 'json', '--only-configs', ...args], dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport & {findings: Array<{file: string; ruleId: string}>};
    expect(report.files).toEqual(['.cursor/mcp.json', 'team/agents.json']);
    // Only the MCP-shaped file has findings (its secret, and its unpinned npx package).
    expect(new Set(report.findings.map((f) => f.file))).toEqual(new Set(['team/agents.json']));
    expect(report.findings.map((f) => f.ruleId)).toContain('hardcoded-secret');
    // The same files named without the flag are each linted (a broken YAML is a parse error).
    const all = JSON.parse(mcpx(['lint', '--format', 'json', ...args], dir).stdout) as JsonReport & {findings: Array<{file: string; ruleId: string}>};
    expect(all.findings.map((f) => f.ruleId)).toContain('parse-error');
  });
});

describe.skipIf(!keychain.available)(`secrets move and import find what lint finds${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  it('a file found by its MCP shape is in the move and the import plan; decoys are not', async () => {
    const token = randomToken(['gh', 'p_'], 36);
    const dir = mixedTree(token);
    const env = {HOME: dir, MCPX_HOME: path.join(dir, '.mcpx'), MCPX_KEYCHAIN_SERVICE: `mcpx-test-content-${randomBytes(4).toString('hex')}`};
    const move = await runCli(['secrets', 'move', '--dry-run', '.'], {cwd: dir, env});
    expect(move.code, move.stderr).toBe(0);
    expect(move.stdout).toContain('team/agents.json');
    expect(move.stdout).toMatch(/GITHUB_TOKEN in env ghp_…\w{4}/);
    expect(move.stdout + move.stderr).not.toMatch(/config\/(app\.json|infra\.yaml)/);
    expect(move.stdout + move.stderr).not.toContain(token);
    const imp = await runCli(['import', '--dry-run', '.'], {cwd: dir, env});
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('team/agents.json');
    expect(imp.stdout + imp.stderr).not.toMatch(/config\/(app\.json|infra\.yaml)/);
    expect(imp.stdout + imp.stderr).not.toContain(token);
  });
});

describe('the content pre-filter', () => {
  // Hostile input: a long run of blank lines once took minutes (quadratic `^\s*` under the m flag).
  it('answers at once on 256 KB of blank lines around a weak key', () => {
    const blank = '\n'.repeat(128 * 1024);
    expect(mcpShapeHint(`"servers"${blank}x`)).toBeUndefined();
    expect(mcpShapeHint(`${blank}servers:\n  a:\n    command: npx\n${blank}`)).toEqual({strong: false});
  }, 5_000);
  const yes: Array<[string, boolean]> = [
    ['{"mcpServers": {}}', true],
    ['[mcp_servers.x]\ncommand = "npx"', true],
    ['{"context_servers": {"a": {}}}', true],
    ['{"mcp.servers": {}}', true],
    ['{"mcp": {"servers": {}}}', true],
    ['{"servers": {"a": {"command": "npx"}}}', false],
    ['extensions:\n  a:\n    cmd: npx\n', false],
    ['servers:\n  a:\n    url: https://x\n', false],
  ];
  for (const [text, strong] of yes) it(`keeps ${JSON.stringify(text)}`, () => expect(mcpShapeHint(text)).toEqual({strong}));
  const no = ['{"name": "x", "version": "1.0.0"}', '{"servers": ["a", "b"], "url": "https://x"}', 'servers:\n  web:\n    host: x\n', '{"extensions": ["a"]}', 'title = "x"\n[server]\nurl = "https://x"'];
  for (const text of no) it(`drops ${JSON.stringify(text)}`, () => expect(mcpShapeHint(text)).toBeUndefined());
});
