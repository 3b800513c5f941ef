/**
 * Pruning of serve's catalog cache, through the built CLI (`mcpx servers`, which writes catalogs
 * as serve does) and the fixture server: old catalogs of removed servers and of other client
 * capability sets go, the current config's own catalogs stay however old, young files stay, and
 * nothing that is not one of mcpx's own cache files is ever touched.
 */
import {randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {FIXTURE, ensureBuilt, tempHome, writeConfig} from './helpers.js';

const node = process.execPath;
const DAY = 86_400_000;
let home: string;
let dir: string;
let env: Record<string, string>;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const fixture = (name: string) => ({command: node, args: [FIXTURE, '--name', name]});

/** Create `name` in the cache dir (or use the existing file) and date it `days` back. */
function aged(name: string, days: number, content = '{}'): string {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) fs.writeFileSync(file, content, {mode: 0o600});
  const when = new Date(Date.now() - days * DAY);
  fs.utimesSync(file, when, when);
  return name;
}

/** The catalog file each server's listing was cached in, by the name the server reported. */
function catalogsByServer(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).filter((f) => /^catalog-[0-9a-f]{32}\.json$/.test(f))) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {catalog: {serverInfo: {name: string}}};
    out[data.catalog.serverInfo.name] = f;
  }
  return out;
}

beforeAll(() => {
  ensureBuilt();
  home = tempHome();
  dir = path.join(home, 'mcpx', 'cache', 'serve');
  env = {HOME: home, MCPX_HOME: path.join(home, 'mcpx'), MCPX_CONFIG: ''};
});

afterAll(() => {
  if (home) fs.rmSync(home, {recursive: true, force: true});
});

it('after writing a catalog, deletes old unused catalogs and stale records, and nothing else', async () => {
  // First config: three servers, each listed and cached.
  const first = writeConfig(home, {live: fixture('live'), off: fixture('off'), gone: fixture('gone')});
  const r1 = await runCli(['servers', '-c', first], {env, timeoutMs: 30_000});
  expect(r1.code, r1.stderr).toBe(0);
  const cached = catalogsByServer();
  expect(Object.keys(cached).sort()).toEqual(['gone', 'live', 'off']);
  const hashOf = (server: string) => /^catalog-([0-9a-f]{32})\.json$/.exec(cached[server]!)![1]!;

  // Everything below is 40 days old unless said otherwise.
  const deleted = [
    aged(cached.gone!, 40), // a server removed from the config
    aged(`catalog-${hashOf('off')}-${hex(6)}.json`, 40), // a current server, but another client's capability set
    aged(`catalog-${hex(16)}.json`, 31), // another (or an older) config's server
    aged(`failed-${hex(16)}.json`, 2), // a failure record long expired
    aged(`.catalog-${hashOf('live')}.json.${hex(6)}.tmp`, 2), // a temp file a killed write left
  ];
  const kept = [
    aged(cached.off!, 40), // the current config's own (disabled, so not rewritten now)
    aged(cached.live!, 40), // rewritten by this run anyway
    aged(`catalog-${hex(16)}.json`, 29), // young enough
    aged(`catalog-${hashOf('gone')}-${hex(6)}.json`, 3),
    aged(`failed-${hex(16)}.json`, 0),
    // Not mcpx's catalog naming: never touched, however old.
    aged('http-token', 40, 'not a catalog'),
    aged('notes.json', 40),
    aged('catalog-NOT-HEX.json', 40),
    aged(`catalog-${hex(16)}.json.bak`, 40),
    aged(`catalog-${hex(16)}-${hex(6)}-extra.json`, 40),
  ];
  // A directory and a symlink with catalog names are not regular files: left alone, and so is the link's target.
  const subdir = `catalog-${hex(16)}.json`;
  fs.mkdirSync(path.join(dir, subdir));
  const target = path.join(home, 'elsewhere.json');
  fs.writeFileSync(target, 'keep me');
  const link = `catalog-${hex(16)}.json`;
  fs.symlinkSync(target, path.join(dir, link));
  const old = new Date(Date.now() - 40 * DAY);
  fs.utimesSync(path.join(dir, subdir), old, old);
  fs.lutimesSync(path.join(dir, link), old, old);
  fs.utimesSync(target, old, old);

  // Second config: `gone` removed, `off` disabled (its config, and so its hash, unchanged).
  const second = writeConfig(home, {live: fixture('live'), off: {...fixture('off'), enabled: false}});
  const r2 = await runCli(['servers', '-c', second], {env, timeoutMs: 30_000});
  expect(r2.code, r2.stderr).toBe(0);
  expect(r2.stdout).toMatch(/^live\s+stdio\s+✓ connected/m);

  const left = fs.readdirSync(dir);
  for (const name of deleted) expect(left, `${name} should be pruned`).not.toContain(name);
  for (const name of [...kept, subdir, link]) expect(left, `${name} should be kept`).toContain(name);
  expect(fs.readFileSync(target, 'utf8')).toBe('keep me');
  // The live server's catalog was rewritten just now; the disabled one's keeps its age.
  expect(Date.now() - fs.statSync(path.join(dir, cached.live!)).mtimeMs).toBeLessThan(DAY);
  expect(Date.now() - fs.statSync(path.join(dir, cached.off!)).mtimeMs).toBeGreaterThan(39 * DAY);
}, 60_000);
