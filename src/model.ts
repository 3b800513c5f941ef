/**
 * The neutral model every feature works on. Only `clients/` and `config/` know file formats;
 * rules, `secrets move`, `init` and `serve` see ServerEntry values.
 */
import type {ConfigDocument, JsonPath, SourceRange} from './config/types.js';

export const CLIENT_IDS = [
  'claude-code',
  'claude-desktop',
  'cursor',
  'vscode',
  'windsurf',
  'zed',
  'cline',
  'roo',
  'kiro',
  'gemini',
  'codex',
  'continue',
  'goose',
  'lmstudio',
  'junie',
  'mcpx',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

export type Transport = 'stdio' | 'http' | 'sse';

/** The neutral fields of a server entry. */
export type ServerField = 'command' | 'args' | 'env' | 'cwd' | 'url' | 'headers';

/** A server in neutral form, as written by init/add (no location yet). */
export interface ServerSpec {
  name: string;
  transport: Transport;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}

/** A server read from a client's config file, with the way back to its source. */
export interface ServerEntry extends ServerSpec {
  client: ClientId;
  /** Absolute path of the file it came from. */
  file: string;
  /** Where the entry's object sits in the document, e.g. ['mcpServers', 'github']. */
  pointer: JsonPath;
  /** The native path of each neutral field present (Windsurf's `serverUrl` is `url`, Codex's `http_headers` is `headers`...). */
  fields: Partial<Record<ServerField, JsonPath>>;
  /** The entry's native object, untouched. */
  raw: Record<string, unknown>;
  /** False when the client marks the server disabled (still linted: a disabled entry still holds its secret). */
  enabled: boolean;
}

/**
 * Where a neutral field (and optional sub-path: an env key, an arg index) sits in the file.
 * Falls back to the nearest enclosing value that has a range, then to the entry itself.
 */
export function locate(doc: ConfigDocument, entry: ServerEntry, field?: ServerField, ...rest: (string | number)[]): SourceRange | undefined {
  const base = field ? entry.fields[field] : undefined;
  const full: (string | number)[] = base ? [...base, ...rest] : [...entry.pointer];
  for (let n = full.length; n >= 0; n--) {
    const r = doc.rangeOf(full.slice(0, n));
    if (r) return r;
  }
  return undefined;
}

/** The native JSON path of a neutral field and sub-path (for pointers in reports and baselines). */
export function nativePath(entry: ServerEntry, field?: ServerField, ...rest: (string | number)[]): JsonPath {
  const base = field ? entry.fields[field] : undefined;
  return base ? [...base, ...rest] : [...entry.pointer];
}
