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

/**
 * What a `mcpx scan` finding is about, for people: `server/tool › field` (`server › instructions`
 * for server instructions, `server/prompt:name › field` for a prompt); undefined for lint findings.
 */
export function subjectOf(f: {server?: string; tool?: string; prompt?: string; field?: string}): string | undefined {
  if (f.field === undefined) return undefined;
  const item = f.tool !== undefined ? `/${f.tool}` : f.prompt !== undefined ? `/prompt:${f.prompt}` : '';
  return `${f.server ?? ''}${item} › ${f.field}`;
}
