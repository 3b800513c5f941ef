/**
 * `mcpx lint`: for help and the command list. Runs normally take the lean path in
 * bin/run.js (src/cli/lint-main.ts); both use the flag table in src/lint/flags.ts.
 */
import {Args} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import {oclifFlags} from '../cli/oclif-flags.js';
import {LINT_FLAGS} from '../lint/flags.js';
import {runLint, type LintFlags} from '../lint/run.js';

export default class Lint extends BaseCommand {
  static override summary = 'Find hardcoded credentials, insecure URLs and lax permissions in MCP client configs.';
  static override description = `Searches each PATH (default: the current folder) for the MCP config files of every supported client (Claude Code, Claude Desktop, Cursor, VS Code, Windsurf, Zed, Codex, Gemini CLI and more) and checks them. Files named explicitly are read whatever their name.

Exit codes: 0 no problems, 1 problems at the failing severity, 2 usage error or unreadable input.`;
  static override examples = [
    '<%= config.bin %> lint',
    '<%= config.bin %> lint --user',
    '<%= config.bin %> lint .cursor/mcp.json --format sarif --output mcpx.sarif',
    '<%= config.bin %> lint --fix',
  ];
  static override strict = false;
  static override enableJsonFlag = false;
  static override args = {paths: Args.string({description: 'Files or folders to lint.', required: false})};
  static override flags = oclifFlags(LINT_FLAGS);

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Lint);
    process.exitCode = await runLint(argv as string[], flags as LintFlags, {cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr});
  }
}
