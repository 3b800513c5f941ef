/** `mcpx tools diff`: what changed in a held tool, against what was approved. */
import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {DiffEntry} from '../../trust/review.js';

export default class ToolsDiff extends BaseCommand {
  static override summary = 'Show what changed in the tools mcpx serve holds for review: description and schemas, line by line.';
  static override description = `For each held item of SERVER (or the one named): the approved definition (- lines) against the one serve saw (+ lines), the description a sentence per line, schemas as JSON, hidden characters shown as \\u{…}; with the poisoning rules' findings. A new item shows only + lines. Starts nothing.`;

  static override examples = ['<%= config.bin %> tools diff github', '<%= config.bin %> tools diff github/create_issue --json'];
  static override args = {ref: Args.string({description: 'SERVER or SERVER/TOOL.', required: true})};

  async run(): Promise<{items: DiffEntry[]}> {
    const {args} = await this.parse(ToolsDiff);
    const {loadPinStore, parseRef, diffHeld, formatDiffs} = await import('../../trust/review.js');
    const ref = parseRef(args.ref);
    const {store} = await loadPinStore();
    const items = await diffHeld(store, ref);
    this.logHuman(formatDiffs(items, ref.server));
    return {items};
  }
}
