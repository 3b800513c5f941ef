/** `mcpx import`: move the servers of client configs into mcpx's config; the clients start `mcpx serve`. */
import path from 'node:path';
import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../base-command.js';
import {UserError} from '../errors.js';
import {CLIENT_IDS} from '../model.js';
import {displayPath} from '../util/paths.js';

export interface ImportCommandResult {
  dryRun: boolean;
  undo: boolean;
  config: string;
  files: string[];
  imported: Array<{file: string; client: string; server: string; as: string; status: string; secrets: Array<{where: string; name: string; masked: string}>}>;
  removed: string[];
  stored: string[];
  reused: string[];
  skipped: Array<{file: string; server?: string; reason: string}>;
}

export default class Import extends BaseCommand {
  static override summary = "Adopt the servers of existing MCP client configs into mcpx's config; the clients then start `mcpx serve`.";
  static override description = `Copies every server of the given client configs (default: the project configs \`mcpx lint\` finds below the current folder; --user adds your home-folder configs) into mcpx's config, then replaces them in the client file by one entry, "mcpx", that starts \`mcpx serve\`. Other keys, comments and formatting of the client file are kept.

Hardcoded secrets are stored in the keychain (as \`mcpx secrets move\` does) and mcpx's config gets \${NAME} references; client reference syntax (\${env:VAR}, \${workspaceFolder}…) is translated. Servers using values only the client can resolve (VS Code \${input:…}) stay in the client file. A server already in mcpx's config with the same content is merged; a different one with the same name is added as name-2.

A diff of every file is shown first (secrets masked). All or nothing: on any failure every file and the keychain are left as they were. \`--undo\` puts the original entries back and removes the imported servers from mcpx's config.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --dry-run',
    '<%= config.bin %> <%= command.id %> .cursor/mcp.json --yes',
    '<%= config.bin %> <%= command.id %> --user --client claude-desktop',
    '<%= config.bin %> <%= command.id %> --undo',
  ];
  static override strict = false;
  static override args = {files: Args.string({description: 'Client config files or folders (default: the current folder).'})};
  static override flags = {
    client: Flags.string({description: 'Read the named files as this client\'s config; import only this client\'s files.', options: CLIENT_IDS.filter((id) => id !== 'mcpx')}),
    user: Flags.boolean({description: 'Also import from your home-folder configs (every client, this OS).'}),
    'dry-run': Flags.boolean({char: 'n', description: 'Show the plan as a diff (secrets masked); change nothing.'}),
    yes: Flags.boolean({char: 'y', description: 'Do not ask for confirmation (for scripts and CI).'}),
    undo: Flags.boolean({description: 'Put imported servers back into their client files and take them out of mcpx\'s config.'}),
  };

  async run(): Promise<ImportCommandResult> {
    const {flags, argv} = await this.parse(Import);
    const paths = argv as string[];
    if (flags.undo && (flags.user || flags.client)) {
      throw new UserError('--undo takes no --user or --client: it undoes the recorded imports (of the FILEs given, or all).', {hint: 'Run `mcpx import --undo [FILE...]`.'});
    }
    const core = await import('../import/import.js');
    const {openKeychain} = await import('../secrets/store.js');
    const cwd = process.cwd();
    const store = await openKeychain().catch((error: unknown) => {
      if (error instanceof UserError) throw new UserError(`${error.message} Nothing was changed.`, {code: error.code, exitCode: error.exitCode, hint: error.hint});
      throw error;
    });
    const result: ImportCommandResult = {dryRun: Boolean(flags['dry-run']), undo: Boolean(flags.undo), config: '', files: [], imported: [], removed: [], stored: [], reused: [], skipped: []};

    const stateDir = path.dirname(core.defaultImportJournal());
    const {referencedByJournals} = await import('../secrets/move.js');
    const common = {stateDir, store, isReferenced: referencedByJournals(stateDir), dryRun: Boolean(flags['dry-run']), yes: flags.yes};
    const warnSkipped = (skipped: ImportCommandResult['skipped']) => {
      for (const s of skipped) this.warnHuman(`Skipped ${s.server ? `server "${s.server}" in ` : ''}${displayPath(s.file)}: ${s.reason}`);
    };

    if (flags.undo) {
      await this.planConfirmApply({
        ...common,
        plan: () => core.planUndoImport({files: paths.length > 0 ? paths : undefined, cwd, store}),
        summary: (plan) => {
          result.skipped = plan.skipped;
          result.files = plan.files.map((f) => f.file);
          result.removed = plan.removed;
          warnSkipped(plan.skipped);
          if (plan.entries.length > 0) return true;
          this.logHuman('Nothing to undo: no imports are recorded.');
          return false;
        },
        diff: async (plan) =>
          [await core.planDiff(plan.files, plan.values), ...plan.removeFiles.map((r) => `${flags['dry-run'] ? 'Would remove' : 'Removes'} ${displayPath(r.file)}: the import created it and no servers are left in it.`)].join('\n'),
        question: (plan) => `Put the servers of ${plan.entries.length} file(s) back and remove ${plan.removed.length} server(s) from mcpx's config?`,
        apply: async (plan) => {
          await core.applyUndoImport(plan, {cwd, store});
          this.logHuman(`Restored ${plan.entries.length} file(s). Secret values stay in the keychain; remove them with \`mcpx secrets rm NAME\`.`);
        },
      });
      return result;
    }

    await this.planConfirmApply({
      ...common,
      plan: () => core.planImport({paths, user: flags.user, client: flags.client as (typeof CLIENT_IDS)[number] | undefined, cwd, store}),
      summary: (plan) => {
        result.config = plan.configFile;
        result.files = core.planFiles(plan).map((f) => f.file);
        result.imported = plan.imported;
        result.skipped = plan.skipped;
        result.stored = plan.secrets.filter((s) => !s.existing).map((s) => s.name);
        result.reused = plan.secrets.filter((s) => s.existing).map((s) => s.name);
        warnSkipped(plan.skipped);
        if (plan.files.length === 0) {
          this.logHuman('Nothing to import: no client config holds servers mcpx does not serve yet.');
          return false;
        }
        for (const i of plan.imported) {
          const how = i.status === 'merged' ? `already in mcpx's config as "${i.as}"` : i.status === 'renamed' ? `as "${i.as}" (mcpx's config has another "${i.server}", or the name is not allowed there)` : `as "${i.as}"`;
          this.logHuman(`${displayPath(i.file)}: ${i.server} → ${how}`);
          for (const s of i.secrets) this.logHuman(`    ${s.where} ${s.masked} → keychain \${${s.name}}`);
        }
        return true;
      },
      diff: async (plan) => '\n' + (await core.planDiff(core.planFiles(plan), [...plan.masks, ...plan.secrets.map((s) => s.value)])),
      question: (plan) => `Import ${plan.imported.length} server(s) from ${plan.files.length} file(s) into mcpx's config${plan.secrets.length > 0 ? `, storing ${plan.secrets.length} secret(s) in the keychain` : ''}?`,
      apply: async (plan, signal) => {
        const applied = await core.applyImport(plan, {store, signal});
        result.stored = applied.stored;
        result.reused = applied.reused;
        this.logHuman(`Imported ${plan.imported.length} server(s) into ${displayPath(plan.configFile)}. Restart your MCP clients to pick up the change; \`mcpx import --undo\` reverts it.`);
      },
    });
    return result;
  }
}
