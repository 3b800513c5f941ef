/** Claude Desktop: `claude_desktop_config.json`, strict JSON, `mcpServers`; expands nothing. */
import path from 'node:path';
import {readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const claudeDesktop: ClientDefinition = {
  id: 'claude-desktop',
  name: 'Claude Desktop',
  format: 'json',
  projectFiles: ['claude_desktop_config.json'],
  homeFiles: ['Library/Application Support/Claude/claude_desktop_config.json', 'AppData/Roaming/Claude/claude_desktop_config.json', '.config/Claude/claude_desktop_config.json'],
  userFiles: ({home, platform, env}) => {
    if (platform === 'darwin') return [path.join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')];
    if (platform === 'win32') return [path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json')];
    return [path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Claude', 'claude_desktop_config.json')];
  },
  serversPath: ['mcpServers'],
  readServers: (doc) => readServerMap('claude-desktop', doc, ['mcpServers']),
  validate: (doc) => validateServerMap(doc, ['mcpServers']),
  toNative: (spec) => toStandardNative(spec, {remoteType: false}),
  interpolation: {syntaxes: [], fields: []},
  docs: 'https://modelcontextprotocol.io/quickstart/user',
};
