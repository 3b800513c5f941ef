/** `mcpx run`: help and manifest entry; runs take the lean path in bin/run.js (src/cli/run-main.ts). */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';

export default class Run extends BaseCommand {
  static override summary = 'Start an MCP server with ${NAME} references resolved from the environment and the keychain.';
  static override description = `Written into client configs by \`mcpx secrets move\` and \`mcpx init\`. Fills secrets in at launch, first from the environment, then from the mcpx keychain: --env KEY with no KEY in the environment fills KEY from the keychain entry KEY, --env KEY=NAME from the entry NAME, and --env KEY alone with a KEY given resolves the references in its value; --arg N resolves the references in argument N after the command (0 is the first). References are written {{NAME}}, which no MCP client expands (a \${NAME}, still resolved everywhere, is expanded by Claude Code, VS Code and Cursor first). Then starts COMMAND with the client's stdio. An unresolved reference stops the launch with an error naming the variable. Values never appear in logs or on mcpx's command line; a secret in an argument is on the server's command line, where other local users can read it, so prefer --env.`;
  static override examples = ['<%= config.bin %> run --env GITHUB_TOKEN -- npx -y @modelcontextprotocol/server-github@2025.4.8'];
  static override strict = false;
  static override enableJsonFlag = false;
  static override flags = {
    env: Flags.string({description: 'KEY or KEY=NAME: an env variable to fill from the keychain entry (KEY, or NAME), or whose value holds references to resolve (repeatable).', multiple: true}),
    arg: Flags.string({description: 'N: the argument after the command (0 is the first) whose {{NAME}} references to resolve (repeatable).', multiple: true}),
    server: Flags.string({description: 'The server name, for error messages.'}),
  };
  static override args = {command: Args.string({description: 'The server command, after --.'})};

  async run(): Promise<void> {
    await this.parse(Run);
    const {main} = await import('../cli/run-main.js');
    process.exitCode = await main('run', this.argv);
  }
}
