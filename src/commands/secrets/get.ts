/** `mcpx secrets get NAME`: print a secret's value for scripts (the one command that shows a value). */
import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {getSecret, type GetSecretResult} from '../../secrets/commands.js';

export default class SecretsGet extends BaseCommand {
  static override summary = 'Print a secret from the OS keychain (for scripts).';
  static override description = 'Prints the raw value and a newline to stdout. Exits 1 when no secret has that name.';
  static override examples = ['export GITHUB_TOKEN="$(<%= config.bin %> <%= command.id %> GITHUB_TOKEN)"'];

  static override args = {
    name: Args.string({description: 'Secret name.', required: true}),
  };

  async run(): Promise<GetSecretResult> {
    const {args} = await this.parse(SecretsGet);
    const result = await getSecret({name: args.name});
    // Written as is: no formatting may touch the value.
    if (!this.jsonEnabled()) process.stdout.write(`${result.value}\n`);
    return result;
  }
}
