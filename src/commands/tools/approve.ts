/** `mcpx tools approve`: release held tools (their definitions become the pins). */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {UserError} from '../../errors.js';
import type {ApproveResult} from '../../trust/review.js';

export default class ToolsApprove extends BaseCommand {
  static override summary = 'Approve what mcpx serve holds for review: the definition `mcpx tools diff` shows becomes the pin.';
  static override description = `SERVER approves every held item of that server (and forgets the pins of items it no longer lists); SERVER/TOOL one item; --all every server. A running mcpx serve releases the items at its next request. Review first with mcpx tools diff.`;

  static override examples = ['<%= config.bin %> tools approve github/create_issue', '<%= config.bin %> tools approve github', '<%= config.bin %> tools approve --all --json'];
  static override strict = false;
  static override args = {ref: Args.string({description: 'SERVER or SERVER/TOOL (several may be given).'})};
  static override flags = {all: Flags.boolean({summary: 'Approve everything held, on every server.'})};

  async run(): Promise<ApproveResult> {
    const {argv, flags} = await this.parse(ToolsApprove);
    const refs = argv as string[];
    if (flags.all === refs.length > 0) throw new UserError(flags.all ? '--all takes no SERVER.' : 'Name what to approve: SERVER, SERVER/TOOL, or --all.', {code: 'E_USAGE', hint: 'mcpx tools pins lists what is held.'});
    const {approveHeld, parseRef} = await import('../../trust/review.js');
    const result = await approveHeld(process.env, refs.map(parseRef), flags.all);
    const line = (i: {server: string; kind: string; name: string}) => `${i.server}/${i.name}${i.kind === 'tool' ? '' : ` (${i.kind})`}`;
    if (result.approved.length === 0 && result.dropped.length === 0) this.logHuman('Nothing was held: nothing to approve.');
    for (const i of result.approved) this.logHuman(`approved ${line(i)}`);
    for (const i of result.dropped) this.logHuman(`forgot ${line(i)} (no longer listed)`);
    return result;
  }
}
