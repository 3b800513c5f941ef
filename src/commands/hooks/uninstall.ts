/** `mcpx hooks uninstall`: remove mcpx's pre-commit hook and restore the one it replaced. */
import {BaseCommand} from '../../base-command.js';
import {uninstallHook, type UninstallResult} from '../../hooks/git-hook.js';

export default class HooksUninstall extends BaseCommand {
  static override summary = 'Remove the pre-commit hook written by mcpx hooks install.';
  static override description = 'Removes the hook only when mcpx wrote it; a hook it replaced with --force (pre-commit.pre-mcpx) is put back.';
  static override examples = ['<%= config.bin %> hooks uninstall'];

  async run(): Promise<UninstallResult> {
    await this.parse(HooksUninstall);
    const result = await uninstallHook({cwd: process.cwd()});
    const message = {
      removed: `Removed ${result.hookFile}`,
      restored: `Removed mcpx's hook and restored your previous ${result.hookFile}`,
      absent: `No pre-commit hook at ${result.hookFile}; nothing to do`,
    }[result.action];
    this.log(message);
    return result;
  }
}
