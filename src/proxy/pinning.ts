/**
 * Tool pinning in `mcpx serve` (docs/pinning.md): the guard the manager asks, for each server's
 * catalog, which tools, prompts and resource templates are held. It reads the pin store once,
 * decides every listing with src/trust/hold.ts, writes what changed under the store's lock
 * (re-deciding on the store as re-read, so two serve processes merge), and notices when another
 * process (`mcpx tools approve`) changed the store: a stat per listing, a re-read only when the
 * file changed. A store that cannot be read holds everything (fail closed).
 */
import fs from 'node:fs';
import {evaluatePins, type ItemVerdict, itemKey, type PinPolicy, type Scanner, uncheckedVerdicts} from '../trust/hold.js';
import {type PinKind, type PinStore, PinStoreError, type ServerPins, parsePinStore, pinsOfCatalog, readPinStore, updatePinStore} from '../trust/pins.js';
import type {Logger} from './log.js';
import {type ServerCatalog, UpstreamError} from './upstream.js';

/**
 * A call (or describe) named a held tool. The message says what changed and the command that
 * reviews it, never the held text itself (it may be the attack). Audited as outcome `held`.
 */
export class HeldError extends UpstreamError {
  constructor(
    readonly tool: string,
    readonly server: string,
    readonly hold: ItemVerdict,
    storeError?: string,
  ) {
    super(heldMessage(tool, server, hold, storeError), {outcome: 'held', errorType: heldErrorType(hold)});
    this.name = 'HeldError';
  }
}

/** The audit log's error type of a held item: `pin-new`, `pin-changed`, `pin-flagged`, `pin-rejected`, `pin-unchecked`. */
export function heldErrorType(v: ItemVerdict): string {
  return `pin-${v.state}`;
}

/** The model-facing reason a tool (or prompt) is held, and what a person runs to review it. */
export function heldMessage(downstream: string, server: string, v: ItemVerdict, storeError?: string): string {
  const what = v.kind === 'tool' ? 'Tool' : v.kind === 'prompt' ? 'Prompt' : 'Resource template';
  const ref = `${server}/${v.name}`;
  const review = `A person must review it: \`mcpx tools diff ${ref}\` shows it, \`mcpx tools approve ${ref}\` releases it. Do not retry it before then.`;
  const rules = v.findings?.length ? ` The poisoning rules flagged it: ${v.findings.map((f) => `${f.ruleId} in ${f.field}`).join(', ')}.` : '';
  switch (v.state) {
    case 'unchecked':
      return `${what} '${downstream}' is held by mcpx: the pin store cannot be read (${storeError ?? 'unknown error'}), so no tool can be checked against its pin (fail closed). Fix that file (\`mcpx tools pins\` shows the problem).`;
    case 'rejected':
      return `${what} '${downstream}' is held by mcpx: a person rejected this definition (\`mcpx tools reject ${ref}\`). It stays unavailable until the server changes it and it is approved.`;
    case 'changed':
      return `${what} '${downstream}' is held by mcpx: its ${(v.changedFields ?? []).join(', ') || 'definition'} changed since it was approved (pinned).${rules} ${review}`;
    case 'flagged':
      return `${what} '${downstream}' is held by mcpx: it is new and the poisoning rules flagged it: ${(v.findings ?? []).map((f) => `${f.ruleId} in ${f.field}`).join(', ')}. ${review}`;
    default:
      return `${what} '${downstream}' is held by mcpx: it is new${v.newServer ? ' (server ' + server + ' has no approved pins yet; newServers: "hold")' : ' since the server was pinned'}.${rules} ${review}`;
  }
}

interface Checked {
  catalog: ServerCatalog;
  pins: ServerPins;
  verdicts: Map<string, ItemVerdict>;
  held: number;
}

export interface HeldSummary {
  tools: number;
  prompts: number;
  resourceTemplates: number;
}

export class PinGuard {
  private store?: PinStore;
  /** Why the store cannot be read (every item is held meanwhile). */
  private failure?: string;
  private signature?: string;
  private loaded?: Promise<void>;
  private readonly checked = new Map<string, Checked>();
  /** Pins computed per catalog object (a catalog is immutable once listed). */
  private readonly pinsCache = new WeakMap<ServerCatalog, ServerPins>();
  /** Warnings already logged (pin mode `warn`), so a refresh does not repeat them. */
  private readonly warned = new Set<string>();
  /** Servers this process trusted on first use (they had no approved pins when it listed them). */
  private readonly trustedFirst = new Set<string>();
  /** Servers whose next listing under this client-capability key is still part of their first use. */
  private readonly firstUseKey = new Map<string, string>();
  /** The poisoning scan, loaded with the store (off serve's start-up path). */
  private holdScanner?: Scanner;

  constructor(
    readonly file: string,
    private readonly policyOf: (server: string) => PinPolicy,
    private readonly log: Logger,
    /** Called when holds changed without a new listing (the store changed under serve). */
    private readonly onChange: (server: string) => void = () => undefined,
  ) {}

  /** Read the store (once); a store that cannot be read is remembered as the failure. */
  load(): Promise<void> {
    return (this.loaded ??= this.reload());
  }

  private async reload(): Promise<void> {
    this.holdScanner ??= (await import('../trust/scan.js')).holdScanner;
    const signature = this.statSignature();
    try {
      this.store = await readPinStore(this.file);
      this.failure = undefined;
    } catch (error) {
      this.store = undefined;
      this.failure = (error as Error).message;
      this.log.error(`${this.failure}: holding every tool until it can be read (fail closed)`);
    }
    this.signature = signature;
  }

  /** The store's message when it cannot be read. */
  get storeError(): string | undefined {
    return this.failure;
  }

  private statSignature(): string {
    try {
      const s = fs.statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
    } catch (error) {
      return `missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
    }
  }

  /**
   * Decide a server's listing (before it is served); writes the store when the decision changes
   * it. Never throws: a store that cannot be read or written is logged, and holds what it must.
   */
  async check(server: string, catalog: ServerCatalog): Promise<void> {
    await this.load();
    this.sync();
    const policy = this.policyOf(server);
    const pins = this.pinsOf(catalog);
    const firstUse = this.trustedFirst.has(server) && this.firstUseKey.get(server) === (catalog.clientKey ?? '');
    if (firstUse) this.firstUseKey.delete(server);
    const decided = this.decide(server, pins, policy, firstUse);
    if (decided.next) {
      try {
        let fresh = decided;
        await updatePinStore(this.file, (store) => {
          fresh = evaluatePins(store.servers[server], pins, policy, this.scanner(), Date.now(), {firstUse});
          if (fresh.next) store.servers[server] = fresh.next;
          this.store = store;
        });
        this.signature = this.statSignature();
        this.failure = undefined;
        this.adopt(server, catalog, pins, fresh.verdicts);
        return;
      } catch (error) {
        if (error instanceof PinStoreError) {
          this.store = undefined;
          this.failure = error.message;
          this.log.error(`${error.message}: holding every tool until it can be read (fail closed)`);
          this.adopt(server, catalog, pins, uncheckedVerdicts(pins));
          return;
        }
        // Decided, but not saved: holds stand for this run; what was trusted on first use is asked again next time.
        this.log.warn(`cannot write the pin store ${this.file}: ${(error as Error).message}`);
      }
    }
    this.adopt(server, catalog, pins, decided.verdicts);
  }

  private decide(server: string, pins: ServerPins, policy: PinPolicy, firstUse = false): {verdicts: ItemVerdict[]; next?: ServerPins} {
    if (!this.store) {
      if (policy.pinning === 'off' && policy.scan === 'off') return {verdicts: []};
      return {verdicts: uncheckedVerdicts(pins)};
    }
    return evaluatePins(this.store.servers[server], pins, policy, this.scanner(), Date.now(), {firstUse});
  }

  /**
   * The client's capabilities came late (serve listed its servers without them): a server this
   * process trusted on first use lists again under `clientKey`, and the items that listing adds
   * are trusted on first use too (docs/pinning.md). One listing: later additions are held.
   */
  extendFirstUse(server: string, clientKey: string): void {
    this.firstUseKey.set(server, clientKey);
  }

  private scanner(): Scanner {
    return this.holdScanner!;
  }

  private adopt(server: string, catalog: ServerCatalog, pins: ServerPins, verdicts: ItemVerdict[]): void {
    const map = new Map<string, ItemVerdict>();
    let held = 0;
    const policy = this.policyOf(server);
    for (const v of verdicts) {
      map.set(itemKey(v.kind, v.name), v);
      if (v.newServer && v.state === 'pinned') this.trustedFirst.add(server);
      if (v.held) held++;
      if (!v.held && (v.state === 'new' || v.state === 'changed') && policy.pinning === 'warn') {
        const key = `${server}\0${itemKey(v.kind, v.name)}\0${pins[v.kind === 'tool' ? 'tools' : v.kind === 'prompt' ? 'prompts' : 'resourceTemplates'][v.name]?.pin}`;
        if (!this.warned.has(key)) {
          this.warned.add(key);
          this.log.warn(`server '${server}': ${v.kind} '${v.name}' is ${v.state === 'new' ? 'new' : `changed (${v.changedFields?.join(', ')})`} since it was pinned; served anyway (pinning: warn). Review: mcpx tools diff ${server}/${v.name}`);
        }
      }
    }
    if (held) this.log.warn(`server '${server}': ${held} item${held === 1 ? '' : 's'} held for review (mcpx tools pins ${server})`);
    this.checked.set(server, {catalog, pins, verdicts: map, held});
  }

  private pinsOf(catalog: ServerCatalog): ServerPins {
    let pins = this.pinsCache.get(catalog);
    if (!pins) {
      pins = pinsOfCatalog(catalog, catalog.fetchedAt);
      this.pinsCache.set(catalog, pins);
    }
    return pins;
  }

  /**
   * Re-read the store when another process changed it (one stat), and re-decide every server
   * checked so far. Synchronous, so listings stay synchronous; returns true when holds changed.
   */
  sync(): boolean {
    if (!this.loaded || this.signature === undefined) return false;
    if (this.statSignature() === this.signature) return false;
    this.signature = this.statSignature();
    try {
      this.store = readPinStoreSync(this.file);
      this.failure = undefined;
    } catch (error) {
      this.store = undefined;
      this.failure = (error as Error).message;
      this.log.error(`${this.failure}: holding every tool until it can be read (fail closed)`);
    }
    let changed = false;
    for (const [server, c] of this.checked) {
      const decided = this.decide(server, c.pins, this.policyOf(server));
      const before = c.verdicts;
      this.adopt(server, c.catalog, c.pins, decided.verdicts);
      const after = this.checked.get(server)!.verdicts;
      const differs = before.size !== after.size || [...after].some(([k, v]) => before.get(k)?.held !== v.held);
      if (differs) {
        changed = true;
        this.onChange(server);
      }
      // The store lost this server's entry (deleted, reset): write the decision in the background.
      if (decided.next) void this.check(server, c.catalog);
    }
    return changed;
  }

  /** The verdict of a held item, or undefined when it is served (or unknown). */
  held(server: string, kind: PinKind, name: string): ItemVerdict | undefined {
    const v = this.checked.get(server)?.verdicts.get(itemKey(kind, name));
    return v?.held ? v : undefined;
  }

  /** How many items of each kind the server has held. */
  heldCounts(server: string): HeldSummary | undefined {
    const c = this.checked.get(server);
    if (!c) return undefined;
    const out: HeldSummary = {tools: 0, prompts: 0, resourceTemplates: 0};
    for (const v of c.verdicts.values()) if (v.held) out[v.kind === 'tool' ? 'tools' : v.kind === 'prompt' ? 'prompts' : 'resourceTemplates']++;
    return out;
  }

  /** Every verdict of a checked server (for `mcpx servers`). */
  verdicts(server: string): ItemVerdict[] {
    return [...(this.checked.get(server)?.verdicts.values() ?? [])];
  }
}

function readPinStoreSync(file: string): PinStore {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {version: 1, servers: {}};
    throw new PinStoreError(`cannot read the pin store ${file}: ${(error as Error).message}`, file);
  }
  return parsePinStore(text, file);
}
