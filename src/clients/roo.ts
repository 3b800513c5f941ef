/**
 * Roo Code: project `.roo/mcp.json` and the global `mcp_settings.json` in the VS Code extension's
 * globalStorage (`rooveterinaryinc.roo-cline/settings/`). `mcpServers`; remote entries say
 * `type: "streamable-http" | "sse"`. Expands `${env:VAR}` in `env` values.
 */
import path from 'node:path';
import {globalStorageFiles, readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const roo: ClientDefinition = {
  id: 'roo',
  name: 'Roo Code',
  format: 'json',
  projectFiles: ['.roo/mcp.json'],
  homeFiles: ['mcp_settings.json'],
  userFiles: (ctx) => globalStorageFiles(ctx, 'rooveterinaryinc.roo-cline', 'mcp_settings.json'),
  matches: (file) => /(^|\/)(\.roo\/mcp\.json|rooveterinaryinc\.roo-cline\/settings\/mcp_settings\.json)$/.test(file.split(path.sep).join('/')),
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('roo', doc, ['mcpServers'], {disabledKey: 'disabled'}),
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {types: ['stdio', 'sse', 'streamable-http']}),
  toNative: (spec) => toStandardNative(spec, {remoteType: true, typeValues: {http: 'streamable-http', sse: 'sse'}}),
  // Roo 3.14 introduced `${env:VAR}` for values under `env` only.
  interpolation: {syntaxes: ['${env:VAR}'], fields: ['env']},
  docs: 'https://docs.roocode.com/features/mcp/using-mcp-in-roo',
};
