/**
 * Continue: block files `.continue/mcpServers/*.yaml` and the user `~/.continue/config.yaml`,
 * whose `mcpServers` is a LIST of `{name, command, args, env, cwd}` or `{name, type, url}`
 * (headers under `requestOptions.headers`). JSON files copied from other clients into
 * `.continue/mcpServers/` keep their `{mcpServers: {name: entry}}` map, and are read too.
 * Expands `${{ secrets.NAME }}` and `${{ inputs.NAME }}`.
 */
import path from 'node:path';
import type {ConfigDocument} from '../config/types.js';
import type {ServerEntry} from '../model.js';
import {type Problem, describe, getIn, isRecord, readEntry, readServerMap, validateEntry, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

const TYPES = ['stdio', 'sse', 'streamable-http'];

function readContinue(doc: ConfigDocument): ServerEntry[] {
  const list = getIn(doc.value, ['mcpServers']);
  if (isRecord(list)) return readServerMap('continue', doc, ['mcpServers']);
  if (!Array.isArray(list)) return [];
  const out: ServerEntry[] = [];
  list.forEach((raw, i) => {
    if (!isRecord(raw)) return;
    const pointer = ['mcpServers', i];
    const name = typeof raw.name === 'string' ? raw.name : `mcpServers[${i}]`;
    const entry = readEntry('continue', doc, name, raw, pointer, {urlKeys: ['url']});
    const headers = getIn(raw, ['requestOptions', 'headers']);
    if (isRecord(headers) && !entry.headers) {
      entry.headers = Object.fromEntries(Object.entries(headers).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      entry.fields.headers = [...pointer, 'requestOptions', 'headers'];
    }
    out.push(entry);
  });
  return out;
}

export const continueDev: ClientDefinition = {
  id: 'continue',
  name: 'Continue',
  format: 'yaml',
  projectFiles: ['.continue/mcpServers/*.yaml', '.continue/mcpServers/*.yml', '.continue/mcpServers/*.json'],
  homeFiles: ['.continue/config.yaml'],
  userFiles: ({home}) => [path.join(home, '.continue', 'config.yaml')],
  serversPath: ['mcpServers'],
  serversShape: 'list',
  readServers: readContinue,
  validate(doc) {
    const list = getIn(doc.value, ['mcpServers']);
    if (list === undefined) return [];
    if (isRecord(list)) return validateServerMap(doc, ['mcpServers']);
    if (!Array.isArray(list)) return [{message: `"mcpServers" must be a list of servers, not ${describe(list)}`, path: ['mcpServers']}];
    const problems: Problem[] = [];
    list.forEach((raw, i) => {
      const at = ['mcpServers', i];
      if (!isRecord(raw)) {
        problems.push({message: `mcpServers[${i}] must be a mapping, not ${describe(raw)}`, path: at});
        return;
      }
      const name = typeof raw.name === 'string' ? raw.name : `mcpServers[${i}]`;
      if (typeof raw.name !== 'string') problems.push({message: `mcpServers[${i}] has no "name"`, path: at});
      problems.push(...validateEntry(name, raw, at, {urlKeys: ['url'], types: TYPES}));
    });
    return problems;
  },
  toNative(spec) {
    const out: Record<string, unknown> = {name: spec.name};
    if (spec.transport === 'stdio') {
      out.command = spec.command;
      if (spec.args?.length) out.args = spec.args;
      if (spec.env && Object.keys(spec.env).length > 0) out.env = spec.env;
      if (spec.cwd) out.cwd = spec.cwd;
      return out;
    }
    out.type = spec.transport === 'http' ? 'streamable-http' : 'sse';
    out.url = spec.url;
    if (spec.headers && Object.keys(spec.headers).length > 0) out.requestOptions = {headers: spec.headers};
    return out;
  },
  interpolation: {syntaxes: ['${{ secrets.NAME }}', '${{ inputs.NAME }}'], fields: ['command', 'args', 'env', 'cwd', 'url', 'headers']},
  docs: 'https://docs.continue.dev/customize/deep-dives/mcp',
};
