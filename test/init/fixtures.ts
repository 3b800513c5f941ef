/**
 * Test-only presets and servers for the init tests: a user preset for the echo fixture (stdio,
 * one secret env var), one for the bearer-token HTTP fixture, and a fake `npx` that runs the
 * echo fixture for exactly the preset's package spec, so the real presets' npx form is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import {ROOT} from '../helpers/cli.js';
import type {Sandbox} from './helpers.js';

const ECHO = path.join(ROOT, 'test/fixtures/move/echo-server.mjs');

/** A user preset for a local stdio fixture: `npx -y mcpx-echo-fixture@1.0.0` with one secret env var. */
export function echoPreset(): object {
  return {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: 'dev.mcpx.test/echo-fixture',
    title: 'Echo fixture',
    description: 'Test-only: reports the environment it was started with.',
    version: '1.0.0',
    packages: [
      {
        registryType: 'npm',
        identifier: 'mcpx-echo-fixture',
        version: '1.0.0',
        transport: {type: 'stdio'},
        environmentVariables: [{name: 'ECHO_FIXTURE_TOKEN', description: 'The fixture token.', isRequired: true, isSecret: true, format: 'string'}],
      },
    ],
    _meta: {'dev.mcpx/preset': {id: 'echo-fixture', title: 'Echo fixture', tags: ['test'], auth: 'token', component: 'stdio-local', needsAccount: true, docs: 'https://example.com/echo'}},
  };
}

export function remotePreset(port: number): object {
  return {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: 'dev.mcpx.test/echo-remote',
    title: 'Remote fixture',
    description: 'Test-only: a Streamable HTTP server that wants a bearer token.',
    version: '1.0.0',
    remotes: [
      {
        type: 'streamable-http',
        url: `http://127.0.0.1:${port}/mcp`,
        headers: [{name: 'Authorization', value: 'Bearer {ECHO_REMOTE_TOKEN}', isRequired: true, isSecret: true, variables: {ECHO_REMOTE_TOKEN: {description: 'The remote token.', isRequired: true, isSecret: true}}}],
      },
    ],
    _meta: {'dev.mcpx/preset': {id: 'echo-remote', title: 'Remote fixture', tags: ['test'], auth: 'token', component: 'http-apikey', needsAccount: true, docs: 'https://example.com/remote'}},
  };
}

/** Install the test presets and a fake `npx` that runs the echo fixture for exactly our package spec. */
export function installFixtures(b: Sandbox, port?: number): string {
  const dir = path.join(b.home, '.config/mcpx/presets');
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'echo-fixture.json'), JSON.stringify(echoPreset(), null, 2));
  if (port) fs.writeFileSync(path.join(dir, 'echo-remote.json'), JSON.stringify(remotePreset(port), null, 2));
  const bin = path.join(b.home, 'bin');
  fs.mkdirSync(bin, {recursive: true});
  const npx = path.join(bin, 'npx');
  fs.writeFileSync(npx, `#!/bin/sh\nif [ "$1" != "-y" ] || [ "$2" != "mcpx-echo-fixture@1.0.0" ]; then echo "fake npx: unexpected $*" >&2; exit 64; fi\nshift 2\nexec "${process.execPath}" "${ECHO}" "$@"\n`);
  fs.chmodSync(npx, 0o755);
  return bin;
}

