/**
 * tls-verification-disabled: settings that turn certificate checks off for a server
 * (`NODE_TLS_REJECT_UNAUTHORIZED=0`, `--insecure`...), which makes https:// no safer than http://.
 */
import {locate, nativePath} from '../../model.js';
import type {Rule} from '../types.js';

const FALSY = /^(?:0|false|no|off)$/i;
const TRUTHY = /^(?:1|true|yes|on)$/i;

/** env name → predicate on its value that means "verification off". */
const ENV_CHECKS: Array<[RegExp, (v: string) => boolean]> = [
  [/^NODE_TLS_REJECT_UNAUTHORIZED$/, (v) => FALSY.test(v.trim())],
  [/^PYTHONHTTPSVERIFY$/, (v) => FALSY.test(v.trim())],
  [/^GIT_SSL_NO_VERIFY$/, (v) => TRUTHY.test(v.trim())],
  [/^(?:[A-Z0-9]+_)?(?:SSL|TLS)_VERIFY$/, (v) => FALSY.test(v.trim())],
  [/^(?:[A-Z0-9]+_)?(?:VERIFY_SSL|SSL_VERIFICATION|TLS_VERIFICATION)$/, (v) => FALSY.test(v.trim())],
  [/^(?:[A-Z0-9]+_)?(?:INSECURE_SKIP_VERIFY|SKIP_TLS_VERIFY|TLS_INSECURE|SSL_INSECURE|ALLOW_INSECURE)$/, (v) => TRUTHY.test(v.trim())],
];

const INSECURE_ARGS = new Set(['--insecure', '--ignore-certificate-errors', '--no-verify-ssl', '--no-check-certificate', '--tls-skip-verify', '--skip-tls-verify', '--insecure-skip-tls-verify', '--allow-insecure-tls']);

export const tlsVerificationDisabledRule: Rule = {
  meta: {
    id: 'tls-verification-disabled',
    description: 'Certificate verification turned off (NODE_TLS_REJECT_UNAUTHORIZED=0, --insecure...).',
    defaultSeverity: 'error',
    category: 'security',
    fix: 'manual',
  },
  check(ctx) {
    for (const entry of ctx.servers) {
      for (const [key, value] of Object.entries(entry.env ?? {})) {
        if (ENV_CHECKS.some(([name, off]) => name.test(key) && off(value))) {
          ctx.report({
            message: `${key}=${value} in env of server "${entry.name}" turns TLS certificate checks off: anyone on the network path can impersonate the server`,
            range: ctx.doc ? locate(ctx.doc, entry, 'env', key) : undefined,
            path: nativePath(entry, 'env', key),
            server: entry.name,
            hint: `remove ${key}; for a private CA, point NODE_EXTRA_CA_CERTS (or the tool's CA option) at its certificate`,
          });
        }
      }
      entry.args?.forEach((arg, i) => {
        const flag = arg.split('=')[0]!.toLowerCase();
        if (INSECURE_ARGS.has(flag) && !/=(?:false|0)$/i.test(arg)) {
          ctx.report({
            message: `${flag} in args of server "${entry.name}" turns TLS certificate checks off`,
            range: ctx.doc ? locate(ctx.doc, entry, 'args', i) : undefined,
            path: nativePath(entry, 'args', i),
            server: entry.name,
            hint: 'remove the flag; for a private CA, trust its certificate instead',
          });
        }
      });
    }
  },
};
