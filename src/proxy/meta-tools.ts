/**
 * The meta-tools `mcpx serve` exposes by default instead of every upstream tool: search_tools,
 * describe_tool, execute_tool and list_servers. Their definitions are kept small on purpose
 * (tools/list stays tiny however many servers there are); their handlers return tool results,
 * with problems reported as tool errors the model can act on, never as protocol failures.
 */
import type {CallToolResult, Tool} from '@modelcontextprotocol/sdk/types.js';
import {createSearchIndex, noMatch, serverCoverage, type SearchHit, type SearchIndex, type ToolDoc} from './search.js';
import type {ToolEntry, UpstreamManager} from './manager.js';
import {type CallOptions, auditOf, UpstreamError} from './upstream.js';
import {validateArguments} from './validate.js';

export const META_TOOLS: Tool[] = [
  {
    name: 'search_tools',
    description: 'Find tools across all connected MCP servers by what they do. Returns the best matches (name, server, parameters). Then call execute_tool.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {type: 'string', description: 'What you want to do, in a few words'},
        limit: {type: 'integer', minimum: 1, maximum: 50, description: 'Max results (default 8)'},
      },
      required: ['query'],
    },
    annotations: {readOnlyHint: true},
  },
  {
    name: 'describe_tool',
    description: "Full description and input schema of a tool found with search_tools.",
    inputSchema: {type: 'object', properties: {name: {type: 'string', description: 'server__tool'}}, required: ['name']},
    annotations: {readOnlyHint: true},
  },
  {
    name: 'execute_tool',
    description: "Run a tool found with search_tools: name is 'server__tool', arguments match its parameters. Returns the tool's own result.",
    inputSchema: {
      type: 'object',
      properties: {name: {type: 'string', description: 'server__tool'}, arguments: {type: 'object', description: "The tool's arguments"}},
      required: ['name'],
    },
  },
  {
    name: 'list_servers',
    description: "The connected MCP servers: state, tool count, last error, each server's own instructions.",
    inputSchema: {type: 'object', properties: {}},
    annotations: {readOnlyHint: true},
  },
];

export function toolError(message: string): CallToolResult {
  return {isError: true, content: [{type: 'text', text: message}]};
}

/** A compact parameter signature: `name(path: string, head?: number, mode?: "a"|"b")`. */
export function signature(name: string, schema: Tool['inputSchema'] | undefined): string {
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  const params = Object.entries(props).map(([key, s]) => `${key}${required.has(key) ? '' : '?'}: ${typeName(s)}`);
  return `${name}(${params.join(', ')})`;
}

function typeName(s: Record<string, unknown> | undefined): string {
  if (!s || typeof s !== 'object') return 'any';
  if (Array.isArray(s.enum)) return s.enum.slice(0, 6).map((v) => JSON.stringify(v)).join('|') + (s.enum.length > 6 ? '|…' : '');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const t = s.type;
  if (t === 'array') return `${typeName(s.items as Record<string, unknown>)}[]`;
  if (Array.isArray(t)) return t.join('|');
  if (typeof t === 'string') return t;
  for (const key of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[key])) return (s[key] as Record<string, unknown>[]).map(typeName).join('|');
  }
  return 'any';
}

function shorten(text: string | undefined, max: number): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** Handlers for the meta-tools over one manager; keeps the search index in step with the catalog. */
export class MetaTools {
  private index?: {source: Map<string, ToolEntry>; index: SearchIndex; docs: ToolDoc[]; coverage?: ReturnType<typeof serverCoverage>};

  constructor(
    private readonly manager: UpstreamManager,
    private readonly defaultLimit = 8,
  ) {}

  private searchIndex(): NonNullable<MetaTools['index']> {
    const tools = this.manager.tools();
    if (this.index?.source !== tools) {
      const docs: ToolDoc[] = [...tools.values()].map((t) => ({
        name: t.name,
        server: t.server,
        tool: t.tool.name,
        ...(t.tool.title ? {title: t.tool.title} : {}),
        ...(t.tool.description ? {description: t.tool.description} : {}),
        inputSchema: t.tool.inputSchema as Record<string, unknown>,
      }));
      this.index = {source: tools, index: createSearchIndex(docs), docs};
    }
    return this.index;
  }

  /** Dispatch a meta-tool call. Unknown names and bad input come back as tool errors. */
  async call(name: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    try {
      switch (name) {
        case 'search_tools':
          return await this.search(args);
        case 'describe_tool':
          return await this.describe(args);
        case 'execute_tool':
          return await this.execute(args, options);
        case 'list_servers':
          return await this.listServers();
        default:
          return toolError(`Unknown tool '${name}'. This server offers search_tools, describe_tool, execute_tool and list_servers.`);
      }
    } catch (error) {
      if (error instanceof UpstreamError) {
        if (options.note) Object.assign(options.note, auditOf(error));
        return toolError(error.message);
      }
      throw error;
    }
  }

  private unavailableNote(): string {
    const down = this.manager.status().filter((s) => s.enabled && s.tools === null && s.lastError);
    return down.length ? `\nUnavailable: ${down.map((s) => `${s.name} (${shorten(s.lastError, 200)})`).join('; ')}` : '';
  }

  /** Which servers have tools held for review (not searchable until a person approves them). */
  private heldNote(): string {
    const per = new Map<string, number>();
    for (const h of this.manager.heldTools().values()) per.set(h.server, (per.get(h.server) ?? 0) + 1);
    if (per.size === 0) return '';
    const list = [...per].map(([server, n]) => `${server} (${n})`).join(', ');
    return `\nHeld for review, not shown: ${list}. A person reviews them with \`mcpx tools pins\`.`;
  }

  private async search(args: Record<string, unknown>): Promise<CallToolResult> {
    const query = args.query;
    if (typeof query !== 'string' || query.trim() === '') return toolError("search_tools needs 'query': a few words saying what you want to do.");
    const limit = args.limit === undefined ? this.defaultLimit : Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) return toolError("'limit' must be an integer from 1 to 50.");
    await this.manager.waitForCatalogs();
    const state = this.searchIndex();
    const index = state.index;
    const hits = index.search(query, limit);
    const summary = ({tool, score, match}: SearchHit) => ({
      name: tool.name,
      server: tool.server,
      tool: tool.tool,
      description: tool.description ?? '',
      parameters: signature(tool.name, tool.inputSchema as Tool['inputSchema']),
      score: Math.round(score * 1000) / 1000,
      match: Math.round(match * 100) / 100,
    });
    const line = (t: ReturnType<typeof summary>) => `- ${t.parameters}${t.description ? ` — ${shorten(t.description, 160)}` : ''}`;
    if (noMatch(hits)) {
      // Nothing answers the query: say so, and what the configured servers do cover, so the
      // model can rephrase or tell the user; the weak best hits follow as "closest", clearly apart.
      state.coverage ??= serverCoverage(state.docs);
      const instructions = new Map(this.manager.status().map((s) => [s.name, s.instructions]));
      const servers = state.coverage.map((c) => ({...c, ...(instructions.get(c.name) ? {instructions: shorten(instructions.get(c.name), 200)} : {})}));
      const closest = hits.slice(0, 3).map(summary);
      const note = `No tool matches "${query}" among ${index.size} tools of ${servers.length} server${servers.length === 1 ? '' : 's'}.`;
      const text = [
        `${note} The configured servers cover:`,
        ...servers.map((s) => `- ${s.name} (${s.tools} tools): ${s.covers.join(', ') || 'no tools'}${s.instructions ? ` — ${s.instructions}` : ''}`),
        closest.length ? 'Closest, weak matches (probably not what was asked):' : 'Try other words, or tell the user that no configured server does this.',
        ...closest.map(line),
      ];
      return {content: [{type: 'text', text: text.join('\n') + this.unavailableNote() + this.heldNote()}], structuredContent: {tools: [], note, servers, closest}};
    }
    const tools = hits.map(summary);
    const header = `${hits.length} of ${index.size} tools match "${query}" (call execute_tool with a name; describe_tool shows the full schema):`;
    return {content: [{type: 'text', text: [header, ...tools.map(line)].join('\n') + this.unavailableNote() + this.heldNote()}], structuredContent: {tools}};
  }

  private async describe(args: Record<string, unknown>): Promise<CallToolResult> {
    if (typeof args.name !== 'string' || !args.name) return toolError("describe_tool needs 'name', e.g. 'server__tool' from search_tools.");
    const entry = await this.manager.ensureTool(args.name);
    const t = entry.tool;
    const info = {
      name: entry.name,
      server: entry.server,
      tool: t.name,
      ...(t.title ? {title: t.title} : {}),
      description: t.description ?? '',
      inputSchema: t.inputSchema,
      ...(t.outputSchema ? {outputSchema: t.outputSchema} : {}),
      ...(t.annotations ? {annotations: t.annotations} : {}),
    };
    return {content: [{type: 'text', text: `${signature(entry.name, t.inputSchema)}\n${JSON.stringify(info, null, 2)}`}], structuredContent: info};
  }

  private async execute(args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    if (typeof args.name !== 'string' || !args.name) return toolError("execute_tool needs 'name' ('server__tool' from search_tools) and 'arguments'.");
    let toolArgs: unknown = args.arguments ?? {};
    // Some models send the arguments as a JSON string (sometimes twice encoded).
    for (let i = 0; i < 2 && typeof toolArgs === 'string'; i++) {
      try {
        toolArgs = JSON.parse(toolArgs);
      } catch {
        return toolError(`'arguments' must be an object; got a string that is not JSON: ${shorten(toolArgs as string, 80)}`);
      }
    }
    if (toolArgs === null || typeof toolArgs !== 'object' || Array.isArray(toolArgs)) return toolError(`'arguments' must be an object, got ${Array.isArray(toolArgs) ? 'an array' : typeof toolArgs}.`);
    const entry = await this.manager.ensureTool(args.name);
    if (options.note) Object.assign(options.note, {server: entry.server, upstreamTool: entry.tool.name});
    const problem = await validateArguments(entry, toolArgs as Record<string, unknown>);
    if (problem && options.note) Object.assign(options.note, {outcome: 'refused', errorType: 'invalid-arguments'});
    if (problem) return toolError(`${problem}\nExpected: ${signature(entry.name, entry.tool.inputSchema)}`);
    const upstream = this.manager.upstreams.get(entry.server)!;
    return upstream.callTool(entry.tool.name, toolArgs as Record<string, unknown>, options);
  }

  private async listServers(): Promise<CallToolResult> {
    // Running servers are pinged (bounded), so a wedged one shows up here.
    const pings = new Map<string, number | string>();
    await Promise.all(
      [...this.manager.upstreams.values()]
        .filter((u) => u.state === 'ready')
        .map(async (u) => {
          const t0 = performance.now();
          try {
            await u.ping(2000);
            pings.set(u.name, Math.round((performance.now() - t0) * 10) / 10);
          } catch (error) {
            pings.set(u.name, (error as Error).message);
          }
        }),
    );
    const servers = this.manager.status().map((s) => {
      const p = pings.get(s.name);
      return {...s, ...(typeof p === 'number' ? {pingMs: p} : typeof p === 'string' ? {pingError: p} : {})};
    });
    const lines = servers.map(
      (s) =>
        `- ${s.name} [${s.transport}] ${s.enabled ? s.state : 'disabled'}${s.tools === null ? '' : `, ${s.tools} tools${s.cached ? ' (cached)' : ''}`}${s.held ? `, ${heldText(s.held)} held for review (mcpx tools pins ${s.name})` : ''}${'pingMs' in s ? `, ping ${s.pingMs} ms` : ''}${'pingError' in s ? `, ping failed: ${s.pingError}` : ''}${s.lastError ? ` — last error: ${shorten(s.lastError, 300)}` : ''}${s.instructions ? `\n  instructions: ${shorten(s.instructions, 600)}` : ''}`,
    );
    return {content: [{type: 'text', text: lines.length ? lines.join('\n') : 'No servers are configured.'}], structuredContent: {servers}};
  }
}

function heldText(h: {tools: number; prompts: number; resourceTemplates: number}): string {
  const parts = [[h.tools, 'tool'], [h.prompts, 'prompt'], [h.resourceTemplates, 'resource template']] as const;
  return parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}${n === 1 ? '' : 's'}`).join(', ');
}
