/** `mcpx secrets set NAME`: store a secret in the OS keychain, value from a hidden prompt or stdin. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {UserError} from '../../errors.js';
import {setSecret, type SetSecretResult} from '../../secrets/commands.js';

export default class SecretsSet extends BaseCommand {
  static override summary = 'Store a secret in the OS keychain.';
  static override description =
    'The value is read from a hidden prompt, or from stdin when piped; never from the command line, where other users can read it. ' +
    'Configs refer to it as ${NAME}; mcpx resolves that from the environment, then from the keychain.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> GITHUB_TOKEN',
    "printf '%s' \"$TOKEN\" | <%= config.bin %> <%= command.id %> GITHUB_TOKEN --force",
  ];

  static override args = {
    name: Args.string({description: 'Secret name: letters, digits and _, not starting with a digit.', required: true}),
  };

  static override flags = {
    force: Flags.boolean({char: 'f', description: 'Replace an existing value without asking.'}),
  };

  async run(): Promise<SetSecretResult> {
    const {args, flags} = await this.parse(SecretsSet);
    const result = await setSecret({name: args.name, force: flags.force});
    this.log(`${result.replaced ? 'Replaced' : 'Stored'} ${result.name} in ${result.store}. Use it in configs as ${result.reference}.`);
    return result;
  }

  /** A value typed after the name gets a clear refusal, instead of oclif's message that echoes it. */
  protected override async catch(err: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (!/Unexpected argument/i.test(err.message ?? '')) return super.catch(err);
    return super.catch(
      new UserError('mcpx secrets set takes only a NAME: values are never read from the command line, where other users can see them.', {
        code: 'E_VALUE_IN_ARGV',
        // Generic NAME: which argument is the value is unknown, and no argument may be echoed.
        hint: `Run \`mcpx secrets set NAME\` and type the value at the hidden prompt, or pipe it in: printf '%s' "$VALUE" | mcpx secrets set NAME`,
      }),
    );
  }
}
