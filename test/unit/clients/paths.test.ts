/** Where each client's files live, and that clientForFile picks the right client for each of them. */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLIENTS, clientForFile, getClient} from '../../../src/clients/index.js';
import type {PathContext} from '../../../src/clients/types.js';
import {CLIENT_IDS, type ClientId} from '../../../src/model.js';

const linux: PathContext = {home: '/home/u', platform: 'linux', env: {}};
const mac: PathContext = {home: '/Users/u', platform: 'darwin', env: {}};
// Windows paths are checked as strings on this (POSIX) machine; only their shape matters here.
const win: PathContext = {home: 'C:\\Users\\u', platform: 'win32', env: {APPDATA: 'C:\\Users\\u\\AppData\\Roaming'}};

describe('client registry', () => {
  it('has one module per CLIENT_IDS entry, in the same order', () => {
    expect(CLIENTS.map((c) => c.id)).toEqual([...CLIENT_IDS]);
  });

  it('gives every client a user file, a docs-worthy name and a servers path', () => {
    for (const c of CLIENTS) {
      expect(c.userFiles(linux).length, c.id).toBeGreaterThan(0);
      expect(c.name.length).toBeGreaterThan(1);
      expect(c.serversPath.length).toBeGreaterThan(0);
    }
  });
});

const PROJECT: Array<[string, ClientId]> = [
  ['/work/app/.mcp.json', 'claude-code'],
  ['/work/app/.cursor/mcp.json', 'cursor'],
  ['/work/app/.vscode/mcp.json', 'vscode'],
  ['/work/app/.zed/settings.json', 'zed'],
  ['/work/app/.roo/mcp.json', 'roo'],
  ['/work/app/.kiro/settings/mcp.json', 'kiro'],
  ['/work/app/.gemini/settings.json', 'gemini'],
  ['/work/app/.codex/config.toml', 'codex'],
  ['/work/app/.continue/mcpServers/playwright.yaml', 'continue'],
  ['/work/app/.continue/mcpServers/from-claude.json', 'continue'],
  ['/work/app/.junie/mcp/mcp.json', 'junie'],
  ['/work/app/claude_desktop_config.json', 'claude-desktop'],
];

const USER_LINUX: Array<[string, ClientId]> = [
  ['/home/u/.claude.json', 'claude-code'],
  ['/home/u/.config/Claude/claude_desktop_config.json', 'claude-desktop'],
  ['/home/u/.cursor/mcp.json', 'cursor'],
  ['/home/u/.config/Code/User/mcp.json', 'vscode'],
  ['/home/u/.config/Code/User/settings.json', 'vscode'],
  ['/home/u/.config/Code - Insiders/User/mcp.json', 'vscode'],
  ['/home/u/.config/Code/User/profiles/4a1b2c/mcp.json', 'vscode'],
  ['/home/u/.codeium/windsurf/mcp_config.json', 'windsurf'],
  ['/home/u/.config/zed/settings.json', 'zed'],
  ['/home/u/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', 'cline'],
  ['/home/u/.config/Cursor/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', 'cline'],
  ['/home/u/.cline/data/settings/cline_mcp_settings.json', 'cline'],
  ['/home/u/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json', 'roo'],
  ['/home/u/.kiro/settings/mcp.json', 'kiro'],
  ['/home/u/.gemini/settings.json', 'gemini'],
  ['/home/u/.codex/config.toml', 'codex'],
  ['/home/u/.continue/config.yaml', 'continue'],
  ['/home/u/.config/goose/config.yaml', 'goose'],
  ['/home/u/.lmstudio/mcp.json', 'lmstudio'],
  ['/home/u/.junie/mcp/mcp.json', 'junie'],
  ['/home/u/.config/mcpx/config.json', 'mcpx'],
];

describe('clientForFile', () => {
  for (const [file, id] of PROJECT) it(`project ${file} → ${id}`, () => expect(clientForFile(file, linux)?.id).toBe(id));
  for (const [file, id] of USER_LINUX) {
    it(`user ${file} → ${id}`, () => {
      expect(clientForFile(file, linux)?.id).toBe(id);
    });
  }

  it('lists every Linux user file above among the clients’ own userFiles', () => {
    const all = new Set(CLIENTS.flatMap((c) => c.userFiles(linux)));
    for (const [file, id] of USER_LINUX) {
      if (file.includes('/profiles/') || file.includes('/Cursor/User/globalStorage/')) continue;
      expect(all.has(file), `${id}: ${file}`).toBe(true);
    }
  });

  it('leaves unrelated files alone', () => {
    for (const f of ['/work/app/package.json', '/work/app/settings.json', '/work/app/config.toml', '/work/app/mcp.json.ts', '/work/app/.claude.json.txt', '/home/u/.config/Code/User/keybindings.json']) {
      expect(clientForFile(f, linux), f).toBeUndefined();
    }
  });

  // Home-folder layouts found anywhere (a dotfiles repository, a home folder scanned in CI),
  // XDG layouts committed without the dot, and backup copies of each.
  const IN_TREE: Array<[string, string]> = [
    ['/repo/dotfiles/.claude.json', 'claude-code'],
    ['/repo/dotfiles/.claude/backups/.claude.json.backup.1733580000', 'claude-code'],
    ['/repo/dotfiles/.claude.json.bak', 'claude-code'],
    ['/repo/dotfiles/.codeium/windsurf/mcp_config.json', 'windsurf'],
    ['/repo/dotfiles/.codeium/windsurf/mcp_config.json~', 'windsurf'],
    ['/repo/dotfiles/.config/goose/config.yaml', 'goose'],
    ['/repo/dotfiles/config/goose/config.yaml', 'goose'],
    ['/repo/x/cline_mcp_settings.json', 'cline'],
    ['/repo/x/mcp_settings.json', 'roo'],
    ['/repo/x/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json', 'roo'],
    ['/repo/dotfiles/.lmstudio/mcp.json', 'lmstudio'],
    ['/repo/dotfiles/config/codex/config.toml', 'codex'],
    ['/repo/dotfiles/.config/codex/config.toml', 'codex'],
    ['/repo/dotfiles/config/zed/settings.json', 'zed'],
    ['/repo/dotfiles/.config/zed/settings.json', 'zed'],
    ['/repo/app/.vscode/settings.json', 'vscode'],
    ['/repo/app/.vscode/mcp.json.orig', 'vscode'],
    ['/repo/dotfiles/Library/Application Support/Claude/claude_desktop_config.json', 'claude-desktop'],
    ['/repo/dotfiles/.config/Code/User/mcp.json', 'vscode'],
    ['/repo/dotfiles/AppData/Roaming/Zed/settings.json', 'zed'],
    ['/repo/dotfiles/.continue/config.yaml', 'continue'],
    ['/repo/app/.cursor/mcp.json.bak', 'cursor'],
  ];
  for (const [file, id] of IN_TREE) it(`in a tree ${file} → ${id}`, () => expect(clientForFile(file, linux)?.id).toBe(id));

  it('honours XDG_CONFIG_HOME, CODEX_HOME and MCPX_HOME', () => {
    const ctx: PathContext = {home: '/home/u', platform: 'linux', env: {XDG_CONFIG_HOME: '/xdg', CODEX_HOME: '/opt/codex', MCPX_HOME: '/tmp/mx'}};
    expect(getClient('zed')!.userFiles(ctx)).toEqual(['/xdg/zed/settings.json']);
    expect(getClient('goose')!.userFiles(ctx)).toEqual(['/xdg/goose/config.yaml']);
    expect(getClient('claude-desktop')!.userFiles(ctx)).toEqual(['/xdg/Claude/claude_desktop_config.json']);
    expect(getClient('codex')!.userFiles(ctx)).toEqual(['/opt/codex/config.toml']);
    expect(getClient('mcpx')!.userFiles(ctx)).toEqual(['/tmp/mx/config/config.json']);
    expect(getClient('vscode')!.userFiles(ctx)).toContain('/xdg/Code/User/mcp.json');
    expect(clientForFile('/opt/codex/config.toml', ctx)?.id).toBe('codex');
    expect(clientForFile('/tmp/mx/config/config.json', ctx)?.id).toBe('mcpx');
  });
});

describe('per-OS user files', () => {
  it('macOS uses Application Support for VS Code-family editors and ~/.config for Zed and Goose', () => {
    expect(getClient('vscode')!.userFiles(mac)).toContain('/Users/u/Library/Application Support/Code/User/mcp.json');
    expect(getClient('cline')!.userFiles(mac)).toContain('/Users/u/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json');
    expect(getClient('roo')!.userFiles(mac)).toContain('/Users/u/Library/Application Support/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json');
    expect(getClient('claude-desktop')!.userFiles(mac)).toEqual(['/Users/u/Library/Application Support/Claude/claude_desktop_config.json']);
    expect(getClient('zed')!.userFiles(mac)).toEqual(['/Users/u/.config/zed/settings.json']);
    expect(getClient('goose')!.userFiles(mac)).toEqual(['/Users/u/.config/goose/config.yaml']);
    expect(clientForFile('/Users/u/Library/Application Support/Code/User/mcp.json', mac)?.id).toBe('vscode');
  });

  it('Windows uses %APPDATA% for VS Code-family editors, Claude Desktop, Zed and Goose', () => {
    const appdata = win.env.APPDATA!;
    expect(getClient('vscode')!.userFiles(win)).toContain(path.join(appdata, 'Code', 'User', 'mcp.json'));
    expect(getClient('claude-desktop')!.userFiles(win)).toEqual([path.join(appdata, 'Claude', 'claude_desktop_config.json')]);
    expect(getClient('zed')!.userFiles(win)).toEqual([path.join(appdata, 'Zed', 'settings.json')]);
    expect(getClient('goose')!.userFiles(win)).toEqual([path.join(appdata, 'Block', 'goose', 'config', 'config.yaml')]);
    expect(getClient('windsurf')!.userFiles(win)).toEqual([path.join(win.home, '.codeium', 'windsurf', 'mcp_config.json')]);
  });
});

describe('the lint path stays light', () => {
  it('no client module but schema.ts mentions ajv, and none imports schema.ts', () => {
    const dir = path.resolve(import.meta.dirname, '../../../src/clients');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'schema.ts')) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"]ajv/);
      expect(src, f).not.toMatch(/['"]\.\/schema\.js['"]/);
    }
    // And schema.ts loads ajv with a dynamic import only.
    expect(fs.readFileSync(path.join(dir, 'schema.ts'), 'utf8')).not.toMatch(/^import .*ajv/m);
  });
});
