/**
 * `mcpx init` and `mcpx add` as one service, free of oclif: resolve the chosen clients and
 * presets (from flags, else from the wizard's questions), gather every secret (environment,
 * keychain or masked prompt), plan all writes, confirm, then apply all or nothing and lint what
 * was written. Nothing is written before every answer is in, so Ctrl-C at any prompt changes
 * nothing.
 */
import {getClient} from '../clients/index.js';
import type {ClientDefinition} from '../clients/types.js';
import {UserError} from '../errors.js';
import type {ClientId} from '../model.js';
import {type Preset, type PresetInput, type PresetTransport, availableTransports, defaultTransport, loadPresets, presetInputs} from '../presets/index.js';
import type {SecretStore} from '../secrets/store-types.js';
import {displayPath, mcpxDirs} from '../util/paths.js';
import {describeRecovery as describeRecoveryLine} from '../util/transaction.js';
import {didYouMean} from '../util/suggest.js';
import {type ApplyResult, applyInit} from './apply.js';
import {type ClientRequest, type InitPlan, type PlannedServer, type ServerRequest, planInit} from './plan.js';
import {type SecretAsker, type SecretChoice, gatherSecrets, secretNeeds} from './secrets.js';
import {type DetectedClient, type Scope, detectClients, pathContext, requireClient, scopesOf} from './targets.js';

export interface InitOptions {
  command: 'init' | 'add';
  cwd: string;
  env: NodeJS.ProcessEnv;
  clients?: string[];
  scope?: Scope;
  presets?: string[];
  /** Server name for `add` (default: the preset id). */
  name?: string;
  transport?: PresetTransport;
  /** Non-secret preset settings, `KEY=VALUE` or `PRESET.KEY=VALUE`. */
  set?: string[];
  viaServe?: boolean;
  force?: boolean;
  yes?: boolean;
  dryRun?: boolean;
  secretFromEnv?: boolean;
  /** The command line that starts mcpx (tests); default: this node and bin/run.js. */
  launcher?: [string, string];
}

/** The questions the wizard asks; every method may throw UserError `E_CANCELLED` (Ctrl-C). */
export interface Prompter extends SecretAsker {
  chooseClients(detected: DetectedClient[]): Promise<ClientId[]>;
  chooseScope(clients: ClientDefinition[]): Promise<Scope>;
  choosePresets(presets: Preset[]): Promise<string[]>;
  chooseTransport(preset: Preset, available: PresetTransport[]): Promise<PresetTransport>;
  askSetting(preset: Preset, input: PresetInput): Promise<string | string[]>;
  confirmReplace(server: PlannedServer): Promise<boolean>;
  confirmWrite(summary: string): Promise<boolean>;
}

export interface InitDeps {
  /** The wizard, when there is a terminal to ask in (and no --yes/--json). */
  prompter?: Prompter;
  /** Opens the keychain (default: `openKeychain({env})`). */
  openStore?: () => Promise<SecretStore>;
  /** Progress lines for people (the plan summary before the confirmation). */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface InitResult {
  dryRun: boolean;
  viaServe: boolean;
  files: Array<{file: string; client: ClientId; scope: Scope; created: boolean; servers: Array<Omit<PlannedServer, 'file' | 'client'>>}>;
  /** Entries that were already exactly as they would be written. */
  unchanged: Array<{name: string; client: ClientId; file: string}>;
  secrets: {stored: string[]; replaced: string[]; reused: string[]; skipped: string[]};
  /** Findings of `mcpx lint` on the written files (dry runs are not linted). */
  lint?: {files: number; findings: Array<{ruleId: string; severity: string; file: string; line: number; column: number; message: string}>};
  nextSteps: string[];
  /** The unified diff of every change (dry run only); secrets never appear in it. */
  diff?: string;
}

/** Run init or add end to end (see the module comment). Failures are UserErrors with a hint; nothing is left half-written. */
export async function runInit(options: InitOptions, deps: InitDeps = {}): Promise<InitResult> {
  const {cwd, env} = options;
  const ctx = pathContext(env);
  const ask = deps.prompter;
  const presets = await loadPresets({cwd, env});

  // 1. Clients and scope.
  const clients = await chooseClients(options, ask, cwd, ctx);
  let scope = options.scope;
  if (!scope && ask && clients.some((c) => scopesOf(c).length > 1)) scope = await ask.chooseScope(clients);
  if (scope === 'project') {
    const without = clients.filter((c) => !scopesOf(c).includes('project'));
    if (without.length > 0 && !ask) {
      throw new UserError(`${without.map((c) => c.name).join(', ')} ${without.length > 1 ? 'have' : 'has'} no project-scope config.`, {code: 'E_SCOPE', hint: 'Use --scope user for those clients (or leave --scope out: each client then gets its default).'});
    }
  }
  const clientRequests: ClientRequest[] = clients.map((client) => ({client, scope: scope && scopesOf(client).includes(scope) ? scope : undefined}));

  // 2. Presets and their settings.
  const ids = await choosePresetIds(options, ask, presets);
  const requests: ServerRequest[] = [];
  for (const id of ids) {
    const preset = presets.find((p) => p.id === id)!;
    const available = availableTransports(preset);
    let transport = defaultTransport(preset);
    if (options.transport) {
      if (available.includes(options.transport)) transport = options.transport;
      else if (options.command === 'add') {
        throw new UserError(`Preset '${id}' cannot run over ${options.transport}.`, {code: 'E_PRESET_TRANSPORT', hint: `It can run over: ${available.join(', ')}.`});
      }
    } else if (ask && available.length > 1) transport = await ask.chooseTransport(preset, available);
    requests.push({preset, name: options.command === 'add' && options.name ? options.name : id, transport, values: {}, optionalSecrets: []});
  }
  applySettings(requests, options.set ?? []);
  if (ask) {
    for (const req of requests) {
      for (const input of presetInputs(req.preset, req.transport)) {
        if (input.isSecret || !input.isRequired || req.values[input.key] !== undefined) continue;
        req.values[input.key] = await ask.askSetting(req.preset, input);
      }
    }
  }

  // 3. Secrets (environment, keychain or prompt; never argv).
  const needs = secretNeeds(requests);
  let store: SecretStore | undefined;
  let storeNote: string | undefined;
  if (needs.length > 0) {
    const open = deps.openStore ?? (async () => (await import('../secrets/store.js')).openKeychain({env}));
    try {
      store = await open();
    } catch (error) {
      if (!options.dryRun) {
        if (error instanceof UserError) throw new UserError(`${error.message} Nothing was changed.`, {code: error.code, exitCode: error.exitCode, hint: error.hint});
        throw error;
      }
      storeNote = 'The keychain could not be opened, so this dry run assumes no secret is stored yet.';
    }
  }
  const {chosen, skipped, missing} = await gatherSecrets(needs, {
    env,
    fromEnv: Boolean(options.secretFromEnv),
    store,
    force: Boolean(options.force),
    ask: store || !options.dryRun ? ask : undefined,
    allowMissing: options.dryRun,
  });
  const given = new Set(chosen.map((c) => c.name));
  for (const req of requests) req.optionalSecrets = secretNeeds([req]).filter((n) => !n.required && given.has(n.name)).map((n) => n.name);

  // 4.–5. Plan, confirm and apply under one lock, so no other mcpx changes these files between.
  const stateDir = mcpxDirs(env).config;
  if (options.dryRun) return planConfirmApply();
  const {withTransactionLock} = await import('../util/transaction.js');
  return withTransactionLock({stateDir, store, onRecovered: (r) => deps.log?.(describeRecoveryLine(r))}, planConfirmApply);

  async function planConfirmApply(): Promise<InitResult> {
    // 4. Plan, settle conflicts, show, confirm.
    const planRequest = {cwd, ctx, clients: clientRequests, servers: requests, viaServe: options.viaServe, force: options.force, launcher: options.launcher};
    let plan = await planInit(planRequest);
    if (plan.conflicts.length > 0) {
      if (!ask) {
        throw new UserError(
          `${plan.conflicts.map((c) => `${displayPath(c.file, cwd, env)} already has a different server "${c.name}"`).join('; ')}; nothing was changed.`,
          {code: 'E_EXISTS', hint: options.command === 'add' ? 'Choose another name with --name, or replace it with --force.' : 'Replace it with --force, or remove that preset from the command.'},
        );
      }
      const replace = new Set<string>();
      for (const c of plan.conflicts) if (await ask.confirmReplace(c)) replace.add(`${c.file}\0${c.name}`);
      plan = await planInit({...planRequest, replace});
    }
    const result = describe(plan, chosen, skipped, options, cwd, env);
    if (storeNote) result.nextSteps.unshift(storeNote);
    if (missing.length > 0) result.nextSteps.unshift(`A real run needs ${missing.join(', ')}: export ${missing.length > 1 ? 'them' : 'it'} and add --secret-from-env, or run in a terminal to be asked.`);

    if (options.dryRun) {
      result.diff = await planDiff(plan, chosen);
      return result;
    }
    const secretWrites = chosen.filter((c) => c.action !== 'reuse');
    if (plan.files.length === 0 && secretWrites.length === 0) return result;
    if (!options.yes) {
      const summary = summarisePlan(plan, chosen, cwd, env);
      if (!ask) {
        throw new UserError('Confirmation needed, and there is no terminal to ask in; nothing was changed.', {code: 'E_CONFIRM', hint: 'Run again with --yes (or --dry-run to see the changes).'});
      }
      deps.log?.(summary);
      if (!(await ask.confirmWrite(summary))) throw new UserError('Cancelled; nothing was changed.', {code: 'E_CANCELLED', exitCode: 1});
    }

    // 5. Write all or nothing, then lint what was written.
    const applied: ApplyResult = await applyInit(plan, chosen, {store, signal: deps.signal, stateDir, rerun: `mcpx ${options.command}`});
    result.secrets = {stored: applied.stored, replaced: applied.replaced, reused: applied.reused, skipped};
    if (applied.files.length > 0) {
      const {lintPaths} = await import('../lint/engine.js');
      const report = await lintPaths({paths: applied.files, cwd, env});
      result.lint = {
        files: report.files.length,
        findings: report.findings.filter((f) => !f.suppressed).map((f) => ({ruleId: f.ruleId, severity: f.severity, file: f.file, line: f.line, column: f.column, message: f.message})),
      };
    }
    return result;
  }
}

async function chooseClients(options: InitOptions, ask: Prompter | undefined, cwd: string, ctx: ReturnType<typeof pathContext>): Promise<ClientDefinition[]> {
  if (options.clients && options.clients.length > 0) return unique(options.clients).map((id) => requireClient(id));
  const detected = detectClients(cwd, ctx);
  if (ask) {
    const ids = await ask.chooseClients(detected);
    if (ids.length === 0 && !options.viaServe) throw new UserError('No client chosen; nothing was changed.', {code: 'E_CANCELLED', exitCode: 1});
    return ids.map((id) => getClient(id)!);
  }
  if (options.viaServe) return [];
  const configured = detected.filter((d) => d.configured);
  if (options.command === 'add' && configured.length === 1) return [getClient(configured[0]!.id)!];
  throw new UserError(`Name the client${options.command === 'init' ? 's' : ''} to set up with --client.`, {
    code: 'E_NO_CLIENT',
    hint: configured.length > 0 ? `Configured here: ${configured.map((d) => d.id).join(', ')}.` : `The clients are: ${detected.map((d) => d.id).join(', ')}.`,
  });
}

async function choosePresetIds(options: InitOptions, ask: Prompter | undefined, presets: Preset[]): Promise<string[]> {
  const all = presets.map((p) => p.id);
  if (options.presets && options.presets.length > 0) {
    for (const id of options.presets) {
      if (!all.includes(id)) throw new UserError(`Unknown preset '${id}'.${didYouMean(id, all)}`, {code: 'E_UNKNOWN_PRESET', hint: 'Run `mcpx presets list` to see the available presets.'});
    }
    return unique(options.presets);
  }
  if (ask) {
    const ids = await ask.choosePresets(presets);
    if (ids.length === 0) throw new UserError('No server chosen; nothing was changed.', {code: 'E_CANCELLED', exitCode: 1});
    return unique(ids);
  }
  throw new UserError('Name the servers to add with --preset.', {code: 'E_NO_PRESET', hint: 'Run `mcpx presets list` to see them, e.g. `mcpx init --client cursor --preset github --yes`.'});
}

/**
 * Apply `--set KEY=VALUE` (every chosen preset with that setting) and `--set PRESET.KEY=VALUE`.
 * Throws UserError for a malformed pair, a setting no chosen preset has (with suggestions),
 * and for a secret: secrets never come from the command line.
 */
export function applySettings(requests: ServerRequest[], pairs: string[]): void {
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UserError(`--set needs KEY=VALUE, not "${pair.length > 40 ? pair.slice(0, 12) + '…' : pair}".`, {code: 'E_USAGE', hint: 'For example --set allowed_directory=/home/me/projects.'});
    let key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let targets = requests;
    const dot = key.indexOf('.');
    if (dot > 0 && requests.some((r) => r.preset.id === key.slice(0, dot) || r.name === key.slice(0, dot))) {
      const prefix = key.slice(0, dot);
      targets = requests.filter((r) => r.preset.id === prefix || r.name === prefix);
      key = key.slice(dot + 1);
    }
    const matching = targets.map((r) => ({r, input: presetInputs(r.preset, r.transport).find((i) => i.key === key)})).filter((m) => m.input);
    if (matching.length === 0) {
      const keys = [...new Set(targets.flatMap((r) => presetInputs(r.preset, r.transport).filter((i) => !i.isSecret).map((i) => i.key)))];
      throw new UserError(`No chosen preset has the setting '${key}'.${didYouMean(key, keys)}`, {code: 'E_PRESET_VALUE', hint: keys.length > 0 ? `Settings: ${keys.join(', ')}.` : 'The chosen presets take no settings.'});
    }
    for (const {r, input} of matching) {
      if (input!.isSecret) {
        throw new UserError(`${key} is a secret: it is never taken from the command line (other users can read process arguments).`, {
          code: 'E_SECRET_ARGV',
          hint: `Export ${key} and add --secret-from-env, store it with \`mcpx secrets set ${key}\`, or run in a terminal to be asked.`,
        });
      }
      const prev = r.values[key];
      if (input!.isRepeated) r.values[key] = [...(Array.isArray(prev) ? prev : prev === undefined ? [] : [String(prev)]), value];
      else r.values[key] = value;
    }
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function describe(plan: InitPlan, chosen: SecretChoice[], skipped: string[], options: InitOptions, cwd: string, env: NodeJS.ProcessEnv): InitResult {
  const byAction = (a: SecretChoice['action']) => chosen.filter((c) => c.action === a).map((c) => c.name);
  return {
    dryRun: Boolean(options.dryRun),
    viaServe: Boolean(options.viaServe),
    files: plan.files.map((f) => ({
      file: f.file,
      client: f.client,
      scope: f.scope,
      created: f.before === undefined,
      servers: f.servers.filter((s) => s.action === 'add' || s.action === 'replace').map(({file: _f, client: _c, ...rest}) => rest),
    })),
    unchanged: plan.servers.filter((s) => s.action === 'unchanged').map((s) => ({name: s.name, client: s.client, file: s.file})),
    secrets: {stored: byAction('store'), replaced: byAction('replace'), reused: byAction('reuse'), skipped},
    nextSteps: nextSteps(plan, options, cwd, env),
  };
}

function nextSteps(plan: InitPlan, options: InitOptions, cwd: string, env: NodeJS.ProcessEnv): string[] {
  const steps: string[] = [];
  const clients = [...new Set(plan.files.map((f) => f.client))].filter((c) => c !== 'mcpx');
  if (clients.length > 0) steps.push(`Restart ${clients.map((c) => getClient(c)!.name).join(', ')} (or reload its MCP servers) to load the changes.`);
  const oauthNames = [...new Set(plan.servers.filter((s) => s.oauth && s.action !== 'unchanged').map((s) => s.name))];
  if (oauthNames.length > 0) {
    if (options.viaServe) for (const n of oauthNames) steps.push(`Sign in: \`mcpx auth login ${n}\`.`);
    else steps.push(`${oauthNames.join(', ')} sign${oauthNames.length > 1 ? '' : 's'} you in with OAuth: your client opens the browser on first use (or use --via-serve and \`mcpx auth login ${oauthNames[0]}\` to let mcpx hold the login).`);
  }
  const secretNames = [...new Set(plan.servers.flatMap((s) => s.secrets))];
  if (secretNames.length > 0) steps.push(`Secrets stay in the keychain (${secretNames.join(', ')}); the files hold only \${NAME} references. \`mcpx secrets list\` shows them.`);
  const local = plan.files.filter((f) => f.scope === 'project' && f.servers.some((s) => s.launch === 'run' || s.launch === 'bridge' || s.launch === 'serve'));
  for (const f of local) steps.push(`${displayPath(f.file, cwd, env)} starts mcpx by this machine's absolute paths: keep it out of version control, or use --scope user.`);
  return steps;
}

/** One line per change, for the confirmation question. */
export function summarisePlan(plan: InitPlan, chosen: SecretChoice[], cwd: string, env: NodeJS.ProcessEnv): string {
  const lines: string[] = [];
  for (const f of plan.files) {
    lines.push(`${displayPath(f.file, cwd, env)}${f.before === undefined ? ' (new file)' : ''}:`);
    for (const s of f.servers) {
      if (s.action === 'conflict') continue;
      const how = s.launch === 'run' ? ' via mcpx run' : s.launch === 'bridge' ? ' via mcpx bridge' : s.launch === 'serve' ? ' (mcpx serve)' : '';
      lines.push(`  ${s.action === 'add' ? '+' : s.action === 'replace' ? '~' : '='} ${s.name}${how}${s.secrets.length > 0 ? ` [${s.secrets.map((n) => '${' + n + '}').join(', ')}]` : ''}`);
    }
  }
  const store = chosen.filter((c) => c.action !== 'reuse');
  if (store.length > 0) lines.push(`Keychain: ${store.map((c) => `${c.action === 'replace' ? 'replace' : 'store'} ${c.name}`).join(', ')}`);
  return lines.join('\n');
}

async function planDiff(plan: InitPlan, chosen: SecretChoice[]): Promise<string> {
  const {unifiedDiff} = await import('../config/edit.js');
  const {redact} = await import('../secrets/mask.js');
  const values = chosen.map((c) => c.value).filter((v): v is string => Boolean(v));
  const parts: string[] = [];
  for (const f of plan.files) parts.push(redact(await unifiedDiff(f.file, f.before ?? '', f.after), values));
  return parts.join('');
}

