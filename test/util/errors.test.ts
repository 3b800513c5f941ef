/**
 * A full disk, a read-only folder or a permission problem is the machine's doing, not a bug in
 * mcpx: the top level says what happened, names the file, and exits 3 (issue 14).
 */
import {describe, expect, test} from 'vitest';
import {UserError, formatError, fromSystemError} from '../../src/errors.js';
import {toUserError} from '../../src/base-command.js';

function sysError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const error = new Error(`${code}: failure, ${syscall} '${path}'`) as NodeJS.ErrnoException;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

describe('system errors at the top level', () => {
  test('ENOSPC is a clear error naming the file, exit 3, not "looks like a bug"', () => {
    const text = formatError(sysError('ENOSPC', 'write', '/home/u/.cursor/mcp.json.tmp'), {});
    expect(text).toContain('disk is full');
    expect(text).toContain('/home/u/.cursor/mcp.json.tmp');
    expect(text).not.toMatch(/looks like a bug/);
    const mapped = toUserError(sysError('ENOSPC', 'write', '/x'), []);
    expect(mapped).toBeInstanceOf(UserError);
    expect(mapped).toMatchObject({code: 'E_ENOSPC', exitCode: 3});
  });

  test('EROFS and EDQUOT are mapped too; an unknown error still reads as a bug', () => {
    expect(fromSystemError(sysError('EROFS', 'open', '/ro/x'))).toMatchObject({code: 'E_EROFS'});
    expect(fromSystemError(sysError('EDQUOT', 'write', '/q/x'))).toMatchObject({code: 'E_EDQUOT'});
    expect(formatError(new TypeError('x is undefined'), {})).toMatch(/looks like a bug/);
  });
});
