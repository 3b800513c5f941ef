/**
 * Which secrets the chosen servers need and where each value comes from: the process
 * environment (only with `--secret-from-env`), the keychain (a value already stored), or a
 * masked prompt. Never from the command line. Values live in memory until `applyInit` stores
 * them; nothing here writes.
 */
import {UserError} from '../errors.js';
import {secretAccount} from '../secrets/names.js';
import type {SecretStore} from '../secrets/store-types.js';
import {requiredSecrets} from '../presets/index.js';
import type {ServerRequest} from './plan.js';

export interface SecretNeed {
  name: string;
  /** Some chosen server cannot start without it. */
  required: boolean;
  /** The servers (config names) that reference it. */
  servers: string[];
  description?: string;
}

export interface SecretChoice {
  name: string;
  /** In memory only, for the keychain write; absent when the stored value is reused. */
  value?: string;
  /** store: new entry; replace: overwrite a different stored value; reuse: keep what is stored. */
  action: 'store' | 'replace' | 'reuse';
  source: 'env' | 'prompt' | 'keychain';
}

/** The interactive side of gathering (the wizard); absent in non-interactive runs. */
export interface SecretAsker {
  /** The keychain already holds `name`: keep it (true) or type a new value (false)? */
  reuseStored(need: SecretNeed): Promise<boolean>;
  /** The environment's value differs from the stored one: replace the stored one? */
  replaceStored(need: SecretNeed): Promise<boolean>;
  /** Ask for the value (masked); undefined or '' skips an optional secret. */
  askValue(need: SecretNeed): Promise<string | undefined>;
}

export interface GatherOptions {
  env: NodeJS.ProcessEnv;
  /** Take values from `env` (the `--secret-from-env` flag). */
  fromEnv: boolean;
  /** The keychain; undefined when no secret needs it or it could not be opened (dry run). */
  store?: SecretStore;
  /** Replace stored values that differ without asking. */
  force: boolean;
  ask?: SecretAsker;
  /** Dry run: a required secret with no value is reported in `missing` instead of failing. */
  allowMissing?: boolean;
}

/** Every secret the requests can take, required first, each once (servers may share a name). */
export function secretNeeds(requests: ServerRequest[]): SecretNeed[] {
  const byName = new Map<string, SecretNeed>();
  for (const req of requests) {
    for (const input of requiredSecrets(req.preset, req.transport)) {
      const need = byName.get(input.key) ?? {name: input.key, required: false, servers: [], ...(input.description ? {description: input.description} : {})};
      need.required ||= input.isRequired;
      if (!need.servers.includes(req.name)) need.servers.push(req.name);
      byName.set(input.key, need);
    }
  }
  return [...byName.values()].sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
}

/**
 * Decide every needed secret's value. Optional secrets without a value are skipped (their
 * servers run without them). Throws UserError `E_MISSING_SECRET` naming every required secret
 * with no value and no way to ask, and `E_SECRET_EXISTS` when the environment's value differs
 * from the stored one and neither `force` nor the user allowed replacing it.
 */
export async function gatherSecrets(needs: SecretNeed[], options: GatherOptions): Promise<{chosen: SecretChoice[]; skipped: string[]; missing: string[]}> {
  const chosen: SecretChoice[] = [];
  const skipped: string[] = [];
  const missing: SecretNeed[] = [];
  for (const need of needs) {
    const account = secretAccount(need.name);
    const stored = options.store ? await options.store.get(account) : undefined;
    const fromEnv = options.fromEnv ? clean(options.env[need.name]) : undefined;
    if (fromEnv) {
      if (stored === undefined) chosen.push({name: need.name, value: fromEnv, action: 'store', source: 'env'});
      else if (stored === fromEnv) chosen.push({name: need.name, action: 'reuse', source: 'keychain'});
      else if (options.force || (options.ask && (await options.ask.replaceStored(need)))) chosen.push({name: need.name, value: fromEnv, action: 'replace', source: 'env'});
      else {
        throw new UserError(`The keychain already holds a different ${need.name}; nothing was changed.`, {
          code: 'E_SECRET_EXISTS',
          hint: `Run again with --force to replace it (every config that references \${${need.name}} then gets the new value), or unset ${need.name} to keep the stored one.`,
        });
      }
      continue;
    }
    if (stored !== undefined && (!options.ask || (await options.ask.reuseStored(need)))) {
      chosen.push({name: need.name, action: 'reuse', source: 'keychain'});
      continue;
    }
    if (options.ask) {
      const value = clean(await options.ask.askValue(need));
      if (value) chosen.push({name: need.name, value, action: stored === undefined ? 'store' : 'replace', source: 'prompt'});
      else if (need.required) missing.push(need);
      else skipped.push(need.name);
      continue;
    }
    if (need.required) missing.push(need);
    else skipped.push(need.name);
  }
  if (missing.length > 0 && options.allowMissing) return {chosen, skipped, missing: missing.map((m) => m.name)};
  if (missing.length > 0) {
    const names = missing.map((m) => m.name);
    throw new UserError(`No value for ${names.join(', ')} (needed by ${[...new Set(missing.flatMap((m) => m.servers))].join(', ')}); nothing was changed.`, {
      code: 'E_MISSING_SECRET',
      hint: options.fromEnv
        ? `Set ${names.join(', ')} in the environment, or store ${names.length > 1 ? 'them' : 'it'} first with \`mcpx secrets set ${names[0]}\`.`
        : `Export ${names.join(', ')} and add --secret-from-env, store ${names.length > 1 ? 'them' : 'it'} first with \`mcpx secrets set ${names[0]}\`, or run without --yes in a terminal to be asked. Secrets are never taken from the command line.`,
    });
  }
  return {chosen, skipped, missing: []};
}

/** Pasted values often carry a trailing newline or spaces; no secret starts or ends with them. */
function clean(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v ? v : undefined;
}
