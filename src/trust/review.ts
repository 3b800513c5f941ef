/**
 * Review of pins for people (`mcpx tools pins | diff | approve | reject`, docs/pinning.md): read
 * the pin store, say what each server's items are (pinned, held and why, removed), show a
 * readable diff of a held definition against the approved one with hidden characters made
 * visible, and approve or reject held items under the store's lock. Starts no server: it works
 * from what `mcpx serve` recorded in the store.
 */
import {UserError} from '../errors.js';
import {COLLECTIONS, type HeldFinding, type HeldItem, type PinKind, type PinStore, PinStoreError, type ServerPins, pinStoreFile, readPinStore, setPinOf, updatePinStore} from './pins.js';

const KINDS = Object.keys(COLLECTIONS) as PinKind[];

/** `SERVER` or `SERVER/NAME` (a resource template's name is its URI template, so only the first `/` splits). */
export interface PinRef {
  server: string;
  name?: string;
}

export function parseRef(ref: string): PinRef {
  const i = ref.indexOf('/');
  if (i === 0 || ref === '') throw new UserError(`'${ref}' is not SERVER or SERVER/TOOL.`, {code: 'E_USAGE', hint: 'Example: mcpx tools diff github/create_issue'});
  return i < 0 ? {server: ref} : {server: ref.slice(0, i), ...(ref.length > i + 1 ? {name: ref.slice(i + 1)} : {})};
}

export interface PinRow {
  server: string;
  kind: PinKind;
  name: string;
  state: 'pinned' | 'new' | 'changed' | 'flagged' | 'rejected' | 'removed';
  pin: string;
  /** Pinned: when it was approved; held: when serve first saw this definition. */
  at: number;
  findings?: HeldFinding[];
}

export interface ServerPinsReport {
  server: string;
  /** The pin over the approved set. */
  set: string;
  pinned: number;
  held: number;
  removed: number;
  items: PinRow[];
}

/** Read the store; one that cannot be read is a UserError (exit 2) naming the file and the problem. */
export async function loadPinStore(env: NodeJS.ProcessEnv = process.env): Promise<{file: string; store: PinStore}> {
  const file = pinStoreFile(env);
  try {
    return {file, store: await readPinStore(file)};
  } catch (error) {
    throw asUserError(error);
  }
}

function asUserError(error: unknown): unknown {
  if (error instanceof PinStoreError) {
    return new UserError(`${error.message}.`, {code: 'E_PIN_STORE', hint: 'mcpx serve holds every tool while this file cannot be read. Fix its permissions or contents (removing it makes mcpx trust every server again on first use).'});
  }
  return error;
}

function heldState(h: HeldItem, approved: boolean): PinRow['state'] {
  if (h.rejected) return 'rejected';
  if (approved) return 'changed';
  return h.reason === 'flagged' ? 'flagged' : h.reason === 'changed' ? 'changed' : 'new';
}

/** One report per server (all, or the one named), items sorted by kind then name. */
export function pinsReport(store: PinStore, server?: string): ServerPinsReport[] {
  const names = server === undefined ? Object.keys(store.servers).sort() : [server];
  if (server !== undefined && !store.servers[server]) throw unknownServer(store, server);
  return names.map((name) => {
    const entry = store.servers[name]!;
    const listed = entry.listed ? new Set(entry.listed) : undefined;
    const items: PinRow[] = [];
    for (const kind of KINDS) {
      const key = COLLECTIONS[kind];
      const held = entry.held?.[key] ?? {};
      for (const [n, p] of Object.entries(entry[key])) {
        if (held[n]) continue;
        items.push({server: name, kind, name: n, state: listed && !listed.has(`${kind}:${n}`) ? 'removed' : 'pinned', pin: p.pin, at: p.pinnedAt});
      }
      for (const [n, h] of Object.entries(held)) items.push({server: name, kind, name: n, state: heldState(h, Boolean(entry[key][n])), pin: h.pin, at: h.seenAt, ...(h.findings?.length ? {findings: h.findings} : {})});
    }
    items.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const count = (f: (r: PinRow) => boolean) => items.filter(f).length;
    return {server: name, set: entry.set, pinned: count((r) => r.state === 'pinned'), held: count((r) => r.state !== 'pinned' && r.state !== 'removed'), removed: count((r) => r.state === 'removed'), items};
  });
}

/** `mcpx tools pins` for people: a line per server, then one per item that is not simply pinned. */
export function formatPins(reports: readonly ServerPinsReport[], file: string): string {
  if (reports.length === 0) return `No pins yet in ${file}: mcpx serve pins each server's tools the first time it lists them.`;
  const lines: string[] = [];
  for (const r of reports) {
    lines.push(`${r.server}: ${r.pinned} pinned${r.held ? `, ${r.held} held` : ''}${r.removed ? `, ${r.removed} removed` : ''}  (set ${r.set.slice(0, 12)})`);
    for (const i of r.items) {
      if (i.state === 'pinned') continue;
      const why = i.findings?.length ? ` — ${i.findings.map((f) => `${f.ruleId} in ${f.field}`).join(', ')}` : '';
      lines.push(`  ${i.state.padEnd(8)} ${i.kind === 'tool' ? '' : `${i.kind} `}${i.name}${why}`);
    }
    if (r.held) lines.push(`  review: mcpx tools diff ${r.server}; then mcpx tools approve ${r.server}[/NAME] or mcpx tools reject ${r.server}/NAME`);
  }
  return lines.join('\n');
}

export interface DiffEntry {
  server: string;
  kind: PinKind;
  name: string;
  state: PinRow['state'];
  /** Top-level fields that differ (all of them for a new item). */
  changed: string[];
  findings?: HeldFinding[];
  /** The readable diff: lines starting with `- `, `+ ` or two spaces. */
  diff: string;
}

/**
 * The held items of `ref` (a server, or one of its items) against what was approved. A named item
 * that is not held is a UserError saying there is nothing to review.
 */
export async function diffHeld(store: PinStore, ref: PinRef): Promise<DiffEntry[]> {
  const entry = store.servers[ref.server];
  if (!entry) throw unknownServer(store, ref.server);
  const {diffArrays} = await import('diff');
  const out: DiffEntry[] = [];
  for (const kind of KINDS) {
    const key = COLLECTIONS[kind];
    for (const [name, h] of Object.entries(entry.held?.[key] ?? {})) {
      if (ref.name !== undefined && name !== ref.name) continue;
      const before = entry[key][name]?.definition;
      const a = before ? render(before) : [];
      const b = render(h.definition);
      const lines: string[] = [];
      for (const part of diffArrays(a, b)) for (const line of part.value) lines.push(`${part.added ? '+ ' : part.removed ? '- ' : '  '}${line}`);
      const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(h.definition)])].filter((f) => JSON.stringify(before?.[f]) !== JSON.stringify(h.definition[f]));
      out.push({server: ref.server, kind, name, state: heldState(h, Boolean(before)), changed: fields, ...(h.findings?.length ? {findings: h.findings} : {}), diff: lines.join('\n')});
    }
  }
  if (ref.name !== undefined && out.length === 0) {
    const known = KINDS.some((k) => entry[COLLECTIONS[k]][ref.name!]);
    throw new UserError(known ? `${ref.server}/${ref.name} is pinned and not held: nothing to review.` : `No item '${ref.name}' pinned or held for server '${ref.server}'.`, {code: known ? 'E_NOT_HELD' : 'E_UNKNOWN_TOOL', exitCode: known ? 1 : 2, hint: `mcpx tools pins ${ref.server} lists them.`});
  }
  return out;
}

export function formatDiffs(entries: readonly DiffEntry[], server: string): string {
  if (entries.length === 0) return `Nothing of ${server} is held for review.`;
  return entries
    .map((e) => {
      const head = `${e.server}/${e.name}${e.kind === 'tool' ? '' : ` (${e.kind})`}: ${e.state}${e.state === 'new' || e.state === 'flagged' ? '' : ` — ${e.changed.join(', ')}`}`;
      const rules = e.findings?.length ? `\n${e.findings.map((f) => `  ! ${f.ruleId} in ${f.field}: ${visible(f.message)}`).join('\n')}` : '';
      return `${head}${rules}\n${e.diff}`;
    })
    .join('\n\n');
}

/**
 * What the model sees of a definition as lines: each field, the description split into lines
 * and sentences (so a changed sentence shows as one line), schemas as indented JSON; hidden
 * characters as `\u{…}` escapes.
 */
export function render(def: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(def).sort(([a], [b]) => fieldOrder(a) - fieldOrder(b) || (a < b ? -1 : 1))) {
    if (typeof value === 'string' && key !== 'description') {
      lines.push(`${key}: ${visible(value)}`);
    } else if (typeof value === 'string') {
      lines.push(`${key}:`);
      for (const line of value.split('\n')) for (const sentence of line.split(/(?<=[.!?])\s+(?=\S)/)) lines.push(`    ${visible(sentence)}`);
    } else {
      lines.push(`${key}:`);
      for (const line of JSON.stringify(value, null, 2).split('\n')) lines.push(`    ${visible(line)}`);
    }
  }
  return lines;
}

const FIELD_ORDER = ['name', 'title', 'description', 'uriTemplate', 'mimeType', 'arguments', 'inputSchema', 'outputSchema', 'annotations'];
function fieldOrder(f: string): number {
  const i = FIELD_ORDER.indexOf(f);
  return i < 0 ? FIELD_ORDER.length : i;
}

/** Characters a terminal would not show (controls, zero-width, bidi, tags, variation selectors). */
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;

/** `text` with every hidden character as `\u{HEX}` and tabs as `\t`. */
export function visible(text: string): string {
  return text.replace(HIDDEN, (ch) => `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`).replace(/\t/g, '\\t');
}

export interface ReviewedItem {
  server: string;
  kind: PinKind;
  name: string;
  pin: string;
}

export interface ApproveResult {
  approved: ReviewedItem[];
  /** Pins dropped because their items are no longer listed (approving a whole server). */
  dropped: ReviewedItem[];
}

/**
 * Approve held items: `refs` (servers or single items) or every server (`all`). Each approved
 * definition becomes the pin (exactly the one `diff` showed); approving a whole server also drops
 * the pins of items it no longer lists. A running `mcpx serve` sees the change at its next request.
 */
export async function approveHeld(env: NodeJS.ProcessEnv, refs: readonly PinRef[], all = false): Promise<ApproveResult> {
  const file = pinStoreFile(env);
  const result: ApproveResult = {approved: [], dropped: []};
  try {
    await updatePinStore(file, (store) => {
      const targets: PinRef[] = all ? Object.keys(store.servers).map((server) => ({server})) : [...refs];
      for (const ref of targets) {
        const entry = store.servers[ref.server];
        if (!entry) throw unknownServer(store, ref.server);
        let matched = false;
        for (const kind of KINDS) {
          const key = COLLECTIONS[kind];
          const held = entry.held?.[key] ?? {};
          for (const [name, h] of Object.entries(held)) {
            if (ref.name !== undefined && name !== ref.name) continue;
            matched = true;
            entry[key][name] = {pin: h.pin, definition: h.definition, pinnedAt: Date.now()};
            delete held[name];
            result.approved.push({server: ref.server, kind, name, pin: h.pin});
          }
          if (ref.name === undefined && entry.listed) {
            const listed = new Set(entry.listed);
            for (const [name, p] of Object.entries(entry[key])) {
              if (listed.has(`${kind}:${name}`)) continue;
              delete entry[key][name];
              result.dropped.push({server: ref.server, kind, name, pin: p.pin});
            }
          }
          if (ref.name !== undefined && !matched && entry[key][ref.name]) matched = true;
        }
        if (ref.name !== undefined && !matched) throw new UserError(`No item '${ref.name}' pinned or held for server '${ref.server}'.`, {code: 'E_UNKNOWN_TOOL', hint: `mcpx tools pins ${ref.server} lists them.`});
        tidy(entry);
      }
    });
  } catch (error) {
    throw asUserError(error);
  }
  return result;
}

/**
 * Reject items: a held one stays held as rejected (no longer waiting for review); an approved one
 * loses its approval and is held as rejected. Either way it is not served until its definition
 * changes and a person approves the new one.
 */
export async function rejectItems(env: NodeJS.ProcessEnv, ref: PinRef): Promise<ReviewedItem[]> {
  const file = pinStoreFile(env);
  const out: ReviewedItem[] = [];
  try {
    await updatePinStore(file, (store) => {
      const entry = store.servers[ref.server];
      if (!entry) throw unknownServer(store, ref.server);
      for (const kind of KINDS) {
        const key = COLLECTIONS[kind];
        entry.held ??= {tools: {}, prompts: {}, resourceTemplates: {}};
        const held = entry.held[key];
        let wasHeld = false;
        for (const [name, h] of Object.entries(held)) {
          if (ref.name !== undefined && name !== ref.name) continue;
          wasHeld = true;
          held[name] = {...h, rejected: true};
          out.push({server: ref.server, kind, name, pin: h.pin});
        }
        const pinned = ref.name === undefined ? undefined : entry[key][ref.name];
        if (ref.name !== undefined && pinned && !wasHeld) {
          held[ref.name] = {pin: pinned.pin, definition: pinned.definition, seenAt: Date.now(), reason: 'changed', rejected: true};
          delete entry[key][ref.name];
          out.push({server: ref.server, kind, name: ref.name, pin: pinned.pin});
        }
      }
      if (out.length === 0) throw new UserError(ref.name === undefined ? `Nothing of ${ref.server} is held: nothing to reject.` : `No item '${ref.name}' pinned or held for server '${ref.server}'.`, {code: ref.name === undefined ? 'E_NOT_HELD' : 'E_UNKNOWN_TOOL', hint: `mcpx tools pins ${ref.server} lists them.`});
      tidy(entry);
    });
  } catch (error) {
    throw asUserError(error);
  }
  return out;
}

function tidy(entry: ServerPins): void {
  entry.set = setPinOf(entry);
  if (entry.held && KINDS.every((k) => Object.keys(entry.held![COLLECTIONS[k]]).length === 0)) delete entry.held;
}

function unknownServer(store: PinStore, server: string): UserError {
  const known = Object.keys(store.servers).sort();
  return new UserError(`No pins for server '${server}'.`, {code: 'E_UNKNOWN_SERVER', hint: known.length ? `Pinned servers: ${known.join(', ')}.` : 'mcpx serve pins a server when it first lists its tools.'});
}
