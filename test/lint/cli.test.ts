/**
 * End-to-end `mcpx lint` through bin/run.js (the lean path): exit codes 0/1/2, the four
 * formats, --output, --quiet, --max-warnings, decoy folders skipped, inline mcpx-ignore in
 * JSONC, and that a run without --fix/--update-baseline/--output writes nothing at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import {beforeAll, describe, expect, it} from 'vitest';
import {HAS_REAL_SECRET_RULE, ROOT, mcpx, randomToken, requireBuild, snapshot, tmpDir, write} from './helpers.js';

const INSECURE = JSON.stringify({mcpServers: {remote: {url: 'http://example.com/mcp'}}}, null, 2);
const UNPINNED = JSON.stringify({mcpServers: {fs: {command: 'npx', args: ['-y', 'some-mcp-server']}}}, null, 2);
const CLEAN = JSON.stringify({mcpServers: {remote: {url: 'https://example.com/mcp'}, fs: {command: 'npx', args: ['-y', 'some-mcp-server@1.2.3']}}}, null, 2);

beforeAll(requireBuild);

describe('exit codes', () => {
  it('0 for a clean tree, 1 for an error finding, 2 for an unreadable path or bad usage', () => {
    const dir = tmpDir('cli');
    write(dir, '.mcp.json', CLEAN);
    const clean = mcpx(['lint'], dir);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('no problems in 1 config file');

    write(dir, 'app/.cursor/mcp.json', INSECURE);
    const bad = mcpx(['lint'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('insecure-url');
    expect(bad.stdout).toContain(path.join('app', '.cursor', 'mcp.json'));

    expect(mcpx(['lint', 'does-not-exist.json'], dir).code).toBe(2);
    const flag = mcpx(['lint', '--formt', 'json'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Did you mean '--format'");
    expect(mcpx(['lint', '--format', 'xml'], dir).code).toBe(2);
    expect(mcpx(['lint', '--max-warnings', 'many'], dir).code).toBe(2);
  });

  it('skips node_modules and other decoy folders when searching', () => {
    const dir = tmpDir('cli');
    write(dir, '.mcp.json', CLEAN);
    write(dir, 'node_modules/pkg/.mcp.json', INSECURE);
    write(dir, 'vendor/x/.cursor/mcp.json', INSECURE);
    const r = mcpx(['lint', '--format', 'json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual(['.mcp.json']);
  });
});

describe('formats and output', () => {
  it('json output matches the published schema', () => {
    const dir = tmpDir('cli');
    write(dir, '.mcp.json', INSECURE);
    write(dir, 'b/.mcp.json', UNPINNED);
    const r = mcpx(['lint', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const ajv = new Ajv.default({strict: true});
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas/lint-report.schema.json'), 'utf8')));
    const report = JSON.parse(r.stdout);
    expect(validate(report)).toBe(true);
    expect(report.summary).toMatchObject({files: 2, errors: 1, warnings: 1});
    expect(mcpx(['lint', '--json'], dir).stdout).toBe(r.stdout);
  });

  it('--output writes a valid SARIF file and prints nothing', () => {
    const dir = tmpDir('cli');
    write(dir, '.mcp.json', INSECURE);
    const r = mcpx(['lint', '--format', 'sarif', '--output', 'reports/mcpx.sarif'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'reports/mcpx.sarif'), 'utf8'));
    const ajv = new AjvDraft04.default({strict: false});
    addFormats.default(ajv);
    expect(ajv.validate(JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8')), sarif)).toBe(true);
    expect(sarif.runs[0].results[0].ruleId).toBe('insecure-url');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({uri: '.mcp.json', uriBaseId: '%SRCROOT%'});
  });

  it('github format prints workflow commands', () => {
    const dir = tmpDir('cli');
    write(dir, '.mcp.json', INSECURE);
    const r = mcpx(['lint', '-f', 'github'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=\.mcp\.json,line=4,col=14,endLine=4,endColumn=\d+,title=insecure-url::http/m);
  });

  it('--quiet drops warnings; --max-warnings fails on too many', () => {
    const dir = tmpDir('cli');
    write(dir, '.mcp.json', UNPINNED);
    const plain = mcpx(['lint'], dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('unpinned-package');
    const quiet = mcpx(['lint', '--quiet'], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain('unpinned-package');
    expect(mcpx(['lint', '--max-warnings', '0'], dir).code).toBe(1);
    expect(mcpx(['lint', '--max-warnings', '1'], dir).code).toBe(0);
    // --quiet hides warnings, so they no longer count against --max-warnings.
    expect(mcpx(['lint', '--quiet', '--max-warnings', '0'], dir).code).toBe(0);
  });
});

describe('secrets never printed', () => {
  it.runIf(HAS_REAL_SECRET_RULE)('no format, --fix or --update-baseline run prints or stores a planted key', () => {
    const dir = tmpDir('cli');
    fs.mkdirSync(path.join(dir, '.git'));
    const key = randomToken(['gh', 'p_'], 36);
    write(dir, '.cursor/mcp.json', JSON.stringify({mcpServers: {gh: {command: 'node', args: ['s.js'], env: {GITHUB_TOKEN: key}}}}, null, 2), 0o644);
    const outputs: string[] = [];
    for (const format of ['stylish', 'json', 'sarif', 'github']) {
      const r = mcpx(['lint', '--format', format], dir);
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain('hardcoded-secret');
      outputs.push(r.stdout, r.stderr);
    }
    const fix = mcpx(['lint', '--fix'], dir);
    outputs.push(fix.stdout, fix.stderr);
    expect(fix.stderr).toContain('mcpx secrets move');
    const up = mcpx(['lint', '--update-baseline', '--output', 'report.sarif', '--format', 'sarif'], dir);
    outputs.push(up.stdout, up.stderr, fs.readFileSync(path.join(dir, '.mcpx-baseline.json'), 'utf8'), fs.readFileSync(path.join(dir, 'report.sarif'), 'utf8'));
    for (const text of outputs) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(6, 30));
    }
  });
});

describe('inline suppression in JSONC', () => {
  it('mcpx-ignore, mcpx-ignore-next-line and mcpx-ignore-file with rule lists', () => {
    const dir = tmpDir('cli');
    const base = (comment: string, sameLine = '') => `{
  // a Cursor config: JSONC allows comments
  "mcpServers": {
    ${comment}
    "remote": {"url": "http://example.com/mcp"} ${sameLine}
  }
}
`;
    const lint = (text: string) => {
      write(dir, '.cursor/mcp.json', text);
      return JSON.parse(mcpx(['lint', '--json'], dir).stdout).summary as {errors: number; suppressed: number};
    };
    expect(lint(base(''))).toMatchObject({errors: 1, suppressed: 0});
    expect(lint(base('// mcpx-ignore-next-line insecure-url'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(base('// mcpx-ignore-next-line unpinned-package'))).toMatchObject({errors: 1, suppressed: 0});
    expect(lint(base('', '// mcpx-ignore'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(base('/* mcpx-ignore-file insecure-url, unpinned-package */'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(base('// an unrelated comment'))).toMatchObject({errors: 1, suppressed: 0});
  });
});

describe('inline suppression in YAML (Continue) and TOML (Codex)', () => {
  const lint = (dir: string, rel: string, text: string) => {
    write(dir, rel, text);
    const r = mcpx(['lint', '--json'], dir);
    return JSON.parse(r.stdout).summary as {errors: number; suppressed: number};
  };

  it('YAML', () => {
    const dir = tmpDir('cli');
    const rel = '.continue/mcpServers/remote.yaml';
    const yaml = (before: string, after = '') => `name: remote\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: remote\n    type: streamable-http\n${before}    url: http://example.com/mcp${after}\n`;
    expect(lint(dir, rel, yaml(''))).toMatchObject({errors: 1, suppressed: 0});
    expect(lint(dir, rel, yaml('', ' # mcpx-ignore insecure-url'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(dir, rel, yaml('    # mcpx-ignore-next-line\n'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(dir, rel, '# mcpx-ignore-file unpinned-package\n' + yaml(''))).toMatchObject({errors: 1, suppressed: 0});
  });

  it('TOML', () => {
    const dir = tmpDir('cli');
    const rel = '.codex/config.toml';
    const toml = (before: string, after = '') => `model = "o4-mini"\n\n[mcp_servers.remote]\n${before}url = "http://example.com/mcp"${after}\n`;
    expect(lint(dir, rel, toml(''))).toMatchObject({errors: 1, suppressed: 0});
    expect(lint(dir, rel, toml('', ' # mcpx-ignore'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(dir, rel, toml('# mcpx-ignore-next-line insecure-url\n'))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(dir, rel, '# mcpx-ignore-file insecure-url\n' + toml(''))).toMatchObject({errors: 0, suppressed: 1});
    expect(lint(dir, rel, toml('# mcpx-ignore-next-line unpinned-package\n'))).toMatchObject({errors: 1, suppressed: 0});
  });
});

describe('read-only unless asked', () => {
  it('a lint run without --fix, --update-baseline or --output leaves every byte and mode unchanged', () => {
    const dir = tmpDir('cli');
    fs.mkdirSync(path.join(dir, '.git'));
    write(dir, '.mcp.json', INSECURE, 0o666);
    write(dir, 'a/.cursor/mcp.json', '{\n  // c\n  "mcpServers": {"x": {"command": "npx", "args": ["pkg"]}},\n}\n', 0o644);
    write(dir, 'b/claude_desktop_config.json', '{"mcpServers": {', 0o640);
    write(dir, 'node_modules/m/.mcp.json', INSECURE, 0o664);
    write(dir, '.mcpxrc.json', JSON.stringify({rules: {'unpinned-package': 'error'}}), 0o644);
    fs.symlinkSync(path.join(dir, '.mcp.json'), path.join(dir, 'c-link.json'));
    fs.mkdirSync(path.join(dir, 'shared'), {mode: 0o777});
    fs.chmodSync(path.join(dir, 'shared'), 0o777);
    write(dir, 'shared/.mcp.json', CLEAN, 0o622);
    const before = snapshot(dir);
    const runs = [
      ['lint'],
      ['lint', '--format', 'json'],
      ['lint', '--format', 'sarif'],
      ['lint', '--format', 'github'],
      ['lint', '--quiet', '--max-warnings', '0'],
      ['lint', '.mcp.json', 'c-link.json', 'a'],
    ];
    for (const args of runs) {
      const r = mcpx(args, dir);
      expect([1, 2], args.join(' ')).toContain(r.code);
    }
    expect(snapshot(dir)).toEqual(before);
    // The other side: --fix does write (so the snapshot above can tell).
    mcpx(['lint', '--fix'], dir);
    expect(snapshot(dir)).not.toEqual(before);
  });
});
