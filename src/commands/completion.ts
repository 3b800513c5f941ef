/** `mcpx completion bash|zsh|fish`: the shell script that completes commands, flags, clients, presets and servers. */
import {Args} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import {SHELLS, type Shell, completionScript} from '../cli/complete.js';

export default class Completion extends BaseCommand {
  static override summary = 'Print a shell completion script (bash, zsh or fish).';
  static override description =
    'Completes commands, flags, flag values (--client ids, --format options), preset ids and the server names of your mcpx config. Each Tab runs `mcpx __complete`, which reads no keychain and starts nothing.';
  static override examples = [
    '<%= config.bin %> completion bash >> ~/.bashrc    # or: source <(mcpx completion bash)',
    '<%= config.bin %> completion zsh > "${fpath[1]}/_mcpx"',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/mcpx.fish',
  ];
  static override enableJsonFlag = false;
  static override args = {
    shell: Args.string({description: 'The shell.', options: [...SHELLS], required: true}),
  };

  async run(): Promise<void> {
    const {args} = await this.parse(Completion);
    process.stdout.write(completionScript(args.shell as Shell, this.config.bin));
  }
}
