/**
 * Checks tool arguments against the tool's cached input schema before a call leaves mcpx, so
 * the model gets a precise message (which argument, what was expected) instead of an opaque
 * upstream failure. Compiled validators are memoised per schema; a schema ajv cannot compile
 * is not enforced (the upstream still validates).
 */
import {loadAjv} from './config.js';
import type {ToolEntry} from './manager.js';

type Validator = ((data: unknown) => boolean) & {errors?: Array<{instancePath: string; keyword: string; message?: string; params: Record<string, unknown>}> | null};

const compiled = new Map<string, Validator | null>();
/** Per schema object, so the common case costs no serialisation. */
const bySchema = new WeakMap<object, Validator | null>();
let ajvs: Promise<{draft07: {compile(s: unknown): Validator}; draft2020: {compile(s: unknown): Validator}}> | undefined;

async function getAjv() {
  ajvs ??= (async () => {
    const [Ajv, Ajv2020, formats] = await Promise.all([loadAjv('07'), loadAjv('2020'), import('ajv-formats')]);
    const addFormats = ((formats as unknown as {default: {default?: unknown}}).default.default ?? (formats as unknown as {default: unknown}).default) as (ajv: unknown) => void;
    const make = (C: typeof Ajv) => {
      const ajv = new C({allErrors: true, strict: false, logger: false, validateSchema: false});
      addFormats(ajv);
      return ajv;
    };
    return {draft07: make(Ajv), draft2020: make(Ajv2020)};
  })();
  return ajvs;
}

/** A message naming each argument problem, or undefined when the arguments fit the schema. */
export async function validateArguments(entry: ToolEntry, args: Record<string, unknown>): Promise<string | undefined> {
  const schema = entry.tool.inputSchema as Record<string, unknown> | undefined;
  if (!schema) return undefined;
  let validate = bySchema.get(schema);
  if (validate === undefined) validate = compiled.get(JSON.stringify(schema));
  if (validate === undefined) {
    try {
      const {draft07, draft2020} = await getAjv();
      const is2020 = typeof schema.$schema === 'string' && schema.$schema.includes('2020-12');
      const {$schema: _ignored, ...rest} = schema;
      validate = (is2020 ? draft2020 : draft07).compile(rest);
    } catch {
      validate = null;
    }
    compiled.set(JSON.stringify(schema), validate);
  }
  bySchema.set(schema, validate);
  if (!validate || validate(args)) return undefined;
  const problems = (validate.errors ?? []).slice(0, 8).map((e) => {
    const at = e.instancePath ? `'${e.instancePath.slice(1).replace(/\//g, '.')}'` : 'arguments';
    switch (e.keyword) {
      case 'required':
        return `missing required argument '${[e.instancePath.slice(1).replace(/\//g, '.'), e.params.missingProperty].filter(Boolean).join('.')}'`;
      case 'additionalProperties':
        return `unknown argument '${[e.instancePath.slice(1).replace(/\//g, '.'), e.params.additionalProperty].filter(Boolean).join('.')}'`;
      case 'enum':
        return `${at} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      default:
        return `${at} ${e.message ?? 'is invalid'}`;
    }
  });
  return `Arguments for ${entry.name} do not match its input schema: ${problems.join('; ')}.`;
}
