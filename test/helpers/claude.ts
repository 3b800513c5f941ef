/**
 * Claude Code's own view of an MCP setup, for the tests that write configs: `claude mcp list`
 * (health, offline) and the "MCP Config Diagnostics" of `claude doctor`, the only place that
 * shows the warnings Claude Code raises while reading a config ("Missing environment variables"
 * for a `${NAME}` it cannot expand). `doctor` needs a terminal, so it runs in a private tmux.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ROOT} from './cli.js';

export const CLAUDE = path.join(ROOT, 'node_modules/.bin/claude');
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/**
 * Run `claude doctor` in `cwd` with exactly `env` (written to a 0700 script, not argv) and return
 * its screen once the report is complete (it ends with "Press Enter to continue").
 */
export async function claudeDoctor(cwd: string, env: Record<string, string | undefined>, timeoutMs = 90_000): Promise<string> {
  const socket = `mcpx-doctor-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-doctor-'));
  const script = path.join(dir, 'doctor.sh');
  const exports = Object.entries({...env, DISABLE_AUTOUPDATER: '1'})
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
    .join('\n');
  fs.writeFileSync(script, `${exports}\ncd '${cwd}'\n'${CLAUDE}' doctor\nsleep 60\n`, {mode: 0o700});
  try {
    tmux('new-session', '-d', '-s', 'doctor', '-x', '200', '-y', '80', `sh '${script}'`);
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-J', '-S', '-300', '-t', 'doctor');
      if (/Press Enter to continue/.test(screen)) return screen;
      if (Date.now() > end) throw new Error(`claude doctor did not finish; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    fs.rmSync(dir, {recursive: true, force: true});
  }
}
