/** `mcpx logs`: read the audit log `mcpx serve` writes (docs/logs.md). */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {recordFlags, timeFlags} from '../../logs/flags.js';

export default class Logs extends BaseCommand {
  static override summary = "Show the audit log of mcpx serve's calls: time, server/tool, outcome, duration.";
  static override description = 'Reads the JSON Lines files under $XDG_STATE_HOME/mcpx/logs (or $MCPX_HOME/state/logs), oldest first. With --json, prints the matching records as JSON Lines (one record per line), not the usual envelope. See also: logs tail, logs stats, logs export, logs clear.';
  static override examples = ['<%= config.bin %> logs --since 1h', '<%= config.bin %> logs --server github --outcome error', '<%= config.bin %> logs --since 2d --until 1d', '<%= config.bin %> logs --grep timeout --limit 20 --json'];
  // --json here means JSON Lines, one record per line.
  static override enableJsonFlag = false;
  static override flags = {
    ...recordFlags,
    ...timeFlags,
    limit: Flags.integer({summary: 'Show only the newest N matching records.', min: 1}),
    json: Flags.boolean({summary: 'Print JSON Lines (one record per line).'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Logs);
    const [{logsDir}, q] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js')]);
    const records = await q.queryLogs(logsDir(), q.filterOf(flags), flags.limit);
    if (flags.json) process.stdout.write(records.map((r) => JSON.stringify(r) + '\n').join(''));
    else this.log(q.formatTable(records));
  }
}
