/**
 * mcpx's own config: `config.json` in `mcpxDirs().config` (JSONC), `mcpServers` with stdio entries
 * and `type: "http" | "sse"` remotes, plus per-server `enabled`, `timeout` (ms) and
 * `tools: {allow, deny}`. mcpx resolves `${VAR}` and `${VAR:-default}` itself (env, then keychain).
 */
import path from 'node:path';
import {mcpxDirs} from '../util/paths.js';
import {type Problem, describe, getIn, isRecord, readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const mcpx: ClientDefinition = {
  id: 'mcpx',
  name: 'mcpx',
  format: 'jsonc',
  projectFiles: [],
  userFiles: ({home, env}) => [path.join(mcpxDirs({...env, HOME: home}).config, 'config.json')],
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('mcpx', doc, ['mcpServers'], {urlKeys: ['url'], enabledKey: 'enabled'}),
  validate(doc) {
    const problems: Problem[] = validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['url'], types: ['stdio', 'http', 'sse']});
    const map = getIn(doc.value, ['mcpServers']);
    if (!isRecord(map)) return problems;
    for (const [name, raw] of Object.entries(map)) {
      if (!isRecord(raw)) continue;
      const at = ['mcpServers', name];
      if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') problems.push({message: `server "${name}": "enabled" must be true or false`, path: [...at, 'enabled']});
      if (raw.timeout !== undefined && !(typeof raw.timeout === 'number' && raw.timeout > 0)) problems.push({message: `server "${name}": "timeout" must be a positive number of milliseconds`, path: [...at, 'timeout']});
      if (raw.tools === undefined) continue;
      if (!isRecord(raw.tools)) {
        problems.push({message: `server "${name}": "tools" must be an object with "allow" and/or "deny", not ${describe(raw.tools)}`, path: [...at, 'tools']});
        continue;
      }
      for (const k of ['allow', 'deny']) {
        const list = raw.tools[k];
        if (list !== undefined && !(Array.isArray(list) && list.every((t) => typeof t === 'string'))) problems.push({message: `server "${name}": "tools.${k}" must be a list of tool names`, path: [...at, 'tools', k]});
      }
    }
    return problems;
  },
  toNative: (spec) => toStandardNative(spec),
  interpolation: {syntaxes: ['${VAR}', '${VAR:-default}'], fields: ['command', 'args', 'env', 'cwd', 'url', 'headers']},
};
