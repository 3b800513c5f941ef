/** `mcpx logs clear`: delete the audit log, or only its records older than --before. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';

export default class LogsClear extends BaseCommand {
  static override summary = "Delete mcpx serve's audit log, or only the records older than --before.";
  static override description = 'Asks first unless --yes. With --before, files are rewritten atomically with the records they keep; the current file is rotated away first, so a running serve starts a new one.';
  static override examples = ['<%= config.bin %> logs clear --before 30d --yes', '<%= config.bin %> logs clear --yes'];
  static override flags = {
    before: Flags.string({summary: 'Only records older than this: 30d, 12h (ago) or an ISO date.'}),
    yes: Flags.boolean({char: 'y', summary: 'Do not ask for confirmation (for scripts and CI).'}),
  };

  async run(): Promise<{files: number; removed: number; kept: number}> {
    const {flags} = await this.parse(LogsClear);
    const [audit, q] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js')]);
    const before = flags.before === undefined ? undefined : q.parseSince(flags.before, Date.now(), '--before');
    const dir = audit.logsDir();
    await this.confirmOrFail(flags.yes, before === undefined ? `Delete the whole audit log in ${dir}?` : `Delete the audit records older than ${new Date(before).toISOString()}?`);
    const r = await audit.clearLogs(dir, before);
    this.logHuman(`Removed ${r.removed} record${r.removed === 1 ? '' : 's'}${before === undefined ? '' : `; kept ${r.kept}`}.`);
    return r;
  }
}
