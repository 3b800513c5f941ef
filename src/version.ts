/** mcpx's own version, from package.json (inlined at build time). */
import pkg from '../package.json' with {type: 'json'};

export const VERSION: string = pkg.version;
