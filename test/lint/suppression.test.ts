/**
 * Suppression: the project config (.mcpxrc.json: rule severities, ignore globs,
 * ignoreFindings, validation with suggestions, upward search stopping at the git root),
 * baselines (round trip, survives re-indenting, a changed secret un-suppresses, hashes only),
 * and inline mcpx-ignore comments in YAML and TOML.
 */
import fs from 'node:fs';
import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {lintPaths} from '../../src/lint/engine.js';
import {globMatcher} from '../../src/lint/glob.js';
import {runLint} from '../../src/lint/run.js';
import type {Rule} from '../../src/lint/types.js';
import {RULES_WITH_SECRET, mcpx, randomToken, requireBuild, sink, tmpDir, write} from './helpers.js';

beforeAll(requireBuild);

const INSECURE = (host = 'example.com') => JSON.stringify({mcpServers: {remote: {url: `http://${host}/mcp`}}}, null, 2);

async function lint(dir: string, flags: Parameters<typeof runLint>[1] = {}, cwd = dir) {
  const stdout = sink();
  const stderr = sink();
  const code = await runLint([], {format: 'json', ...flags}, {cwd, env: {HOME: dir}, stdout, stderr, ruleSet: RULES_WITH_SECRET});
  return {code, report: JSON.parse(stdout.text || '{}'), stderr: stderr.text, stdout: stdout.text};
}

describe('project config', () => {
  it('turns rules off, changes severities, ignores globs and accepts single findings', async () => {
    const dir = tmpDir('rc');
    fs.mkdirSync(path.join(dir, '.git'));
    write(dir, 'a/.mcp.json', INSECURE());
    write(dir, 'fixtures/x/.mcp.json', INSECURE());
    write(dir, 'b/.mcp.json', JSON.stringify({mcpServers: {fs: {command: 'npx', args: ['pkg']}, other: {url: 'http://example.org/x'}}}));
    expect((await lint(dir)).report.summary).toMatchObject({errors: 3, warnings: 1});

    write(dir, '.mcpxrc.json', JSON.stringify({$schema: 'https://example.invalid/schema.json', rules: {'unpinned-package': 'error'}, ignore: ['fixtures/']}));
    const r1 = await lint(dir);
    expect(r1.report.files).toEqual(['a/.mcp.json', 'b/.mcp.json']);
    expect(r1.report.summary).toMatchObject({errors: 3, warnings: 0});

    write(dir, '.mcpxrc.json', JSON.stringify({rules: {'insecure-url': 'off'}}));
    expect((await lint(dir)).report.summary).toMatchObject({errors: 0, warnings: 1});

    write(dir, '.mcpxrc.json', JSON.stringify({ignoreFindings: [{rule: 'insecure-url', file: 'b/*.json', pointer: '/mcpServers/other', reason: 'internal test host'}, {file: '**/x/.mcp.json'}]}));
    const r2 = await lint(dir);
    expect(r2.report.summary).toMatchObject({errors: 1, warnings: 1, suppressed: 2});
    expect(r2.report.findings.filter((f: {suppressed?: string}) => f.suppressed === 'config')).toHaveLength(2);

    // Found from a subfolder too (upward search).
    const sub = await lint(dir, {}, path.join(dir, 'b'));
    expect(sub.report.summary).toMatchObject({suppressed: 1});
  });

  it('stops at the git root: a config above the repository is not used', async () => {
    const outer = tmpDir('rc');
    write(outer, '.mcpxrc.json', JSON.stringify({rules: {'insecure-url': 'off'}}));
    const repo = path.join(outer, 'repo');
    fs.mkdirSync(path.join(repo, '.git'), {recursive: true});
    write(repo, '.mcp.json', INSECURE());
    expect((await lint(repo)).code).toBe(1);
    // ...unless named with --config.
    expect((await lint(repo, {config: path.join(outer, '.mcpxrc.json')})).code).toBe(0);
  });

  it('rejects unknown rules and keys with a suggestion, and malformed JSON, with exit 2', () => {
    const dir = tmpDir('rc');
    fs.mkdirSync(path.join(dir, '.git'));
    write(dir, '.mcp.json', INSECURE());
    write(dir, '.mcpxrc.json', JSON.stringify({rules: {'insecure-urls': 'off'}}));
    let r = mcpx(['lint'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown rule "insecure-urls"');
    expect(r.stderr).toContain("Did you mean 'insecure-url'");
    write(dir, '.mcpxrc.json', JSON.stringify({rule: {}}));
    r = mcpx(['lint'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean 'rules'");
    write(dir, '.mcpxrc.json', JSON.stringify({rules: {'insecure-url': 'warn'}}));
    r = mcpx(['lint'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Did you mean 'warning'");
    write(dir, '.mcpxrc.json', '{"rules": {}, // comments are not strict JSON\n}');
    r = mcpx(['lint'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.mcpxrc\.json:1:\d+/);
    write(dir, '.mcpxrc.json', JSON.stringify({ignoreFindings: [{}]}));
    expect(mcpx(['lint'], dir).code).toBe(2);
    expect(mcpx(['lint', '--config', 'missing.json'], dir).code).toBe(2);
  });

  it('glob matcher: names at any depth, anchored paths, ** and braces', () => {
    const m = globMatcher(['fixtures', 'docs/**/*.json', '*.{yaml,yml}', '/top.json']);
    expect(m('fixtures/a/.mcp.json')).toBe(true);
    expect(m('x/fixtures/.mcp.json')).toBe(true);
    expect(m('docs/a/b/mcp.json')).toBe(true);
    expect(m('docs/mcp.json')).toBe(true);
    expect(m('x/docs/mcp.json')).toBe(false);
    expect(m('a/b/c.yml')).toBe(true);
    expect(m('top.json')).toBe(true);
    expect(m('a/top.json')).toBe(false);
    expect(m('src/.mcp.json')).toBe(false);
  });
});

describe('baseline', () => {
  it('round trip: update, rerun clean, re-indent stays suppressed, a changed secret is reported again', async () => {
    const dir = tmpDir('bl');
    fs.mkdirSync(path.join(dir, '.git'));
    const secret = randomToken(['gh', 'p_'], 36);
    const config = (value: string, indent: number) => JSON.stringify({mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: value}}, remote: {url: 'http://example.com/x'}}}, null, indent);
    write(dir, '.mcp.json', config(secret, 2));
    const first = await lint(dir);
    expect(first.code).toBe(1);
    expect(first.report.summary.errors).toBe(2);

    const up = await lint(dir, {'update-baseline': true});
    expect(up.code).toBe(0);
    expect(up.stderr).toContain('wrote 2 findings to the baseline .mcpx-baseline.json');
    const baselineText = fs.readFileSync(path.join(dir, '.mcpx-baseline.json'), 'utf8');
    expect(baselineText).not.toContain(secret);
    expect(baselineText).not.toContain(secret.slice(4, 20));
    const baseline = JSON.parse(baselineText);
    expect(baseline.findings.map((e: {rule: string; pointer: string}) => `${e.rule} ${e.pointer}`)).toEqual(['hardcoded-secret /mcpServers/gh/env/GITHUB_TOKEN', 'insecure-url /mcpServers/remote/url']);

    const again = await lint(dir);
    expect(again.code).toBe(0);
    expect(again.report.summary).toMatchObject({errors: 0, suppressed: 2});

    write(dir, '.mcp.json', config(secret, 8));
    expect((await lint(dir)).code).toBe(0);

    const rotated = randomToken(['gh', 'p_'], 36);
    write(dir, '.mcp.json', config(rotated, 8));
    const changed = await lint(dir);
    expect(changed.code).toBe(1);
    expect(changed.report.findings.filter((f: {suppressed?: string}) => !f.suppressed).map((f: {ruleId: string}) => f.ruleId)).toEqual(['hardcoded-secret']);
  });

  it('through the CLI: --baseline FILE, a partial update keeps other files, a missing baseline is exit 2', () => {
    const dir = tmpDir('bl');
    fs.mkdirSync(path.join(dir, '.git'));
    write(dir, 'a/.mcp.json', INSECURE('a.example'));
    write(dir, 'b/.mcp.json', INSECURE('b.example'));
    expect(mcpx(['lint', '--baseline', 'ci/baseline.json'], dir).code).toBe(2);
    expect(mcpx(['lint', '--baseline', 'ci/baseline.json', '--update-baseline'], dir).code).toBe(0);
    expect(mcpx(['lint', '--baseline', 'ci/baseline.json'], dir).code).toBe(0);
    // The default baseline is not this one, so a plain run still fails.
    expect(mcpx(['lint'], dir).code).toBe(1);
    // Updating from one file keeps the other file's entries.
    expect(mcpx(['lint', 'a/.mcp.json', '--baseline', 'ci/baseline.json', '--update-baseline'], dir).code).toBe(0);
    const entries = JSON.parse(fs.readFileSync(path.join(dir, 'ci/baseline.json'), 'utf8')).findings.map((e: {file: string}) => e.file);
    expect(entries).toEqual(['../a/.mcp.json', '../b/.mcp.json']);
    write(dir, 'ci/baseline.json', '{"version": 99}');
    expect(mcpx(['lint', '--baseline', 'ci/baseline.json'], dir).code).toBe(2);
  });
});

describe('inline comments in YAML and TOML', () => {
  // A rule that flags every key named `danger`, wherever it is: format-independent.
  const dangerRule: Rule = {
    meta: {id: 'danger-key', description: 'test rule', defaultSeverity: 'error', category: 'correctness'},
    check(ctx) {
      const visit = (v: unknown, p: Array<string | number>) => {
        if (typeof v !== 'object' || v === null) return;
        for (const [k, child] of Object.entries(v)) {
          const here = [...p, Array.isArray(v) ? Number(k) : k];
          if (k === 'danger') ctx.report({message: 'danger', range: ctx.doc!.rangeOf(here), path: here});
          visit(child, here);
        }
      };
      if (ctx.doc) visit(ctx.doc.value, []);
    },
  };
  const count = async (dir: string, name: string, text: string) => {
    write(dir, name, text);
    const r = await lintPaths({paths: [name], cwd: dir, ruleSet: [dangerRule]});
    return {visible: r.findings.filter((f) => !f.suppressed).length, suppressed: r.findings.filter((f) => f.suppressed === 'inline').length};
  };

  it('YAML: same line, next line, file, and rule lists', async () => {
    const dir = tmpDir('yaml');
    const y = 'servers:\n  a:\n    danger: 1\n  b:\n    danger: 2\n';
    expect(await count(dir, 'c.yaml', y)).toEqual({visible: 2, suppressed: 0});
    expect(await count(dir, 'c.yaml', 'servers:\n  a:\n    danger: 1 # mcpx-ignore\n  b:\n    danger: 2\n')).toEqual({visible: 1, suppressed: 1});
    expect(await count(dir, 'c.yaml', 'servers:\n  a:\n    # mcpx-ignore-next-line danger-key\n    danger: 1\n  b:\n    danger: 2\n')).toEqual({visible: 1, suppressed: 1});
    expect(await count(dir, 'c.yaml', '# mcpx-ignore-file danger-key\n' + y)).toEqual({visible: 0, suppressed: 2});
    expect(await count(dir, 'c.yaml', '# mcpx-ignore-file other-rule\n' + y)).toEqual({visible: 2, suppressed: 0});
  });

  it('TOML: same line, next line, file, and rule lists', async () => {
    const dir = tmpDir('toml');
    const t = '[servers.a]\ndanger = 1\n\n[servers.b]\ndanger = 2\n';
    expect(await count(dir, 'c.toml', t)).toEqual({visible: 2, suppressed: 0});
    expect(await count(dir, 'c.toml', '[servers.a]\ndanger = 1 # mcpx-ignore danger-key\n\n[servers.b]\ndanger = 2\n')).toEqual({visible: 1, suppressed: 1});
    expect(await count(dir, 'c.toml', '[servers.a]\n# mcpx-ignore-next-line\ndanger = 1\n\n[servers.b]\ndanger = 2\n')).toEqual({visible: 1, suppressed: 1});
    expect(await count(dir, 'c.toml', '# mcpx-ignore-file\n' + t)).toEqual({visible: 0, suppressed: 2});
    expect(await count(dir, 'c.toml', '[servers.a]\n# mcpx-ignore-next-line other-rule\ndanger = 1\n')).toEqual({visible: 1, suppressed: 0});
  });
});
