/**
 * `mcpx tools search|describe` remember servers that failed, through the built CLI: a server that
 * failed a moment ago is not started again (the output says so and how to retry), `--refresh`
 * and `mcpx servers` retry it, an expired record or a success ends the skipping, and the record
 * holds no secret. Every start of the broken server is counted by the server itself.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {type CliResult, runCli} from '../helpers/cli.js';
import {FIXTURE, ensureBuilt, tempHome, writeConfig} from './helpers.js';

const node = process.execPath;
const secret = 'fm' + randomBytes(18).toString('base64url');
let home: string;
let cfg: string;
let countFile: string;
let okFile: string;
let cacheDir: string;
let env: Record<string, string>;
const outputs: string[] = [];

/** Fails (printing the resolved secret on stderr) until OK_FILE exists, then runs the fixture server. */
const FLAKY = `const fs = require('fs');
if (fs.existsSync(process.env.OK_FILE)) import(process.env.FIXTURE_PATH);
else { console.error('bad token ' + process.env.T); process.exit(3); }`;

const starts = () => (fs.existsSync(countFile) ? fs.readFileSync(countFile, 'utf8').length : 0);
const records = () => fs.readdirSync(cacheDir).filter((f) => f.startsWith('failed-'));

async function run(...args: string[]): Promise<CliResult> {
  const r = await runCli([...args, '-c', cfg], {env, timeoutMs: 60_000});
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
  countFile = path.join(home, 'starts');
  okFile = path.join(home, 'ok');
  cacheDir = path.join(home, 'mcpx', 'cache', 'serve');
  cfg = writeConfig(home, {
    good: {command: node, args: [FIXTURE, '--name', 'good']},
    // The shell counts the start as soon as mcpx spawns it, before node is up: on a loaded machine a
    // node slow to start may be stopped by mcpx (it waits for a listing at most 10 s), and a count
    // written by node itself would then miss a start that did happen.
    flaky: {command: '/bin/sh', args: ['-c', 'printf x >> "$COUNT_FILE"; exec "$0" -e "$1"', node, FLAKY], env: {COUNT_FILE: countFile, OK_FILE: okFile, FIXTURE_PATH: FIXTURE, T: '${MCPX_FM_SECRET}'}},
  });
  env = {HOME: home, MCPX_HOME: path.join(home, 'mcpx'), MCPX_CONFIG: '', MCPX_FM_SECRET: secret};
});

afterAll(() => {
  if (home) fs.rmSync(home, {recursive: true, force: true});
});

it('a server that failed a moment ago is skipped until --refresh, mcpx servers, expiry or success', async () => {
  // First run: flaky is started, fails, and the failure is remembered (masked, 0600).
  const first = await run('tools', 'search', 'echo the given text');
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain("Unavailable: flaky (server 'flaky' exited during start (exit code 3)");
  expect(first.stdout).not.toContain('Skipped');
  expect(starts()).toBe(1);
  expect(records()).toHaveLength(1);
  const recordFile = path.join(cacheDir, records()[0]!);
  expect(fs.statSync(recordFile).mode & 0o777).toBe(0o600);
  const record = fs.readFileSync(recordFile, 'utf8');
  expect(record).not.toContain(secret);
  expect(record).toContain(`bad token …${secret.slice(-4)}`);

  // Second run: flaky is not started; the output says why and how to retry.
  const second = await run('tools', 'search', 'echo the given text');
  expect(second.code, second.stderr).toBe(0);
  expect(starts()).toBe(1);
  expect(second.stdout).toMatch(/^- good__echo\(text: string\)/m);
  expect(second.stdout).toMatch(/Unavailable: flaky \(server 'flaky' exited during start \(exit code 3\)/);
  expect(second.stdout).toContain('Skipped flaky: failed within the last 5 minutes. Run `mcpx servers flaky` to check, or add --refresh to retry now.');
  const json = await run('tools', 'search', 'echo the given text', '--json');
  const skipped = (JSON.parse(json.stdout) as {result: {skipped: Array<{name: string; failedAgo: number; error: string}>}}).result.skipped;
  expect(skipped).toEqual([{name: 'flaky', failedAgo: expect.any(Number), error: expect.stringContaining("server 'flaky' exited during start")}]);
  const describe = await run('tools', 'describe', 'flaky__echo');
  expect(describe.code).toBe(2);
  expect(describe.stderr).toContain("Tool 'flaky__echo' cannot be run: server 'flaky' exited during start");
  expect(describe.stderr).toMatch(/Hint: Server 'flaky' failed \d+s ago and is not started again for a few minutes: run `mcpx servers flaky` to check it, or add --refresh to retry now\./);
  expect(starts()).toBe(1);

  // --refresh retries, and so does `mcpx servers` (always).
  const refreshed = await run('tools', 'search', 'echo the given text', '--refresh');
  expect(refreshed.code, refreshed.stderr).toBe(0);
  expect(refreshed.stdout).toContain('Unavailable: flaky');
  expect(starts()).toBe(2);
  const check = await run('servers', 'flaky');
  expect(check.code).toBe(1);
  expect(starts()).toBe(3);

  // A record older than five minutes no longer counts: the next search starts flaky again.
  const data = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as {failure: {failedAt: number}};
  data.failure.failedAt = Date.now() - 6 * 60_000;
  fs.writeFileSync(recordFile, JSON.stringify(data));
  const expired = await run('tools', 'search', 'echo the given text');
  expect(expired.code, expired.stderr).toBe(0);
  expect(expired.stdout).not.toContain('Skipped');
  expect(expired.stdout).toContain('Unavailable: flaky');
  expect(starts()).toBe(4);

  // Fixed now, but still skipped by search until `mcpx servers` sees it work and forgets the failure.
  fs.writeFileSync(okFile, '');
  const stillSkipped = await run('tools', 'search', 'echo the given text');
  expect(stillSkipped.code, stillSkipped.stderr).toBe(0);
  expect(stillSkipped.stdout).toContain('Skipped flaky');
  expect(starts()).toBe(4);
  const fixed = await run('servers', 'flaky');
  expect(fixed.code, fixed.stdout).toBe(0);
  expect(starts()).toBe(5);
  expect(records()).toEqual([]);
  const after = await run('tools', 'search', 'echo the given text');
  expect(after.stdout).toMatch(/^- (good|flaky)__echo\(text: string\)/m);
  expect(after.stdout).toContain('flaky__echo');
  expect(after.stdout).not.toMatch(/Skipped|Unavailable/);

  for (const o of outputs) expect(o).not.toContain(secret);
}, 180_000);
