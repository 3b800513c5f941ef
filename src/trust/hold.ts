/**
 * Hold decisions (issue 15): compare what a server lists now with its pins and say, item by item,
 * whether it is served or held for review, and what the server's store entry becomes. Pure: the
 * caller reads and writes the store (src/proxy/pinning.ts in serve, src/trust/review.ts for the
 * `mcpx tools` commands). The same function runs again on the store re-read under its lock, so
 * two processes that decide at once agree (merge on write).
 */
import {COLLECTIONS, type HeldFinding, type HeldItem, type HeldItems, type PinKind, type ServerPins, setPinOf} from './pins.js';

/** `pinning`: hold new and changed items, only warn, or pin nothing. */
export type PinningMode = 'hold' | 'warn' | 'off';
/** `newServers`: a server with no pins yet is trusted on first use, or all its items are held. */
export type NewServersMode = 'hold' | 'trust';
/** `scan`: an item with an error-level finding of the poisoning rules is held, only warned about, or not scanned. */
export type ScanMode = 'hold' | 'warn' | 'off';

export interface PinPolicy {
  pinning: PinningMode;
  newServers: NewServersMode;
  scan: ScanMode;
}

export const DEFAULT_POLICY: PinPolicy = {pinning: 'hold', newServers: 'trust', scan: 'hold'};

/** A server's policy: its own options, else the config's, else the defaults. */
export function policyOf(server: Partial<PinPolicy>, global: Partial<PinPolicy> = {}): PinPolicy {
  return {
    pinning: server.pinning ?? global.pinning ?? DEFAULT_POLICY.pinning,
    newServers: server.newServers ?? global.newServers ?? DEFAULT_POLICY.newServers,
    scan: server.scan ?? global.scan ?? DEFAULT_POLICY.scan,
  };
}

/**
 * What became of one listed (or once pinned) item:
 * - pinned: its pin is the approved one (served);
 * - new / changed: not pinned yet, or pinned with another definition;
 * - flagged: first sight of a trusted-on-first-use server, but the poisoning rules found an error;
 * - rejected: a person refused exactly this definition (`mcpx tools reject`);
 * - unpinned: pinning is off for the server and nothing flagged it (served);
 * - unchecked: the pin store cannot be read (held: fail closed);
 * - removed: pinned, no longer listed (nothing to serve).
 */
export type ItemState = 'pinned' | 'new' | 'changed' | 'flagged' | 'rejected' | 'unpinned' | 'unchecked' | 'removed';

export interface ItemVerdict {
  kind: PinKind;
  name: string;
  state: ItemState;
  /** Not served: absent from listings and search, calls refused. */
  held: boolean;
  /** Error-level findings of the poisoning rules (only for items not approved). */
  findings?: HeldFinding[];
  /** Top-level fields that differ from the approved definition (changed items). */
  changedFields?: string[];
  /** The server had no pins before this listing. */
  newServer?: boolean;
  /** Trusted on first use in a listing that is still part of the server's first use (EvaluateOptions). */
  firstUse?: boolean;
}

/** The items of `current` not yet approved, to be scanned: `kind` and `name` with the definition. */
export type Scanner = (items: ReadonlyArray<{kind: PinKind; name: string; definition: Record<string, unknown>}>) => Map<string, HeldFinding[]>;

/** Key of an item in verdict maps and scanner results. */
export function itemKey(kind: PinKind, name: string): string {
  return `${kind}:${name}`;
}

export interface Evaluation {
  verdicts: ItemVerdict[];
  /** The server's store entry after this listing; undefined: leave the store as it is. */
  next?: ServerPins;
}

const KINDS = Object.keys(COLLECTIONS) as PinKind[];

export interface EvaluateOptions {
  /**
   * The listing is still part of the server's first use (serve trusted it on first use moments
   * ago and this is its first listing under the client's capabilities, docs/pinning.md): an item
   * never seen before is trusted on first use as on a new server. Pinned items that changed,
   * items held before and flagged ones are still held.
   */
  firstUse?: boolean;
}

/**
 * Decide every item of `current` (the pins of a server's listing, pinsOfCatalog) against the
 * stored entry `stored` (undefined: a server never seen). `scan` is called once, with the items
 * not approved, and only when the policy scans. `now` stamps new entries; entries already
 * stored keep their times, so an unchanged listing gives an unchanged entry (`next` undefined).
 */
export function evaluatePins(stored: ServerPins | undefined, current: ServerPins, policy: PinPolicy, scan: Scanner, now = Date.now(), options: EvaluateOptions = {}): Evaluation {
  // A server nothing of which was ever approved is still new (under newServers "hold" its entry holds items only).
  const newServer = stored === undefined || KINDS.every((k) => Object.keys(stored[COLLECTIONS[k]]).length === 0);
  const unapproved: Array<{kind: PinKind; name: string; definition: Record<string, unknown>}> = [];
  for (const kind of KINDS) {
    const key = COLLECTIONS[kind];
    for (const [name, item] of Object.entries(current[key])) {
      if (stored?.[key][name]?.pin !== item.pin) unapproved.push({kind, name, definition: item.definition});
    }
  }
  const findings = policy.scan !== 'off' && unapproved.length ? scan(unapproved) : new Map<string, HeldFinding[]>();
  const approved: Pick<ServerPins, 'tools' | 'prompts' | 'resourceTemplates'> = {tools: {...stored?.tools}, prompts: {...stored?.prompts}, resourceTemplates: {...stored?.resourceTemplates}};
  const held: HeldItems = {tools: {}, prompts: {}, resourceTemplates: {}};
  const verdicts: ItemVerdict[] = [];
  for (const kind of KINDS) {
    const key = COLLECTIONS[kind];
    for (const [name, item] of Object.entries(current[key])) {
      const pinned = stored?.[key][name];
      if (pinned?.pin === item.pin) {
        verdicts.push({kind, name, state: 'pinned', held: false});
        continue;
      }
      const found = findings.get(itemKey(kind, name)) ?? [];
      const flagged = policy.scan === 'hold' && found.length > 0;
      const before = stored?.held?.[key][name];
      const sameAsBefore = before?.pin === item.pin;
      const base = {kind, name, ...(found.length ? {findings: found} : {}), ...(newServer ? {newServer} : {})};
      const record = (reason: HeldItem['reason']) => {
        held[key][name] = sameAsBefore ? before! : {pin: item.pin, definition: item.definition, seenAt: now, reason, ...(found.length ? {findings: found} : {})};
      };
      if (sameAsBefore && before!.rejected) {
        held[key][name] = before!;
        verdicts.push({...base, state: 'rejected', held: true});
        continue;
      }
      if (policy.pinning === 'off') {
        if (flagged) record('flagged');
        verdicts.push({...base, state: flagged ? 'flagged' : 'unpinned', held: flagged});
        continue;
      }
      if (policy.newServers === 'trust' && !flagged && (newServer || (options.firstUse && !pinned && !before))) {
        // Trust on first use.
        approved[key][name] = {pin: item.pin, definition: item.definition, pinnedAt: now};
        verdicts.push({kind, name, state: 'pinned', held: false, ...(found.length ? {findings: found} : {}), ...(newServer ? {newServer} : {firstUse: true})});
        continue;
      }
      const state: ItemState = pinned ? 'changed' : flagged && (newServer || options.firstUse || (sameAsBefore && before!.reason === 'flagged')) ? 'flagged' : 'new';
      record(state === 'flagged' ? 'flagged' : state === 'changed' ? 'changed' : 'new');
      verdicts.push({...base, state, held: policy.pinning === 'hold' || flagged, ...(pinned ? {changedFields: changedFields(pinned.definition, item.definition)} : {})});
    }
    for (const name of Object.keys(stored?.[key] ?? {})) if (!(name in current[key])) verdicts.push({kind, name, state: 'removed', held: false});
  }
  const listed = KINDS.flatMap((kind) => Object.keys(current[COLLECTIONS[kind]]).map((n) => itemKey(kind, n))).sort();
  const anyHeld = KINDS.some((k) => Object.keys(held[COLLECTIONS[k]]).length > 0);
  // With pinning off the store is only needed for what the rules flagged (so it can be approved).
  if (policy.pinning === 'off' && !anyHeld && !stored?.held) return {verdicts};
  const next: ServerPins = {set: setPinOf(approved), ...approved, ...(anyHeld ? {held} : {}), listed};
  return sameEntry(stored, next) ? {verdicts} : {verdicts, next};
}

/** Every item of `current` held, because the pin store cannot be read (fail closed). */
export function uncheckedVerdicts(current: ServerPins): ItemVerdict[] {
  return KINDS.flatMap((kind) => Object.keys(current[COLLECTIONS[kind]]).map((name) => ({kind, name, state: 'unchecked' as const, held: true})));
}

/** The top-level fields of two definitions that differ. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => JSON.stringify(sortKeys(before[k])) !== JSON.stringify(sortKeys(after[k])));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sortKeys(x)]));
  return v;
}

function sameEntry(a: ServerPins | undefined, b: ServerPins): boolean {
  if (!a) return false;
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
