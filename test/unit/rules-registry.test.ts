/** Every rule has a kebab-case id matching its file, a docs page, and a test file. */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {RULES} from '../../src/lint/rules/index.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('rule registry', () => {
  it('is sorted by id and ids are unique kebab-case', () => {
    const ids = RULES.map((r) => r.meta.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  for (const rule of RULES) {
    const id = rule.meta.id;
    it(`${id}: has its own source file, docs page and tests`, () => {
      expect(fs.existsSync(path.join(root, 'src/lint/rules', `${id}.ts`))).toBe(true);
      const doc = path.join(root, 'docs/rules', `${id}.md`);
      expect(fs.existsSync(doc)).toBe(true);
      expect(fs.readFileSync(doc, 'utf8')).toMatch(new RegExp(`^# ${id}\\n`));
      const tests = fs.readdirSync(path.join(root, 'test/unit/rules'));
      expect(tests.some((t) => t.startsWith(id) || fs.readFileSync(path.join(root, 'test/unit/rules', t), 'utf8').includes(`${camel(id)}Rule`))).toBe(true);
    });
  }

  it('the README lists every rule', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const rule of RULES) expect(readme).toContain(`\`${rule.meta.id}\``);
  });
});

function camel(id: string): string {
  return id.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
