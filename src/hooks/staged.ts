/**
 * The staged side of `mcpx lint --staged`: lists the MCP config files staged for commit
 * (`git diff --cached --name-only --diff-filter=ACM`) and copies their STAGED content (the
 * index, not the working tree) into a private temporary folder, with the same relative paths,
 * so the engine can lint exactly what would be committed.
 */
import {execFile} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {matchesSuffix} from '../clients/index.js';
import {UserError} from '../errors.js';
import {isContentCandidate, isDiscoverable} from '../lint/discovery.js';

const run = promisify(execFile);

export interface StagedCopy {
  /** The work tree's top folder. */
  root: string;
  /** Temporary folder holding the staged copies (mode 0700); remove with `cleanup`. */
  tmp: string;
  /** Root-relative, `/`-separated paths of the staged config files. */
  files: string[];
  cleanup(): Promise<void>;
}

async function git(args: string[], cwd: string): Promise<string> {
  try {
    const {stdout} = await run('git', args, {cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8'});
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {stderr?: string};
    if (e.code === 'ENOENT') throw new UserError('git is not installed or not on PATH.', {hint: 'Install git, or lint files by name instead of --staged.', code: 'E_GIT'});
    throw new UserError(`git ${args[0]} failed: ${(e.stderr ?? e.message).trim()}`, {hint: 'Run --staged inside a git work tree.', code: 'E_GIT'});
  }
}

/** Is this root-relative path one of the client config files lint looks for? */
export function isConfigPath(rel: string, patterns?: readonly string[]): boolean {
  return patterns ? patterns.some((p) => matchesSuffix(rel, p)) : isDiscoverable(rel);
}

/** Copy the staged config files out of the index. Throws UserError outside a git work tree. */
export async function copyStagedConfigs(cwd: string, extraNames: (rel: string) => boolean = () => false): Promise<StagedCopy> {
  const root = (await git(['rev-parse', '--show-toplevel'], cwd)).trim();
  const listed = (await git(['diff', '--cached', '--name-only', '--diff-filter=ACM', '-z'], root)).split('\0').filter(Boolean);
  // Known config names, and the JSON/TOML/YAML files lint then keeps only when their content has an MCP shape.
  const files = listed.filter((rel) => isConfigPath(rel) || isContentCandidate(rel) || extraNames(rel));
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'mcpx-staged-'));
  const cleanup = () => fs.promises.rm(tmp, {recursive: true, force: true});
  try {
    // checkout-index writes the index's version of each file under the prefix; the working tree is untouched.
    if (files.length > 0) await git(['checkout-index', `--prefix=${tmp}${path.sep}`, '--', ...files], root);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {root, tmp, files, cleanup};
}
