/**
 * An upstream that echoes its token (resolved from ${VAR}) in its instructions, a tool
 * description and a schema: the SDK's real Client over stdio to `mcpx serve` never sees the
 * whole token in a meta-tool answer, and no file under the MCPX_HOME cache holds it.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ROOT, call, ensureBuilt, startProxy, tempHome, writeConfig} from './helpers.js';

const ECHO_TOKEN = path.join(ROOT, 'test/fixtures/servers/echo-token.mjs');
// Token-shaped, built at run time.
const token = 'ghp_' + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36);
let home: string;

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
});
afterAll(() => fs.rmSync(home, {recursive: true, force: true}));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, {withFileTypes: true, recursive: true}).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('resolved secrets echoed by an upstream', () => {
  it('are masked in search_tools, describe_tool, list_servers and the catalog cache', async () => {
    const cfg = writeConfig(home, {leak: {command: process.execPath, args: [ECHO_TOKEN], env: {T: '${MCPX_LEAK_TOKEN}'}}});
    const answers: string[] = [];
    for (const round of ['cold', 'warm']) {
      const p = await startProxy(cfg, home, {MCPX_LEAK_TOKEN: token});
      try {
        answers.push(p.client.getInstructions() ?? '');
        const search = await call(p.client, 'search_tools', {query: 'token api'});
        expect(JSON.stringify(search.structuredContent), round).toContain('leak__leaky');
        answers.push(JSON.stringify(search));
        const describeTool = await call(p.client, 'describe_tool', {name: 'leak__leaky'});
        expect(describeTool.isError, round).toBeFalsy();
        answers.push(JSON.stringify(describeTool));
        answers.push(JSON.stringify(await call(p.client, 'list_servers', {})));
        answers.push(JSON.stringify(await p.client.listTools()));
      } finally {
        await p.close();
      }
    }
    // The masked form is there (the test sees the echoed text), the whole token nowhere.
    expect(answers.join('\n')).toContain('Calls the API with token ghp…');
    for (const a of answers) expect(a).not.toContain(token);
    const files = filesUnder(path.join(home, 'mcpx', 'cache'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(token);
  }, 60_000);
});
