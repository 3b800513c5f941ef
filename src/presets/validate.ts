/**
 * Validation of one preset document: the official registry `server.json` schema (ajv, loaded
 * lazily), mcpx's `_meta["dev.mcpx/preset"]` block, and the rules the schema cannot express
 * (exact package versions, no stored secret values, templates that reference declared variables,
 * a component that matches what the preset offers). Problems are reported with the file and the
 * JSON pointer of the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {Ajv, ErrorObject, ValidateFunction} from 'ajv';
import type {FormatsPlugin} from 'ajv-formats';
import {PRESET_META_KEY, type RegistryInput, type ServerJson} from './types.js';

/** One problem in a preset file: where (JSON pointer, '' for the root) and what. */
export interface PresetProblem {
  pointer: string;
  message: string;
}

/** JSON Schema of the mcpx extension block (draft-07, like the registry schema). */
export const PRESET_META_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'tags', 'auth', 'component', 'needsAccount', 'docs'],
  properties: {
    id: {type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64},
    title: {type: 'string', minLength: 1, maxLength: 100},
    tags: {type: 'array', items: {type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$'}, uniqueItems: true},
    auth: {enum: ['none', 'token', 'oauth']},
    component: {enum: ['stdio-local', 'http-apikey', 'http-oauth']},
    needsAccount: {type: 'boolean'},
    docs: {type: 'string', format: 'uri', pattern: '^https://'},
    notes: {type: 'string'},
  },
} as const;

/** An exact version: `1.2.3`, `2025.4.8`, `0.0.83`, `1.0.0-beta.1` — no ranges, tags or `x`. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const TEMPLATE_REF = /\{([^{}]+)\}/g;

interface Validators {
  server: ValidateFunction;
  meta: ValidateFunction;
}
let validators: Promise<Validators> | undefined;

/** Compile both schemas once per process; ajv is only loaded when presets are validated. */
function getValidators(schemaDir: string): Promise<Validators> {
  validators ??= (async () => {
    const ajvModule = await import('ajv');
    const formatsModule = await import('ajv-formats');
    // CommonJS interop: the constructor is `default` (or `default.default` under some loaders).
    const AjvClass = interopDefault<typeof Ajv>(ajvModule);
    const addFormats = interopDefault<FormatsPlugin>(formatsModule);
    // strict: false because the registry schema uses the non-standard `example` keyword.
    const ajv = new AjvClass({allErrors: true, strict: false});
    addFormats(ajv);
    const registrySchema = JSON.parse(fs.readFileSync(path.join(schemaDir, 'mcp-registry-server.schema.json'), 'utf8')) as object;
    return {server: ajv.compile(registrySchema), meta: ajv.compile(PRESET_META_SCHEMA)};
  })();
  return validators;
}

/**
 * Every problem in one parsed preset document (empty when valid). `schemaDir` is the folder
 * holding `mcp-registry-server.schema.json`. Never throws for bad input; only for a missing schema.
 */
export async function validatePresetDocument(doc: unknown, schemaDir: string): Promise<PresetProblem[]> {
  const {server, meta} = await getValidators(schemaDir);
  const problems: PresetProblem[] = [];
  if (!server(doc)) problems.push(...fromAjv(server.errors ?? [], ''));
  if (!isObject(doc)) return dedupe(problems);
  const metaBlock = isObject(doc._meta) ? doc._meta[PRESET_META_KEY] : undefined;
  if (metaBlock === undefined) {
    problems.push({pointer: `/_meta/${escapePointer(PRESET_META_KEY)}`, message: `is missing: mcpx needs its "${PRESET_META_KEY}" block (id, title, tags, auth, component, needsAccount, docs)`});
  } else if (!meta(metaBlock)) {
    problems.push(...fromAjv(meta.errors ?? [], `/_meta/${escapePointer(PRESET_META_KEY)}`));
  }
  if (problems.length === 0) problems.push(...semanticProblems(doc as unknown as ServerJson));
  return dedupe(problems);
}

/** The rules beyond the schemas; assumes the document already passed them. */
function semanticProblems(doc: ServerJson): PresetProblem[] {
  const out: PresetProblem[] = [];
  const meta = doc._meta![PRESET_META_KEY] as {component: string; auth: string};
  const packages = doc.packages ?? [];
  const remotes = doc.remotes ?? [];
  if (packages.length === 0 && remotes.length === 0) out.push({pointer: '', message: 'must have at least one package or remote'});

  packages.forEach((pkg, i) => {
    const at = `/packages/${i}`;
    if (pkg.version === undefined) out.push({pointer: `${at}/version`, message: 'is missing: pin the exact package version'});
    else if (!EXACT_VERSION.test(pkg.version)) out.push({pointer: `${at}/version`, message: `must be an exact version like 1.2.3, not "${pkg.version}"`});
    (pkg.environmentVariables ?? []).forEach((e, j) => checkInput(e, `${at}/environmentVariables/${j}`, out));
    (pkg.packageArguments ?? []).forEach((a, j) => checkInput(a, `${at}/packageArguments/${j}`, out));
    (pkg.runtimeArguments ?? []).forEach((a, j) => checkInput(a, `${at}/runtimeArguments/${j}`, out));
  });
  remotes.forEach((remote, i) => {
    const at = `/remotes/${i}`;
    for (const ref of templateRefs(remote.url)) {
      if (!remote.variables?.[ref]) out.push({pointer: `${at}/url`, message: `references {${ref}}, which is not declared in ${at}/variables`});
    }
    for (const [name, v] of Object.entries(remote.variables ?? {})) checkInput(v, `${at}/variables/${escapePointer(name)}`, out);
    (remote.headers ?? []).forEach((h, j) => checkInput(h, `${at}/headers/${j}`, out));
  });

  const hasStdio = packages.some((p) => p.transport.type === 'stdio');
  if (meta.component === 'stdio-local' && !hasStdio) out.push({pointer: `/_meta/${escapePointer(PRESET_META_KEY)}/component`, message: 'is stdio-local but no package has transport stdio'});
  if (meta.component !== 'stdio-local' && remotes.length === 0) out.push({pointer: `/_meta/${escapePointer(PRESET_META_KEY)}/component`, message: `is ${meta.component} but the preset has no remotes`});
  if ((meta.component === 'http-oauth') !== (meta.auth === 'oauth')) {
    out.push({pointer: `/_meta/${escapePointer(PRESET_META_KEY)}/auth`, message: `"${meta.auth}" does not match component "${meta.component}" (OAuth goes with http-oauth and only with it)`});
  }
  return out;
}

/** Secrets never carry a stored value; templates only reference declared variables. */
function checkInput(input: RegistryInput, at: string, out: PresetProblem[]): void {
  if (input.isSecret && input.default !== undefined) out.push({pointer: `${at}/default`, message: 'is set on a secret: a preset never stores a secret value'});
  if (input.value !== undefined) {
    const refs = templateRefs(input.value);
    for (const ref of refs) {
      if (!input.variables?.[ref]) out.push({pointer: `${at}/value`, message: `references {${ref}}, which is not declared in ${at}/variables`});
    }
    if (input.isSecret && refs.length === 0) out.push({pointer: `${at}/value`, message: 'is a fixed value on a secret: use a {VARIABLE} reference marked isSecret instead'});
    if (input.isSecret && refs.length > 0 && !refs.some((r) => input.variables?.[r]?.isSecret)) {
      out.push({pointer: `${at}/variables`, message: 'a secret value must reference at least one variable marked isSecret'});
    }
  }
  for (const [name, v] of Object.entries(input.variables ?? {})) {
    if (v.isSecret && v.default !== undefined) out.push({pointer: `${at}/variables/${escapePointer(name)}/default`, message: 'is set on a secret: a preset never stores a secret value'});
    if (v.isSecret && v.value !== undefined) out.push({pointer: `${at}/variables/${escapePointer(name)}/value`, message: 'is set on a secret: a preset never stores a secret value'});
  }
}

/** The constructor or function a CommonJS module exports, however the loader wrapped it. */
function interopDefault<T>(mod: unknown): T {
  let v = mod as {default?: unknown};
  while (typeof v !== 'function' && v && v.default !== undefined) v = v.default as {default?: unknown};
  return v as unknown as T;
}

/** The `{name}` references in a template, in order, without duplicates. */
export function templateRefs(template: string): string[] {
  return [...new Set([...template.matchAll(TEMPLATE_REF)].map((m) => m[1]!))];
}

function fromAjv(errors: ErrorObject[], prefix: string): PresetProblem[] {
  // anyOf/allOf branches repeat the same failure; the leaf errors are the useful ones.
  const leaves = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'allOf' && e.keyword !== 'if');
  return (leaves.length > 0 ? leaves : errors).map((e) => ({pointer: prefix + e.instancePath, message: ajvMessage(e)}));
}

function ajvMessage(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `is missing required property "${String(p.missingProperty)}"`;
    case 'additionalProperties':
      return `has unknown property "${String(p.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not':
      return e.instancePath.endsWith('/version') ? 'must be an exact version, not "latest"' : `${e.message ?? 'is not allowed'}`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

function dedupe(problems: PresetProblem[]): PresetProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
