/**
 * The views behind `mcpx presets list` and `mcpx presets show`: plain data (also the `--json`
 * results) built from the loaded presets, plus their text rendering. No oclif here.
 */
import {displayPath} from '../util/paths.js';
import {type LoadPresetsOptions, getPreset, loadPresets} from './loader.js';
import {type PresetInput, availableTransports, defaultTransport, localPackage, preferredRemote, presetInputs} from './spec.js';
import type {Preset, PresetAuth, PresetComponent, PresetSourceKind, PresetTransport} from './types.js';

export interface PresetSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  auth: PresetAuth;
  component: PresetComponent;
  needsAccount: boolean;
  transports: PresetTransport[];
  source: PresetSourceKind;
}

export interface PresetDetails extends PresetSummary {
  name: string;
  version: string;
  docs: string;
  notes?: string;
  repository?: string;
  defaultTransport: PresetTransport;
  /** `identifier@version` of the local package, when there is one. */
  package?: string;
  /** Its registry (`npm` for every built-in preset; user presets may use `pypi`). */
  packageRegistry?: string;
  /** URL of the preferred remote and its transport, when there is one. */
  remote?: {url: string; type: 'streamable-http' | 'sse'};
  /** Inputs per transport the preset offers. */
  inputs: Partial<Record<PresetTransport, PresetInput[]>>;
  /** The file it was read from, and the files it replaced. */
  file: string;
  overrides: {source: PresetSourceKind; file: string}[];
}

/** Presets sorted by id, optionally only those carrying `tag`. Throws what `loadPresets` throws. */
export async function listPresets(options: LoadPresetsOptions & {tag?: string} = {}): Promise<PresetSummary[]> {
  const presets = await loadPresets(options);
  const tag = options.tag?.toLowerCase();
  return presets.filter((p) => !tag || p.meta.tags.includes(tag)).map(summarize);
}

/** Everything `presets show` prints for one preset. Throws UserError `E_UNKNOWN_PRESET` with suggestions. */
export async function describePreset(id: string, options: LoadPresetsOptions = {}): Promise<PresetDetails> {
  return details(await getPreset(id, options));
}

export function summarize(preset: Preset): PresetSummary {
  return {
    id: preset.id,
    title: preset.meta.title,
    description: preset.server.description,
    tags: preset.meta.tags,
    auth: preset.meta.auth,
    component: preset.meta.component,
    needsAccount: preset.meta.needsAccount,
    transports: availableTransports(preset),
    source: preset.origin.kind,
  };
}

export function details(preset: Preset): PresetDetails {
  const pkg = localPackage(preset);
  const remote = preferredRemote(preset);
  const inputs: PresetDetails['inputs'] = {};
  for (const t of availableTransports(preset)) inputs[t] = presetInputs(preset, t);
  return {
    ...summarize(preset),
    name: preset.server.name,
    version: preset.server.version,
    docs: preset.meta.docs,
    ...(preset.meta.notes ? {notes: preset.meta.notes} : {}),
    ...(preset.server.repository ? {repository: preset.server.repository.url} : {}),
    defaultTransport: defaultTransport(preset),
    ...(pkg ? {package: `${pkg.identifier}@${pkg.version}`, packageRegistry: pkg.registryType} : {}),
    ...(remote ? {remote: {url: remote.url, type: remote.type}} : {}),
    inputs,
    file: preset.origin.file,
    overrides: preset.overrides.map((o) => ({source: o.kind, file: o.file})),
  };
}

/** A fixed-width table: id, auth, transports, title, tags. */
export function renderPresetList(presets: PresetSummary[]): string {
  if (presets.length === 0) return 'No presets match.';
  const rows = presets.map((p) => [p.id + (p.source === 'builtin' ? '' : ` (${p.source})`), p.auth, p.transports.join('+'), p.title, p.tags.join(', ')]);
  const header = ['ID', 'AUTH', 'RUNS', 'TITLE', 'TAGS'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', `${presets.length} preset${presets.length === 1 ? '' : 's'}. Details: mcpx presets show <id>`].join('\n');
}

/** The text of `presets show`: what it is, how it runs, what it needs (secrets marked), where to read more. */
export function renderPresetDetails(d: PresetDetails, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): string {
  const out: string[] = [`${d.title} (${d.id})`, d.description, ''];
  const field = (label: string, value: string): void => {
    out.push(`${(label + ':').padEnd(12)}${value}`);
  };
  field('Auth', authText(d.auth));
  field('Account', d.needsAccount ? 'needed' : 'not needed');
  if (d.package) field('Package', `${d.package} (${d.packageRegistry ?? 'npm'}, stdio)${d.defaultTransport === 'stdio' ? ' [default]' : ''}`);
  if (d.remote) field('Remote', `${d.remote.url} (${d.remote.type})${d.defaultTransport === 'http' ? ' [default]' : ''}`);
  field('Tags', d.tags.join(', ') || '-');
  field('Docs', d.docs);
  if (d.repository) field('Source', d.repository);
  for (const t of ['stdio', 'http'] as const) {
    const inputs = d.inputs[t];
    if (!inputs) continue;
    out.push('', t === 'stdio' ? 'Settings when run locally (stdio):' : 'Settings when connecting to the remote (http):');
    if (inputs.length === 0) out.push(t === 'http' && d.auth === 'oauth' ? '  none (log in with OAuth: mcpx auth login)' : '  none');
    for (const i of inputs) {
      const marks = [i.isSecret ? 'secret' : '', i.isRequired ? 'required' : 'optional', i.default !== undefined ? `default ${i.default}` : ''].filter(Boolean).join(', ');
      const where = i.where === 'env' ? 'env' : i.where === 'header' ? `header ${i.target}` : i.where === 'url' ? 'url' : `argument ${i.target}`;
      out.push(`  ${i.key} (${where}; ${marks})${i.description ? ` — ${i.description}` : ''}`);
    }
  }
  if (d.notes) out.push('', `Notes: ${d.notes}`);
  out.push('', `From: ${displayPath(d.file, cwd, env)}${d.source === 'builtin' ? '' : ` (${d.source})`}`);
  for (const o of d.overrides) out.push(`Overrides: ${displayPath(o.file, cwd, env)} (${o.source})`);
  return out.join('\n');
}

function authText(auth: PresetAuth): string {
  switch (auth) {
    case 'none':
      return 'none';
    case 'token':
      return 'API key or token (kept in the OS keychain, referenced as ${VAR})';
    case 'oauth':
      return 'OAuth login (mcpx auth login)';
  }
}
