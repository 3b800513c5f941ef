/**
 * Types of a preset: a server described in the official MCP registry's `server.json` shape
 * (only the fields mcpx reads are typed here; the schema in schemas/ is the full contract), plus
 * mcpx's own block under `_meta["dev.mcpx/preset"]`, plus where the loader found it.
 */

/** The `_meta` key that holds mcpx's extension block. */
export const PRESET_META_KEY = 'dev.mcpx/preset';

/** How the default way of running a preset authenticates. */
export type PresetAuth = 'none' | 'token' | 'oauth';

/** The building block a preset is an instance of (see presets/components/). */
export type PresetComponent = 'stdio-local' | 'http-apikey' | 'http-oauth';

/** The two ways mcpx can wire a preset: run its npm package locally, or connect to its remote. */
export type PresetTransport = 'stdio' | 'http';

/** mcpx's extension block, `_meta["dev.mcpx/preset"]`. */
export interface PresetMeta {
  /** Short kebab-case id used on the command line (`mcpx add github`). */
  id: string;
  title: string;
  tags: string[];
  /** Authentication of the default component. */
  auth: PresetAuth;
  /** The default way to run it: `stdio-local` runs the package, `http-*` connects to the remote. */
  component: PresetComponent;
  /** True when using the server needs an account or key with some provider. */
  needsAccount: boolean;
  /** Where a user reads about the server (setup, scopes, tools). */
  docs: string;
  /** What mcpx chose and why (alternatives, Node version needs, safety advice). */
  notes?: string;
}

/** A registry `Input`: one value a user may be asked for. */
export interface RegistryInput {
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
  format?: 'string' | 'number' | 'boolean' | 'filepath';
  default?: string;
  placeholder?: string;
  choices?: string[];
  /** Fixed value, possibly a template with `{variable}` references. */
  value?: string;
  variables?: Record<string, RegistryInput>;
}

/** An environment variable or HTTP header. */
export interface RegistryKeyValue extends RegistryInput {
  name: string;
}

export interface RegistryArgument extends RegistryInput {
  type: 'positional' | 'named';
  /** Flag name with its dashes (named arguments). */
  name?: string;
  /** Label of a positional argument (also the key users give its value under). */
  valueHint?: string;
  isRepeated?: boolean;
}

export interface RegistryPackage {
  registryType: string;
  registryBaseUrl?: string;
  identifier: string;
  version?: string;
  runtimeHint?: string;
  transport: {type: 'stdio' | 'streamable-http' | 'sse'; url?: string; headers?: RegistryKeyValue[]};
  runtimeArguments?: RegistryArgument[];
  packageArguments?: RegistryArgument[];
  environmentVariables?: RegistryKeyValue[];
}

export interface RegistryRemote {
  type: 'streamable-http' | 'sse';
  url: string;
  headers?: RegistryKeyValue[];
  variables?: Record<string, RegistryInput>;
}

/** A `server.json` document as mcpx reads it. */
export interface ServerJson {
  $schema?: string;
  name: string;
  title?: string;
  description: string;
  version: string;
  websiteUrl?: string;
  repository?: {url: string; source: string; subfolder?: string};
  packages?: RegistryPackage[];
  remotes?: RegistryRemote[];
  _meta?: Record<string, unknown>;
}

/** Where a preset came from; later sources override earlier ones by id. */
export type PresetSourceKind = 'builtin' | 'project' | 'user';

export interface PresetOrigin {
  kind: PresetSourceKind;
  /** Absolute path of the JSON file. */
  file: string;
}

/** A validated preset, ready for `presetToSpec()`. */
export interface Preset {
  id: string;
  meta: PresetMeta;
  server: ServerJson;
  origin: PresetOrigin;
  /** Presets with the same id that this one replaced (e.g. a built-in overridden by a user file). */
  overrides: PresetOrigin[];
}
