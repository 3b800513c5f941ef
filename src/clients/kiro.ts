/**
 * Kiro: workspace `.kiro/settings/mcp.json` and user `~/.kiro/settings/mcp.json`, `mcpServers`
 * with `disabled`; remote servers by `url` + `headers`. Expands `${VAR}` from its environment.
 */
import path from 'node:path';
import {readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const kiro: ClientDefinition = {
  id: 'kiro',
  name: 'Kiro',
  format: 'json',
  projectFiles: ['.kiro/settings/mcp.json'],
  homeFiles: ['.kiro/settings/mcp.json'],
  userFiles: ({home}) => [path.join(home, '.kiro', 'settings', 'mcp.json')],
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('kiro', doc, ['mcpServers'], {urlKeys: ['url'], disabledKey: 'disabled'}),
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['url']}),
  toNative: (spec) => toStandardNative(spec, {remoteType: false}),
  interpolation: {syntaxes: ['${VAR}'], fields: ['env', 'args', 'url', 'headers']},
  docs: 'https://kiro.dev/docs/mcp/configuration',
};
