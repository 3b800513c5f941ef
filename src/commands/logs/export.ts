/** `mcpx logs export`: the matching records as JSON Lines or CSV, to stdout or a file. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {recordFlags, timeFlags} from '../../logs/flags.js';

export default class LogsExport extends BaseCommand {
  static override summary = "Export mcpx serve's audit log as JSON Lines or CSV.";
  static override description = 'Streams the matching records, oldest first, to stdout or --output (written atomically, mode 0600). CSV has one header row, CRLF line ends, argument names joined with ";", and cells a spreadsheet would run as a formula prefixed with an apostrophe.';
  static override examples = ['<%= config.bin %> logs export --format csv --output calls.csv', '<%= config.bin %> logs export --since 7d --server github > github.jsonl'];
  static override enableJsonFlag = false;
  static override flags = {
    format: Flags.string({summary: 'Output format.', options: ['jsonl', 'csv'], default: 'jsonl'}),
    output: Flags.string({char: 'o', summary: 'Write to this file instead of stdout.'}),
    ...recordFlags,
    ...timeFlags,
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(LogsExport);
    const [audit, q, {writeAtomically}] = await Promise.all([import('../../logs/audit.js'), import('../../logs/query.js'), import('../../util/atomic-write.js')]);
    const filter = q.filterOf(flags);
    const csv = flags.format === 'csv';
    const parts: string[] = [];
    let n = 0;
    const out = (text: string) => (flags.output ? parts.push(text) : process.stdout.write(text));
    if (csv) out(q.csvHeader());
    for await (const r of audit.readRecords(audit.logsDir())) {
      if (!q.matches(r, filter)) continue;
      n++;
      out(csv ? q.csvRow(r) : JSON.stringify(r) + '\n');
    }
    if (flags.output) {
      await writeAtomically(flags.output, parts.join(''), {mode: 0o600});
      process.stderr.write(`Exported ${n} record${n === 1 ? '' : 's'} to ${flags.output}.\n`);
    }
  }
}
