/** `mcpx presets show <id>`: one preset's package or remote, settings (secrets marked), auth and docs. */
import {Args} from '@oclif/core';
import {BaseCommand} from '../../base-command.js';
import {type PresetDetails, describePreset, renderPresetDetails} from '../../presets/catalog.js';

export default class PresetsShow extends BaseCommand {
  static override summary = 'Show what a preset runs and what it needs.';
  static override examples = ['<%= config.bin %> presets show github', '<%= config.bin %> presets show postgres --json'];
  static override args = {
    id: Args.string({description: 'Preset id (see mcpx presets list).', required: true}),
  };

  async run(): Promise<PresetDetails> {
    const {args} = await this.parse(PresetsShow);
    const details = await describePreset(args.id);
    this.log(renderPresetDetails(details));
    return details;
  }
}
