/**
 * The flags of `mcpx lint`, declared once. The oclif command (help, manifest) and the lean fast
 * path in `src/cli/lint-main.ts` (which never loads oclif) are both built from this table.
 */

export interface FlagSpec {
  name: string;
  char?: string;
  type: 'boolean' | 'string' | 'integer';
  description: string;
  options?: readonly string[];
  default?: string | boolean | number;
  multiple?: boolean;
  helpValue?: string;
  /** Boolean flags that accept `--no-<name>`. */
  allowNo?: boolean;
}

export const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const LINT_FLAGS: readonly FlagSpec[] = [
  {name: 'format', char: 'f', type: 'string', options: FORMATS, default: 'stylish', description: 'Output format.'},
  {name: 'output', char: 'o', type: 'string', helpValue: 'FILE', description: 'Write the report to FILE instead of stdout.'},
  {name: 'json', type: 'boolean', description: 'Same as --format json.'},
  {name: 'quiet', char: 'q', type: 'boolean', description: 'Report errors only, not warnings or infos.'},
  {name: 'max-warnings', type: 'integer', helpValue: 'N', description: 'Exit 1 when there are more than N warnings (errors always fail).'},
  {name: 'user', type: 'boolean', description: "Also lint the user-scope configs in your home folder (every client's, for this OS)."},
  {name: 'client', type: 'string', helpValue: 'ID', description: 'Read explicitly named files as this client’s format (e.g. cursor, codex).'},
  {name: 'fix', type: 'boolean', description: 'Repair file permissions (removes group and other access, keeps the owner’s bits and ownership); says which findings need `mcpx secrets move`.'},
  {name: 'baseline', type: 'string', helpValue: 'FILE', description: 'Ignore findings recorded in this baseline file (default: .mcpx-baseline.json at the project root, when present).'},
  {name: 'update-baseline', type: 'boolean', description: 'Record all current findings in the baseline (--baseline FILE, default .mcpx-baseline.json at the project root) so later runs report only new ones.'},
  {name: 'staged', type: 'boolean', description: 'Lint the staged content of the config files staged for commit (what `mcpx hooks install` runs).'},
  {name: 'stdin-filename', type: 'string', helpValue: 'NAME', description: 'With `mcpx lint -` (config on stdin): the file name that picks its client, e.g. .cursor/mcp.json (default: stdin.json, client by content).'},
  {name: 'config', char: 'c', type: 'string', helpValue: 'FILE', description: 'Project config for rule severities and ignores (default: .mcpxrc.json found upward).'},
  {name: 'verbose', type: 'boolean', description: 'Say on stderr which files were read (client, and why: named, known name, MCP shape, --user) and which a search skipped and why; the JSON report then also lists `skipped`.'},
  {name: 'only-configs', type: 'boolean', description: 'Treat named files like files found by a search: lint known config names and files with an MCP shape, skip the others quietly (for pre-commit).'},
  {name: 'color', type: 'boolean', allowNo: true, description: 'Force colours on or off (default: on for a terminal; NO_COLOR is honoured).'},
];
