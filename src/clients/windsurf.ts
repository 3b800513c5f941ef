/**
 * Windsurf (Cascade): one user file `~/.codeium/windsurf/mcp_config.json`, `mcpServers`, with
 * remote servers under `serverUrl` (`url` also accepted). Expands `${env:VAR}` and `${file:path}`.
 */
import path from 'node:path';
import {readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

const SHAPE = {urlKeys: ['serverUrl', 'url'], disabledKey: 'disabled'};

export const windsurf: ClientDefinition = {
  id: 'windsurf',
  name: 'Windsurf',
  format: 'json',
  projectFiles: [],
  homeFiles: ['.codeium/windsurf/mcp_config.json'],
  userFiles: ({home}) => [path.join(home, '.codeium', 'windsurf', 'mcp_config.json')],
  matches: (file) => /(^|[/\\])\.codeium[/\\]windsurf[/\\]mcp_config\.json$/.test(file),
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('windsurf', doc, ['mcpServers'], SHAPE),
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['serverUrl', 'url']}),
  toNative: (spec) => toStandardNative(spec, {remoteType: false, urlKey: 'serverUrl'}),
  interpolation: {syntaxes: ['${env:VAR}', '${file:path}'], fields: ['command', 'args', 'env', 'url', 'headers']},
  docs: 'https://docs.windsurf.com/windsurf/cascade/mcp',
};
