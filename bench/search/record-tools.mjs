#!/usr/bin/env node
// Records the real `tools/list` of public MCP servers from npm into bench/fixtures/tools/<server>.json,
// the corpus the search benchmark ranks over. Run by hand (needs the npm registry), never in CI:
//   node bench/search/record-tools.mjs [--unseen | --unseen2 | --unseen3 | --unseen4 | --unseen5] [server ...]
// The servers, their pinned versions and dummy credentials are in bench/lib/real-servers.mjs; each
// is installed once into its reusable cache (install scripts off, no browser downloads), started
// over stdio with the SDK's real Client, listed, and shut down.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {REAL_SERVERS, UNSEEN2_SERVERS, UNSEEN3_SERVERS, UNSEEN4_SERVERS, UNSEEN5_SERVERS, UNSEEN_SERVERS, installServer, launchSpec, listAllTools} from '../lib/real-servers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// --unseen: the servers the ranker was never developed against, into bench/fixtures/tools-unseen;
// --unseen2 to --unseen5: a second, third, fourth and fifth such batch, into
// bench/fixtures/tools-unseen2 to -unseen5.
const batch = ['unseen5', 'unseen4', 'unseen3', 'unseen2', 'unseen'].find((b) => process.argv.includes(`--${b}`)) ?? 'known';
const {servers, dir} = {
  known: {servers: REAL_SERVERS, dir: 'bench/fixtures/tools'},
  unseen: {servers: UNSEEN_SERVERS, dir: 'bench/fixtures/tools-unseen'},
  unseen2: {servers: UNSEEN2_SERVERS, dir: 'bench/fixtures/tools-unseen2'},
  unseen3: {servers: UNSEEN3_SERVERS, dir: 'bench/fixtures/tools-unseen3'},
  unseen4: {servers: UNSEEN4_SERVERS, dir: 'bench/fixtures/tools-unseen4'},
  unseen5: {servers: UNSEEN5_SERVERS, dir: 'bench/fixtures/tools-unseen5'},
}[batch];
const outDir = path.join(root, dir);

async function record(server) {
  const prefix = await installServer(server);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `mcpx-rec-${server.name}-`));
  try {
    const transport = new StdioClientTransport({...launchSpec(server, prefix, work), stderr: 'ignore'});
    const client = new Client({name: 'mcpx-bench-recorder', version: '0.1.0'});
    let tools;
    try {
      await client.connect(transport, {timeout: 60_000});
      ({tools} = await listAllTools(client));
    } finally {
      // Closing the client ends the server process, also when listing failed.
      await client.close();
    }
    const fixture = {
      server: server.name,
      package: server.pkg,
      version: server.version,
      tools: tools.map((t) => ({name: t.name, ...(t.title ? {title: t.title} : {}), description: t.description ?? '', inputSchema: t.inputSchema})),
    };
    fs.mkdirSync(outDir, {recursive: true});
    // A server that names its scratch folder in a description (figma) would make every recording
    // differ: the folder is written as {work}.
    const text = JSON.stringify(fixture, null, 2).replaceAll(work, '{work}');
    fs.writeFileSync(path.join(outDir, `${server.name}.json`), text + '\n');
    return tools.length;
  } finally {
    fs.rmSync(work, {recursive: true, force: true});
  }
}

const only = new Set(process.argv.slice(2).filter((a) => !a.startsWith('--')));
for (const server of servers) {
  if (only.size > 0 && !only.has(server.name)) continue;
  try {
    const n = await record(server);
    console.log(`ok   ${server.name} ${server.pkg}@${server.version}: ${n} tools`);
  } catch (error) {
    console.log(`FAIL ${server.name} ${server.pkg}@${server.version}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
