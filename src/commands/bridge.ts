/** `mcpx bridge`: help and manifest entry; runs take the lean path in bin/run.js (src/cli/run-main.ts). */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';

export default class Bridge extends BaseCommand {
  static override summary = 'Relay a stdio MCP client to a remote MCP server, with ${NAME} references in the URL and headers resolved.';
  static override description = `Written into client configs by \`mcpx secrets move\` for remote servers whose URL or headers held a secret. The client starts it like a local server; it resolves \${NAME} references (environment, then keychain) and relays every message unchanged over Streamable HTTP or SSE.`;
  static override examples = ["<%= config.bin %> bridge https://mcp.example.com/mcp --header 'Authorization: Bearer ${EXAMPLE_TOKEN}'"];
  static override strict = false;
  static override enableJsonFlag = false;
  static override flags = {
    header: Flags.string({char: 'H', description: 'A header "Name: value" (repeatable); values may hold ${NAME} references.', multiple: true}),
    transport: Flags.string({description: 'Remote transport.', options: ['http', 'sse'], default: 'http'}),
    server: Flags.string({description: 'The server name, for error messages.'}),
  };
  static override args = {url: Args.string({description: 'The remote server URL.', required: true})};

  async run(): Promise<void> {
    await this.parse(Bridge);
    const {main} = await import('../cli/run-main.js');
    process.exitCode = await main('bridge', this.argv);
  }
}
