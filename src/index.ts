/** Library entry: the oclif runner and the public building blocks. */
export {run} from '@oclif/core';
export {UserError, ExitCode} from './errors.js';
