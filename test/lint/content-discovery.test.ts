/**
 * Discovery by content, through the built CLI on real files in a temp tree: JSON, TOML and YAML
 * files of any name whose content has an MCP shape are linted with the client chosen by that
 * shape; files of other shapes, oversized files, skipped folders and manifests are not.
 */
import {beforeAll, describe, expect, it} from 'vitest';
import {mcpShapeHint} from '../../src/lint/discovery.js';
import {mcpx, randomToken, requireBuild, tmpDir, write} from './helpers.js';

beforeAll(requireBuild);

const url = (host: string) => `http://${host}.example.com/mcp`;

interface JsonReport {
  files: string[];
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

describe('the content pre-filter', () => {
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
