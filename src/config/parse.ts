/**
 * One entry point for reading config text in any supported format, with format sniffing for
 * explicitly named files of unknown type.
 */
import path from 'node:path';
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

/** Guess a file's format from its name, then its content. */
export function sniffFormat(file: string, text: string): Format {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.toml') return 'toml';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.jsonc' || ext === '.json5') return 'jsonc';
  if (ext === '.json') return /^\s*\/[/*]|,\s*[}\]]/m.test(text) ? 'jsonc' : 'json';
  const trimmed = text.trimStart();
  if (/^\s*\[\[?[\w."-]+\]\]?\s*$/m.test(text) || /^\s*[\w"-]+\s*=\s*/m.test(text)) return 'toml';
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('//')) return 'jsonc';
  return 'yaml';
}
