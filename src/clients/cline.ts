/**
 * Cline: `cline_mcp_settings.json` in the VS Code extension's globalStorage
 * (`saoudrizwan.claude-dev/settings/`, in every VS Code-family editor) and the Cline CLI's
 * `~/.cline/data/settings/`. `mcpServers`; remote entries say `type: "streamableHttp" | "sse"`
 * (older files: `transportType`). Expands nothing.
 */
import path from 'node:path';
import {globalStorageFiles, readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

const FILE = 'cline_mcp_settings.json';

export const cline: ClientDefinition = {
  id: 'cline',
  name: 'Cline',
  format: 'json',
  projectFiles: [],
  homeFiles: ['cline_mcp_settings.json'],
  userFiles: (ctx) => [...globalStorageFiles(ctx, 'saoudrizwan.claude-dev', FILE), path.join(ctx.home, '.cline', 'data', 'settings', FILE)],
  matches: (file) => path.basename(file) === FILE,
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('cline', doc, ['mcpServers'], {typeKeys: ['transportType'], disabledKey: 'disabled'}),
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {types: ['stdio', 'sse', 'streamableHttp']}),
  toNative: (spec) => toStandardNative(spec, {remoteType: true, typeValues: {http: 'streamableHttp', sse: 'sse'}}),
  interpolation: {syntaxes: [], fields: []},
  docs: 'https://docs.cline.bot/mcp/configuring-mcp-servers',
};
