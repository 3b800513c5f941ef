/**
 * Git hooks with real git: `mcpx hooks install|uninstall` (core.hooksPath, foreign hooks,
 * --force chaining, restore), the hook linting the STAGED content of staged configs, and
 * pre-commit running a local hook built from .pre-commit-hooks.yaml's `files` regex.
 */
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {isContentCandidate, projectPatterns} from '../../src/lint/discovery.js';
import {BIN, HAS_REAL_SECRET_RULE, ROOT, mcpx, randomToken, requireBuild, tmpDir, write} from './helpers.js';

beforeAll(requireBuild);

const INSECURE = JSON.stringify({mcpServers: {remote: {url: 'http://example.com/mcp'}}}, null, 2);
const CLEAN = JSON.stringify({mcpServers: {remote: {url: 'https://example.com/mcp'}}}, null, 2);
const hasPreCommit = spawnSync('pre-commit', ['--version']).status === 0;
/** Home-folder layouts committed to a repository (dotfiles), each holding a key. */
const HOME_LAYOUT_FILES: Array<[string, (key: string) => unknown]> = [
  ['.claude.json', (key) => ({projects: {'/home/u/app': {mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}}}})],
  ['.codeium/windsurf/mcp_config.json', (key) => ({mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}})],
];
/** A file of no known name whose content has an MCP shape: lint finds it by content, so must the hooks. */
const CONTENT_SHAPED: [string, (key: string) => unknown] = ['team/agents.json', (key) => ({mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}})];

function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    MCPX_HOME: path.join(home, '.mcpx'),
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    PRE_COMMIT_HOME: path.join(home, '.pre-commit'),
  };
}

function repo(): {dir: string; git: (...args: string[]) => {code: number; out: string}; env: NodeJS.ProcessEnv} {
  const dir = tmpDir('repo');
  const home = tmpDir('home');
  const env = gitEnv(home);
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, {cwd: dir, env, encoding: 'utf8', timeout: 60_000});
    return {code: r.status ?? -1, out: `${r.stdout}${r.stderr}`};
  };
  git('init', '-q', '-b', 'main');
  return {dir, git, env};
}

function hooksCli(dir: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  return mcpx(['hooks', ...args], dir, env);
}

describe('mcpx hooks install', () => {
  it('blocks a commit whose STAGED config has an error, even when the working tree is fixed', () => {
    const {dir, git, env} = repo();
    const inst = hooksCli(dir, env, 'install');
    expect(inst.code).toBe(0);
    expect(inst.stdout).toContain(path.join('.git', 'hooks', 'pre-commit'));
    expect(fs.statSync(path.join(dir, '.git/hooks/pre-commit')).mode & 0o111).toBeTruthy();

    write(dir, 'README.md', 'hello');
    git('add', 'README.md');
    expect(git('commit', '-qm', 'no configs').code).toBe(0);

    write(dir, '.cursor/mcp.json', INSECURE);
    git('add', '.cursor/mcp.json');
    const blocked = git('commit', '-qm', 'insecure');
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('insecure-url');

    // Fixed in the working tree but not staged: still blocked (the hook reads the index).
    write(dir, '.cursor/mcp.json', CLEAN);
    expect(git('commit', '-qm', 'still insecure').code).not.toBe(0);
    git('add', '.cursor/mcp.json');
    expect(git('commit', '-qm', 'clean').code).toBe(0);

    // The opposite: a clean staged file with a broken working copy passes.
    write(dir, '.mcp.json', CLEAN);
    git('add', '.mcp.json');
    write(dir, '.mcp.json', INSECURE);
    expect(git('commit', '-qm', 'staged clean').code).toBe(0);
  });

  it.runIf(HAS_REAL_SECRET_RULE)('blocks a commit that adds a hardcoded key', () => {
    const {dir, git, env} = repo();
    expect(hooksCli(dir, env, 'install').code).toBe(0);
    const key = randomToken(['gh', 'p_'], 36);
    write(dir, '.mcp.json', JSON.stringify({mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}}));
    git('add', '.mcp.json');
    const r = git('commit', '-qm', 'key');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('hardcoded-secret');
    expect(r.out).not.toContain(key);
  });

  // Home-folder layouts committed to a repository (dotfiles): the hook identifies them as lint does.
  for (const [file, body] of HOME_LAYOUT_FILES) {
    it.runIf(HAS_REAL_SECRET_RULE)(`blocks a commit that adds ${file} with a hardcoded key`, () => {
      const {dir, git, env} = repo();
      expect(hooksCli(dir, env, 'install').code).toBe(0);
      const key = randomToken(['gh', 'p_'], 36);
      write(dir, file, JSON.stringify(body(key)));
      git('add', file);
      const r = git('commit', '-qm', 'key');
      expect(r.code, r.out).not.toBe(0);
      expect(r.out).toContain('hardcoded-secret');
      expect(r.out).not.toContain(key);
    });
  }

  it.runIf(HAS_REAL_SECRET_RULE)('blocks a commit that adds a file of another name with an MCP shape and a key; passes other JSON/YAML, even broken', () => {
    const {dir, git, env} = repo();
    expect(hooksCli(dir, env, 'install').code).toBe(0);
    write(dir, 'config/app.yaml', 'service: x\nlabels: [a, b\n');
    write(dir, 'data/items.json', '{"items": [1, 2,]}');
    git('add', '.');
    const other = git('commit', '-qm', 'other files');
    expect(other.code, other.out).toBe(0);
    const key = randomToken(['gh', 'p_'], 36);
    write(dir, CONTENT_SHAPED[0], JSON.stringify(CONTENT_SHAPED[1](key)));
    git('add', '.');
    const r = git('commit', '-qm', 'key');
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain('hardcoded-secret');
    expect(r.out).not.toContain(key);
  });

  it('honours core.hooksPath', () => {
    const {dir, git, env} = repo();
    git('config', 'core.hooksPath', '.githooks');
    expect(hooksCli(dir, env, 'install').code).toBe(0);
    expect(fs.existsSync(path.join(dir, '.githooks/pre-commit'))).toBe(true);
    expect(fs.existsSync(path.join(dir, '.git/hooks/pre-commit'))).toBe(false);
    write(dir, '.mcp.json', INSECURE);
    git('add', '.mcp.json');
    expect(git('commit', '-qm', 'x').code).not.toBe(0);
  });

  it('refuses a foreign hook without --force; with --force chains it; uninstall restores it', () => {
    const {dir, git, env} = repo();
    const hook = path.join(dir, '.git/hooks/pre-commit');
    const foreign = '#!/bin/sh\necho foreign-hook-ran\n[ -f block-me ] && exit 7\nexit 0\n';
    write(dir, '.git/hooks/pre-commit', foreign, 0o755);
    const refused = hooksCli(dir, env, 'install');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(hook, 'utf8')).toBe(foreign);

    expect(hooksCli(dir, env, 'install', '--force').code).toBe(0);
    expect(fs.readFileSync(hook + '.pre-mcpx', 'utf8')).toBe(foreign);
    write(dir, '.mcp.json', CLEAN);
    git('add', '.mcp.json');
    const ok = git('commit', '-qm', 'clean');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('foreign-hook-ran');
    // The chained hook's failure still blocks.
    write(dir, 'block-me', '');
    write(dir, 'x.txt', 'x');
    git('add', 'x.txt');
    expect(git('commit', '-qm', 'blocked by the old hook').code).not.toBe(0);
    fs.rmSync(path.join(dir, 'block-me'));
    // Installing again updates our hook in place and keeps the chain.
    const again = hooksCli(dir, env, 'install', '--json');
    expect(JSON.parse(again.stdout).result.action).toBe('updated');

    const un = hooksCli(dir, env, 'uninstall', '--json');
    expect(un.code).toBe(0);
    expect(JSON.parse(un.stdout).result.action).toBe('restored');
    expect(fs.readFileSync(hook, 'utf8')).toBe(foreign);
    expect(fs.existsSync(hook + '.pre-mcpx')).toBe(false);
    // Not ours any more: uninstall leaves it alone.
    expect(hooksCli(dir, env, 'uninstall').code).toBe(2);
    expect(fs.readFileSync(hook, 'utf8')).toBe(foreign);
  });

  it('fails outside a git repository with a hint', () => {
    const dir = tmpDir('nogit');
    const r = mcpx(['hooks', 'install'], dir, {GIT_CEILING_DIRECTORIES: path.dirname(dir)});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not inside a git repository');
  });
});

describe('pre-commit', () => {
  const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
  const def = hooks.find((h) => h.id === 'mcpx-lint')!;
  /** A local hook built from the published definition, running this build. */
  const localConfig = () => ({
    repos: [{repo: 'local', hooks: [{id: 'mcpx-lint', name: 'mcpx lint', entry: `${process.execPath} ${BIN} ${(def.entry as string).replace(/^mcpx /, '')}`, language: 'system', files: def.files, exclude: def.exclude, pass_filenames: true}]}],
  });

  it('.pre-commit-hooks.yaml declares the mcpx-lint hook', () => {
    expect(def).toMatchObject({id: 'mcpx-lint', language: 'node', entry: 'mcpx lint --only-configs', pass_filenames: true});
  });

  it('its files regex matches every client config the linter searches for, and not other files', () => {
    const re = new RegExp(def.files as string);
    for (const pattern of projectPatterns()) {
      const sample = pattern.replace(/\*/g, 'x');
      expect(re.test(sample), pattern).toBe(true);
      expect(re.test(`some/project/${sample}`), pattern).toBe(true);
    }
    for (const other of ['src/mcp.json.ts', 'docs/.mcp.json.md', 'README.md', 'x.mcp.json.ts']) expect(re.test(other), other).toBe(false);
    // Other JSON/TOML/YAML files reach mcpx, which keeps those with an MCP shape; manifests are excluded as mcpx skips them.
    const exclude = new RegExp(def.exclude as string);
    for (const candidate of ['team/agents.json', 'ai/agent.toml', 'ops/goose.yaml', 'x.yml', 'old/tools.json.disabled']) {
      expect(re.test(candidate) && !exclude.test(candidate), candidate).toBe(true);
      expect(isContentCandidate(candidate), candidate).toBe(true);
    }
    for (const manifest of ['package.json', 'a/package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'Cargo.toml', 'pyproject.toml', 'docker-compose.yml', '.github/workflows/ci.yml']) {
      expect(exclude.test(manifest), manifest).toBe(true);
      expect(isContentCandidate(manifest), manifest).toBe(false);
    }
  });

  it.runIf(hasPreCommit)('a real pre-commit run blocks a bad config and passes a clean one', () => {
    const {dir, git, env} = repo();
    write(dir, '.pre-commit-config.yaml', JSON.stringify(localConfig(), null, 2));
    git('add', '.pre-commit-config.yaml');
    const install = spawnSync('pre-commit', ['install'], {cwd: dir, env, encoding: 'utf8'});
    expect(install.status, install.stderr).toBe(0);
    expect(git('commit', '-qm', 'config').code).toBe(0);

    write(dir, 'svc/.mcp.json', INSECURE);
    git('add', 'svc/.mcp.json');
    const blocked = git('commit', '-qm', 'insecure');
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('insecure-url');

    write(dir, 'svc/.mcp.json', CLEAN);
    git('add', 'svc/.mcp.json');
    const passed = git('commit', '-qm', 'clean');
    expect(passed.code, passed.out).toBe(0);
    expect(passed.out).toMatch(/mcpx lint\.+Passed/);
  });

  it.runIf(hasPreCommit && HAS_REAL_SECRET_RULE)('pre-commit blocks a commit that adds a hardcoded key', () => {
    const {dir, git, env} = repo();
    write(dir, '.pre-commit-config.yaml', JSON.stringify(localConfig(), null, 2));
    spawnSync('pre-commit', ['install'], {cwd: dir, env});
    const key = randomToken(['gh', 'p_'], 36);
    write(dir, '.cursor/mcp.json', JSON.stringify({mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}}));
    git('add', '.');
    const r = git('commit', '-qm', 'key');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('hardcoded-secret');
    expect(r.out).not.toContain(key);
  });

  for (const [file, body] of [...HOME_LAYOUT_FILES, CONTENT_SHAPED]) {
    it.runIf(hasPreCommit && HAS_REAL_SECRET_RULE)(`pre-commit blocks a commit that adds ${file} with a hardcoded key`, () => {
      const {dir, git, env} = repo();
      write(dir, '.pre-commit-config.yaml', JSON.stringify(localConfig(), null, 2));
      spawnSync('pre-commit', ['install'], {cwd: dir, env});
      const key = randomToken(['gh', 'p_'], 36);
      write(dir, file, JSON.stringify(body(key)));
      git('add', '.');
      const r = git('commit', '-qm', 'key');
      expect(r.code, r.out).not.toBe(0);
      expect(r.out).toContain('hardcoded-secret');
      expect(r.out).not.toContain(key);
    });
  }
});
