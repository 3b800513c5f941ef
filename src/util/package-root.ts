/** Where mcpx itself is installed: the folder holding its package.json and bin/run.js. */
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let cached: string | undefined;

/** The package root, found upward from this (built) module; works from src/ and dist/. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'bin', 'run.js'))) return (cached = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('mcpx: cannot find its own package root');
    dir = up;
  }
}

/** The absolute command line that starts this mcpx: [node, bin/run.js]. GUI clients need absolute paths. */
export function mcpxLaunch(): [string, string] {
  return [process.execPath, path.join(packageRoot(), 'bin', 'run.js')];
}
