/**
 * Secrets in a config file read as plain text, for files that do not parse (a fragment, a
 * trailing comma, a half-edited file). Without a document there are no servers, so the text is
 * cut into what a config's syntax would make of it: `"NAME": "value"`, `name: value` and
 * `NAME = value` pairs (judged by their key, as env values are), lone strings and list items
 * (judged as arguments, after the string before them), and provider-format tokens anywhere.
 * Each value goes through the one detector (src/secrets/detect.ts), so a broken file reports
 * what the same file would report once fixed, as far as its text allows.
 */
import {type Detection, detectSecrets} from './detect.js';

export interface TextSecret {
  /** Offsets of the secret in the text, end exclusive. */
  start: number;
  end: number;
  detection: Detection;
  /** The key the value was written under, when there was one. */
  key?: string;
}

/** Only this much of a file is scanned; an MCP config is far smaller. */
const MAX_TEXT = 1024 * 1024;
/** Longer lines (minified files, pasted blobs) are only scanned for provider formats. */
const MAX_LINE = 16 * 1024;

const JSON_PAIR = /"((?:[^"\\\n]|\\.){1,200})"\s*:\s*"((?:[^"\\\n]|\\.)*)"/g;
const TOML_PAIR = /(?:^|[{,\s])([A-Za-z_][\w.-]{0,200}|"[^"\n]{1,200}")\s*=\s*"((?:[^"\\\n]|\\.)*)"/g;
const JSON_STRING = /"((?:[^"\\\n]|\\.)*)"/g;
const BARE_PAIR = /^\s*(?:-\s+)?(?:export\s+)?([A-Za-z_][\w.-]{0,200}|"[^"\n]{1,200}"|'[^'\n]{1,200}')\s*([:=])[ \t]*(.*)$/;
const LIST_ITEM = /^\s*-\s+(.+)$/;

/** A YAML/TOML/env value written after `:` or `=`: quotes off, a trailing comment off. */
function bareValue(raw: string): {text: string; offset: number} | undefined {
  const m = /^(["'])(.*)\1\s*,?\s*(?:#.*)?$/.exec(raw);
  if (m) return {text: m[2]!, offset: 1};
  if (/^["'[{]/.test(raw)) return undefined;
  const text = raw.replace(/\s+#.*$/, '').replace(/\s*,\s*$/, '').trimEnd();
  return text ? {text, offset: 0} : undefined;
}

const unquote = (k: string): string => k.replace(/^(["'])(.*)\1$/, '$2');

/** Does this key look like an environment variable (where a random value alone is suspect)? */
const ENV_LIKE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Find the secrets in `text`. Never throws; bounded in size. Overlapping finds keep the first
 * (pairs before lone strings before bare provider tokens).
 */
export function findTextSecrets(text: string): TextSecret[] {
  const body = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const out: TextSecret[] = [];
  const taken: Array<[number, number]> = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && a < e);
  const add = (base: number, detections: Detection[], key: string | undefined, keepLow: boolean) => {
    for (const d of detections) {
      if (d.confidence === 'low' && !keepLow) continue;
      const start = base + d.start;
      const end = base + d.end;
      if (!free(start, end)) continue;
      taken.push([start, end]);
      out.push({start, end, detection: d, ...(key !== undefined ? {key} : {})});
    }
  };

  let lineStart = 0;
  let prevString: string | undefined;
  while (lineStart <= body.length) {
    let lineEnd = body.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = body.length;
    const line = body.slice(lineStart, lineEnd);
    if (line.length <= MAX_LINE && line.trim()) {
      // Values in pairs, each judged by its key, the way an env value or a header is.
      const pairs: Array<[number, number]> = [];
      JSON_PAIR.lastIndex = 0;
      for (let m = JSON_PAIR.exec(line); m; m = JSON_PAIR.exec(line)) {
        const key = m[1]!;
        const vs = m.index + m[0].length - 1 - m[2]!.length;
        add(lineStart + vs, detectSecrets(m[2]!, {field: 'env', key}), key, ENV_LIKE.test(key));
        pairs.push([m.index, m.index + m[0].length]);
        prevString = undefined;
      }
      // TOML inline tables: `env = { API_KEY = "…" }`.
      TOML_PAIR.lastIndex = 0;
      for (let m = TOML_PAIR.exec(line); m; m = TOML_PAIR.exec(line)) {
        const key = unquote(m[1]!);
        const vs = m.index + m[0].length - 1 - m[2]!.length;
        add(lineStart + vs, detectSecrets(m[2]!, {field: 'env', key}), key, ENV_LIKE.test(key));
        pairs.push([m.index, m.index + m[0].length]);
      }
      if (pairs.length === 0) {
        const bare = BARE_PAIR.exec(line);
        const value = bare && !bare[3]!.startsWith('//') ? bareValue(bare[3]!) : undefined;
        if (bare && value) {
          const key = unquote(bare[1]!);
          const vs = line.length - bare[3]!.length + value.offset;
          add(lineStart + vs, detectSecrets(value.text, {field: 'env', key}), key, ENV_LIKE.test(key));
          pairs.push([0, line.length]);
        } else if (!bare) {
          const item = LIST_ITEM.exec(line);
          const v = item ? bareValue(item[1]!) : undefined;
          if (item && v && !/^["']/.test(item[1]!)) {
            const vs = line.length - item[1]!.length + v.offset;
            add(lineStart + vs, detectSecrets(v.text, prevString === undefined ? {field: 'arg'} : {field: 'arg', prevArg: prevString}), undefined, false);
            prevString = v.text;
            pairs.push([0, line.length]);
          }
        }
      }
      // Lone strings (array items such as args), each judged as an argument after the one before.
      JSON_STRING.lastIndex = 0;
      for (let m = JSON_STRING.exec(line); m; m = JSON_STRING.exec(line)) {
        const s = m.index;
        if (pairs.some(([a, b]) => s >= a && s < b)) continue;
        // A key whose value is not a string (`"env": {`, `"args": [`) resets the argument chain.
        if (/^\s*:/.test(line.slice(s + m[0].length))) {
          prevString = undefined;
          continue;
        }
        const value = m[1]!;
        add(lineStart + s + 1, detectSecrets(value, prevString === undefined ? {field: 'arg'} : {field: 'arg', prevArg: prevString}), undefined, false);
        prevString = value;
      }
    }
    lineStart = lineEnd + 1;
  }
  // Provider formats anywhere else: comments, unquoted fragments, very long lines.
  add(0, detectSecrets(body, {field: 'other'}).filter((d) => d.kind === 'provider-token'), undefined, false);
  return out.sort((a, b) => a.start - b.start);
}
