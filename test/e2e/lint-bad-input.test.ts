/**
 * `mcpx lint` on hostile and broken input, through the real CLI: every case gives a clear
 * message with the path (and line:column where there is one), the rest of the run continues,
 * the exit code is right, and no file is changed.
 */
import {spawnSync} from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {BIN, runCli} from '../helpers/cli.js';

let dir: string;
const good = JSON.stringify({mcpServers: {ok: {command: 'node', args: ['server.js']}}}, null, 2);

function write(rel: string, content: string | Buffer, mode = 0o600): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
  return file;
}

/** Hash of every file's bytes and mode under dir, to prove nothing was written. */
function snapshot(root: string): string {
  const h = crypto.createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      const st = fs.lstatSync(p);
      h.update(`${p}:${st.mode}:`);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(fs.readFileSync(p));
      else if (e.isSymbolicLink()) h.update(fs.readlinkSync(p));
    }
  };
  walk(root);
  return h.digest('hex');
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-bad-'));
  fs.chmodSync(dir, 0o755);
  write('good/.mcp.json', good, 0o644);
  write('json/.mcp.json', '{\n  "mcpServers": {\n    "a": {"command": "x",}\n  }\n}');
  write('jsonc/.cursor/mcp.json', '{\n  "mcpServers": {\n    "a": {"command": "x"\n  }\n}');
  write('toml/.codex/config.toml', '[mcp_servers.a]\ncommand = "x"\nargs = ["a",\n');
  write('yaml/.continue/mcpServers/x.yaml', 'mcpServers:\n  - name: a\n   command: x\n');
  write('empty/.mcp.json', '');
  write('dupes/.mcp.json', '{"mcpServers": {"a": {"command": "x"}, "a": {"command": "y"}}}');
  write('array/.mcp.json', '{"mcpServers": [{"command": "x"}]}');
  write('binary/.mcp.json', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff]));
  fs.mkdirSync(path.join(dir, 'isdir/.mcp.json'), {recursive: true});
  fs.mkdirSync(path.join(dir, 'loop'), {recursive: true});
  fs.symlinkSync('../loop', path.join(dir, 'loop/self'));
  fs.symlinkSync('b', path.join(dir, 'loop/a.json'));
  fs.symlinkSync('a.json', path.join(dir, 'loop/b'));
  write('node_modules/pkg/.mcp.json', '{"mcpServers": {"x": {"url": "http://evil.example"}}}');
  write('noread/.mcp.json', good, 0o600);
  write('huge.json', Buffer.alloc(6 * 1024 * 1024, 0x20));
});

afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

describe('mcpx lint on bad input', () => {
  it('reports each malformed format with file:line:column and still lints the other files', async () => {
    const before = snapshot(dir);
    const r = await runCli(['lint', 'good', 'json', 'jsonc', 'toml', 'yaml', '--format', 'json'], {cwd: dir});
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const parse = report.findings.filter((f: {ruleId: string}) => f.ruleId === 'parse-error');
    expect(parse.map((f: {file: string; line: number; column: number}) => `${f.file}:${f.line}:${f.column}`)).toEqual([
      'json/.mcp.json:3:26',
      'jsonc/.cursor/mcp.json:5:2',
      'toml/.codex/config.toml:4:1',
      'yaml/.continue/mcpServers/x.yaml:3:1',
    ]);
    expect(report.files).toContain('good/.mcp.json');
    expect(snapshot(dir)).toBe(before);
  });

  it('says so for an empty file, duplicate keys and a mcpServers array', async () => {
    const r = await runCli(['lint', 'empty', 'dupes', 'array'], {cwd: dir});
    expect(r.stdout).toContain('empty/.mcp.json');
    expect(r.stdout).toMatch(/1:1\s+error\s+the file is empty/);
    expect(r.stdout).toContain('duplicate key "a" (the last one wins)');
    expect(r.stdout).toMatch(/"mcpServers" must be an object mapping server names/);
    expect(r.code).toBe(1);
  });

  it('gives a clear error for a directory, a binary file, a huge file and a symlink loop, and exits 2', async () => {
    const r = await runCli(['lint', 'isdir/.mcp.json', 'binary/.mcp.json', 'huge.json', 'loop/a.json', 'good'], {cwd: dir});
    expect(r.code).toBe(2);
    const out = r.stdout + r.stderr;
    expect(out).toContain('binary/.mcp.json: a binary file, not a config');
    expect(out).toMatch(/huge\.json: too large for an MCP config/);
    expect(out).toMatch(/loop\/a\.json: too many levels of symbolic links/);
    expect(out).toContain('✖ 4 inputs could not be linted; no problems in the 1 config file read');
    expect(out).not.toContain('✔'); // never a green check while an input failed
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('searches folders without following symlink loops or entering node_modules', async () => {
    const r = await runCli(['lint', 'loop', 'node_modules/..', '--format', 'json'], {cwd: dir, timeoutMs: 15_000});
    const report = JSON.parse(r.stdout);
    expect(report.files.some((f: string) => f.includes('node_modules'))).toBe(false);
    expect(report.files.some((f: string) => f.startsWith('loop/self'))).toBe(false);
  });

  it('reports an unreadable file (EACCES) and goes on', async () => {
    if (process.getuid?.() !== 0) {
      fs.chmodSync(path.join(dir, 'noread/.mcp.json'), 0o000);
      const r = await runCli(['lint', 'noread', 'good'], {cwd: dir});
      fs.chmodSync(path.join(dir, 'noread/.mcp.json'), 0o600);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).toContain('permission denied');
      return;
    }
    // As root every file is readable: run the CLI as `nobody`, who cannot read a 0600 file of root's.
    const r = await runCli(['lint', path.join(dir, 'noread/.mcp.json'), path.join(dir, 'good/.mcp.json')], {asUser: 'nobody', cwd: '/'});
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain('noread/.mcp.json: permission denied');
    expect(r.stdout).toContain('1 config file');
  });

  it('rejects a missing path and unknown flags with exit 2 and a suggestion', async () => {
    const missing = await runCli(['lint', 'nope'], {cwd: dir});
    expect(missing.code).toBe(2);
    expect(missing.stdout + missing.stderr).toContain('nope: no such file or directory');
    const flag = await runCli(['lint', '--formt', 'json'], {cwd: dir});
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown flag --formt. Did you mean '--format'?");
    const value = await runCli(['lint', '--format', 'sarf'], {cwd: dir});
    expect(value.code).toBe(2);
    expect(value.stderr).toContain("Did you mean 'sarif'?");
    const client = await runCli(['lint', 'good', '--client', 'cursr'], {cwd: dir});
    expect(client.code).toBe(2);
    expect(client.stderr).toContain("Did you mean 'cursor'?");
  });

  it('exits 0 on a clean project', async () => {
    const r = await runCli(['lint', 'good'], {cwd: dir});
    expect(r.stdout).toContain('no problems in 1 config file');
    expect(r.code).toBe(0);
  });
});

describe('start-up', () => {
  it('does not load oclif, the MCP SDK, inquirer or the keyring for lint', () => {
    // A resolve hook logs every module the run loads (ESM loads are not visible in require.cache).
    const hook = path.join(dir, 'trace-hook.mjs');
    fs.writeFileSync(hook, "export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write('LOAD ' + r.url + '\\n'); return r; }");
    const register = path.join(dir, 'trace-register.mjs');
    fs.writeFileSync(register, `import {register} from 'node:module'; import {pathToFileURL} from 'node:url'; register(pathToFileURL(${JSON.stringify(hook)}));`);
    const run = spawnSync(process.execPath, ['--import', register, BIN, 'lint', path.join(dir, 'good/.mcp.json')], {encoding: 'utf8'});
    const loaded = run.stderr.split('\n').filter((l) => l.startsWith('LOAD ')).join('\n');
    expect(loaded).toContain('dist/cli/lint-main.js');
    for (const heavy of ['@oclif', '@modelcontextprotocol', '@inquirer', '@napi-rs', 'node_modules/ajv']) expect(loaded).not.toContain(heavy);
    expect(run.status).toBe(0);
  });
});
