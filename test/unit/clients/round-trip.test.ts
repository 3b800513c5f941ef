/**
 * toNative → written with the edit layer → parsed → readServers gives the spec back, for every
 * client; the written document passes the client's JSON Schema and its cheap validate(), and a
 * broken entry is rejected by both with the offending path.
 */
import {describe, expect, it} from 'vitest';
import {CLIENTS} from '../../../src/clients/index.js';
import {validateWithSchema} from '../../../src/clients/schema.js';
import type {ClientDefinition} from '../../../src/clients/types.js';
import {applyEdits, emptyText} from '../../../src/config/edit.js';
import {parseDocument} from '../../../src/config/parse.js';
import type {ConfigDocument} from '../../../src/config/types.js';
import type {ServerSpec} from '../../../src/model.js';

const stdio: ServerSpec = {
  name: 'github',
  transport: 'stdio',
  command: 'npx',
  args: ['-y', '@modelcontextprotocol/server-github'],
  env: {GITHUB_TOKEN: '${GITHUB_TOKEN}', LOG_LEVEL: 'debug'},
};
const http: ServerSpec = {name: 'docs', transport: 'http', url: 'https://docs.example.com/mcp', headers: {Authorization: 'Bearer ${DOCS_TOKEN}'}};
const sse: ServerSpec = {name: 'events', transport: 'sse', url: 'https://events.example.com/sse', headers: {'X-Team': 'core'}};

/** Clients that cannot express a transport at all. */
const UNSUPPORTED: Record<string, string[]> = {codex: ['sse']};

function fileFor(c: ClientDefinition): string {
  return c.userFiles({home: '/home/u', platform: 'linux', env: {}})[0]!;
}

function write(c: ClientDefinition, specs: ServerSpec[]): ConfigDocument {
  const empty = parseDocument(emptyText(c.format), c.format, fileFor(c));
  const natives = specs.map((s) => c.toNative(s));
  const edits =
    c.serversShape === 'list'
      ? [{op: 'set' as const, path: c.serversPath, value: natives}]
      : specs.map((s, i) => ({op: 'set' as const, path: [...c.serversPath, s.name], value: natives[i]}));
  return parseDocument(applyEdits(empty, edits), c.format, fileFor(c));
}

describe.each(CLIENTS.map((c) => [c.id, c] as const))('%s', (_id, client) => {
  const specs = [stdio, http, sse].filter((s) => !UNSUPPORTED[client.id]?.includes(s.transport));

  it('toNative round-trips through readServers', () => {
    const doc = write(client, specs);
    const back = client.readServers(doc);
    expect(back.map((e) => e.name)).toEqual(specs.map((s) => s.name));
    for (const [i, spec] of specs.entries()) {
      const e = back[i]!;
      expect({transport: e.transport, command: e.command, args: e.args, env: e.env, url: e.url, headers: e.headers}, spec.name).toEqual({
        transport: spec.transport,
        command: spec.command,
        args: spec.args,
        env: spec.env,
        url: spec.url,
        headers: spec.headers,
      });
      expect(e.enabled).toBe(true);
    }
    expect(client.validate?.(doc) ?? []).toEqual([]);
  });

  it('the written document passes the JSON Schema', async () => {
    expect(await validateWithSchema(client, write(client, specs))).toEqual([]);
  });

  it('a broken entry is rejected by the schema and by validate()', async () => {
    const doc = write(client, specs);
    const stdioEntry = client.readServers(doc)[0]!;
    const argsPath = stdioEntry.fields.args!;
    const broken = parseDocument(applyEdits(doc, [{op: 'set', path: argsPath, value: 'not-a-list'}]), client.format, doc.file);
    const schemaProblems = await validateWithSchema(client, broken);
    expect(schemaProblems.map((p) => p.path)).toContainEqual(argsPath);
    expect(schemaProblems.find((p) => JSON.stringify(p.path) === JSON.stringify(argsPath))!.message).toMatch(/must be array/);
    expect((client.validate?.(broken) ?? []).map((p) => p.path)).toContainEqual(argsPath);
  });
});

describe('validate() shape problems', () => {
  const get = (id: string) => CLIENTS.find((c) => c.id === id)!;

  it('reports a servers map that is an array, with its path', () => {
    const doc = parseDocument('{"mcpServers": [{"command": "npx"}]}', 'json', '/x/.cursor/mcp.json');
    expect(get('cursor').validate!(doc)).toEqual([{message: expect.stringMatching(/"mcpServers" must be an object mapping server names/), path: ['mcpServers']}]);
  });

  it('reports an unknown transport type', () => {
    const doc = parseDocument('{"servers": {"x": {"type": "websocket", "url": "wss://x"}}}', 'jsonc', '/x/.vscode/mcp.json');
    expect(get('vscode').validate!(doc)).toEqual([{message: expect.stringMatching(/unknown transport type "websocket"/), path: ['servers', 'x', 'type']}]);
  });

  it('reports a Continue mcpServers map in a YAML block where a list is expected only when it is neither', () => {
    const doc = parseDocument('mcpServers: "npx"\n', 'yaml', '/x/.continue/mcpServers/a.yaml');
    expect(get('continue').validate!(doc)).toEqual([{message: expect.stringMatching(/must be a list/), path: ['mcpServers']}]);
    const noName = parseDocument('mcpServers:\n  - command: npx\n', 'yaml', '/x/.continue/mcpServers/a.yaml');
    expect(get('continue').validate!(noName)).toEqual([{message: 'mcpServers[0] has no "name"', path: ['mcpServers', 0]}]);
  });

  it('reports Codex keys that Codex rejects or ignores', () => {
    const doc = parseDocument('[mcp_servers.a]\nurl = "https://x/mcp"\nbearer_token = "inline"\nheaders = { X = "1" }\n', 'toml', '/x/.codex/config.toml');
    const paths = get('codex').validate!(doc).map((p) => p.path);
    expect(paths).toEqual([
      ['mcp_servers', 'a', 'bearer_token'],
      ['mcp_servers', 'a', 'headers'],
    ]);
  });

  it('reports an unknown Goose extension type and a stdio extension without cmd', () => {
    const doc = parseDocument('extensions:\n  a:\n    type: grpc\n  b:\n    type: stdio\n    args: []\n', 'yaml', '/x/goose/config.yaml');
    expect(get('goose').validate!(doc).map((p) => p.path)).toEqual([
      ['extensions', 'a', 'type'],
      ['extensions', 'b'],
    ]);
  });

  it('reports bad mcpx per-server options', () => {
    const doc = parseDocument('{"mcpServers": {"a": {"command": "x", "enabled": "yes", "timeout": -1, "allowTools": "all"}}}', 'jsonc', '/x/config.json');
    expect(get('mcpx').validate!(doc).map((p) => p.path)).toEqual([
      ['mcpServers', 'a', 'enabled'],
      ['mcpServers', 'a', 'timeout'],
      ['mcpServers', 'a', 'allowTools'],
    ]);
  });

  it('reads mcpx `disabled: true` as disabled, like serve does', () => {
    const doc = parseDocument('{"mcpServers": {"a": {"command": "x", "disabled": true}}}', 'jsonc', '/x/config.json');
    expect(get('mcpx').readServers(doc)[0]!.enabled).toBe(false);
  });

  it('reports a Zed command object without a path', () => {
    const doc = parseDocument('{"context_servers": {"a": {"command": {"args": []}}}}', 'jsonc', '/x/.zed/settings.json');
    expect(get('zed').validate!(doc)).toEqual([{message: 'server "a": "command.path" must be a string', path: ['context_servers', 'a', 'command']}]);
  });
});

describe('validateWithSchema messages', () => {
  it('names the missing alternatives once, and the allowed values of an enum', async () => {
    const doc = parseDocument('{"mcpServers": {"a": {"args": []}, "b": {"command": "x", "type": "ws"}}}', 'json', '/x/.mcp.json');
    const problems = await validateWithSchema('claude-code', doc);
    expect(problems).toContainEqual({message: 'mcpServers.a must have one of "command", "url"', path: ['mcpServers', 'a']});
    expect(problems).toContainEqual({message: expect.stringContaining('"stdio", "http", "sse"'), path: ['mcpServers', 'b', 'type']});
  });
});
