/** `mcpx logs stats`: calls, error rate, latency percentiles and refusals from the audit log. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {StatsRow} from '../../logs/query.js';

export default class LogsStats extends BaseCommand {
  static override summary = "Summarise mcpx serve's audit log: calls, error rate, p50/p95/p99 latency, refused calls.";
  static override description = 'Errors are tool-error, error and timeout outcomes; refused calls (unknown tool, failed argument check, unresolved secret) are counted apart.';
  static override examples = ['<%= config.bin %> logs stats', '<%= config.bin %> logs stats --by server --since 1d', '<%= config.bin %> logs stats --by tool --json'];
  static override flags = {
    by: Flags.string({summary: 'Group by server or by tool (default: one total row).', options: ['server', 'tool']}),
    since: Flags.string({summary: 'Only records newer than this: 30m, 1h, 7d or an ISO date.'}),
  };

  async run(): Promise<StatsRow[]> {
    const {flags} = await this.parse(LogsStats);
    const [{logsDir}, q] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js')]);
    const by = flags.by as 'server' | 'tool' | undefined;
    const rows = await q.logStats(logsDir(), by, flags.since === undefined ? {} : {since: q.parseSince(flags.since)});
    this.logHuman(q.formatStats(rows, by));
    return rows;
  }
}
