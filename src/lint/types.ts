/**
 * Types shared by the lint engine, its rules and its formatters. Rules are pure: given one
 * file (its document, servers and file mode) they report findings with a location; they never
 * read files, print or exit.
 */
import type {Stats} from 'node:fs';
import type {ClientDefinition} from '../clients/types.js';
import type {ConfigDocument, JsonPath, SourceRange} from '../config/types.js';
import type {ClientId, ServerEntry} from '../model.js';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface RuleMeta {
  /** Stable kebab-case id; the rule's file name and its docs page `docs/rules/<id>.md`. */
  id: string;
  /** One sentence: what the rule finds. */
  description: string;
  defaultSeverity: Severity;
  category: 'security' | 'supply-chain' | 'correctness' | 'tool-poisoning';
  /** How a finding is fixed: `--fix` repairs permissions; secrets are moved by `mcpx secrets move`. */
  fix?: 'lint --fix' | 'secrets move' | 'manual';
}

/** What a rule reports; the engine adds the file, line/column, severity and fingerprint. */
export interface Report {
  message: string;
  /** Where it is. Defaults to the start of the file. */
  range?: SourceRange;
  /** Native JSON path of the value concerned (baselines key on it). */
  path?: JsonPath;
  server?: string;
  /** The raw secret, when the finding is about one: used for the mask and the value hash, never printed. */
  secret?: string;
  /** One line telling the user how to fix this finding. */
  hint?: string;
}

export interface FileInfo {
  /** Absolute path. */
  file: string;
  /** The file's lstat/stat result, for permission rules. */
  stat?: Stats;
  /** The folder's stat, for folder permission checks. */
  dirStat?: Stats;
  client?: ClientDefinition;
  doc?: ConfigDocument;
  servers: ServerEntry[];
  platform: NodeJS.Platform;
  /** Set when the file could not be parsed (then `doc` is undefined). */
  parseError?: {message: string; line: number; column: number};
  /** The file's text, when it could not be parsed (rules then read it as plain text). */
  text?: string;
}

export interface RuleContext extends FileInfo {
  report(report: Report): void;
  /** Whether any other rule found a credential in this file (file-permissions uses it). */
  readonly hasCredential: boolean;
}

export interface Rule {
  meta: RuleMeta;
  /** `perFile` rules run once per file; others too, but `after` runs once everything else ran. */
  phase?: 'main' | 'after';
  check(ctx: RuleContext): void;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Absolute path. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** RFC 6901 pointer of the value, '' for the whole file. */
  pointer: string;
  server?: string;
  client?: ClientId;
  /** Masked secret, e.g. `ghp_…7f3a`. */
  masked?: string;
  /** sha256 of (rule, pointer, value) — safe to store; the value itself never is. */
  valueHash?: string;
  /** Stable across reformatting: sha256 of file path, rule, pointer and value hash. */
  fingerprint: string;
  hint?: string;
  /** `mcpx scan` only: the tool or prompt the finding is about (neither for server instructions). */
  tool?: string;
  prompt?: string;
  /** `mcpx scan` only: the field of what the model sees, e.g. `inputSchema.properties.notes.description`. */
  field?: string;
  /** `mcpx scan` only: the text around the match, hidden characters shown as \u{…}, secrets masked. */
  excerpt?: string;
  /** Set when suppressed by a baseline or inline comment (suppressed findings are not printed). */
  suppressed?: 'baseline' | 'inline' | 'config';
}

export interface FileError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

/** Why a file was read and how its client was chosen (`--verbose`, the JSON report's `read`). */
export interface FileRead {
  /** Absolute path. */
  file: string;
  client?: ClientId;
  /** named: on the command line; known-name: a config name found by a search; mcp-shape: another file with an MCP shape; user: a --user file. */
  reason: 'named' | 'known-name' | 'mcp-shape' | 'user';
  /** How the client was chosen: --client, the path, the content's shape; absent when none fits. */
  clientBy?: 'flag' | 'name' | 'content';
}

export interface LintReport {
  /** Every file examined, absolute paths. */
  files: string[];
  /** Each file examined with why and its client, in the order of `files`. */
  read?: FileRead[];
  /** Files a search opened or considered and did not lint, with why (for --verbose). */
  skipped?: Array<{file: string; reason: string}>;
  findings: Finding[];
  /** Files that could not be read at all (not a directory entry, EACCES...). Parse errors are findings. */
  errors: FileError[];
  /** Notes for the user (e.g. "permission checks are skipped on Windows"). */
  notes: string[];
  /** `mcpx scan` only: every server scanned, where its tool list came from, and how much it held. */
  servers?: ScannedServer[];
}

export interface ScannedServer {
  name: string;
  /** serve's catalog cache, a live listing (--connect), or a saved tools/list (--tools FILE). */
  source: 'cache' | 'connect' | 'file';
  /** Absolute path: the --tools file or the serve config. */
  file: string;
  tools: number;
  prompts: number;
  instructions: boolean;
  /** From the cache: seconds since serve listed it. */
  cacheAge?: number;
}
