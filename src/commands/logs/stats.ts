/** `mcpx logs stats`: calls, error rate, latency percentiles, refused and held calls from the audit log. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {timeFlags} from '../../logs/flags.js';
import type {StatsRow} from '../../logs/query.js';

export default class LogsStats extends BaseCommand {
  static override summary = "Summarise mcpx serve's audit log: calls, error rate, p50/p95/p99 latency, refused and held calls.";
  static override description = 'Errors are tool-error, error and timeout outcomes; refused calls (unknown tool, failed argument check, unresolved secret) and held calls (a pinned tool that changed) are counted apart.';
  static override examples = ['<%= config.bin %> logs stats', '<%= config.bin %> logs stats --by server --since 1d', '<%= config.bin %> logs stats --by tool --json'];
  static override flags = {
    by: Flags.string({summary: 'Group by server or by tool (default: one total row).', options: ['server', 'tool']}),
    ...timeFlags,
  };

  async run(): Promise<StatsRow[]> {
    const {flags} = await this.parse(LogsStats);
    const [{logsDir}, q] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js')]);
    const by = flags.by as 'server' | 'tool' | undefined;
    const rows = await q.logStats(logsDir(), by, q.filterOf(flags));
    this.logHuman(q.formatStats(rows, by));
    return rows;
  }
}
