/**
 * Turns a preset plus the user's choices into a neutral ServerSpec for init/add. Secrets never
 * get a value here: every secret environment variable, header or argument becomes a `${VAR}`
 * reference (resolved later from the environment or the keychain). Non-secret settings come from
 * the given values, then the preset's defaults.
 */
import {UserError} from '../errors.js';
import type {ServerSpec} from '../model.js';
import {didYouMean} from '../util/suggest.js';
import type {Preset, PresetTransport, RegistryArgument, RegistryInput, RegistryKeyValue, RegistryPackage, RegistryRemote} from './types.js';
import {templateRefs} from './validate.js';

/** One value a user may be asked for when adding a preset. */
export interface PresetInput {
  /**
   * The key the value is given under in `values`. For a secret it is also the variable name of
   * its `${VAR}` reference (the environment variable or keychain entry the user must provide).
   */
  key: string;
  /** What the value feeds. */
  where: 'env' | 'header' | 'argument' | 'url';
  /** The environment variable, header or flag (or positional label) it ends up in. */
  target: string;
  description?: string;
  isRequired: boolean;
  isSecret: boolean;
  format: 'string' | 'number' | 'boolean' | 'filepath';
  default?: string;
  placeholder?: string;
  choices?: string[];
  /** A positional argument that may be given several times (values as an array). */
  isRepeated?: boolean;
}

/** Values for non-secret inputs, by `PresetInput.key`; arrays for repeated arguments. */
export type PresetValues = Record<string, string | number | boolean | string[] | undefined>;

export interface PresetToSpecOptions {
  /** Which way to run it; default: `defaultTransport(preset)`. */
  transport?: PresetTransport;
  values?: PresetValues;
  /** Optional secrets to wire in as `${VAR}` references (required ones always are). */
  optionalSecrets?: string[];
  /** Server name in the client config; default: the preset id. */
  name?: string;
}

/** The ways this preset can be run: `stdio` when it has a runnable package, `http` when it has a remote. */
export function availableTransports(preset: Preset): PresetTransport[] {
  const out: PresetTransport[] = [];
  if (localPackage(preset)) out.push('stdio');
  if (preferredRemote(preset)) out.push('http');
  return out;
}

/** The transport of the preset's component (`stdio-local` → stdio, `http-*` → http). */
export function defaultTransport(preset: Preset): PresetTransport {
  return preset.meta.component === 'stdio-local' ? 'stdio' : 'http';
}

/** The npm (or PyPI) package run over stdio, if any. */
export function localPackage(preset: Preset): RegistryPackage | undefined {
  return preset.server.packages?.find((p) => p.transport.type === 'stdio' && (p.registryType === 'npm' || p.registryType === 'pypi'));
}

/** The remote to connect to: Streamable HTTP first, then SSE. */
export function preferredRemote(preset: Preset): RegistryRemote | undefined {
  const remotes = preset.server.remotes ?? [];
  return remotes.find((r) => r.type === 'streamable-http') ?? remotes[0];
}

/**
 * Every value the user may be asked for with the given transport (default: the preset's),
 * secrets included. Throws UserError `E_PRESET_TRANSPORT` when the preset cannot run that way.
 */
export function presetInputs(preset: Preset, transport: PresetTransport = defaultTransport(preset)): PresetInput[] {
  const inputs: PresetInput[] = [];
  if (transport === 'stdio') {
    const pkg = requirePackage(preset);
    for (const arg of pkg.packageArguments ?? []) inputs.push(...argumentInputs(arg));
    for (const e of pkg.environmentVariables ?? []) inputs.push(...keyValueInputs(e, 'env'));
  } else {
    const remote = requireRemote(preset);
    for (const [name, v] of Object.entries(remote.variables ?? {})) inputs.push(toInput(name, 'url', name, v));
    for (const h of remote.headers ?? []) inputs.push(...keyValueInputs(h, 'header'));
  }
  // The same variable may feed several places (e.g. a token in two headers): ask once.
  const byKey = new Map<string, PresetInput>();
  for (const input of inputs) if (!byKey.has(input.key)) byKey.set(input.key, input);
  return [...byKey.values()];
}

/** The secrets a preset takes with the given transport (required and optional), each a `${key}` reference in the spec. */
export function requiredSecrets(preset: Preset, transport: PresetTransport = defaultTransport(preset)): PresetInput[] {
  return presetInputs(preset, transport).filter((i) => i.isSecret);
}

/**
 * The neutral server entry for a preset. stdio: `npx -y <package>@<version> <args>` with `env`;
 * http: the remote URL (transport `http` or `sse`) with `headers`. Secrets become `${VAR}`;
 * a value given for a secret is never used (it only opts an optional secret in).
 * Throws UserError: `E_PRESET_TRANSPORT` (no package/remote for that transport),
 * `E_PRESET_VALUE` (a required non-secret value is missing, or a value names no input).
 */
export function presetToSpec(preset: Preset, options: PresetToSpecOptions = {}): ServerSpec {
  const transport = options.transport ?? defaultTransport(preset);
  const values = options.values ?? {};
  const inputs = presetInputs(preset, transport);
  const unknown = Object.keys(values).filter((k) => values[k] !== undefined && !inputs.some((i) => i.key === k));
  if (unknown.length > 0) {
    throw new UserError(`Preset '${preset.id}' has no setting ${unknown.map((k) => `'${k}'`).join(', ')}.${didYouMean(unknown[0]!, inputs.map((i) => i.key))}`, {
      hint: `Its settings are: ${inputs.map((i) => i.key).join(', ') || 'none'}.`,
      code: 'E_PRESET_VALUE',
    });
  }
  const optional = new Set(options.optionalSecrets ?? []);
  const missing: PresetInput[] = [];
  const resolved = new Map<string, string[] | undefined>();
  for (const input of inputs) {
    if (input.isSecret) {
      const wanted = input.isRequired || optional.has(input.key) || values[input.key] !== undefined;
      resolved.set(input.key, wanted ? [`\${${input.key}}`] : undefined);
      continue;
    }
    const given = values[input.key];
    const value = given === undefined ? input.default : given;
    if (value === undefined || (Array.isArray(value) && value.length === 0)) {
      if (input.isRequired) missing.push(input);
      resolved.set(input.key, undefined);
    } else {
      const list = Array.isArray(value) ? value.map(String) : [String(value)];
      for (const v of list) checkValue(preset, input, v);
      resolved.set(input.key, list);
    }
  }
  if (missing.length > 0) {
    throw new UserError(`Preset '${preset.id}' needs a value for ${missing.map((m) => `${m.key}${m.description ? ` (${m.description.replace(/\.$/, '')})` : ''}`).join(', ')}.`, {
      hint: 'Give a value for each required setting.',
      code: 'E_PRESET_VALUE',
    });
  }
  const first = (key: string): string | undefined => resolved.get(key)?.[0];
  const name = options.name ?? preset.id;

  if (transport === 'stdio') {
    const pkg = requirePackage(preset);
    const args = pkg.registryType === 'pypi' ? [`${pkg.identifier}==${pkg.version}`] : ['-y', `${pkg.identifier}@${pkg.version}`];
    for (const arg of pkg.packageArguments ?? []) args.push(...renderArgument(arg, resolved));
    const env: Record<string, string> = {};
    for (const e of pkg.environmentVariables ?? []) {
      const value = renderKeyValue(e, 'env', first);
      if (value !== undefined) env[e.name] = value;
    }
    return {
      name,
      transport: 'stdio',
      command: pkg.registryType === 'pypi' ? 'uvx' : 'npx',
      args,
      ...(Object.keys(env).length > 0 ? {env} : {}),
    };
  }

  const remote = requireRemote(preset);
  const url = fillTemplate(remote.url, first);
  if (url === undefined) {
    throw new UserError(`Preset '${preset.id}' needs ${templateRefs(remote.url).filter((r) => first(r) === undefined).join(', ')} to build its URL ${remote.url}.`, {
      hint: 'Give a value for each setting in the URL.',
      code: 'E_PRESET_VALUE',
    });
  }
  const headers: Record<string, string> = {};
  for (const h of remote.headers ?? []) {
    const value = renderKeyValue(h, 'header', first);
    if (value !== undefined) headers[h.name] = value;
  }
  return {
    name,
    transport: remote.type === 'sse' ? 'sse' : 'http',
    url,
    ...(Object.keys(headers).length > 0 ? {headers} : {}),
  };
}

/** A non-secret value must fit its input's format and choices. */
function checkValue(preset: Preset, input: PresetInput, value: string): void {
  let problem: string | undefined;
  if (input.choices && !input.choices.includes(value)) problem = `one of ${input.choices.join(', ')}`;
  else if (input.format === 'number' && !/^-?\d+(\.\d+)?$/.test(value)) problem = 'a number';
  else if (input.format === 'boolean' && value !== 'true' && value !== 'false') problem = 'true or false';
  if (problem) {
    throw new UserError(`Preset '${preset.id}': ${input.key} must be ${problem}, not '${value}'.`, {
      hint: input.description ?? 'Give a value of the expected form.',
      code: 'E_PRESET_VALUE',
    });
  }
}

function requirePackage(preset: Preset): RegistryPackage {
  const pkg = localPackage(preset);
  if (pkg) return pkg;
  throw new UserError(`Preset '${preset.id}' has no local package to run over stdio.`, {
    hint: 'Use the http transport: it connects to the hosted server.',
    code: 'E_PRESET_TRANSPORT',
  });
}

function requireRemote(preset: Preset): RegistryRemote {
  const remote = preferredRemote(preset);
  if (remote) return remote;
  throw new UserError(`Preset '${preset.id}' has no remote server to connect to over HTTP.`, {
    hint: 'Use the stdio transport: it runs the package locally.',
    code: 'E_PRESET_TRANSPORT',
  });
}

/** An env var or header: its template variables, or itself when it is one plain value. */
function keyValueInputs(kv: RegistryKeyValue, where: 'env' | 'header'): PresetInput[] {
  if (kv.value !== undefined) {
    return templateRefs(kv.value).map((ref) => toInput(ref, where, kv.name, kv.variables?.[ref] ?? {}));
  }
  // Env var names are already valid `${VAR}` names; header names (X-Api-Key) are not.
  return [toInput(where === 'env' ? kv.name : envName(kv.name), where, kv.name, kv)];
}

function argumentInputs(arg: RegistryArgument): PresetInput[] {
  const target = arg.type === 'named' ? arg.name ?? '' : arg.valueHint ?? 'argument';
  if (arg.value !== undefined) {
    return templateRefs(arg.value).map((ref) => toInput(ref, 'argument', target, arg.variables?.[ref] ?? {}));
  }
  const key = arg.isSecret ? envName(target) : arg.type === 'named' ? target.replace(/^-+/, '') : target;
  return [{...toInput(key, 'argument', target, arg), ...(arg.isRepeated ? {isRepeated: true} : {})}];
}

function toInput(key: string, where: PresetInput['where'], target: string, input: RegistryInput): PresetInput {
  return {
    key,
    where,
    target,
    ...(input.description ? {description: input.description} : {}),
    isRequired: input.isRequired ?? false,
    isSecret: input.isSecret ?? false,
    format: input.format ?? 'string',
    ...(input.default !== undefined && !input.isSecret ? {default: input.default} : {}),
    ...(input.placeholder ? {placeholder: input.placeholder} : {}),
    ...(input.choices ? {choices: input.choices} : {}),
  };
}

/** The words of an input as an environment variable name: `X-Api-Key` → `X_API_KEY`. */
function envName(label: string): string {
  return label.replace(/^-+/, '').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toUpperCase() || 'VALUE';
}

function renderKeyValue(kv: RegistryKeyValue, where: 'env' | 'header', first: (key: string) => string | undefined): string | undefined {
  if (kv.value !== undefined) return fillTemplate(kv.value, first);
  return first(where === 'env' ? kv.name : envName(kv.name));
}

function renderArgument(arg: RegistryArgument, resolved: Map<string, string[] | undefined>): string[] {
  const first = (key: string): string | undefined => resolved.get(key)?.[0];
  if (arg.type === 'named') {
    const flag = arg.name ?? '';
    if (arg.value !== undefined) {
      const v = fillTemplate(arg.value, first);
      return v === undefined ? [] : [`${flag}=${v}`];
    }
    const key = arg.isSecret ? envName(flag) : flag.replace(/^-+/, '');
    const values = resolved.get(key);
    if (!values) return [];
    // A boolean flag is present or absent; anything else is `--flag=value`.
    if (arg.format === 'boolean') return values[0] === 'true' ? [flag] : [];
    return values.map((v) => `${flag}=${v}`);
  }
  if (arg.value !== undefined) {
    const v = fillTemplate(arg.value, first);
    return v === undefined ? [] : [v];
  }
  const label = arg.valueHint ?? 'argument';
  return resolved.get(arg.isSecret ? envName(label) : label) ?? [];
}

/** Substitute `{name}`; undefined when any referenced value is absent (the whole setting is then left out). */
function fillTemplate(template: string, first: (key: string) => string | undefined): string | undefined {
  let absent = false;
  const out = template.replace(/\{([^{}]+)\}/g, (_m, ref: string) => {
    const v = first(ref);
    if (v === undefined) absent = true;
    return v ?? '';
  });
  return absent ? undefined : out;
}
