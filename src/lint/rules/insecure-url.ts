/**
 * insecure-url: plain `http://` or `ws://` to anything but a loopback address, in URL fields,
 * headers, env values and args. Loopback is matched exactly (`localhost`, 127.0.0.0/8, `[::1]`):
 * `http://localhost.evil.example` and `http://127.0.0.1.attacker.example` are insecure.
 */
import {locate, nativePath, type ServerEntry, type ServerField} from '../../model.js';
import type {Rule, RuleContext} from '../types.js';

const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'<>`]+/gi;

/** True when `host` (as the WHATWG URL parser gives it) is a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return m !== null && m.slice(1).every((o) => Number(o) <= 255);
}

/** For an insecure URL: the scheme and host to report; undefined when the URL is fine or not a URL. */
export function insecureUrl(text: string): {scheme: string; host: string} | undefined {
  const scheme = /^([a-z]+):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'http' && scheme !== 'ws') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return undefined;
  }
  // A host that is still a reference (`http://${HOST}`) cannot be judged here.
  if (/\$\{|%24%7B/i.test(parsed.host) || parsed.hostname === '') return undefined;
  if (isLoopbackHost(parsed.hostname)) return undefined;
  return {scheme, host: parsed.hostname};
}

function check(ctx: RuleContext, entry: ServerEntry, value: string, field: ServerField, ...rest: (string | number)[]): void {
  const candidates = field === 'url' ? [value] : (value.match(URL_IN_TEXT) ?? []);
  for (const url of candidates) {
    const bad = insecureUrl(url.replace(/[),.;]+$/, ''));
    if (!bad) continue;
    const secure = bad.scheme === 'ws' ? 'wss://' : 'https://';
    ctx.report({
      message: `${bad.scheme}:// to ${bad.host} in ${describeField(field, rest)} of server "${entry.name}" is unencrypted: tokens and tool data can be read or changed on the way`,
      range: ctx.doc ? locate(ctx.doc, entry, field, ...rest) : undefined,
      path: nativePath(entry, field, ...rest),
      server: entry.name,
      hint: `use ${secure} (plain ${bad.scheme}:// is only safe to localhost, 127.0.0.1 or [::1])`,
    });
  }
}

export function describeField(field: ServerField, rest: (string | number)[]): string {
  if (field === 'env' || field === 'headers') return `${field === 'env' ? 'env' : 'header'} ${String(rest[0])}`;
  if (field === 'args') return `args[${String(rest[0])}]`;
  return field;
}

export const insecureUrlRule: Rule = {
  meta: {
    id: 'insecure-url',
    description: 'Plain http:// or ws:// to a host other than loopback.',
    defaultSeverity: 'error',
    category: 'security',
    fix: 'manual',
  },
  check(ctx) {
    for (const entry of ctx.servers) {
      if (entry.url !== undefined) check(ctx, entry, entry.url, 'url');
      entry.args?.forEach((arg, i) => check(ctx, entry, arg, 'args', i));
      for (const [k, v] of Object.entries(entry.env ?? {})) check(ctx, entry, v, 'env', k);
      for (const [k, v] of Object.entries(entry.headers ?? {})) check(ctx, entry, v, 'headers', k);
    }
  },
};
