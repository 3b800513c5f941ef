/** `mcpx logs tail`: the newest records, then every new one as serve writes it. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {recordFlags} from '../../logs/flags.js';

export default class LogsTail extends BaseCommand {
  static override summary = 'Follow the audit log: print the newest records, then each new one as mcpx serve writes it.';
  static override description = 'Runs until interrupted (Ctrl-C). Follows the current file across rotations. With --json, prints JSON Lines.';
  static override examples = ['<%= config.bin %> logs tail', '<%= config.bin %> logs tail --outcome error', '<%= config.bin %> logs tail -n 0 --json'];
  static override enableJsonFlag = false;
  static override flags = {
    ...recordFlags,
    lines: Flags.integer({char: 'n', summary: 'Print the newest N matching records first (default 10).', min: 0, default: 10}),
    json: Flags.boolean({summary: 'Print JSON Lines (one record per line).'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(LogsTail);
    const [audit, q] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js')]);
    const dir = audit.logsDir();
    const filter = q.filterOf(flags);
    const from = await audit.currentPosition(dir);
    const print = (r: import('../../logs/audit.js').AuditRecord) => process.stdout.write(flags.json ? JSON.stringify(r) + '\n' : q.formatRow(r) + '\n');
    if (flags.lines > 0) {
      const first: import('../../logs/audit.js').AuditRecord[] = [];
      for await (const r of audit.readRecords(dir, from?.size ?? 0)) {
        if (!q.matches(r, filter)) continue;
        first.push(r);
        if (first.length > flags.lines) first.shift();
      }
      for (const r of first) print(r);
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    process.stdout.on('error', onSignal);
    await audit.followRecords(dir, from, (r) => q.matches(r, filter) && print(r), stop.signal);
  }
}
