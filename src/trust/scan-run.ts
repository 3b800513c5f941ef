/**
 * `mcpx scan` from parsed flags to exit code: gather what the model would see of each server —
 * serve's catalog cache (default; starts nothing), the servers themselves (`--connect`), or saved
 * `tools/list` results (`--tools FILE`, `-` for stdin) — run the poisoning rules over it, and
 * report through lint's reporting half (src/lint/publish.ts): the same formats, project config
 * (.mcpxrc.json rules, ignore, ignoreFindings), baselines (.mcpx-scan-baseline.json by default)
 * and exit codes (0 clean, 1 findings at the failing severity, 2 bad input or a server that could
 * not be scanned).
 */
import path from 'node:path';
import {parseJson} from '../config/json.js';
import {type ConfigDocument, type JsonPath, type SourceRange} from '../config/types.js';
import {UserError} from '../errors.js';
import {applyProjectConfig, findProjectConfig, loadProjectConfig} from '../lint/project-config.js';
import {applyBaselineFile, checkPublishFlags, publishReport, updateBaselineFile, type PublishFlags, type PublishIO} from '../lint/publish.js';
import {RULES} from '../lint/rules/index.js';
import type {LintReport} from '../lint/types.js';
import {BoundedReadError, readBounded} from '../util/bounded-read.js';
import {TRUST_RULE_IDS} from './rule-ids.js';
import {type ScanSource, scanSources, trustRuleMetas} from './scan-report.js';

export interface ScanFlags extends PublishFlags {
  tools?: string[];
  connect?: boolean;
  config?: string;
  'project-config'?: string;
  baseline?: string;
  'update-baseline'?: boolean;
}

export interface ScanIO extends PublishIO {
  /** Where `--tools -` reads from (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** mcpx's version, declared to servers `--connect` starts. */
  version: string;
  /** End started servers on SIGINT/SIGTERM (the CLI's case). */
  handleSignals?: boolean;
}

/** A saved tool list is a few hundred kilobytes; a server with thousands of tools stays under this. */
export const MAX_TOOLS_FILE_BYTES = 16 * 1024 * 1024;
export const SCAN_BASELINE_NAME = '.mcpx-scan-baseline.json';
const REGENERATE = 'mcpx scan --update-baseline';

export async function runScan(names: string[], flags: ScanFlags, io: ScanIO): Promise<number> {
  const format = checkPublishFlags(flags);
  const toolFiles = flags.tools ?? [];
  if (toolFiles.length > 0 && flags.connect) throw new UserError('--tools scans saved tool lists; --connect starts the configured servers. Use one of them.');
  if (toolFiles.length > 0 && names.length > 0 && (toolFiles.length > 1 || names.length > 1)) {
    throw new UserError('With --tools, SERVER names the one server the file lists.', {hint: 'Scan one file with one name (mcpx scan weather --tools weather.json), or several files without names (each is named after its serverInfo or its file name).'});
  }
  if (toolFiles.filter((f) => f === '-').length > 1) throw new UserError('--tools - reads stdin once; name it only once.');

  const found = flags['project-config'] ? {config: path.resolve(io.cwd, flags['project-config'])} : findProjectConfig(io.cwd);
  const project = found.config ? await loadProjectConfig(found.config, [...RULES.map((r) => r.meta.id), ...TRUST_RULE_IDS]) : undefined;

  const report: LintReport = {files: [], findings: [], errors: [], notes: []};
  let sources: ScanSource[];
  if (toolFiles.length > 0) {
    sources = await Promise.all(toolFiles.map((f) => readToolsFile(f, names[0], io)));
  } else {
    sources = await configuredSources(names, flags, io, report);
  }
  report.files = [...new Set(sources.map((s) => s.file))];
  report.servers = sources.map((s) => ({
    name: s.server,
    source: s.origin,
    file: s.file,
    tools: Array.isArray(s.input.tools) ? s.input.tools.length : 0,
    prompts: Array.isArray(s.input.prompts) ? s.input.prompts.length : 0,
    instructions: typeof s.input.instructions === 'string' && s.input.instructions !== '',
    ...(s.cacheAge !== undefined ? {cacheAge: s.cacheAge} : {}),
  }));
  report.findings = scanSources(sources, {cwd: io.cwd, settings: project?.rules});
  if (project) applyProjectConfig(report, project);

  const baselineFile = flags.baseline ? path.resolve(io.cwd, flags.baseline) : undefined;
  const defaultBaseline = path.join(project?.dir ?? ('root' in found && found.root ? found.root : io.cwd), SCAN_BASELINE_NAME);
  if (flags['update-baseline']) {
    const file = baselineFile ?? defaultBaseline;
    // Entries of the servers this run scanned are replaced; other servers' are kept.
    const rel = (f: string) => path.relative(path.dirname(file), f).split(path.sep).join('/');
    const scanned = new Set(sources.map((s) => `${rel(s.file)}\0${s.server}`));
    const covered = (e: {file: string; pointer: string}) => scanned.has(`${e.file}\0${serverOfPointer(e.pointer)}`);
    await updateBaselineFile(report, file, io, REGENERATE, covered);
  } else {
    await applyBaselineFile(report, baselineFile, defaultBaseline, REGENERATE);
  }

  const servers = new Set(sources.map((s) => `${s.file}\0${s.server}`)).size;
  return publishReport(report, format, flags, io, {
    rules: trustRuleMetas(),
    scope: {noun: ['server', 'servers'], total: servers, of: (f) => `${f.file}\0${f.server ?? ''}`},
  });
}

/** The first segment of a scan pointer: the server (RFC 6901 unescaped). */
function serverOfPointer(pointer: string): string {
  const first = pointer.split('/')[1] ?? '';
  return first.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * The configured servers' tool lists, from serve's catalog cache or (`--connect`) by starting
 * them. A server without a cache is a note when all servers are scanned and an error when it was
 * named; a server that fails to start under --connect is an error; nothing scanned at all is an error.
 */
async function configuredSources(names: string[], flags: ScanFlags, io: ScanIO, report: LintReport): Promise<ScanSource[]> {
  const {listServerCatalogs} = await import('../proxy/inspect.js');
  const {readServeConfigText} = await import('../proxy/config.js');
  const listing = await listServerCatalogs({
    config: flags.config,
    env: io.env,
    names,
    connect: flags.connect,
    version: io.version,
    handleSignals: io.handleSignals,
    onStart: (started) => {
      if (started.length > 0) io.stderr.write(`mcpx: --connect: starting ${started.length} server${started.length === 1 ? '' : 's'} to list ${started.length === 1 ? 'its' : 'their'} tools: ${started.join(', ')}\n`);
    },
  });
  const file = path.resolve(listing.file);
  let doc: ConfigDocument | undefined;
  try {
    doc = parseJson(await readServeConfigText(file), file, false);
  } catch {
    doc = undefined;
  }
  const anchorOf = (name: string): SourceRange | undefined => doc?.rangeOf(['mcpServers', name], 'key');
  const named = names.length > 0;
  const sources: ScanSource[] = [];
  const missing: string[] = [];
  const disabled: string[] = [];
  for (const s of listing.servers) {
    if (s.catalog) {
      const {tools, prompts, instructions} = s.catalog;
      sources.push({
        server: s.name,
        file,
        input: {tools, prompts, ...(instructions !== undefined ? {instructions} : {})},
        origin: flags.connect ? 'connect' : 'cache',
        ...(s.cacheAge !== undefined ? {cacheAge: s.cacheAge} : {}),
        ...(anchorOf(s.name) ? {anchor: anchorOf(s.name)!} : {}),
      });
      continue;
    }
    const at = anchorOf(s.name)?.start;
    const error = (message: string) => report.errors.push({file, message, ...(at ? {line: at.line, column: at.column} : {})});
    if (s.state === 'disabled') disabled.push(s.name);
    else if (s.state === 'not-cached') {
      if (named) error(`server '${s.name}': no cached tool list to scan (run \`mcpx servers ${s.name}\` or \`mcpx serve\` once to fill the cache, or scan with --connect)`);
      else missing.push(s.name);
    } else error(`server '${s.name}' could not be scanned: ${s.error ?? s.state}${s.state === 'needs-login' ? ` (log in with \`mcpx auth login ${s.name}\`)` : ''}`);
  }
  if (disabled.length > 0) report.notes.push(`not scanned (disabled, nothing cached): ${disabled.join(', ')}`);
  if (!listing.cacheOn && !flags.connect) {
    report.errors.push({file, message: 'the tool cache is off in this config ("cache": false), so there is nothing to scan without starting the servers; scan with --connect'});
  } else if (missing.length > 0) {
    report.notes.push(`no cached tool list for ${missing.join(', ')} (never listed by mcpx serve, or the config changed since): run \`mcpx servers\` to fill the cache, or \`mcpx scan --connect\` to start ${missing.length === 1 ? 'it' : 'them'} now`);
  }
  if (sources.length === 0 && report.errors.length === 0) {
    report.errors.push({file, message: listing.servers.length === 0 ? 'the config has no servers to scan' : 'no server could be scanned: none has a cached tool list'});
  }
  return sources;
}

/**
 * Read a saved `tools/list` result: `{"tools": [...]}` (also `prompts`, `instructions` and
 * `serverInfo`, or the whole JSON-RPC response with them under `result`). Bounded in size and
 * nesting; malformed JSON or the wrong shape is a UserError naming file:line:column.
 */
export async function readToolsFile(file: string, name: string | undefined, io: ScanIO): Promise<ScanSource> {
  const fromStdin = file === '-';
  const abs = fromStdin ? path.join(io.cwd, 'stdin') : path.resolve(io.cwd, file);
  const label = fromStdin ? 'stdin' : file;
  let text: string;
  try {
    text = (fromStdin ? await readStdin(io.stdin ?? process.stdin) : await readBounded(abs, MAX_TOOLS_FILE_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof BoundedReadError) {
      const why = error.kind === 'directory' ? 'is a directory' : error.kind === 'not-regular' ? 'is not a regular file' : `is too large (the limit is ${MAX_TOOLS_FILE_BYTES} bytes)`;
      throw new UserError(`--tools ${label} ${why}.`, {hint: 'Name a JSON file holding a tools/list result: {"tools": [...]}.', code: 'E_TOOLS_FILE'});
    }
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`Cannot read --tools ${label}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {code: 'E_TOOLS_FILE'});
  }
  const doc = parseJson(text, label, true);
  const shapeError = (message: string, at: JsonPath) => {
    const pos = doc.rangeOf(at)?.start ?? {line: 1, column: 1};
    return new UserError(`${label}:${pos.line}:${pos.column}: ${message}`, {hint: 'Save the result of tools/list as it came: {"tools": [{"name": …, "description": …, "inputSchema": …}]}.', code: 'E_TOOLS_FILE'});
  };
  let root: JsonPath = [];
  let value = doc.value;
  if (isObj(value) && !('tools' in value) && isObj(value.result)) {
    root = ['result'];
    value = value.result;
  }
  if (!isObj(value)) throw shapeError('expected an object with a "tools" array (a tools/list result)', root);
  const {tools, prompts, instructions, serverInfo} = value;
  if (tools !== undefined && !Array.isArray(tools)) throw shapeError('"tools" must be an array', [...root, 'tools']);
  if (prompts !== undefined && !Array.isArray(prompts)) throw shapeError('"prompts" must be an array', [...root, 'prompts']);
  if (instructions !== undefined && typeof instructions !== 'string') throw shapeError('"instructions" must be a string', [...root, 'instructions']);
  if (tools === undefined && prompts === undefined && instructions === undefined) throw shapeError('expected an object with a "tools" array (a tools/list result)', root);
  for (const [key, list] of [['tools', tools], ['prompts', prompts]] as const) {
    (list as unknown[] | undefined)?.forEach((t, i) => {
      if (!isObj(t) || typeof t.name !== 'string') throw shapeError(`${key}[${i}] must be an object with a string "name"`, [...root, key, i]);
    });
  }
  const infoName = isObj(serverInfo) && typeof serverInfo.name === 'string' && serverInfo.name.trim() !== '' ? serverInfo.name.trim().slice(0, 100) : undefined;
  const server = name ?? infoName ?? (fromStdin ? 'stdin' : path.basename(abs).replace(/(\.tools)?\.json$/i, '') || path.basename(abs));
  return {
    server,
    file: abs,
    input: {tools: tools ?? [], prompts: prompts ?? [], ...(instructions !== undefined ? {instructions} : {})},
    doc,
    root,
    text,
    origin: 'file',
  };
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_TOOLS_FILE_BYTES) throw new UserError(`--tools -: stdin is too large (more than ${MAX_TOOLS_FILE_BYTES} bytes).`, {code: 'E_TOOLS_FILE'});
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
