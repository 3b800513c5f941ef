#!/usr/bin/env node
// Entry point. `mcpx lint` runs on every commit and `mcpx run`/`bridge`/`serve` on every server
// launch, so they take lean paths that never load oclif (about 130 ms of start-up); every other
// command, and every help (`--help`, `-h`, `mcpx help [COMMAND]`), goes through oclif.
let argv = process.argv.slice(2);
// `mcpx help lint` is `mcpx lint --help`; a bare `mcpx help` is `mcpx --help`.
if (argv[0] === 'help') argv = [...argv.slice(1).filter((a) => !a.startsWith('-')), '--help'];
// Flags after `--` belong to the server command, not to mcpx.
const own = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
const wantsHelp = own.some((a) => a === '--help' || a === '-h');
if (argv[0] === 'lint' && !wantsHelp) {
  const {main} = await import('../dist/cli/lint-main.js');
  process.exitCode = await main(argv.slice(1));
} else if ((argv[0] === 'run' || argv[0] === 'bridge') && !wantsHelp) {
  // Started by MCP clients on every server launch: skip oclif here too.
  const {main} = await import('../dist/cli/run-main.js');
  process.exitCode = await main(argv[0], argv.slice(1));
} else if (argv[0] === '__complete') {
  // Asked by the shell on every Tab (`mcpx completion`): no oclif.
  const {main} = await import('../dist/cli/complete.js');
  process.exitCode = main(argv.slice(1));
} else if (argv[0] === 'serve' && !wantsHelp) {
  const {main} = await import('../dist/proxy/main.js');
  process.exitCode = await main(argv.slice(1));
} else {
  const {execute} = await import('@oclif/core');
  await execute({args: argv, dir: import.meta.url});
}
