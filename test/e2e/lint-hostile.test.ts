/**
 * `mcpx lint` on hostile input through the real CLI: nesting bombs, YAML alias bombs and
 * self-referencing aliases, a 50k-wildcard ignore glob, FIFOs, /dev/zero, /proc files and a
 * folder as --output. Each probe must end within a few seconds and bounded memory with a clear
 * message — a parse-error finding (exit 1) for a config file, exit 2 for a file given by flag —
 * never the "bug in mcpx" exit 3 nor a hang. Prints a tried/held matrix.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

let dir: string;
const good = JSON.stringify({mcpServers: {ok: {command: 'node', args: ['server.js']}}});
const held: Record<string, boolean> = {};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpx-hostile-'));
  const w = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), {recursive: true});
    fs.writeFileSync(path.join(dir, rel), text, {mode: 0o600});
  };
  w('good.json', good);
  w('deep.json', `{"mcpServers":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
  w('deep.yaml', `mcpServers: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
  const nine = (x: string) => `[${Array(9).fill(x).join(',')}]`;
  w('bomb.yaml', ['a: &a ' + nine('"x"'), 'b: &b ' + nine('*a'), 'c: &c ' + nine('*b'), 'd: &d ' + nine('*c'), 'e: &e ' + nine('*d'), 'f: ' + nine('*e'), ''].join('\n'));
  w('self.yaml', 'mcpServers: &a\n  x: *a\n');
  w('glob/.mcpxrc.json', JSON.stringify({ignore: ['*'.repeat(50_000)]}));
  w('glob/.mcp.json', good);
  w('globf/.mcpxrc.json', JSON.stringify({ignoreFindings: [{file: 'a*'.repeat(100)}]}));
  w('globf/.mcp.json', good);
  execFileSync('mkfifo', [path.join(dir, 'fifo')]);
});

afterAll(() => {
  const rows = Object.entries(held);
  console.log(`lint hostile-input probes: ${rows.filter(([, h]) => h).length}/${rows.length} held\n` + rows.map(([p, h]) => `  ${h ? 'held  ' : 'FAILED'} ${p}`).join('\n'));
  fs.rmSync(dir, {recursive: true, force: true});
});

/** Run one probe: it must finish in time, never exit 3, and say `expected` on stdout+stderr. */
async function probe(name: string, args: string[], code: number, expected: RegExp): Promise<void> {
  held[name] = false;
  const started = Date.now();
  const r = await runCli(args, {cwd: dir, timeoutMs: 15_000});
  const out = r.stdout + r.stderr;
  expect(out, name).not.toMatch(/bug in mcpx/i);
  expect(out, name).toMatch(expected);
  expect(r.code, `${name}: ${out}`).toBe(code);
  expect(Date.now() - started).toBeLessThan(15_000);
  held[name] = true;
}

describe('mcpx lint on hostile input', () => {
  it('JSON nested 10,000 levels is a parse error with its position', () =>
    probe('json nested 10k', ['lint', 'deep.json'], 1, /deep\.json[\s\S]*1:\d+\s+error\s+nested too deeply \(the limit is 64 levels\)/));
  it('YAML nested 10,000 levels is a parse error', () => probe('yaml nested 10k', ['lint', 'deep.yaml'], 1, /nested too deeply/));
  it('a YAML alias bomb is refused, not expanded', () => probe('yaml alias bomb', ['lint', 'bomb.yaml'], 1, /aliases expand too far/));
  it('a YAML alias that refers to its own parent is a parse error at the alias', () =>
    probe('yaml self alias', ['lint', 'self.yaml'], 1, /2:6\s+error\s+the alias \*a refers to a node that contains it/));
  it('a 50,000-wildcard ignore pattern is refused by the config check', () =>
    probe('ignore 50k *', ['lint', 'glob', '-c', 'glob/.mcpxrc.json'], 2, /ignore\[0\]: the pattern is 50000 characters long; the limit is 1024/));
  it('an ignoreFindings file glob with 100 wildcards is refused', () =>
    probe('ignoreFindings 100 *', ['lint', 'globf', '-c', 'globf/.mcpxrc.json'], 2, /ignoreFindings\[0\]\.file: the pattern has 100 wildcards/));
  it('--baseline naming a FIFO fails at once instead of blocking', () =>
    probe('--baseline fifo', ['lint', 'good.json', '--baseline', 'fifo'], 2, /The baseline .*fifo is not a regular file/));
  it('--baseline /dev/zero is refused before reading', () =>
    probe('--baseline /dev/zero', ['lint', 'good.json', '--baseline', '/dev/zero'], 2, /The baseline \/dev\/zero is not a regular file/));
  it('-c /dev/zero is refused before reading', () => probe('-c /dev/zero', ['lint', 'good.json', '-c', '/dev/zero'], 2, /\/dev\/zero: not a regular file/));
  it('-c naming a FIFO fails at once', () => probe('-c fifo', ['lint', 'good.json', '-c', 'fifo'], 2, /fifo: not a regular file/));
  it('lint /proc/self/pagemap reads a bounded amount and fails', () =>
    probe('lint /proc/self/pagemap', ['lint', '/proc/self/pagemap'], 2, /\/proc\/self\/pagemap/));
  it('lint of a FIFO fails at once', () => probe('lint fifo', ['lint', 'fifo'], 2, /fifo: not a regular file/));
  it('-o naming a folder is a usage error and writes nothing', () =>
    probe('-o /tmp', ['lint', 'good.json', '-o', os.tmpdir()], 2, /--output .* is a directory/));
});
