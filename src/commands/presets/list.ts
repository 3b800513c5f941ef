/** `mcpx presets list`: the presets init/add can use (built-in, project and user), optionally by tag. */
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {type PresetSummary, listPresets, renderPresetList} from '../../presets/catalog.js';

export default class PresetsList extends BaseCommand {
  static override summary = 'List the server presets.';
  static override description =
    'Built-in presets plus any in .mcpx/presets/ (project) and $XDG_CONFIG_HOME/mcpx/presets/ (user); a later source overrides an earlier one with the same id.';
  static override examples = ['<%= config.bin %> presets list', '<%= config.bin %> presets list --tag database', '<%= config.bin %> presets list --json'];
  static override flags = {
    tag: Flags.string({description: 'Only presets with this tag (e.g. search, database, remote).'}),
  };

  async run(): Promise<{presets: PresetSummary[]}> {
    const {flags} = await this.parse(PresetsList);
    const presets = await listPresets({tag: flags.tag});
    this.log(renderPresetList(presets));
    return {presets};
  }
}
