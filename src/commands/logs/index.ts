/** `mcpx logs`: read the audit log `mcpx serve` writes (docs/logs.md). */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';

export default class Logs extends BaseCommand {
  static override summary = "Show the audit log of mcpx serve's calls: time, server/tool, outcome, duration.";
  static override description = 'Reads the JSON Lines files under $XDG_STATE_HOME/mcpx/logs (or $MCPX_HOME/state/logs), oldest first. With --json, prints the matching records as JSON Lines (one record per line), not the usual envelope.';
  static override examples = ['<%= config.bin %> logs --since 1h', '<%= config.bin %> logs --server github --outcome error', '<%= config.bin %> logs --grep timeout --limit 20 --json'];
  // --json here means JSON Lines, one record per line.
  static override enableJsonFlag = false;
  static override flags = {
    server: Flags.string({summary: 'Only calls to this upstream server.'}),
    tool: Flags.string({summary: 'Only this tool (upstream name, server__tool, or a meta-tool such as search_tools).'}),
    since: Flags.string({summary: 'Only records newer than this: 30m, 1h, 7d or an ISO date.'}),
    outcome: Flags.string({summary: 'Only this outcome.', options: ['ok', 'tool-error', 'error', 'refused', 'timeout']}),
    grep: Flags.string({summary: 'Only records whose JSON contains this text (case-insensitive).'}),
    limit: Flags.integer({summary: 'Show only the newest N matching records.', min: 1}),
    json: Flags.boolean({summary: 'Print JSON Lines (one record per line).'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Logs);
    const [{logsDir}, q] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js')]);
    const filter = {
      ...(flags.server === undefined ? {} : {server: flags.server}),
      ...(flags.tool === undefined ? {} : {tool: flags.tool}),
      ...(flags.since === undefined ? {} : {since: q.parseSince(flags.since)}),
      ...(flags.outcome === undefined ? {} : {outcome: flags.outcome}),
      ...(flags.grep === undefined ? {} : {grep: flags.grep}),
    };
    const records = await q.queryLogs(logsDir(), filter, flags.limit);
    if (flags.json) process.stdout.write(records.map((r) => JSON.stringify(r) + '\n').join(''));
    else this.log(q.formatTable(records));
  }
}
