/**
 * Tool pins (issue 15, first part): a pin is the SHA-256 of the canonical JSON of everything the
 * model sees of a tool (name, title, description, inputSchema, outputSchema, annotations), of a
 * prompt or of a resource template; a server's set pin covers the names and pins of all its
 * items, so additions, removals and renames show. Pins live in one file under mcpx's config
 * folder (0600, written atomically); every update takes a lock, re-reads the file and merges, so
 * two `mcpx serve` processes never lose each other's pins. A store that exists but cannot be read
 * or parsed is an error (PinStoreError): callers must fail closed, never treat it as empty.
 * Besides the approved pins, a server's entry records the items serve holds for review (what it
 * saw, and why) and the names of its last listing, so `mcpx tools pins/diff/approve` work from
 * the store alone. The hold decisions are in ./hold.ts; serve wires them in src/proxy/pinning.ts.
 */
import {createHash} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {writeAtomically} from '../util/atomic-write.js';
import {withLock} from '../util/lock.js';
import {mcpxDirs} from '../util/paths.js';
import {stableJson} from '../util/stable-json.js';

export type PinKind = 'tool' | 'prompt' | 'resourceTemplate';

/** The fields of each kind the model sees (and so the only ones a pin covers). */
const FIELDS: Record<PinKind, readonly string[]> = {
  tool: ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'],
  prompt: ['name', 'title', 'description', 'arguments'],
  resourceTemplate: ['name', 'title', 'description', 'uriTemplate', 'mimeType', 'annotations'],
};

/** What the model sees of an item: the pinned fields only, as they came. */
export function visiblePart(kind: PinKind, item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS[kind]) if (item[f] !== undefined) out[f] = item[f];
  return out;
}

/** The pin of one item: sha256 (hex) of the canonical JSON of its visible part. */
export function pinOf(kind: PinKind, item: Record<string, unknown>): string {
  return createHash('sha256').update(`${kind}\0${stableJson(visiblePart(kind, item))}`).digest('hex');
}

/** A pinned item: its pin and what was pinned (kept so a diff can show what changed). */
export interface PinnedItem {
  pin: string;
  definition: Record<string, unknown>;
  pinnedAt: number;
}

export interface ServerPins {
  /** Pin over the server's whole set (see setPinOf). */
  set: string;
  tools: Record<string, PinnedItem>;
  prompts: Record<string, PinnedItem>;
  resourceTemplates: Record<string, PinnedItem>;
  /** Items listed but not approved: what serve saw of each and why it holds it (./hold.ts). */
  held?: HeldItems;
  /** `kind:name` of every item in the server's last listing, sorted (shows removals). */
  listed?: string[];
}

/** Why an item is held: not pinned before, pinned with another definition, or flagged by the poisoning rules. */
export type HeldReason = 'new' | 'changed' | 'flagged';

/** An error-level finding of the poisoning rules (src/trust/scan.ts) on a held item. */
export interface HeldFinding {
  ruleId: string;
  field: string;
  message: string;
}

export interface HeldItem {
  pin: string;
  definition: Record<string, unknown>;
  /** When serve first saw this definition. */
  seenAt: number;
  reason: HeldReason;
  findings?: HeldFinding[];
  /** `mcpx tools reject`: a person refused this definition; it stays held until it changes. */
  rejected?: boolean;
}

export interface HeldItems {
  tools: Record<string, HeldItem>;
  prompts: Record<string, HeldItem>;
  resourceTemplates: Record<string, HeldItem>;
}

export interface PinStore {
  version: 1;
  servers: Record<string, ServerPins>;
}

export const COLLECTIONS = {tool: 'tools', prompt: 'prompts', resourceTemplate: 'resourceTemplates'} as const;

/** The name an item is pinned under (a resource template's is its URI template). */
export function itemName(kind: PinKind, item: Record<string, unknown>): string {
  return kind === 'resourceTemplate' ? String(item.uriTemplate ?? item.name) : String(item.name);
}

/** A set pin: sha256 over the sorted `kind:name=pin` lines of a server's items. */
export function setPinOf(pins: Pick<ServerPins, 'tools' | 'prompts' | 'resourceTemplates'>): string {
  const lines: string[] = [];
  for (const [kind, key] of Object.entries(COLLECTIONS)) for (const [name, p] of Object.entries(pins[key])) lines.push(`${kind}:${name}=${p.pin}`);
  lines.sort();
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}

/** The pins of a server's current catalog (tools, prompts, resource templates). */
export function pinsOfCatalog(catalog: {tools?: readonly object[]; prompts?: readonly object[]; resourceTemplates?: readonly object[]}, now = Date.now()): ServerPins {
  const pick = (kind: PinKind, items: readonly object[] | undefined) => {
    const out: Record<string, PinnedItem> = {};
    for (const item of items ?? []) {
      const r = item as Record<string, unknown>;
      const name = itemName(kind, r);
      out[name] = {pin: pinOf(kind, r), definition: visiblePart(kind, r), pinnedAt: now};
    }
    return out;
  };
  const body = {tools: pick('tool', catalog.tools), prompts: pick('prompt', catalog.prompts), resourceTemplates: pick('resourceTemplate', catalog.resourceTemplates)};
  return {set: setPinOf(body), ...body};
}

export type PinState = 'pinned' | 'changed' | 'new' | 'removed';

export interface PinComparison {
  kind: PinKind;
  name: string;
  state: PinState;
}

/**
 * Compare a server's current pins with the stored ones: each item pinned (same pin), changed,
 * new (not pinned), or removed (pinned, no longer listed). `stored` undefined: a new server,
 * every item is new.
 */
export function comparePins(stored: ServerPins | undefined, current: ServerPins): PinComparison[] {
  const out: PinComparison[] = [];
  for (const [kind, key] of Object.entries(COLLECTIONS) as Array<[PinKind, (typeof COLLECTIONS)[PinKind]]>) {
    const before = stored?.[key] ?? {};
    for (const [name, p] of Object.entries(current[key])) {
      const old = before[name];
      out.push({kind, name, state: !old ? 'new' : old.pin === p.pin ? 'pinned' : 'changed'});
    }
    for (const name of Object.keys(before)) if (!(name in current[key])) out.push({kind, name, state: 'removed'});
  }
  return out;
}

/** The pin store exists but cannot be read or is not a pin store: fail closed. */
export class PinStoreError extends Error {
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
    this.name = 'PinStoreError';
  }
}

export function pinStoreFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(mcpxDirs(env).config, 'pins.json');
}

/** Read the store; a missing file is an empty store, anything else unusable throws PinStoreError. */
export async function readPinStore(file: string): Promise<PinStore> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {version: 1, servers: {}};
    throw new PinStoreError(`cannot read the pin store ${file}: ${(error as Error).message}`, file);
  }
  return parsePinStore(text, file);
}

/** Parse a pin store's text; anything that is not a version-1 pin store throws PinStoreError. */
export function parsePinStore(text: string, file: string): PinStore {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PinStoreError(`the pin store ${file} is not valid JSON: ${(error as Error).message}`, file);
  }
  const d = data as Partial<PinStore> | null;
  if (!d || typeof d !== 'object' || d.version !== 1 || !d.servers || typeof d.servers !== 'object' || Array.isArray(d.servers)) {
    throw new PinStoreError(`the pin store ${file} is not an mcpx pin store (version 1)`, file);
  }
  for (const [name, entry] of Object.entries(d.servers)) {
    const e = entry as Partial<ServerPins> | null;
    const isMap = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!isMap(e) || typeof e!.set !== 'string' || !isMap(e!.tools) || !isMap(e!.prompts) || !isMap(e!.resourceTemplates) || (e!.held !== undefined && !isMap(e!.held))) {
      throw new PinStoreError(`the pin store ${file} has a malformed entry for server '${name}'`, file);
    }
  }
  return d as PinStore;
}

/**
 * Change the store under its lock: re-read it (another process may have written since), let
 * `change` edit it, write it back atomically (0600). Returns the store as written.
 */
export async function updatePinStore(file: string, change: (store: PinStore) => void): Promise<PinStore> {
  return withLock(`${file}.lock`, async () => {
    const store = await readPinStore(file);
    change(store);
    await writeAtomically(file, `${JSON.stringify(store, null, 2)}\n`, {mode: 0o600});
    return store;
  });
}
