/** parse-error: the file is not valid JSON/JSONC/TOML/YAML. Other files are still linted. */
import type {Rule} from '../types.js';

export const parseErrorRule: Rule = {
  meta: {
    id: 'parse-error',
    description: 'The config file cannot be parsed; the client will ignore it or fail to start.',
    defaultSeverity: 'error',
    category: 'correctness',
    fix: 'manual',
  },
  check(ctx) {
    const e = ctx.parseError;
    if (!e) return;
    const at = {line: e.line, column: e.column, offset: 0};
    ctx.report({message: e.message, range: {start: at, end: at}, hint: 'fix the syntax at this position'});
  },
};
