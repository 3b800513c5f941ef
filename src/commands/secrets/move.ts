/** `mcpx secrets move`: move hardcoded secrets from client configs into the OS keychain. */
import path from 'node:path';
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {UserError} from '../../errors.js';
import {displayPath} from '../../util/paths.js';

export interface MoveCommandResult {
  dryRun: boolean;
  undo: boolean;
  files: Array<{file: string; replacements: Array<{server: string; where: string; name: string; masked: string; onCommandLine?: boolean}>}>;
  stored: string[];
  reused: string[];
  skipped: Array<{file: string; server?: string; reason: string}>;
}

export default class SecretsMove extends BaseCommand {
  static override summary = 'Move hardcoded secrets from MCP configs into the OS keychain; the configs keep working.';
  static override description = `Finds every hardcoded-secret that \`mcpx lint\` reports in the given configs (default: the configs lint finds below the current folder; --user for your home-folder configs), stores each value in the keychain (read back to verify), and rewrites the entry so the file holds only \${NAME} references: stdio servers start through \`mcpx run\`, remote servers through \`mcpx bridge\`, which resolve the references at launch. Comments, key order and the rest of each file are kept; writes are atomic and leave the file 0600.

All or nothing: if anything fails (or you press Ctrl-C), every file is left as it was and every keychain entry this run created is removed. \`--undo\` puts the values back into the files from the keychain.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --dry-run',
    '<%= config.bin %> <%= command.id %> .cursor/mcp.json',
    '<%= config.bin %> <%= command.id %> --user --yes',
    '<%= config.bin %> <%= command.id %> --undo',
  ];
  static override strict = false;
  static override args = {files: Args.string({description: 'Config files or folders (default: the current folder).'})};
  static override flags = {
    user: Flags.boolean({description: 'Also move secrets out of your home-folder configs (every client, this OS).'}),
    'dry-run': Flags.boolean({char: 'n', description: 'Show the plan as a diff (secrets masked); change nothing.'}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation (for scripts and CI).'}),
    undo: Flags.boolean({description: 'Put moved values back into the files, from the keychain.', aliases: ['restore']}),
  };

  async run(): Promise<MoveCommandResult> {
    const {flags, argv} = await this.parse(SecretsMove);
    const paths = argv as string[];
    const move = await import('../../secrets/move.js');
    const {openKeychain} = await import('../../secrets/store.js');
    const cwd = process.cwd();
    const result: MoveCommandResult = {dryRun: Boolean(flags['dry-run']), undo: Boolean(flags.undo), files: [], stored: [], reused: [], skipped: []};
    const store = await openKeychain().catch((error: unknown) => {
      if (error instanceof UserError) throw new UserError(`${error.message} Nothing was changed.`, {code: error.code, exitCode: error.exitCode, hint: error.hint});
      throw error;
    });

    const stateDir = path.dirname(move.defaultJournalFile());
    const common = {stateDir, store, isReferenced: move.referencedByJournals(stateDir), dryRun: Boolean(flags['dry-run']), yes: flags.yes};

    if (flags.undo) {
      const {unifiedDiff} = await import('../../config/edit.js');
      await this.planConfirmApply({
        ...common,
        confirmBeforeDiff: true,
        plan: () => move.planUndo({files: paths.length > 0 ? paths : undefined, cwd, store}),
        summary: (plan) => {
          result.skipped = plan.skipped;
          result.files = plan.files.map((f) => ({file: f.file, replacements: f.entries.map((e) => ({server: e.server, where: 'entry', name: e.names.join(', '), masked: ''}))}));
          if (plan.files.length > 0) return true;
          this.logHuman(plan.skipped.length > 0 ? plan.skipped.map((s) => `Skipped ${s.server} in ${displayPath(s.file)}: ${s.reason}`).join('\n') : 'Nothing to undo: no moved entries are recorded.');
          return false;
        },
        diff: async (plan) => (await Promise.all(plan.files.map(async (f) => move.maskedDiff(await unifiedDiff(f.file, f.before, f.after), f.before, f.after, plan.values)))).join(''),
        question: (plan) => `Put the values of ${plan.files.length} file(s) back in plain text?`,
        apply: async (plan) => {
          await move.applyUndo(plan, {cwd, store});
          this.logHuman(`Restored ${plan.files.length} file(s). The values stay in the keychain; remove them with \`mcpx secrets rm NAME\`.`);
        },
      });
      return result;
    }

    await this.planConfirmApply({
      ...common,
      plan: () => move.planMove({paths, user: flags.user, cwd, store}),
      summary: (plan) => {
        result.skipped = plan.skipped;
        result.files = plan.files.map((f) => ({file: f.file, replacements: f.replacements.map(({server, where, name, masked, onCommandLine}) => ({server, where, name, masked, ...(onCommandLine ? {onCommandLine} : {})}))}));
        result.stored = plan.secrets.filter((s) => !s.existing).map((s) => s.name);
        result.reused = plan.secrets.filter((s) => s.existing).map((s) => s.name);
        const unparsable = plan.skipped.filter((s) => s.parseError);
        const refuseAll = plan.files.length === 0 && unparsable.length > 0;
        for (const s of plan.skipped) if (!(refuseAll && s.parseError)) this.warnHuman(`Skipped ${s.server ? `server "${s.server}" in ` : ''}${displayPath(s.file)}${s.parseError ? `:${s.parseError.line}:${s.parseError.column}` : ''}: ${s.reason}`);
        if (refuseAll) {
          throw new UserError(`Cannot move secrets out of ${unparsable.length === 1 ? 'a file that does' : `${unparsable.length} files that do`} not parse:\n${unparsable.map((s) => `  ${displayPath(s.file)}:${s.parseError!.line}:${s.parseError!.column}: ${s.reason}`).join('\n')}`, {
            hint: 'Fix the syntax first, then run `mcpx secrets move` again. Nothing was changed.',
            code: 'E_PARSE',
          });
        }
        if (plan.files.length === 0) {
          this.logHuman('Nothing to move: no hardcoded secrets found.');
          return false;
        }
        for (const f of plan.files) {
          this.logHuman(`${displayPath(f.file)}:`);
          for (const r of f.replacements) this.logHuman(`  ${r.server}: ${r.where} ${r.masked} → \${${r.name}}`);
        }
        for (const r of plan.files.flatMap((f) => f.replacements).filter((r) => r.onCommandLine)) {
          this.warnHuman(
            `Server "${r.server}" takes ${r.name} in an argument, so \`mcpx run\` must put it on the server's command line: while it runs, other users of this machine can read it there (ps, /proc/PID/cmdline). If the server also reads it from an environment variable, use that: drop the argument and add \`--env VAR=${r.name}\` to its \`mcpx run\` line.`,
          );
        }
        return true;
      },
      diff: async (plan) => '\n' + (await move.planDiff(plan)),
      question: (plan) => `Store ${plan.secrets.length} secret(s) in the keychain and rewrite ${plan.files.length} file(s)?`,
      apply: async (plan, signal) => {
        const applied = await move.applyMove(plan, {store, signal});
        result.stored = applied.stored;
        result.reused = applied.reused;
        this.logHuman(
          `Moved ${plan.secrets.length} secret(s) out of ${plan.files.length} file(s) into the keychain. Restart your MCP clients to pick up the change; \`mcpx secrets move --undo\` reverts it.`,
        );
      },
    });
    return result;
  }
}
