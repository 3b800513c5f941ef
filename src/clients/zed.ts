/**
 * Zed: user `settings.json` (JSONC) and project `.zed/settings.json`, servers under
 * `context_servers`. Reads the current flat shape (`{command, args, env}` / `{url, headers}`)
 * and the older nested one (`{command: {path, args, env}}`); extension-provided servers that only
 * carry `settings` have no command of their own and are skipped. Expands nothing itself.
 */
import path from 'node:path';
import type {ConfigDocument} from '../config/types.js';
import type {ServerEntry} from '../model.js';
import {type Problem, describe, getIn, isRecord, readEntry, xdgConfigHome} from './shared.js';
import type {ClientDefinition, PathContext} from './types.js';

const MAP = ['context_servers'];

function userFiles(ctx: PathContext): string[] {
  if (ctx.platform === 'win32') return [path.join(ctx.env.APPDATA || path.join(ctx.home, 'AppData', 'Roaming'), 'Zed', 'settings.json')];
  // Zed uses ~/.config/zed on macOS too; XDG_CONFIG_HOME is honoured on Linux only.
  const base = ctx.platform === 'linux' ? xdgConfigHome(ctx) : path.join(ctx.home, '.config');
  return [path.join(base, 'zed', 'settings.json')];
}

function readZed(doc: ConfigDocument): ServerEntry[] {
  const map = getIn(doc.value, MAP);
  if (!isRecord(map)) return [];
  const out: ServerEntry[] = [];
  for (const [name, raw] of Object.entries(map)) {
    if (!isRecord(raw)) continue;
    const pointer = [...MAP, name];
    if (isRecord(raw.command)) {
      // Older shape: the command object holds path, args and env.
      const nested = readEntry('zed', doc, name, {...raw.command, command: raw.command.path}, [...pointer, 'command']);
      const entry: ServerEntry = {...nested, pointer, raw, transport: 'stdio', enabled: raw.enabled !== false};
      if (entry.fields.command) entry.fields.command = [...pointer, 'command', 'path'];
      out.push(entry);
    } else if (typeof raw.command === 'string' || typeof raw.url === 'string') {
      const entry = readEntry('zed', doc, name, raw, pointer, {urlKeys: ['url'], enabledKey: 'enabled'});
      out.push(entry);
    }
  }
  return out;
}

export const zed: ClientDefinition = {
  id: 'zed',
  name: 'Zed',
  format: 'jsonc',
  projectFiles: ['.zed/settings.json'],
  homeFiles: ['.config/zed/settings.json', 'config/zed/settings.json', 'AppData/Roaming/Zed/settings.json'],
  userFiles,
  matches(file, ctx) {
    if (userFiles(ctx).some((u) => path.resolve(u) === file)) return true;
    return /(^|\/)\.?zed\/settings\.json$/i.test(file.split(path.sep).join('/'));
  },
  serversPath: MAP,
  readServers: readZed,
  validate(doc) {
    const map = getIn(doc.value, MAP);
    if (map === undefined) return [];
    if (!isRecord(map)) return [{message: `"context_servers" must be an object mapping server names to server entries, not ${describe(map)}`, path: MAP}];
    const problems: Problem[] = [];
    for (const [name, raw] of Object.entries(map)) {
      const at = [...MAP, name];
      if (!isRecord(raw)) {
        problems.push({message: `server "${name}" must be an object, not ${describe(raw)}`, path: at});
        continue;
      }
      if (isRecord(raw.command)) {
        if (typeof raw.command.path !== 'string') problems.push({message: `server "${name}": "command.path" must be a string`, path: [...at, 'command']});
        if (raw.command.args !== undefined && !Array.isArray(raw.command.args)) problems.push({message: `server "${name}": "command.args" must be an array`, path: [...at, 'command', 'args']});
        if (raw.command.env !== undefined && raw.command.env !== null && !isRecord(raw.command.env)) problems.push({message: `server "${name}": "command.env" must be an object`, path: [...at, 'command', 'env']});
      } else if (raw.command !== undefined && typeof raw.command !== 'string') {
        problems.push({message: `server "${name}": "command" must be a string or {path, args, env}, not ${describe(raw.command)}`, path: [...at, 'command']});
      } else if (raw.command === undefined && raw.url === undefined && raw.settings === undefined) {
        problems.push({message: `server "${name}" has neither "command" nor "url"`, path: at});
      }
      if (raw.args !== undefined && !Array.isArray(raw.args)) problems.push({message: `server "${name}": "args" must be an array`, path: [...at, 'args']});
      if (raw.env !== undefined && raw.env !== null && !isRecord(raw.env)) problems.push({message: `server "${name}": "env" must be an object`, path: [...at, 'env']});
      if (raw.url !== undefined && typeof raw.url !== 'string') problems.push({message: `server "${name}": "url" must be a string`, path: [...at, 'url']});
      if (raw.headers !== undefined && !isRecord(raw.headers)) problems.push({message: `server "${name}": "headers" must be an object`, path: [...at, 'headers']});
    }
    return problems;
  },
  toNative(spec) {
    if (spec.transport === 'stdio') {
      return {command: spec.command, args: spec.args ?? [], ...(spec.env && Object.keys(spec.env).length > 0 ? {env: spec.env} : {})};
    }
    return {url: spec.url, ...(spec.headers && Object.keys(spec.headers).length > 0 ? {headers: spec.headers} : {})};
  },
  interpolation: {syntaxes: [], fields: []},
  docs: 'https://zed.dev/docs/ai/mcp',
};
