/**
 * mcpx's own config file (`mcpServers` + `options`) for `mcpx serve`: locate, parse (JSONC, with
 * line:column on syntax errors), validate against the shipped JSON Schema and return typed,
 * still-unresolved server configs. A problem in one server entry fails that server only; a
 * problem with the file as a whole is a ConfigError. Pure apart from reading the file.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
// json.js directly, not parse.js's parseDocument(text, 'jsonc', file): same parser and errors,
// without loading the YAML and TOML parsers (~370 KB) on every `mcpx serve` start.
import {parseJson} from '../config/json.js';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import {UserError} from '../errors.js';
import type {ServerSpec, Transport} from '../model.js';
import type {NewServersMode, PinningMode, ScanMode} from '../trust/hold.js';
import {displayPath, mcpxDirs} from '../util/paths.js';
import {stableJson} from '../util/stable-json.js';

export type ServeMode = 'search' | 'direct';
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface ServeOptions {
  mode: ServeMode;
  /** Default per-call timeout, ms. */
  timeout: number;
  /** Default start-up (spawn + initialize) timeout, ms. */
  startupTimeout: number;
  cache: boolean;
  /** Seconds after which a cached catalog is refreshed in the background at start. */
  cacheMaxAge: number;
  searchLimit: number;
  logLevel: LogLevel;
  logFile?: string;
  /** The audit log (docs/logs.md). */
  log?: AuditLogOptions;
  /** OpenTelemetry traces and metrics (docs/telemetry.md); also on when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  telemetry?: TelemetryOptions;
  /** Tool pinning (docs/pinning.md): hold new and changed tools, only warn, or pin nothing. */
  pinning: PinningMode;
  /** A server with no pins yet: trust its tools on first use, or hold them all for review. */
  newServers: NewServersMode;
  /** A tool the poisoning rules flag (error level) when first seen: hold it, only warn, or do not scan. */
  scan: ScanMode;
}

export interface AuditLogOptions {
  /** Default true. */
  enabled?: boolean;
  maxBytes?: number;
  maxFiles?: number;
  /** Delete rotated files older than this (default 30). */
  maxAgeDays?: number;
  /** Log argument values and results, masked and truncated (default false). */
  payloads?: boolean;
}

export interface TelemetryOptions {
  /** Default true when the block (or OTEL_EXPORTER_OTLP_ENDPOINT) is there; false turns telemetry off. */
  enabled?: boolean;
  /** OTLP/HTTP base URL (`/v1/traces` and `/v1/metrics` are added); default the OTEL_EXPORTER_OTLP_* variables, else http://localhost:4318. */
  endpoint?: string;
  /** Headers sent with every export; values may hold `${VAR}` references. */
  headers?: Record<string, string>;
}

/** One upstream as configured: values still hold their `${VAR}` references. */
export interface ServerConfig extends ServerSpec {
  /** OAuth settings shared with `mcpx auth` (used when tokens from `mcpx auth login` are refreshed). */
  oauth?: ServerOAuthSettings;
  enabled: boolean;
  timeout: number;
  startupTimeout: number;
  allowTools?: string[];
  denyTools?: string[];
  /** Pinning policy for this server (its own settings, else the global options; absent: the defaults). */
  pinning?: PinningMode;
  newServers?: NewServersMode;
  scan?: ScanMode;
  /**
   * Hash of the unresolved launch configuration (never of resolved secrets): the catalog cache
   * key, so a changed server never serves stale tools.
   */
  hash: string;
  /** Set when the entry is invalid: the server is reported as failed with this message. */
  error?: string;
}

/** The `oauth` block of a remote server (the same keys `mcpx auth` reads). */
export interface ServerOAuthSettings {
  clientId?: string;
  scopes?: string[];
  callbackPort?: number;
  clientMetadataUrl?: string;
}

export interface ServeConfig {
  file: string;
  servers: ServerConfig[];
  options: ServeOptions;
}

export const DEFAULT_OPTIONS: ServeOptions = {
  mode: 'search',
  timeout: 60_000,
  startupTimeout: 30_000,
  cache: true,
  cacheMaxAge: 86_400,
  searchLimit: 8,
  logLevel: 'info',
  pinning: 'hold',
  newServers: 'trust',
  scan: 'hold',
};

/** A config file that cannot be used at all (missing, malformed, wrong shape). */
export class ConfigError extends UserError {
  constructor(message: string, hint: string, cause?: unknown) {
    super(message, {code: 'E_CONFIG', hint, cause});
    this.name = 'ConfigError';
  }
}

/** `--config` / `MCPX_CONFIG` / `<mcpx config dir>/config.json`, in that order. */
export function configPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit || env.MCPX_CONFIG;
  return chosen ? path.resolve(chosen) : path.join(mcpxDirs(env).config, 'config.json');
}

/** Where the shipped schema lives (also usable as `$schema` in editors). */
export function schemaPath(): string {
  return fileURLToPath(new URL('../../schemas/mcpx-config.schema.json', import.meta.url));
}

/**
 * Read and validate the config file. Throws ConfigError when the file is missing, unreadable,
 * malformed (with line:column) or has an invalid top level; invalid server entries come back
 * with `error` set instead.
 */
export async function loadServeConfig(file: string): Promise<ServeConfig> {
  return parseServeConfig(await readServeConfigText(file), file);
}

/** The config file's text; ConfigError when it is missing or unreadable. */
export async function readServeConfigText(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(`No mcpx config at ${displayPath(file)}.`, `Create it with an "mcpServers" object (see docs/serve.md), or pass --config FILE.`, error);
    }
    if (code === 'EISDIR') {
      throw new ConfigError(`${displayPath(file)} is a folder, not an mcpx config file.`, `Pass the file itself: --config ${displayPath(path.join(file, 'config.json'))}`, error);
    }
    const hint = code === 'EACCES' || code === 'EPERM' ? 'Check the file permissions.' : 'Check that the path names a readable file.';
    throw new ConfigError(`Cannot read ${displayPath(file)}: ${(error as Error).message}`, hint, error);
  }
  return text;
}

export interface ConfigPeek {
  /** Names of the servers not marked disabled, in file order. */
  servers: string[];
  options: Partial<ServeOptions>;
  /** The syntax error, when the text does not parse. */
  syntaxError?: ConfigError;
}

/**
 * A best-effort look at config text without validation (never throws): enough to answer the
 * MCP handshake while the full check runs. Options with invalid values are left out.
 */
export function peekServeConfig(text: string, file: string): ConfigPeek {
  try {
    const value = parseJson(text, file, false).value as {mcpServers?: Record<string, {enabled?: unknown; disabled?: unknown}>; options?: Record<string, unknown>};
    const servers = Object.entries(value?.mcpServers ?? {})
      .filter(([, s]) => s && typeof s === 'object' && s.enabled !== false && s.disabled !== true)
      .map(([name]) => name);
    const o = value?.options ?? {};
    const options: Partial<ServeOptions> = {};
    if (o.mode === 'search' || o.mode === 'direct') options.mode = o.mode;
    if (o.logLevel === 'error' || o.logLevel === 'warn' || o.logLevel === 'info' || o.logLevel === 'debug') options.logLevel = o.logLevel;
    if (typeof o.logFile === 'string') options.logFile = path.resolve(path.dirname(file), o.logFile);
    if (typeof o.searchLimit === 'number') options.searchLimit = o.searchLimit;
    if (o.log && typeof o.log === 'object' && !Array.isArray(o.log)) {
      const l = o.log as Record<string, unknown>;
      options.log = {
        ...(typeof l.enabled === 'boolean' ? {enabled: l.enabled} : {}),
        ...(Number.isInteger(l.maxBytes) && (l.maxBytes as number) > 0 ? {maxBytes: l.maxBytes as number} : {}),
        ...(Number.isInteger(l.maxFiles) && (l.maxFiles as number) >= 0 ? {maxFiles: l.maxFiles as number} : {}),
        ...(typeof l.maxAgeDays === 'number' && l.maxAgeDays > 0 ? {maxAgeDays: l.maxAgeDays} : {}),
        ...(typeof l.payloads === 'boolean' ? {payloads: l.payloads} : {}),
      };
    }
    if (o.telemetry && typeof o.telemetry === 'object' && !Array.isArray(o.telemetry)) {
      const t = o.telemetry as Record<string, unknown>;
      const headers = t.headers && typeof t.headers === 'object' && !Array.isArray(t.headers) ? Object.entries(t.headers).filter((e): e is [string, string] => typeof e[1] === 'string') : undefined;
      options.telemetry = {
        ...(typeof t.enabled === 'boolean' ? {enabled: t.enabled} : {}),
        ...(typeof t.endpoint === 'string' ? {endpoint: t.endpoint} : {}),
        ...(headers ? {headers: Object.fromEntries(headers)} : {}),
      };
    }
    return {servers, options};
  } catch (error) {
    const e = error as UserError;
    return {servers: [], options: {}, syntaxError: new ConfigError(e.message, e.hint ?? 'Fix the syntax of the config file.', error)};
  }
}

/** Parse and validate config text (see loadServeConfig for the failure modes). */
export async function parseServeConfig(text: string, file: string): Promise<ServeConfig> {
  let doc: ConfigDocument;
  try {
    doc = parseJson(text, file, false);
  } catch (error) {
    const e = error as UserError;
    throw new ConfigError(e.message, e.hint ?? 'Fix the syntax of the config file.', error);
  }
  const data = doc.value;
  const problems = await validateAgainstSchema(data);
  const perServer = new Map<string, string[]>();
  const global: string[] = [];
  for (const p of problems) {
    const at = where(doc, p.path);
    if (p.path[0] === 'mcpServers' && typeof p.path[1] === 'string') {
      const list = perServer.get(p.path[1]) ?? [];
      list.push(`${p.path.length > 2 ? `field '${fieldName(p.path.slice(2))}': ` : ''}${p.message}${at}`);
      perServer.set(p.path[1], list);
    } else {
      global.push(`${p.path.length ? `'${fieldName(p.path)}': ` : ''}${p.message}${at}`);
    }
  }
  if (global.length > 0) {
    throw new ConfigError(`Invalid mcpx config ${displayPath(file)}: ${global.join('; ')}`, 'Fix the listed fields; the schema is schemas/mcpx-config.schema.json.');
  }
  const root = data as {mcpServers: Record<string, Record<string, unknown>>; options?: Partial<ServeOptions>};
  const options: ServeOptions = {...DEFAULT_OPTIONS, ...(root.options ?? {})};
  if (options.logFile) options.logFile = path.resolve(path.dirname(file), options.logFile);
  const servers = Object.entries(root.mcpServers).map(([name, raw]) => toServer(name, raw, options, perServer.get(name), doc));
  return {file, servers, options};
}

function toServer(name: string, raw: Record<string, unknown>, options: ServeOptions, schemaErrors: string[] | undefined, doc: ConfigDocument): ServerConfig {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const errors = [...(schemaErrors ?? [])];
  let transport: Transport = 'stdio';
  const type = r.type === 'streamable-http' ? 'http' : (r.type as Transport | undefined);
  if (type) transport = type;
  else if (typeof r.url === 'string' && r.command === undefined) transport = 'http';
  if (errors.length === 0) {
    const at = where(doc, ['mcpServers', name]);
    if (transport === 'stdio' && typeof r.command !== 'string') errors.push(`field 'command': required for a stdio server (or give "url" for a remote one)${at}`);
    if (transport !== 'stdio' && typeof r.url !== 'string') errors.push(`field 'url': required for a ${transport} server${at}`);
    if (transport !== 'stdio' && r.command !== undefined) errors.push(`field 'command': not allowed for a ${transport} server${at}`);
    const remoteOnly = (['url', 'headers', 'oauth'] as const).find((k) => r[k] !== undefined);
    if (transport === 'stdio' && remoteOnly) errors.push(`field '${remoteOnly}': not allowed for a stdio server${at}`);
  }
  const launch = {transport, command: r.command, args: r.args, env: r.env, cwd: r.cwd, url: r.url, headers: r.headers};
  const server: ServerConfig = {
    name,
    transport,
    enabled: r.enabled !== false && r.disabled !== true,
    timeout: typeof r.timeout === 'number' ? r.timeout : options.timeout,
    startupTimeout: typeof r.startupTimeout === 'number' ? r.startupTimeout : options.startupTimeout,
    pinning: (r.pinning as PinningMode | undefined) ?? options.pinning,
    newServers: (r.newServers as NewServersMode | undefined) ?? options.newServers,
    scan: (r.scan as ScanMode | undefined) ?? options.scan,
    hash: hashOf({name, ...launch}),
  };
  if (errors.length > 0) {
    server.error = `server '${name}': ${errors.join('; ')}`;
    return server;
  }
  for (const key of ['command', 'args', 'env', 'cwd', 'url', 'headers', 'oauth', 'allowTools', 'denyTools'] as const) {
    if (r[key] !== undefined) (server as unknown as Record<string, unknown>)[key] = r[key];
  }
  return server;
}

/** Stable sha256 over a JSON value with sorted keys. */
export function hashOf(value: unknown): string {
  return createHash('sha256').update(stableJson(value)).digest('hex').slice(0, 32);
}


interface Problem {
  path: (string | number)[];
  message: string;
}

let validatorPromise: Promise<(data: unknown) => Problem[]> | undefined;

async function validateAgainstSchema(data: unknown): Promise<Problem[]> {
  validatorPromise ??= (async () => {
    const schema = JSON.parse(await fs.promises.readFile(schemaPath(), 'utf8')) as Record<string, unknown>;
    const AjvClass = await loadAjv();
    const ajv = new AjvClass({allErrors: true, strict: false});
    const validate = ajv.compile(schema);
    return (value: unknown) => {
      if (validate(value)) return [];
      // A propertyNames failure comes twice: the inner error (with `propertyName`) is dropped.
      return (validate.errors ?? []).filter((e) => e.propertyName === undefined).map(toProblem);
    };
  })();
  return (await validatorPromise)(data);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  propertyName?: string;
}
type AjvCtor = new (opts: Record<string, unknown>) => {compile(schema: unknown): ((data: unknown) => boolean) & {errors?: AjvError[] | null}};

/** ajv, imported lazily (it is heavy and only needed here). */
export async function loadAjv(draft: '07' | '2020' = '07'): Promise<AjvCtor> {
  const mod = (draft === '2020' ? await import('ajv/dist/2020.js') : await import('ajv')) as unknown as {default: AjvCtor & {default?: AjvCtor}};
  return mod.default.default ?? mod.default;
}

function toProblem(e: AjvError): Problem {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  switch (e.keyword) {
    case 'additionalProperties':
      return {path: [...path, String(e.params.additionalProperty)], message: 'unknown field'};
    case 'required':
      return {path, message: `missing required field '${String(e.params.missingProperty)}'`};
    case 'enum':
      return {path, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`};
    case 'propertyNames':
      return {path: [...path, String(e.params.propertyName)], message: 'invalid server name (letters, digits, _ . -; at most 48 characters)'};
    default:
      return {path, message: e.message ?? 'invalid value'};
  }
}

function fieldName(p: JsonPath): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function where(doc: ConfigDocument, p: JsonPath): string {
  for (let n = p.length; n >= 0; n--) {
    const r = doc.rangeOf(p.slice(0, n));
    if (r) return ` (${displayPath(doc.file)}:${r.start.line}:${r.start.column})`;
  }
  return '';
}
