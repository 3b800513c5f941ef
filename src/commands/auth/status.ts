import {BaseCommand} from '../../base-command.js';
import type {ServerStatus} from '../../auth/session.js';

export default class AuthStatus extends BaseCommand {
  static override summary = 'Show which remote MCP servers you are logged in to (never the tokens).';
  static override examples = ['<%= config.bin %> auth status', '<%= config.bin %> auth status --json'];

  async run(): Promise<ServerStatus[]> {
    await this.parse(AuthStatus);
    const {authStatus} = await import('../../auth/session.js');
    const rows = await authStatus({print: (line) => process.stderr.write(line + '\n')});
    if (!this.jsonEnabled()) {
      if (rows.length === 0) this.log('No remote servers configured and no logins stored.');
      for (const row of rows) {
        if (!row.loggedIn) {
          this.log(`${row.server}  not logged in  (${row.url})`);
          continue;
        }
        const expiry = row.expiresAt ? (row.expired ? `expired ${row.expiresAt}${row.refreshable ? ', will refresh' : ''}` : `valid until ${row.expiresAt}`) : 'no expiry given';
        this.log(`${row.server}  logged in  ${expiry}`);
        this.log(`    url: ${row.url}`);
        this.log(`    issuer: ${row.issuer}`);
        this.log(`    scopes: ${row.scopes.join(' ') || '(none)'}`);
        this.log(`    stored in: ${row.storage}${row.source === 'mcp-remote' ? ' (imported from mcp-remote)' : ''}`);
      }
    }
    return rows;
  }
}
