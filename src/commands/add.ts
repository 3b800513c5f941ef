/** `mcpx add <preset>`: add one server from a preset to a client's config, secrets in the OS keychain. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import type {InitResult} from '../init/run.js';
import {runSetup, setupFlags} from './init.js';

export default class Add extends BaseCommand {
  static override summary = 'Add one MCP server from a preset to your clients, with its secrets in the OS keychain.';
  static override description = `Like \`mcpx init\` for a single server. Without --client it uses the one client configured here (or asks which). Secrets come from a masked prompt, the environment (--secret-from-env) or the keychain, never from the command line.`;
  static override examples = [
    '<%= config.bin %> add github',
    '<%= config.bin %> add github --client cursor --scope user --secret-from-env --yes',
    '<%= config.bin %> add filesystem --client claude-code --set allowed_directory=$HOME/projects --yes',
    '<%= config.bin %> add linear --client claude-code --name linear-work --dry-run',
  ];
  static override args = {preset: Args.string({description: 'The preset id (see `mcpx presets list`).', required: true})};
  static override flags = {
    ...setupFlags,
    name: Flags.string({description: 'Server name in the client config (default: the preset id).'}),
  };

  async run(): Promise<InitResult> {
    const {args, flags} = await this.parse(Add);
    return runSetup(this, flags, {command: 'add', presets: [args.preset], name: flags.name});
  }
}
