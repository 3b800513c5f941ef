/** `mcpx tools describe`: serve's describe_tool from a terminal. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {ToolDescription} from '../../proxy/inspect.js';

export default class ToolsDescribe extends BaseCommand {
  static override summary = 'Show a tool\'s signature, description and input schema, as the model\'s describe_tool does.';
  static override examples = ['<%= config.bin %> tools describe memory__create_entities', '<%= config.bin %> tools describe github__create_issue --json'];

  static override args = {name: Args.string({description: 'The tool, as server__tool (from mcpx tools search).', required: true})};
  static override flags = {
    config: Flags.string({char: 'c', summary: 'Config file (as for mcpx serve).', env: 'MCPX_CONFIG'}),
    refresh: Flags.boolean({summary: 'Also start servers that failed within the last few minutes (they are skipped otherwise).'}),
  };

  async run(): Promise<ToolDescription> {
    const {args, flags} = await this.parse(ToolsDescribe);
    const {describeCatalogTool} = await import('../../proxy/inspect.js');
    const info = await describeCatalogTool({config: flags.config, name: args.name, refresh: flags.refresh, version: this.config.version, handleSignals: true});
    this.logHuman(info.text);
    return info;
  }
}
