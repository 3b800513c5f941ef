/**
 * Claude Code: project `.mcp.json` (`mcpServers`), user `~/.claude.json` with servers both at
 * the top level and per project under `projects[<path>].mcpServers`. Expands `${VAR}` and
 * `${VAR:-default}` from its own environment in command, args, env, url and headers.
 */
import path from 'node:path';
import type {ConfigDocument} from '../config/types.js';
import type {ServerEntry} from '../model.js';
import {getIn, isRecord, readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition} from './types.js';

export const claudeCode: ClientDefinition = {
  id: 'claude-code',
  name: 'Claude Code',
  format: 'json',
  projectFiles: ['.mcp.json'],
  homeFiles: ['.claude.json', '.claude/backups/.claude.json.backup.*'],
  userFiles: ({home}) => [path.join(home, '.claude.json')],
  serversPath: ['mcpServers'],
  readServers(doc: ConfigDocument): ServerEntry[] {
    const out = readServerMap('claude-code', doc, ['mcpServers']);
    const projects = getIn(doc.value, ['projects']);
    if (isRecord(projects)) {
      for (const key of Object.keys(projects)) out.push(...readServerMap('claude-code', doc, ['projects', key, 'mcpServers']));
    }
    return out;
  },
  validate(doc) {
    const rules = {types: ['stdio', 'http', 'sse']};
    const problems = validateServerMap(doc, ['mcpServers'], false, rules);
    const projects = getIn(doc.value, ['projects']);
    if (isRecord(projects)) for (const key of Object.keys(projects)) problems.push(...validateServerMap(doc, ['projects', key, 'mcpServers'], false, rules));
    return problems;
  },
  toNative: (spec) => toStandardNative(spec, {typeValues: {stdio: 'stdio', http: 'http', sse: 'sse'}}),
  interpolation: {syntaxes: ['${VAR}', '${VAR:-default}'], fields: ['command', 'args', 'env', 'url', 'headers']},
  docs: 'https://docs.claude.com/en/docs/claude-code/mcp',
};
