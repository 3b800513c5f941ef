/**
 * invalid-config: the file parses, but its shape is not what the client expects (a servers map
 * that is an array, an entry with neither command nor url, duplicate keys).
 */
import type {Rule} from '../types.js';

export const invalidConfigRule: Rule = {
  meta: {
    id: 'invalid-config',
    description: 'The config parses but its MCP section has the wrong shape, or duplicate keys.',
    defaultSeverity: 'warning',
    category: 'correctness',
    fix: 'manual',
  },
  check(ctx) {
    const doc = ctx.doc;
    if (!doc) return;
    for (const problem of doc.problems) {
      ctx.report({message: problem.message, range: problem.range, path: problem.path, hint: 'remove the duplicate; clients disagree on which one wins'});
    }
    for (const problem of ctx.client?.validate?.(doc) ?? []) {
      let range;
      for (let n = problem.path.length; n >= 0 && !range; n--) range = doc.rangeOf(problem.path.slice(0, n));
      ctx.report({message: problem.message, range, path: problem.path, hint: `see ${ctx.client?.docs ?? 'the client documentation'} for the expected shape`});
    }
  },
};
