/**
 * The contract of a client module: one file per MCP client under `src/clients/`. A module
 * says where the client's files live, their format, how entries map to and from the neutral
 * model, and how the client expands `${…}` references. Adding a client is adding one file
 * and one line in `index.ts`.
 */
import type {ConfigDocument, Format, JsonPath} from '../config/types.js';
import type {ClientId, ServerEntry, ServerSpec} from '../model.js';

export type Platform = 'darwin' | 'linux' | 'win32';

export interface PathContext {
  home: string;
  platform: Platform;
  env: NodeJS.ProcessEnv;
}

/** How (and whether) a client expands references in its config values. */
export interface Interpolation {
  /** Syntaxes the client expands itself, e.g. '${VAR}', '${env:VAR}', '${input:id}', '$VAR'. Empty: expands nothing. */
  syntaxes: string[];
  /** Fields in which it expands them ('env', 'args', 'headers', 'url', 'command'). */
  fields: string[];
  /**
   * Native keys whose values *name* environment variables the client reads itself instead of
   * expanding references in values (Codex `env_vars`, `bearer_token_env_var`, `env_http_headers`;
   * Goose `env_keys`). Omitted: none.
   */
  envNameKeys?: string[];
}

export interface ClientDefinition {
  id: ClientId;
  /** Display name, e.g. "Claude Desktop". */
  name: string;
  /** Format of its MCP config files (the first matching location can override). */
  format: Format;
  /**
   * Project-scope files, as paths relative to a project directory (fast-glob patterns allowed,
   * e.g. '.continue/mcpServers/*.yaml'). Discovery looks for these below every directory searched.
   */
  projectFiles: string[];
  /**
   * User-scope files as paths relative to a home folder, on every OS (fast-glob patterns allowed),
   * e.g. '.codeium/windsurf/mcp_config.json'. Discovery looks for these below every directory
   * searched too (a dotfiles repository, a home folder scanned in CI), and a file found or named
   * at such a path is read as this client's. Omitted: none.
   */
  homeFiles?: string[];
  /** User-scope files for this OS (absolute paths; may not exist). */
  userFiles(ctx: PathContext): string[];
  /**
   * True when `file` (absolute) is one of this client's files. Used to pick the client for a
   * file found on disk; defaults to matching the basename/suffix of projectFiles and userFiles.
   */
  matches?(file: string, ctx: PathContext): boolean;
  /** The path of the servers map inside a new document, e.g. ['mcpServers'] or ['mcp_servers']. */
  serversPath: JsonPath;
  /**
   * 'map' (default): `serversPath` holds `{<name>: entry}`. 'list': it holds an array of entries
   * that carry their own `name` (Continue), so a new server is appended, not keyed.
   */
  serversShape?: 'map' | 'list';
  /** Read every server in a parsed document (all scopes, e.g. `projects[*].mcpServers` too). */
  readServers(doc: ConfigDocument): ServerEntry[];
  /**
   * Check the document's shape; returns human-readable problems with their paths
   * (e.g. "mcpServers must be an object"). Used by lint's `invalid-config` rule.
   */
  validate?(doc: ConfigDocument): Array<{message: string; path: JsonPath}>;
  /** The native object for a neutral server spec, as this client expects it (used by init/add). */
  toNative(spec: ServerSpec): Record<string, unknown>;
  interpolation: Interpolation;
  /** Docs link for the client's MCP configuration. */
  docs?: string;
}
