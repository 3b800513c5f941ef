/**
 * Lazy parsing for the lint hot path: loads only the parser the file's format needs (the YAML
 * and TOML parsers are most of mcpx's start-up cost, and most runs see only JSON).
 */
import type {ConfigDocument, Format} from './types.js';

/** Same contract as `parseDocument` in ./parse.ts (throws ParseError), but loads the parser on demand. */
export async function parseDocumentLazy(text: string, format: Format, file: string): Promise<ConfigDocument> {
  switch (format) {
    case 'json':
    case 'jsonc': {
      const {parseJson} = await import('./json.js');
      return parseJson(text, file, format === 'json');
    }
    case 'yaml': {
      const {parseYaml} = await import('./yaml.js');
      return parseYaml(text, file);
    }
    case 'toml': {
      const {parseToml} = await import('./toml.js');
      return parseToml(text, file);
    }
  }
}
