/** oclif hook: an unknown command gets a "did you mean" suggestion and exit code 2. */
import type {Hook} from '@oclif/core';
import {didYouMean} from '../util/suggest.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  const ids = opts.config.commandIDs.map((id) => id.replaceAll(':', ' '));
  const wanted = opts.id.replaceAll(':', ' ');
  process.stderr.write(`Error: unknown command "${wanted}".${didYouMean(wanted, ids)}\nHint: run \`${opts.config.bin} --help\` for the list of commands.\n`);
  process.exit(2);
};

export default hook;
