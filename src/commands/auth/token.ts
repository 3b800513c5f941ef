import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';

export default class AuthToken extends BaseCommand {
  static override summary = 'Print a valid access token for a server (refreshed first if needed), for scripts.';
  static override description = 'Prints only the token on stdout. Treat the output as a secret: do not log it or pass it on a command line.';
  static override examples = ['curl -H "Authorization: Bearer $(<%= config.bin %> auth token linear)" …'];
  static override args = {
    server: Args.string({description: 'server name from mcpx config, or its URL', required: true}),
  };

  async run(): Promise<{server: string; url: string; accessToken: string}> {
    const {args} = await this.parse(AuthToken);
    const {accessTokenFor} = await import('../../auth/session.js');
    const result = await accessTokenFor(args.server, {print: (line) => process.stderr.write(line + '\n')});
    if (!this.jsonEnabled()) process.stdout.write(result.accessToken + '\n');
    return result;
  }
}
