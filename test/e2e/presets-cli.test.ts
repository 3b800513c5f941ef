/**
 * The built CLI finds its presets from dist/ (the package root is located from the bundled
 * module), reads a user preset from $XDG_CONFIG_HOME, and reports a broken one by file and field.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ROOT, runCli} from '../helpers/cli.js';

let tmp: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-presets-cli-'));
  env = {HOME: path.join(tmp, 'home'), XDG_CONFIG_HOME: path.join(tmp, 'xdg'), MCPX_HOME: undefined};
});
afterAll(() => {
  fs.rmSync(tmp, {recursive: true, force: true});
});

describe('mcpx presets (built CLI)', () => {
  it('shows a built-in preset as JSON', async () => {
    const r = await runCli(['presets', 'show', 'memory', '--json'], {cwd: tmp, env});
    expect(r.code, r.stderr).toBe(0);
    const envelope = JSON.parse(r.stdout) as {ok: boolean; result: {package: string; file: string}};
    expect(envelope.ok).toBe(true);
    expect(envelope.result.package).toBe('@modelcontextprotocol/server-memory@2026.8.31');
    expect(envelope.result.file).toBe(path.join(ROOT, 'presets', 'servers', 'memory.json'));
  });

  it('lists a user preset from $XDG_CONFIG_HOME/mcpx/presets and rejects a broken one by file and field', async () => {
    const dir = path.join(tmp, 'xdg', 'mcpx', 'presets');
    fs.mkdirSync(dir, {recursive: true});
    const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'presets', 'components', 'stdio-local', 'template.json'), 'utf8')) as {
      packages: {version: string}[];
    };
    fs.writeFileSync(path.join(dir, 'mine.json'), JSON.stringify(template));
    const listed = await runCli(['presets', 'list', '--tag', 'example'], {cwd: tmp, env});
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/your-server \(user\) +token +stdio/);

    template.packages[0]!.version = 'latest';
    fs.writeFileSync(path.join(dir, 'mine.json'), JSON.stringify(template));
    const broken = await runCli(['presets', 'list'], {cwd: tmp, env});
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/Error: Invalid preset \S*mine\.json:/);
    expect(broken.stderr).toContain('/packages/0/version');
    expect(broken.stderr).toMatch(/Hint: Fix the fields listed/);
  });
});
