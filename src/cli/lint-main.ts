/**
 * The lean entry for `mcpx lint`: parses the flags declared in src/lint/flags.ts with
 * node:util's parseArgs and runs the linter without loading oclif (see bin/run.js).
 */
import {parseArgs} from 'node:util';
import {ExitCode, UserError, formatError} from '../errors.js';
import {LINT_FLAGS} from '../lint/flags.js';
import {runLint, type LintFlags} from '../lint/run.js';
import {didYouMean} from '../util/suggest.js';

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function options(): ParseOptions {
  const opts: NonNullable<ParseOptions> = {};
  for (const f of LINT_FLAGS) {
    opts[f.name] = {type: f.type === 'boolean' ? 'boolean' : 'string', ...(f.char ? {short: f.char} : {}), ...(f.multiple ? {multiple: true} : {})};
    if (f.allowNo) opts[`no-${f.name}`] = {type: 'boolean'};
  }
  return opts;
}

/** Parse lint's argv into flags and paths; throws UserError with a suggestion for unknown flags. */
export function parseLintArgv(argv: string[]): {paths: string[]; flags: LintFlags} {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({args: argv, options: options(), allowPositionals: true, strict: true});
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const names = LINT_FLAGS.flatMap((f) => [f.name, ...(f.allowNo ? [`no-${f.name}`] : [])]);
      const hint = didYouMean(unknown.replace(/^-+/, ''), names).replace(/'([^']+)'/g, "'--$1'");
      throw new UserError(`Unknown flag ${unknown}.${hint}`, {hint: 'Run `mcpx lint --help` to see the flags.', code: 'E_UNKNOWN_FLAG'});
    }
    throw new UserError(message.replace(/\. To specify a positional.*$/s, '.'), {hint: 'Run `mcpx lint --help` to see the usage.'});
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const flags: Record<string, unknown> = {};
  for (const f of LINT_FLAGS) {
    const v = values[f.name];
    if (f.allowNo && values[`no-${f.name}`]) flags[f.name] = false;
    if (v === undefined) continue;
    if (f.type === 'integer') {
      const n = Number(v);
      if (!Number.isInteger(n)) throw new UserError(`--${f.name} expects a whole number, got "${String(v)}".`);
      flags[f.name] = n;
    } else if (f.options && !f.options.includes(String(v))) {
      throw new UserError(`--${f.name} must be one of ${f.options.join(', ')}, got "${String(v)}".${didYouMean(String(v), f.options)}`);
    } else flags[f.name] = v;
  }
  return {paths: parsed.positionals, flags: flags as LintFlags};
}

export async function main(argv: string[]): Promise<number> {
  try {
    const {paths, flags} = parseLintArgv(argv);
    return await runLint(paths, flags, {cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr});
  } catch (error) {
    process.stderr.write(formatError(error) + '\n');
    return error instanceof UserError ? error.exitCode : ExitCode.failure;
  }
}
