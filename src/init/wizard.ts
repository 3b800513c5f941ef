/**
 * The interactive questions of `mcpx init` / `mcpx add`, on @inquirer/prompts (loaded on first
 * use): checkboxes for clients, a search loop for presets, masked input for secrets. Ctrl-C at
 * any prompt becomes UserError `E_CANCELLED` (exit 130); nothing has been written by then.
 */
import type {ClientDefinition} from '../clients/types.js';
import {getClient} from '../clients/index.js';
import {UserError} from '../errors.js';
import type {ClientId} from '../model.js';
import type {Preset, PresetInput, PresetTransport} from '../presets/index.js';
import {displayPath} from '../util/paths.js';
import type {PlannedServer} from './plan.js';
import type {Prompter} from './run.js';
import type {SecretNeed} from './secrets.js';
import {type DetectedClient, type Scope, scopesOf} from './targets.js';

type Prompts = typeof import('@inquirer/prompts');

const DONE = '\u0000done';

/** A Prompter that asks on the terminal. `cwd` and `env` only shorten the paths it shows. */
export function terminalPrompter(cwd: string, env: NodeJS.ProcessEnv): Prompter {
  let loaded: Prompts | undefined;
  const prompts = async (): Promise<Prompts> => (loaded ??= await import('@inquirer/prompts'));
  const shown = (p: string) => displayPath(p, cwd, env);

  return {
    chooseClients: (detected: DetectedClient[]) =>
      cancellable(async () => {
        const {checkbox} = await prompts();
        return checkbox<ClientId>({
          message: 'Which clients should get the servers?',
          choices: detected.map((d) => ({
            value: d.id,
            name: `${d.name}${d.configured ? ` (configured: ${shown(d.project ?? d.user!)})` : d.installed ? ' (installed)' : ''}`,
            checked: d.configured,
          })),
          pageSize: 16,
          required: true,
        });
      }),

    chooseScope: (clients: ClientDefinition[]) =>
      cancellable(async () => {
        const {select} = await prompts();
        return select<Scope>({
          message: 'Where should the servers go?',
          choices: [
            {value: 'project', name: 'This project (its config files in this folder)', description: clients.filter((c) => !scopesOf(c).includes('project')).map((c) => `${c.name} has only a user config.`).join(' ')},
            {value: 'user', name: 'My user config (every project)'},
          ],
        });
      }),

    choosePresets: (presets: Preset[]) =>
      cancellable(async () => {
        const {search} = await prompts();
        const picked: string[] = [];
        for (;;) {
          const choice = await search<string>({
            message: picked.length === 0 ? 'Add a server (type to search):' : `Added: ${picked.join(', ')}. Add another, or choose Done:`,
            source: (term) => {
              const t = (term ?? '').toLowerCase();
              const matches = presets
                .filter((p) => !picked.includes(p.id))
                .filter((p) => !t || p.id.includes(t) || p.meta.title.toLowerCase().includes(t) || p.meta.tags.some((tag) => tag.includes(t)))
                .map((p) => ({value: p.id, name: `${p.id} — ${p.meta.title}`, description: p.server.description}));
              if (picked.length === 0) return matches;
              // While a search term is typed its matches come first, so Enter picks a match, not Done.
              const done = {value: DONE, name: 'Done'};
              return t ? [...matches, done] : [done, ...matches];
            },
            pageSize: 12,
          });
          if (choice === DONE) return picked;
          picked.push(choice);
        }
      }),

    chooseTransport: (preset: Preset, available: PresetTransport[]) =>
      cancellable(async () => {
        const {select} = await prompts();
        return select<PresetTransport>({
          message: `How should ${preset.id} run?`,
          choices: available.map((t) => ({value: t, name: t === 'http' ? 'Connect to the hosted server (remote)' : 'Run the package on this machine (local)'})),
          default: preset.meta.component === 'stdio-local' ? 'stdio' : 'http',
        });
      }),

    askSetting: (preset: Preset, input: PresetInput) =>
      cancellable(async () => {
        const {input: ask, select} = await prompts();
        const message = `${preset.id}: ${input.description ?? input.key}${input.isRepeated ? ' (comma-separated)' : ''}`;
        if (input.choices) return select<string>({message, choices: input.choices.map((c) => ({value: c})), default: input.default});
        const answer = await ask({message, default: input.default ?? (input.format === 'filepath' ? cwd : undefined), required: true});
        return input.isRepeated ? answer.split(',').map((s) => s.trim()).filter(Boolean) : answer.trim();
      }),

    reuseStored: (need: SecretNeed) =>
      cancellable(async () => {
        const {confirm} = await prompts();
        return confirm({message: `The keychain already holds ${need.name}. Use it?`, default: true});
      }),

    replaceStored: (need: SecretNeed) =>
      cancellable(async () => {
        const {confirm} = await prompts();
        return confirm({message: `The keychain holds a different ${need.name} than your environment. Replace the stored one (every config using it changes)?`, default: false});
      }),

    askValue: (need: SecretNeed) =>
      cancellable(async () => {
        const {password} = await prompts();
        const what = need.description ? ` — ${need.description.replace(/\.$/, '')}` : '';
        return password({
          message: `${need.name} for ${need.servers.join(', ')}${what}${need.required ? '' : ' (optional, Enter to skip)'}:`,
          mask: '*',
          validate: (v) => (need.required && !v.trim() ? `${need.name} is required.` : true),
        });
      }),

    confirmReplace: (server: PlannedServer) =>
      cancellable(async () => {
        const {confirm} = await prompts();
        return confirm({message: `${shown(server.file)} already has a different "${server.name}" (${getClient(server.client)!.name}). Replace it?`, default: false});
      }),

    confirmWrite: () =>
      cancellable(async () => {
        const {confirm} = await prompts();
        return confirm({message: 'Write these changes?', default: true});
      }),
  };
}

/** Ctrl-C (or a closed terminal) at a prompt: stop, having written nothing. */
async function cancellable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
      throw new UserError('Cancelled; nothing was changed.', {code: 'E_CANCELLED', exitCode: 130});
    }
    throw error;
  }
}
