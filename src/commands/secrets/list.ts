/** `mcpx secrets list`: the names of stored secrets (never their values). */
import {BaseCommand} from '../../base-command.js';
import {listSecrets, renderSecretList, type ListSecretsResult} from '../../secrets/commands.js';

export default class SecretsList extends BaseCommand {
  static override summary = 'List the secrets stored in the OS keychain (names only).';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  async run(): Promise<ListSecretsResult> {
    await this.parse(SecretsList);
    const result = await listSecrets();
    this.log(renderSecretList(result));
    return result;
  }
}
