/** `mcpx serve`: one MCP server in front of all configured servers (see docs/serve.md). */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';

export default class Serve extends BaseCommand {
  static override summary = 'Serve every configured MCP server behind one MCP server on stdio.';
  static override description = `Reads mcpx's config ($XDG_CONFIG_HOME/mcpx/config.json, --config or MCPX_CONFIG) and speaks MCP on stdin/stdout.
By default it exposes four meta-tools (search_tools, describe_tool, execute_tool, list_servers) so the model's context holds only what it searches for; --mode direct exposes every upstream tool as <server>__<tool>.
\${VAR} references in command, args, env, url and headers resolve from the environment, then the mcpx keychain. Logs go to stderr (or --log-file); stdout carries protocol only.`;

  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --config ./mcpx.json --mode direct',
    '<%= config.bin %> serve --http 127.0.0.1:8765',
    '{"mcpServers": {"mcpx": {"command": "mcpx", "args": ["serve"]}}}   # in your MCP client',
  ];

  static override enableJsonFlag = false;

  static override flags = {
    config: Flags.string({char: 'c', summary: 'Config file to serve.', env: 'MCPX_CONFIG'}),
    mode: Flags.string({summary: 'search: meta-tools (default); direct: every tool, namespaced.', options: ['search', 'direct']}),
    'log-file': Flags.string({summary: 'Append logs to this file instead of stderr.'}),
    'log-level': Flags.string({summary: 'Log verbosity.', options: ['error', 'warn', 'info', 'debug']}),
    http: Flags.string({
      summary: 'Serve Streamable HTTP on a loopback HOST:PORT instead of stdio.',
      description: 'Clients must send "Authorization: Bearer <token>": MCPX_SERVE_TOKEN, or a generated token written (0600) to <mcpx cache>/serve/http-token.',
    }),
    'http-max-sessions': Flags.integer({summary: 'With --http: most sessions at once; at the cap the least recently used idle one is closed.', default: 100, min: 1, dependsOn: ['http']}),
    'http-session-idle': Flags.integer({summary: 'With --http: seconds after which a session without requests is closed.', default: 1800, min: 1, dependsOn: ['http']}),
    'http-allow-host': Flags.string({summary: 'With --http: also accept this Host header (exact, e.g. behind a reverse proxy).', multiple: true, dependsOn: ['http']}),
    'http-allow-origin': Flags.string({summary: 'With --http: also accept this Origin (exact, e.g. https://app.example.com); loopback origins always are.', multiple: true, dependsOn: ['http']}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve);
    const {runServe} = await import('../proxy/serve.js');
    await runServe({
      config: flags.config,
      mode: flags.mode as 'search' | 'direct' | undefined,
      logFile: flags['log-file'],
      logLevel: flags['log-level'] as 'error' | 'warn' | 'info' | 'debug' | undefined,
      http: flags.http,
      httpOptions: {
        maxSessions: flags['http-max-sessions'],
        sessionIdleMs: flags['http-session-idle'] * 1000,
        allowedHosts: flags['http-allow-host'] ?? [],
        allowedOrigins: flags['http-allow-origin'] ?? [],
      },
      version: this.config.version,
    });
    // Stray handles (an HTTP keep-alive, a timer in an SDK) must not keep a finished proxy alive.
    process.exit(process.exitCode ?? 0);
  }
}
