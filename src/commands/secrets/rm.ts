/** `mcpx secrets rm NAME`: delete a secret from the OS keychain. */
import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {removeSecret, type RemoveSecretResult} from '../../secrets/commands.js';

export default class SecretsRm extends BaseCommand {
  static override summary = 'Delete a secret from the OS keychain.';
  static override description = 'Exits 1 when no secret has that name.';
  static override examples = ['<%= config.bin %> <%= command.id %> GITHUB_TOKEN'];

  static override args = {
    name: Args.string({description: 'Secret name.', required: true}),
  };

  async run(): Promise<RemoveSecretResult> {
    const {args} = await this.parse(SecretsRm);
    const result = await removeSecret({name: args.name});
    this.log(`Removed ${result.name} from ${result.store}.`);
    return result;
  }
}
