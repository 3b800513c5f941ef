/** `mcpx tools reject`: keep a tool held (or withdraw an approval) for good. */
import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {ReviewedItem} from '../../trust/review.js';

export default class ToolsReject extends BaseCommand {
  static override summary = 'Reject a held tool (or withdraw an approved one): mcpx serve keeps it unavailable until its definition changes and is approved.';
  static override examples = ['<%= config.bin %> tools reject github/create_issue', '<%= config.bin %> tools reject github --json'];
  static override args = {ref: Args.string({description: 'SERVER (everything it has held) or SERVER/TOOL.', required: true})};

  async run(): Promise<{rejected: ReviewedItem[]}> {
    const {args} = await this.parse(ToolsReject);
    const {parseRef, rejectItems} = await import('../../trust/review.js');
    const rejected = await rejectItems(process.env, parseRef(args.ref));
    for (const i of rejected) this.logHuman(`rejected ${i.server}/${i.name}${i.kind === 'tool' ? '' : ` (${i.kind})`}`);
    return {rejected};
  }
}
