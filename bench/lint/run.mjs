#!/usr/bin/env node
// Benchmark for `mcpx lint`: generates a realistic tree (many project folders with MCP configs,
// source files, node_modules and .git decoys that must be skipped), then times, in one run,
//   1. `mcpx lint <tree>` against `secretlint` (recommended preset) on the same config files,
//   2. `mcpx lint <one file>` against bare `node -e 0` (start-up cost).
// Uses hyperfine (-N, no shell) when installed, else repeated spawns timed here.
// Run `npm run build` first. Usage: node bench/lint/run.mjs [--projects N] [--runs N] [--keep]
import {spawnSync} from 'node:child_process';
import {randomInt} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROJECTS = arg('projects', 300);
const RUNS = arg('runs', 10);
const KEEP = process.argv.includes('--keep');
const TARGET_TREE_RATIO = 0.5;
const TARGET_ONE_FILE_S = 0.15;

const mcpxBin = path.join(root, 'bin', 'run.js');
const secretlintBin = path.join(root, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
if (!fs.existsSync(path.join(root, 'dist', 'cli', 'lint-main.js'))) throw new Error('Run `npm run build` first.');
if (!fs.existsSync(secretlintBin)) throw new Error('secretlint is not installed (npm install).');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n) => Array.from({length: n}, () => ALNUM[randomInt(ALNUM.length)]).join('');
// Token-shaped values are assembled at run time; nothing key-like is stored in this file.
const fakeGithubToken = () => ['gh', 'p_'].join('') + rand(36);

function write(file, text, mode = 0o600) {
  fs.mkdirSync(path.dirname(file), {recursive: true});
  fs.writeFileSync(file, text, {mode});
}

function serverSet(i, withSecret) {
  const servers = {
    filesystem: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '.']},
    docs: {type: 'http', url: 'https://mcp.example.com/docs'},
  };
  if (i % 3 === 0) servers.memory = {command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory']};
  if (i % 4 === 0) servers.local = {command: 'node', args: ['tools/server.js'], env: {LOG_LEVEL: 'debug', API_BASE: 'https://api.example.com'}};
  servers.github = {command: 'docker', args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'], env: {GITHUB_PERSONAL_ACCESS_TOKEN: withSecret ? fakeGithubToken() : '${GITHUB_TOKEN}'}};
  return servers;
}

/** The tree: PROJECTS folders, each a small repo with one or two client configs and decoys. */
function generate(dir) {
  let configs = 0;
  for (let i = 0; i < PROJECTS; i++) {
    const p = path.join(dir, 'work', `team-${i % 12}`, `project-${String(i).padStart(3, '0')}`);
    const withSecret = i % 10 === 0;
    write(path.join(p, '.mcp.json'), JSON.stringify({mcpServers: serverSet(i, withSecret)}, null, 2) + '\n');
    configs++;
    if (i % 2 === 0) {
      write(path.join(p, '.cursor', 'mcp.json'), `{\n  // Cursor project servers\n  "mcpServers": ${JSON.stringify(serverSet(i + 1, false), null, 2).replace(/\n/g, '\n  ')}\n}\n`);
      configs++;
    }
    write(path.join(p, 'package.json'), JSON.stringify({name: `project-${i}`, version: '1.0.0', dependencies: {express: '^4.19.0'}}, null, 2));
    write(path.join(p, 'README.md'), `# project ${i}\n\nSome text.\n`);
    for (let s = 0; s < 5; s++) write(path.join(p, 'src', `module-${s}.ts`), `export const value${s} = ${s};\n`.repeat(20));
    // Other JSON/YAML/TOML files, which content discovery opens and rejects (no MCP shape).
    write(path.join(p, 'config', 'app.json'), JSON.stringify({name: `app-${i}`, port: 3000 + i, features: {search: true, export: false}, servers: ['a.example.com', 'b.example.com']}, null, 2));
    write(path.join(p, 'config', 'settings.yaml'), `service: project-${i}\nreplicas: 2\nlabels:\n  team: team-${i % 12}\n`);
    write(path.join(p, 'data', 'fixtures.json'), JSON.stringify(Array.from({length: 200}, (_, k) => ({id: k, name: `item-${k}`, tags: ['x', 'y']}))));
    write(path.join(p, '.prettierrc.json'), JSON.stringify({semi: true, singleQuote: true}));
    // Decoys that a linter must skip: dependency folders and git internals, with configs inside.
    for (let d = 0; d < 4; d++) {
      const nm = path.join(p, 'node_modules', `dep-${d}`);
      write(path.join(nm, 'package.json'), JSON.stringify({name: `dep-${d}`, version: '0.0.1'}));
      write(path.join(nm, 'index.js'), 'module.exports = {};\n'.repeat(30));
      write(path.join(nm, '.mcp.json'), JSON.stringify({mcpServers: serverSet(d, true)}, null, 2));
    }
    write(path.join(p, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    write(path.join(p, '.git', 'config'), '[core]\n\trepositoryformatversion = 0\n');
  }
  write(path.join(dir, '.secretlintrc.json'), JSON.stringify({rules: [{id: '@secretlint/secretlint-rule-preset-recommend'}]}, null, 2));
  return configs;
}

function hasHyperfine() {
  return spawnSync('hyperfine', ['--version']).status === 0;
}

/** Mean wall time in ms of each command (argv arrays), run in `cwd`. */
function time(commands, cwd) {
  if (hasHyperfine()) {
    const out = path.join(cwd, 'hyperfine.json');
    const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
    const r = spawnSync('hyperfine', ['-N', '-i', '--warmup', '2', '--runs', String(RUNS), '--export-json', out, ...commands.map((c) => c.map(quote).join(' '))], {cwd, encoding: 'utf8'});
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(fs.readFileSync(out, 'utf8')).results.map((x) => ({mean: x.mean * 1000, min: x.min * 1000, user: x.user * 1000}));
  }
  return commands.map((c) => {
    const samples = [];
    spawnSync(c[0], c.slice(1), {cwd, stdio: 'ignore'});
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      spawnSync(c[0], c.slice(1), {cwd, stdio: 'ignore'});
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return {mean: samples.reduce((a, b) => a + b, 0) / samples.length, min: Math.min(...samples), user: NaN};
  });
}

function countFindings(cmd, cwd) {
  const r = spawnSync(cmd[0], cmd.slice(1), {cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
  return r;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-bench-lint-'));
try {
  const configs = generate(dir);
  const node = process.execPath;
  const configGlobs = ['**/.mcp.json', '**/.cursor/mcp.json'];
  const mcpxTree = [node, mcpxBin, 'lint', '.'];
  const secretlintTree = [node, secretlintBin, '--secretlintrc', '.secretlintrc.json', ...configGlobs];
  const oneFile = path.join('work', 'team-1', 'project-001', '.mcp.json');
  const mcpxOne = [node, mcpxBin, 'lint', oneFile];
  const bare = [node, '-e', '0'];

  // Sanity: both tools see the same planted secrets; mcpx skips the decoys.
  const m = countFindings([node, mcpxBin, 'lint', '.', '--format', 'json'], dir);
  const report = JSON.parse(m.stdout);
  // The compact format prints one line per finding (`file: line N, col M, Error - ...`), never the whole file.
  const s = countFindings([...secretlintTree, '--format', 'compact', '--no-color'], dir);
  const secretlintFindings = s.stdout.split('\n').filter((l) => /: line \d+, col \d+/.test(l)).length;

  console.log(`tree: ${PROJECTS} projects, ${configs} MCP configs (+ ${PROJECTS * 4} node_modules decoy configs, ${PROJECTS * 3} other JSON/YAML files, source files, .git folders)`);
  console.log(`mcpx lint: ${report.files.length} files linted, ${report.summary.errors} errors, ${report.summary.warnings} warnings (exit ${m.status})`);
  console.log(`secretlint: ${secretlintFindings} findings (exit ${s.status})`);
  if (report.files.some((f) => f.includes('node_modules'))) throw new Error('mcpx linted a node_modules decoy');
  if (report.files.length !== configs) throw new Error(`mcpx linted ${report.files.length} files, expected ${configs}`);

  const [tMcpx, tSecretlint, tOne, tBare] = time([mcpxTree, secretlintTree, mcpxOne, bare], dir);
  const ms = (x) => `${x.toFixed(0)} ms`;
  const ratio = tMcpx.mean / tSecretlint.mean;
  console.log('');
  console.log(`tree      mcpx lint   ${ms(tMcpx.mean).padStart(8)}  (min ${ms(tMcpx.min)})`);
  console.log(`tree      secretlint  ${ms(tSecretlint.mean).padStart(8)}  (min ${ms(tSecretlint.min)})`);
  console.log(`          ratio mcpx/secretlint = ${ratio.toFixed(2)}  (target ≤ ${TARGET_TREE_RATIO}) ${ratio <= TARGET_TREE_RATIO ? 'OK' : 'MISSED'}`);
  console.log(`one file  mcpx lint   ${ms(tOne.mean).padStart(8)}  (min ${ms(tOne.min)})  (target ≤ ${TARGET_ONE_FILE_S * 1000} ms) ${tOne.mean <= TARGET_ONE_FILE_S * 1000 ? 'OK' : 'MISSED'}`);
  console.log(`          node -e 0   ${ms(tBare.mean).padStart(8)}  (min ${ms(tBare.min)})`);
  console.log(`          mcpx over bare node: +${ms(tOne.mean - tBare.mean)} (${(tOne.mean / tBare.mean).toFixed(2)}×)`);
  if (!Number.isNaN(tOne.user)) console.log(`          CPU (user): mcpx ${ms(tOne.user)}, node -e 0 ${ms(tBare.user)}; tree: mcpx ${ms(tMcpx.user)}, secretlint ${ms(tSecretlint.user)}`);
  console.log(`load average: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (numbers are only comparable on an idle machine)`);
} finally {
  if (KEEP) console.log(`tree kept at ${dir}`);
  else fs.rmSync(dir, {recursive: true, force: true});
}
