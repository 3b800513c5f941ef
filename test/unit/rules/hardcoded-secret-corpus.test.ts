/**
 * The labelled corpus (bench/corpus) as a regression guard: a small seeded corpus in every
 * client format, linted by the real engine, must keep each core rule at or above 0.98
 * precision and recall, and hardcoded-secret must name the exact planted substrings.
 */
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {generateCorpus} from '../../../bench/corpus/generate.js';
import {readableFormats, scoreCorpus} from '../../../bench/corpus/score.js';
import {CLIENTS} from '../../../src/clients/index.js';
import {lintPaths} from '../../../src/lint/engine.js';
import {tempDir} from '../../helpers/lint.js';

const root = tempDir('mcpx-corpus-');
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('labelled corpus', () => {
  it('core rules keep precision and recall at or above 0.98', async () => {
    const corpus = generateCorpus(root, {seed: 20261123, projects: 72});
    const report = await lintPaths({paths: corpus.files, cwd: root, env: {...process.env, HOME: root}});
    expect(report.errors).toEqual([]);
    const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
    const findings = report.findings.filter((f) => !f.suppressed).map((f) => ({...f, file: rel(f.file)}));
    const score = scoreCorpus(corpus.labels, findings, readableFormats(CLIENTS.map((c) => c.id)));
    const byRule = Object.fromEntries(score.rules.map((s) => [s.rule, s]));
    for (const rule of ['hardcoded-secret', 'insecure-url', 'file-permissions']) {
      const s = byRule[rule];
      if (!s) continue;
      expect(s.labelledPositive, rule).toBeGreaterThan(10);
      const detail = [...s.fps.map((f) => `FP ${f.file} ${f.pointer}: ${f.message}`), ...s.fns.map((l) => `FN ${l.file} ${l.pointer}: ${l.what}`)].join('\n');
      expect(s.precision, `${rule}\n${detail}`).toBeGreaterThanOrEqual(0.98);
      expect(s.recall, `${rule}\n${detail}`).toBeGreaterThanOrEqual(0.98);
    }
    expect(byRule['hardcoded-secret']).toBeDefined();
    expect(score.exact.recall).toBeGreaterThanOrEqual(0.98);
    expect(score.exact.precision).toBeGreaterThanOrEqual(0.98);
  });
});
