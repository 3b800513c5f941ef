#!/usr/bin/env node
// Entry point. `mcpx lint` runs on every commit, so it takes a lean path that never loads
// oclif (about 130 ms of start-up); every other command, and `lint --help`, goes through oclif.
const argv = process.argv.slice(2);
if (argv[0] === 'lint' && !argv.some((a) => a === '--help' || a === '-h')) {
  const {main} = await import('../dist/cli/lint-main.js');
  process.exitCode = await main(argv.slice(1));
} else if (argv[0] === 'serve' && !argv.some((a) => a === '--help' || a === '-h')) {
  // MCP clients start `mcpx serve` for every session: skip oclif here too.
  const {main} = await import('../dist/proxy/main.js');
  process.exitCode = await main(argv.slice(1));
} else {
  const {execute} = await import('@oclif/core');
  await execute({dir: import.meta.url});
}
