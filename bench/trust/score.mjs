#!/usr/bin/env node
// Scores the tool-poisoning rules (run by hand after `node scripts/build.js`):
//   benign  = every tool list under bench/fixtures/ (recorded from real servers): error findings (target 0), warnings;
//   dev set = POISON_DEV (default /work/blind/poison/dev/: *.json + labels.json): recall per category at error
//             and at error-or-warning level, false alarms on benign labelled strings and on hard negatives.
// `--show` prints every benign finding and every dev miss / false alarm.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const {scanTools} = await import(pathToFileURL(path.join(root, 'dist/trust/scan.js')).href);
const show = process.argv.includes('--show');
const devDir = process.env.POISON_DEV ?? '/work/blind/poison/dev';

function listJson(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, {withFileTypes: true})) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listJson(p));
    else if (e.name.endsWith('.json')) out.push(p);
  }
  return out;
}

// Benign.
let tools = 0, servers = 0, errors = 0, warnings = 0;
const byRule = {};
for (const file of listJson(path.join(root, 'bench/fixtures'))) {
  let data;
  try { data = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { continue; }
  if (!data || !Array.isArray(data.tools)) continue;
  servers++;
  tools += data.tools.length;
  for (const f of scanTools({server: data.server ?? path.basename(file), instructions: data.instructions, tools: data.tools, prompts: data.prompts})) {
    byRule[f.ruleId] ??= {error: 0, warning: 0};
    byRule[f.ruleId][f.severity]++;
    if (f.severity === 'error') errors++; else warnings++;
    if (show) console.log(`benign ${f.severity} ${f.ruleId} ${path.relative(root, file)} ${f.tool} ${f.field}: ${f.excerpt}`);
  }
}
console.log(`benign: ${servers} servers, ${tools} tools: ${errors} error findings, ${warnings} warnings`);
for (const [id, c] of Object.entries(byRule)) console.log(`  ${id}: ${c.error} errors, ${c.warning} warnings`);

// Development set.
if (fs.existsSync(path.join(devDir, 'labels.json'))) {
  const labels = JSON.parse(fs.readFileSync(path.join(devDir, 'labels.json'), 'utf8'));
  const found = new Map(); // file|tool|field -> findings
  const byTool = new Map(); // file|tool -> findings (a benign label covers every field of its tool)
  for (const file of new Set(labels.map((l) => l.file))) {
    const data = JSON.parse(fs.readFileSync(path.join(devDir, file), 'utf8'));
    for (const f of scanTools({server: data.server, instructions: data.instructions, tools: data.tools, prompts: data.prompts})) {
      const key = `${file}|${f.tool}|${f.field}`;
      if (!found.has(key)) found.set(key, []);
      found.get(key).push(f);
      const tk = `${file}|${f.tool}`;
      if (!byTool.has(tk)) byTool.set(tk, []);
      byTool.get(tk).push(f);
    }
  }
  const cats = {};
  let fpErr = 0, fpWarn = 0, hnErr = 0, hnWarn = 0, hn = 0, benign = 0;
  // Fields of a poisoned tool that carry no label are benign: an error there is a false alarm too.
  const labelled = new Set(labels.filter((l) => l.poisoned).map((l) => `${l.file}|${l.tool}|${l.field}`));
  const poisonedTools = new Set(labels.filter((l) => l.poisoned).map((l) => `${l.file}|${l.tool}`));
  let strayErr = 0, strayWarn = 0;
  for (const [tk, list] of byTool) {
    if (!poisonedTools.has(tk)) continue;
    for (const f of list) {
      if (labelled.has(`${tk}|${f.field}`)) continue;
      if (f.severity === 'error') strayErr++; else strayWarn++;
      if (show) console.log(`dev STRAY ${f.severity} ${tk} ${f.field}: ${f.ruleId} ${f.excerpt}`);
    }
  }
  for (const l of labels) {
    const fs_ = (l.poisoned ? found.get(`${l.file}|${l.tool}|${l.field}`) : byTool.get(`${l.file}|${l.tool}`)) ?? [];
    const err = fs_.some((f) => f.severity === 'error');
    const any = fs_.length > 0;
    if (l.poisoned) {
      const c = (cats[l.category] ??= {n: 0, err: 0, any: 0});
      c.n++; if (err) c.err++; if (any) c.any++;
      if (show && !err) console.log(`dev ${any ? 'warn-only' : 'MISS'} ${l.category} ${l.file} ${l.tool} ${l.field}: ${l.note}`);
    } else {
      benign++;
      if (l.hard_negative) { hn++; if (err) hnErr++; else if (any) hnWarn++; }
      if (err) fpErr++; else if (any) fpWarn++;
      if (show && any) console.log(`dev FALSE ${err ? 'error' : 'warning'} ${l.file} ${l.tool} ${l.field}: ${fs_.map((f) => f.ruleId + ' ' + f.field + ' ' + f.excerpt).join(' | ')}`);
    }
  }
  let n = 0, e = 0, a = 0;
  console.log(`dev (${devDir}): recall per category (error / error-or-warning):`);
  for (const [cat, c] of Object.entries(cats).sort()) {
    n += c.n; e += c.err; a += c.any;
    console.log(`  ${cat}: ${c.err}/${c.n} = ${(c.err / c.n).toFixed(2)} / ${(c.any / c.n).toFixed(2)}`);
  }
  console.log(`  overall: ${e}/${n} = ${(e / n).toFixed(3)} at error, ${a}/${n} = ${(a / n).toFixed(3)} at error or warning`);
  console.log(`  findings on unlabelled (benign) fields of poisoned tools: ${strayErr} errors, ${strayWarn} warnings`);
  console.log(`  false alarms on ${benign} benign tools (any field): ${fpErr} errors, ${fpWarn} warnings; of them ${hn} hard negatives: ${hnErr} errors, ${hnWarn} warnings`);
}
