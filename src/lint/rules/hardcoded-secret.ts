/**
 * hardcoded-secret: credentials written into a server entry (env values, headers, args, the URL,
 * the command) instead of referenced (`${VAR}`). The walk over an entry is
 * src/secrets/entry-secrets.ts and the detector src/secrets/detect.ts, both shared with
 * `mcpx secrets move`; this rule only places and words the findings.
 */
import {type ConfigDocument, LineIndex, type SourceRange} from '../../config/types.js';
import {locate} from '../../model.js';
import type {Detection} from '../../secrets/detect.js';
import {findEntrySecrets} from '../../secrets/entry-secrets.js';
import {maskSecret} from '../../secrets/mask.js';
import {findTextSecrets} from '../../secrets/text-secrets.js';
import type {Rule} from '../types.js';

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

export const hardcodedSecretRule: Rule = {
  meta: {
    id: 'hardcoded-secret',
    description: 'API keys, tokens and passwords written into env values, headers, args, URLs and connection strings.',
    defaultSeverity: 'error',
    category: 'security',
    fix: 'secrets move',
  },
  check(ctx) {
    if (ctx.parseError && ctx.text !== undefined) {
      // No document to walk: read the text, so a half-edited file still shows its keys.
      const lines = new LineIndex(ctx.text);
      for (const {start, end, detection: d, key} of findTextSecrets(ctx.text)) {
        const range = lines.range(start, end);
        ctx.report({
          message: `${key !== undefined ? `"${key}"` : `line ${range.start.line}`} holds ${describeDetection(d)} (found reading the file as text: it does not parse)`,
          range,
          secret: d.secret,
          hint: 'fix the syntax, then ' + HINT.replace('NAME', d.suggestedName),
        });
      }
      return;
    }
    let index: LineIndex | undefined;
    const lines = (): LineIndex => (index ??= new LineIndex(ctx.doc!.text));
    for (const entry of ctx.servers) {
      // The same walk `mcpx secrets move` uses, so lint and move agree on every secret.
      for (const {field, rest, path, detection: d, where} of findEntrySecrets(entry)) {
        const valueRange = ctx.doc ? locate(ctx.doc, entry, field, ...rest) : undefined;
        ctx.report({
          message: `${where} of server "${entry.name}" holds ${describeDetection(d)}`,
          range: ctx.doc ? secretRange(ctx.doc, lines, valueRange, d) : undefined,
          path,
          server: entry.name,
          secret: d.secret,
          hint: HINT.replace('NAME', d.suggestedName),
        });
      }
    }
  },
};
