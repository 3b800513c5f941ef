/**
 * Every stdio preset that needs no account is started the way a client would start it (the MCP
 * SDK's Client over StdioClientTransport, with the ServerSpec presetToSpec builds) and must list
 * its tools. The preset says `npx -y <package>@<version>`; to keep the test off the network the
 * same exact version is a devDependency, and `npx -y pkg@version` is swapped for that installed
 * copy's bin after checking the versions match.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {loadPresets} from '../../src/presets/loader.js';
import {localPackage, presetToSpec, type PresetValues} from '../../src/presets/spec.js';
import type {Preset} from '../../src/presets/types.js';

const root = path.resolve(import.meta.dirname, '../..');
const pkgJson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {devDependencies?: Record<string, string>};

/** No-account stdio presets this test does not start, and why. Adding a preset means deciding. */
const NOT_STARTED: Record<string, string> = {
  puppeteer: 'its install script downloads Chrome from Google storage, which CI cannot reach',
  sqlite: 'its native sqlite3 dependency compiles from source on install (about two minutes)',
};

/** Settings a preset needs to start in a sandbox. */
function sandboxValues(id: string, dir: string): PresetValues {
  switch (id) {
    case 'filesystem':
      return {allowed_directory: [dir]};
    case 'memory':
      return {MEMORY_FILE_PATH: path.join(dir, 'memory.jsonl')};
    case 'git':
      return {GIT_BASE_DIR: dir};
    default:
      return {};
  }
}

/** The installed copy of `identifier`: its version and the absolute path of its main bin. */
function installed(identifier: string): {version: string; bin: string} {
  const dir = path.join(root, 'node_modules', identifier);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {version: string; bin?: string | Record<string, string>};
  const bins = typeof manifest.bin === 'string' ? {[identifier.split('/').pop()!]: manifest.bin} : manifest.bin ?? {};
  // npx runs the bin named after the package when there are several.
  const unscoped = identifier.split('/').pop()!;
  const binPath = bins[unscoped] ?? Object.values(bins)[0];
  if (!binPath) throw new Error(`${identifier} has no bin`);
  return {version: manifest.version, bin: path.join(dir, binPath)};
}

let presets: Preset[];
let sandbox: string;
beforeAll(async () => {
  sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-preset-start-'));
  presets = await loadPresets({cwd: sandbox, env: {HOME: sandbox, MCPX_HOME: path.join(sandbox, 'mcpx')}});
});
afterAll(() => {
  fs.rmSync(sandbox, {recursive: true, force: true});
});

const noAccountStdio = (): Preset[] => presets.filter((p) => !p.meta.needsAccount && localPackage(p) !== undefined);

describe('no-account stdio presets', () => {
  it('are each either installed at the preset version as a devDependency, or not started for a stated reason', () => {
    const ids = noAccountStdio().map((p) => p.id);
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const preset of noAccountStdio()) {
      const pkg = localPackage(preset)!;
      if (NOT_STARTED[preset.id]) {
        expect(pkgJson.devDependencies?.[pkg.identifier], preset.id).toBeUndefined();
        continue;
      }
      expect(pkgJson.devDependencies?.[pkg.identifier], `${pkg.identifier} must be an exact devDependency`).toBe(pkg.version);
    }
    for (const id of Object.keys(NOT_STARTED)) expect(ids, `${id} in NOT_STARTED`).toContain(id);
  });

  // One process per preset, started together: each takes a few seconds, mostly Node start-up.
  const startable = [
    'chrome-devtools',
    'context7',
    'everything',
    'fetch',
    'filesystem',
    'git',
    'memory',
    'playwright',
    'sequential-thinking',
  ];

  it('cover every startable preset in this list', () => {
    expect(noAccountStdio().map((p) => p.id).filter((id) => !NOT_STARTED[id]).sort()).toEqual(startable);
  });

  it.concurrent.each(startable)('%s starts and lists its tools', async (id) => {
    const {Client} = await import('@modelcontextprotocol/sdk/client/index.js');
    const {StdioClientTransport} = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const preset = presets.find((p) => p.id === id)!;
    const dir = fs.mkdtempSync(path.join(sandbox, `${id}-`));
    const spec = presetToSpec(preset, {transport: 'stdio', values: sandboxValues(id, dir)});
    const pkg = localPackage(preset)!;
    expect(spec.command).toBe('npx');
    expect(spec.args!.slice(0, 2)).toEqual(['-y', `${pkg.identifier}@${pkg.version}`]);
    for (const value of Object.values(spec.env ?? {})) expect(value).not.toContain('${');

    const copy = installed(pkg.identifier);
    expect(copy.version).toBe(pkg.version);
    // A minimal environment, like mcpx gives its children: PATH for git/npx, HOME sandboxed.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [copy.bin, ...spec.args!.slice(2)],
      env: {PATH: process.env.PATH ?? '', HOME: dir, ...spec.env},
      cwd: dir,
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const client = new Client({name: 'mcpx-preset-test', version: '0.0.0'});
    try {
      await client.connect(transport);
      const {tools} = await client.listTools();
      expect(tools.length, `${id} stderr:\n${stderr.slice(-2000)}`).toBeGreaterThan(0);
      for (const tool of tools) expect(tool.name).toMatch(/\S/);
    } catch (error) {
      throw new Error(`${id} failed: ${(error as Error).message}\nstderr:\n${stderr.slice(-2000)}`);
    } finally {
      await client.close();
    }
  }, 45_000);
});
