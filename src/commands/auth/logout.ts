import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {UserError} from '../../errors.js';
import type {LogoutResult} from '../../auth/session.js';

export default class AuthLogout extends BaseCommand {
  static override summary = 'Log out of a remote MCP server: revoke its tokens, then delete them.';
  static override description = 'Revokes the refresh and access tokens at the authorization server (RFC 7009) when it offers revocation, then deletes everything mcpx stored for the server, whatever the server answered.';
  static override examples = ['<%= config.bin %> auth logout linear', '<%= config.bin %> auth logout --all'];
  static override usage = ['<%= command.id %> SERVER [--json]', '<%= command.id %> --all [--json]'];
  static override args = {
    server: Args.string({description: 'server name from mcpx config, or its URL'}),
  };
  static override flags = {
    all: Flags.boolean({description: 'log out of every server (instead of naming one)'}),
  };

  async run(): Promise<LogoutResult[]> {
    const {args, flags} = await this.parse(AuthLogout);
    if (flags.all && args.server) throw new UserError('Give a server name or --all, not both.', {hint: `Run \`mcpx auth logout ${args.server}\` for that server, or \`mcpx auth logout --all\` for every one.`});
    const {logout} = await import('../../auth/session.js');
    const results = await logout(args.server, {all: flags.all, print: (line) => process.stderr.write(line + '\n')});
    if (!this.jsonEnabled()) {
      if (results.length === 0) this.log('No stored logins.');
      for (const r of results) {
        if (!r.wasLoggedIn) {
          this.log(`${r.server}: was not logged in; nothing to revoke.`);
          continue;
        }
        const {refreshToken, accessToken, detail} = r.revocation;
        const words = {revoked: 'revoked', failed: 'revocation failed', unsupported: 'server offers no revocation', none: 'none held'};
        this.log(`${r.server}: logged out (refresh token: ${words[refreshToken]}; access token: ${words[accessToken]}${detail ? `; ${detail}` : ''}). Local tokens deleted.`);
      }
    }
    return results;
  }
}
