/**
 * Shell completion: the scripts `mcpx completion bash|zsh|fish` prints, and the candidates they
 * ask for on every Tab (`mcpx __complete -- WORDS...`), computed from oclif's manifest (commands,
 * flags, flag options) plus client ids, preset ids and the server names of mcpx's config. It never
 * loads oclif, so a Tab costs one small node start.
 */
import fs from 'node:fs';
import path from 'node:path';
import {CLIENTS} from '../clients/index.js';
import {parseJson} from '../config/json.js';
import {configPath} from '../proxy/config.js';
import {packageRoot} from '../util/package-root.js';
import {mcpxDirs} from '../util/paths.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface ManifestFlag {
  name: string;
  char?: string;
  type: 'boolean' | 'option';
  options?: string[];
  allowNo?: boolean;
}
interface ManifestCommand {
  id: string;
  summary?: string;
  flags: Record<string, ManifestFlag>;
  args: Record<string, {name: string}>;
}
export interface Manifest {
  commands: Record<string, ManifestCommand>;
}

/** Where names come from; tests pass their own. */
export interface CompletionSources {
  manifest: Manifest;
  clients: () => string[];
  presets: () => string[];
  servers: () => string[];
}

/** A flag's value of this kind completes from that source (file flags fall back to the shell's own). */
const FLAG_VALUES: Record<string, keyof Omit<CompletionSources, 'manifest'>> = {client: 'clients', server: 'servers'};
/** An argument of this name completes from that source. */
const ARG_VALUES: Record<string, keyof Omit<CompletionSources, 'manifest'>> = {preset: 'presets', server: 'servers', servers: 'servers'};
/** Commands whose first argument is a preset or a server whatever the argument is called. */
const COMMAND_ARGS: Record<string, keyof Omit<CompletionSources, 'manifest'>> = {'presets:show': 'presets', add: 'presets'};

/**
 * The candidates for the last of `words` (the words after `mcpx`, the last one being typed,
 * possibly empty). An empty list lets the shell complete file names.
 */
export function completeWords(words: string[], sources: CompletionSources): string[] {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const ids = Object.keys(sources.manifest.commands);
  // The longest command id the words typed so far spell (topics are words: `secrets move`).
  let command: ManifestCommand | undefined;
  let used = 0;
  for (let n = Math.min(before.length, 3); n > 0; n--) {
    const id = before.slice(0, n).join(':');
    if (sources.manifest.commands[id]) {
      command = sources.manifest.commands[id];
      used = n;
      break;
    }
  }
  if (!command) {
    const prefix = before.join(':');
    const next = new Set<string>();
    for (const id of ids) {
      if (prefix && !id.startsWith(prefix + ':')) continue;
      const rest = (prefix ? id.slice(prefix.length + 1) : id).split(':')[0];
      if (rest) next.add(rest);
    }
    if (!prefix) next.add('help');
    return filter([...next], current);
  }
  const flags = Object.values(command.flags);
  const previous = before.at(-1);
  if (previous?.startsWith('-') && before.length > used) {
    const flag = findFlag(flags, previous);
    if (flag?.type === 'option') return filter(flagValues(flag, sources), current);
  }
  if (current.startsWith('--') && current.includes('=')) {
    const [name, value] = [current.slice(0, current.indexOf('=')), current.slice(current.indexOf('=') + 1)];
    const flag = findFlag(flags, name);
    return flag ? filter(flagValues(flag, sources), value).map((v) => `${name}=${v}`) : [];
  }
  if (current.startsWith('-')) {
    const names = flags.flatMap((f) => [`--${f.name}`, ...(f.allowNo ? [`--no-${f.name}`] : [])]);
    return filter([...names, '--help'], current);
  }
  const positional = before.slice(used).filter((w, i, all) => !w.startsWith('-') && !takesValue(flags, all[i - 1])).length;
  const argNames = Object.keys(command.args);
  const source = positional === 0 ? (COMMAND_ARGS[command.id] ?? ARG_VALUES[argNames[0] ?? '']) : ARG_VALUES[argNames[positional] ?? ''];
  return source ? filter(sources[source](), current) : [];
}

function findFlag(flags: ManifestFlag[], word: string): ManifestFlag | undefined {
  return flags.find((f) => word === `--${f.name}` || (f.char !== undefined && word === `-${f.char}`));
}

function takesValue(flags: ManifestFlag[], word: string | undefined): boolean {
  return word !== undefined && !word.includes('=') && findFlag(flags, word)?.type === 'option';
}

function flagValues(flag: ManifestFlag, sources: CompletionSources): string[] {
  if (flag.options) return flag.options;
  const source = FLAG_VALUES[flag.name];
  return source ? sources[source]() : [];
}

function filter(candidates: string[], prefix: string): string[] {
  return [...new Set(candidates)].filter((c) => c.startsWith(prefix)).sort();
}

/** The sources of a real run: the built manifest, the client table, preset files, mcpx's config. */
export function defaultSources(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CompletionSources {
  return {
    manifest: JSON.parse(fs.readFileSync(path.join(packageRoot(), 'oclif.manifest.json'), 'utf8')) as Manifest,
    clients: () => CLIENTS.map((c) => c.id),
    presets: () =>
      [path.join(packageRoot(), 'presets', 'servers'), path.join(cwd, '.mcpx', 'presets'), path.join(mcpxDirs(env).config, 'presets')].flatMap((dir) =>
        safeList(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => f.slice(0, -'.json'.length)),
      ),
    servers: () => serverNames(env),
  };
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Server names in mcpx's config, read leniently (a Tab must never print an error or hang on a FIFO). */
function serverNames(env: NodeJS.ProcessEnv): string[] {
  try {
    const file = configPath(undefined, env);
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 1024 * 1024) return [];
    const servers = (parseJson(fs.readFileSync(file, 'utf8'), file, false).value as {mcpServers?: unknown} | undefined)?.mcpServers;
    return servers && typeof servers === 'object' && !Array.isArray(servers) ? Object.keys(servers) : [];
  } catch {
    return [];
  }
}

/** The script for a shell: it asks `mcpx __complete` for candidates and falls back to file names. */
export function completionScript(shell: Shell, bin = 'mcpx'): string {
  const fn = `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  if (shell === 'bash') {
    return `# ${bin} completion for bash. Add to ~/.bashrc:  source <(${bin} completion bash)
${fn}() {
  local IFS=$'\\n'
  local candidates
  candidates=($(${bin} __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  if [ \${#candidates[@]} -eq 0 ]; then
    COMPREPLY=($(compgen -f -- "\${COMP_WORDS[COMP_CWORD]}"))
  else
    COMPREPLY=("\${candidates[@]}")
  fi
}
complete -o filenames -F ${fn} ${bin}
`;
  }
  if (shell === 'zsh') {
    return `#compdef ${bin}
# ${bin} completion for zsh. Add to ~/.zshrc:  source <(${bin} completion zsh)
${fn}() {
  local -a candidates
  candidates=("\${(@f)$(${bin} __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef ${fn} ${bin}
`;
  }
  return `# ${bin} completion for fish. Save as ~/.config/fish/completions/${bin}.fish:  ${bin} completion fish > ~/.config/fish/completions/${bin}.fish
function ${fn}
    set -l words (commandline -opc) (commandline -ct)
    ${bin} __complete -- $words[2..-1] 2>/dev/null
end
complete -c ${bin} -f -a '(${fn})'
complete -c ${bin} -n 'test -z "$(${fn})"' -F
`;
}

/** `mcpx __complete -- WORDS...`: one candidate a line. */
export function main(argv: string[]): number {
  const words = argv[0] === '--' ? argv.slice(1) : argv;
  try {
    const out = completeWords(words.length ? words : [''], defaultSources());
    if (out.length) process.stdout.write(out.join('\n') + '\n');
  } catch {
    // A Tab prints nothing rather than an error.
  }
  return 0;
}
