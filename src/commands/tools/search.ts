/** `mcpx tools search`: serve's search_tools from a terminal. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import type {SearchReport} from '../../proxy/inspect.js';

export default class ToolsSearch extends BaseCommand {
  static override summary = "Search the tools of mcpx serve's servers, as the model's search_tools does.";
  static override description = `Runs serve's own search over the tool catalog: cached catalogs, and servers without one are started to list them (as serve would). Prints what search_tools gives the model: each tool's signature and a short description.
A server that failed to start within the last few minutes is not started again (the output says so): run \`mcpx servers\` to check it, or pass --refresh.`;

  static override examples = ['<%= config.bin %> tools search "read a file"', '<%= config.bin %> tools search "create an issue" --limit 3 --json', '<%= config.bin %> tools search "read a file" --refresh'];

  static override strict = false;
  static override args = {query: Args.string({description: 'What you want to do, in a few words.', required: true})};
  static override flags = {
    config: Flags.string({char: 'c', summary: 'Config file (as for mcpx serve).', env: 'MCPX_CONFIG'}),
    refresh: Flags.boolean({summary: 'Also start servers that failed within the last few minutes (they are skipped otherwise).'}),
    limit: Flags.integer({summary: "Max results (default: the config's searchLimit, 8).", min: 1, max: 50}),
  };

  async run(): Promise<SearchReport> {
    const {argv, flags} = await this.parse(ToolsSearch);
    const {searchCatalog} = await import('../../proxy/inspect.js');
    // Unquoted words are one query: `mcpx tools search read a file`.
    const report = await searchCatalog({config: flags.config, query: (argv as string[]).join(' '), limit: flags.limit, refresh: flags.refresh, version: this.config.version, handleSignals: true});
    this.logHuman(report.text);
    return report;
  }
}
