/**
 * mcpx's own config: `config.json` in `mcpxDirs().config` (JSONC), read by `mcpx serve`.
 * `mcpServers` holds stdio entries and `type: "http" | "sse"` remotes, with per-server `enabled`
 * (or `disabled`), `timeout`, `startupTimeout`, `allowTools` and `denyTools`; the file may also
 * hold `options`. Its JSON Schema is the one `serve` ships, `schemas/mcpx-config.schema.json`.
 * mcpx resolves `${VAR}`, `${VAR:-default}` and `${env:VAR}` itself (environment, then keychain).
 */
import path from 'node:path';
import {mcpxDirs} from '../util/paths.js';
import {type Problem, getIn, isRecord, readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

const TYPES = ['stdio', 'http', 'sse', 'streamable-http'];

export const mcpx: ClientDefinition = {
  id: 'mcpx',
  name: 'mcpx',
  format: 'jsonc',
  projectFiles: [],
  userFiles: ({home, env}) => [path.join(mcpxDirs({...env, HOME: home}).config, 'config.json')],
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('mcpx', doc, ['mcpServers'], {urlKeys: ['url'], enabledKey: 'enabled', disabledKey: 'disabled'}),
  validate(doc) {
    const problems: Problem[] = validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['url'], types: TYPES});
    const map = getIn(doc.value, ['mcpServers']);
    if (!isRecord(map)) return problems;
    for (const [name, raw] of Object.entries(map)) {
      if (!isRecord(raw)) continue;
      const at = ['mcpServers', name];
      for (const k of ['enabled', 'disabled']) {
        if (raw[k] !== undefined && typeof raw[k] !== 'boolean') problems.push({message: `server "${name}": "${k}" must be true or false`, path: [...at, k]});
      }
      for (const k of ['timeout', 'startupTimeout']) {
        const v = raw[k];
        if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) problems.push({message: `server "${name}": "${k}" must be a whole number of milliseconds`, path: [...at, k]});
      }
      for (const k of ['allowTools', 'denyTools']) {
        const v = raw[k];
        if (v !== undefined && !(Array.isArray(v) && v.every((t) => typeof t === 'string'))) problems.push({message: `server "${name}": "${k}" must be a list of tool names`, path: [...at, k]});
      }
    }
    return problems;
  },
  toNative: (spec) => toStandardNative(spec),
  interpolation: {syntaxes: ['${VAR}', '${VAR:-default}', '${env:VAR}'], fields: ['command', 'args', 'env', 'cwd', 'url', 'headers']},
};
