/**
 * The OS keychain as a `SecretStore`: the macOS login keychain, the Windows Credential Manager,
 * or the Secret Service (gnome-keyring, KWallet) over D-Bus on Linux, through @napi-rs/keyring.
 * The native module is loaded lazily and probed once per process; every call has a timeout;
 * values too long for one entry are split over several; an index entry makes `list()` work on
 * every OS. Values never appear in errors or logs.
 */
import {createHash, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {ExitCode, UserError} from '../errors.js';
import {withLock} from '../util/lock.js';
import {mcpxDirs} from '../util/paths.js';
import type {SecretStore} from './store-types.js';

/** The keychain service name every mcpx entry is stored under. */
export const KEYCHAIN_SERVICE = 'mcpx';
/** Default per-call timeout; `MCPX_KEYCHAIN_TIMEOUT_MS` or `timeoutMs` override it. */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 10_000;
/**
 * Longest value kept in one entry, in UTF-16 code units. Windows caps a credential blob at 2,560
 * bytes (1,280 UTF-16 units); one limit on every OS keeps one code path, the one CI tests.
 */
export const DEFAULT_MAX_ENTRY_LENGTH = 1000;

/** Accounts under this prefix belong to mcpx itself (index, probe) and never show in `list()`. */
const INTERNAL_PREFIX = '_mcpx/';
const INDEX_ACCOUNT = `${INTERNAL_PREFIX}index`;
/**
 * The head entry of a split value: `mcpx-chunks:2:<generation>:<parts>:<length>:<sha256, 16 hex>`,
 * its parts at `<account>#<generation>.<n>`, the generation `a` or `b`. Each write uses the
 * generation the current head does not, so the parts a head points at are never overwritten: a
 * process killed half-way through a rewrite leaves the old value whole (old head, old parts) or
 * the new one, never a torn mix. Two generations, not a random one per write, keep the set of
 * entry names (and of the D-Bus connections the native module opens per entry) bounded. Version 1
 * heads (`mcpx-chunks:1:<parts>:<length>:<digest>`, parts at `<account>#<n>`) are still read.
 */
const CHUNK_MARK = 'mcpx-chunks:';
const CHUNK_HEADER = /^mcpx-chunks:(?:1|2:([ab])):(\d{1,6}):(\d{1,9}):([0-9a-f]{16})$/;
/** Separates an account from its part number; `#` cannot occur in account names. */
const PART_SEPARATOR = '#';
const MAX_ACCOUNT_LENGTH = 200;

export interface KeychainOptions {
  /** Service name; tests use their own so they never touch real entries. Default `mcpx`. */
  service?: string;
  /** Per-call timeout in ms. Default `MCPX_KEYCHAIN_TIMEOUT_MS`, else 10 s. */
  timeoutMs?: number;
  /** Longest value per entry before splitting (UTF-16 code units). Default 1,000. */
  maxEntryLength?: number;
  /** For hints and descriptions; default `process.platform`. */
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
}

type KeyringModule = typeof import('@napi-rs/keyring');
type NativeEntry = InstanceType<KeyringModule['AsyncEntry']>;

/** What kind of entry a value is stored as (for tests and diagnostics; never the value). */
export interface EntryLayout {
  /** Number of part entries (`<account>#1..N`); 0 when the value sits in the head entry. */
  parts: number;
}

/**
 * The OS keychain. Obtain one with `openKeychain()`, which proves the keychain works first.
 * Every method may throw `UserError` with code `E_KEYCHAIN_TIMEOUT` (no answer within the
 * timeout) or `E_KEYCHAIN` (the keychain refused), exit code 3.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;
  readonly description: string;
  readonly service: string;
  readonly timeoutMs: number;
  readonly maxEntryLength: number;
  private readonly entries = new Map<string, NativeEntry>();
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly keyring: KeyringModule,
    options: KeychainOptions = {},
  ) {
    const env = options.env ?? process.env;
    this.env = env;
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? timeoutFromEnv(env) ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
    this.maxEntryLength = Math.max(16, options.maxEntryLength ?? DEFAULT_MAX_ENTRY_LENGTH);
    this.description = describeKeychain(options.platform ?? process.platform);
  }

  async get(account: string): Promise<string | undefined> {
    checkAccount(account);
    try {
      return await this.readValue(account);
    } catch (error) {
      // A split value rewritten while we read it fails its checksum; one more read sees it whole.
      if (error instanceof UserError && error.code === 'E_KEYCHAIN_TORN') return this.readValue(account);
      throw error;
    }
  }

  async set(account: string, value: string): Promise<void> {
    checkAccount(account);
    await this.writeValue(account, value);
    await this.updateIndex((accounts) => accounts.add(account));
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    const deleted = await this.deleteValue(account);
    await this.updateIndex((accounts) => accounts.delete(account));
    return deleted;
  }

  async list(): Promise<string[]> {
    return [...(await this.readIndex())].sort();
  }

  /** How a stored value is laid out, or undefined when absent. */
  async layout(account: string): Promise<EntryLayout | undefined> {
    checkAccount(account);
    const head = await this.raw('read', account, (e, signal) => e.getPassword(signal));
    if (head == null) return undefined;
    return {parts: parseHeader(head)?.parts ?? 0};
  }

  /**
   * Write, read back and delete a throwaway entry, proving the keychain stores values.
   * @throws UserError `E_NO_KEYCHAIN` with a hint for this OS when any step fails.
   */
  async probe(platform: NodeJS.Platform = process.platform): Promise<void> {
    const account = `${INTERNAL_PREFIX}probe-${randomBytes(6).toString('hex')}`;
    const token = randomBytes(12).toString('hex');
    try {
      await this.raw('write', account, (e, signal) => e.setPassword(token, signal));
      const back = await this.raw('read', account, (e, signal) => e.getPassword(signal));
      await this.raw('delete', account, (e, signal) => e.deleteCredential(signal));
      if (back !== token) throw new Error('a value written to the keychain read back differently');
    } catch (error) {
      throw noKeychainError(error, platform);
    } finally {
      this.entries.delete(account);
    }
  }

  private async readValue(account: string): Promise<string | undefined> {
    const head = await this.raw('read', account, (e, signal) => e.getPassword(signal));
    if (head == null) return undefined;
    const header = parseHeader(head);
    if (!header) return head;
    const parts: string[] = [];
    for (let i = 1; i <= header.parts; i++) {
      const part = await this.raw('read', partAccount(account, i, header.generation), (e, signal) => e.getPassword(signal));
      if (part == null) throw tornError(account);
      parts.push(part);
    }
    const value = parts.join('');
    if (value.length !== header.length || digest(value) !== header.digest) throw tornError(account);
    return value;
  }

  private async writeValue(account: string, value: string): Promise<void> {
    const previous = await this.raw('read', account, (e, signal) => e.getPassword(signal));
    const old = previous == null ? undefined : parseHeader(previous);
    // A short value that merely looks like a header is split too, so a head entry is never ambiguous.
    const parts = value.length <= this.maxEntryLength && !value.startsWith(CHUNK_MARK) ? [] : splitValue(value, this.maxEntryLength);
    if (parts.length === 0) {
      await this.raw('write', account, (e, signal) => e.setPassword(value, signal));
    } else {
      // New parts under a new generation first, head last: until the head is replaced, readers
      // (and a process killed here) still see the old value whole; afterwards, the new one.
      const generation = old?.generation === 'a' ? 'b' : 'a';
      for (const [i, part] of parts.entries()) {
        await this.raw('write', partAccount(account, i + 1, generation), (e, signal) => e.setPassword(part, signal));
      }
      const header = `${CHUNK_MARK}2:${generation}:${parts.length}:${value.length}:${digest(value)}`;
      await this.raw('write', account, (e, signal) => e.setPassword(header, signal));
    }
    // The old parts are unreachable now. A kill before this loop leaves them as unreferenced
    // entries in the keychain (never read; the next write of that generation overwrites them).
    for (let i = 1; i <= (old?.parts ?? 0); i++) {
      await this.raw('delete', partAccount(account, i, old!.generation), (e, signal) => e.deleteCredential(signal));
    }
  }

  private async deleteValue(account: string): Promise<boolean> {
    const head = await this.raw('read', account, (e, signal) => e.getPassword(signal));
    if (head == null) return false;
    const header = parseHeader(head);
    // Head first: once it is gone the value is gone for every reader, even if a part delete fails.
    const deleted = await this.raw('delete', account, (e, signal) => e.deleteCredential(signal));
    for (let i = 1; i <= (header?.parts ?? 0); i++) {
      await this.raw('delete', partAccount(account, i, header!.generation), (e, signal) => e.deleteCredential(signal));
    }
    return deleted;
  }

  private async readIndex(): Promise<Set<string>> {
    return (await this.readIndexState()).accounts;
  }

  /** The index, or (`rebuilt`) what the keychain search finds when the index is torn. */
  private async readIndexState(): Promise<{accounts: Set<string>; rebuilt: boolean}> {
    let text: string | undefined;
    try {
      text = await this.readValue(INDEX_ACCOUNT);
    } catch (error) {
      if (!(error instanceof UserError && error.code === 'E_KEYCHAIN_TORN')) throw error;
      // An index torn by an older mcpx killed mid-write (it rewrote parts in place): rebuild it
      // from the keychain's own search, which every backend of @napi-rs/keyring supports.
      return {accounts: await this.searchAccounts(), rebuilt: true};
    }
    return {accounts: parseIndex(text, this.service), rebuilt: false};
  }


  /** The accounts the keychain itself lists for this service, without parts and internal entries. */
  private async searchAccounts(): Promise<Set<string>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const found = await this.keyring.findCredentialsAsync(this.service, undefined, controller.signal);
      return new Set(found.map((c) => c.account).filter((a) => !a.startsWith(INTERNAL_PREFIX) && !a.includes(PART_SEPARATOR)));
    } catch (error) {
      throw new UserError(`The keychain index of mcpx (service "${this.service}") is incomplete and the keychain could not be searched: ${nativeMessage(error)}`, {
        code: 'E_KEYCHAIN_INDEX',
        exitCode: ExitCode.failure,
        hint: `Delete the entry "${INDEX_ACCOUNT}" with your keychain tool; stored secrets stay, and each one is listed again once it is set again.`,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Read-modify-write of the index, one at a time per service: in this process by a queue, across
   * processes by a lock file (keychains have no transactions, so two `mcpx secrets set` running
   * at once would otherwise lose one update). Where no lock file can be made (read-only cache
   * folder), only the in-process queue applies.
   */
  private async updateIndex(change: (accounts: Set<string>) => unknown): Promise<void> {
    await serialize(`${this.service}\0index`, () => this.withIndexLock(() => this.rewriteIndex(change)));
  }

  private async withIndexLock(fn: () => Promise<void>): Promise<void> {
    const file = path.join(mcpxDirs(this.env).cache, 'locks', `keychain-${createHash('sha256').update(this.service).digest('hex').slice(0, 16)}.lock`);
    let ran = false;
    try {
      await withLock(
        file,
        async () => {
          ran = true;
          await fn();
        },
        {waitMs: 15_000, staleMs: 30_000, code: 'E_KEYCHAIN_LOCK'},
      );
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (ran || !(code === 'EACCES' || code === 'EROFS' || code === 'EPERM')) throw error;
      await fn();
    }
  }

  private async rewriteIndex(change: (accounts: Set<string>) => unknown): Promise<void> {
    const {accounts, rebuilt} = await this.readIndexState();
    const before = JSON.stringify([...accounts].sort());
    change(accounts);
    const after = [...accounts].sort();
    // A rebuilt index is written back even when this change is already in it (the search sees
    // the value just stored), so the torn entry is replaced.
    if (JSON.stringify(after) === before && !rebuilt) return;
    if (after.length === 0) {
      await this.deleteValue(INDEX_ACCOUNT);
      return;
    }
    await this.writeValue(INDEX_ACCOUNT, JSON.stringify({version: 1, accounts: after}));
  }

  /** One native call with the timeout; errors become `UserError`s that name the account, never a value. */
  private async raw<T>(action: 'read' | 'write' | 'delete', account: string, call: (entry: NativeEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(timeoutError(action, account, this.timeoutMs, this.description));
      }, this.timeoutMs);
    });
    // The native call cannot be interrupted once running; its late outcome is dropped.
    const pending = Promise.resolve().then(() => call(this.entry(account), controller.signal));
    pending.catch(() => undefined);
    try {
      return await Promise.race([pending, timedOut]);
    } catch (error) {
      // A broken connection may sit in a cached entry; the next call builds a fresh one.
      this.entries.delete(account);
      if (error instanceof UserError) throw error;
      if (isNoReply(error)) throw timeoutError(action, account, this.timeoutMs, this.description, error);
      throw new UserError(`The keychain could not ${action} "${account}" (service "${this.service}"): ${nativeMessage(error)}`, {
        code: 'E_KEYCHAIN',
        exitCode: ExitCode.failure,
        hint: `Check that ${this.description} is unlocked and working, then try again.`,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private entry(account: string): NativeEntry {
    let entry = this.entries.get(account);
    if (!entry) {
      // Pin the Secret Service on Linux: the kernel keyring fallback forgets everything on reboot.
      // On Linux this constructor talks to D-Bus synchronously (no timer can interrupt it); the
      // Secret Service client bounds each D-Bus call at about 2 s, so a hung daemon still fails.
      entry = new this.keyring.AsyncEntry(this.service, account, {linux: {store: 'secret-service'}});
      this.entries.set(account, entry);
    }
    return entry;
  }
}

const probes = new Map<string, Promise<KeyringModule>>();

/**
 * Open the OS keychain: load the native module and, once per process and service, prove that a
 * value can be written, read back and deleted.
 * @throws UserError `E_NO_KEYCHAIN` (exit 3) when no persistent keychain is usable; its hint
 *   says how to get one on this OS. Nothing has been stored when it throws.
 */
export async function openKeychain(options: KeychainOptions = {}): Promise<KeychainStore> {
  const platform = options.platform ?? process.platform;
  // MCPX_KEYCHAIN_SERVICE keeps separate sets of secrets apart (tests, several profiles).
  const service = options.service ?? (options.env ?? process.env).MCPX_KEYCHAIN_SERVICE ?? KEYCHAIN_SERVICE;
  options = {...options, service};
  let probe = probes.get(service);
  if (!probe) {
    probe = (async () => {
      const keyring = await loadKeyring(platform);
      await new KeychainStore(keyring, options).probe(platform);
      return keyring;
    })();
    probes.set(service, probe);
  }
  return new KeychainStore(await probe, options);
}

/** Forget cached probe results, so the next `openKeychain()` probes again (tests, long-running serve). */
export function forgetKeychainProbes(): void {
  probes.clear();
}

/** Where values go, for humans: "Secret Service (D-Bus)", "macOS login keychain"… */
export function describeKeychain(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS login keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service keychain (D-Bus)';
}

/**
 * The session bus to use when `DBUS_SESSION_BUS_ADDRESS` is unset, as under MCP clients that start
 * servers with only HOME, LOGNAME, PATH, SHELL, TERM and USER: `$XDG_RUNTIME_DIR/bus`, then the
 * systemd default `/run/user/<uid>/bus`, the first that is a socket. Undefined when the variable
 * is set or neither socket exists (the probe then reports the missing bus).
 */
export function fallbackBusAddress(
  env: NodeJS.ProcessEnv,
  uid: number | null = process.getuid?.() ?? null,
  isSocket: (file: string) => boolean = (file) => fs.statSync(file, {throwIfNoEntry: false})?.isSocket() ?? false,
): string | undefined {
  if (env.DBUS_SESSION_BUS_ADDRESS) return undefined;
  const dirs = [env.XDG_RUNTIME_DIR, uid === null ? undefined : `/run/user/${uid}`];
  for (const dir of dirs) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const socket = path.join(dir, 'bus');
    // D-Bus addresses escape everything but a few safe characters.
    if (isSocket(socket)) return `unix:path=${socket.replace(/[^\w\-./]/gu, (c) => [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''))}`;
  }
  return undefined;
}

async function loadKeyring(platform: NodeJS.Platform): Promise<KeyringModule> {
  if (platform === 'linux') {
    // The native module reads the variable when it connects; set it before the first load.
    const address = fallbackBusAddress(process.env);
    if (address) process.env.DBUS_SESSION_BUS_ADDRESS = address;
  }
  try {
    return await import('@napi-rs/keyring');
  } catch (error) {
    throw new UserError(`The keychain module could not be loaded on ${platform}-${process.arch}: ${nativeMessage(error)}`, {
      code: 'E_NO_KEYCHAIN',
      exitCode: ExitCode.failure,
      hint: 'Reinstall mcpx (npm install -g mcpx) so npm fetches the @napi-rs/keyring binary for this platform.',
      cause: error,
    });
  }
}

/** Turn a failed probe into the one error that says what is missing and how to get it. */
function noKeychainError(error: unknown, platform: NodeJS.Platform): UserError {
  const native = nativeMessage(error);
  const fail = (message: string, hint: string) =>
    new UserError(`No usable keychain: ${message}`, {code: 'E_NO_KEYCHAIN', exitCode: ExitCode.failure, hint, cause: error});
  if (platform === 'darwin') {
    return fail(`the macOS login keychain refused a test entry (${native}).`, 'Unlock the login keychain (`security unlock-keychain`), or run mcpx in a logged-in macOS session rather than over plain SSH.');
  }
  if (platform === 'win32') {
    return fail(`the Windows Credential Manager refused a test entry (${native}).`, 'Run mcpx as a logged-in user with a loaded profile; the Credential Manager is unavailable to some service accounts.');
  }
  const startKeyring = '`gnome-keyring-daemon --unlock --components=secrets --daemonize` (type a keyring password, then Ctrl-D)';
  if (error instanceof UserError && error.code === 'E_KEYCHAIN_TIMEOUT') {
    return fail(`the Secret Service did not answer (${native}).`, `If a keyring unlock prompt is open, answer it; otherwise restart gnome-keyring or KWallet, or start a fresh one with ${startKeyring}.`);
  }
  if (/autolaunch|Failed to connect to socket|DBUS_SESSION_BUS_ADDRESS|Connection refused|No such file or directory|Unable to autolaunch/i.test(native)) {
    return fail(
      'no D-Bus session bus is reachable, so the Secret Service (gnome-keyring, KWallet) cannot be used.',
      `Run mcpx inside a desktop session (GNOME, KDE…), or open a shell with its own session bus (\`dbus-run-session -- $SHELL\`) and start a keyring there: ${startKeyring}.`,
    );
  }
  if (/ServiceUnknown|not provided by any \.service files|org\.freedesktop\.secrets/i.test(native)) {
    return fail(
      'no Secret Service provider (gnome-keyring, KWallet) is running on the D-Bus session bus.',
      `Install one (Debian/Ubuntu: \`sudo apt install gnome-keyring\`), then log in to a desktop session or run ${startKeyring}.`,
    );
  }
  if (/no result found|locked|NoSuchObject|dismissed|NoEntry/i.test(native)) {
    return fail(
      `the Secret Service has no unlocked default keyring (${native}).`,
      `Unlock or create the login keyring: log in to the desktop session, or run ${startKeyring.replace('--unlock', '--replace --unlock')}.`,
    );
  }
  return fail(
    `the Secret Service refused a test entry (${native}).`,
    `Check that gnome-keyring or KWallet runs in this session with an unlocked default keyring; to start one: ${startKeyring}.`,
  );
}

/** The accounts of an index entry's text (undefined: no index yet). */
function parseIndex(text: string | undefined, service: string): Set<string> {
  if (text === undefined) return new Set();
  try {
    const parsed = JSON.parse(text) as {version?: unknown; accounts?: unknown};
    if (parsed.version === 1 && Array.isArray(parsed.accounts) && parsed.accounts.every((a) => typeof a === 'string')) {
      return new Set(parsed.accounts as string[]);
    }
  } catch {
    // fall through to the error below
  }
  throw new UserError(`The keychain index of mcpx (service "${service}", account "${INDEX_ACCOUNT}") is unreadable.`, {
    code: 'E_KEYCHAIN_INDEX',
    exitCode: ExitCode.failure,
    hint: `Delete that entry with your keychain tool; stored secrets stay, and each one is listed again once it is set again.`,
  });
}

function timeoutError(action: string, account: string, timeoutMs: number, description: string, cause?: unknown): UserError {
  const seconds = timeoutMs >= 1000 ? `${(timeoutMs / 1000).toFixed(timeoutMs % 1000 === 0 ? 0 : 1)} s` : `${timeoutMs} ms`;
  return new UserError(`The keychain did not answer a ${action} of "${account}" within ${cause ? 'its D-Bus timeout' : seconds}.`, {
    code: 'E_KEYCHAIN_TIMEOUT',
    exitCode: ExitCode.failure,
    hint: `If an unlock prompt for ${description} is open, answer it; otherwise check that it is running, then try again (MCPX_KEYCHAIN_TIMEOUT_MS sets the limit).`,
    cause,
  });
}

function tornError(account: string): UserError {
  return new UserError(`The keychain value of "${account}" is incomplete (a part is missing or does not match).`, {
    code: 'E_KEYCHAIN_TORN',
    exitCode: ExitCode.failure,
    hint: 'Set the value again; if another mcpx was writing it at the same moment, simply retry.',
  });
}

function isNoReply(error: unknown): boolean {
  return /Did not receive a reply|NoReply|timed? ?out/i.test(nativeMessage(error));
}

/** The native error's message (unwrapping our own wrapper), on one line. */
function nativeMessage(error: unknown): string {
  if (error instanceof UserError && error.cause !== undefined) return nativeMessage(error.cause);
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function timeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.MCPX_KEYCHAIN_TIMEOUT_MS;
  if (!raw) return undefined;
  const ms = Number(raw);
  return Number.isInteger(ms) && ms > 0 ? ms : undefined;
}

/** Accounts are `<namespace>/<name>`; `#` is kept for part numbers and `_mcpx/` for mcpx itself. */
function checkAccount(account: string): void {
  const slash = account.indexOf('/');
  // eslint-disable-next-line no-control-regex
  const valid = slash > 0 && slash < account.length - 1 && account.length <= MAX_ACCOUNT_LENGTH && !/[#\u0000-\u001f\u007f]/.test(account);
  if (!valid || account.startsWith(INTERNAL_PREFIX)) {
    throw new UserError(`${JSON.stringify(account.slice(0, 80))} is not a valid keychain account for mcpx.`, {
      code: 'E_KEYCHAIN_ACCOUNT',
      hint: `Use \`<namespace>/<name>\` without "#" or control characters, at most ${MAX_ACCOUNT_LENGTH} characters, e.g. env/GITHUB_TOKEN; \`${INTERNAL_PREFIX}\` is reserved.`,
    });
  }
}

/** `<account>#<generation>.<n>`, or `<account>#<n>` for a version 1 head (no generation). */
function partAccount(account: string, part: number, generation: string | undefined): string {
  return `${account}${PART_SEPARATOR}${generation === undefined ? '' : `${generation}.`}${part}`;
}

function parseHeader(head: string): {generation: string | undefined; parts: number; length: number; digest: string} | undefined {
  const m = CHUNK_HEADER.exec(head);
  if (!m) return undefined;
  return {generation: m[1], parts: Number(m[2]), length: Number(m[3]), digest: m[4]!};
}

function digest(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 16);
}

/** Split into pieces of at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function splitValue(value: string, max: number): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < value.length) {
    let end = Math.min(start + max, value.length);
    const last = value.charCodeAt(end - 1);
    if (end < value.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(value.slice(start, end));
    start = end;
  }
  return parts.length > 0 ? parts : [''];
}

const queues = new Map<string, Promise<unknown>>();

/** Run `task` after every earlier task with the same key has settled. */
async function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}
