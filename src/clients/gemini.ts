/**
 * Gemini CLI: project `.gemini/settings.json` and user `~/.gemini/settings.json` (JSON with
 * comments allowed), `mcpServers`. A remote entry's key says its transport: `httpUrl` is
 * Streamable HTTP, `url` is SSE (unless an explicit `type` says otherwise). Expands `$VAR` and
 * `${VAR}` in string values.
 */
import path from 'node:path';
import type {ServerEntry} from '../model.js';
import {readServerMap, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const gemini: ClientDefinition = {
  id: 'gemini',
  name: 'Gemini CLI',
  format: 'jsonc',
  projectFiles: ['.gemini/settings.json'],
  homeFiles: ['.gemini/settings.json'],
  userFiles: ({home}) => [path.join(home, '.gemini', 'settings.json')],
  serversPath: ['mcpServers'],
  readServers(doc): ServerEntry[] {
    return readServerMap('gemini', doc, ['mcpServers'], {urlKeys: ['httpUrl', 'url']}).map((e) => {
      // `url` without a type is SSE in Gemini CLI, whatever the path looks like.
      if (e.fields.url?.at(-1) === 'url' && e.raw.type === undefined) e.transport = 'sse';
      return e;
    });
  },
  validate: (doc) => validateServerMap(doc, ['mcpServers'], false, {urlKeys: ['httpUrl', 'url'], types: ['stdio', 'sse', 'http']}),
  toNative(spec) {
    if (spec.transport === 'stdio') {
      const out: Record<string, unknown> = {command: spec.command};
      if (spec.args?.length) out.args = spec.args;
      if (spec.env && Object.keys(spec.env).length > 0) out.env = spec.env;
      if (spec.cwd) out.cwd = spec.cwd;
      return out;
    }
    const out: Record<string, unknown> = {[spec.transport === 'http' ? 'httpUrl' : 'url']: spec.url};
    if (spec.headers && Object.keys(spec.headers).length > 0) out.headers = spec.headers;
    return out;
  },
  interpolation: {syntaxes: ['$VAR', '${VAR}'], fields: ['command', 'args', 'env', 'cwd', 'url', 'headers']},
  docs: 'https://github.com/google-gemini/gemini-cli/blob/main/docs/tools/mcp-server.md',
};
