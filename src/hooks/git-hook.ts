/**
 * `mcpx hooks install|uninstall`: a plain git pre-commit hook that runs `mcpx lint --staged`
 * (the staged content of the staged MCP config files). Respects `core.hooksPath` (asks git
 * where hooks live), never overwrites a hook it did not write unless forced, and then keeps
 * the old hook as `pre-commit.pre-mcpx` and runs it first; uninstall puts it back.
 */
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {UserError} from '../errors.js';

const run = promisify(execFile);

/** First line after the shebang of every hook mcpx writes; how we recognise our own hook. */
export const HOOK_MARKER = '# mcpx-lint-hook';
export const BACKUP_SUFFIX = '.pre-mcpx';

export interface HookOptions {
  cwd: string;
  /** Replace a hook mcpx did not write (it is kept as pre-commit.pre-mcpx and run first). */
  force?: boolean;
  /** Absolute path of mcpx's bin/run.js, recorded in the hook as the first choice. */
  mcpxBin?: string;
  /** Node binary recorded in the hook (default: this process's). */
  nodeBin?: string;
}

export interface InstallResult {
  hookFile: string;
  action: 'created' | 'updated' | 'chained';
  /** The previous, foreign hook, now run before mcpx. */
  backup?: string;
}

export interface UninstallResult {
  hookFile: string;
  action: 'removed' | 'restored' | 'absent';
  restored?: string;
}

/** The hooks folder git uses for the repository at `cwd` (honours core.hooksPath). */
export async function hooksDir(cwd: string): Promise<string> {
  try {
    const {stdout} = await run('git', ['rev-parse', '--git-path', 'hooks'], {cwd, encoding: 'utf8'});
    return path.resolve(cwd, stdout.trim());
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {stderr?: string};
    if (e.code === 'ENOENT') throw new UserError('git is not installed or not on PATH.', {hint: 'Install git first.', code: 'E_GIT'});
    throw new UserError(`${cwd} is not inside a git repository.`, {hint: 'Run `mcpx hooks install` inside the repository (or `git init` first).', code: 'E_GIT'});
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The hook script. POSIX sh; prefers the mcpx that installed it, then the project's, then PATH. */
export function hookScript(options: Pick<HookOptions, 'mcpxBin' | 'nodeBin'>): string {
  const node = options.nodeBin ?? process.execPath;
  const bin = options.mcpxBin ?? '';
  return `#!/bin/sh
${HOOK_MARKER} v1: installed by \`mcpx hooks install\`; remove with \`mcpx hooks uninstall\`.
# Lints the MCP client configs staged for this commit (their staged content, not the working tree).
hook_dir=$(dirname "$0")
if [ -x "$hook_dir/pre-commit${BACKUP_SUFFIX}" ]; then
  "$hook_dir/pre-commit${BACKUP_SUFFIX}" "$@" || exit $?
fi
node_bin=${shellQuote(node)}
[ -x "$node_bin" ] || node_bin=node
mcpx_bin=${shellQuote(bin)}
if [ -n "$mcpx_bin" ] && [ -f "$mcpx_bin" ]; then
  set -- "$node_bin" "$mcpx_bin"
elif [ -x ./node_modules/.bin/mcpx ]; then
  set -- ./node_modules/.bin/mcpx
elif command -v mcpx >/dev/null 2>&1; then
  set -- mcpx
else
  echo "mcpx pre-commit hook: mcpx not found. Install it (npm i -D mcpx), or remove the hook with \\\`mcpx hooks uninstall\\\`." >&2
  exit 1
fi
exec "$@" lint --staged
`;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isOurs(text: string): boolean {
  return text.split('\n', 3).some((line) => line.startsWith(HOOK_MARKER));
}

/**
 * Install the pre-commit hook. Throws UserError when a foreign hook exists and `force` is not
 * set, or when forcing would overwrite an earlier backup.
 */
export async function installHook(options: HookOptions): Promise<InstallResult> {
  const dir = await hooksDir(options.cwd);
  const hookFile = path.join(dir, 'pre-commit');
  const backup = hookFile + BACKUP_SUFFIX;
  const existing = await readIfExists(hookFile);
  let action: InstallResult['action'] = 'created';
  if (existing !== undefined && isOurs(existing)) action = 'updated';
  else if (existing !== undefined) {
    if (!options.force) {
      throw new UserError(`${hookFile} already exists and was not written by mcpx.`, {
        hint: 'Run `mcpx hooks install --force` to keep it (as pre-commit.pre-mcpx, run before mcpx), or add `mcpx lint --staged` to it by hand.',
        code: 'E_HOOK_EXISTS',
      });
    }
    if (fs.existsSync(backup)) {
      throw new UserError(`${backup} already exists; mcpx will not overwrite an earlier backup.`, {hint: 'Move or merge it by hand, then run the install again.', code: 'E_HOOK_EXISTS'});
    }
    await fs.promises.rename(hookFile, backup);
    action = 'chained';
  }
  await fs.promises.mkdir(dir, {recursive: true});
  const tmp = `${hookFile}.mcpx-tmp`;
  await fs.promises.writeFile(tmp, hookScript(options), {mode: 0o755});
  await fs.promises.chmod(tmp, 0o755);
  await fs.promises.rename(tmp, hookFile);
  return {hookFile, action, ...(action === 'chained' || fs.existsSync(backup) ? {backup} : {})};
}

/** Remove mcpx's hook and restore a chained one. Throws UserError when the hook is not mcpx's. */
export async function uninstallHook(options: Pick<HookOptions, 'cwd'>): Promise<UninstallResult> {
  const dir = await hooksDir(options.cwd);
  const hookFile = path.join(dir, 'pre-commit');
  const backup = hookFile + BACKUP_SUFFIX;
  const existing = await readIfExists(hookFile);
  if (existing === undefined) return {hookFile, action: 'absent'};
  if (!isOurs(existing)) {
    throw new UserError(`${hookFile} was not written by mcpx; leaving it alone.`, {hint: 'Edit or remove it by hand.', code: 'E_HOOK_FOREIGN'});
  }
  await fs.promises.rm(hookFile);
  if (fs.existsSync(backup)) {
    await fs.promises.rename(backup, hookFile);
    return {hookFile, action: 'restored', restored: backup};
  }
  return {hookFile, action: 'removed'};
}
