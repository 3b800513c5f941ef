/**
 * file-permissions: a config holding a credential that group or others can read; any config
 * that group or others can write (whoever can write it chooses the commands your client runs);
 * a config folder that others can write. Skipped on Windows, where modes do not apply.
 */
import type {Rule} from '../types.js';

function octal(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
}

export const filePermissionsRule: Rule = {
  meta: {
    id: 'file-permissions',
    description: 'Config files readable by others while holding credentials, or writable by others.',
    defaultSeverity: 'error',
    category: 'security',
    fix: 'lint --fix',
  },
  phase: 'after',
  check(ctx) {
    if (ctx.platform === 'win32' || !ctx.stat) return;
    const mode = ctx.stat.mode & 0o777;
    if (mode & 0o022) {
      const who = mode & 0o002 ? 'anyone on this machine' : 'its group';
      ctx.report({
        message: `${octal(mode)}: ${who} can write this config and so choose the commands your MCP client runs`,
        hint: 'run `mcpx lint --fix` (chmod 600) or `chmod go-w <file>`',
      });
    } else if (ctx.hasCredential && mode & 0o044) {
      const who = mode & 0o004 ? 'anyone on this machine' : 'its group';
      ctx.report({
        message: `${octal(mode)}: ${who} can read this config, and it holds a credential`,
        hint: 'run `mcpx lint --fix` (chmod 600), and move the secret with `mcpx secrets move`',
      });
    }
    if (ctx.dirStat && ctx.dirStat.mode & 0o002 && !(ctx.dirStat.mode & 0o1000)) {
      ctx.report({
        message: `the folder holding this config is writable by anyone (${octal(ctx.dirStat.mode)}), who can replace the file`,
        hint: 'run `chmod o-w` on the folder',
      });
    }
  },
};
