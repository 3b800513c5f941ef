/**
 * The lean entry for `mcpx run` and `mcpx bridge`, which MCP clients start on every launch of a
 * server whose secrets were moved: skip oclif's start-up, load the keychain only when needed.
 */
import {ExitCode, UserError, formatError} from '../errors.js';

export async function main(command: 'run' | 'bridge', argv: string[]): Promise<number> {
  try {
    if (command === 'run') {
      const {parseRunArgv, runServer} = await import('../secrets/launch.js');
      return await runServer(parseRunArgv(argv));
    }
    const {parseBridgeArgv, runBridge} = await import('../secrets/bridge.js');
    return await runBridge(parseBridgeArgv(argv));
  } catch (error) {
    process.stderr.write(`mcpx ${command}: ${formatError(error).replace(/^Error: /, '')}\n`);
    return error instanceof UserError ? ExitCode.findings : ExitCode.failure;
  }
}
