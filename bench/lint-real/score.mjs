import fs from 'node:fs';
import path from 'node:path';
// Directory-mode precision and recall of `mcpx lint --format json` against a hand-labelled corpus of
// real configs (labels.json + files.json, paths under tree/). Usage:
//   node bench/lint-real/score.mjs CORPUS_DIR REPORT.json [EXPANDED_ROOT] [--show]
const corpus = process.argv[2];
const labels = JSON.parse(fs.readFileSync(path.join(corpus, 'labels.json'), 'utf8'));
const files = JSON.parse(fs.readFileSync(path.join(corpus, 'files.json'), 'utf8'));
const report = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const root = path.resolve(process.argv[4] ?? path.dirname(process.argv[3])) + '/';
const rel = (f) => (f.startsWith(root) ? f.slice(root.length) : f.startsWith('tree/') ? f : 'tree/' + f);
const mcpFiles = files.filter((f) => f.mcp).map((f) => f.file);
const seen = new Set(report.files.map(rel));
console.log(`MCP files read: ${mcpFiles.filter((f) => seen.has(f)).length}/${mcpFiles.length}; decoys read: ${files.filter((f) => !f.mcp && seen.has(f.file)).length}/${files.filter((f) => !f.mcp).length}`);
for (const kind of ['hardcoded-secret', 'insecure-url']) {
  const L = labels.filter((l) => l.kind === kind);
  const F = report.findings.filter((f) => f.ruleId === kind).map((f) => ({...f, file: rel(f.file)}));
  const used = new Set();
  let tp = 0, fn = 0, doubtHit = 0, doubtMiss = 0; const misses = [];
  for (const l of L) {
    const i = F.findIndex((f, k) => !used.has(k) && f.file === l.file && f.line === l.line);
    if (i >= 0) { used.add(i); if (l.doubtful) doubtHit++; else tp++; }
    else if (l.doubtful) doubtMiss++; else { fn++; misses.push(`${l.file}:${l.line} ${l.provider ?? ''} ${l.masked ?? ''}`); }
  }
  const fps = F.filter((f, k) => !used.has(k));
  // A second finding on a labelled line (e.g. key and URL) is not a false alarm.
  const fp = fps.filter((f) => !L.some((l) => l.file === f.file && l.line === f.line)).length;
  const p = tp / Math.max(1, tp + fp), r = tp / Math.max(1, tp + fn);
  console.log(`${kind}: labels ${L.length} (doubtful ${L.filter((l) => l.doubtful).length}); TP ${tp} FN ${fn} FP ${fp}; precision ${p.toFixed(3)} recall ${r.toFixed(3)}; doubtful found ${doubtHit}, missed ${doubtMiss}`);
  if (process.argv.includes('--show')) { for (const m of misses) console.log('  miss', m); for (const f of fps) if (!L.some((l) => l.file === f.file && l.line === f.line)) console.log('  fp  ', f.file + ':' + f.line, f.message.slice(0, 110)); }
}
