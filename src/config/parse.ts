/**
 * One entry point for reading config text in any supported format (all parsers loaded). The
 * lint path uses `parseDocumentLazy` in ./load.ts instead, which loads only the parser a file needs.
 */
import {parseJson} from './json.js';
import {parseToml} from './toml.js';
import type {ConfigDocument, Format} from './types.js';
import {parseYaml} from './yaml.js';

export {ParseError} from './parse-error.js';

/** Parse `text` as `format`; throws ParseError (with file:line:column) on malformed input. */
export function parseDocument(text: string, format: Format, file: string): ConfigDocument {
  switch (format) {
    case 'json':
      return parseJson(text, file, true);
    case 'jsonc':
      return parseJson(text, file, false);
    case 'yaml':
      return parseYaml(text, file);
    case 'toml':
      return parseToml(text, file);
  }
}

export {sniffFormat} from './sniff.js';
