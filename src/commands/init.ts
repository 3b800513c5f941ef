/** `mcpx init`: set up MCP servers from presets for one or more clients, secrets in the keychain. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import type {InitOptions, InitResult} from '../init/run.js';

/** Flags shared by `init` and `add`. */
export const setupFlags = {
  client: Flags.string({char: 'c', description: 'Client to set up (repeatable): claude-code, cursor, vscode, codex, ...', multiple: true, multipleNonGreedy: true}),
  scope: Flags.string({description: 'project: config files in this folder; user: your home-folder configs. Default: project when the client has one.', options: ['project', 'user']}),
  transport: Flags.string({description: 'Run presets that offer both as a local package (stdio) or connect to their remote (http).', options: ['stdio', 'http']}),
  set: Flags.string({description: 'A non-secret preset setting, KEY=VALUE or PRESET.KEY=VALUE (repeatable).', multiple: true, multipleNonGreedy: true}),
  'secret-from-env': Flags.boolean({description: 'Take secret values from the environment (e.g. GITHUB_PERSONAL_ACCESS_TOKEN); they go to the keychain.'}),
  'via-serve': Flags.boolean({description: "Put the servers into mcpx's own config and one `mcpx serve` entry into each client."}),
  force: Flags.boolean({char: 'f', description: 'Replace existing servers of the same name, and stored secrets that differ from the environment.'}),
  yes: Flags.boolean({char: 'y', description: 'Ask nothing (for scripts and CI): every choice comes from flags, the environment or the keychain.'}),
  'dry-run': Flags.boolean({char: 'n', description: 'Show the changes as a diff (secrets never shown); write nothing.'}),
};

type SetupFlags = {
  client?: string[];
  scope?: string;
  transport?: string;
  set?: string[];
  'secret-from-env': boolean;
  'via-serve': boolean;
  force: boolean;
  yes: boolean;
  'dry-run': boolean;
};

/** The part of init and add after flag parsing: build options, pick the prompter, run, print. */
export async function runSetup(cmd: BaseCommand & {jsonEnabled(): boolean; log(text: string): void}, flags: SetupFlags, extra: Pick<InitOptions, 'command' | 'presets' | 'name'>): Promise<InitResult> {
  const cwd = process.cwd();
  const env = process.env;
  const json = cmd.jsonEnabled();
  const interactive = !flags.yes && !json && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
  const {runInit} = await import('../init/run.js');
  const prompter = interactive ? (await import('../init/wizard.js')).terminalPrompter(cwd, env) : undefined;
  // Ctrl-C while writing rolls everything back instead of leaving half a setup.
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let result: InitResult;
  try {
    result = await runInit(
      {
        ...extra,
        cwd,
        env,
        clients: flags.client,
        scope: flags.scope as InitOptions['scope'],
        transport: flags.transport as InitOptions['transport'],
        set: flags.set,
        viaServe: flags['via-serve'],
        force: flags.force,
        yes: flags.yes,
        dryRun: flags['dry-run'],
        secretFromEnv: flags['secret-from-env'],
      },
      {prompter, signal: controller.signal, log: json ? undefined : (line) => cmd.log(line)},
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (!json) {
    const {renderResult} = await import('../init/summary.js');
    cmd.log(renderResult(result, cwd, env));
  }
  return result;
}

export default class Init extends BaseCommand {
  static override summary = 'Set up MCP servers from presets for your clients, with secrets in the OS keychain.';
  static override description = `Detects the MCP clients configured here and in your home folder, asks which clients and servers to set up, stores every secret in the keychain right away (never in a file), and merges the servers into each client's own config (JSON, JSONC, TOML or YAML), keeping existing servers, comments and settings; an existing server of the same name is replaced only when you confirm or pass --force. Files are written all or nothing with mode 0600, then checked with mcpx lint.

A server that needs a secret starts through \`mcpx run\` (or \`mcpx bridge\` for remote servers), which reads the secret from the environment or the keychain at launch, so the entry works in every client.

Without a terminal (scripts, CI) give every choice as flags with --yes; secrets come from the environment (--secret-from-env) or the keychain, never from the command line.`;
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --client cursor --preset github --preset linear --yes --secret-from-env',
    '<%= config.bin %> init --client claude-code --preset filesystem --set allowed_directory=$PWD --dry-run',
    '<%= config.bin %> init --client claude-desktop --client cursor --preset github --via-serve --yes',
  ];
  static override flags = {
    ...setupFlags,
    preset: Flags.string({char: 'p', description: 'Preset to add (repeatable); see `mcpx presets list`.', multiple: true, multipleNonGreedy: true}),
  };

  async run(): Promise<InitResult> {
    const {flags} = await this.parse(Init);
    return runSetup(this, flags, {command: 'init', presets: flags.preset});
  }
}
