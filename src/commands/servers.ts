/** `mcpx servers`: does my serve config work? Starts each server, lists its tools, reports one line per server. */
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import type {ServerCheck} from '../proxy/inspect.js';

export default class Servers extends BaseCommand {
  static override summary = "Check the servers in mcpx serve's config: start each, list its tools, report.";
  static override description = `Reads the config \`mcpx serve\` reads (--config, MCPX_CONFIG, or the default path), starts every enabled server in parallel (each bounded by its startupTimeout), lists its tools, refreshes serve's tool cache and stops everything again.
Exit code 0 when every checked, enabled server connected, 1 when one failed or needs a login, 2 when the config cannot be used.
--cached starts nothing and reports what serve's tool cache holds, with its age.`;

  static override examples = [
    '<%= config.bin %> servers',
    '<%= config.bin %> servers github files',
    '<%= config.bin %> servers --cached',
    '<%= config.bin %> servers --config ./mcpx.json --json',
  ];

  static override strict = false;
  static override args = {server: Args.string({description: 'Only check these servers (default: all).'})};
  static override flags = {
    config: Flags.string({char: 'c', summary: 'Config file (as for mcpx serve).', env: 'MCPX_CONFIG'}),
    cached: Flags.boolean({summary: "Start nothing: report from serve's tool cache only."}),
  };

  async run(): Promise<ServerCheck[]> {
    const {argv, flags} = await this.parse(Servers);
    const {checkServers, formatServers} = await import('../proxy/inspect.js');
    const report = await checkServers({config: flags.config, cached: flags.cached, names: argv as string[], version: this.config.version, handleSignals: true});
    if (!this.jsonEnabled()) {
      const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      const palette = colour ? new (await import('chalk')).Chalk({level: 1}) : undefined;
      for (const line of formatServers(report, palette)) this.log(line);
    }
    if (report.failed) process.exitCode = 1;
    return report.servers;
  }
}
