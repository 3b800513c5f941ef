/**
 * Readers and writers shared by the many clients that use the Claude Desktop shape:
 * `{ "<map>": { "<name>": { command, args, env, cwd } | { url, headers, type } } }`.
 */
import type {ConfigDocument, JsonPath} from '../config/types.js';
import type {ClientId, ServerEntry, ServerField, ServerSpec, Transport} from '../model.js';

export interface MapShape {
  /** Keys that may hold the remote URL, first found wins (Windsurf `serverUrl`, Gemini `httpUrl`). */
  urlKeys?: string[];
  /** Key of the headers object (Codex `http_headers`). */
  headersKey?: string;
  /** Key that says the transport (`type`, `transport`). */
  typeKey?: string;
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

function transportOf(raw: Record<string, unknown>, typeKey: string, url: string | undefined, urlKey?: string): Transport {
  const t = String(raw[typeKey] ?? '').toLowerCase();
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
    transport: transportOf(raw, shape.typeKey ?? 'type', url, urlKey),
    enabled: !(shape.disabledKey && raw[shape.disabledKey] === true) && !(shape.enabledKey && raw[shape.enabledKey] === false),
  };
  if (url !== undefined) entry.url = url;
  if (typeof raw.command === 'string') {
    entry.command = raw.command;
    fields.command = [...pointer, 'command'];
  }
  if (Array.isArray(raw.args)) {
    entry.args = raw.args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
    fields.args = [...pointer, 'args'];
  }
  const env = stringMap(raw[envKey]);
  if (env) {
    entry.env = env;
    fields.env = [...pointer, envKey];
  }
  if (typeof raw.cwd === 'string') {
    entry.cwd = raw.cwd;
    fields.cwd = [...pointer, 'cwd'];
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

/** Shape problems of a servers map (it must be an object of objects). */
export function validateServerMap(doc: ConfigDocument, mapPath: JsonPath, required = false): Array<{message: string; path: JsonPath}> {
  const map = getIn(doc.value, mapPath);
  const label = mapPath.join('.');
  if (map === undefined) return required ? [{message: `"${label}" is missing`, path: []}] : [];
  if (!isRecord(map)) return [{message: `"${label}" must be an object mapping server names to server entries, not ${describe(map)}`, path: mapPath}];
  const problems: Array<{message: string; path: JsonPath}> = [];
  for (const [name, raw] of Object.entries(map)) {
    if (!isRecord(raw)) {
      problems.push({message: `server "${name}" must be an object, not ${describe(raw)}`, path: [...mapPath, name]});
      continue;
    }
    const hasCommand = typeof raw.command === 'string' || isRecord(raw.command);
    const hasUrl = ['url', 'serverUrl', 'httpUrl'].some((k) => typeof raw[k] === 'string');
    if (!hasCommand && !hasUrl) problems.push({message: `server "${name}" has neither "command" nor "url"`, path: [...mapPath, name]});
    if (raw.args !== undefined && !Array.isArray(raw.args)) problems.push({message: `server "${name}": "args" must be an array`, path: [...mapPath, name, 'args']});
    if (raw.env !== undefined && !isRecord(raw.env)) problems.push({message: `server "${name}": "env" must be an object`, path: [...mapPath, name, 'env']});
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
