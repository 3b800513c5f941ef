/**
 * Tool-poisoning scan: walks every string of a server's tool list the model sees (tool name, title,
 * description, input-schema property descriptions/titles/enums/defaults to depth 8, server
 * instructions, prompt descriptions and texts) through the rules of src/trust/rules/. Pure: no I/O.
 */
import type {HeldFinding} from './pins.js';
import {itemKey, type Scanner} from './hold.js';
import {TRUST_RULES, type TrustSeverity, type Where} from './rules/index.js';

export interface ScanInput {
  server?: string;
  instructions?: unknown;
  tools: unknown;
  prompts?: unknown;
}

export interface TrustFinding {
  ruleId: string;
  severity: TrustSeverity;
  server: string;
  /** Tool name, `(instructions)` for server instructions, `prompt:<name>` for a prompt. */
  tool: string;
  field: string;
  message: string;
  /** At most 120 characters around the match, hidden characters shown as \u{…}. */
  excerpt: string;
}

const MAX_DEPTH = 8;
const MAX_STRING = 100_000;
const EXCERPT = 120;

interface Target { tool: string; text: string; where: Where }

/**
 * The scanner pinning uses (src/trust/hold.ts): the error-level findings of the items not yet
 * approved, by item key, at most 5 per item and one per rule and field.
 */
export const holdScanner: Scanner = (items) => {
  const out = new Map<string, HeldFinding[]>();
  const tools = items.filter((i) => i.kind === 'tool').map((i) => i.definition);
  const prompts = items.filter((i) => i.kind === 'prompt').map((i) => i.definition);
  for (const f of scanTools({server: '', tools, prompts})) {
    if (f.severity !== 'error') continue;
    const key = f.tool.startsWith('prompt:') ? itemKey('prompt', f.tool.slice('prompt:'.length)) : itemKey('tool', f.tool);
    const list = out.get(key) ?? [];
    if (list.length < 5 && !list.some((x) => x.ruleId === f.ruleId && x.field === f.field)) list.push({ruleId: f.ruleId, field: f.field, message: f.message});
    out.set(key, list);
  }
  return out;
};

export function scanTools(input: ScanInput): TrustFinding[] {
  const server = typeof input.server === 'string' ? input.server : '';
  const targets: Target[] = [];
  const add = (tool: string, text: unknown, where: Where) => {
    if (typeof text === 'string' && text.length > 0) targets.push({tool, text: text.slice(0, MAX_STRING), where});
  };
  add('(instructions)', input.instructions, {field: 'instructions', kind: 'instructions'});
  for (const t of Array.isArray(input.tools) ? input.tools : []) {
    if (!isObj(t)) continue;
    const name = typeof t.name === 'string' ? t.name : '(unnamed)';
    add(name, t.name, {field: 'name', kind: 'name'});
    add(name, t.title, {field: 'title', kind: 'title'});
    add(name, t.description, {field: 'description', kind: 'description'});
    if (isObj(t.annotations)) {
      // Every string annotation reaches the model in some clients (title, vendor keys such as x-model-guidance).
      for (const [k, v] of Object.entries(t.annotations).slice(0, 50)) add(name, v, {field: `annotations.${k}`, kind: k === 'title' ? 'title' : 'description'});
    }
    walkSchema(t.inputSchema, 'inputSchema', undefined, 0, (text, where) => add(name, text, where));
  }
  for (const p of Array.isArray(input.prompts) ? input.prompts : []) {
    if (!isObj(p)) continue;
    const name = `prompt:${typeof p.name === 'string' ? p.name : '(unnamed)'}`;
    add(name, p.title, {field: 'title', kind: 'prompt'});
    add(name, p.description, {field: 'description', kind: 'prompt'});
    add(name, p.text, {field: 'text', kind: 'prompt'});
    const args = Array.isArray(p.arguments) ? p.arguments : [];
    args.forEach((a, i) => {
      if (isObj(a)) add(name, a.description, {field: `arguments.${i}.description`, kind: 'param-description', param: typeof a.name === 'string' ? a.name : undefined});
    });
  }
  const siblings = (Array.isArray(input.tools) ? input.tools : []).filter(isObj).map((t) => t.name).filter((n): n is string => typeof n === 'string').slice(0, 2000);
  const ownNames = new Set<string>();
  for (const t of Array.isArray(input.tools) ? input.tools : []) if (isObj(t)) collectNames(t.inputSchema, 0, ownNames);
  const findings: TrustFinding[] = [];
  for (const t of targets) {
    const where: Where = {...t.where, tool: t.tool, siblings, ownNames};
    for (const rule of TRUST_RULES) {
      for (const hit of rule.check(t.text, where)) {
        findings.push({ruleId: rule.meta.id, severity: hit.severity, server, tool: t.tool, field: t.where.field, message: hit.message, excerpt: excerpt(t.text, hit.index, hit.length)});
      }
    }
  }
  return findings;
}

/** Property names and string enum values of a schema (to depth MAX_DEPTH, at most 5,000). */
function collectNames(schema: unknown, depth: number, out: Set<string>): void {
  if (!isObj(schema) || depth > MAX_DEPTH || out.size > 5000) return;
  for (const v of valuesOf(schema.enum)) out.add(v.toLowerCase());
  for (const v of valuesOf(schema.const)) out.add(v.toLowerCase());
  if (isObj(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) { out.add(k.toLowerCase()); collectNames(v, depth + 1, out); }
  if (isObj(schema.items)) collectNames(schema.items, depth + 1, out);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) { const l = schema[key]; if (Array.isArray(l)) for (const s of l) collectNames(s, depth + 1, out); }
  for (const key of ['$defs', 'definitions'] as const) { const d = schema[key]; if (isObj(d)) for (const [k, v] of Object.entries(d)) { out.add(k.toLowerCase()); collectNames(v, depth + 1, out); } }
}

type Emit = (text: unknown, where: Where) => void;

function walkSchema(schema: unknown, path: string, param: string | undefined, depth: number, emit: Emit): void {
  if (!isObj(schema) || depth > MAX_DEPTH) return;
  if (param !== undefined) {
    emit(schema.description, {field: `${path}.description`, kind: 'param-description', param});
    emit(schema.title, {field: `${path}.title`, kind: 'param-description', param});
    // The property name itself is seen by the model too.
    emit(param, {field: `${path}`, kind: 'name', param});
  }
  for (const v of valuesOf(schema.enum)) emit(v, {field: `${path}.enum`, kind: 'enum', param});
  for (const v of valuesOf(schema.default)) emit(v, {field: `${path}.default`, kind: 'default', param});
  for (const v of valuesOf(schema.examples)) emit(v, {field: `${path}.examples`, kind: 'default', param});
  if (isObj(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties)) walkSchema(v, `${path}.properties.${k}`, k, depth + 1, emit);
  }
  if (isObj(schema.items)) walkSchema(schema.items, `${path}.items`, param, depth + 1, emit);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((s, i) => walkSchema(s, `${path}.${key}.${i}`, param, depth + 1, emit));
  }
  for (const key of ['$defs', 'definitions'] as const) {
    const defs = schema[key];
    if (isObj(defs)) for (const [k, v] of Object.entries(defs)) walkSchema(v, `${path}.${key}.${k}`, k, depth + 1, emit);
  }
  if (isObj(schema.additionalProperties)) walkSchema(schema.additionalProperties, `${path}.additionalProperties`, param, depth + 1, emit);
}

function valuesOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.slice(0, 200).filter((x): x is string => typeof x === 'string');
  return [];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/u;

/** At most `EXCERPT` characters around [index, index+length), hidden characters escaped, newlines as ⏎. */
export function excerpt(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 30);
  const out: string[] = [];
  let size = start > 0 ? 1 : 0;
  for (const ch of text.slice(start, Math.min(text.length, index + length + 200))) {
    const shown = ch === '\n' ? '⏎' : HIDDEN.test(ch) ? `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}` : ch;
    if (size + shown.length > EXCERPT - 1) {
      out.push('…');
      size = EXCERPT;
      break;
    }
    out.push(shown);
    size += shown.length;
  }
  return (start > 0 ? '…' : '') + out.join('');
}
