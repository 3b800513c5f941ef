/** The filter flags shared by `mcpx logs`, `logs tail`, `logs export` and `logs stats`. */
import {Flags} from '@oclif/core';

export const OUTCOMES = ['ok', 'tool-error', 'error', 'refused', 'held', 'timeout'];

export const timeFlags = {
  since: Flags.string({summary: 'Only records at or after this: 30m, 1h, 7d (ago) or an ISO date.'}),
  until: Flags.string({summary: 'Only records before this: 30m, 1h, 7d (ago) or an ISO date.'}),
};

export const recordFlags = {
  server: Flags.string({summary: 'Only calls to this upstream server.'}),
  tool: Flags.string({summary: 'Only this tool (upstream name, server__tool, or a meta-tool such as search_tools).'}),
  outcome: Flags.string({summary: 'Only this outcome.', options: OUTCOMES}),
  grep: Flags.string({summary: 'Only records whose JSON contains this text (case-insensitive).'}),
};
