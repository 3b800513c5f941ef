/**
 * The lint engine's door to the document layer, loading each format's parser on first use:
 * the YAML and TOML parsers are most of lint's code by size, and a run over JSON configs (the
 * usual case, and every pre-commit run on `.mcp.json`) should not pay for loading them.
 */
import type {ConfigDocument, Format} from '../config/types.js';

/** Same contract as `parseDocument` in src/config/parse.ts (throws its ParseError), but async. */
export async function parseLazily(text: string, format: Format, file: string): Promise<ConfigDocument> {
  switch (format) {
    case 'json':
    case 'jsonc': {
      const {parseJson} = await import('../config/json.js');
      return parseJson(text, file, format === 'json');
    }
    case 'yaml': {
      const {parseYaml} = await import('../config/yaml.js');
      return parseYaml(text, file);
    }
    case 'toml': {
      const {parseToml} = await import('../config/toml.js');
      return parseToml(text, file);
    }
  }
}

/** `sniffFormat` from src/config/parse.ts, loaded only for files no client claims. */
export async function sniffLazily(file: string, text: string): Promise<Format> {
  const {sniffFormat} = await import('../config/parse.js');
  return sniffFormat(file, text);
}
