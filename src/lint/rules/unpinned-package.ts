/**
 * unpinned-package: a server launched by a package runner (`npx`, `bunx`, `pnpm dlx`, `uvx`,
 * `docker run`) without an exact version, or with `@latest`. Every start may run code that was
 * published a minute ago: a supply-chain risk, and a reason a working setup breaks overnight.
 */
import path from 'node:path';
import {locate, nativePath} from '../../model.js';
import type {Rule} from '../types.js';

/** Flags of each runner that take a value (so the value is not the package). */
const VALUE_FLAGS: Record<string, Set<string>> = {
  npx: new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace']),
  uvx: new Set(['--from', '--with', '--python', '-p', '--index', '--index-url', '--extra-index-url', '--with-requirements', '--constraint', '-c']),
  docker: new Set(['-e', '--env', '--env-file', '-v', '--volume', '--name', '--network', '-p', '--publish', '-w', '--workdir', '--user', '-u', '--entrypoint', '--mount', '--platform', '-l', '--label', '--cpus', '--memory', '-m', '--add-host', '--hostname', '-h']),
};

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Classify an npm package spec: exact version, or the reason it is not pinned. */
export function npmSpecPin(spec: string): {pinned: true} | {pinned: false; why: string} {
  if (/^(?:\.{0,2}\/|file:|git\+|https?:|github:)/.test(spec)) return {pinned: true}; // local path or URL: not a registry package
  const at = spec.startsWith('@') ? spec.indexOf('@', 1) : spec.indexOf('@');
  if (at < 0) return {pinned: false, why: 'no version'};
  const version = spec.slice(at + 1);
  if (EXACT_SEMVER.test(version)) return {pinned: true};
  if (/^(latest|next|beta|alpha|canary)$/i.test(version)) return {pinned: false, why: `the moving tag @${version}`};
  return {pinned: false, why: `the range @${version}`};
}

function pyPin(spec: string): boolean {
  return /==\s*\d|@\s*v?\d+\.\d+/.test(spec);
}

function dockerPin(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== 'latest';
}

/** Find the package argument of a runner invocation: [index in args, spec]. */
function packageArg(runner: string, args: string[]): [number, string] | undefined {
  let i = 0;
  if (runner === 'pnpm' || runner === 'yarn') {
    if (args[0] !== 'dlx') return undefined;
    i = 1;
  }
  if (runner === 'docker') {
    if (args[0] !== 'run') return undefined;
    i = 1;
  }
  const key = runner === 'bunx' || runner === 'pnpm' || runner === 'yarn' ? 'npx' : runner;
  const takesValue = VALUE_FLAGS[key] ?? new Set<string>();
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1] !== undefined ? [i + 1, args[i + 1]!] : undefined;
    if (a.startsWith('-')) {
      if (key === 'npx' && (a === '-p' || a === '--package')) return args[i + 1] !== undefined ? [i + 1, args[i + 1]!] : undefined;
      if (key === 'npx' && a.startsWith('--package=')) return [i, a.slice('--package='.length)];
      if (key === 'uvx' && a === '--from') return args[i + 1] !== undefined ? [i + 1, args[i + 1]!] : undefined;
      if (takesValue.has(a) && !a.includes('=')) i++;
      continue;
    }
    return [i, a];
  }
  return undefined;
}

export const unpinnedPackageRule: Rule = {
  meta: {
    id: 'unpinned-package',
    description: 'A server started with npx/uvx/docker without an exact version (or with @latest).',
    defaultSeverity: 'warning',
    category: 'supply-chain',
    fix: 'manual',
  },
  check(ctx) {
    for (const entry of ctx.servers) {
      if (!entry.command || !entry.args) continue;
      const runner = path.basename(entry.command).replace(/\.(cmd|exe)$/i, '').toLowerCase();
      if (!['npx', 'bunx', 'pnpm', 'yarn', 'uvx', 'docker'].includes(runner)) continue;
      const found = packageArg(runner, entry.args);
      if (!found) continue;
      const [index, spec] = found;
      if (/\$\{/.test(spec)) continue;
      let why: string | undefined;
      if (runner === 'uvx') why = pyPin(spec) ? undefined : 'no version';
      else if (runner === 'docker') why = dockerPin(spec) ? undefined : spec.endsWith(':latest') ? 'the moving tag :latest' : 'no tag';
      else {
        const pin = npmSpecPin(spec);
        why = pin.pinned ? undefined : pin.why;
      }
      if (!why) continue;
      const example = runner === 'uvx' ? `${spec.split(/[=@]/)[0]}==<version>` : runner === 'docker' ? `${spec.split(':')[0]}@sha256:<digest>` : `${spec.replace(/(.)@[^@/]*$/, '$1')}@<version>`;
      ctx.report({
        message: `server "${entry.name}" runs ${spec} through ${runner} with ${why}: each start may fetch and run a different release`,
        range: ctx.doc ? locate(ctx.doc, entry, 'args', index) : undefined,
        path: nativePath(entry, 'args', index),
        server: entry.name,
        hint: `pin an exact version, e.g. ${example}`,
      });
    }
  },
};
