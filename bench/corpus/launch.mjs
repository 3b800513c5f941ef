#!/usr/bin/env node
// Runs bench/corpus/run.ts without a TypeScript loader: esbuild (a devDependency) bundles it to
// node_modules/.cache, where package imports still resolve, and the bundle is imported.
import {build} from 'esbuild';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = path.join(root, 'node_modules', '.cache', 'mcpx-bench', 'corpus-run.mjs');
await build({
  entryPoints: [path.join(root, 'bench', 'corpus', 'run.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  // run.ts finds the repository from its own location; the bundle lives elsewhere.
  define: {'import.meta.dirname': JSON.stringify(path.join(root, 'bench', 'corpus'))},
});
await import(pathToFileURL(outfile).href);
