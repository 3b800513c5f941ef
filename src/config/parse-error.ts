/** The error for a config file that cannot be parsed: always names file, line and column. */
import {UserError} from '../errors.js';
import type {Format} from './types.js';

export class ParseError extends UserError {
  constructor(
    readonly file: string,
    readonly format: Format,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail} (${formatName(format)})`, {
      code: 'E_PARSE',
      hint: `Fix the ${formatName(format)} syntax at line ${line}, column ${column}; mcpx did not change the file.`,
    });
    this.name = 'ParseError';
  }
}

export function formatName(format: Format): string {
  return {json: 'JSON', jsonc: 'JSONC', toml: 'TOML', yaml: 'YAML'}[format];
}
