/** `mcpx secrets list`: the names of stored secrets and the config entries that use them (never values). */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {listSecrets, renderSecretList, type ListSecretsResult} from '../../secrets/commands.js';

export default class SecretsList extends BaseCommand {
  static override summary = 'List the secrets stored in the OS keychain (names only) and which configs use them.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
  static override flags = {
    'no-usage': Flags.boolean({description: 'Do not scan configs for the entries that use each secret.'}),
  };

  async run(): Promise<ListSecretsResult> {
    const {flags} = await this.parse(SecretsList);
    const {secretUsage} = await import('../../secrets/usage.js');
    const result = await listSecrets(flags['no-usage'] ? {} : {usage: (names) => secretUsage(names)});
    this.log(renderSecretList(result));
    return result;
  }
}
