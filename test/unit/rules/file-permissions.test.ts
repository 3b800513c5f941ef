import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {lintPaths} from '../../../src/lint/engine.js';
import {filePermissionsRule} from '../../../src/lint/rules/file-permissions.js';
import type {Rule} from '../../../src/lint/types.js';
import {tempDir} from '../../helpers/lint.js';

/** Stands in for hardcoded-secret so these tests do not depend on the detector. */
const fakeSecretRule: Rule = {
  meta: {id: 'hardcoded-secret', description: 'test stand-in', defaultSeverity: 'error', category: 'security'},
  check(ctx) {
    for (const s of ctx.servers) if (s.env?.TOKEN) ctx.report({message: 'secret', secret: s.env.TOKEN});
  },
};

async function permFindings(mode: number, opts: {secret?: boolean; dirMode?: number; platform?: NodeJS.Platform} = {}) {
  const dir = tempDir();
  const sub = path.join(dir, 'proj');
  fs.mkdirSync(sub);
  const file = path.join(sub, '.mcp.json');
  fs.writeFileSync(file, JSON.stringify({mcpServers: {s: {command: 'x', env: opts.secret ? {TOKEN: 'value'} : {}}}}));
  fs.chmodSync(file, mode);
  if (opts.dirMode !== undefined) fs.chmodSync(sub, opts.dirMode);
  try {
    const report = await lintPaths({paths: [file], cwd: dir, ruleSet: [filePermissionsRule, fakeSecretRule], platform: opts.platform});
    return {findings: report.findings.filter((f) => f.ruleId === 'file-permissions'), notes: report.notes};
  } finally {
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

describe('file-permissions', () => {
  it('stays silent on 0600 and on 0644 without credentials', async () => {
    expect((await permFindings(0o600, {secret: true})).findings).toEqual([]);
    expect((await permFindings(0o644)).findings).toEqual([]);
    expect((await permFindings(0o640)).findings).toEqual([]);
  });

  it('reports a credential-holding file readable by group or others', async () => {
    const others = await permFindings(0o644, {secret: true});
    expect(others.findings).toHaveLength(1);
    expect(others.findings[0]!.message).toMatch(/^0644: anyone on this machine can read/);
    const group = await permFindings(0o640, {secret: true});
    expect(group.findings[0]!.message).toMatch(/^0640: its group can read/);
  });

  it('reports any config writable by group or others, credential or not', async () => {
    expect((await permFindings(0o666)).findings[0]!.message).toMatch(/^0666: anyone on this machine can write/);
    expect((await permFindings(0o620)).findings[0]!.message).toMatch(/^0620: its group can write/);
  });

  it('reports a folder anyone can write (without the sticky bit)', async () => {
    const {findings} = await permFindings(0o600, {dirMode: 0o777});
    expect(findings.map((f) => f.message)).toEqual([expect.stringContaining('folder holding this config is writable by anyone')]);
    expect((await permFindings(0o600, {dirMode: 0o1777})).findings).toEqual([]);
  });

  it('is skipped on Windows with a note', async () => {
    const r = await permFindings(0o666, {secret: true, platform: 'win32'});
    expect(r.findings).toEqual([]);
    expect(r.notes.join()).toContain('skipped on Windows');
  });
});
