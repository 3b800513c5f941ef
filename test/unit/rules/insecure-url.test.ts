import {describe, expect, it} from 'vitest';
import {insecureUrl, insecureUrlRule, isLoopbackHost} from '../../../src/lint/rules/insecure-url.js';
import {lintText, where} from '../../helpers/lint.js';

const rules = [insecureUrlRule];

function servers(entries: Record<string, unknown>): string {
  return JSON.stringify({mcpServers: entries}, null, 2);
}

describe('insecure-url', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['https', {a: {url: 'https://mcp.example.com/mcp'}}],
    ['localhost', {a: {url: 'http://localhost:3000/mcp'}}],
    ['127.0.0.1', {a: {url: 'http://127.0.0.1/mcp'}}],
    ['127.255.0.9', {a: {url: 'http://127.255.0.9:8080'}}],
    ['[::1]', {a: {url: 'http://[::1]:9000/sse'}}],
    ['wss', {a: {url: 'wss://mcp.example.com/ws'}}],
    ['ws loopback', {a: {command: 'x', args: ['--url', 'ws://127.0.0.1:9/x']}}],
    ['reference host', {a: {url: 'http://${HOST}/mcp'}}],
    ['https in args', {a: {command: 'npx', args: ['mcp-remote@0.1.29', 'https://mcp.example.com/sse']}}],
    ['not a url', {a: {command: 'x', env: {LOG: 'http-debug'}}}],
  ];
  for (const [name, entries] of valid) {
    it(`stays silent: ${name}`, async () => {
      expect(await lintText({file: '.mcp.json', text: servers(entries), rules})).toEqual([]);
    });
  }

  it('reports plain http and ws to remote hosts in url, args, env and headers with positions', async () => {
    const text = [
      '{',
      '  "mcpServers": {',
      '    "remote": {"url": "http://mcp.example.com/mcp", "headers": {"X-Upstream": "http://api.example.com"}},',
      '    "bridge": {"command": "npx", "args": ["mcp-remote@0.1.29", "http://mcp.example.com/sse"], "env": {"BASE": "ws://10.0.0.5/x"}}',
      '  }',
      '}',
    ].join('\n');
    const findings = await lintText({file: '.mcp.json', text, rules});
    expect(where(findings)).toEqual(['insecure-url@3:23', 'insecure-url@3:79', 'insecure-url@4:64', 'insecure-url@4:111']);
    expect(findings[0]!.message).toContain('mcp.example.com');
    expect(findings[0]!.pointer).toBe('/mcpServers/remote/url');
    expect(findings[3]!.hint).toContain('wss://');
  });

  it('matches loopback exactly, not by prefix', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'LOCALHOST']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['localhost.evil.example', '127.0.0.1.attacker.example', '127.0.0.256', '128.0.0.1', '0.0.0.0', '10.0.0.1', 'evil.example']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
    expect(insecureUrl('http://localhost.evil.example/mcp')?.host).toBe('localhost.evil.example');
    expect(insecureUrl('http://127.0.0.1.attacker.example')?.host).toBe('127.0.0.1.attacker.example');
    expect(insecureUrl('http://localhost@evil.example/')?.host).toBe('evil.example');
    expect(insecureUrl('http://127.0.0.1:80@evil.example/')?.host).toBe('evil.example');
    expect(insecureUrl('http://localhost:8080/')).toBeUndefined();
  });

  it('uses the client-specific URL keys (Windsurf serverUrl)', async () => {
    const findings = await lintText({file: 'x.json', text: '{"mcpServers": {"w": {"serverUrl": "http://mcp.example.com"}}}', rules});
    expect(findings.map((f) => f.pointer)).toEqual(['/mcpServers/w/serverUrl']);
  });
});
