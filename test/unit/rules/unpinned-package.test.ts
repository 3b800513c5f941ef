import {describe, expect, it} from 'vitest';
import {npmSpecPin, unpinnedPackageRule} from '../../../src/lint/rules/unpinned-package.js';
import {lintText} from '../../helpers/lint.js';

const rules = [unpinnedPackageRule];
const doc = (command: string, args: string[]) => JSON.stringify({mcpServers: {s: {command, args}}});

describe('unpinned-package', () => {
  const valid: Array<[string, string[]]> = [
    ['npx', ['-y', '@modelcontextprotocol/server-memory@2026.8.31']],
    ['npx', ['--yes', 'tavily-mcp@0.2.1', '--flag', 'x']],
    ['npx', ['-p', 'mcp-remote@0.1.29', 'mcp-remote', 'https://x.example']],
    ['/usr/local/bin/npx', ['-y', 'pkg@1.0.0-beta.1']],
    ['npx', ['./local-server.js']],
    ['uvx', ['mcp-server-git==2025.1.14']],
    ['uvx', ['--from', 'mcp-server-fetch==2025.4.7', 'mcp-server-fetch']],
    ['docker', ['run', '-i', '--rm', '-e', 'TOKEN', 'ghcr.io/github/github-mcp-server:v0.9.0']],
    ['docker', ['run', '-i', 'mcp/github@sha256:0123456789abcdef']],
    ['pnpm', ['dlx', 'pkg@2.0.0']],
    ['node', ['server.js']],
    ['npx', ['-y', '${PACKAGE}']],
  ];
  for (const [command, args] of valid) {
    it(`stays silent: ${command} ${args.join(' ')}`, async () => {
      expect(await lintText({file: '.mcp.json', text: doc(command, args), rules})).toEqual([]);
    });
  }

  const invalid: Array<[string, string[], string, string]> = [
    ['npx', ['-y', '@modelcontextprotocol/server-github'], '/mcpServers/s/args/1', 'no version'],
    ['npx', ['@scope/pkg@latest'], '/mcpServers/s/args/0', '@latest'],
    ['npx', ['-y', 'pkg@^1.2.0'], '/mcpServers/s/args/1', 'range'],
    ['npx.cmd', ['-y', 'pkg'], '/mcpServers/s/args/1', 'no version'],
    ['bunx', ['pkg'], '/mcpServers/s/args/0', 'no version'],
    ['uvx', ['mcp-server-git'], '/mcpServers/s/args/0', 'no version'],
    ['docker', ['run', '-i', '--rm', 'mcp/github'], '/mcpServers/s/args/3', 'no tag'],
    ['docker', ['run', '-i', 'mcp/github:latest'], '/mcpServers/s/args/2', ':latest'],
    ['npx', ['--package=mcp-remote', 'mcp-remote'], '/mcpServers/s/args/0', 'no version'],
  ];
  for (const [command, args, pointer, why] of invalid) {
    it(`reports ${command} ${args.join(' ')}`, async () => {
      const findings = await lintText({file: '.mcp.json', text: doc(command, args), rules});
      expect(findings.map((f) => f.pointer)).toEqual([pointer]);
      expect(findings[0]!.message).toContain(why);
      expect(findings[0]!.severity).toBe('warning');
    });
  }

  it('classifies npm specs', () => {
    expect(npmSpecPin('@a/b@1.2.3')).toEqual({pinned: true});
    expect(npmSpecPin('@a/b')).toEqual({pinned: false, why: 'no version'});
    expect(npmSpecPin('a@~1.2.3')).toMatchObject({pinned: false});
  });
});
