/**
 * The operation model of tool search: what a query asks to do (read, create, update, delete,
 * execute) and what a tool's name says it does, and how much a mismatch costs.
 */
import english from './data/english.json' with {type: 'json'};
import {stem, tokenize} from './text.js';
import {NOT_AGENT_NOUNS} from './vocabulary.js';

/**
 * Operation classes as bits; a tool or query may carry several. Execute is running code or a
 * command (`exec_in_pod`, `run_code`, `evaluate`): it neither lists nor changes a named thing, so
 * "list pods" prefers `kubectl_get` over `exec_in_pod`.
 */
export const Op = {Read: 1, Create: 2, Update: 4, Delete: 8, Execute: 16} as const;
/** Any change: a tool or query that writes agrees with create, update and delete. */
export const WRITE = Op.Create | Op.Update | Op.Delete;
/** What a generic write verb (`save`, `record`, `approve`) asks for: to create or update, never to delete. */
export const STORE = Op.Create | Op.Update;

/** Verbs by the operation they name (data/english.json `operationWords`). */
export const OPERATION_WORDS: readonly [number, readonly string[]][] = [
  [Op.Read, english.operationWords.read],
  [Op.Create, english.operationWords.create],
  [Op.Update, english.operationWords.update],
  [Op.Delete, english.operationWords.delete],
  [STORE, english.operationWords.store],
  [Op.Execute, english.operationWords.execute],
];

/** Stem -> operation bits. */
export const OPERATION: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const [op, words] of OPERATION_WORDS) for (const w of words) map.set(stem(w), (map.get(stem(w)) ?? 0) | op);
  return map;
})();

/** The operation words as written: only these base forms are requests (not `changed`, `relation`). */
export const OPERATION_BASE: ReadonlySet<string> = new Set(OPERATION_WORDS.flatMap(([, words]) => words));

/** Questions ask to read: "what/which/who/where ...", "is there", "does ... exist", "how many", "has anyone ...", "did ...". */
export const QUESTION = /^\s*(what|which|who|whom|whose|where|when|is there|are there|does|do|did|is|are|was|were|has|have|had|how many|how much)\b|\bexists?\b/i;

/**
 * Operation bits of a tool, from the verbs of its name as written; 0 when its name has none.
 * Only base forms are verbs, as in queries: `delete_relations` deletes, its `relations` (stem
 * `relate`) does not also create.
 */
export function toolOperation(nameWords: readonly string[]): number {
  let op = 0;
  for (const t of nameWords) if (OPERATION_BASE.has(t)) op |= OPERATION.get(stem(t))!;
  if (op !== 0) return op;
  // A name without a verb may say its operation by an agent noun (`deploy-services-reader`,
  // `...-updater`); not by nouns that merely look like one (`browser_click` does not browse).
  for (const t of nameWords) {
    if (!/[a-z]{3}er$/.test(t) || NOT_AGENT_NOUNS.has(t)) continue;
    const base = [t.slice(0, -2), t.slice(0, -1)].find((b) => OPERATION_BASE.has(b));
    if (base !== undefined) op |= OPERATION.get(stem(base))!;
  }
  return op;
}

/**
 * A query that opens with a question ("who opened PR 301 and what does it change", "did anyone
 * approve ...", "which API calls did the page make") asks to read: the verbs inside the question
 * say what happened, not what to do. A request may follow the question mark ("... ? switch the
 * color scheme"). `do` opens a question only before its subject ("do I ...", not "do research").
 */
export const QUESTION_START = /^\s*(what|which|who|whom|whose|where|when|why|is|are|was|were|does|did|has|have|had|do\s+(?:i|you|we|they)|how\s+(?:many|much))\b/i;

/** "add/insert/append ... to/into the/my ...": a part added to a thing that exists. */
export const ADD_TO = /\b(?:add|adds|adding|insert|append|put|attach)\b.*?\b(?:to|into|onto|at\s+the\s+(?:end|top|bottom|start)\s+of)\s+(?:the|my|our|your|this|that|its|their|an?\s+existing)\b/i;

/** A question about how to do something: its verbs are what the user wants done. */
export const HOW_TO = /\b(?:way|possible|able|tool|command|how)\s+to\b|\b(?:can|could|should|would|will)\s+(?:i|you|we|it|one|this|that|tool)\b|\btool\s+(?:can|could|will|would)\b/i;

/**
 * Operation bits a query asks for: those of its verbs, or, when it has none, read for a question.
 * Verbs inside an opening question are not requests (see QUESTION_START); `text` is the query
 * after rewriting. 0 when the query says nothing about it.
 */
export function queryOperation(words: readonly string[], raw: string, text: string): number {
  let op = 0;
  let tokens = words;
  // Unless it asks how to do something ("is there a way to delete ...", "which tool can create ...").
  if (QUESTION_START.test(raw) && !HOW_TO.test(raw)) {
    const mark = text.indexOf('?');
    tokens = mark < 0 ? [] : tokenize(text.slice(mark + 1));
  }
  for (const t of tokens) {
    // Only base forms are requests: `changed`, `made`, `changes`, `relation` describe a state or
    // a thing ("which files changed", "requested changes"), not what to do.
    if (!OPERATION_BASE.has(t)) continue;
    op |= OPERATION.get(stem(t))!;
  }
  if (op === 0 && QUESTION.test(raw)) op = Op.Read;
  // Adding something to an existing thing ("add a property to the data source", "append a to-do
  // at the end of my page") creates the part and updates the whole: both agree.
  if ((op & Op.Create) !== 0 && ADD_TO.test(text)) op |= Op.Update;
  return op;
}

/**
 * Score factor for a tool whose operation differs from the query's: 1 when they agree or either
 * says nothing, `cross` between reading and changing, `sibling` between two kinds of change
 * (create vs update).
 */
export function operationFactor(query: number, tool: number, cross: number, sibling: number): number {
  if (query === 0 || tool === 0 || (query & tool) !== 0) return 1;
  // Running a query or a find reads: a request to run agrees with a tool that reads.
  if ((query & Op.Execute) !== 0 && (tool & Op.Read) !== 0) return 1;
  const queryWrites = (query & WRITE) !== 0;
  const toolWrites = (tool & WRITE) !== 0;
  if (queryWrites && toolWrites) return sibling;
  return cross;
}

