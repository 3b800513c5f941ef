/**
 * Every hardcoded secret in one server entry, with the field and sub-path it sits in. The one
 * walk over an entry shared by the `hardcoded-secret` rule and `mcpx secrets move`, so lint and
 * move always agree on what is a secret.
 */
import type {JsonPath} from '../config/types.js';
import {nativePath, type ServerEntry, type ServerField} from '../model.js';
import {type DetectContext, type Detection, detectSecrets} from './detect.js';

export interface EntrySecret {
  field: ServerField;
  /** Sub-path inside the field: the env key, header name or arg index. */
  rest: (string | number)[];
  /** Native path of the value in the document. */
  path: JsonPath;
  /** The whole value the secret was found in. */
  value: string;
  detection: Detection;
  /** Where, for messages: `GITHUB_TOKEN in env`, `args[3] (after --api-key)`, `the URL`. */
  where: string;
}

/**
 * Find the secrets in an entry's env, headers, args, URL and command. Entropy-only (low
 * confidence) hits count only in env and header values, where random strings are keys; in args
 * and URLs they are too often ids.
 */
export function findEntrySecrets(entry: ServerEntry): EntrySecret[] {
  const out: EntrySecret[] = [];
  const add = (value: string, ctx: DetectContext, where: string, field: ServerField, ...rest: (string | number)[]) => {
    for (const detection of detectSecrets(value, ctx)) {
      if (detection.confidence === 'low' && ctx.field !== 'env' && ctx.field !== 'header') continue;
      out.push({field, rest, path: nativePath(entry, field, ...rest), value, detection, where});
    }
  };
  for (const [key, value] of Object.entries(entry.env ?? {})) add(value, {field: 'env', key}, `${key} in env`, 'env', key);
  for (const [key, value] of Object.entries(entry.headers ?? {})) add(value, {field: 'header', key}, `header ${key}`, 'headers', key);
  entry.args?.forEach((arg, i) => {
    const prevArg = i > 0 ? entry.args![i - 1] : undefined;
    const flag = prevArg && /^--?[A-Za-z]/.test(prevArg) && !prevArg.includes('=') ? ` (after ${prevArg})` : '';
    add(arg, prevArg === undefined ? {field: 'arg'} : {field: 'arg', prevArg}, `args[${i}]${flag}`, 'args', i);
  });
  if (entry.url !== undefined) add(entry.url, {field: 'url'}, 'the URL', 'url');
  if (entry.command !== undefined) add(entry.command, {field: 'other'}, 'the command', 'command');
  return out;
}
