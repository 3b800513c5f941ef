/**
 * hardcoded-secret: credentials written into a server entry (env values, headers, args, the URL,
 * the command) instead of referenced (`${VAR}`). Detection is src/secrets/detect.ts, the same
 * detector `mcpx secrets move` uses; this rule only walks the entries and words the findings.
 */
import {type ConfigDocument, LineIndex, type SourceRange} from '../../config/types.js';
import {locate, nativePath, type ServerEntry, type ServerField} from '../../model.js';
import {type DetectContext, type Detection, detectSecrets} from '../../secrets/detect.js';
import {maskSecret} from '../../secrets/mask.js';
import type {Rule, RuleContext} from '../types.js';

const HINT = 'run `mcpx secrets move` to keep it in the OS keychain and reference it as ${NAME}';

/**
 * Where the secret itself sits: the value's range narrowed to the secret when the value is
 * written literally in the source (no escapes), else the whole value.
 */
function secretRange(doc: ConfigDocument, lines: () => LineIndex, valueRange: SourceRange | undefined, d: Detection): SourceRange | undefined {
  if (!valueRange) return undefined;
  const source = doc.text.slice(valueRange.start.offset, valueRange.end.offset);
  const at = source.indexOf(d.secret);
  if (at < 0 || source.indexOf(d.secret, at + 1) >= 0) return valueRange;
  const start = valueRange.start.offset + at;
  return lines().range(start, start + d.secret.length);
}

function describeDetection(d: Detection): string {
  const inDefault = d.reference ? ` in the default of \${${d.reference.name}:-…}` : '';
  return `${d.reason}${inDefault} (${maskSecret(d.secret)})`;
}

function check(ctx: RuleContext, lines: () => LineIndex, entry: ServerEntry, value: string, dctx: DetectContext, where: string, field: ServerField, ...rest: (string | number)[]): void {
  const detections = detectSecrets(value, dctx);
  for (const d of detections) {
    // Low-confidence (entropy-only) findings are kept to values that are passed as settings,
    // where a random-looking string is almost always a key; in args and URLs it is often an id.
    if (d.confidence === 'low' && dctx.field !== 'env' && dctx.field !== 'header') continue;
    const valueRange = ctx.doc ? locate(ctx.doc, entry, field, ...rest) : undefined;
    ctx.report({
      message: `${where} of server "${entry.name}" holds ${describeDetection(d)}`,
      range: ctx.doc ? secretRange(ctx.doc, lines, valueRange, d) : undefined,
      path: nativePath(entry, field, ...rest),
      server: entry.name,
      secret: d.secret,
      hint: HINT.replace('NAME', d.suggestedName),
    });
  }
}

export const hardcodedSecretRule: Rule = {
  meta: {
    id: 'hardcoded-secret',
    description: 'API keys, tokens and passwords written into env values, headers, args, URLs and connection strings.',
    defaultSeverity: 'error',
    category: 'security',
    fix: 'secrets move',
  },
  check(ctx) {
    let index: LineIndex | undefined;
    const lines = (): LineIndex => (index ??= new LineIndex(ctx.doc!.text));
    for (const entry of ctx.servers) {
      for (const [key, value] of Object.entries(entry.env ?? {})) {
        check(ctx, lines, entry, value, {field: 'env', key}, `${key} in env`, 'env', key);
      }
      for (const [key, value] of Object.entries(entry.headers ?? {})) {
        check(ctx, lines, entry, value, {field: 'header', key}, `header ${key}`, 'headers', key);
      }
      entry.args?.forEach((arg, i) => {
        const prevArg = i > 0 ? entry.args![i - 1] : undefined;
        const flag = prevArg && /^--?[A-Za-z]/.test(prevArg) && !prevArg.includes('=') ? ` (after ${prevArg})` : '';
        const dctx: DetectContext = prevArg === undefined ? {field: 'arg'} : {field: 'arg', prevArg};
        check(ctx, lines, entry, arg, dctx, `args[${i}]${flag}`, 'args', i);
      });
      if (entry.url !== undefined) check(ctx, lines, entry, entry.url, {field: 'url'}, 'the URL', 'url');
      if (entry.command !== undefined) check(ctx, lines, entry, entry.command, {field: 'other'}, 'the command', 'command');
    }
  },
};
