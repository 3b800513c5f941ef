/**
 * The planning half of `mcpx init` / `mcpx add`: turn chosen presets into each client's native
 * entries and compute every file's new text, merged into what is already there (comments,
 * other servers and settings kept). Secrets appear only as `${NAME}` references: a server that
 * needs one starts through `mcpx run` (stdio) or `mcpx bridge` (remote), which resolve them from
 * the environment, then the keychain, at launch, so the entry works in every client. With
 * `viaServe` the servers go to mcpx's own config and each client gets one `mcpx serve` entry.
 * Planning reads files and writes nothing; a file that does not parse stops the plan.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {getClient} from '../clients/index.js';
import {UnreadableConfigError, loadConfig} from '../clients/load.js';
import type {ClientDefinition, PathContext} from '../clients/types.js';
import {applyEdits, emptyText, type Edit} from '../config/edit.js';
import {parseDocument} from '../config/parse.js';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import {UserError} from '../errors.js';
import type {ClientId, ServerEntry, ServerSpec} from '../model.js';
import {type Preset, type PresetTransport, type PresetValues, presetToSpec, requiredSecrets} from '../presets/index.js';
import {toLaunchReferences} from '../secrets/launch.js';
import {displayPath} from '../util/paths.js';
import {mcpxLaunch} from '../util/package-root.js';
import {type Scope, targetFile} from './targets.js';

/** One server the user chose: a preset with its settings. */
export interface ServerRequest {
  preset: Preset;
  /** Name in the client config (default: the preset id). */
  name: string;
  transport: PresetTransport;
  values: PresetValues;
  /** Optional secrets the user gave a value for (wired in as references). */
  optionalSecrets: string[];
}

export interface ClientRequest {
  client: ClientDefinition;
  scope?: Scope;
}

export interface PlanRequest {
  cwd: string;
  ctx: PathContext;
  clients: ClientRequest[];
  servers: ServerRequest[];
  viaServe?: boolean;
  /** Replace existing entries of the same name that differ. */
  force?: boolean;
  /** `file\0name` pairs the user agreed to replace (interactive). */
  replace?: ReadonlySet<string>;
  /** The command line that starts mcpx (default: this node and this package's bin/run.js). */
  launcher?: [string, string];
}

export type ServerAction = 'add' | 'replace' | 'unchanged' | 'conflict';

export interface PlannedServer {
  name: string;
  /** The preset id, or undefined for the `mcpx serve` entry. */
  preset?: string;
  client: ClientId;
  file: string;
  action: ServerAction;
  /** How the entry starts: directly, through `mcpx run`/`mcpx bridge`, or it is the `mcpx serve` entry. */
  launch: 'direct' | 'run' | 'bridge' | 'serve';
  /** Secret names the entry references. */
  secrets: string[];
  /** The remote signs users in with OAuth (no secret in the file; the client or `mcpx auth login` does it). */
  oauth?: boolean;
}

export interface FilePlan {
  file: string;
  client: ClientId;
  scope: Scope;
  /** The text before, or undefined when the file does not exist yet. */
  before?: string;
  after: string;
  beforeHash?: string;
  /** The existing file's mode (undefined for a new file). */
  mode?: number;
  servers: PlannedServer[];
}

export interface InitPlan {
  files: FilePlan[];
  servers: PlannedServer[];
  /** Entries that exist with other content and were not allowed to be replaced. */
  conflicts: PlannedServer[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The secret names a request wires in: required ones and the optional ones the user gave. */
export function requestSecrets(req: ServerRequest): string[] {
  return requiredSecrets(req.preset, req.transport)
    .filter((s) => s.isRequired || req.optionalSecrets.includes(s.key))
    .map((s) => s.key);
}

/** The neutral spec a preset yields, with secrets as `${NAME}` references. */
export function baseSpec(req: ServerRequest): ServerSpec {
  return presetToSpec(req.preset, {transport: req.transport, values: req.values, optionalSecrets: req.optionalSecrets, name: req.name});
}

/**
 * The spec a client gets for a request: the preset's own form when it holds no reference,
 * else wrapped in `mcpx run` (stdio) or `mcpx bridge` (remote), which resolve references at
 * launch from the environment, then the keychain.
 */
export function launchSpec(req: ServerRequest, launcher: [string, string]): {spec: ServerSpec; launch: PlannedServer['launch']} {
  const spec = baseSpec(req);
  if (!holdsReference(spec)) return {spec, launch: 'direct'};
  if (spec.transport === 'stdio') {
    // A whole `${NAME}` value leaves env for `--env KEY=NAME` (mcpx run fills it): a reference left in
    // the entry is expanded by clients that expand references themselves (Claude Code), which then
    // warn that NAME is unset. A value with more around the reference stays, named by `--env KEY`,
    // and an argument with one is named by `--arg N`; both hold it as `{{NAME}}`, which no client expands.
    const envArgs: string[] = [];
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.env ?? {})) {
      const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(v);
      if (whole) envArgs.push(whole[1] === k ? k : `${k}=${whole[1]}`);
      else {
        env[k] = toLaunchReferences(v);
        if (v.includes('${')) envArgs.push(k);
      }
    }
    const argRefs = (spec.args ?? []).flatMap((a, i) => (toLaunchReferences(a) !== a ? ['--arg', String(i)] : []));
    const args = [launcher[1], 'run', '--server', spec.name, ...envArgs.flatMap((n) => ['--env', n]), ...argRefs, '--', spec.command!, ...(spec.args ?? []).map(toLaunchReferences)];
    return {spec: {name: spec.name, transport: 'stdio', command: launcher[0], args, ...(Object.keys(env).length > 0 ? {env} : {}), ...(spec.cwd ? {cwd: spec.cwd} : {})}, launch: 'run'};
  }
  const headers = Object.entries(spec.headers ?? {}).flatMap(([k, v]) => ['--header', `${k}: ${toLaunchReferences(v)}`]);
  const args = [launcher[1], 'bridge', '--server', spec.name, '--transport', spec.transport === 'sse' ? 'sse' : 'http', ...headers, toLaunchReferences(spec.url!)];
  return {spec: {name: spec.name, transport: 'stdio', command: launcher[0], args}, launch: 'bridge'};
}

/** The single entry each client gets with `--via-serve`. */
export function serveSpec(launcher: [string, string]): ServerSpec {
  return {name: 'mcpx', transport: 'stdio', command: launcher[0], args: [launcher[1], 'serve']};
}

function holdsReference(spec: ServerSpec): boolean {
  const values = [spec.command, spec.url, spec.cwd, ...(spec.args ?? []), ...Object.values(spec.env ?? {}), ...Object.values(spec.headers ?? {})];
  return values.some((v) => typeof v === 'string' && v.includes('${'));
}

/**
 * The client's native entry for a spec. Codex forwards `env_vars` from its own environment,
 * where a keychain secret is not: the `${NAME}` references must reach `mcpx run` literally,
 * so they stay in `env` (Codex passes `env` values as written).
 */
export function nativeEntry(client: ClientDefinition, spec: ServerSpec): Record<string, unknown> {
  const native = client.toNative(spec);
  if (client.id === 'codex' && Array.isArray(native.env_vars)) {
    const refs = Object.fromEntries((native.env_vars as string[]).map((n) => [n, spec.env?.[n] ?? '${' + n + '}']));
    native.env = {...(native.env as Record<string, string> | undefined), ...refs};
    delete native.env_vars;
  }
  return native;
}

/** The text a new file starts from (Continue's block files carry a small header). */
function initialText(client: ClientDefinition, file: string): string {
  if (client.id === 'continue' && file.split(path.sep).join('/').includes('/.continue/mcpServers/')) {
    return 'name: MCP servers added by mcpx\nversion: 0.0.1\nschema: v1\n';
  }
  return emptyText(client.format);
}

interface FileWork {
  client: ClientDefinition;
  scope: Scope;
  file: string;
  before?: string;
  mode?: number;
  text: string;
  entries: Array<{spec: ServerSpec; preset?: string; launch: PlannedServer['launch']; secrets: string[]; oauth?: boolean}>;
}

/**
 * Plan the writes. Throws UserError: `E_PARSE` (a target file does not parse; file:line:column
 * named, nothing changed), `E_CONFIG_SHAPE` (its servers map is not what the client expects),
 * `E_UNREADABLE`, and the preset errors of `presetToSpec` (missing or bad values).
 * Entries that exist with different content are `conflict`s unless `force` or `replace` allows them.
 */
export async function planInit(request: PlanRequest): Promise<InitPlan> {
  const launcher = request.launcher ?? mcpxLaunch();
  const works = new Map<string, FileWork>();
  const addWork = async (client: ClientDefinition, scope: Scope, file: string) => {
    let work = works.get(file);
    if (!work) {
      work = {client, scope, file, ...(await readTarget(client, file, request)), entries: []};
      works.set(file, work);
    }
    return work;
  };

  const perServer = request.servers.map((req) => ({
    req,
    secrets: requestSecrets(req),
    oauth: req.preset.meta.auth === 'oauth' && req.transport === 'http',
    ...launchSpec(req, launcher),
  }));
  if (request.viaServe) {
    const mcpx = getClient('mcpx')!;
    const work = await addWork(mcpx, 'user', mcpx.userFiles(request.ctx)[0]!);
    for (const s of perServer) work.entries.push({spec: baseSpec(s.req), preset: s.req.preset.id, launch: 'direct', secrets: s.secrets, oauth: s.oauth});
  }
  for (const {client, scope} of request.clients) {
    const target = targetFile(client, scope, request.cwd, request.ctx);
    const work = await addWork(client, target.scope, target.file);
    if (request.viaServe) work.entries.push({spec: serveSpec(launcher), launch: 'serve', secrets: []});
    else for (const s of perServer) work.entries.push({spec: s.spec, preset: s.req.preset.id, launch: s.launch, secrets: s.secrets, oauth: s.oauth});
  }

  const plan: InitPlan = {files: [], servers: [], conflicts: []};
  for (const work of works.values()) {
    const file = await planFile(work, request);
    plan.servers.push(...file.servers.filter((s) => s.action !== 'conflict'));
    plan.conflicts.push(...file.servers.filter((s) => s.action === 'conflict'));
    if (file.servers.some((s) => s.action === 'add' || s.action === 'replace')) plan.files.push(file);
  }
  return plan;
}

async function readTarget(client: ClientDefinition, file: string, request: PlanRequest): Promise<{before?: string; mode?: number; text: string}> {
  if (!fs.existsSync(file)) return {text: initialText(client, file)};
  let loaded;
  try {
    loaded = await loadConfig(file, {client: client.id, ctx: request.ctx});
  } catch (error) {
    if (error instanceof UnreadableConfigError) throw new UserError(`${error.message}; nothing was changed.`, {code: 'E_UNREADABLE', hint: 'Fix or move that file, then run the command again.'});
    throw error;
  }
  // An empty (or blank) file is an empty config: start it as a new file would, keeping its mode.
  if (loaded.text.trim() === '') return {before: loaded.text, mode: loaded.stat.mode & 0o777, text: initialText(client, file)};
  if (loaded.parseError) {
    const e = loaded.parseError;
    throw new UserError(`${displayPath(file, request.cwd, request.ctx.env)}:${e.line}:${e.column}: ${e.detail} — the file was left untouched.`, {
      code: 'E_PARSE',
      hint: `Fix the syntax of ${client.name}'s config at line ${e.line}, column ${e.column}, then run the command again.`,
    });
  }
  return {before: loaded.text, mode: loaded.stat.mode & 0o777, text: loaded.text};
}

/** Servers sitting directly in the client's servers map (not Claude Code's per-project maps). */
function topLevelServers(client: ClientDefinition, doc: ConfigDocument): ServerEntry[] {
  const base = client.serversPath;
  return client.readServers(doc).filter((s) => s.pointer.length === base.length + 1 && base.every((p, i) => s.pointer[i] === p));
}

/**
 * The entry already holding `name`: any value under that key of the servers map (even one the
 * client module does not read as a server, such as Zed's extension-provided entries), or the
 * list item with that name (Continue).
 */
function findExisting(client: ClientDefinition, doc: ConfigDocument, name: string): {pointer: JsonPath; raw: unknown} | undefined {
  const holder = getIn(doc.value, client.serversPath);
  if (Array.isArray(holder)) {
    const i = holder.findIndex((item) => item !== null && typeof item === 'object' && (item as {name?: unknown}).name === name);
    return i < 0 ? undefined : {pointer: [...client.serversPath, i], raw: holder[i]};
  }
  const raw = getIn(doc.value, [...client.serversPath, name]);
  return raw === undefined ? undefined : {pointer: [...client.serversPath, name], raw};
}

function getIn(value: unknown, p: JsonPath): unknown {
  let cur = value;
  for (const k of p) cur = cur === null || typeof cur !== 'object' ? undefined : (cur as Record<string | number, unknown>)[k];
  return cur;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

async function planFile(work: FileWork, request: PlanRequest): Promise<FilePlan> {
  const {client, file} = work;
  const servers: PlannedServer[] = [];
  let text = work.text;
  const shown = displayPath(file, request.cwd, request.ctx.env);
  const first = parseDocument(text, client.format, file);
  const holder = getIn(first.value, client.serversPath);
  const list = client.serversShape === 'list';
  if (holder !== undefined && (list ? !Array.isArray(holder) && (holder === null || typeof holder !== 'object') : holder === null || typeof holder !== 'object' || Array.isArray(holder))) {
    throw new UserError(`${shown}: "${client.serversPath.join('.')}" is not ${list ? 'a list' : 'an object'} of servers; the file was left untouched.`, {
      code: 'E_CONFIG_SHAPE',
      hint: `Fix ${client.serversPath.join('.')} in ${shown} by hand, then run the command again.`,
    });
  }
  for (const entry of work.entries) {
    const doc = parseDocument(text, client.format, file);
    const native = nativeEntry(client, entry.spec);
    const existing = findExisting(client, doc, entry.spec.name);
    const base = {name: entry.spec.name, ...(entry.preset ? {preset: entry.preset} : {}), client: client.id, file, launch: entry.launch, secrets: entry.secrets, ...(entry.oauth ? {oauth: true} : {})};
    let edit: Edit;
    if (existing) {
      if (sameJson(existing.raw, native)) {
        servers.push({...base, action: 'unchanged'});
        continue;
      }
      if (!request.force && !request.replace?.has(`${file}\0${entry.spec.name}`)) {
        servers.push({...base, action: 'conflict'});
        continue;
      }
      edit = {op: 'set', path: existing.pointer, value: native};
      servers.push({...base, action: 'replace'});
    } else {
      const current = getIn(doc.value, client.serversPath);
      if (list) edit = Array.isArray(current) ? {op: 'set', path: [...client.serversPath, current.length], value: native} : {op: 'set', path: client.serversPath, value: [native]};
      else edit = {op: 'set', path: [...client.serversPath, entry.spec.name], value: native};
      servers.push({...base, action: 'add'});
    }
    text = applyEdits(doc, [edit]);
  }
  await checkResult(client, file, work.before, text, servers);
  return {
    file,
    client: client.id,
    scope: work.scope,
    ...(work.before !== undefined ? {before: work.before, beforeHash: sha256(work.before), mode: work.mode} : {}),
    after: text,
    servers,
  };
}

/**
 * The new text must parse, hold every entry it should, and add no shape or schema problem the
 * file did not have before. A failure here is a bug in mcpx: nothing reaches the disk.
 */
async function checkResult(client: ClientDefinition, file: string, before: string | undefined, after: string, servers: PlannedServer[]): Promise<void> {
  const doc = parseDocument(after, client.format, file);
  const names = new Set(topLevelServers(client, doc).map((s) => s.name));
  const lost = servers.filter((s) => s.action !== 'conflict' && !names.has(s.name));
  if (lost.length > 0) throw new Error(`mcpx bug: the new ${file} does not hold ${lost.map((s) => s.name).join(', ')}`);
  const {validateWithSchema} = await import('../clients/schema.js');
  const key = (p: {message: string; path: JsonPath}) => `${JSON.stringify(p.path)} ${p.message}`;
  const beforeDoc = before === undefined || before.trim() === '' ? undefined : parseDocument(before, client.format, file);
  const old = new Set([...(beforeDoc ? [...(client.validate?.(beforeDoc) ?? []), ...(await validateWithSchema(client, beforeDoc))] : [])].map(key));
  const now = [...(client.validate?.(doc) ?? []), ...(await validateWithSchema(client, doc))].filter((p) => !old.has(key(p)));
  if (now.length > 0) throw new Error(`mcpx bug: the new ${file} breaks ${client.name}'s config format: ${now.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`);
}
