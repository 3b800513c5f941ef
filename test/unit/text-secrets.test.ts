/**
 * Secrets in files that do not parse, found by reading them as text: each case is a broken
 * config (JSON with a trailing comma or cut off, YAML with a bad indent, TOML without a closing
 * quote) and the exact secrets, with line and column, that must be found; decoys of the same
 * shapes (references, placeholders, ordinary settings) must stay silent. Values are drawn at run time.
 */
import {describe, expect, it} from 'vitest';
import {LineIndex} from '../../src/config/types.js';
import {findTextSecrets} from '../../src/secrets/text-secrets.js';
import {BASE62, TOKEN_MAKERS, randomString, seededRng} from '../helpers/tokens.js';

const r = seededRng(4242);
const gh = TOKEN_MAKERS['github-pat']!(r);
const slack = TOKEN_MAKERS['slack-token']!(r);
const neon = TOKEN_MAKERS['neon-api-key']!(r);
const key = randomString(r, 32, BASE62);
const key2 = randomString(r, 40, BASE62);
const pass = 'Maple#' + randomString(r, 6, BASE62) + '!x';

/** Where each secret starts, as [secret, line, column] (1-based), in text order. */
function found(text: string): Array<[string, number, number]> {
  const lines = new LineIndex(text);
  return findTextSecrets(text).map((t) => {
    const p = lines.position(t.start);
    expect(text.slice(t.start, t.end)).toBe(t.detection.secret);
    return [t.detection.secret, p.line, p.column];
  });
}

/** [secret, line] → [secret, line, column of its first occurrence on that line]. */
function at(text: string, ...want: Array<[string, number]>): Array<[string, number, number]> {
  const lines = text.split('\n');
  return want.map(([s, line]) => [s, line, lines[line - 1]!.indexOf(s) + 1]);
}

const CASES: Array<{name: string; text: string; want: Array<[string, number]>}> = [
  {
    name: 'JSON with a trailing comma: env pair, generic key, Bearer header, --api-key arg',
    text: `{
  "mcpServers": {
    "gh": {
      "command": "npx",
      "args": ["-y", "some-server", "--api-key", "${key}"],
      "env": {"GITHUB_TOKEN": "${gh}", "OTHER_SECRET": "${key2}",},
      "headers": {"Authorization": "Bearer ${key2}"}
    },
  }
}`,
    want: [[key, 5], [gh, 6], [key2, 6], [key2, 7]],
  },
  {
    name: 'JSON cut off in the middle',
    text: `{"mcpServers": {"db": {"command": "node", "env": {"DATABASE_URL": "postgresql://app:${pass}@db.example.com/app", "SLACK_BOT_TOKEN": "${slack}"`,
    want: [[pass, 1], [slack, 1]],
  },
  {
    name: 'YAML with a bad indent: name: value pairs, list args with a flag, Bearer',
    text: `extensions:
  search:
    cmd: npx
    args:
      - -y
      - --token
      - ${key}
   envs:
    NEON_API_KEY: ${neon}
    DB_PASSWORD: "${pass}"
    headers:
      Authorization: Bearer ${key2}
`,
    want: [[key, 7], [neon, 9], [pass, 10], [key2, 12]],
  },
  {
    name: 'TOML without a closing quote: NAME = value and an inline env table',
    text: `[mcp_servers.gh]
command = "npx
env = { GITHUB_PERSONAL_ACCESS_TOKEN = "${gh}", API_SECRET = "${key}" }
[mcp_servers.other.env]
SERVICE_PASSWORD = "${pass}"
`,
    want: [[gh, 3], [key, 3], [pass, 5]],
  },
  {
    name: 'a provider token in a comment and in a --flag=value argument',
    text: `{
  // old: ${slack}
  "mcpServers": {"x": {"command": "x", "args": ["--api-key=${key}"]}
`,
    want: [[slack, 2], [key, 3]],
  },
];

describe('secrets in a file that does not parse', () => {
  for (const c of CASES) it(c.name, () => expect(found(c.text)).toEqual(at(c.text, ...c.want)));
});

describe('decoys in a file that does not parse stay silent', () => {
  const decoys: Array<[string, string]> = [
    ['references', `{"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": "\${GITHUB_TOKEN}", "API_KEY": "\${env:API_KEY}"}, "headers": {"Authorization": "Bearer \${input:tok}"},}`],
    ['placeholders', `envs:\n  OPENAI_API_KEY: your_api_key_here\n  TOKEN: <YOUR_TOKEN>\n bad: [\n  API_KEY: "TU_TOKEN_AQUI"\n`],
    ['ordinary settings under credential-sounding names', `[mcp_servers.x]\nenv = { MAX_TOKENS = "4096", GITHUB_TOKEN_PATH = "/home/me/.gh/token", AUTH_TYPE = "oauth" }\ncommand = "npx`],
    ['package names, paths, URLs and ids as args', `{"mcpServers": {"fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/home/me/projects", "https://mcp.example.com/sse", "${randomString(r, 40, '0123456789abcdef')}"],}`],
  ];
  for (const [name, text] of decoys) it(name, () => expect(found(text)).toEqual([]));
});

describe('bounds', () => {
  it('scans a long minified line for provider formats only', () => {
    const text = '{"a": "' + 'z'.repeat(20_000) + `", "API_KEY": "${key}", "t": "${gh}"`;
    expect(found(text).map(([s]) => s)).toEqual([gh]);
  });
});
