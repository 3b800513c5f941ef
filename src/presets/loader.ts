/**
 * Finds, reads and validates presets from three places, in order: the catalog shipped with mcpx
 * (`presets/servers/`), the project (`.mcpx/presets/`), and the user's config dir
 * (`$XDG_CONFIG_HOME/mcpx/presets/`). A later source replaces an earlier preset with the same id
 * and records what it replaced. Every file is validated; a bad file is a UserError naming it.
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {UserError} from '../errors.js';
import {displayPath, mcpxDirs} from '../util/paths.js';
import {didYouMean} from '../util/suggest.js';
import {PRESET_META_KEY, type Preset, type PresetMeta, type PresetSourceKind, type ServerJson} from './types.js';
import {validatePresetDocument} from './validate.js';

export interface LoadPresetsOptions {
  /** Project directory whose `.mcpx/presets/` is read (default: process.cwd()). */
  cwd?: string;
  /** Environment for locating the user's config dir (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Replace the built-in catalog folder (tests). */
  builtinDir?: string;
}

export interface PresetDirectory {
  kind: PresetSourceKind;
  dir: string;
}

let cachedRoot: string | undefined;

/**
 * The mcpx package root: the nearest folder above this module holding mcpx's package.json.
 * Works from `src/` (tests) and from `dist/` or `dist/chunks/` (built). Throws when not found,
 * which only happens in a broken install.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  let firstFound: string | undefined;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      firstFound ??= dir;
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as {name?: string}).name === 'mcpx') return (cachedRoot = dir);
      } catch {
        // An unreadable package.json on the way up is not ours; keep climbing.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (firstFound) return (cachedRoot = firstFound);
  throw new Error(`cannot find the mcpx package root above ${fileURLToPath(import.meta.url)}`);
}

/** The folders presets are read from, lowest precedence first (they need not exist). */
export function presetDirectories(options: LoadPresetsOptions = {}): PresetDirectory[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  return [
    {kind: 'builtin', dir: options.builtinDir ?? path.join(packageRoot(), 'presets', 'servers')},
    {kind: 'project', dir: path.join(cwd, '.mcpx', 'presets')},
    {kind: 'user', dir: path.join(mcpxDirs(env).config, 'presets')},
  ];
}

/**
 * Every preset, sorted by id. Later sources override earlier ones by id (`overrides` lists what
 * was replaced). Throws UserError `E_PRESET_INVALID` (file and fields named) for a file that is
 * not valid JSON or not a valid preset, and `E_PRESET_DUPLICATE` when two files in one folder
 * share an id.
 */
export async function loadPresets(options: LoadPresetsOptions = {}): Promise<Preset[]> {
  const schemaDir = path.join(packageRoot(), 'schemas');
  const byId = new Map<string, Preset>();
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  for (const {kind, dir} of presetDirectories(options)) {
    const seenHere = new Map<string, string>();
    for (const file of listJsonFiles(dir)) {
      const server = await readPresetFile(file, schemaDir, cwd, env);
      const meta = server._meta![PRESET_META_KEY] as PresetMeta;
      const clash = seenHere.get(meta.id);
      if (clash) {
        throw new UserError(`Two presets in ${displayPath(dir, cwd, env)} have the id '${meta.id}': ${path.basename(clash)} and ${path.basename(file)}.`, {
          hint: 'Give each preset file its own id in _meta["dev.mcpx/preset"].id.',
          code: 'E_PRESET_DUPLICATE',
        });
      }
      seenHere.set(meta.id, file);
      const previous = byId.get(meta.id);
      const overrides = previous ? [...previous.overrides, previous.origin] : [];
      byId.set(meta.id, {id: meta.id, meta, server, origin: {kind, file}, overrides});
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * One preset by id. Throws UserError `E_UNKNOWN_PRESET` with "did you mean" suggestions when no
 * preset has that id.
 */
export async function getPreset(id: string, options: LoadPresetsOptions = {}): Promise<Preset> {
  const presets = await loadPresets(options);
  const found = presets.find((p) => p.id === id);
  if (found) return found;
  throw new UserError(`Unknown preset '${id}'.${didYouMean(id, presets.map((p) => p.id))}`, {
    hint: 'Run `mcpx presets list` to see the available presets.',
    code: 'E_UNKNOWN_PRESET',
  });
}

/** Parse and validate one preset file; UserError naming the file and every bad field otherwise. */
export async function readPresetFile(file: string, schemaDir = path.join(packageRoot(), 'schemas'), cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<ServerJson> {
  const shown = displayPath(file, cwd, env);
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`Cannot read preset ${shown}: ${(error as Error).message}`, {
      hint: 'A preset is a JSON file in the MCP registry server.json shape; fix or remove it.',
      code: 'E_PRESET_INVALID',
      cause: error,
    });
  }
  const problems = await validatePresetDocument(doc, schemaDir);
  if (problems.length > 0) {
    const lines = problems.slice(0, 10).map((p) => `  ${p.pointer || '(root)'} ${p.message}`);
    if (problems.length > 10) lines.push(`  … and ${problems.length - 10} more`);
    throw new UserError(`Invalid preset ${shown}:\n${lines.join('\n')}`, {
      hint: 'Fix the fields listed (format: the MCP registry server.json plus mcpx\'s _meta["dev.mcpx/preset"] block; see presets/README.md), or remove the file.',
      code: 'E_PRESET_INVALID',
    });
  }
  return doc as ServerJson;
}

function listJsonFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => path.join(dir, n));
}
