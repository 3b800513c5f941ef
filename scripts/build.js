#!/usr/bin/env node
// Builds dist/ with esbuild: every command and library module as ESM, with the lint fast path
// and the parsers bundled and split into chunks so `mcpx lint` loads only what a run needs.
// Packages that only other commands need (oclif, the MCP SDK, inquirer, the keyring) stay external.
import {build} from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Packages kept out of the bundle: heavy, native, or loaded by path at run time. */
const external = [
  '@oclif/core',
  '@modelcontextprotocol/sdk',
  '@napi-rs/keyring',
  '@inquirer/prompts',
  'ajv',
  'ajv-formats',
  'diff',
  ...Object.keys(pkg.optionalDependencies ?? {}),
];

function listEntries(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listEntries(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

fs.rmSync(path.join(root, 'dist'), {recursive: true, force: true});
// A stale manifest would be read back by Config.load below and hide new commands.
fs.rmSync(path.join(root, 'oclif.manifest.json'), {force: true});
const LINT_ENTRY = path.join(root, 'src', 'cli', 'lint-main.ts');
const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  external,
  sourcemap: 'linked',
  minifySyntax: true,
  logLevel: 'warning',
  banner: {js: "import {createRequire as __mcpxRequire} from 'node:module'; const require = __mcpxRequire(import.meta.url);"},
};
// Everything but the lint fast path: one output per source module, shared code in chunks.
await build({
  ...common,
  entryPoints: listEntries(path.join(root, 'src')).filter((f) => f !== LINT_ENTRY),
  outbase: path.join(root, 'src'),
  outdir: path.join(root, 'dist'),
  chunkNames: 'chunks/[name]-[hash]',
});
// The lint fast path on its own: one file, plus a chunk per dynamic import (each parser, each
// formatter), because resolving and linking dozens of small modules costs more than parsing one.
await build({
  ...common,
  entryPoints: [LINT_ENTRY],
  outdir: path.join(root, 'dist', 'cli'),
  chunkNames: 'lint-chunks/[name]-[hash]',
});

// oclif reads command metadata from a manifest instead of importing every command file.
if (process.env.MCPX_SKIP_MANIFEST !== '1') {
  const {Config} = await import('@oclif/core');
  const config = await Config.load({root, ignoreManifest: true});
  const manifest = {version: pkg.version, commands: {}};
  const plugin = config.getPluginsList().find((p) => p.root === root) ?? config.rootPlugin;
  for (const cmd of plugin.commands) {
    const cached = {...cmd};
    delete cached.load;
    manifest.commands[cmd.id] = JSON.parse(JSON.stringify(cached));
  }
  fs.writeFileSync(path.join(root, 'oclif.manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

// The deliberately insecure example project of the README (random values, never committed).
await import('./make-examples.js');
