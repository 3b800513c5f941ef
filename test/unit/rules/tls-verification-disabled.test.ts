import {describe, expect, it} from 'vitest';
import {tlsVerificationDisabledRule} from '../../../src/lint/rules/tls-verification-disabled.js';
import {lintText, where} from '../../helpers/lint.js';

const rules = [tlsVerificationDisabledRule];
const doc = (entry: unknown) => JSON.stringify({mcpServers: {s: entry}});

describe('tls-verification-disabled', () => {
  const valid: unknown[] = [
    {command: 'x', env: {NODE_TLS_REJECT_UNAUTHORIZED: '1'}},
    {command: 'x', env: {NODE_EXTRA_CA_CERTS: '/etc/ssl/ca.pem', SSL_VERIFY: 'true'}},
    {command: 'x', args: ['--secure', '--insecure=false']},
    {command: 'x', env: {GIT_SSL_NO_VERIFY: '0'}},
  ];
  for (const entry of valid) {
    it(`stays silent on ${JSON.stringify(entry)}`, async () => {
      expect(await lintText({file: '.mcp.json', text: doc(entry), rules})).toEqual([]);
    });
  }

  const invalid: Array<[unknown, string]> = [
    [{command: 'x', env: {NODE_TLS_REJECT_UNAUTHORIZED: '0'}}, '/mcpServers/s/env/NODE_TLS_REJECT_UNAUTHORIZED'],
    [{command: 'x', env: {PYTHONHTTPSVERIFY: 'false'}}, '/mcpServers/s/env/PYTHONHTTPSVERIFY'],
    [{command: 'x', env: {GIT_SSL_NO_VERIFY: 'true'}}, '/mcpServers/s/env/GIT_SSL_NO_VERIFY'],
    [{command: 'x', env: {GITLAB_SSL_VERIFY: 'no'}}, '/mcpServers/s/env/GITLAB_SSL_VERIFY'],
    [{command: 'x', env: {K8S_INSECURE_SKIP_VERIFY: '1'}}, '/mcpServers/s/env/K8S_INSECURE_SKIP_VERIFY'],
    [{command: 'x', args: ['serve', '--insecure']}, '/mcpServers/s/args/1'],
    [{command: 'x', args: ['--ignore-certificate-errors']}, '/mcpServers/s/args/0'],
  ];
  for (const [entry, pointer] of invalid) {
    it(`reports ${pointer}`, async () => {
      const findings = await lintText({file: '.mcp.json', text: doc(entry), rules});
      expect(findings.map((f) => f.pointer)).toEqual([pointer]);
    });
  }

  it('points at the value', async () => {
    const text = '{\n  "mcpServers": {\n    "s": {\n      "command": "x",\n      "env": {"NODE_TLS_REJECT_UNAUTHORIZED": "0"}\n    }\n  }\n}';
    expect(where(await lintText({file: '.mcp.json', text, rules}))).toEqual(['tls-verification-disabled@5:47']);
  });
});
