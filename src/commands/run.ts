/** `mcpx run`: help and manifest entry; runs take the lean path in bin/run.js (src/cli/run-main.ts). */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';

export default class Run extends BaseCommand {
  static override summary = 'Start an MCP server with ${NAME} references resolved from the environment and the keychain.';
  static override description = `Written into client configs by \`mcpx secrets move\`. Resolves \${NAME} references in the server's arguments and in the env variables named with --env (first from the environment, then from the mcpx keychain); --env KEY with no KEY in the environment fills KEY from the keychain entry KEY, --env KEY=NAME from the entry NAME, then starts COMMAND with the client's stdio. An unresolved reference stops the launch with an error naming the variable; values never appear on a command line or in logs.`;
  static override examples = ['<%= config.bin %> run --env GITHUB_TOKEN -- npx -y @modelcontextprotocol/server-github@2025.4.8'];
  static override strict = false;
  static override enableJsonFlag = false;
  static override flags = {
    env: Flags.string({description: 'An env variable whose value holds ${NAME} references to resolve (repeatable).', multiple: true}),
    server: Flags.string({description: 'The server name, for error messages.'}),
  };
  static override args = {command: Args.string({description: 'The server command, after --.'})};

  async run(): Promise<void> {
    await this.parse(Run);
    const {main} = await import('../cli/run-main.js');
    process.exitCode = await main('run', this.argv);
  }
}
