/**
 * `mcpx scan`: the poisoning rules over the tools, prompts and instructions the configured
 * servers give the model (docs/scan.md). The work is src/trust/scan-run.ts; the output flags are
 * lint's (src/lint/flags.ts), so the two run side by side in CI.
 */
import {Args} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import {oclifFlags} from '../cli/oclif-flags.js';
import {type FlagSpec, LINT_FLAGS} from '../lint/flags.js';
import type {ScanFlags} from '../trust/scan-run.js';

const SHARED = ['format', 'output', 'json', 'quiet', 'max-warnings', 'color'];

export const SCAN_FLAGS: readonly FlagSpec[] = [
  {name: 'tools', type: 'string', multiple: true, helpValue: 'FILE', description: 'Scan a saved tools/list result ({"tools": [...]}, optionally with "prompts" and "instructions"; - reads stdin) instead of the configured servers. Repeatable.'},
  {name: 'connect', type: 'boolean', description: "Start the configured servers to list their tools now (default: read mcpx serve's tool cache and start nothing)."},
  {name: 'config', char: 'c', type: 'string', helpValue: 'FILE', description: 'The mcpx serve config whose servers to scan (default: MCPX_CONFIG, else the default path).'},
  ...LINT_FLAGS.filter((f) => SHARED.includes(f.name)),
  {name: 'baseline', type: 'string', helpValue: 'FILE', description: 'Ignore findings recorded in this baseline file (default: .mcpx-scan-baseline.json at the project root, when present).'},
  {name: 'update-baseline', type: 'boolean', description: 'Record all current findings of the scanned servers in the baseline (--baseline FILE, default .mcpx-scan-baseline.json at the project root) so later runs report only new ones.'},
  {name: 'project-config', type: 'string', helpValue: 'FILE', description: 'Project config for rule severities and ignores (default: .mcpxrc.json found upward, as for mcpx lint).'},
];

export default class Scan extends BaseCommand {
  static override summary = 'Find tool poisoning in what MCP servers tell the model: hidden instructions, concealment, exfiltration, hidden Unicode.';
  static override description = `Runs the tool-poisoning rules (docs/rules/) over every string the model sees of each server: tool names, titles and descriptions, parameter descriptions, enums and defaults, prompts and the server's instructions.

Where the tool lists come from:
  (default)      mcpx serve's tool cache: starts nothing; names the servers that have no cache yet.
  --connect      starts the configured servers to list them (and refreshes the cache).
  --tools FILE   a saved tools/list result, e.g. from CI; SERVER then names that one server.

The formats, project config (.mcpxrc.json), baselines and exit codes are mcpx lint's.
Exit codes: 0 no problems, 1 problems at the failing severity (errors; warnings with --max-warnings), 2 bad input or a server that could not be scanned.`;

  static override examples = [
    '<%= config.bin %> scan',
    '<%= config.bin %> scan github filesystem --connect',
    '<%= config.bin %> scan --tools tools.json --format sarif --output scan.sarif',
    'npx @modelcontextprotocol/inspector --cli node server.js --method tools/list | <%= config.bin %> scan myserver --tools -',
    '<%= config.bin %> scan --update-baseline',
  ];

  static override strict = false;
  static override enableJsonFlag = false;
  static override args = {servers: Args.string({description: 'Only these servers (default: every configured server).', required: false})};
  static override flags = oclifFlags(SCAN_FLAGS);

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Scan);
    const {runScan} = await import('../trust/scan-run.js');
    process.exitCode = await runScan(argv as string[], flags as ScanFlags, {
      cwd: process.cwd(),
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      version: this.config.version,
      handleSignals: true,
    });
  }
}
