/** LM Studio: `~/.lmstudio/mcp.json`, `mcpServers` in the Cursor notation (`url` + `headers` for remotes); expands nothing. */
import path from 'node:path';
import {readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const lmstudio: ClientDefinition = {
  id: 'lmstudio',
  name: 'LM Studio',
  format: 'json',
  projectFiles: [],
  homeFiles: ['.lmstudio/mcp.json'],
  userFiles: ({home}) => [path.join(home, '.lmstudio', 'mcp.json')],
  matches: (file) => /(^|\/)\.lmstudio\/mcp\.json$/.test(file.split(path.sep).join('/')),
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('lmstudio', doc, ['mcpServers'], {urlKeys: ['url']}),
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['url']}),
  toNative: (spec) => toStandardNative(spec, {remoteType: false}),
  interpolation: {syntaxes: [], fields: []},
  docs: 'https://lmstudio.ai/docs/app/mcp',
};
