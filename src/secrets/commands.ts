/**
 * The work behind `mcpx secrets set|get|list|rm`, free of oclif: open the keychain, read a value
 * from a hidden prompt or stdin (never from argv), and store, print, list or remove secrets by
 * NAME (account `env/<NAME>`). Values appear only in `get`'s result, never in messages.
 */
import {ExitCode, UserError} from '../errors.js';
import {suggest} from '../util/suggest.js';
import {secretAccount, secretNameOf, validateSecretName} from './names.js';
import type {SecretStore} from './store-types.js';

/** Refuse piped input beyond this: a secret is short, a mistaken `< big-file` is not. */
export const MAX_SECRET_BYTES = 64 * 1024;

/** Interactive questions; the default is @inquirer/prompts on stderr, tests pass their own. */
export interface Prompter {
  password(message: string): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
}

export interface SecretInput {
  /** Where a piped value comes from; a TTY means "ask with a hidden prompt". Default `process.stdin`. */
  stdin?: NodeJS.ReadableStream & {isTTY?: boolean};
  prompter?: Prompter;
}

export interface StoreChoice {
  /** The store to use; default: the OS keychain via `openKeychain()`. */
  store?: SecretStore;
}

export interface SetSecretOptions extends SecretInput, StoreChoice {
  name: string;
  /** Replace an existing value without asking. */
  force?: boolean;
}

export interface SetSecretResult {
  name: string;
  account: string;
  /** Where the value went, e.g. "Secret Service keychain (D-Bus)". */
  store: string;
  /** True when an earlier value was replaced. */
  replaced: boolean;
  /** How configs refer to it: `${NAME}`. */
  reference: string;
}

/**
 * Store a secret. Order matters: the keychain is proven usable and the overwrite question
 * settled before the user types anything, so a failure never wastes or strands a value.
 * @throws UserError `E_SECRET_NAME` (bad name, exit 2), `E_NO_KEYCHAIN` (exit 3, nothing
 *   stored), `E_SECRET_EXISTS` (exists, no `force`, cannot ask; exit 1), `E_EMPTY_VALUE`,
 *   `E_VALUE_TOO_LARGE` (exit 2), `E_CANCELLED` (prompt aborted, exit 130).
 */
export async function setSecret(options: SetSecretOptions): Promise<SetSecretResult> {
  const name = validateSecretName(options.name);
  const account = secretAccount(name);
  const stdin = options.stdin ?? process.stdin;
  const interactive = stdin.isTTY === true;
  const store = await openStore(options, 'Nothing was stored.');
  const existing = (await store.get(account)) !== undefined;
  if (existing && !options.force) {
    const ask = interactive ? await prompterFor(options) : undefined;
    const replace = ask ? await cancellable(() => ask.confirm(`${name} already exists in ${store.description}. Replace it?`, false)) : false;
    if (!replace) {
      throw new UserError(`A secret named ${name} already exists in ${store.description}; it was left unchanged.`, {
        code: 'E_SECRET_EXISTS',
        exitCode: ExitCode.findings,
        hint: `Pass --force to replace it: mcpx secrets set ${name} --force`,
      });
    }
  }
  const value = interactive
    ? await cancellable(async () => (await prompterFor(options)).password(`Value for ${name} (input is hidden):`))
    : await readPipedValue(stdin);
  if (value.length === 0) {
    throw new UserError(`The value for ${name} is empty; nothing was stored.`, {
      code: 'E_EMPTY_VALUE',
      hint: interactive ? 'Type or paste the value at the prompt.' : `Pipe the value in, e.g. printf '%s' "$VALUE" | mcpx secrets set ${name}`,
    });
  }
  await store.set(account, value);
  return {name, account, store: store.description, replaced: existing, reference: `\${${name}}`};
}

export interface GetSecretResult {
  name: string;
  value: string;
}

/**
 * Read a secret's value (the one place mcpx shows a value: for scripts).
 * @throws UserError `E_SECRET_NOT_FOUND` (exit 1) naming close matches; `E_NO_KEYCHAIN`.
 */
export async function getSecret(options: {name: string} & StoreChoice): Promise<GetSecretResult> {
  const name = validateSecretName(options.name);
  const store = await openStore(options);
  const value = await store.get(secretAccount(name));
  if (value === undefined) throw await notFound(name, store, 'get');
  return {name, value};
}

/** One listed secret. `usedBy` (config entries that reference it) is filled when a usage source is given. */
export interface SecretListing {
  name: string;
  usedBy?: string[];
}

export interface ListSecretsResult {
  store: string;
  secrets: SecretListing[];
}

/** Says which config entries reference each name, e.g. `["~/.cursor/mcp.json: github"]`. */
export type SecretUsage = (names: string[]) => Promise<Map<string, string[]>>;

/**
 * The names of stored secrets, sorted; never their values. With `usage`, each listing carries
 * `usedBy` (empty array when nothing references it).
 * @throws UserError `E_NO_KEYCHAIN`.
 */
export async function listSecrets(options: StoreChoice & {usage?: SecretUsage} = {}): Promise<ListSecretsResult> {
  const store = await openStore(options);
  const names = (await store.list()).map(secretNameOf).filter((n): n is string => n !== undefined).sort();
  const usage = options.usage ? await options.usage(names) : undefined;
  return {
    store: store.description,
    secrets: names.map((name) => (usage ? {name, usedBy: usage.get(name) ?? []} : {name})),
  };
}

/** Text for `mcpx secrets list`: one name per line, with a USED BY column once usage is known. */
export function renderSecretList(result: ListSecretsResult): string {
  if (result.secrets.length === 0) return `No secrets stored in ${result.store}.\nAdd one with: mcpx secrets set NAME`;
  const header = `${result.secrets.length} secret${result.secrets.length === 1 ? '' : 's'} in ${result.store}:`;
  const withUsage = result.secrets.some((s) => s.usedBy !== undefined);
  if (!withUsage) return [header, ...result.secrets.map((s) => `  ${s.name}`)].join('\n');
  const width = Math.max(4, ...result.secrets.map((s) => s.name.length));
  const rows = result.secrets.map((s) => `  ${s.name.padEnd(width)}  ${s.usedBy && s.usedBy.length > 0 ? s.usedBy.join(', ') : '(unused)'}`);
  return [header, `  ${'NAME'.padEnd(width)}  USED BY`, ...rows].join('\n');
}

export interface RemoveSecretResult {
  name: string;
  store: string;
  removed: true;
}

/**
 * Delete a secret (every part of a long one).
 * @throws UserError `E_SECRET_NOT_FOUND` (exit 1); `E_NO_KEYCHAIN`.
 */
export async function removeSecret(options: {name: string} & StoreChoice): Promise<RemoveSecretResult> {
  const name = validateSecretName(options.name);
  const store = await openStore(options);
  if (!(await store.delete(secretAccount(name)))) throw await notFound(name, store, 'rm');
  return {name, store: store.description, removed: true};
}

/**
 * Read a piped value: all of stdin, minus one trailing newline (what `echo` and most files add).
 * @throws UserError `E_VALUE_TOO_LARGE` beyond 64 KiB; `E_VALUE_ENCODING` when not UTF-8.
 */
export async function readPipedValue(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buf.length;
    if (size > MAX_SECRET_BYTES) {
      throw new UserError(`The piped value is larger than ${MAX_SECRET_BYTES / 1024} KiB; nothing was stored.`, {
        code: 'E_VALUE_TOO_LARGE',
        hint: 'Pipe only the secret itself, not a whole file.',
      });
    }
    chunks.push(buf);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(Buffer.concat(chunks));
  } catch {
    throw new UserError('The piped value is not valid UTF-8 text; nothing was stored.', {
      code: 'E_VALUE_ENCODING',
      hint: 'Encode binary secrets as text first (e.g. base64).',
    });
  }
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

async function openStore(options: StoreChoice, onFailure?: string): Promise<SecretStore> {
  if (options.store) return options.store;
  const {openKeychain} = await import('./store.js');
  try {
    return await openKeychain();
  } catch (error) {
    if (onFailure && error instanceof UserError && error.code === 'E_NO_KEYCHAIN') {
      throw new UserError(`${error.message} ${onFailure}`, {code: error.code, exitCode: error.exitCode, hint: error.hint, cause: error.cause});
    }
    throw error;
  }
}

/** `get` of a missing name: store it next; `rm`: nothing to remove, so see what there is. */
async function notFound(name: string, store: SecretStore, operation: 'get' | 'rm'): Promise<UserError> {
  const names = (await store.list()).map(secretNameOf).filter((n): n is string => n !== undefined);
  const close = suggest(name, names, 2);
  const didYouMean = close.length > 0 ? ` Did you mean ${close.join(' or ')}?` : '';
  return new UserError(`No secret named ${name} in ${store.description}.${didYouMean}`, {
    code: 'E_SECRET_NOT_FOUND',
    exitCode: ExitCode.findings,
    hint:
      operation === 'rm' || close.length > 0
        ? `See what is stored: mcpx secrets list`
        : `Store it with: mcpx secrets set ${name}   (see what is stored: mcpx secrets list)`,
  });
}

async function prompterFor(options: SecretInput): Promise<Prompter> {
  if (options.prompter) return options.prompter;
  const {password, confirm} = await import('@inquirer/prompts');
  // Prompts go to stderr so stdout stays clean for --json.
  const context = {output: process.stderr};
  return {
    password: (message) => password({message, mask: '*'}, context),
    confirm: (message, defaultValue) => confirm({message, default: defaultValue}, context),
  };
}

/** Ctrl-C at a prompt is a choice, not a crash. */
async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
      throw new UserError('Cancelled; nothing was stored.', {code: 'E_CANCELLED', exitCode: 130});
    }
    throw error;
  }
}
