/**
 * Helpers for the lint tests: spawn the built CLI, make temp projects, build token-shaped
 * values at run time (never committed), a test-only secret rule (the real detector lives
 * elsewhere), and snapshots of a tree's bytes and modes.
 */
import {spawnSync} from 'node:child_process';
import {createHash, randomInt} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Rule} from '../../src/lint/types.js';
import {RULES} from '../../src/lint/rules/index.js';
import {locate, nativePath} from '../../src/model.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'run.js');

export function requireBuild(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'lint-main.js'))) throw new Error('dist/ is missing: run `npm run build` before these tests.');
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random token-shaped value; the prefix is joined at run time so no literal key sits in the source. */
export function randomToken(prefix: string[], length = 36): string {
  let body = '';
  for (let i = 0; i < length; i++) body += ALNUM[randomInt(ALNUM.length)];
  return prefix.join('') + body;
}

export function tmpDir(label = 'lint'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `mcpx-${label}-`)));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `node bin/run.js <args>` in `cwd` with HOME and MCPX_HOME pointed at a temp folder. */
export function mcpx(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, input?: string): RunResult {
  const home = path.join(cwd, '..', path.basename(cwd) + '-home');
  fs.mkdirSync(home, {recursive: true});
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: {PATH: process.env.PATH, HOME: home, MCPX_HOME: path.join(home, '.mcpx'), NO_COLOR: '1', ...env},
    timeout: 20_000,
    ...(input !== undefined ? {input} : {}),
  });
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr};
}

export function write(dir: string, rel: string, text: string, mode = 0o600): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

/** Every file below `dir` with the sha256 of its bytes and its mode. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true})) {
      const full = path.join(d, e.name);
      const st = fs.lstatSync(full);
      if (e.isDirectory()) {
        out[full + '/'] = (st.mode & 0o7777).toString(8);
        walk(full);
      } else {
        out[full] = `${(st.mode & 0o7777).toString(8)} ${e.isSymbolicLink() ? 'link:' + fs.readlinkSync(full) : createHash('sha256').update(fs.readFileSync(full)).digest('hex')}`;
      }
    }
  };
  walk(dir);
  return out;
}

/**
 * A test-only stand-in for hardcoded-secret: reports every env value of a server whose key
 * ends in _KEY, _TOKEN or _SECRET, with the value as `secret` (masked and hashed by the engine).
 */
export const testSecretRule: Rule = {
  meta: {id: 'hardcoded-secret', description: 'Test stand-in: credentials written into env.', defaultSeverity: 'error', category: 'security', fix: 'secrets move'},
  check(ctx) {
    for (const s of ctx.servers) {
      for (const [k, v] of Object.entries(s.env ?? {})) {
        if (!/(_KEY|_TOKEN|_SECRET)$/.test(k) || v.startsWith('${')) continue;
        if (!ctx.doc) continue;
        ctx.report({message: `hardcoded credential in env ${k} of server "${s.name}"`, range: locate(ctx.doc, s, 'env', k), path: nativePath(s, 'env', k), server: s.name, secret: v, hint: 'move it with `mcpx secrets move`'});
      }
    }
  },
};

/** The registry plus the test secret rule (unless the real one has been merged). */
export const RULES_WITH_SECRET: readonly Rule[] = RULES.some((r) => r.meta.id === 'hardcoded-secret') ? RULES : [...RULES, testSecretRule];
export const HAS_REAL_SECRET_RULE = RULES.some((r) => r.meta.id === 'hardcoded-secret');

/** A writable sink collecting what runLint prints. */
export function sink(): NodeJS.WritableStream & {text: string; isTTY?: boolean} {
  const chunks: string[] = [];
  const s = {
    write(chunk: string | Uint8Array) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
    get text() {
      return chunks.join('');
    },
  };
  return s as unknown as NodeJS.WritableStream & {text: string};
}
