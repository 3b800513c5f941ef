/** The GitHub Action definition: composite, runs mcpx with SARIF output, uploads it, and keeps inputs out of scripts. */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {parse} from 'yaml';
import {ROOT} from './helpers.js';

describe('action.yml', () => {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    runs: {using: string; steps: Array<{uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string>}>};
    inputs: Record<string, unknown>;
  };

  it('is a composite action: setup-node, mcpx lint --format sarif --output, upload-sarif', () => {
    expect(action.runs.using).toBe('composite');
    const steps = action.runs.steps;
    expect(steps.some((s) => s.uses?.startsWith('actions/setup-node@'))).toBe(true);
    const lint = steps.find((s) => s.run?.includes('lint'))!;
    expect(lint.run).toMatch(/npx --yes "mcpx@\$\{MCPX_VERSION\}" lint .*--format sarif --output "\$MCPX_SARIF"/);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.with?.sarif_file).toBe('${{ inputs.sarif-file }}');
  });

  it('never splices inputs into shell scripts (script injection)', () => {
    for (const step of action.runs.steps) if (step.run) expect(step.run).not.toContain('${{');
  });
});
