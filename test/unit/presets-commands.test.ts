/**
 * `mcpx presets list` and `mcpx presets show` as commands: flags, the --json envelope, the text
 * view, and the exit code and suggestion for an unknown id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {format} from 'node:util';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import PresetsList from '../../src/commands/presets/list.js';
import PresetsShow from '../../src/commands/presets/show.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Run a command class in-process, capturing stdout and stderr. */
async function run(cmd: {run(argv: string[], root: string): Promise<unknown>}, argv: string[]): Promise<{stdout: string; stderr: string; result: unknown}> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  // oclif prints through console.log/console.error; BaseCommand's error path writes to the streams.
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    stdout += format(...args) + '\n';
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    stderr += format(...args) + '\n';
  });
  try {
    const result = await cmd.run(argv, root);
    return {stdout, stderr, result};
  } finally {
    for (const spy of [out, err, log, error]) spy.mockRestore();
  }
}

let tmp: string;
let saved: {cwd: string; mcpxHome?: string; exitCode?: number | string};
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-presets-cmd-'));
  saved = {cwd: process.cwd(), mcpxHome: process.env.MCPX_HOME, exitCode: process.exitCode};
  process.env.MCPX_HOME = path.join(tmp, 'home');
  process.chdir(tmp);
});
afterEach(() => {
  process.chdir(saved.cwd);
  if (saved.mcpxHome === undefined) delete process.env.MCPX_HOME;
  else process.env.MCPX_HOME = saved.mcpxHome;
  process.exitCode = saved.exitCode;
  fs.rmSync(tmp, {recursive: true, force: true});
});

describe('mcpx presets list', () => {
  it('prints a table of every preset', async () => {
    const {stdout} = await run(PresetsList, []);
    expect(stdout).toMatch(/^ID +AUTH +RUNS +TITLE +TAGS/);
    expect(stdout).toMatch(/\ngithub +token +stdio\+http +GitHub/);
    expect(stdout).toMatch(/\d+ presets\./);
  });

  it('filters by --tag and returns the JSON envelope with --json', async () => {
    const {stdout} = await run(PresetsList, ['--tag', 'search', '--json']);
    const envelope = JSON.parse(stdout) as {ok: boolean; command: string; result: {presets: {id: string; tags: string[]}[]}};
    expect(envelope.ok).toBe(true);
    expect(envelope.result.presets.map((p) => p.id)).toEqual(expect.arrayContaining(['brave-search', 'tavily', 'exa']));
    expect(envelope.result.presets.every((p) => p.tags.includes('search'))).toBe(true);
  });

  it('includes a project preset from .mcpx/presets', async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'presets', 'components', 'http-oauth', 'template.json'), 'utf8')) as {_meta: Record<string, {id: string}>};
    doc._meta['dev.mcpx/preset']!.id = 'acme-wiki';
    fs.mkdirSync(path.join(tmp, '.mcpx', 'presets'), {recursive: true});
    fs.writeFileSync(path.join(tmp, '.mcpx', 'presets', 'acme-wiki.json'), JSON.stringify(doc));
    const {stdout} = await run(PresetsList, ['--tag', 'example']);
    expect(stdout).toMatch(/acme-wiki \(project\) +oauth +http/);
  });
});

describe('mcpx presets show', () => {
  it('prints package, remote, settings with secret marks, auth and docs', async () => {
    const {stdout} = await run(PresetsShow, ['supabase']);
    expect(stdout).toContain('Supabase (supabase)');
    expect(stdout).toContain('@supabase/mcp-server-supabase@0.13.0 (npm, stdio)');
    expect(stdout).toContain('https://mcp.supabase.com/mcp (streamable-http) [default]');
    expect(stdout).toMatch(/SUPABASE_ACCESS_TOKEN \(env; secret, required\)/);
    expect(stdout).toMatch(/read-only \(argument --read-only; optional, default true\)/);
    expect(stdout).toMatch(/Auth: +OAuth login/);
    expect(stdout).toContain('Docs:       https://supabase.com/docs/guides/getting-started/mcp');
  });

  it('returns the details as JSON', async () => {
    const {stdout} = await run(PresetsShow, ['filesystem', '--json']);
    const envelope = JSON.parse(stdout) as {ok: boolean; result: {package: string; inputs: {stdio: {key: string; isRepeated?: boolean}[]}}};
    expect(envelope.ok).toBe(true);
    expect(envelope.result.package).toBe('@modelcontextprotocol/server-filesystem@2026.8.31');
    expect(envelope.result.inputs.stdio).toEqual([expect.objectContaining({key: 'allowed_directory', isRepeated: true})]);
  });

  it('exits 2 with a suggestion for an unknown id', async () => {
    const {stderr} = await run(PresetsShow, ['sentri']);
    expect(stderr).toContain("Unknown preset 'sentri'. Did you mean 'sentry'?");
    expect(stderr).toContain('Hint: Run `mcpx presets list`');
    expect(process.exitCode).toBe(2);
  });
});
