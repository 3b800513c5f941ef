/**
 * `mcpx import`: adopt the servers of existing client configs into mcpx's own config and leave
 * each client file with one `mcpx serve` entry. Hardcoded secrets go to the keychain (named as
 * `secrets move` names them) and mcpx's config holds `${NAME}` references; client-specific
 * reference syntax is translated to mcpx's, and what mcpx cannot resolve (VS Code `${input:…}`,
 * Continue `${{ secrets.… }}`) stays in the client file.
 *
 * `planImport` reads and changes nothing; `applyImport` is all or nothing through the same
 * transaction as `secrets move` (keychain writes read back, atomic writes, rollback on any
 * failure). A journal without secret values lets `--undo` put the original entries back and take
 * the imported servers out of mcpx's config.
 */
import fs from 'node:fs';
import path from 'node:path';
import {loadConfig, UnreadableConfigError} from '../clients/load.js';
import {mcpx as mcpxClient} from '../clients/mcpx.js';
import type {ClientDefinition} from '../clients/types.js';
import {applyEdits, type Edit} from '../config/edit.js';
import {parseDocument} from '../config/parse.js';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import {UserError} from '../errors.js';
import {defaultPaths, discover, keepTarget} from '../lint/discovery.js';
import type {ClientId, ServerEntry, ServerField, ServerSpec} from '../model.js';
import {configPath} from '../proxy/config.js';
import {parseBridgeArgv} from '../secrets/bridge.js';
import {findEntrySecrets} from '../secrets/entry-secrets.js';
import {fromLaunchReferences, parseRunArgv, unwrapRun} from '../secrets/launch.js';
import {maskSecret, redact} from '../secrets/mask.js';
import {
  applyAllOrNothing,
  clone,
  type FileWrite,
  getAt,
  Namer,
  type OperationWords,
  pathContext,
  type PlannedSecret,
  replaceSpans,
  setAt,
  sha256,
  journalUpdate,
  readJournal,
} from '../secrets/move.js';
import {secretAccount} from '../secrets/names.js';
import type {SecretStore} from '../secrets/store-types.js';
import {writeAtomically} from '../util/atomic-write.js';
import {mcpxLaunch} from '../util/package-root.js';
import {homeDir, mcpxDirs} from '../util/paths.js';
import {stableJson} from '../util/stable-json.js';

/** The name of the entry that replaces a file's servers. */
export const SERVE_ENTRY = 'mcpx';
/** Server names mcpx's config accepts (schemas/mcpx-config.schema.json). */
const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;

export interface ImportOptions {
  /** Files or folders (default: the current folder; none with `user` alone). */
  paths?: string[];
  /** Also the home-folder configs of every client. */
  user?: boolean;
  /** Read named files as this client's, and import only this client's files. */
  client?: ClientId;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Used to choose secret names that do not clash with values already stored. */
  store: SecretStore;
  /** The command line that starts mcpx (default: this node and this package's bin/run.js). */
  launcher?: [string, string];
  /** mcpx's config (default: MCPX_CONFIG or `<mcpx config dir>/config.json`). */
  configFile?: string;
}

export interface ImportedServer {
  file: string;
  client: ClientId;
  server: string;
  /** Its name in mcpx's config. */
  as: string;
  /** added: new; merged: mcpx's config already had the same entry; renamed: added under a suffixed name. */
  status: 'added' | 'merged' | 'renamed';
  secrets: Array<{where: string; name: string; masked: string}>;
}

/** What the journal keeps of one imported file: structure and secret names, never a value. */
export interface ImportJournalEntry {
  file: string;
  client: ClientId;
  /** Where the file's servers map (or list) sits. */
  mapPath: JsonPath;
  shape: 'map' | 'list';
  /** The serve entry the import added (none when the file had one already). */
  added?: string;
  /** The imported native entries in file order, each secret as `${NAME}`. */
  originals: Array<{name: string; template: unknown; names: string[]}>;
  /** List-shaped clients: the whole original list, secrets as `${NAME}`. */
  originalList?: unknown[];
  /** Secret names in originalList. */
  listNames?: string[];
  /** The servers map or list as the import left it (undo refuses when it changed since). */
  written: unknown;
  configFile: string;
  /** Servers this import added to mcpx's config, as written there. */
  addedServers: Array<{name: string; value: unknown}>;
  /** Servers mcpx's config already held identically (undo leaves them). */
  mergedServers: string[];
  /** This import created mcpx's config: undo removes it again when nothing else is left in it. */
  createdConfig?: boolean;
  importedAt: string;
}

export interface ClientFilePlan extends FileWrite {
  client: ClientId;
}

export interface ImportPlan {
  configFile: string;
  files: ClientFilePlan[];
  /** mcpx's config, when it changes. */
  config?: FileWrite;
  secrets: PlannedSecret[];
  imported: ImportedServer[];
  skipped: Array<{file: string; server?: string; reason: string}>;
  journal: ImportJournalEntry[];
  /** Every secret value in the files read (imported or left behind), to mask in diffs; memory only. */
  masks: string[];
}

const IMPORT_WORDS: OperationWords = {noun: 'import', past: 'imported', rerun: 'mcpx import'};

export function defaultImportJournal(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(mcpxDirs(env).config, 'imports.json');
}

/** A refusal for one server: it stays in the client file, with this reason. */
class Refusal extends Error {}

/** mcpx's config as read now (or the text of a new one). */
interface McpxConfig {
  file: string;
  doc: ConfigDocument;
  created: boolean;
  mode: number;
  /** Servers by name: those already there plus those planned so far. */
  servers: Map<string, unknown>;
}

async function readMcpxConfig(file: string): Promise<McpxConfig> {
  let text: string;
  let created = false;
  let mode = 0o600;
  try {
    text = await fs.promises.readFile(file, 'utf8');
    mode = (await fs.promises.stat(file)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`Cannot read mcpx's config ${file}: ${(error as Error).message}`, {hint: 'Check its permissions; nothing was changed.'});
    text = '{\n  "mcpServers": {}\n}\n';
    created = true;
  }
  let doc: ConfigDocument;
  try {
    doc = parseDocument(text, 'jsonc', file);
  } catch (error) {
    throw new UserError(`mcpx's config ${file} does not parse: ${(error as Error).message}`, {hint: 'Fix it first; nothing was changed.'});
  }
  const map = getAt(doc.value, ['mcpServers']);
  if (map !== undefined && (typeof map !== 'object' || map === null || Array.isArray(map))) {
    throw new UserError(`"mcpServers" in mcpx's config ${file} is not an object.`, {hint: 'Fix it first; nothing was changed.'});
  }
  return {file, doc, created, mode, servers: new Map(Object.entries((map ?? {}) as Record<string, unknown>))};
}

/** Build the plan. Reads files and the keychain; writes nothing. */
export async function planImport(options: ImportOptions): Promise<ImportPlan> {
  const env = options.env ?? process.env;
  const ctx = pathContext(env);
  const launcher = options.launcher ?? mcpxLaunch();
  const configFile = path.resolve(options.cwd, options.configFile ?? configPath(undefined, env));
  const paths = defaultPaths(options.paths);
  const {targets, errors} = await discover(paths, {cwd: options.cwd, user: options.user ?? false, ctx, content: true});
  if (errors.length > 0) throw new UserError(errors.map((e) => e.message).join('\n'), {hint: 'Name files and folders that exist; nothing was changed.'});
  const config = await readMcpxConfig(configFile);
  const plan: ImportPlan = {configFile, files: [], secrets: [], imported: [], skipped: [], journal: [], masks: []};
  const names = new Namer(options.store);
  const added: Array<{name: string; value: unknown}> = [];
  for (const target of targets) {
    if (path.resolve(target.file) === configFile) continue;
    let loaded;
    try {
      loaded = await loadConfig(target.file, {ctx, client: target.explicit ? options.client : undefined});
    } catch (error) {
      if (error instanceof UnreadableConfigError) {
        if (target.why !== 'mcp-shape') plan.skipped.push({file: target.file, reason: error.message});
        continue;
      }
      throw error;
    }
    if (!keepTarget(target, loaded)) continue;
    if (options.client && loaded.client?.id !== options.client) continue;
    if (loaded.client?.id === 'mcpx') continue;
    if (loaded.parseError) {
      plan.skipped.push({file: target.file, reason: `${loaded.parseError.message} — fix it first; mcpx does not change a file it cannot parse`});
      continue;
    }
    if (!loaded.doc || !loaded.client) continue;
    const ctxFile = {doc: loaded.doc, client: loaded.client, servers: loaded.servers, mode: loaded.stat.mode & 0o777, names, launcher, env, config, added, plan};
    await planFile(ctxFile);
  }
  plan.secrets = names.planned();
  // The journal and mcpx's config must never hold a value: a slip here is a bug, not a user error.
  const journalText = JSON.stringify(plan.journal) + added.map((a) => JSON.stringify(a.value)).join('');
  if (plan.secrets.some((s) => journalText.includes(s.value))) throw new Error('mcpx bug: an import plan would write a secret value outside the keychain');
  if (added.length > 0) {
    const edits: Edit[] = added.map((a) => ({op: 'set', path: ['mcpServers', a.name], value: a.value}));
    const after = applyEdits(config.doc, edits);
    plan.config = {file: configFile, before: config.created ? '' : config.doc.text, after, beforeHash: sha256(config.doc.text), mode: config.mode, created: config.created};
  }
  return plan;
}

interface FileContext {
  doc: ConfigDocument;
  client: ClientDefinition;
  servers: ServerEntry[];
  mode: number;
  names: Namer;
  launcher: [string, string];
  env: NodeJS.ProcessEnv;
  config: McpxConfig;
  added: Array<{name: string; value: unknown}>;
  plan: ImportPlan;
}

function samePath(a: JsonPath, b: JsonPath): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}


/** True for an entry that already starts `mcpx serve` (kept; never imported into itself). */
export function isServeEntry(entry: ServerEntry, launcher: [string, string]): boolean {
  if (entry.command === undefined) return false;
  const args = entry.args ?? [];
  if (/(^|[/\\])mcpx(\.cmd|\.exe)?$/.test(entry.command) && args[0] === 'serve') return true;
  return args.some((a, i) => args[i + 1] === 'serve' && (a === launcher[1] || /(^|[/\\@])mcpx(@[^/\\]*)?$/.test(a) || /[/\\]mcpx[/\\]bin[/\\]run\.js$/.test(a)));
}

async function planFile(c: FileContext): Promise<void> {
  const {doc, client, plan} = c;
  if (c.servers.length === 0) return;
  // Servers left in the file show up in the diff's context lines: their secrets are masked too.
  for (const s of c.servers) plan.masks.push(...findEntrySecrets(s).map((f) => f.detection.secret));
  const parents = c.servers.map((s) => s.pointer.slice(0, -1));
  const mapPath = parents.some((p) => samePath(p, client.serversPath)) ? client.serversPath : parents[0]!;
  // Continue keeps a list in its YAML blocks but a map in its JSON ones.
  const shape = Array.isArray(getAt(doc.value, mapPath)) ? 'list' : 'map';
  const inMap = c.servers.filter((s) => samePath(s.pointer.slice(0, -1), mapPath));
  for (const s of c.servers) {
    if (!inMap.includes(s)) plan.skipped.push({file: doc.file, server: s.name, reason: `it sits in ${s.pointer.slice(0, -1).join('.')}, not in the file's main servers map ${mapPath.join('.')}; left in place`});
  }
  const serveEntries = inMap.filter((s) => isServeEntry(s, c.launcher));
  const imported: Array<{entry: ServerEntry; value: Record<string, unknown>; template: unknown; names: string[]; as: string; status: ImportedServer['status']; secrets: ImportedServer['secrets']}> = [];
  const kept: ServerEntry[] = [...serveEntries];
  for (const entry of inMap) {
    if (serveEntries.includes(entry)) continue;
    try {
      const converted = await convertEntry(entry, c);
      const placed = placeInConfig(entry.name, converted.value, c);
      imported.push({entry, ...converted, ...placed});
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      kept.push(entry);
      plan.skipped.push({file: doc.file, server: entry.name, reason: `${error.message}; left in ${path.basename(doc.file)}`});
    }
  }
  if (imported.length === 0) return;

  const serveSpec: ServerSpec = {name: SERVE_ENTRY, transport: 'stdio', command: c.launcher[0], args: [c.launcher[1], 'serve']};
  let addedName: string | undefined;
  if (serveEntries.length === 0) {
    addedName = SERVE_ENTRY;
    for (let n = 2; kept.some((k) => k.name === addedName); n++) addedName = `${SERVE_ENTRY}-${n}`;
  }
  const edits: Edit[] = [];
  let originalList: unknown[] | undefined;
  let listNames: string[] | undefined;
  if (shape === 'list') {
    const list = getAt(doc.value, mapPath) as unknown[];
    originalList = clone(list);
    listNames = [];
    for (const i of imported) {
      const index = i.entry.pointer.at(-1) as number;
      originalList[index] = i.template;
      listNames.push(...i.names);
    }
    const keep = list.filter((_, index) => !imported.some((i) => i.entry.pointer.at(-1) === index));
    const next = addedName ? [...keep, client.toNative({...serveSpec, name: addedName})] : keep;
    edits.push({op: 'set', path: mapPath, value: next});
  } else {
    for (const i of imported) edits.push({op: 'delete', path: i.entry.pointer});
    if (addedName) edits.push({op: 'set', path: [...mapPath, addedName], value: client.toNative({...serveSpec, name: addedName})});
  }
  const after = applyEdits(doc, edits);
  const written = getAt(parseDocument(after, doc.format, doc.file).value, mapPath);
  plan.files.push({file: doc.file, client: client.id, before: doc.text, after, beforeHash: sha256(doc.text), mode: c.mode});
  for (const i of imported) plan.imported.push({file: doc.file, client: client.id, server: i.entry.name, as: i.as, status: i.status, secrets: i.secrets});
  plan.journal.push({
    file: doc.file,
    client: client.id,
    mapPath,
    shape,
    added: addedName,
    originals: imported.map((i) => ({name: i.entry.name, template: i.template, names: i.names})),
    originalList,
    listNames: listNames ? [...new Set(listNames)] : undefined,
    written,
    configFile: c.config.file,
    addedServers: imported.filter((i) => i.status !== 'merged').map((i) => ({name: i.as, value: i.value})),
    mergedServers: imported.filter((i) => i.status === 'merged').map((i) => i.as),
    ...(c.config.created ? {createdConfig: true} : {}),
    importedAt: new Date().toISOString(),
  });
}

/** Pick the server's name in mcpx's config: same content merges, different content gets a suffix. */
function placeInConfig(name: string, value: Record<string, unknown>, c: FileContext): {as: string; status: ImportedServer['status']} {
  let base = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 48) || 'server';
  if (!SERVER_NAME.test(base)) base = 'server';
  for (let n = 1; n < 1000; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const candidate = base.slice(0, 48 - suffix.length) + suffix;
    const existing = c.config.servers.get(candidate);
    if (existing === undefined) {
      c.config.servers.set(candidate, value);
      c.added.push({name: candidate, value});
      return {as: candidate, status: candidate === name ? 'added' : 'renamed'};
    }
    if (deepEqual(existing, value)) return {as: candidate, status: 'merged'};
  }
  throw new Refusal('no free name for it in mcpx\'s config');
}

/** A neutral value's place, for detection and translation. */
type Slot = {field: ServerField; rest: (string | number)[]};

/**
 * The mcpx config entry for one client entry, with secrets as `${NAME}` and references in mcpx's
 * syntax, plus the journal template (the native entry, secrets as `${NAME}`).
 * @throws Refusal when mcpx could not start the server the way the client does.
 */
async function convertEntry(entry: ServerEntry, c: FileContext): Promise<{value: Record<string, unknown>; template: unknown; names: string[]; secrets: ImportedServer['secrets']}> {
  // The neutral spec, unwrapped when an earlier `secrets move` made it start through mcpx.
  const {spec, mcpxSyntax} = unwrap(entry, c.launcher);
  const origin = (slot: Slot, value: string): 'client' | 'mcpx' => {
    if (mcpxSyntax) return 'mcpx';
    // Values a client module derived (Codex env_vars, Goose env_keys) are references already.
    const native = getAt(entry.raw, [...(entry.fields[slot.field] ?? []).slice(entry.pointer.length), ...slot.rest]);
    return native === value ? 'client' : 'mcpx';
  };
  // Refuse before naming any secret, so a refused server stores nothing in the keychain.
  for (const [slot, value] of slots(spec)) if (origin(slot, value) === 'client') translate(value, slot.field, entry, c);
  const found = findEntrySecrets(entry);
  if (found.some((s) => s.field === 'command')) throw new Refusal('a secret in the command itself: move it to env by hand first');
  const names: string[] = [];
  const secrets: ImportedServer['secrets'] = [];
  // The journal template: the native entry with each secret replaced by its reference.
  const template = clone(entry.raw);
  const byPath = new Map<string, {path: JsonPath; value: string; spans: Array<{start: number; end: number; name: string}>}>();
  for (const s of found) {
    const d = s.detection;
    const name = await c.names.nameFor(d.suggestedName, d.secret, entry.name);
    if (!names.includes(name)) names.push(name);
    secrets.push({where: s.where, name, masked: maskSecret(d.secret)});
    const key = JSON.stringify(s.path);
    const group = byPath.get(key) ?? {path: s.path, value: s.value, spans: []};
    group.spans.push(d.reference ? {start: d.reference.start, end: d.reference.end, name} : {start: d.start, end: d.end, name});
    byPath.set(key, group);
  }
  for (const g of byPath.values()) setAt(template, g.path.slice(entry.pointer.length), replaceSpans(g.value, g.spans));

  // Detect again on the neutral values, so spans match what is written to mcpx's config.
  const pseudo: ServerEntry = {
    ...spec,
    client: 'mcpx',
    file: entry.file,
    pointer: [],
    raw: {},
    enabled: entry.enabled,
    fields: {command: ['command'], args: ['args'], env: ['env'], cwd: ['cwd'], url: ['url'], headers: ['headers']},
  };
  const spans = new Map<string, Array<{start: number; end: number; name: string}>>();
  for (const s of findEntrySecrets(pseudo)) {
    const d = s.detection;
    const name = await c.names.nameFor(d.suggestedName, d.secret, entry.name);
    if (!names.includes(name)) names.push(name);
    const key = JSON.stringify([s.field, ...s.rest]);
    spans.set(key, [...(spans.get(key) ?? []), d.reference ? {start: d.reference.start, end: d.reference.end, name} : {start: d.start, end: d.end, name}]);
  }
  const convert = (slot: Slot, value: string): string =>
    withSecrets(value, spans.get(JSON.stringify([slot.field, ...slot.rest])) ?? [], (segment) => (origin(slot, value) === 'mcpx' ? segment : translate(segment, slot.field, entry, c)));

  const out: ServerSpec = {name: entry.name, transport: spec.transport};
  if (spec.command !== undefined) out.command = convert({field: 'command', rest: []}, spec.command);
  if (spec.args) out.args = spec.args.map((a, i) => convert({field: 'args', rest: [i]}, a));
  if (spec.env) out.env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, convert({field: 'env', rest: [k]}, v)]));
  if (spec.cwd !== undefined) out.cwd = convert({field: 'cwd', rest: []}, spec.cwd);
  if (spec.url !== undefined) out.url = convert({field: 'url', rest: []}, spec.url);
  if (spec.headers) out.headers = Object.fromEntries(Object.entries(spec.headers).map(([k, v]) => [k, convert({field: 'headers', rest: [k]}, v)]));
  if (out.transport === 'stdio' && !out.command) throw new Refusal('neither a command nor a URL');
  if (out.transport !== 'stdio' && !out.url) throw new Refusal('a remote server without a URL');
  const value: Record<string, unknown> = mcpxClient.toNative(out);
  Object.assign(value, extraSettings(entry));
  if (!entry.enabled) value.enabled = false;
  const left = findEntrySecrets({...pseudo, ...out});
  if (left.length > 0) throw new Error(`mcpx bug: the import of server "${entry.name}" still holds ${left.length} secret(s)`);
  return {value, template, names, secrets};
}

/** Every string value of a spec with its place. */
function slots(spec: ServerSpec): Array<[Slot, string]> {
  const out: Array<[Slot, string]> = [];
  if (spec.command !== undefined) out.push([{field: 'command', rest: []}, spec.command]);
  spec.args?.forEach((a, i) => out.push([{field: 'args', rest: [i]}, a]));
  for (const [k, v] of Object.entries(spec.env ?? {})) out.push([{field: 'env', rest: [k]}, v]);
  if (spec.cwd !== undefined) out.push([{field: 'cwd', rest: []}, spec.cwd]);
  if (spec.url !== undefined) out.push([{field: 'url', rest: []}, spec.url]);
  for (const [k, v] of Object.entries(spec.headers ?? {})) out.push([{field: 'headers', rest: [k]}, v]);
  return out;
}

/** Translate the pieces between secrets; each secret span becomes `${NAME}`. */
function withSecrets(value: string, spans: Array<{start: number; end: number; name: string}>, translatePiece: (s: string) => string): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue; // overlapping detections: the first wins
    out += translatePiece(value.slice(at, s.start)) + '${' + s.name + '}';
    at = s.end;
  }
  return out + translatePiece(value.slice(at));
}

/** The neutral spec of an entry; entries wrapped in `mcpx run`/`mcpx bridge` are unwrapped (their values are mcpx references). */
function unwrap(entry: ServerEntry, launcher: [string, string]): {spec: ServerSpec; mcpxSyntax: boolean} {
  const args = entry.args ?? [];
  const base: ServerSpec = {name: entry.name, transport: entry.transport, command: entry.command, args: entry.args, env: entry.env, cwd: entry.cwd, url: entry.url, headers: entry.headers};
  if (entry.command === undefined || args[0] !== launcher[1]) return {spec: base, mcpxSyntax: false};
  try {
    if (args[1] === 'run') {
      const run = unwrapRun(parseRunArgv(args.slice(2)), entry.env);
      return {spec: {name: entry.name, transport: 'stdio', command: run.command, args: run.args, ...(Object.keys(run.env).length > 0 ? {env: run.env} : {}), cwd: entry.cwd}, mcpxSyntax: true};
    }
    if (args[1] === 'bridge') {
      const bridge = parseBridgeArgv(args.slice(2));
      const headers = bridge.headers.length > 0 ? Object.fromEntries(bridge.headers.map(([k, v]) => [k, fromLaunchReferences(v)])) : undefined;
      return {spec: {name: entry.name, transport: bridge.transport, url: fromLaunchReferences(bridge.url), headers}, mcpxSyntax: true};
    }
  } catch {
    // Not a command line mcpx wrote: import it as it is.
  }
  return {spec: base, mcpxSyntax: false};
}

/** Per-server settings some clients carry that mcpx's config has too. */
function extraSettings(entry: ServerEntry): Record<string, unknown> {
  const raw = entry.raw;
  const out: Record<string, unknown> = {};
  const ms = (v: unknown) => (typeof v === 'number' && v > 0 ? Math.round(v * 1000) : undefined);
  const names = (v: unknown) => (Array.isArray(v) && v.every((t) => typeof t === 'string') ? v : undefined);
  if (entry.client === 'codex') {
    out.timeout = ms(raw.tool_timeout_sec);
    out.startupTimeout = ms(raw.startup_timeout_sec);
    out.allowTools = names(raw.enabled_tools);
    out.denyTools = names(raw.disabled_tools);
  } else if (entry.client === 'cline' || entry.client === 'roo') {
    out.timeout = ms(raw.timeout);
  }
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** Where `${workspaceFolder}` points for a project file: the folder holding `.vscode/`, `.cursor/`… */
function workspaceFolder(file: string): string {
  const dir = path.dirname(file);
  return path.basename(dir).startsWith('.') ? path.dirname(dir) : dir;
}

/**
 * One piece of a client value in mcpx's reference syntax. A client that expands nothing in this
 * field passed `${` literally, so it is escaped (`$${`); supported references are rewritten.
 * @throws Refusal for references only the client can resolve.
 */
function translate(piece: string, field: ServerField, entry: ServerEntry, c: FileContext): string {
  const interp = c.client.interpolation;
  if (!piece.includes('$')) return piece;
  if (!interp.fields.includes(field) || interp.syntaxes.length === 0) return piece.split('${').join('$${');
  const has = (s: string) => interp.syntaxes.includes(s);
  return piece.replace(/\$\{\{([^}]*)\}\}|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braces: string | undefined, body: string | undefined, bare: string | undefined) => {
    if (braces !== undefined) throw new Refusal(`it uses ${c.client.name}'s reference ${whole.replace(/\s+/g, ' ')}, which only ${c.client.name} can resolve (store the value with \`mcpx secrets set NAME\` and write \${NAME})`);
    if (bare !== undefined) return has('$VAR') ? '${' + bare + '}' : whole;
    const b = body!;
    if (b.startsWith('input:')) throw new Refusal(`it uses ${whole}, a value ${c.client.name} prompts for and keeps itself; mcpx cannot read it (store it with \`mcpx secrets set NAME\` and write \${NAME} instead)`);
    if (b.startsWith('env:') && has('${env:VAR}')) return '${' + b.slice(4) + '}';
    if (b === 'workspaceFolder' && has('${workspaceFolder}')) return workspaceFolder(entry.file);
    if (b === 'userHome' && has('${userHome}')) return homeDir(c.env);
    if (/^[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?$/.test(b) && has('${VAR}')) {
      if (b.includes(':-') && !has('${VAR:-default}')) throw new Refusal(`${c.client.name} does not expand ${whole} the way mcpx would`);
      return whole;
    }
    throw new Refusal(`it uses ${whole}, which mcpx cannot resolve the way ${c.client.name} does`);
  });
}

/** A unified diff of every file the plan changes, secrets masked. */
export async function planDiff(files: FileWrite[], secretValues: string[]): Promise<string> {
  const {unifiedDiff} = await import('../config/edit.js');
  const parts: string[] = [];
  for (const f of files) parts.push(redact(await unifiedDiff(f.file, f.before, f.after), secretValues));
  return parts.join('');
}

/** Every file of an import plan, client files first. */
export function planFiles(plan: ImportPlan): FileWrite[] {
  return plan.config ? [...plan.files, plan.config] : [...plan.files];
}

export interface ApplyImportOptions {
  store: SecretStore;
  signal?: AbortSignal;
  /** Atomic write, replaceable in tests to inject a disk failure. */
  write?: typeof writeAtomically;
  journalFile?: string;
}

/**
 * Apply a plan, all or nothing: secrets into the keychain, mcpx's config and the client files
 * written, the journal appended. Any failure leaves every file and the keychain as they were.
 */
export async function applyImport(plan: ImportPlan, options: ApplyImportOptions): Promise<{stored: string[]; reused: string[]}> {
  const journalFile = options.journalFile ?? defaultImportJournal();
  await applyAllOrNothing({
    // mcpx's config first: a client file never points at servers mcpx does not have.
    files: plan.config ? [plan.config, ...plan.files] : plan.files,
    secrets: plan.secrets,
    store: options.store,
    signal: options.signal,
    write: options.write,
    stateDir: path.dirname(journalFile),
    journals:
      plan.journal.length === 0
        ? []
        : [
            journalUpdate<ImportJournalEntry>(journalFile, (entries) => {
              for (const j of plan.journal) {
                const i = entries.findIndex((e) => e.file === j.file && samePath(e.mapPath, j.mapPath));
                entries.splice(i < 0 ? entries.length : i, i < 0 ? 0 : 1, i < 0 ? j : combine(entries[i]!, j));
              }
              return entries;
            }),
          ],
    words: IMPORT_WORDS,
  });
  return {stored: plan.secrets.filter((s) => !s.existing).map((s) => s.name), reused: plan.secrets.filter((s) => s.existing).map((s) => s.name)};
}

/** A later import of a file already imported once: one entry, so undo restores both. */
function combine(earlier: ImportJournalEntry, later: ImportJournalEntry): ImportJournalEntry {
  return {
    ...later,
    added: earlier.added ?? later.added,
    originals: [...earlier.originals, ...later.originals],
    originalList: earlier.originalList && later.originalList ? [...earlier.originalList, ...later.originals.map((o) => o.template)] : later.originalList,
    listNames: [...new Set([...(earlier.listNames ?? []), ...(later.listNames ?? [])])],
    addedServers: [...earlier.addedServers, ...later.addedServers],
    mergedServers: [...earlier.mergedServers, ...later.mergedServers],
    ...(earlier.createdConfig || later.createdConfig ? {createdConfig: true} : {}),
    importedAt: earlier.importedAt,
  };
}

export interface UndoImportOptions {
  files?: string[];
  cwd: string;
  store: SecretStore;
  journalFile?: string;
  write?: typeof writeAtomically;
}

export interface UndoImportPlan {
  files: FileWrite[];
  entries: ImportJournalEntry[];
  /** Servers taken out of mcpx's config. */
  removed: string[];
  skipped: Array<{file: string; server?: string; reason: string}>;
  /** Values put back, for masking the diff; memory only. */
  values: string[];
  /** mcpx configs that an undone import created and that would be left with no servers: removed. */
  removeFiles: Array<{file: string; beforeHash: string}>;
}

async function resolveTemplate(template: unknown, names: string[], store: SecretStore, file: string, values: string[]): Promise<unknown> {
  let text = JSON.stringify(template);
  for (const name of names) {
    const value = await store.get(secretAccount(name));
    if (value === undefined) throw new UserError(`The keychain has no ${name} any more, so ${file} cannot be restored; nothing was changed.`, {code: 'E_MISSING_SECRET', hint: `Store it again with \`mcpx secrets set ${name}\`.`});
    values.push(value);
    text = text.split('${' + name + '}').join(JSON.stringify(value).slice(1, -1));
  }
  return JSON.parse(text) as unknown;
}

/**
 * Plan the undo of journalled imports (all, or those of `files`): each client file whose servers
 * are still as the import left them gets its original entries back (secrets from the keychain);
 * the servers the import added to mcpx's config are removed unless changed there since, or
 * another import still relies on them.
 */
export async function planUndoImport(options: UndoImportOptions): Promise<UndoImportPlan> {
  const journalFile = options.journalFile ?? defaultImportJournal();
  const wanted = options.files?.map((f) => path.resolve(options.cwd, f));
  const all = readJournal<ImportJournalEntry>(journalFile);
  const chosen = all.filter((e) => !wanted || wanted.includes(e.file));
  const plan: UndoImportPlan = {files: [], entries: [], removed: [], skipped: [], values: [], removeFiles: []};
  const configEdits = new Map<string, Edit[]>();
  const configs = new Map<string, McpxConfig>();
  for (const e of chosen) {
    let loaded;
    try {
      loaded = await loadConfig(e.file, {client: e.client, ctx: pathContext(process.env)});
    } catch (error) {
      plan.skipped.push({file: e.file, reason: (error as Error).message});
      continue;
    }
    if (!loaded.doc) {
      plan.skipped.push({file: e.file, reason: `it no longer parses (${loaded.parseError?.message ?? 'unknown error'})`});
      continue;
    }
    if (!deepEqual(getAt(loaded.doc.value, e.mapPath), e.written)) {
      plan.skipped.push({file: e.file, reason: 'its servers changed since the import; put them back by hand (mcpx\'s config still holds them)'});
      continue;
    }
    const edits: Edit[] = [];
    if (e.shape === 'list') {
      edits.push({op: 'set', path: e.mapPath, value: await resolveTemplate(e.originalList, e.listNames ?? [], options.store, e.file, plan.values)});
    } else {
      if (e.added) edits.push({op: 'delete', path: [...e.mapPath, e.added]});
      for (const o of e.originals) edits.push({op: 'set', path: [...e.mapPath, o.name], value: await resolveTemplate(o.template, o.names, options.store, e.file, plan.values)});
    }
    plan.files.push({file: e.file, before: loaded.text, after: applyEdits(loaded.doc, edits), beforeHash: sha256(loaded.text), mode: loaded.stat.mode & 0o777});
    plan.entries.push(e);
  }
  const remaining = all.filter((r) => !plan.entries.includes(r));
  for (const e of plan.entries) {
    let config = configs.get(e.configFile);
    if (!config) {
      config = await readMcpxConfig(e.configFile);
      configs.set(e.configFile, config);
    }
    const list = configEdits.get(e.configFile) ?? [];
    for (const s of e.addedServers) {
      // Another import that found this same server still relies on it.
      if (remaining.some((r) => r.configFile === e.configFile && r.mergedServers.includes(s.name))) continue;
      const now = config.servers.get(s.name);
      if (now === undefined) continue;
      if (!deepEqual(now, s.value)) {
        plan.skipped.push({file: e.configFile, server: s.name, reason: 'changed in mcpx\'s config since the import; left there'});
        continue;
      }
      list.push({op: 'delete', path: ['mcpServers', s.name]});
      plan.removed.push(s.name);
    }
    configEdits.set(e.configFile, list);
  }
  for (const [file, edits] of configEdits) {
    const config = configs.get(file)!;
    if (edits.length === 0 || config.created) continue;
    const after = applyEdits(config.doc, edits);
    const createdHere = plan.entries.some((e) => e.configFile === file && e.createdConfig);
    if (createdHere && isEmptyConfig(parseDocument(after, 'jsonc', file).value)) {
      // The import made this file and nothing else is in it: undo takes it away, as it was before.
      plan.removeFiles.push({file, beforeHash: sha256(config.doc.text)});
      continue;
    }
    plan.files.push({file, before: config.doc.text, after, beforeHash: sha256(config.doc.text), mode: config.mode});
  }
  return plan;
}

/** `{"mcpServers": {}}` and nothing else: the config an import creates, once its servers are gone. */
function isEmptyConfig(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const servers = (value as Record<string, unknown>).mcpServers;
  return keys.length === 1 && keys[0] === 'mcpServers' && typeof servers === 'object' && servers !== null && Object.keys(servers).length === 0;
}

/** Apply an undo plan, all or nothing; the journal forgets the undone imports. Keychain entries are kept. */
export async function applyUndoImport(plan: UndoImportPlan, options: UndoImportOptions): Promise<void> {
  const journalFile = options.journalFile ?? defaultImportJournal();
  await applyAllOrNothing({
    files: plan.files,
    secrets: [],
    store: options.store,
    write: options.write,
    stateDir: path.dirname(journalFile),
    journals: [journalUpdate<ImportJournalEntry>(journalFile, (entries) => entries.filter((e) => !plan.entries.some((u) => u.file === e.file && samePath(u.mapPath, e.mapPath))))],
    // Last, after the journal: the configs this import created and left empty.
    removals: plan.removeFiles,
    words: {noun: 'undo', past: 'changed', rerun: 'mcpx import --undo'},
  });
}
