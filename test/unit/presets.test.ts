/**
 * The presets catalog and its loader: every built-in preset is valid (and a broken one is not),
 * versions are pinned, secrets are marked and never get a value in a ServerSpec, project and user
 * presets override built-ins, and unknown ids get suggestions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {UserError} from '../../src/errors.js';
import {describePreset, listPresets, renderPresetDetails} from '../../src/presets/catalog.js';
import {getPreset, loadPresets, packageRoot, presetDirectories} from '../../src/presets/loader.js';
import {availableTransports, presetInputs, presetToSpec, requiredSecrets, type PresetValues} from '../../src/presets/spec.js';
import {PRESET_META_KEY, type Preset, type RegistryInput, type ServerJson} from '../../src/presets/types.js';
import {validatePresetDocument} from '../../src/presets/validate.js';
import {npmSpecPin} from '../../src/lint/rules/unpinned-package.js';
import {detectSecrets} from '../../src/secrets/detect.js';
import {TOKEN_MAKERS, seededRng} from '../helpers/tokens.js';

const root = path.resolve(import.meta.dirname, '../..');
const serversDir = path.join(root, 'presets', 'servers');
const schemaDir = path.join(root, 'schemas');
const files = fs.readdirSync(serversDir).filter((f) => f.endsWith('.json')).sort();
const docs = files.map((f) => ({file: f, doc: JSON.parse(fs.readFileSync(path.join(serversDir, f), 'utf8')) as ServerJson}));
const metaOf = (doc: ServerJson): {id: string; needsAccount: boolean; component: string; auth: string} => doc._meta![PRESET_META_KEY] as never;

const rng = seededRng(20261123);
const makers = Object.values(TOKEN_MAKERS);
/** A provider-shaped token built at run time, so no real-looking key is ever committed. */
function randomToken(): string {
  return makers[Math.floor(rng() * makers.length)]!(rng);
}

/** Environment isolated from the developer's own presets. */
let tmp: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-presets-'));
  env = {HOME: path.join(tmp, 'home'), MCPX_HOME: path.join(tmp, 'mcpx-home')};
});
afterEach(() => {
  fs.rmSync(tmp, {recursive: true, force: true});
});

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function builtin(id: string): ServerJson {
  const found = docs.find((d) => metaOf(d.doc).id === id);
  if (!found) throw new Error(`no built-in preset ${id}`);
  return clone(found.doc);
}

/** Every input-like object in a preset (env vars, headers, arguments, template variables), with its pointer. */
function allInputs(doc: ServerJson): {at: string; name: string; input: RegistryInput}[] {
  const out: {at: string; name: string; input: RegistryInput}[] = [];
  const visit = (input: RegistryInput & {name?: string; valueHint?: string}, at: string, name: string): void => {
    out.push({at, name, input});
    for (const [k, v] of Object.entries(input.variables ?? {})) visit(v, `${at}/variables/${k}`, k);
  };
  (doc.packages ?? []).forEach((p, i) => {
    (p.environmentVariables ?? []).forEach((e, j) => visit(e, `/packages/${i}/environmentVariables/${j}`, e.name));
    (p.packageArguments ?? []).forEach((a, j) => visit(a, `/packages/${i}/packageArguments/${j}`, a.name ?? a.valueHint ?? ''));
  });
  (doc.remotes ?? []).forEach((r, i) => {
    (r.headers ?? []).forEach((h, j) => visit(h, `/remotes/${i}/headers/${j}`, h.name));
    for (const [k, v] of Object.entries(r.variables ?? {})) visit(v, `/remotes/${i}/variables/${k}`, k);
  });
  return out;
}

/** Values for every non-secret input plus random values for every secret (which must never be used). */
function fillValues(preset: Preset, transport: 'stdio' | 'http'): {values: PresetValues; secrets: string[]} {
  const values: PresetValues = {};
  const secrets: string[] = [];
  for (const input of presetInputs(preset, transport)) {
    if (input.isSecret) {
      const secret = randomToken();
      secrets.push(secret);
      values[input.key] = secret;
    } else if (input.isRequired && input.default === undefined) {
      values[input.key] = input.format === 'filepath' ? path.join(tmp, input.key) : input.format === 'number' ? '1' : `value-${input.key}`;
    }
  }
  return {values, secrets};
}

describe('built-in catalog', () => {
  it('has at least 25 presets, one per file, named after its id, with unique ids', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    const ids = docs.map((d) => metaOf(d.doc).id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const {file, doc} of docs) expect(file).toBe(`${metaOf(doc).id}.json`);
  });

  it.each(files)('%s validates against the registry schema and the mcpx rules', async (file) => {
    const doc = docs.find((d) => d.file === file)!.doc;
    expect(await validatePresetDocument(doc, schemaDir)).toEqual([]);
  });

  it('pins every package to an exact npm version that runs over stdio with npx', () => {
    for (const {file, doc} of docs) {
      for (const pkg of doc.packages ?? []) {
        expect(pkg.registryType, file).toBe('npm');
        expect(pkg.transport.type, file).toBe('stdio');
        expect(pkg.runtimeHint, file).toBe('npx');
        expect(pkg.version, file).toMatch(/^\d+\.\d+\.\d+$/);
      }
    }
  });

  it('uses https for every remote and docs link', () => {
    for (const {file, doc} of docs) {
      for (const r of doc.remotes ?? []) expect(r.url, file).toMatch(/^https:\/\//);
      expect((doc._meta![PRESET_META_KEY] as {docs: string}).docs, file).toMatch(/^https:\/\//);
    }
  });

  it('marks every credential-like setting as a secret, without a stored value', () => {
    const credential = /(TOKEN|API_KEY|SECRET|PASSWORD|CONNECTION_STRING|^Authorization$)/i;
    let checked = 0;
    for (const {file, doc} of docs) {
      for (const {at, name, input} of allInputs(doc)) {
        if (credential.test(name)) {
          checked++;
          expect(input.isSecret, `${file} ${at} (${name})`).toBe(true);
        }
        if (input.isSecret) expect(input.default, `${file} ${at}`).toBeUndefined();
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('contains only placeholders: the secret detector finds nothing in any default, placeholder or value', () => {
    // Registry templates write `{VAR}`; as config values they become `${VAR}` references.
    const asConfigValue = (v: string): string => v.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '${$1}');
    const templates = ['stdio-local', 'http-apikey', 'http-oauth'].map((c) => ({
      file: `components/${c}/template.json`,
      doc: JSON.parse(fs.readFileSync(path.join(root, 'presets', 'components', c, 'template.json'), 'utf8')) as ServerJson,
    }));
    let checked = 0;
    for (const {file, doc} of [...docs, ...templates]) {
      for (const {at, name, input} of allInputs(doc)) {
        const field = at.includes('/headers/') ? 'header' : 'env';
        for (const [prop, value] of [['default', input.default], ['placeholder', input.placeholder], ['value', input.value]] as const) {
          if (value === undefined) continue;
          checked++;
          expect(detectSecrets(asConfigValue(value), {field, key: name}), `${file} ${at}/${prop}`).toEqual([]);
        }
      }
    }
    expect(checked).toBeGreaterThan(15);
    // The same check does see a real-looking token where a placeholder would be.
    expect(detectSecrets(TOKEN_MAKERS['github-pat']!(rng), {field: 'env', key: 'GITHUB_PERSONAL_ACCESS_TOKEN'}).length).toBeGreaterThan(0);
  });

  it('is listed in presets/README.md', () => {
    const readme = fs.readFileSync(path.join(root, 'presets', 'README.md'), 'utf8');
    for (const {doc} of docs) expect(readme, metaOf(doc).id).toContain(`| \`${metaOf(doc).id}\` |`);
  });

  it('offers each of the three components, and every component has a valid template and a README', async () => {
    const components = new Set(docs.map((d) => metaOf(d.doc).component));
    expect([...components].sort()).toEqual(['http-apikey', 'http-oauth', 'stdio-local']);
    for (const c of components) {
      const dir = path.join(root, 'presets', 'components', c);
      expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/## When to use it/);
      const template = JSON.parse(fs.readFileSync(path.join(dir, 'template.json'), 'utf8')) as ServerJson;
      expect(await validatePresetDocument(template, schemaDir)).toEqual([]);
      expect(metaOf(template).component).toBe(c);
    }
  });
});

describe('validation rejects a broken preset', () => {
  type Mutation = [label: string, mutate: (doc: ServerJson & Record<string, unknown>) => void, pointer: string, message: RegExp];
  const meta = `/_meta/dev.mcpx~1preset`;
  const mutations: Mutation[] = [
    ['version latest', (d) => (d.packages![0]!.version = 'latest'), '/packages/0/version', /exact version/],
    ['version range', (d) => (d.packages![0]!.version = '^2.1.0'), '/packages/0/version', /exact version/],
    ['version missing', (d) => delete d.packages![0]!.version, '/packages/0/version', /missing/],
    ['description missing', (d) => delete (d as Partial<ServerJson>).description, '', /"description"/],
    ['name without namespace', (d) => (d.name = 'no-slash'), '/name', /pattern/],
    ['remote url not http', (d) => (d.remotes![0]!.url = 'ftp://mcp.example.com'), '/remotes/0/url', /pattern/],
    ['remote type unknown', (d) => ((d.remotes![0] as {type: string}).type = 'websocket'), '/remotes/0/type', /must be one of/],
    ['isSecret not a boolean', (d) => ((d.packages![0]!.environmentVariables![0] as {isSecret: unknown}).isSecret = 'yes'), '/packages/0/environmentVariables/0/isSecret', /boolean/],
    ['secret with a default', (d) => (d.packages![0]!.environmentVariables![0]!.default = 'placeholder'), '/packages/0/environmentVariables/0/default', /never stores a secret/],
    ['secret header with a fixed value', (d) => (d.remotes![0]!.headers![0]!.value = 'Bearer fixed'), '/remotes/0/headers/0/value', /fixed value on a secret/],
    ['template with an undeclared variable', (d) => (d.remotes![0]!.headers![0]!.value = 'Bearer {NOPE}'), '/remotes/0/headers/0/value', /\{NOPE\}/],
    ['mcpx block missing', (d) => delete d._meta![PRESET_META_KEY], meta, /missing/],
    ['auth unknown', (d) => ((d._meta![PRESET_META_KEY] as {auth: string}).auth = 'password'), `${meta}/auth`, /must be one of/],
    ['id not kebab-case', (d) => ((d._meta![PRESET_META_KEY] as {id: string}).id = 'Git Hub'), `${meta}/id`, /pattern/],
    ['unknown mcpx field', (d) => ((d._meta![PRESET_META_KEY] as Record<string, unknown>).colour = 'red'), meta, /unknown property "colour"/],
    ['oauth on a token component', (d) => ((d._meta![PRESET_META_KEY] as {auth: string}).auth = 'oauth'), `${meta}/auth`, /does not match/],
    ['component without what it needs', (d) => delete d.remotes, `${meta}/component`, /no remotes/],
  ];

  it('accepts the unbroken document', async () => {
    expect(await validatePresetDocument(builtin('github'), schemaDir)).toEqual([]);
  });

  it.each(mutations)('%s', async (_label, mutate, pointer, message) => {
    const doc = builtin('github') as ServerJson & Record<string, unknown>;
    mutate(doc);
    const problems = await validatePresetDocument(doc, schemaDir);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => p.pointer === pointer && message.test(p.message)), JSON.stringify(problems)).toBe(true);
  });
});

describe('presetToSpec', () => {
  let presets: Preset[];
  beforeEach(async () => {
    presets = await loadPresets({cwd: tmp, env});
  });
  const byId = (id: string): Preset => presets.find((p) => p.id === id)!;

  it('never writes a secret value: every secret becomes a ${VAR} reference, for every preset and transport', () => {
    let specs = 0;
    for (const preset of presets) {
      for (const transport of availableTransports(preset)) {
        const {values, secrets} = fillValues(preset, transport);
        const spec = presetToSpec(preset, {transport, values});
        specs++;
        const text = JSON.stringify(spec);
        for (const s of secrets) expect(text, `${preset.id}/${transport}`).not.toContain(s);
        for (const secret of requiredSecrets(preset, transport)) {
          expect(text, `${preset.id}/${transport} ${secret.key}`).toContain(`\${${secret.key}}`);
          expect(secret.key).toMatch(/^[A-Z_][A-Z0-9_]*$/);
        }
        // Secrets go through env or headers only: process arguments are readable by other users.
        for (const arg of spec.args ?? []) expect(arg, `${preset.id} args`).not.toContain('${');
        // What mcpx lint would see in the written entry: references and settings, no credential.
        for (const [key, value] of Object.entries(spec.env ?? {})) expect(detectSecrets(value, {field: 'env', key}), `${preset.id} env ${key}`).toEqual([]);
        for (const [key, value] of Object.entries(spec.headers ?? {})) expect(detectSecrets(value, {field: 'header', key}), `${preset.id} header ${key}`).toEqual([]);
        if (transport === 'stdio') {
          expect(spec.command).toBe('npx');
          expect(spec.args![0]).toBe('-y');
          expect(spec.args![1]).toMatch(/^(@[^/]+\/)?[^@]+@\d+\.\d+\.\d+$/);
          expect(npmSpecPin(spec.args![1]!), preset.id).toEqual({pinned: true});
        } else {
          expect(spec.url).toMatch(/^https:\/\//);
          expect(['http', 'sse']).toContain(spec.transport);
        }
      }
    }
    expect(specs).toBeGreaterThan(presets.length);
  });

  it('builds the GitHub remote with a bearer reference and the local package with an env reference', () => {
    const github = byId('github');
    expect(requiredSecrets(github).map((s) => s.key)).toEqual(['GITHUB_PERSONAL_ACCESS_TOKEN']);
    expect(presetToSpec(github, {transport: 'http'})).toEqual({
      name: 'github',
      transport: 'http',
      url: 'https://api.githubcopilot.com/mcp/',
      headers: {Authorization: 'Bearer ${GITHUB_PERSONAL_ACCESS_TOKEN}'},
    });
    expect(presetToSpec(github, {transport: 'stdio', name: 'gh'})).toEqual({
      name: 'gh',
      transport: 'stdio',
      command: 'npx',
      args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'],
      env: {GITHUB_PERSONAL_ACCESS_TOKEN: '${GITHUB_PERSONAL_ACCESS_TOKEN}'},
    });
  });

  it('fills templates and defaults, keeping the Postgres password out of the arguments', () => {
    const spec = presetToSpec(byId('postgres'), {values: {PGDATABASE: 'app', PGHOST: 'db.internal'}});
    expect(spec.args).toEqual(['-y', '@modelcontextprotocol/server-postgres@0.6.2', 'postgresql://postgres@db.internal:5432/app']);
    expect(spec.env).toEqual({PGPASSWORD: '${PGPASSWORD}'});
  });

  it('repeats positional arguments and renders boolean and valued flags', () => {
    expect(presetToSpec(byId('filesystem'), {values: {allowed_directory: ['/srv/a', '/srv/b']}}).args).toEqual([
      '-y',
      '@modelcontextprotocol/server-filesystem@2026.8.31',
      '/srv/a',
      '/srv/b',
    ]);
    const supabase = byId('supabase');
    expect(presetToSpec(supabase, {transport: 'stdio'}).args!.slice(2)).toEqual(['--read-only']);
    expect(presetToSpec(supabase, {transport: 'stdio', values: {'read-only': false, 'project-ref': 'abcd'}}).args!.slice(2)).toEqual(['--project-ref=abcd']);
  });

  it('adds optional secrets only when asked, and non-secret defaults always', () => {
    const context7 = byId('context7');
    expect(presetToSpec(context7).env).toBeUndefined();
    expect(presetToSpec(context7, {optionalSecrets: ['CONTEXT7_API_KEY']}).env).toEqual({CONTEXT7_API_KEY: '${CONTEXT7_API_KEY}'});
    expect(presetToSpec(context7, {transport: 'http', optionalSecrets: ['CONTEXT7_API_KEY']}).headers).toEqual({CONTEXT7_API_KEY: '${CONTEXT7_API_KEY}'});
    expect(presetToSpec(byId('gitlab')).env).toEqual({
      GITLAB_PERSONAL_ACCESS_TOKEN: '${GITLAB_PERSONAL_ACCESS_TOKEN}',
      GITLAB_API_URL: 'https://gitlab.com/api/v4',
    });
  });

  it('uses the remote for OAuth presets, with no headers at all', () => {
    expect(presetToSpec(byId('linear'))).toEqual({name: 'linear', transport: 'http', url: 'https://mcp.linear.app/mcp'});
    expect(requiredSecrets(byId('linear'))).toEqual([]);
  });

  it('fails with a UserError naming what is missing, unknown or impossible', () => {
    const err = (fn: () => unknown): UserError => {
      try {
        fn();
      } catch (error) {
        if (error instanceof UserError) return error;
        throw error;
      }
      throw new Error('expected a UserError');
    };
    const missing = err(() => presetToSpec(byId('postgres')));
    expect(missing.code).toBe('E_PRESET_VALUE');
    expect(missing.message).toContain('PGDATABASE');
    const unknown = err(() => presetToSpec(byId('postgres'), {values: {PGDATABSE: 'app'}}));
    expect(unknown.code).toBe('E_PRESET_VALUE');
    expect(unknown.message).toContain("Did you mean 'PGDATABASE'");
    const transport = err(() => presetToSpec(byId('linear'), {transport: 'stdio'}));
    expect(transport.code).toBe('E_PRESET_TRANSPORT');
    const notNumber = err(() => presetToSpec(byId('postgres'), {values: {PGDATABASE: 'app', PGPORT: 'fifty'}}));
    expect(notNumber.message).toContain('PGPORT must be a number');
    const notBoolean = err(() => presetToSpec(byId('supabase'), {transport: 'stdio', values: {'read-only': 'yes'}}));
    expect(notBoolean.message).toContain('read-only must be true or false');
  });
});

describe('presetToSpec on shapes only user presets use', () => {
  /** A user preset (validated like any file) with a PyPI package and a remote with URL variables and a plain secret header. */
  const doc: ServerJson = {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: 'com.acme/tracker',
    description: 'Acme issue tracker.',
    version: '1.4.0',
    packages: [
      {
        registryType: 'pypi',
        identifier: 'acme-tracker-mcp',
        version: '1.4.0',
        runtimeHint: 'uvx',
        transport: {type: 'stdio'},
        environmentVariables: [{name: 'ACME_TOKEN', description: 'Token.', isRequired: true, isSecret: true}],
      },
    ],
    remotes: [
      {
        type: 'sse',
        url: 'https://{tenant}.acme.example/mcp/sse',
        variables: {tenant: {description: 'Your tenant.', isRequired: true}},
        headers: [{name: 'X-Api-Key', description: 'API key.', isRequired: true, isSecret: true}],
      },
    ],
    _meta: {[PRESET_META_KEY]: {id: 'acme', title: 'Acme', tags: [], auth: 'token', component: 'http-apikey', needsAccount: true, docs: 'https://acme.example/docs'}},
  };
  const preset: Preset = {id: 'acme', meta: doc._meta![PRESET_META_KEY] as Preset['meta'], server: doc, origin: {kind: 'user', file: '/x/acme.json'}, overrides: []};

  it('is a valid preset', async () => {
    expect(await validatePresetDocument(doc, schemaDir)).toEqual([]);
  });

  it('references an untemplated secret header by its name as a variable, and fills URL variables', () => {
    expect(requiredSecrets(preset).map((s) => s.key)).toEqual(['X_API_KEY']);
    expect(presetToSpec(preset, {values: {tenant: 'blue'}})).toEqual({
      name: 'acme',
      transport: 'sse',
      url: 'https://blue.acme.example/mcp/sse',
      headers: {'X-Api-Key': '${X_API_KEY}'},
    });
  });

  it('refuses to build a URL with a missing variable', () => {
    expect(() => presetToSpec(preset)).toThrow(/needs a value for tenant/);
  });

  it('runs a PyPI package with uvx at its exact version', () => {
    expect(presetToSpec(preset, {transport: 'stdio'})).toEqual({
      name: 'acme',
      transport: 'stdio',
      command: 'uvx',
      args: ['acme-tracker-mcp==1.4.0'],
      env: {ACME_TOKEN: '${ACME_TOKEN}'},
    });
  });
});

describe('loading project and user presets', () => {
  it('reads built-in, then project, then user presets; later ones override by id and say what they replaced', async () => {
    const cwd = path.join(tmp, 'project');
    const projectGithub = builtin('github');
    projectGithub.title = 'GitHub (team)';
    writeJson(path.join(cwd, '.mcpx', 'presets', 'github.json'), projectGithub);
    const internal = builtin('linear');
    internal.name = 'com.acme/tracker';
    (internal._meta![PRESET_META_KEY] as {id: string}).id = 'acme-tracker';
    writeJson(path.join(cwd, '.mcpx', 'presets', 'acme.json'), internal);
    const userGithub = builtin('github');
    (userGithub._meta![PRESET_META_KEY] as {title: string}).title = 'GitHub (mine)';
    writeJson(path.join(env.MCPX_HOME!, 'config', 'presets', 'gh.json'), userGithub);

    const presets = await loadPresets({cwd, env});
    expect(presets.length).toBe(files.length + 1);
    const github = presets.find((p) => p.id === 'github')!;
    expect(github.meta.title).toBe('GitHub (mine)');
    expect(github.origin).toEqual({kind: 'user', file: path.join(env.MCPX_HOME!, 'config', 'presets', 'gh.json')});
    expect(github.overrides.map((o) => o.kind)).toEqual(['builtin', 'project']);
    expect(presets.find((p) => p.id === 'acme-tracker')!.origin.kind).toBe('project');
    expect(presets.find((p) => p.id === 'linear')!.overrides).toEqual([]);

    const shown = renderPresetDetails(await describePreset('github', {cwd, env}), cwd, env);
    expect(shown).toContain('(user)');
    expect(shown).toMatch(/Overrides: .*github\.json \(builtin\)/);
    expect(shown).toMatch(/Overrides: .*github\.json \(project\)/);
  });

  it('reads user presets from $XDG_CONFIG_HOME/mcpx/presets when MCPX_HOME is not set', () => {
    const xdgEnv = {HOME: path.join(tmp, 'home'), XDG_CONFIG_HOME: path.join(tmp, 'xdg')};
    const dirs = presetDirectories({cwd: tmp, env: xdgEnv});
    expect(dirs.map((d) => d.kind)).toEqual(['builtin', 'project', 'user']);
    expect(dirs[0]!.dir).toBe(serversDir);
    expect(dirs[2]!.dir).toBe(path.join(tmp, 'xdg', 'mcpx', 'presets'));
    expect(packageRoot()).toBe(root);
  });

  it('rejects an invalid user preset, naming the file and the field', async () => {
    const broken = builtin('memory');
    broken.packages![0]!.version = 'latest';
    const file = path.join(env.MCPX_HOME!, 'config', 'presets', 'memory.json');
    writeJson(file, broken);
    const error = await loadPresets({cwd: tmp, env}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('E_PRESET_INVALID');
    expect((error as UserError).message).toContain('memory.json');
    expect((error as UserError).message).toContain('/packages/0/version');
  });

  it('rejects a file that is not JSON, and two files with one id in the same folder', async () => {
    writeJson(path.join(tmp, '.mcpx', 'presets', 'bad.json'), '{"name": ');
    const notJson = await loadPresets({cwd: tmp, env}).catch((e: unknown) => e);
    expect((notJson as UserError).code).toBe('E_PRESET_INVALID');
    expect((notJson as UserError).message).toContain('bad.json');

    fs.rmSync(path.join(tmp, '.mcpx'), {recursive: true});
    writeJson(path.join(tmp, '.mcpx', 'presets', 'a.json'), builtin('fetch'));
    writeJson(path.join(tmp, '.mcpx', 'presets', 'b.json'), builtin('fetch'));
    const duplicate = await loadPresets({cwd: tmp, env}).catch((e: unknown) => e);
    expect((duplicate as UserError).code).toBe('E_PRESET_DUPLICATE');
  });

  it('suggests the closest ids for an unknown preset', async () => {
    const error = await getPreset('githb', {cwd: tmp, env}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('E_UNKNOWN_PRESET');
    expect((error as UserError).message).toContain("'github'");
    expect((error as UserError).hint).toContain('mcpx presets list');
    expect((await getPreset('github', {cwd: tmp, env})).id).toBe('github');
  });
});

describe('list and show views', () => {
  it('filters by tag', async () => {
    const database = await listPresets({cwd: tmp, env, tag: 'database'});
    expect(database.map((p) => p.id)).toEqual(expect.arrayContaining(['postgres', 'sqlite', 'mongodb', 'supabase']));
    expect(database.every((p) => p.tags.includes('database'))).toBe(true);
    expect(await listPresets({cwd: tmp, env, tag: 'no-such-tag'})).toEqual([]);
  });

  it('shows package, remote, auth, docs and marks secrets', async () => {
    const details = await describePreset('github', {cwd: tmp, env});
    expect(details.package).toBe('@modelcontextprotocol/server-github@2025.4.8');
    expect(details.remote).toEqual({url: 'https://api.githubcopilot.com/mcp/', type: 'streamable-http'});
    const text = renderPresetDetails(details, tmp, env);
    expect(text).toContain('https://api.githubcopilot.com/mcp/');
    expect(text).toContain('https://github.com/github/github-mcp-server#readme');
    expect(text).toMatch(/GITHUB_PERSONAL_ACCESS_TOKEN \(header Authorization; secret, required\)/);
    expect(text).toMatch(/Auth: +API key or token/);
  });
});
