/** The human summary of an init/add run: what changed where, secrets, lint, what to do next. */
import {getClient} from '../clients/index.js';
import {displayPath} from '../util/paths.js';
import type {InitResult} from './run.js';

export function renderResult(result: InitResult, cwd: string, env: NodeJS.ProcessEnv): string {
  const lines: string[] = [];
  const shown = (p: string) => displayPath(p, cwd, env);
  if (result.dryRun) {
    if (result.diff) lines.push(result.diff.trimEnd(), '');
    lines.push('Dry run: nothing was changed.');
  }
  for (const f of result.files) {
    const verb = result.dryRun ? 'Would write' : f.created ? 'Created' : 'Updated';
    lines.push(`${verb} ${shown(f.file)} (${getClient(f.client)!.name}, ${f.scope} scope):`);
    for (const s of f.servers) {
      const how = s.launch === 'run' ? 'starts via mcpx run' : s.launch === 'bridge' ? 'connects via mcpx bridge' : s.launch === 'serve' ? 'mcpx serve, holding every server' : 'as the preset runs it';
      lines.push(`  ${s.action === 'replace' ? 'replaced' : 'added'} ${s.name} (${how})`);
    }
  }
  for (const u of result.unchanged) lines.push(`Already set up: ${u.name} in ${shown(u.file)}.`);
  if (result.files.length === 0 && !result.dryRun) lines.push('Nothing to write: every server is already set up.');
  const s = result.secrets;
  const verb = result.dryRun ? 'Would store' : 'Stored';
  if (s.stored.length > 0) lines.push(`${verb} in the keychain: ${s.stored.join(', ')}.`);
  if (s.replaced.length > 0) lines.push(`${result.dryRun ? 'Would replace' : 'Replaced'} in the keychain: ${s.replaced.join(', ')}.`);
  if (s.reused.length > 0) lines.push(`Using the keychain's ${s.reused.join(', ')}.`);
  if (s.skipped.length > 0) lines.push(`Skipped optional: ${s.skipped.join(', ')}.`);
  if (result.lint) {
    const n = result.lint.findings.length;
    lines.push(n === 0 ? `mcpx lint: no findings in the ${result.lint.files} file(s) written.` : `mcpx lint: ${n} finding(s) in the files written:`);
    for (const f of result.lint.findings) lines.push(`  ${shown(f.file)}:${f.line}:${f.column} ${f.severity} ${f.message} (${f.ruleId})`);
  }
  if (result.nextSteps.length > 0) {
    lines.push('', 'Next:');
    for (const step of result.nextSteps) lines.push(`  - ${step}`);
  }
  return lines.join('\n');
}
