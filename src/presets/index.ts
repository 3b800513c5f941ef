/** The presets API for init/add and other callers: load, look up, describe and turn into a ServerSpec. */
export {type LoadPresetsOptions, type PresetDirectory, getPreset, loadPresets, packageRoot, presetDirectories, readPresetFile} from './loader.js';
export {
  type PresetInput,
  type PresetToSpecOptions,
  type PresetValues,
  availableTransports,
  defaultTransport,
  localPackage,
  preferredRemote,
  presetInputs,
  presetToSpec,
  requiredSecrets,
} from './spec.js';
export {type PresetDetails, type PresetSummary, describePreset, listPresets} from './catalog.js';
export {type PresetProblem, validatePresetDocument} from './validate.js';
export * from './types.js';
