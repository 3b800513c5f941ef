/**
 * VS Code (GitHub Copilot agent mode): workspace `.vscode/mcp.json` and the user `mcp.json` in
 * the VS Code user folder, JSONC with `servers` and `inputs`. Versions before 1.102 kept the
 * same map in the user `settings.json` under `mcp.servers`; both are read. Expands `${env:VAR}`,
 * `${input:id}` (prompted, stored by VS Code) and its predefined variables.
 */
import path from 'node:path';
import type {ConfigDocument, JsonPath} from '../config/types.js';
import type {ServerEntry} from '../model.js';
import {type Problem, describe, editorUserDir, getIn, isRecord, readServerMap, toStandardNative, validateServerMap} from './shared.js';
import type {ClientDefinition, PathContext} from './types.js';

/** Where the servers map may sit: `mcp.json`, then the older settings.json forms. */
const MAP_PATHS: JsonPath[] = [['servers'], ['mcp', 'servers'], ['mcp.servers']];
const EDITIONS = ['Code', 'Code - Insiders', 'VSCodium'];
const INPUT_TYPES = ['promptString', 'pickString', 'command'];

function userFiles(ctx: PathContext): string[] {
  return EDITIONS.flatMap((app) => [path.join(editorUserDir(ctx, app), 'mcp.json'), path.join(editorUserDir(ctx, app), 'settings.json')]);
}

export const vscode: ClientDefinition = {
  id: 'vscode',
  name: 'VS Code',
  format: 'jsonc',
  projectFiles: ['.vscode/mcp.json'],
  homeFiles: ['.vscode/settings.json', '**/User/mcp.json', '**/User/settings.json', '**/User/profiles/*/mcp.json'],
  userFiles,
  matches(file, ctx) {
    const f = file.split(path.sep).join('/');
    if (/(^|\/)\.vscode\/mcp\.json$/.test(f)) return true;
    if (userFiles(ctx).some((u) => path.resolve(u) === file)) return true;
    // Profiles keep their own mcp.json: <User>/profiles/<id>/mcp.json.
    return /\/(Code|Code - Insiders|VSCodium)\/User\/profiles\/[^/]+\/mcp\.json$/.test(f);
  },
  serversPath: ['servers'],
  readServers(doc: ConfigDocument): ServerEntry[] {
    return MAP_PATHS.flatMap((p) => readServerMap('vscode', doc, p));
  },
  validate(doc) {
    const problems: Problem[] = [];
    for (const p of MAP_PATHS) problems.push(...validateServerMap(doc, p, false, {types: ['stdio', 'http', 'sse']}));
    for (const base of [[], ['mcp']] as JsonPath[]) {
      const inputs = getIn(doc.value, [...base, 'inputs']);
      if (inputs === undefined) continue;
      if (!Array.isArray(inputs)) {
        problems.push({message: `"inputs" must be an array of input definitions, not ${describe(inputs)}`, path: [...base, 'inputs']});
        continue;
      }
      inputs.forEach((input, i) => {
        const at = [...base, 'inputs', i];
        if (!isRecord(input)) problems.push({message: `input ${i} must be an object, not ${describe(input)}`, path: at});
        else if (typeof input.id !== 'string') problems.push({message: `input ${i} has no "id"`, path: at});
        else if (!INPUT_TYPES.includes(String(input.type))) problems.push({message: `input "${input.id}": unknown type ${JSON.stringify(input.type)} (expected ${INPUT_TYPES.join(', ')})`, path: [...at, 'type']});
      });
    }
    return problems;
  },
  // VS Code requires `type` on every entry, stdio included.
  toNative: (spec) => toStandardNative(spec, {remoteType: true, typeValues: {stdio: 'stdio'}}),
  interpolation: {
    syntaxes: ['${env:VAR}', '${input:id}', '${workspaceFolder}', '${userHome}'],
    fields: ['command', 'args', 'env', 'cwd', 'url', 'headers'],
  },
  docs: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
};
