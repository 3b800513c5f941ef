/** hardcoded-secret through the real engine: silent on references and decoys, exact positions on secrets. */
import {describe, expect, it} from 'vitest';
import {filePermissionsRule} from '../../../src/lint/rules/file-permissions.js';
import {hardcodedSecretRule} from '../../../src/lint/rules/hardcoded-secret.js';
import {lintText, where} from '../../helpers/lint.js';
import {TOKEN_MAKERS, genericSecret, humanPassword, ordinaryDecoys, placeholderDecoys, referenceDecoys, seededRng} from '../../helpers/tokens.js';

const rules = [hardcodedSecretRule];
const r = seededRng(42);

function servers(entries: Record<string, unknown>): string {
  return JSON.stringify({mcpServers: entries}, null, 2);
}

describe('hardcoded-secret', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['references in env', {gh: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: Object.fromEntries(referenceDecoys('GITHUB_TOKEN').map((v, i) => [`GITHUB_TOKEN_${i}`, v]))}}],
    ['placeholders in env', {gh: {command: 'npx', env: Object.fromEntries(placeholderDecoys(r).map((v, i) => [`API_KEY_${i}`, v]))}}],
    ['ordinary settings', {fs: {command: 'npx', env: Object.fromEntries(ordinaryDecoys(r).map(({key, value}) => [key, value]))}}],
    ['reference in a bearer header', {remote: {type: 'http', url: 'https://mcp.example.com/mcp', headers: {Authorization: 'Bearer ${MCP_TOKEN}', 'X-API-Key': '${env:ACME_KEY}'}}}],
    ['mcp-remote header reference', {bridge: {command: 'npx', args: ['mcp-remote@0.1.29', 'https://mcp.example.com/sse', '--header', 'Authorization:${AUTH_HEADER}'], env: {AUTH_HEADER: 'Bearer ${TOKEN}'}}}],
    ['flag with a reference', {s: {command: 'acme-mcp', args: ['--api-key', '${ACME_API_KEY}', '--token=${input:token}']}}],
    ['URL with referenced credentials', {db: {command: 'npx', args: ['-y', '@acme/mcp-postgres@1.0.0', 'postgresql://app:${DB_PASSWORD}@db.example.com/app'], env: {DSN: 'https://mcp.example.com/sse?api_key=${API_KEY}'}}}],
    ['empty default', {s: {command: 'x', env: {GITHUB_TOKEN: '${GITHUB_TOKEN:-}'}}}],
    ['no env at all', {s: {command: 'uvx', args: ['mcp-server-time', '--local-timezone', 'Europe/Berlin']}}],
    ['publishable key', {s: {command: 'x', env: {STRIPE_PUBLISHABLE_KEY: ['pk', 'live', genericSecret(r)].join('_')}}}],
    ['random id in args', {s: {command: 'x', args: ['--workspace', genericSecret(r)]}}],
  ];
  for (const [name, entries] of valid) {
    it(`stays silent: ${name}`, async () => {
      expect(await lintText({file: '.mcp.json', text: servers(entries), rules})).toEqual([]);
    });
  }

  it('reports secrets in env, headers, args, URL and defaults with exact positions', async () => {
    const gh = TOKEN_MAKERS['github-pat']!(r);
    const openai = TOKEN_MAKERS['openai-project-key']!(r);
    const bearer = genericSecret(r);
    const flag = genericSecret(r);
    const pw = humanPassword(r);
    const query = genericSecret(r);
    const def = TOKEN_MAKERS['anthropic-api-key']!(r);
    const text = [
      '{',
      '  "mcpServers": {',
      `    "github": {"command": "npx", "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "${gh}", "LOG_LEVEL": "debug"}},`,
      `    "remote": {"type": "http", "url": "https://mcp.example.com/mcp?api_key=${query}", "headers": {"Authorization": "Bearer ${bearer}"}},`,
      `    "bridge": {"command": "npx", "args": ["mcp-remote@0.1.29", "https://mcp.example.com/sse", "--header", "Authorization: Bearer ${openai}"]},`,
      `    "tool": {"command": "acme", "args": ["--api-key", "${flag}", "postgresql://app:${pw}@db.example.com/app"]},`,
      `    "claude": {"command": "x", "env": {"ANTHROPIC_API_KEY": "\${ANTHROPIC_API_KEY:-${def}}"}}`,
      '  }',
      '}',
    ].join('\n');
    const lines = text.split('\n');
    const col = (line: number, secret: string) => lines[line - 1]!.indexOf(secret) + 1;
    const findings = await lintText({file: '.mcp.json', text, rules});
    expect(where(findings)).toEqual([
      `hardcoded-secret@3:${col(3, gh)}`,
      `hardcoded-secret@4:${col(4, query)}`,
      `hardcoded-secret@4:${col(4, bearer)}`,
      `hardcoded-secret@5:${col(5, openai)}`,
      `hardcoded-secret@6:${col(6, flag)}`,
      `hardcoded-secret@6:${col(6, pw)}`,
      `hardcoded-secret@7:${col(7, def)}`,
    ]);
    // Spot-check the absolute numbers once, so a shared off-by-one cannot hide.
    expect(findings[0]!.column).toBe(75);
    expect(findings.map((f) => f.pointer)).toEqual([
      '/mcpServers/github/env/GITHUB_PERSONAL_ACCESS_TOKEN',
      '/mcpServers/remote/url',
      '/mcpServers/remote/headers/Authorization',
      '/mcpServers/bridge/args/3',
      '/mcpServers/tool/args/1',
      '/mcpServers/tool/args/2',
      '/mcpServers/claude/env/ANTHROPIC_API_KEY',
    ]);
    expect(findings[0]!.message).toBe(`GITHUB_PERSONAL_ACCESS_TOKEN in env of server "github" holds a GitHub personal access token (ghp_…${gh.slice(-4)})`);
    expect(findings[2]!.message).toMatch(/^header Authorization of server "remote" holds a bearer token \(…\w{4}\)$/);
    expect(findings[3]!.message).toContain('args[3] (after --header) of server "bridge" holds an OpenAI API key');
    expect(findings[4]!.message).toContain('args[1] (after --api-key)');
    expect(findings[5]!.message).toContain('a password in the URL');
    expect(findings[6]!.message).toContain('in the default of ${ANTHROPIC_API_KEY:-…}');
    expect(findings[0]!.hint).toBe('run `mcpx secrets move` to keep it in the OS keychain and reference it as ${GITHUB_PERSONAL_ACCESS_TOKEN}');
    expect(findings[3]!.hint).toContain('${OPENAI_API_KEY}');
    expect(findings[5]!.hint).toContain('${POSTGRES_PASSWORD}');
    for (const f of findings) {
      expect(f.severity).toBe('error');
      expect(f.masked).toBeDefined();
      expect(f.valueHash).toMatch(/^[0-9a-f]{32}$/);
      for (const s of [gh, openai, bearer, flag, pw, query, def]) {
        expect(f.message).not.toContain(s);
        expect(f.hint ?? '').not.toContain(s);
      }
    }
  });

  it('works in JSONC (Cursor) with comments, and honours inline suppressions', async () => {
    const tok = TOKEN_MAKERS['tavily-api-key']!(r);
    const other = TOKEN_MAKERS['npm-token']!(r);
    const text = [
      '{',
      '  // search',
      '  "mcpServers": {',
      `    "tavily": {"command": "npx", "env": {"TAVILY_API_KEY": "${tok}"}},`,
      '    // mcpx-ignore-next-line hardcoded-secret',
      `    "npm": {"command": "npx", "env": {"NPM_TOKEN": "${other}"}},`,
      '  }',
      '}',
    ].join('\n');
    const findings = await lintText({file: '.cursor/mcp.json', text, rules});
    expect(where(findings)).toEqual([`hardcoded-secret@4:${text.split('\n')[3]!.indexOf(tok) + 1}`, `hardcoded-secret@6:${text.split('\n')[5]!.indexOf(other) + 1}`]);
    expect(findings[0]!.client).toBe('cursor');
    expect(findings[0]!.suppressed).toBeUndefined();
    expect(findings[1]!.suppressed).toBe('inline');
  });

  it('points at the secret after escapes, and at the whole value when the secret itself is escaped', async () => {
    const tok = TOKEN_MAKERS['slack-token']!(r);
    const text = `{"mcpServers": {"slack": {"command": "npx", "env": {"SLACK_BOT_TOKEN": "\\u0020${tok}", "DB_PASSWORD": "Tr0ub\\"4dor!2019"}}}}`;
    const findings = await lintText({file: 'claude_desktop_config.json', text, rules});
    expect(where(findings)).toEqual([`hardcoded-secret@1:${text.indexOf(tok) + 1}`, `hardcoded-secret@1:${text.indexOf('"Tr0ub') + 1}`]);
    expect(findings[1]!.message).toContain('DB_PASSWORD in env of server "slack" holds a password (');
  });

  it('a low-confidence random value is reported in env but not in args', async () => {
    const v = genericSecret(r);
    const findings = await lintText({file: '.mcp.json', text: servers({s: {command: 'x', args: ['--workspace', v], env: {ACME_SETTING: v}}}), rules});
    expect(findings.map((f) => f.pointer)).toEqual(['/mcpServers/s/env/ACME_SETTING']);
    expect(findings[0]!.message).toContain('random-looking');
  });

  it('lets file-permissions know the file holds a credential', async () => {
    const tok = TOKEN_MAKERS['github-pat']!(r);
    const text = servers({gh: {command: 'npx', env: {GITHUB_TOKEN: tok}}});
    const findings = await lintText({file: '.mcp.json', text, rules: [hardcodedSecretRule, filePermissionsRule], mode: 0o644});
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['file-permissions', 'hardcoded-secret']);
    const clean = await lintText({file: '.mcp.json', text: servers({gh: {command: 'npx', env: {GITHUB_TOKEN: '${GITHUB_TOKEN}'}}}), rules: [hardcodedSecretRule, filePermissionsRule], mode: 0o644});
    expect(clean).toEqual([]);
  });
});
