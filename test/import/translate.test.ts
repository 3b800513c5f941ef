/**
 * How `mcpx import` carries each client's conventions into mcpx's config (plans only, nothing is
 * written; the real keychain is read to pick names): Gemini `$VAR`, Windsurf `${env:…}` and
 * `${file:…}`, Continue's server list and `${{ secrets.… }}`, Claude Desktop literals, entries an
 * earlier `secrets move` wrapped in `mcpx run` / `mcpx bridge`, and an existing serve entry.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest';
import {parseDocument} from '../../src/config/parse.js';
import {type ImportPlan, planDiff, planFiles, planImport} from '../../src/import/import.js';
import type {ClientId} from '../../src/model.js';
import {openKeychain, type KeychainStore} from '../../src/secrets/store.js';
import {mcpxLaunch} from '../../src/util/package-root.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';

const keychain = inject('keychain');
const rng = seededRng(Number.parseInt(randomBytes(4).toString('hex'), 16));
const [node, bin] = mcpxLaunch();

let dir: string;
let store: KeychainStore;

function write(rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
  return file;
}

async function plan(file: string, client?: ClientId): Promise<ImportPlan> {
  return planImport({paths: [file], client, cwd: dir, store, configFile: path.join(dir, 'mcpx.json'), env: {HOME: dir}});
}

const servers = (p: ImportPlan) => (JSON.parse(p.config!.after) as {mcpServers: Record<string, Record<string, unknown>>}).mcpServers;
const after = (p: ImportPlan, format: 'json' | 'jsonc' | 'yaml') => parseDocument(p.files[0]!.after, format, p.files[0]!.file).value as Record<string, unknown>;

describe.skipIf(!keychain.available)(`mcpx import translation${keychain.available ? '' : ` (skipped: ${keychain.reason})`}`, () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-import-translate-'));
    store = await openKeychain({service: `mcpx-test-import-tr-${randomBytes(4).toString('hex')}`});
  });

  afterAll(() => {
    fs.rmSync(dir, {recursive: true, force: true});
  });

  it('Gemini: $VAR and ${VAR} become mcpx references; other settings stay', async () => {
    const file = write('g/.gemini/settings.json', JSON.stringify({theme: 'dark', mcpServers: {g: {command: 'node', args: ['$DATA_DIR/x', '${API_BASE}'], env: {MODE: 'fast'}}}}));
    const p = await plan(file);
    expect(servers(p).g).toEqual({command: 'node', args: ['${DATA_DIR}/x', '${API_BASE}'], env: {MODE: 'fast'}});
    expect(after(p, 'json')).toEqual({theme: 'dark', mcpServers: {mcpx: {command: node, args: [bin, 'serve']}}});
  });

  it('Windsurf: ${env:VAR} is translated, ${file:…} keeps the server in the client file', async () => {
    const token = TOKEN_MAKERS['groq-api-key']!(rng);
    const leftBehind = TOKEN_MAKERS['huggingface-token']!(rng);
    const file = write('w/mcp_config.json', JSON.stringify({mcpServers: {a: {command: 'node', args: ['${env:TARGET}'], env: {GROQ_API_KEY: token}}, b: {command: 'node', env: {K: '${file:/run/key}', HF_TOKEN: leftBehind}}}}));
    const p = await plan(file, 'windsurf');
    // The server left behind keeps its value in the file, but the diff never shows it.
    const diff = await planDiff(planFiles(p), [...p.masks, ...p.secrets.map((s) => s.value)]);
    expect(diff).toContain('HF_TOKEN');
    expect(diff).not.toContain(leftBehind);
    expect(diff).not.toContain(token);
    expect(servers(p).a).toEqual({command: 'node', args: ['${TARGET}'], env: {GROQ_API_KEY: '${GROQ_API_KEY}'}});
    expect(p.secrets.map((s) => s.name)).toEqual(['GROQ_API_KEY']);
    expect(p.skipped).toEqual([{file, server: 'b', reason: expect.stringContaining('${file:/run/key}')}]);
    expect(Object.keys(after(p, 'json').mcpServers as object)).toEqual(['b', 'mcpx']);
  });

  it('Continue: the server list keeps what cannot be imported and gains the serve entry', async () => {
    const token = TOKEN_MAKERS['npm-token']!(rng);
    const file = write(
      'c/.continue/mcpServers/servers.yaml',
      `# my block\nname: Team servers\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: one\n    command: node\n    args: [x.js]\n    env:\n      NPM_TOKEN: ${token}\n  - name: two\n    command: node\n    args: ["\${{ secrets.FOO }}"]\n`,
    );
    const p = await plan(file);
    expect(servers(p).one).toEqual({command: 'node', args: ['x.js'], env: {NPM_TOKEN: '${NPM_TOKEN}'}});
    expect(p.skipped.map((s) => s.server)).toEqual(['two']);
    const doc = after(p, 'yaml');
    expect(doc.name).toBe('Team servers');
    expect(doc.mcpServers).toEqual([{name: 'two', command: 'node', args: ['${{ secrets.FOO }}']}, {name: 'mcpx', command: node, args: [bin, 'serve']}]);
    expect(p.files[0]!.after).toContain('# my block');
    expect(p.journal[0]!.originalList).toEqual([{name: 'one', command: 'node', args: ['x.js'], env: {NPM_TOKEN: '${NPM_TOKEN}'}}, {name: 'two', command: 'node', args: ['${{ secrets.FOO }}']}]);
  });

  it('Claude Desktop: literal ${…} stays literal; mcpx run/bridge wrappers are unwrapped; an existing serve entry is kept', async () => {
    const file = write(
      'd/claude_desktop_config.json',
      JSON.stringify({
        mcpServers: {
          proxy: {command: 'mcpx', args: ['serve']},
          lit: {command: 'node', args: ['--greeting', '${NOT_EXPANDED}']},
          wrapped: {command: node, args: [bin, 'run', '--server', 'wrapped', '--env', 'TOKEN', '--', '/usr/bin/tool', '--flag', '${ARG_REF}'], env: {TOKEN: '${TOKEN}', PLAIN: 'x'}},
          bridged: {command: node, args: [bin, 'bridge', '--server', 'bridged', '--transport', 'sse', '--header', 'Authorization: Bearer ${R_TOKEN}', 'https://example.com/sse']},
        },
        globalShortcut: 'Ctrl+Space',
      }),
    );
    const p = await plan(file, 'claude-desktop');
    const s = servers(p);
    expect(s.lit).toEqual({command: 'node', args: ['--greeting', '$${NOT_EXPANDED}']});
    expect(s.wrapped).toEqual({command: '/usr/bin/tool', args: ['--flag', '${ARG_REF}'], env: {TOKEN: '${TOKEN}', PLAIN: 'x'}});
    expect(s.bridged).toEqual({type: 'sse', url: 'https://example.com/sse', headers: {Authorization: 'Bearer ${R_TOKEN}'}});
    expect(s.proxy).toBeUndefined();
    // The existing serve entry stays the only one: no second `mcpx` entry.
    expect(after(p, 'json')).toEqual({mcpServers: {proxy: {command: 'mcpx', args: ['serve']}}, globalShortcut: 'Ctrl+Space'});
    expect(p.journal[0]!.added).toBeUndefined();
  });

  it('unwraps what secrets move writes now: --env KEY=NAME bindings, --arg N and {{NAME}} in args, env and bridge headers', async () => {
    const file = write(
      'e/claude_desktop_config.json',
      JSON.stringify({
        mcpServers: {
          gh: {command: node, args: [bin, 'run', '--server', 'gh', '--env', 'GITHUB_TOKEN=GITHUB_TOKEN_WORK', '--env', 'SOLO', '--env', 'AUTH', '--arg', '1', '--', '/usr/bin/tool', '--api-key', '{{API_KEY}}', '{{NOT_MARKED}}'], env: {AUTH: 'Bearer {{AUTH_TOKEN}}', PLAIN: 'x'}},
          remote: {command: node, args: [bin, 'bridge', '--server', 'remote', '--header', 'Authorization: Bearer {{R_TOKEN}}', 'https://example.com/mcp?key={{R_KEY}}']},
        },
      }),
    );
    const s = servers(await plan(file, 'claude-desktop'));
    expect(s.gh).toEqual({command: '/usr/bin/tool', args: ['--api-key', '${API_KEY}', '{{NOT_MARKED}}'], env: {AUTH: 'Bearer ${AUTH_TOKEN}', PLAIN: 'x', GITHUB_TOKEN: '${GITHUB_TOKEN_WORK}', SOLO: '${SOLO}'}});
    expect(s.remote).toEqual({type: 'http', url: 'https://example.com/mcp?key=${R_KEY}', headers: {Authorization: 'Bearer ${R_TOKEN}'}});
  });
});
