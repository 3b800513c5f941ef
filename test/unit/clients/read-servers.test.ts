/**
 * Each client's native format, as a realistic inline fixture: readServers must return the right
 * neutral entries, `fields` must point at the native keys, and the document must place those
 * keys at the right line:column.
 */
import {describe, expect, it} from 'vitest';
import {getClient} from '../../../src/clients/index.js';
import {parseDocument} from '../../../src/config/parse.js';
import type {Format, JsonPath} from '../../../src/config/types.js';
import {type ClientId, type ServerEntry, locate} from '../../../src/model.js';

interface Expect {
  name: string;
  transport: ServerEntry['transport'];
  enabled?: boolean;
  pointer: JsonPath;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  fields: ServerEntry['fields'];
  /** Native path → [line, column] of its value. */
  at?: Array<[JsonPath, number, number]>;
}

interface Case {
  client: ClientId;
  file: string;
  format: Format;
  text: string;
  servers: Expect[];
}

const lines = (...l: string[]): string => l.join('\n') + '\n';

const CASES: Case[] = [
  {
    client: 'claude-code',
    file: '/home/u/.claude.json',
    format: 'json',
    text: lines(
      '{',
      '  "mcpServers": {',
      '    "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": {"Authorization": "Bearer ${GITHUB_PAT}"}}',
      '  },',
      '  "projects": {',
      '    "/home/u/app": {',
      '      "mcpServers": {',
      '        "db": {"command": "npx", "args": ["-y", "@bytebase/dbhub"], "env": {"DSN": "${DSN:-postgres://localhost}"}}',
      '      }',
      '    }',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'github',
        transport: 'http',
        pointer: ['mcpServers', 'github'],
        url: 'https://api.githubcopilot.com/mcp/',
        headers: {Authorization: 'Bearer ${GITHUB_PAT}'},
        fields: {url: ['mcpServers', 'github', 'url'], headers: ['mcpServers', 'github', 'headers']},
        at: [[['mcpServers', 'github', 'url'], 3, 39]],
      },
      {
        name: 'db',
        transport: 'stdio',
        pointer: ['projects', '/home/u/app', 'mcpServers', 'db'],
        command: 'npx',
        args: ['-y', '@bytebase/dbhub'],
        env: {DSN: '${DSN:-postgres://localhost}'},
        fields: {
          command: ['projects', '/home/u/app', 'mcpServers', 'db', 'command'],
          args: ['projects', '/home/u/app', 'mcpServers', 'db', 'args'],
          env: ['projects', '/home/u/app', 'mcpServers', 'db', 'env'],
        },
        at: [[['projects', '/home/u/app', 'mcpServers', 'db', 'env', 'DSN'], 8, 84]],
      },
    ],
  },
  {
    client: 'vscode',
    file: '/work/app/.vscode/mcp.json',
    format: 'jsonc',
    text: lines(
      '{',
      '  // Prompted once, stored by VS Code',
      '  "inputs": [{"type": "promptString", "id": "gh-token", "description": "GitHub token", "password": true}],',
      '  "servers": {',
      '    "github": {',
      '      "type": "http",',
      '      "url": "https://api.githubcopilot.com/mcp/",',
      '      "headers": {"Authorization": "Bearer ${input:gh-token}"}',
      '    },',
      '    "fs": {"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "${workspaceFolder}"]},',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'github',
        transport: 'http',
        pointer: ['servers', 'github'],
        url: 'https://api.githubcopilot.com/mcp/',
        headers: {Authorization: 'Bearer ${input:gh-token}'},
        fields: {url: ['servers', 'github', 'url'], headers: ['servers', 'github', 'headers']},
        at: [
          [['servers', 'github', 'url'], 7, 14],
          [['servers', 'github', 'headers', 'Authorization'], 8, 36],
        ],
      },
      {
        name: 'fs',
        transport: 'stdio',
        pointer: ['servers', 'fs'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '${workspaceFolder}'],
        fields: {command: ['servers', 'fs', 'command'], args: ['servers', 'fs', 'args']},
        at: [[['servers', 'fs', 'args', 2], 10, 105]],
      },
    ],
  },
  {
    client: 'vscode',
    file: '/home/u/.config/Code/User/settings.json',
    format: 'jsonc',
    text: lines('{', '  "editor.fontSize": 13,', '  "mcp": {', '    "servers": {', '      "time": {"command": "uvx", "args": ["mcp-server-time"]}', '    }', '  }', '}'),
    servers: [
      {
        name: 'time',
        transport: 'stdio',
        pointer: ['mcp', 'servers', 'time'],
        command: 'uvx',
        args: ['mcp-server-time'],
        fields: {command: ['mcp', 'servers', 'time', 'command'], args: ['mcp', 'servers', 'time', 'args']},
        at: [[['mcp', 'servers', 'time', 'command'], 5, 27]],
      },
    ],
  },
  {
    client: 'windsurf',
    file: '/home/u/.codeium/windsurf/mcp_config.json',
    format: 'json',
    text: lines(
      '{',
      '  "mcpServers": {',
      '    "linear": {',
      '      "serverUrl": "https://mcp.linear.app/sse",',
      '      "headers": {"Authorization": "Bearer ${env:LINEAR_KEY}"}',
      '    },',
      '    "git": {"command": "uvx", "args": ["mcp-server-git"], "disabled": true}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'linear',
        transport: 'sse',
        pointer: ['mcpServers', 'linear'],
        url: 'https://mcp.linear.app/sse',
        headers: {Authorization: 'Bearer ${env:LINEAR_KEY}'},
        fields: {url: ['mcpServers', 'linear', 'serverUrl'], headers: ['mcpServers', 'linear', 'headers']},
        at: [[['mcpServers', 'linear', 'serverUrl'], 4, 20]],
      },
      {
        name: 'git',
        transport: 'stdio',
        enabled: false,
        pointer: ['mcpServers', 'git'],
        command: 'uvx',
        args: ['mcp-server-git'],
        fields: {command: ['mcpServers', 'git', 'command'], args: ['mcpServers', 'git', 'args']},
      },
    ],
  },
  {
    client: 'zed',
    file: '/home/u/.config/zed/settings.json',
    format: 'jsonc',
    text: lines(
      '// Zed settings',
      '{',
      '  "theme": "One Dark",',
      '  "context_servers": {',
      '    "github": {"source": "custom", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": {"GITHUB_PERSONAL_ACCESS_TOKEN": "literal-value"}},',
      '    "old-style": {',
      '      "command": {"path": "/usr/local/bin/pg-mcp", "args": ["--ro"], "env": {"PGPASSWORD": "pw"}},',
      '      "settings": {}',
      '    },',
      '    "remote": {"url": "https://mcp.example.com/mcp", "headers": {"X-Api-Key": "k"}, "enabled": false},',
      '    "postgres-context-server": {"settings": {"database_url": "postgresql://localhost/db"}}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'github',
        transport: 'stdio',
        pointer: ['context_servers', 'github'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: {GITHUB_PERSONAL_ACCESS_TOKEN: 'literal-value'},
        fields: {command: ['context_servers', 'github', 'command'], args: ['context_servers', 'github', 'args'], env: ['context_servers', 'github', 'env']},
        at: [[['context_servers', 'github', 'env', 'GITHUB_PERSONAL_ACCESS_TOKEN'], 5, 149]],
      },
      {
        name: 'old-style',
        transport: 'stdio',
        pointer: ['context_servers', 'old-style'],
        command: '/usr/local/bin/pg-mcp',
        args: ['--ro'],
        env: {PGPASSWORD: 'pw'},
        fields: {
          command: ['context_servers', 'old-style', 'command', 'path'],
          args: ['context_servers', 'old-style', 'command', 'args'],
          env: ['context_servers', 'old-style', 'command', 'env'],
        },
        at: [
          [['context_servers', 'old-style', 'command', 'path'], 7, 27],
          [['context_servers', 'old-style', 'command', 'env', 'PGPASSWORD'], 7, 92],
        ],
      },
      {
        name: 'remote',
        transport: 'http',
        enabled: false,
        pointer: ['context_servers', 'remote'],
        url: 'https://mcp.example.com/mcp',
        headers: {'X-Api-Key': 'k'},
        fields: {url: ['context_servers', 'remote', 'url'], headers: ['context_servers', 'remote', 'headers']},
      },
    ],
  },
  {
    client: 'cline',
    file: '/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
    format: 'json',
    text: lines(
      '{',
      '  "mcpServers": {',
      '    "brave": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-brave-search"], "env": {"BRAVE_API_KEY": "literal"}, "disabled": false, "autoApprove": []},',
      '    "docs": {"type": "streamableHttp", "url": "https://docs.example.com/mcp"},',
      '    "legacy": {"transportType": "sse", "url": "https://legacy.example.com/events", "disabled": true}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'brave',
        transport: 'stdio',
        pointer: ['mcpServers', 'brave'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-brave-search'],
        env: {BRAVE_API_KEY: 'literal'},
        fields: {command: ['mcpServers', 'brave', 'command'], args: ['mcpServers', 'brave', 'args'], env: ['mcpServers', 'brave', 'env']},
        at: [[['mcpServers', 'brave', 'env', 'BRAVE_API_KEY'], 3, 119]],
      },
      {name: 'docs', transport: 'http', pointer: ['mcpServers', 'docs'], url: 'https://docs.example.com/mcp', fields: {url: ['mcpServers', 'docs', 'url']}},
      {name: 'legacy', transport: 'sse', enabled: false, pointer: ['mcpServers', 'legacy'], url: 'https://legacy.example.com/events', fields: {url: ['mcpServers', 'legacy', 'url']}},
    ],
  },
  {
    client: 'roo',
    file: '/work/app/.roo/mcp.json',
    format: 'json',
    text: lines(
      '{',
      '  "mcpServers": {',
      '    "context7": {"type": "streamable-http", "url": "https://mcp.context7.com/mcp", "headers": {"CONTEXT7_API_KEY": "${env:CONTEXT7_API_KEY}"}},',
      '    "local": {"command": "node", "args": ["server.js"], "cwd": "/work/app/tools", "alwaysAllow": ["read"]}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'context7',
        transport: 'http',
        pointer: ['mcpServers', 'context7'],
        url: 'https://mcp.context7.com/mcp',
        headers: {CONTEXT7_API_KEY: '${env:CONTEXT7_API_KEY}'},
        fields: {url: ['mcpServers', 'context7', 'url'], headers: ['mcpServers', 'context7', 'headers']},
      },
      {
        name: 'local',
        transport: 'stdio',
        pointer: ['mcpServers', 'local'],
        command: 'node',
        args: ['server.js'],
        cwd: '/work/app/tools',
        fields: {command: ['mcpServers', 'local', 'command'], args: ['mcpServers', 'local', 'args'], cwd: ['mcpServers', 'local', 'cwd']},
        at: [[['mcpServers', 'local', 'cwd'], 4, 64]],
      },
    ],
  },
  {
    client: 'kiro',
    file: '/work/app/.kiro/settings/mcp.json',
    format: 'json',
    text: lines(
      '{',
      '  "mcpServers": {',
      '    "aws-docs": {"command": "uvx", "args": ["awslabs.aws-documentation-mcp-server@latest"], "env": {"FASTMCP_LOG_LEVEL": "ERROR"}, "disabled": false, "autoApprove": []},',
      '    "api": {"url": "https://api.example.com/mcp", "headers": {"Authorization": "Bearer ${API_TOKEN}"}, "disabled": true}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'aws-docs',
        transport: 'stdio',
        pointer: ['mcpServers', 'aws-docs'],
        command: 'uvx',
        args: ['awslabs.aws-documentation-mcp-server@latest'],
        env: {FASTMCP_LOG_LEVEL: 'ERROR'},
        fields: {command: ['mcpServers', 'aws-docs', 'command'], args: ['mcpServers', 'aws-docs', 'args'], env: ['mcpServers', 'aws-docs', 'env']},
      },
      {
        name: 'api',
        transport: 'http',
        enabled: false,
        pointer: ['mcpServers', 'api'],
        url: 'https://api.example.com/mcp',
        headers: {Authorization: 'Bearer ${API_TOKEN}'},
        fields: {url: ['mcpServers', 'api', 'url'], headers: ['mcpServers', 'api', 'headers']},
        at: [[['mcpServers', 'api', 'headers', 'Authorization'], 4, 80]],
      },
    ],
  },
  {
    client: 'gemini',
    file: '/home/u/.gemini/settings.json',
    format: 'jsonc',
    text: lines(
      '{',
      '  "theme": "Dracula",',
      '  "mcpServers": {',
      '    "github": {"httpUrl": "https://api.githubcopilot.com/mcp/", "headers": {"Authorization": "Bearer $GITHUB_PAT"}, "timeout": 5000},',
      '    "events": {"url": "https://events.example.com/stream"},',
      '    "py": {"command": "python", "args": ["-m", "tools"], "env": {"API_KEY": "${MY_KEY}"}, "cwd": "./srv", "trust": false}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'github',
        transport: 'http',
        pointer: ['mcpServers', 'github'],
        url: 'https://api.githubcopilot.com/mcp/',
        headers: {Authorization: 'Bearer $GITHUB_PAT'},
        fields: {url: ['mcpServers', 'github', 'httpUrl'], headers: ['mcpServers', 'github', 'headers']},
        at: [[['mcpServers', 'github', 'httpUrl'], 4, 27]],
      },
      {name: 'events', transport: 'sse', pointer: ['mcpServers', 'events'], url: 'https://events.example.com/stream', fields: {url: ['mcpServers', 'events', 'url']}},
      {
        name: 'py',
        transport: 'stdio',
        pointer: ['mcpServers', 'py'],
        command: 'python',
        args: ['-m', 'tools'],
        env: {API_KEY: '${MY_KEY}'},
        cwd: './srv',
        fields: {command: ['mcpServers', 'py', 'command'], args: ['mcpServers', 'py', 'args'], env: ['mcpServers', 'py', 'env'], cwd: ['mcpServers', 'py', 'cwd']},
      },
    ],
  },
  {
    client: 'codex',
    file: '/home/u/.codex/config.toml',
    format: 'toml',
    text: lines(
      'model = "o3"',
      '',
      '# GitHub over stdio',
      '[mcp_servers.github]',
      'command = "npx"',
      'args = ["-y", "@modelcontextprotocol/server-github"]',
      'env_vars = ["GITHUB_TOKEN"]',
      '',
      '[mcp_servers.github.env]',
      'LOG_LEVEL = "debug"',
      '',
      '[mcp_servers.figma]',
      'url = "https://mcp.figma.com/mcp"',
      'bearer_token_env_var = "FIGMA_TOKEN"',
      'http_headers = { "X-Region" = "eu" }',
      'env_http_headers = { "X-Team" = "FIGMA_TEAM" }',
      'enabled = false',
    ),
    servers: [
      {
        name: 'github',
        transport: 'stdio',
        pointer: ['mcp_servers', 'github'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: {GITHUB_TOKEN: '${GITHUB_TOKEN}', LOG_LEVEL: 'debug'},
        fields: {command: ['mcp_servers', 'github', 'command'], args: ['mcp_servers', 'github', 'args'], env: ['mcp_servers', 'github', 'env']},
        at: [
          [['mcp_servers', 'github', 'command'], 5, 11],
          [['mcp_servers', 'github', 'env', 'LOG_LEVEL'], 10, 13],
          [['mcp_servers', 'github', 'env_vars', 0], 7, 13],
        ],
      },
      {
        name: 'figma',
        transport: 'http',
        enabled: false,
        pointer: ['mcp_servers', 'figma'],
        url: 'https://mcp.figma.com/mcp',
        headers: {Authorization: 'Bearer ${FIGMA_TOKEN}', 'X-Team': '${FIGMA_TEAM}', 'X-Region': 'eu'},
        fields: {url: ['mcp_servers', 'figma', 'url'], headers: ['mcp_servers', 'figma', 'http_headers']},
        at: [
          [['mcp_servers', 'figma', 'url'], 13, 7],
          [['mcp_servers', 'figma', 'http_headers', 'X-Region'], 15, 31],
          [['mcp_servers', 'figma', 'bearer_token_env_var'], 14, 24],
        ],
      },
    ],
  },
  {
    client: 'continue',
    file: '/work/app/.continue/mcpServers/tools.yaml',
    format: 'yaml',
    text: lines(
      'name: Team tools',
      'version: 0.0.1',
      'schema: v1',
      'mcpServers:',
      '  - name: Browser',
      '    command: npx',
      '    args:',
      '      - "@playwright/mcp@latest"',
      '    env:',
      '      DEBUG: "pw:*"',
      '  # remote docs search',
      '  - name: Docs',
      '    type: streamable-http',
      '    url: https://docs.example.com/mcp',
      '    requestOptions:',
      '      headers:',
      '        Authorization: Bearer ${{ secrets.DOCS_TOKEN }}',
    ),
    servers: [
      {
        name: 'Browser',
        transport: 'stdio',
        pointer: ['mcpServers', 0],
        command: 'npx',
        args: ['@playwright/mcp@latest'],
        env: {DEBUG: 'pw:*'},
        fields: {command: ['mcpServers', 0, 'command'], args: ['mcpServers', 0, 'args'], env: ['mcpServers', 0, 'env']},
        at: [
          [['mcpServers', 0, 'command'], 6, 14],
          [['mcpServers', 0, 'args', 0], 8, 9],
        ],
      },
      {
        name: 'Docs',
        transport: 'http',
        pointer: ['mcpServers', 1],
        url: 'https://docs.example.com/mcp',
        headers: {Authorization: 'Bearer ${{ secrets.DOCS_TOKEN }}'},
        fields: {url: ['mcpServers', 1, 'url'], headers: ['mcpServers', 1, 'requestOptions', 'headers']},
        at: [
          [['mcpServers', 1, 'url'], 14, 10],
          [['mcpServers', 1, 'requestOptions', 'headers', 'Authorization'], 17, 24],
        ],
      },
    ],
  },
  {
    client: 'goose',
    file: '/home/u/.config/goose/config.yaml',
    format: 'yaml',
    text: lines(
      'GOOSE_PROVIDER: anthropic',
      'extensions:',
      '  developer:',
      '    enabled: true',
      '    name: developer',
      '    type: builtin',
      '  github:',
      '    args:',
      '    - -y',
      '    - "@modelcontextprotocol/server-github"',
      '    cmd: npx',
      '    enabled: true',
      '    envs:',
      '      GITHUB_PERSONAL_ACCESS_TOKEN: literal-value',
      '    env_keys:',
      '    - GH_HOST',
      '    name: GitHub',
      '    timeout: 300',
      '    type: stdio',
      '  linear:',
      '    enabled: false',
      '    type: streamable_http',
      '    uri: https://mcp.linear.app/mcp',
      '    headers:',
      '      Authorization: Bearer lin-value',
    ),
    servers: [
      {
        name: 'github',
        transport: 'stdio',
        pointer: ['extensions', 'github'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: {GH_HOST: '${GH_HOST}', GITHUB_PERSONAL_ACCESS_TOKEN: 'literal-value'},
        fields: {command: ['extensions', 'github', 'cmd'], args: ['extensions', 'github', 'args'], env: ['extensions', 'github', 'envs']},
        at: [
          [['extensions', 'github', 'cmd'], 11, 10],
          [['extensions', 'github', 'envs', 'GITHUB_PERSONAL_ACCESS_TOKEN'], 14, 37],
        ],
      },
      {
        name: 'linear',
        transport: 'http',
        enabled: false,
        pointer: ['extensions', 'linear'],
        url: 'https://mcp.linear.app/mcp',
        headers: {Authorization: 'Bearer lin-value'},
        fields: {url: ['extensions', 'linear', 'uri'], headers: ['extensions', 'linear', 'headers']},
        at: [[['extensions', 'linear', 'uri'], 23, 10]],
      },
    ],
  },
  {
    client: 'lmstudio',
    file: '/home/u/.lmstudio/mcp.json',
    format: 'json',
    text: lines('{', '  "mcpServers": {', '    "hf": {"url": "https://huggingface.co/mcp", "headers": {"Authorization": "Bearer hf-value"}}', '  }', '}'),
    servers: [
      {
        name: 'hf',
        transport: 'http',
        pointer: ['mcpServers', 'hf'],
        url: 'https://huggingface.co/mcp',
        headers: {Authorization: 'Bearer hf-value'},
        fields: {url: ['mcpServers', 'hf', 'url'], headers: ['mcpServers', 'hf', 'headers']},
        at: [[['mcpServers', 'hf', 'url'], 3, 19]],
      },
    ],
  },
  {
    client: 'junie',
    file: '/work/app/.junie/mcp/mcp.json',
    format: 'json',
    text: lines('{', '  "mcpServers": {', '    "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"]}', '  }', '}'),
    servers: [
      {
        name: 'memory',
        transport: 'stdio',
        pointer: ['mcpServers', 'memory'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-memory'],
        fields: {command: ['mcpServers', 'memory', 'command'], args: ['mcpServers', 'memory', 'args']},
        at: [[['mcpServers', 'memory', 'command'], 3, 27]],
      },
    ],
  },
  {
    client: 'mcpx',
    file: '/home/u/.config/mcpx/config.json',
    format: 'jsonc',
    text: lines(
      '{',
      '  // servers behind `mcpx serve`',
      '  "mcpServers": {',
      '    "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/", "headers": {"Authorization": "Bearer ${GITHUB_TOKEN}"}, "denyTools": ["delete_repo"]},',
      '    "fs": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."], "enabled": false, "timeout": 30000}',
      '  }',
      '}',
    ),
    servers: [
      {
        name: 'github',
        transport: 'http',
        pointer: ['mcpServers', 'github'],
        url: 'https://api.githubcopilot.com/mcp/',
        headers: {Authorization: 'Bearer ${GITHUB_TOKEN}'},
        fields: {url: ['mcpServers', 'github', 'url'], headers: ['mcpServers', 'github', 'headers']},
      },
      {
        name: 'fs',
        transport: 'stdio',
        enabled: false,
        pointer: ['mcpServers', 'fs'],
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '.'],
        fields: {command: ['mcpServers', 'fs', 'command'], args: ['mcpServers', 'fs', 'args']},
        at: [[['mcpServers', 'fs', 'command'], 5, 23]],
      },
    ],
  },
  {
    client: 'claude-desktop',
    file: '/home/u/.config/Claude/claude_desktop_config.json',
    format: 'json',
    text: lines('{', '  "mcpServers": {', '    "sqlite": {"command": "uvx", "args": ["mcp-server-sqlite", "--db-path", "/tmp/test.db"]}', '  }', '}'),
    servers: [
      {
        name: 'sqlite',
        transport: 'stdio',
        pointer: ['mcpServers', 'sqlite'],
        command: 'uvx',
        args: ['mcp-server-sqlite', '--db-path', '/tmp/test.db'],
        fields: {command: ['mcpServers', 'sqlite', 'command'], args: ['mcpServers', 'sqlite', 'args']},
        at: [[['mcpServers', 'sqlite', 'args', 2], 3, 77]],
      },
    ],
  },
  {
    client: 'cursor',
    file: '/work/app/.cursor/mcp.json',
    format: 'jsonc',
    text: lines('{', '  "mcpServers": {', '    "sentry": {"url": "https://mcp.sentry.dev/sse"}', '  }', '}'),
    servers: [{name: 'sentry', transport: 'sse', pointer: ['mcpServers', 'sentry'], url: 'https://mcp.sentry.dev/sse', fields: {url: ['mcpServers', 'sentry', 'url']}, at: [[['mcpServers', 'sentry', 'url'], 3, 23]]}],
  },
];

describe('readServers on native fixtures', () => {
  for (const c of CASES) {
    it(`${c.client}: ${c.file}`, () => {
      const client = getClient(c.client)!;
      const doc = parseDocument(c.text, c.format, c.file);
      const servers = client.readServers(doc);
      expect(servers.map((s) => s.name)).toEqual(c.servers.map((s) => s.name));
      for (const [i, want] of c.servers.entries()) {
        const got = servers[i]!;
        expect(got.client).toBe(c.client);
        expect(got.file).toBe(c.file);
        expect(got.transport).toBe(want.transport);
        expect(got.enabled).toBe(want.enabled ?? true);
        expect(got.pointer).toEqual(want.pointer);
        expect(got.fields).toEqual(want.fields);
        for (const k of ['command', 'args', 'env', 'cwd', 'url', 'headers'] as const) expect(got[k], `${want.name}.${k}`).toEqual(want[k]);
        // Every field path the entry reports exists in the document.
        for (const p of Object.values(got.fields)) expect(doc.rangeOf(p!), JSON.stringify(p)).toBeDefined();
        for (const [p, line, column] of want.at ?? []) {
          const r = doc.rangeOf(p);
          expect(r, JSON.stringify(p)).toBeDefined();
          expect([r!.start.line, r!.start.column], JSON.stringify(p)).toEqual([line, column]);
        }
      }
      expect(client.validate?.(doc) ?? []).toEqual([]);
    });
  }

  it('locate() finds an env key through the native field path (Goose envs)', () => {
    const c = CASES.find((x) => x.client === 'goose')!;
    const doc = parseDocument(c.text, c.format, c.file);
    const gh = getClient('goose')!.readServers(doc)[0]!;
    const r = locate(doc, gh, 'env', 'GITHUB_PERSONAL_ACCESS_TOKEN');
    expect([r!.start.line, r!.start.column]).toEqual([14, 37]);
  });
});
