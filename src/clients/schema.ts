/**
 * JSON Schema validation of client config documents with ajv, for `init` and `add` to check what
 * they are about to write. One schema per client in `schemas/clients/<id>.schema.json`, except
 * mcpx's own config, whose schema is the one `serve` ships (`schemas/mcpx-config.schema.json`). ajv and
 * the schema files load on the first call only: `mcpx lint` uses the cheaper `validate()` of each
 * client module and never imports this file.
 */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import type {ClientId} from '../model.js';
import type {ClientDefinition} from './types.js';

export interface SchemaProblem {
  message: string;
  path: JsonPath;
}

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
type Validator = ((data: unknown) => boolean) & {errors?: AjvError[] | null};

let ajv: {compile(schema: object): Validator} | undefined;
const validators = new Map<ClientId, Validator>();

/** The folder holding the schema files: `schemas/clients` at the package root, found upward from this module (src/ or dist/). */
export function schemaDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'schemas', 'clients');
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('mcpx bug: schemas/clients was not found next to the installed package');
}

async function validatorFor(id: ClientId): Promise<Validator> {
  const cached = validators.get(id);
  if (cached) return cached;
  if (!ajv) {
    const mod = (await import('ajv')) as unknown as {default: unknown};
    // ajv is CommonJS: its class is `module.exports` (and `.default` of it, depending on the loader).
    const Ajv = ((mod.default as {default?: unknown}).default ?? mod.default) as new (opts: object) => {compile(schema: object): Validator};
    // `required` inside anyOf names keys declared one level up, which strictRequired would refuse.
    ajv = new Ajv({allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true});
  }
  const file = id === 'mcpx' ? path.join(schemaDir(), '..', 'mcpx-config.schema.json') : path.join(schemaDir(), `${id}.schema.json`);
  const schema = JSON.parse(await fs.promises.readFile(file, 'utf8')) as object;
  const validate = ajv.compile(schema);
  validators.set(id, validate);
  return validate;
}

/**
 * Validate a document (or plain data) against the client's JSON Schema. Returns problems with
 * the JSON path of the offending value; [] when valid. Throws only when the schema itself is
 * missing or broken (a bug in mcpx).
 */
export async function validateWithSchema(client: ClientDefinition | ClientId, doc: ConfigDocument | {value: unknown}): Promise<SchemaProblem[]> {
  const id = typeof client === 'string' ? client : client.id;
  const validate = await validatorFor(id);
  const value = doc.value ?? {};
  if (validate(value)) return [];
  return describeErrors(validate.errors ?? [], value);
}

function toPath(instancePath: string, value: unknown): JsonPath {
  if (instancePath === '') return [];
  const out: (string | number)[] = [];
  let cur: unknown = value;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step: string | number = Array.isArray(cur) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(step);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string | number, unknown>)[step] : undefined;
  }
  return out;
}

function label(p: JsonPath): string {
  return p.length === 0 ? 'the document' : p.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}

function describeErrors(errors: AjvError[], value: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  const push = (p: JsonPath, message: string): void => {
    const key = JSON.stringify(p) + message;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push({message, path: p});
  };
  // "Needs command or url" is one problem, not one per alternative.
  const alternatives = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword === 'required' && e.schemaPath.includes('/anyOf/')) {
      alternatives.set(e.instancePath, [...(alternatives.get(e.instancePath) ?? []), String(e.params.missingProperty)]);
    }
  }
  for (const e of errors) {
    const p = toPath(e.instancePath, value);
    if (e.keyword === 'if' || (e.schemaPath.includes('/anyOf/') && (e.keyword === 'required' || e.keyword === 'type'))) continue;
    if (e.keyword === 'anyOf') {
      if (!alternatives.has(e.instancePath)) push(p, `${label(p)} does not have any of the accepted shapes`);
      continue;
    }
    let message = `${label(p)} ${e.message ?? 'is invalid'}`;
    if (e.keyword === 'enum') message += `: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    if (e.keyword === 'not') message = `${label(p)} has a key or combination of keys this client rejects`;
    push(p, message);
  }
  for (const [instancePath, keys] of alternatives) {
    const p = toPath(instancePath, value);
    push(p, `${label(p)} must have one of ${[...new Set(keys)].map((k) => `"${k}"`).join(', ')}`);
  }
  return problems;
}
