/**
 * Finds the MCP config files to lint: every client's project files below each directory given
 * (skipping node_modules, .git and vendor folders, never following symlinked folders, so links
 * cannot loop), explicitly named files of any name, and with `user` the user-scope files of
 * every client for this OS. fast-glob is loaded only when a directory must be searched.
 */
import fs from 'node:fs';
import path from 'node:path';
import {BACKUP_SUFFIXES, CLIENTS, clientPatterns, suffixSource} from '../clients/index.js';
import {describeFsError} from '../clients/load.js';
import type {PathContext} from '../clients/types.js';
import type {FileError} from './types.js';

export const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/vendor/**', '**/third_party/**', '**/bower_components/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**', '**/dist/**', '**/build/**', '**/.cache/**'];

/** Why a file is read: named on the command line, a known name, an MCP shape, a --user file. */
export type TargetReason = 'named' | 'known-name' | 'mcp-shape' | 'user';

export interface Target {
  file: string;
  /** Named on the command line (lint it whatever its name) rather than found by searching. */
  explicit: boolean;
  why: TargetReason;
  /**
   * For `mcp-shape` files: the text names a key only MCP configs use (`mcpServers`,
   * `context_servers`, `mcp_servers`, `mcp.servers`), so a parse error is worth reporting. Files
   * found by a looser key (`servers`, `extensions`) are dropped quietly unless they parse into
   * servers with a command or a URL.
   */
  strongShape?: boolean;
}

/**
 * Whether a loaded target is linted: always, except a file found only by its shape, which must
 * parse into at least one server with a command or a URL (under a loose key, a URL with an MCP
 * transport `type`), or, when it does not parse, name a key only MCP configs use. Lint, `secrets move` and `import` all apply it.
 */
export function keepTarget(target: Target, loaded: {parseError?: unknown; servers: ReadonlyArray<{command?: string; url?: string; raw?: Record<string, unknown>}>}): boolean {
  if (target.why !== 'mcp-shape') return true;
  if (loaded.parseError) return target.strongShape === true;
  // `servers:` / `extensions:` maps are common outside MCP (inventories, editor settings): there a
  // URL counts only beside an MCP transport type, as VS Code and Goose write them.
  return loaded.servers.some((s) => s.command !== undefined || (s.url !== undefined && (target.strongShape === true || MCP_TRANSPORT.test(String(s.raw?.type ?? '')))));
}

const MCP_TRANSPORT = /^(?:http|sse|streamable[-_]?http)$/i;

/** What a search skipped, for --verbose. */
export interface SkippedFile {
  file: string;
  reason: string;
}

export interface DiscoveryOptions {
  cwd: string;
  user: boolean;
  ctx: PathContext;
  /** Extra glob patterns to skip (from the project config). */
  ignore?: string[];
  /** Also open files of other names below searched folders and keep those with an MCP shape (lint: on). */
  content?: boolean;
  /**
   * Treat named files like files found by a search (pre-commit's `pass_filenames`, the git
   * hook's staged files): a known config name is linted, another JSON/TOML/YAML file only when
   * its content has an MCP shape, anything else is skipped quietly.
   */
  namedAsFound?: boolean;
}

/**
 * Names that several clients use for their own file (e.g. `mcp_config.json` of Windsurf-like
 * clients such as `.antigravitycli/`), linted wherever they sit with the client picked by the
 * content's shape.
 */
export const GENERIC_NAMES = ['mcp.json', 'mcp_config.json', 'mcp-config.json', 'mcp_servers.json', 'mcp-servers.json'];

/**
 * Relative patterns of every file discovery looks for below a searched folder, deduplicated:
 * every client's project files and home layouts, the generic names, and backup copies of each
 * (`.claude.json.bak`, `mcp.json.orig`, `mcp_config.json~`). The git hook matches staged paths
 * against the same list.
 */
export function projectPatterns(): string[] {
  const base = [...new Set([...CLIENTS.flatMap(clientPatterns), ...GENERIC_NAMES])];
  return [...base, ...base.flatMap((p) => BACKUP_SUFFIXES.map((suffix) => p + suffix))];
}

/** Content discovery reads candidates up to this size; an MCP config is far smaller. */
export const CONTENT_MAX_BYTES = 256 * 1024;
/** At most this many files of other names are opened per search (a huge tree stays bounded). */
const CONTENT_MAX_FILES = 20_000;
const CONTENT_EXTENSIONS = ['json', 'jsonc', 'json5', 'toml', 'yaml', 'yml'];
/** Copies set aside by hand (`mcp.json.disabled`), opened like the others when their shape is MCP. */
const CONTENT_COPY_SUFFIXES = ['.disabled', '.off', '.example'];
/** Files of these names are never MCP client configs (manifests, lock files, tool settings). */
const NOT_MCP = /(?:^|\/)(?:package(?:-lock)?\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|composer\.(?:json|lock)|Cargo\.(?:toml|lock)|pyproject\.toml|poetry\.lock|Pipfile\.lock|[tj]sconfig(?:\.[\w.-]+)?\.json|\.eslintrc\.json|\.prettierrc(?:\.json)?|renovate\.json|lerna\.json|turbo\.json|nx\.json|project\.json|angular\.json|\.babelrc(?:\.json)?|[\w.-]+\.min\.json|[\w.-]+\.(?:schema|lock)\.json|openapi\.(?:json|ya?ml)|swagger\.(?:json|ya?ml)|docker-compose\.ya?ml|compose\.ya?ml|\.gitlab-ci\.yml|\.github\/workflows\/[^/]+)$/;
/** Keys only MCP configs use; a file whose text names none of them (and no weaker key) is not read further. */
const STRONG_KEYS = /mcpServers|context_servers|mcp_servers|mcp\.servers|"mcp"\s*:\s*\{/;
/** Words one of which every key of STRONG_KEYS and WEAK_KEYS contains (a byte-level pre-filter). */
const SHAPE_WORDS = ['mcpServers', '"mcp"', 'servers', 'extensions'];
/** `servers` / `extensions` holding a map (JSON `"servers": {`, YAML `servers:` then a line, TOML `[servers.x]`). */
// `[ \t]*` after `^`, not `\s*`: with the m flag `^` already stands at every line start, and `\s`
// crossing newlines made a run of blank lines take quadratic time (256 KB of them: minutes).
const WEAK_KEYS = /["']?(?:servers|extensions)["']?\s*:\s*\{|^[ \t]*(?:servers|extensions):[ \t]*\r?$|^[ \t]*\[(?:servers|extensions)\./m;
/** …and a server field beside it. */
const SERVER_FIELD = /["']?(?:command|cmd|url|uri|serverUrl|httpUrl)["']?\s*[:=]/;

/**
 * The content pre-filter: undefined when the text has no MCP key, else whether the key is one
 * only MCP configs use. Substring checks, so the tree's other JSON/YAML/TOML files cost one read.
 */
export function mcpShapeHint(text: string): {strong: boolean} | undefined {
  if (STRONG_KEYS.test(text)) return {strong: true};
  // The plain substring first: most files name neither key, and the regular expression's
  // line-start alternatives cost a pass over every line.
  if (!text.includes('servers') && !text.includes('extensions')) return undefined;
  return WEAK_KEYS.test(text) && SERVER_FIELD.test(text) ? {strong: false} : undefined;
}

/** A file name content discovery opens: a JSON/JSONC/TOML/YAML file or a `.disabled`-style copy of one. */
const CONTENT_NAME = new RegExp(`\\.(?:${CONTENT_EXTENSIONS.join('|')})(?:${CONTENT_COPY_SUFFIXES.map((s) => s.replace('.', '\\.')).join('|')})?$`, 'i');

/**
 * Whether a (relative or absolute) path is one content discovery would open to look for an MCP
 * shape: a candidate extension, not a manifest or lock file. Known config names are not
 * candidates (isDiscoverable covers them).
 */
export function isContentCandidate(file: string): boolean {
  const rel = file.split(path.sep).join('/');
  return CONTENT_NAME.test(rel) && !NOT_MCP.test(rel);
}

let matcher: RegExp | undefined;

/** Is this (relative or absolute) path one discovery looks for? One compiled expression for all patterns. */
export function isDiscoverable(file: string): boolean {
  matcher ??= new RegExp('(^|/)(?:' + projectPatterns().map(suffixSource).join('|') + ')$');
  return matcher.test(file.split(path.sep).join('/'));
}

/**
 * The fast-glob patterns that select the candidates by file name (isDiscoverable then decides),
 * and with `content` every JSON/JSONC/TOML/YAML file and its `.disabled`-style copies, whose
 * text is then checked for an MCP shape. One walk of the tree for all of them.
 */
function globPatterns(content: boolean): string[] {
  const names = [...new Set([...CLIENTS.flatMap(clientPatterns), ...GENERIC_NAMES].map((p) => p.split('/').pop()!))];
  const group = `{${names.join(',')}}`;
  const out = [`**/${group}`, `**/${group}{${BACKUP_SUFFIXES.join(',')}}`];
  if (content) out.push(`**/*.{${CONTENT_EXTENSIONS.join(',')}}`, `**/*.{${CONTENT_EXTENSIONS.join(',')}}{${CONTENT_COPY_SUFFIXES.join(',')}}`);
  return out;
}

/**
 * The files of other names whose text has an MCP key, with how sure that is. Reads each
 * candidate (at most CONTENT_MAX_BYTES, CONTENT_MAX_FILES of them), a few at a time.
 */
function contentCandidates(files: string[], skipped: SkippedFile[]): Array<{file: string; strong: boolean}> {
  const out: Array<{file: string; strong: boolean}> = [];
  for (const f of files.slice(CONTENT_MAX_FILES)) skipped.push({file: f, reason: `more than ${CONTENT_MAX_FILES} candidate files: not opened`});
  // Synchronous reads into one buffer: for many small files this is far cheaper than a promise
  // (and a thread-pool round trip) per open, stat, read and close.
  const buf = Buffer.allocUnsafe(CONTENT_MAX_BYTES + 1);
  const flags = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);
  for (const file of files.slice(0, CONTENT_MAX_FILES)) {
    let fd: number | undefined;
    let n = 0;
    try {
      fd = fs.openSync(file, flags);
      // A regular file's size says it is over the cap without reading it; anything else (a FIFO,
      // a device behind a symlink) is read up to one byte past the cap.
      const st = fs.fstatSync(fd);
      if (st.isFile() && st.size > CONTENT_MAX_BYTES) n = CONTENT_MAX_BYTES + 1;
      else for (let r = 1; r > 0 && n < buf.length; n += r) r = fs.readSync(fd, buf, n, buf.length - n, n);
    } catch {
      continue;
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    if (n > CONTENT_MAX_BYTES) {
      skipped.push({file, reason: `larger than ${CONTENT_MAX_BYTES / 1024} KB: not opened to look for an MCP shape`});
      continue;
    }
    // Every key mcpShapeHint looks for holds one of these words: most files are passed over
    // on their bytes, without being decoded to a string.
    const window = buf.subarray(0, n);
    const hint = SHAPE_WORDS.some((w) => window.includes(w)) ? mcpShapeHint(window.toString('utf8')) : undefined;
    if (hint) out.push({file, strong: hint.strong});
    else skipped.push({file, reason: 'no MCP shape'});
  }
  return out;
}

/**
 * The paths to search when none are named: the current folder, also with `--user` (which adds
 * the home-folder configs to the project, it does not replace it). Lint, `secrets move` and
 * `import` all use this.
 */
export function defaultPaths(paths: string[] | undefined): string[] {
  return paths && paths.length > 0 ? paths : ['.'];
}

export async function discover(paths: string[], options: DiscoveryOptions): Promise<{targets: Target[]; errors: FileError[]; skipped: SkippedFile[]}> {
  const targets: Target[] = [];
  const errors: FileError[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  const add = (file: string, why: TargetReason, strongShape?: boolean) => {
    const abs = path.resolve(options.cwd, file);
    if (seen.has(abs)) return;
    seen.add(abs);
    targets.push({file: abs, explicit: why === 'named', why, ...(strongShape !== undefined ? {strongShape} : {})});
  };
  const dirs: string[] = [];
  const namedOthers: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(options.cwd, p);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(abs);
    } catch (error) {
      errors.push({file: abs, message: describeFsError(error, abs)});
      continue;
    }
    // A folder named like a config file (`mcp.json/`) is a mistake, not a tree to search.
    if (stat.isDirectory() && /\.(json|jsonc|json5|toml|ya?ml)$/i.test(abs)) errors.push({file: abs, message: `${abs}: is a directory, not a config file`});
    else if (stat.isDirectory()) dirs.push(abs);
    else if (!options.namedAsFound || isDiscoverable(abs)) add(abs, options.namedAsFound ? 'known-name' : 'named');
    else if (isContentCandidate(abs)) namedOthers.push(abs);
    else skipped.push({file: abs, reason: 'not a config name, nor a JSON/TOML/YAML file'});
  }
  if (namedOthers.length > 0) for (const c of contentCandidates(namedOthers, skipped)) add(c.file, 'mcp-shape', c.strong);
  if (dirs.length > 0) {
    const {default: fg} = await import('fast-glob');
    const patterns = globPatterns(options.content ?? false);
    for (const dir of dirs) {
      const found = await fg(patterns, {
        cwd: dir,
        absolute: true,
        dot: true,
        onlyFiles: true,
        followSymbolicLinks: false,
        suppressErrors: true,
        unique: true,
        ignore: [...DEFAULT_IGNORES, ...(options.ignore ?? [])],
      });
      const others: string[] = [];
      for (const f of found.sort()) {
        const rel = path.relative(dir, f);
        if (isDiscoverable(rel)) add(f, 'known-name');
        else if (options.content && isContentCandidate(rel)) others.push(f);
      }
      if (others.length > 0) for (const c of contentCandidates(others, skipped)) add(c.file, 'mcp-shape', c.strong);
    }
  }
  if (options.user) {
    for (const client of CLIENTS) {
      for (const file of client.userFiles(options.ctx)) {
        // The file itself, and the copies left beside it (`~/.claude.json.bak`, `mcp.json~`).
        for (const candidate of [file, ...BACKUP_SUFFIXES.map((suffix) => file + suffix)]) if (fs.existsSync(candidate)) add(candidate, 'user');
      }
    }
    // Claude Code keeps timestamped copies of ~/.claude.json, secrets included.
    const backups = path.join(options.ctx.home, '.claude', 'backups');
    let names: string[] = [];
    try {
      names = await fs.promises.readdir(backups);
    } catch {
      // none
    }
    for (const name of names.sort()) if (name.startsWith('.claude.json.backup')) add(path.join(backups, name), 'user');
  }
  return {targets, errors, skipped};
}

