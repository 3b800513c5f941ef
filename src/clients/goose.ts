/**
 * Goose: `~/.config/goose/config.yaml` (Windows `%APPDATA%\Block\goose\config\config.yaml`),
 * `extensions: {<key>: {type, cmd, args, envs, env_keys, uri, headers, enabled, timeout}}`.
 * Only `stdio`, `sse` and `streamable_http` extensions are MCP servers; built-in ones are skipped.
 * Native keys are mapped through `fields` (`cmd` is command, `envs` env, `uri` url). Goose
 * expands nothing in values; `env_keys` names variables it reads from its secret store or the
 * environment, shown in the neutral model as `NAME: ${NAME}`.
 */
import path from 'node:path';
import type {ConfigDocument} from '../config/types.js';
import type {ServerEntry} from '../model.js';
import {type Problem, describe, getIn, isRecord, readEntry, validateEntry, xdgConfigHome} from './shared.js';
import type {ClientDefinition} from './types.js';

const MAP = ['extensions'];
const MCP_TYPES = ['stdio', 'sse', 'streamable_http'];
const ALL_TYPES = [...MCP_TYPES, 'builtin', 'platform', 'frontend', 'inline_python'];
const SHAPE = {commandKey: 'cmd', envKey: 'envs', urlKeys: ['uri'], enabledKey: 'enabled'};

function readGoose(doc: ConfigDocument): ServerEntry[] {
  const map = getIn(doc.value, MAP);
  if (!isRecord(map)) return [];
  const out: ServerEntry[] = [];
  for (const [key, raw] of Object.entries(map)) {
    if (!isRecord(raw)) continue;
    const type = raw.type ?? (typeof raw.cmd === 'string' ? 'stdio' : undefined);
    if (!MCP_TYPES.includes(String(type))) continue;
    const pointer = [...MAP, key];
    const entry = readEntry('goose', doc, key, raw, pointer, SHAPE);
    if (Array.isArray(raw.env_keys)) {
      const names = raw.env_keys.filter((v): v is string => typeof v === 'string');
      if (names.length > 0) {
        entry.env = {...Object.fromEntries(names.map((n) => [n, '${' + n + '}'])), ...entry.env};
        entry.fields.env ??= [...pointer, 'env_keys'];
      }
    }
    out.push(entry);
  }
  return out;
}

export const goose: ClientDefinition = {
  id: 'goose',
  name: 'Goose',
  format: 'yaml',
  projectFiles: [],
  homeFiles: ['.config/goose/config.yaml', 'config/goose/config.yaml', 'AppData/Roaming/Block/goose/config/config.yaml'],
  userFiles: (ctx) => [
    ctx.platform === 'win32'
      ? path.join(ctx.env.APPDATA || path.join(ctx.home, 'AppData', 'Roaming'), 'Block', 'goose', 'config', 'config.yaml')
      : path.join(xdgConfigHome(ctx), 'goose', 'config.yaml'),
  ],
  matches: (file) => /(^|\/)goose\/config(\/config)?\.yaml$/.test(file.split(path.sep).join('/')),
  serversPath: MAP,
  readServers: readGoose,
  validate(doc) {
    const map = getIn(doc.value, MAP);
    if (map === undefined) return [];
    if (!isRecord(map)) return [{message: `"extensions" must be a mapping of extension names to extensions, not ${describe(map)}`, path: MAP}];
    const problems: Problem[] = [];
    for (const [key, raw] of Object.entries(map)) {
      const at = [...MAP, key];
      if (!isRecord(raw)) {
        problems.push({message: `extension "${key}" must be a mapping, not ${describe(raw)}`, path: at});
        continue;
      }
      if (raw.type !== undefined && !ALL_TYPES.includes(String(raw.type))) {
        problems.push({message: `extension "${key}": unknown type ${JSON.stringify(raw.type)} (expected ${ALL_TYPES.join(', ')})`, path: [...at, 'type']});
        continue;
      }
      if (!MCP_TYPES.includes(String(raw.type ?? 'stdio'))) continue;
      problems.push(...validateEntry(key, raw, at, {commandKeys: ['cmd'], urlKeys: ['uri'], envKey: 'envs'}));
      if (raw.env_keys !== undefined && !Array.isArray(raw.env_keys)) problems.push({message: `extension "${key}": "env_keys" must be a list of variable names`, path: [...at, 'env_keys']});
    }
    return problems;
  },
  toNative(spec) {
    const out: Record<string, unknown> = {name: spec.name, enabled: true};
    if (spec.transport === 'stdio') {
      out.type = 'stdio';
      out.cmd = spec.command;
      out.args = spec.args ?? [];
      if (spec.env && Object.keys(spec.env).length > 0) out.envs = spec.env;
    } else {
      out.type = spec.transport === 'http' ? 'streamable_http' : 'sse';
      out.uri = spec.url;
      if (spec.headers && Object.keys(spec.headers).length > 0) out.headers = spec.headers;
    }
    out.timeout = 300;
    return out;
  },
  interpolation: {syntaxes: [], fields: [], envNameKeys: ['env_keys']},
  docs: 'https://block.github.io/goose/docs/guides/config-files',
};
