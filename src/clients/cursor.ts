/** Cursor: project `.cursor/mcp.json`, user `~/.cursor/mcp.json`; `mcpServers`; `${env:VAR}` interpolation. */
import path from 'node:path';
import {readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const cursor: ClientDefinition = {
  id: 'cursor',
  name: 'Cursor',
  format: 'jsonc',
  projectFiles: ['.cursor/mcp.json'],
  homeFiles: ['.cursor/mcp.json'],
  userFiles: ({home}) => [path.join(home, '.cursor', 'mcp.json')],
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('cursor', doc, ['mcpServers']),
  validate: (doc) => validateServerMap(doc, ['mcpServers']),
  toNative: (spec) => toStandardNative(spec, {remoteType: false}),
  interpolation: {syntaxes: ['${env:VAR}', '${userHome}', '${workspaceFolder}'], fields: ['command', 'args', 'env', 'url', 'headers']},
  docs: 'https://docs.cursor.com/context/model-context-protocol',
};
