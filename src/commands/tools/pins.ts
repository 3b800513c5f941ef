/** `mcpx tools pins`: the state of every pin mcpx serve keeps (docs/pinning.md). */
import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {ServerPinsReport} from '../../trust/review.js';

export default class ToolsPins extends BaseCommand {
  static override summary = 'Show the pins of the tools, prompts and resource templates mcpx serve passes on, and what it holds for review.';
  static override description = `mcpx serve pins each tool (a SHA-256 of everything the model sees of it) the first time it lists a server, and holds a tool that is new or changed since, or that the poisoning rules flag, until you approve it. Starts nothing: reads the pin store under mcpx's config folder.
States: pinned (served), new, changed, flagged, rejected (held), removed (pinned, no longer listed).`;

  static override examples = ['<%= config.bin %> tools pins', '<%= config.bin %> tools pins github --json'];
  static override args = {server: Args.string({description: 'Only this server.'})};

  async run(): Promise<{file: string; servers: ServerPinsReport[]}> {
    const {args} = await this.parse(ToolsPins);
    const {loadPinStore, pinsReport, formatPins} = await import('../../trust/review.js');
    const {file, store} = await loadPinStore();
    const servers = pinsReport(store, args.server);
    this.logHuman(formatPins(servers, file));
    return {file, servers};
  }
}
