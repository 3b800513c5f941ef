/**
 * OpenAI Codex: `~/.codex/config.toml` (or `$CODEX_HOME/config.toml`) and a trusted project's
 * `.codex/config.toml`, one `[mcp_servers.<name>]` table per server. Codex expands nothing in
 * values; instead it reads variables *by name*: `env_vars` forwards variables to a stdio server,
 * `bearer_token_env_var` and `env_http_headers` fill HTTP headers. Those are shown in the neutral
 * model as `${NAME}` references (env `NAME: ${NAME}`, header `Authorization: Bearer ${NAME}`),
 * which is what they mean; `raw` keeps the native table. Remote servers are Streamable HTTP.
 */
import path from 'node:path';
import type {ConfigDocument} from '../config/types.js';
import type {ServerEntry, ServerSpec} from '../model.js';
import {type Problem, getIn, isRecord, readEntry, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

const MAP = ['mcp_servers'];
const REF = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const BEARER_REF = /^Bearer \$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

function readCodex(doc: ConfigDocument): ServerEntry[] {
  const map = getIn(doc.value, MAP);
  if (!isRecord(map)) return [];
  const out: ServerEntry[] = [];
  for (const [name, raw] of Object.entries(map)) {
    if (!isRecord(raw)) continue;
    const pointer = [...MAP, name];
    const entry = readEntry('codex', doc, name, raw, pointer, {urlKeys: ['url'], headersKey: 'http_headers', enabledKey: 'enabled'});
    if (entry.url !== undefined) entry.transport = 'http';
    if (Array.isArray(raw.env_vars)) {
      const forwarded = raw.env_vars.filter((v): v is string => typeof v === 'string');
      if (forwarded.length > 0) {
        entry.env = {...Object.fromEntries(forwarded.map((v) => [v, '${' + v + '}'])), ...entry.env};
        entry.fields.env ??= [...pointer, 'env_vars'];
      }
    }
    const headers: Record<string, string> = {};
    if (typeof raw.bearer_token_env_var === 'string') headers.Authorization = 'Bearer ${' + raw.bearer_token_env_var + '}';
    if (isRecord(raw.env_http_headers)) {
      for (const [k, v] of Object.entries(raw.env_http_headers)) if (typeof v === 'string') headers[k] = '${' + v + '}';
    }
    if (Object.keys(headers).length > 0) {
      entry.headers = {...headers, ...entry.headers};
      entry.fields.headers ??= [...pointer, typeof raw.bearer_token_env_var === 'string' ? 'bearer_token_env_var' : 'env_http_headers'];
    }
    out.push(entry);
  }
  return out;
}

function toCodex(spec: ServerSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (spec.transport === 'stdio') {
    out.command = spec.command;
    if (spec.args?.length) out.args = spec.args;
    const env: Record<string, string> = {};
    const forward: string[] = [];
    for (const [k, v] of Object.entries(spec.env ?? {})) {
      // `K = ${K}` is exactly what env_vars does; any other value is passed literally.
      if (REF.exec(v)?.[1] === k) forward.push(k);
      else env[k] = v;
    }
    if (Object.keys(env).length > 0) out.env = env;
    if (forward.length > 0) out.env_vars = forward;
    if (spec.cwd) out.cwd = spec.cwd;
    return out;
  }
  out.url = spec.url;
  const literal: Record<string, string> = {};
  const byName: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) {
    const bearer = k.toLowerCase() === 'authorization' ? BEARER_REF.exec(v) : null;
    const ref = REF.exec(v);
    if (bearer && out.bearer_token_env_var === undefined) out.bearer_token_env_var = bearer[1];
    else if (ref) byName[k] = ref[1]!;
    else literal[k] = v;
  }
  if (Object.keys(literal).length > 0) out.http_headers = literal;
  if (Object.keys(byName).length > 0) out.env_http_headers = byName;
  return out;
}

export const codex: ClientDefinition = {
  id: 'codex',
  name: 'Codex',
  format: 'toml',
  projectFiles: ['.codex/config.toml'],
  homeFiles: ['.codex/config.toml', 'config/codex/config.toml', '.config/codex/config.toml'],
  userFiles: ({home, env}) => [path.join(env.CODEX_HOME || path.join(home, '.codex'), 'config.toml')],
  serversPath: MAP,
  readServers: readCodex,
  validate(doc) {
    const problems: Problem[] = validateServerMap(doc, MAP, false, {urlKeys: ['url'], headersKey: 'http_headers'});
    const map = getIn(doc.value, MAP);
    if (!isRecord(map)) return problems;
    for (const [name, raw] of Object.entries(map)) {
      if (!isRecord(raw)) continue;
      const at = [...MAP, name];
      if (raw.bearer_token !== undefined) problems.push({message: `server "${name}": Codex rejects an inline "bearer_token"; use "bearer_token_env_var" with the variable's name`, path: [...at, 'bearer_token']});
      if (raw.headers !== undefined) problems.push({message: `server "${name}": Codex ignores "headers"; use "http_headers" (or "env_http_headers" for variable names)`, path: [...at, 'headers']});
      if (raw.env_vars !== undefined && !(Array.isArray(raw.env_vars) && raw.env_vars.every((v) => typeof v === 'string'))) problems.push({message: `server "${name}": "env_vars" must be a list of variable names`, path: [...at, 'env_vars']});
      if (raw.env_http_headers !== undefined && !isRecord(raw.env_http_headers)) problems.push({message: `server "${name}": "env_http_headers" must be a table`, path: [...at, 'env_http_headers']});
      if (typeof raw.command === 'string' && typeof raw.url === 'string') problems.push({message: `server "${name}" has both "command" and "url"`, path: at});
    }
    return problems;
  },
  toNative: toCodex,
  interpolation: {syntaxes: [], fields: [], envNameKeys: ['env_vars', 'bearer_token_env_var', 'env_http_headers']},
  docs: 'https://developers.openai.com/codex/mcp',
};
