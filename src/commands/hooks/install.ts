/** `mcpx hooks install`: a git pre-commit hook that lints the staged MCP configs. */
import path from 'node:path';
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {installHook, type InstallResult} from '../../hooks/git-hook.js';

export default class HooksInstall extends BaseCommand {
  static override summary = 'Install a git pre-commit hook that runs mcpx lint on the staged MCP configs.';
  static override description = `Writes pre-commit into the repository's hooks folder (honouring core.hooksPath). The hook lints the staged content of staged MCP client config files and blocks the commit when mcpx lint fails. An existing hook that mcpx did not write is left alone unless --force, which keeps it as pre-commit.pre-mcpx and runs it first.`;
  static override examples = ['<%= config.bin %> hooks install', '<%= config.bin %> hooks install --force'];
  static override flags = {
    force: Flags.boolean({description: 'Replace a pre-commit hook mcpx did not write (it is kept as pre-commit.pre-mcpx and still runs first).'}),
  };

  async run(): Promise<InstallResult> {
    const {flags} = await this.parse(HooksInstall);
    const result = await installHook({cwd: process.cwd(), force: flags.force, mcpxBin: path.join(this.config.root, 'bin', 'run.js')});
    const what = {created: 'Installed', updated: 'Updated', chained: 'Installed (your previous hook runs first, kept as pre-commit.pre-mcpx):'}[result.action];
    this.log(`${what} ${result.hookFile}`);
    return result;
  }
}
