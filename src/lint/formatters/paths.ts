/** Path helpers shared by the formatters: report paths relative to the working directory, `/`-separated. */
import path from 'node:path';

/** `file` relative to `cwd` with `/` separators; undefined when it lies outside `cwd`. */
export function relativeInside(cwd: string, file: string): string | undefined {
  const rel = path.relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/** `file` relative to `cwd` when inside it, else the absolute path (both `/`-separated). */
export function displayPath(cwd: string, file: string): string {
  return relativeInside(cwd, file) ?? file.split(path.sep).join('/');
}
