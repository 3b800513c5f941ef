import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {LoginResult} from '../../auth/login.js';

export default class AuthLogin extends BaseCommand {
  static override summary = 'Log in to a remote MCP server with OAuth (browser sign-in, PKCE).';
  static override description = `Follows the MCP authorization spec: discovers the server's authorization server, registers mcpx (or uses a configured client id), opens your browser ($BROWSER is honoured) and waits for the redirect on 127.0.0.1. Tokens go to the OS keychain, or to a 0600 file when there is none.`;
  static override examples = [
    '<%= config.bin %> auth login linear',
    '<%= config.bin %> auth login https://mcp.example.com/mcp --no-browser',
    '<%= config.bin %> auth login notion --scope read --scope write',
  ];
  static override args = {
    server: Args.string({description: 'server name from mcpx config, or its URL', required: true}),
  };
  static override flags = {
    'no-browser': Flags.boolean({description: 'print the sign-in URL instead of opening a browser'}),
    scope: Flags.string({description: 'scope to request (repeatable); default: what the server asks for', multiple: true}),
    'callback-port': Flags.integer({description: 'loopback port for the redirect (default: a free one)', min: 1, max: 65_535}),
    timeout: Flags.integer({description: 'seconds to wait for the browser sign-in', default: 300, min: 1}),
    'import-mcp-remote': Flags.boolean({description: "reuse mcp-remote's saved login for this server when there is one", allowNo: true}),
  };

  async run(): Promise<LoginResult> {
    const {args, flags} = await this.parse(AuthLogin);
    const {login} = await import('../../auth/login.js');
    const json = this.jsonEnabled();
    const result = await login(args.server, {
      noBrowser: flags['no-browser'],
      scopes: flags.scope,
      callbackPort: flags['callback-port'],
      timeoutMs: flags.timeout * 1000,
      importMcpRemote: flags['import-mcp-remote'],
      print: (line) => process.stderr.write(line + '\n'),
      confirm: json
        ? undefined
        : async (message) => {
            const {confirm} = await import('@inquirer/prompts');
            return confirm({message, default: true}, {output: process.stderr});
          },
    });
    if (!json) {
      const expiry = result.expiresAt ? `, access token valid until ${result.expiresAt}` : '';
      this.log(`Logged in to ${result.server}${result.scopes.length ? ` (scopes: ${result.scopes.join(' ')})` : ''}${expiry}.`);
      this.log(`Tokens are stored in ${result.storage}.`);
    }
    return result;
  }
}
