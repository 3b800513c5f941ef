/** JetBrains Junie: project `.junie/mcp/mcp.json` and user `~/.junie/mcp/mcp.json`, `mcpServers`; expands nothing. */
import path from 'node:path';
import {readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const junie: ClientDefinition = {
  id: 'junie',
  name: 'JetBrains Junie',
  format: 'json',
  projectFiles: ['.junie/mcp/mcp.json'],
  homeFiles: ['.junie/mcp/mcp.json'],
  userFiles: ({home}) => [path.join(home, '.junie', 'mcp', 'mcp.json')],
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('junie', doc, ['mcpServers'], {urlKeys: ['url']}),
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['url']}),
  toNative: (spec) => toStandardNative(spec, {remoteType: false}),
  interpolation: {syntaxes: [], fields: []},
  docs: 'https://www.jetbrains.com/help/junie/model-context-protocol-mcp.html',
};
