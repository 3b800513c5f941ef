/**
 * A small glob matcher for the project config's `ignore` and `ignoreFindings[].file`
 * patterns (`**`, `*`, `?`, `{a,b}`, `[abc]`), so the lint fast path needs no glob library.
 * Patterns without a `/` match a file or folder name at any depth, like .gitignore.
 */

/** Longest pattern accepted; real ignore globs are a few dozen characters. */
export const MAX_GLOB_LENGTH = 1024;
/** Most wildcards (`*`, `?`) in one pattern: each adds backtracking to the regular expression. */
export const MAX_GLOB_WILDCARDS = 32;

/** Why `glob` is refused (too long, too many wildcards), or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `the pattern is ${glob.length} characters long; the limit is ${MAX_GLOB_LENGTH}.`;
  const wild = (glob.match(/[*?]/g) ?? []).length;
  if (wild > MAX_GLOB_WILDCARDS) return `the pattern has ${wild} wildcards (* or ?); the limit is ${MAX_GLOB_WILDCARDS}.`;
  return undefined;
}

function escape(ch: string): string {
  return /[.+^${}()|[\]\\*?]/.test(ch) ? `\\${ch}` : ch;
}

function toRegexSource(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches everything below.
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:[^/]*(?:/|$))*' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) out += '\\{';
      else {
        out += '(?:' + glob.slice(i + 1, close).split(',').map(toRegexSource).join('|') + ')';
        i = close;
      }
    } else if (ch === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else out += escape(ch);
  }
  return out;
}

/**
 * A predicate for `/`-separated relative paths. A path matches when the pattern matches it or
 * one of its parent folders (so `fixtures/` and `fixtures` both ignore everything inside).
 */
export function globMatcher(patterns: readonly string[]): (relPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  for (const p of patterns) {
    const problem = globProblem(p);
    if (problem) throw new Error(`glob pattern refused: ${problem}`);
  }
  const sources = patterns.map((p) => {
    let g = p.trim().replace(/^\.\//, '');
    const anchored = g.startsWith('/') || g.replace(/\/$/, '').includes('/');
    g = g.replace(/^\//, '').replace(/\/$/, '');
    return (anchored ? '^' : '^(?:.*/)?') + toRegexSource(g) + '(?:/.*)?$';
  });
  const re = new RegExp(sources.join('|'));
  return (relPath) => re.test(relPath);
}
