/**
 * Readers, validators and writers shared by the many clients that use the Claude Desktop shape
 * `{ "<map>": { "<name>": { command, args, env, cwd } | { url, headers, type } } }` (with native
 * key names configurable per client), and the per-OS folders several clients share.
 */
import path from 'node:path';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import type {ClientId, ServerEntry, ServerField, ServerSpec, Transport} from '../model.js';
import type {PathContext} from './types.js';

export interface MapShape {
  /** Keys that may hold the remote URL, first found wins (Windsurf `serverUrl`, Gemini `httpUrl`). */
  urlKeys?: string[];
  /** Key of the headers object (Codex `http_headers`). */
  headersKey?: string;
  /** Key that says the transport (`type`, `transport`). */
  typeKey?: string;
  /** Further keys that may say the transport when `typeKey` is absent (Cline's older `transportType`). */
  typeKeys?: string[];
  /** Key of the command (Goose `cmd`). */
  commandKey?: string;
  /** Key of the argument list. */
  argsKey?: string;
  /** Key of the working directory (Junie `workingDirectory`). */
  cwdKey?: string;
  /** Key of the environment map. */
  envKey?: string;
  /** Key that disables an entry when true (`disabled`) or false (`enabled`). */
  disabledKey?: string;
  enabledKey?: string;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Follow `path` through plain data; undefined when any step is missing. */
export function getIn(value: unknown, path: JsonPath): unknown {
  let cur: unknown = value;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isRecord(cur) && typeof p === 'string') cur = cur[p];
    else return undefined;
  }
  return cur;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
}

/** The neutral transport for a native type value; undefined for values no client uses. */
export function transportFromType(type: unknown): Transport | undefined {
  const t = String(type ?? '').toLowerCase();
  if (t === 'sse') return 'sse';
  if (t === 'http' || t === 'streamable-http' || t === 'streamablehttp' || t === 'streamable_http' || t === 'streamable') return 'http';
  if (t === 'stdio' || t === 'local' || t === 'command') return 'stdio';
  return undefined;
}

function transportOf(raw: Record<string, unknown>, typeKeys: string[], url: string | undefined, urlKey?: string): Transport {
  const typeKey = typeKeys.find((k) => raw[k] !== undefined);
  const t = typeKey ? String(raw[typeKey]).toLowerCase() : '';
  if (t === 'sse') return 'sse';
  if (t === 'http' || t === 'streamable-http' || t === 'streamablehttp' || t === 'streamable_http' || urlKey === 'httpUrl') return 'http';
  if (t === 'stdio') return 'stdio';
  if (url) return /\/sse\/?(\?|$)/.test(url) ? 'sse' : 'http';
  return 'stdio';
}

/** Read one native entry object (at `pointer`) into a ServerEntry. */
export function readEntry(
  client: ClientId,
  doc: ConfigDocument,
  name: string,
  raw: Record<string, unknown>,
  pointer: JsonPath,
  shape: MapShape = {},
): ServerEntry {
  const urlKeys = shape.urlKeys ?? ['url', 'serverUrl', 'httpUrl'];
  const headersKey = shape.headersKey ?? 'headers';
  const envKey = shape.envKey ?? 'env';
  const fields: Partial<Record<ServerField, JsonPath>> = {};
  const urlKey = urlKeys.find((k) => typeof raw[k] === 'string');
  const url = urlKey ? (raw[urlKey] as string) : undefined;
  if (urlKey) fields.url = [...pointer, urlKey];
  const entry: ServerEntry = {
    name,
    client,
    file: doc.file,
    pointer,
    fields,
    raw,
    transport: transportOf(raw, [shape.typeKey ?? 'type', ...(shape.typeKeys ?? [])], url, urlKey),
    enabled: !(shape.disabledKey && raw[shape.disabledKey] === true) && !(shape.enabledKey && raw[shape.enabledKey] === false),
  };
  if (url !== undefined) entry.url = url;
  const commandKey = shape.commandKey ?? 'command';
  const argsKey = shape.argsKey ?? 'args';
  const cwdKey = shape.cwdKey ?? 'cwd';
  const command = raw[commandKey];
  if (typeof command === 'string') {
    entry.command = command;
    fields.command = [...pointer, commandKey];
  }
  const args = raw[argsKey];
  if (Array.isArray(args)) {
    entry.args = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
    fields.args = [...pointer, argsKey];
  }
  const env = stringMap(raw[envKey]);
  if (env) {
    entry.env = env;
    fields.env = [...pointer, envKey];
  }
  const cwd = raw[cwdKey];
  if (typeof cwd === 'string') {
    entry.cwd = cwd;
    fields.cwd = [...pointer, cwdKey];
  }
  const headers = stringMap(raw[headersKey]);
  if (headers) {
    entry.headers = headers;
    fields.headers = [...pointer, headersKey];
  }
  return entry;
}

/** Read every entry of a `{name: {...}}` map at `mapPath`; non-object entries are skipped. */
export function readServerMap(client: ClientId, doc: ConfigDocument, mapPath: JsonPath, shape: MapShape = {}): ServerEntry[] {
  const map = getIn(doc.value, mapPath);
  if (!isRecord(map)) return [];
  const out: ServerEntry[] = [];
  for (const [name, raw] of Object.entries(map)) {
    if (isRecord(raw)) out.push(readEntry(client, doc, name, raw, [...mapPath, name], shape));
  }
  return out;
}

export type Problem = {message: string; path: JsonPath};

/** What `validateEntry` accepts: the native keys of one client's entries. */
export interface EntryRules {
  /** Keys that may hold the command (Goose `cmd`); a Zed-style `{path}` object also counts. */
  commandKeys?: string[];
  urlKeys?: string[];
  envKey?: string;
  argsKey?: string;
  headersKey?: string;
  typeKey?: string;
  /** Accepted values of `typeKey` (case-sensitive, as the client reads them); omitted: any. */
  types?: string[];
}

/** Shape problems of one entry object (already known to be an object). */
export function validateEntry(name: string, raw: Record<string, unknown>, at: JsonPath, rules: EntryRules = {}): Problem[] {
  const problems: Problem[] = [];
  const commandKeys = rules.commandKeys ?? ['command'];
  const urlKeys = rules.urlKeys ?? ['url', 'serverUrl', 'httpUrl'];
  const argsKey = rules.argsKey ?? 'args';
  const envKey = rules.envKey ?? 'env';
  const headersKey = rules.headersKey ?? 'headers';
  const typeKey = rules.typeKey ?? 'type';
  const hasCommand = commandKeys.some((k) => typeof raw[k] === 'string' || isRecord(raw[k]));
  const hasUrl = urlKeys.some((k) => typeof raw[k] === 'string');
  if (!hasCommand && !hasUrl) problems.push({message: `server "${name}" has neither "${commandKeys[0]}" nor "${urlKeys[0]}"`, path: at});
  for (const k of [...commandKeys, ...urlKeys]) {
    if (raw[k] !== undefined && typeof raw[k] !== 'string' && !(k === 'command' && isRecord(raw[k]))) {
      problems.push({message: `server "${name}": "${k}" must be a string, not ${describe(raw[k])}`, path: [...at, k]});
    }
  }
  if (raw[argsKey] !== undefined && !Array.isArray(raw[argsKey])) problems.push({message: `server "${name}": "${argsKey}" must be an array`, path: [...at, argsKey]});
  if (raw[envKey] !== undefined && !isRecord(raw[envKey])) problems.push({message: `server "${name}": "${envKey}" must be an object`, path: [...at, envKey]});
  if (raw[headersKey] !== undefined && !isRecord(raw[headersKey])) problems.push({message: `server "${name}": "${headersKey}" must be an object`, path: [...at, headersKey]});
  const type = raw[typeKey];
  if (type !== undefined && rules.types && !rules.types.includes(String(type))) {
    problems.push({message: `server "${name}": unknown transport ${typeKey} ${JSON.stringify(type)} (expected ${rules.types.map((t) => JSON.stringify(t)).join(', ')})`, path: [...at, typeKey]});
  }
  return problems;
}

/** Shape problems of a servers map (it must be an object of objects). */
export function validateServerMap(doc: ConfigDocument, mapPath: JsonPath, required = false, rules: EntryRules = {}): Problem[] {
  const map = getIn(doc.value, mapPath);
  const label = mapPath.join('.');
  if (map === undefined) return required ? [{message: `"${label}" is missing`, path: []}] : [];
  if (!isRecord(map)) return [{message: `"${label}" must be an object mapping server names to server entries, not ${describe(map)}`, path: mapPath}];
  const problems: Problem[] = [];
  for (const [name, raw] of Object.entries(map)) {
    if (!isRecord(raw)) {
      problems.push({message: `server "${name}" must be an object, not ${describe(raw)}`, path: [...mapPath, name]});
      continue;
    }
    problems.push(...validateEntry(name, raw, [...mapPath, name], rules));
  }
  return problems;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** The Claude Desktop native shape for a spec (most clients accept it as is). */
export function toStandardNative(spec: ServerSpec, opts: {remoteType?: boolean; urlKey?: string; typeValues?: Partial<Record<Transport, string>>} = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.transport === 'stdio') {
    if (opts.remoteType && opts.typeValues?.stdio) out.type = opts.typeValues.stdio;
    out.command = spec.command;
    if (spec.args?.length) out.args = spec.args;
    if (spec.env && Object.keys(spec.env).length > 0) out.env = spec.env;
    if (spec.cwd) out.cwd = spec.cwd;
  } else {
    if (opts.remoteType !== false) out.type = opts.typeValues?.[spec.transport] ?? spec.transport;
    out[opts.urlKey ?? 'url'] = spec.url;
    if (spec.headers && Object.keys(spec.headers).length > 0) out.headers = spec.headers;
  }
  return out;
}

/** `$XDG_CONFIG_HOME` or `~/.config` (Linux and the XDG-following tools on macOS). */
export function xdgConfigHome({home, env}: PathContext): string {
  return env.XDG_CONFIG_HOME || path.join(home, '.config');
}

/** `%APPDATA%` on Windows, with the usual default when the variable is missing. */
export function appData({home, env}: PathContext): string {
  return env.APPDATA || path.join(home, 'AppData', 'Roaming');
}

/** VS Code and its forks: their names on disk, for the per-user `User` folder. */
export const VSCODE_FAMILY = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'] as const;

/** The `User` folder of a VS Code-family editor (`app` as on disk, e.g. 'Code', 'Code - Insiders'). */
export function editorUserDir(ctx: PathContext, app: string): string {
  if (ctx.platform === 'darwin') return path.join(ctx.home, 'Library', 'Application Support', app, 'User');
  if (ctx.platform === 'win32') return path.join(appData(ctx), app, 'User');
  return path.join(xdgConfigHome(ctx), app, 'User');
}

/** A VS Code extension's settings file in every VS Code-family editor's globalStorage. */
export function globalStorageFiles(ctx: PathContext, extensionId: string, file: string): string[] {
  return VSCODE_FAMILY.map((app) => path.join(editorUserDir(ctx, app), 'globalStorage', extensionId, 'settings', file));
}
