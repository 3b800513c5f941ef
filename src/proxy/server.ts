/**
 * The downstream MCP server of `mcpx serve`, independent of transport: in search mode it offers
 * the meta-tools, in direct mode every upstream tool under `<server>__<tool>` (announcing
 * changes with list_changed); resources and prompts pass through in both modes. Its
 * instructions tell the model which servers exist and how to use the tools.
 */
import type {Server} from '@modelcontextprotocol/sdk/server/index.js';
import type {CallToolResult, Implementation} from '@modelcontextprotocol/sdk/types.js';
import type {ServeMode} from './config.js';
import type {UpstreamManager} from './manager.js';
import {META_TOOLS, MetaTools, toolError} from './meta-tools.js';
import {type CallOptions, UpstreamError} from './upstream.js';
import {validateArguments} from './validate.js';

export interface ProxyServerOptions {
  mode: ServeMode;
  searchLimit?: number;
  serverInfo?: Implementation;
  /** The servers named in the instructions. */
  servers: string[];
  /** A problem with the whole config known before start: every tool call reports it. */
  configError?: string;
}

/** What the handlers need once the config is validated and the cache loaded. */
export interface ProxyState {
  manager: UpstreamManager;
  /** A problem with the whole config: every tool call reports it. */
  configError?: string;
}

/** The model-facing summary of what is served. */
export function buildInstructions(options: Pick<ProxyServerOptions, 'servers' | 'mode' | 'configError'>): string {
  if (options.configError) return `mcpx could not load its config, so no MCP servers are available: ${options.configError}`;
  const list = options.servers.join(', ');
  const n = options.servers.length;
  const lines = [`mcpx connects ${n} MCP server${n === 1 ? '' : 's'}: ${list || 'none'}.`];
  if (options.mode === 'search') {
    lines.push(
      'Their tools are not listed directly. To use one: call search_tools with a few words describing the task, then execute_tool with the chosen name (server__tool) and its arguments; describe_tool gives the full input schema when the summary is not enough. list_servers shows server state and errors.',
    );
  } else {
    lines.push('Each tool is named server__tool.');
  }
  return lines.join('\n');
}

/**
 * Build the downstream server (connect it to any transport). `state` is called when a handler
 * first needs the manager, so the handshake and search mode's tools/list never wait for config
 * validation or the cache.
 */
export async function createProxyServer(state: () => Promise<ProxyState>, options: ProxyServerOptions): Promise<Server> {
  const [{Server}, types] = await Promise.all([import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
  const server = new Server(options.serverInfo ?? {name: 'mcpx', version: '0'}, {
    capabilities: {tools: {listChanged: true}, resources: {listChanged: true}, prompts: {listChanged: true}},
    instructions: buildInstructions(options),
  });
  let meta: MetaTools | undefined;
  const ready = async () => {
    const st = await state();
    meta ??= new MetaTools(st.manager, options.searchLimit);
    return {...st, manager: st.manager, meta};
  };

  /** Call options forwarding cancellation and progress; `flush` waits until every progress notification went out. */
  const callOptions = (extra: {signal: AbortSignal; _meta?: {progressToken?: string | number}; sendNotification: (n: never) => Promise<void>}): CallOptions & {flush(): Promise<void>} => {
    const token = extra._meta?.progressToken;
    let sent: Promise<unknown> | undefined;
    return {
      signal: extra.signal,
      flush: async () => {
        if (!sent) return;
        await sent;
        // The SDK's client drops a progress notification read in the same chunk as the result.
        await new Promise((resolve) => setImmediate(resolve));
      },
      ...(token === undefined
        ? {}
        : {
            onprogress: (p) => {
              const n = {method: 'notifications/progress', params: {progressToken: token, progress: p.progress, total: p.total, message: p.message}};
              // Chained so they keep their order and all precede the result.
              sent = (sent ?? Promise.resolve()).then(() => extra.sendNotification(n as never)).catch(() => undefined);
            },
          }),
    };
  };

  server.setRequestHandler(types.ListToolsRequestSchema, async () => {
    if (options.mode === 'search') return {tools: META_TOOLS};
    const {manager} = await ready();
    await manager.waitForCatalogs();
    return {tools: [...manager.tools().values()].map((t) => ({...t.tool, name: t.name}))};
  });

  server.setRequestHandler(types.CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const {manager, meta, configError} = await ready();
    if (configError) return toolError(`mcpx could not load its config: ${configError}`);
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const co = callOptions(extra as never);
    if (options.mode === 'search') {
      const result = await meta.call(request.params.name, args, co);
      await co.flush();
      return result;
    }
    try {
      const entry = await manager.ensureTool(request.params.name);
      const problem = await validateArguments(entry, args);
      if (problem) return toolError(problem);
      const result = await manager.upstreams.get(entry.server)!.callTool(entry.tool.name, args, co);
      await co.flush();
      return result;
    } catch (error) {
      if (error instanceof UpstreamError) return toolError(error.message);
      throw error;
    }
  });

  server.setRequestHandler(types.ListResourcesRequestSchema, async () => {
    const {manager} = await ready();
    await manager.waitForCatalogs();
    return {resources: manager.resources().map((r) => r.resource)};
  });
  server.setRequestHandler(types.ListResourceTemplatesRequestSchema, async () => {
    const {manager} = await ready();
    await manager.waitForCatalogs();
    return {resourceTemplates: manager.resourceTemplates().map((r) => r.template)};
  });
  server.setRequestHandler(types.ReadResourceRequestSchema, async (request, extra) => {
    const {manager} = await ready();
    await manager.waitForCatalogs();
    const upstream = manager.serverForResource(request.params.uri);
    if (!upstream) throw new types.McpError(types.ErrorCode.InvalidParams, `No server offers the resource ${request.params.uri}`);
    try {
      return await upstream.request('resources/read', {uri: request.params.uri}, {signal: extra.signal});
    } catch (error) {
      throw new types.McpError(types.ErrorCode.InternalError, (error as Error).message);
    }
  });
  server.setRequestHandler(types.ListPromptsRequestSchema, async () => {
    const {manager} = await ready();
    await manager.waitForCatalogs();
    return {prompts: manager.prompts().map((p) => ({...p.prompt, name: p.name}))};
  });
  server.setRequestHandler(types.GetPromptRequestSchema, async (request, extra) => {
    const {manager} = await ready();
    await manager.waitForCatalogs();
    const hit = manager.prompts().find((p) => p.name === request.params.name);
    if (!hit) throw new types.McpError(types.ErrorCode.InvalidParams, `Unknown prompt '${request.params.name}'`);
    try {
      return await manager.upstreams.get(hit.server)!.request('prompts/get', {name: hit.prompt.name, arguments: request.params.arguments}, {signal: extra.signal});
    } catch (error) {
      throw new types.McpError(types.ErrorCode.InternalError, (error as Error).message);
    }
  });

  return server;
}

/** Forward the manager's list changes to the client (tools only in direct mode: search mode's list is fixed). */
export function announceChanges(server: Server, manager: UpstreamManager, mode: ServeMode): void {
  manager.onChange((kind) => {
    if (!server.transport) return;
    const send =
      kind === 'tools' ? (mode === 'direct' ? () => server.sendToolListChanged() : undefined) : kind === 'resources' ? () => server.sendResourceListChanged() : () => server.sendPromptListChanged();
    void send?.().catch(() => undefined);
  });
}
