/**
 * `mcpx scan`'s findings as lint findings, so that lint's formatters, baselines and ignores serve
 * both: each poisoning finding of scanTools() gets a file and line (the string in a `--tools`
 * file, or the server's entry in the serve config), a pointer that names server, tool and field
 * (`/weather/tools/get_forecast/inputSchema/properties/notes/description`, stable when tools are
 * reordered), a value hash over the excerpt (a changed text is reported again), and an excerpt
 * and message with every secret masked. Pure: no I/O.
 */
import {createHash} from 'node:crypto';
import path from 'node:path';
import {type ConfigDocument, type JsonPath, type SourceRange, toPointer} from '../config/types.js';
import type {Finding, RuleMeta, SeveritySetting} from '../lint/types.js';
import {maskSecret, redact} from '../secrets/mask.js';
import {findTextSecrets} from '../secrets/text-secrets.js';
import {TRUST_RULES} from './rules/index.js';
import {type ScanInput, type TrustFinding, scanTools} from './scan.js';

export interface ScanSource {
  /** The server's name as findings report it. */
  server: string;
  /** Absolute path findings point at: the `--tools` file, or the serve config. */
  file: string;
  input: ScanInput;
  /** The `--tools` file's document: a finding points at the string it is about. */
  doc?: ConfigDocument;
  /** Where `input` sits in `doc` (e.g. `['result']` for a saved JSON-RPC response). */
  root?: JsonPath;
  /** Without `doc`: where every finding points (the server's entry in the serve config). */
  anchor?: SourceRange;
  /** Text holding every string of the input, searched for secrets the output must mask. */
  text?: string;
  /** Where the tool list came from (for the report's list of servers). */
  origin: 'cache' | 'connect' | 'file';
  /** From the cache: seconds since serve listed it. */
  cacheAge?: number;
}

/** The poisoning rules' metadata in lint's shape (SARIF lists them with their docs pages). */
export function trustRuleMetas(): RuleMeta[] {
  return TRUST_RULES.map((r) => ({id: r.meta.id, description: r.meta.description, defaultSeverity: r.meta.severity, category: 'tool-poisoning', fix: 'manual'}));
}

/**
 * Scan each source and return its findings in lint's shape, sorted by file, position and rule.
 * `settings` are the project config's severities by rule id ('off' drops a rule, any other
 * setting replaces the severity of its findings).
 */
export function scanSources(sources: readonly ScanSource[], options: {cwd: string; settings?: Record<string, SeveritySetting>}): Finding[] {
  const out: Finding[] = [];
  for (const source of sources) {
    const hits = scanTools({...source.input, server: source.server});
    if (hits.length === 0) continue;
    const secrets = secretsIn(source.text ?? safeJson(source.input));
    // Two patterns of one rule matching the same words say the same thing once.
    const seen = new Set<string>();
    for (const hit of hits) {
      const setting = options.settings?.[hit.ruleId];
      if (setting === 'off') continue;
      const key = [hit.ruleId, hit.severity, hit.tool, hit.field, hit.message, hit.excerpt].join('\0');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(toFinding(hit, source, setting ?? hit.severity, secrets, options.cwd));
    }
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return out.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || a.column - b.column || cmp(a.ruleId, b.ruleId));
}

type Item = {kind: 'tool' | 'prompt'; name: string} | {kind: 'instructions'};

function itemOf(hit: TrustFinding): Item {
  if (hit.tool === '(instructions)' && hit.field === 'instructions') return {kind: 'instructions'};
  if (hit.tool.startsWith('prompt:')) return {kind: 'prompt', name: hit.tool.slice('prompt:'.length)};
  return {kind: 'tool', name: hit.tool};
}

function toFinding(hit: TrustFinding, source: ScanSource, severity: Exclude<SeveritySetting, 'off'>, secrets: readonly string[], cwd: string): Finding {
  const item = itemOf(hit);
  const {dataPath, fieldPath, isKey} = locateField(source.input, item, hit.field);
  const logical: Array<string | number> = item.kind === 'instructions' ? [source.server, 'instructions'] : [source.server, item.kind === 'tool' ? 'tools' : 'prompts', item.name, ...fieldPath];
  const pointer = toPointer(logical);
  const range = (source.doc && dataPath ? (source.doc.rangeOf([...(source.root ?? []), ...dataPath], isKey ? 'key' : 'value') ?? source.doc.rangeOf([...(source.root ?? []), ...dataPath])) : undefined) ?? source.anchor;
  const start = range?.start ?? {line: 1, column: 1};
  const end = range?.end ?? start;
  const valueHash = sha256(`mcpx-scan:${hit.ruleId}\0${pointer}\0${hit.excerpt}`).slice(0, 32);
  const rel = path.relative(cwd, source.file).split(path.sep).join('/');
  const finding: Finding = {
    ruleId: hit.ruleId,
    severity,
    message: maskText(hit.message, secrets),
    file: source.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    pointer,
    server: source.server,
    ...(item.kind === 'tool' ? {tool: item.name} : item.kind === 'prompt' ? {prompt: item.name} : {}),
    field: hit.field,
    excerpt: maskText(hit.excerpt, secrets),
    valueHash,
    fingerprint: sha256([rel, hit.ruleId, pointer, valueHash].join('\0')).slice(0, 32),
  };
  return finding;
}

/**
 * Resolve scanTools' dotted `field` against the item: the data path from the input's root (for
 * the document's ranges) and the path inside the item (for the pointer). A property name with a
 * dot in it is matched greedily; what does not resolve is kept as written. `isKey`: the string is
 * a property's name (the value there is its schema).
 */
function locateField(input: ScanInput, item: Item, field: string): {dataPath?: JsonPath; fieldPath: Array<string | number>; isKey: boolean} {
  if (item.kind === 'instructions') return {dataPath: ['instructions'], fieldPath: [], isKey: false};
  const list = item.kind === 'tool' ? input.tools : input.prompts;
  const index = Array.isArray(list) ? list.findIndex((t) => isObj(t) && t.name === item.name) : -1;
  const parts = field.split('.');
  if (index < 0) return {fieldPath: parts, isKey: false};
  const base: JsonPath = [item.kind === 'tool' ? 'tools' : 'prompts', index];
  let node: unknown = (list as unknown[])[index];
  const resolved: Array<string | number> = [];
  let i = 0;
  while (i < parts.length) {
    if (Array.isArray(node) && /^\d+$/.test(parts[i]!) && Number(parts[i]) < node.length) {
      node = node[Number(parts[i])];
      resolved.push(Number(parts[i]));
      i++;
      continue;
    }
    if (!isObj(node)) break;
    let j = i + 1;
    let key = parts[i]!;
    // Greedy: the longest run of parts that names a key (keys may hold dots).
    for (let k = parts.length; k > i; k--) {
      const candidate = parts.slice(i, k).join('.');
      if (Object.hasOwn(node, candidate)) {
        key = candidate;
        j = k;
        break;
      }
    }
    if (!Object.hasOwn(node, key)) break;
    node = node[key];
    resolved.push(key);
    i = j;
  }
  const complete = i === parts.length;
  const fieldPath = complete ? resolved : [...resolved, ...parts.slice(i)];
  return {dataPath: [...base, ...resolved], fieldPath, isKey: complete && isObj(node) && resolved.length > 0};
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** The secret values in `text` (provider formats anywhere, credentials under secret-like keys). */
function secretsIn(text: string): string[] {
  return [...new Set(findTextSecrets(text).map((s) => text.slice(s.start, s.end)))].filter((s) => s.length >= 8);
}

/**
 * `text` with every secret masked: known ones wherever they occur, a piece of one cut at either
 * end of an excerpt (`…` marks the cut), and any other the detector sees in the text itself.
 */
export function maskText(text: string, secrets: readonly string[]): string {
  let out = redact(text, secrets);
  for (const s of secrets) {
    // Four characters or fewer show no more than a mask does.
    const min = 5;
    // The excerpt began inside the secret: it starts (after "…") with the secret's tail.
    const head = out.startsWith('…') ? 1 : 0;
    for (let k = Math.min(s.length - 1, out.length - head); k >= min; k--) {
      if (out.startsWith(s.slice(-k), head)) {
        out = out.slice(0, head) + '****' + out.slice(head + k);
        break;
      }
    }
    // It ended inside the secret: it ends (before "…") with the secret's head.
    const tail = out.endsWith('…') ? 1 : 0;
    const body = out.slice(0, out.length - tail);
    for (let k = Math.min(s.length - 1, body.length); k >= min; k--) {
      if (body.endsWith(s.slice(0, k))) {
        out = body.slice(0, body.length - k) + '****' + out.slice(out.length - tail);
        break;
      }
    }
  }
  const more = findTextSecrets(out);
  for (let i = more.length - 1; i >= 0; i--) {
    const {start, end} = more[i]!;
    out = out.slice(0, start) + maskSecret(out.slice(start, end)) + out.slice(end);
  }
  return out;
}
