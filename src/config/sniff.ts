/** Format sniffing for explicitly named files of unknown type: by extension, then content. */
import path from 'node:path';
import type {Format} from './types.js';

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
