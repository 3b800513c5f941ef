/**
 * `${VAR}` reference resolution for server configs: `${VAR}`, `${VAR:-default}`, the VS Code /
 * Cursor alias `${env:VAR}`, and `$${` for a literal `${`. Values come from pluggable sources
 * tried in order (the process environment, then the mcpx keychain). Resolution fails closed: a
 * reference no source knows is an error naming the variable, never an empty string. Resolved
 * values are returned to the caller only; this module never logs or stores them.
 */
import {UserError} from '../errors.js';
import type {SecretStore} from './store-types.js';

/** Where reference values come from. `lookup` returns undefined when the name is unknown. */
export interface ReferenceSource {
  readonly name: string;
  /** May throw when the source itself is unavailable; the resolver treats that as "not found" and keeps the reason. */
  lookup(name: string): Promise<string | undefined>;
}

/** One `${…}` occurrence in a string. */
export interface Reference {
  variable: string;
  /** The text after `:-`, when given. */
  fallback?: string;
  /** Offsets of the whole `${…}` in the string. */
  start: number;
  end: number;
}

/** A reference that was resolved, with the source that supplied it (never the value). */
export interface ResolvedReference {
  variable: string;
  source: string;
}

/** An unresolved or malformed reference. Names the server, the field and the variable; never a value. */
export class UnresolvedReferenceError extends UserError {
  constructor(
    message: string,
    readonly variable: string | undefined,
    readonly field: string,
    readonly server: string | undefined,
    hint: string,
  ) {
    super(message, {code: 'E_UNRESOLVED_REFERENCE', hint});
    this.name = 'UnresolvedReferenceError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Find every reference in `text`. Throws UnresolvedReferenceError for a `${` without its `}` or a name that
 * is not a variable (e.g. `${input:token}`), since such text would otherwise reach a server as is.
 */
export function findReferences(text: string, field = 'value', server?: string): Reference[] {
  const out: Reference[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$' && text[i + 2] === '{') {
      i += 2; // `$${` is an escaped literal `${`
      continue;
    }
    if (text[i + 1] !== '{') continue;
    const close = text.indexOf('}', i + 2);
    if (close < 0) throw malformed(`unterminated reference '${text.slice(i, i + 20)}'`, field, server);
    let body = text.slice(i + 2, close);
    let fallback: string | undefined;
    const sep = body.indexOf(':-');
    if (sep >= 0) {
      fallback = body.slice(sep + 2);
      body = body.slice(0, sep);
    }
    if (body.startsWith('env:')) body = body.slice(4);
    if (!NAME.test(body)) throw malformed(`unsupported reference '\${${body}}' (only \${VAR}, \${VAR:-default} and \${env:VAR} are resolved)`, field, server);
    out.push({variable: body, ...(fallback === undefined ? {} : {fallback}), start: i, end: close + 1});
    i = close;
  }
  return out;
}

/** True when `text` holds at least one reference (escapes excluded). Never throws. */
export function hasReferences(text: string): boolean {
  try {
    return findReferences(text).length > 0;
  } catch {
    return true;
  }
}

export interface ResolveContext {
  /** Server name, for error messages. */
  server?: string;
  /** Field path for error messages, e.g. `env.GITHUB_TOKEN` or `args[2]`. */
  field: string;
}

export interface ResolvedString {
  value: string;
  references: ResolvedReference[];
  /** The values that came from sources or defaults, for masking in logs. */
  secrets: string[];
}

/**
 * Resolve every reference in `text` from `sources` (first hit wins; `${VAR:-default}` uses the
 * default when no source has a non-empty value). Throws UnresolvedReferenceError naming server, field and
 * variable when a reference cannot be resolved, with each unavailable source's reason.
 */
export async function resolveString(text: string, sources: readonly ReferenceSource[], context: ResolveContext): Promise<ResolvedString> {
  const refs = findReferences(text, context.field, context.server);
  if (refs.length === 0 && !text.includes('$${')) return {value: text, references: [], secrets: []};
  let value = '';
  let last = 0;
  const references: ResolvedReference[] = [];
  const secrets: string[] = [];
  for (const ref of refs) {
    value += unescape(text.slice(last, ref.start));
    last = ref.end;
    const reasons: string[] = [];
    let found: {value: string; source: string} | undefined;
    for (const source of sources) {
      try {
        const v = await source.lookup(ref.variable);
        if (v !== undefined && !(ref.fallback !== undefined && v === '')) {
          found = {value: v, source: source.name};
          break;
        }
        reasons.push(`not in the ${source.name}`);
      } catch (error) {
        reasons.push(`${source.name} unavailable: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (!found && ref.fallback !== undefined) found = {value: ref.fallback, source: 'default'};
    if (!found) {
      const where = context.server ? `server '${context.server}', field '${context.field}'` : `field '${context.field}'`;
      throw new UnresolvedReferenceError(
        `${where}: \${${ref.variable}} is not set (${reasons.join('; ') || 'no sources'})`,
        ref.variable,
        context.field,
        context.server,
        `Store it in the keychain with \`mcpx secrets set ${ref.variable}\`, or set ${ref.variable} in the environment that starts mcpx.`,
      );
    }
    value += found.value;
    references.push({variable: ref.variable, source: found.source});
    if (found.source !== 'default') secrets.push(found.value);
  }
  value += unescape(text.slice(last));
  return {value, references, secrets};
}

/**
 * Resolve references in every string of a JSON-like value (arrays and objects recursively;
 * object keys are left alone). `field` names the root for error messages.
 */
export async function resolveReferences<T>(
  value: T,
  sources: readonly ReferenceSource[],
  context: ResolveContext,
): Promise<{value: T; references: ResolvedReference[]; secrets: string[]}> {
  const references: ResolvedReference[] = [];
  const secrets: string[] = [];
  const walk = async (v: unknown, field: string): Promise<unknown> => {
    if (typeof v === 'string') {
      const r = await resolveString(v, sources, {server: context.server, field});
      references.push(...r.references);
      secrets.push(...r.secrets);
      return r.value;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) out.push(await walk(v[i], `${field}[${i}]`));
      return out;
    }
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[k] = await walk(inner, `${field}.${k}`);
      return out;
    }
    return v;
  };
  return {value: (await walk(value, context.field)) as T, references, secrets};
}

/** The process environment as a source. */
export function envSource(env: NodeJS.ProcessEnv = process.env): ReferenceSource {
  return {
    name: 'environment',
    async lookup(name) {
      return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    },
  };
}

/** A secret store as a source: NAME is stored under the account `env/<NAME>`. */
export function storeSource(store: SecretStore, name = 'keychain'): ReferenceSource {
  return {
    name,
    lookup: (variable) => store.get(`env/${variable}`),
  };
}

/**
 * A source opened on first use (e.g. the keychain, whose native module is slow to load). It is
 * opened once; when opening fails, lookups throw that reason (which the resolver reports) and a
 * lookup more than `retryAfterMs` later tries to open it again (a long-running `mcpx serve`
 * picks up a keychain unlocked after start).
 */
export function lazySource(name: string, open: (retry: boolean) => Promise<ReferenceSource>, retryAfterMs = 30_000): ReferenceSource {
  let opened: Promise<ReferenceSource> | undefined;
  let failedAt: number | undefined;
  return {
    name,
    async lookup(variable) {
      const retry = failedAt !== undefined && Date.now() - failedAt > retryAfterMs;
      if (!opened || retry) {
        failedAt = undefined;
        opened = open(retry);
        opened.catch(() => {
          failedAt = Date.now();
        });
      }
      return (await opened).lookup(variable);
    },
  };
}

/**
 * The mcpx keychain as a lazily opened source (`store.ts` `openKeychain()`), so the keyring
 * module loads only when a reference is not in the environment. "No keychain" is reported as
 * the reason a reference was not found.
 */
export function keychainSource(): ReferenceSource {
  return lazySource('keychain', async (retry) => {
    const store = await import('./store.js');
    if (retry) store.forgetKeychainProbes();
    return storeSource(await store.openKeychain());
  });
}

/** The default sources: the environment, then the keychain. */
export function defaultSources(env: NodeJS.ProcessEnv = process.env): ReferenceSource[] {
  return [envSource(env), keychainSource()];
}

function unescape(text: string): string {
  return text.split('$${').join('${');
}

function malformed(message: string, field: string, server?: string): UnresolvedReferenceError {
  const where = server ? `server '${server}', field '${field}'` : `field '${field}'`;
  return new UnresolvedReferenceError(`${where}: ${message}`, undefined, field, server, 'Write references as ${VAR}, ${VAR:-default} or ${env:VAR}; write $${ for a literal ${.');
}
