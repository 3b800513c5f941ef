/**
 * A small glob matcher for the project config's `ignore` and `ignoreFindings[].file`
 * patterns (`**`, `*`, `?`, `{a,b}`, `[abc]`), so the lint fast path needs no glob library.
 * Patterns without a `/` match a file or folder name at any depth, like .gitignore.
 */

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
  const sources = patterns.map((p) => {
    let g = p.trim().replace(/^\.\//, '');
    const anchored = g.startsWith('/') || g.replace(/\/$/, '').includes('/');
    g = g.replace(/^\//, '').replace(/\/$/, '');
    return (anchored ? '^' : '^(?:.*/)?') + toRegexSource(g) + '(?:/.*)?$';
  });
  const re = new RegExp(sources.join('|'));
  return (relPath) => re.test(relPath);
}
