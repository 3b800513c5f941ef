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
  /** A problem with the whole config: every tool call reports it. */
  configError?: string;
}

/** The model-facing summary of what is served. */
export function buildInstructions(manager: UpstreamManager, options: ProxyServerOptions): string {
  if (options.configError) return `mcpx could not load its config, so no MCP servers are available: ${options.configError}`;
  const servers = manager.status().filter((s) => s.enabled);
  const list = servers.map((s) => `${s.name}${s.tools === null ? '' : ` (${s.tools} tools)`}`).join(', ');
  const lines = [`mcpx connects ${servers.length} MCP server${servers.length === 1 ? '' : 's'}: ${list || 'none'}.`];
  if (options.mode === 'search') {
    lines.push(
      'Their tools are not listed directly. To use one: call search_tools with a few words describing the task, then execute_tool with the chosen name (server__tool) and its arguments; describe_tool gives the full input schema when the summary is not enough. list_servers shows server state and errors.',
    );
  } else {
    lines.push('Each tool is named server__tool.');
  }
  return lines.join('\n');
}

/** Build the downstream server over a manager (connect it to any transport). */
export async function createProxyServer(manager: UpstreamManager, options: ProxyServerOptions): Promise<Server> {
  const [{Server}, types] = await Promise.all([import('@modelcontextprotocol/sdk/server/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
  const server = new Server(options.serverInfo ?? {name: 'mcpx', version: '0'}, {
    capabilities: {tools: {listChanged: true}, resources: {listChanged: true}, prompts: {listChanged: true}},
    instructions: buildInstructions(manager, options),
  });
  const meta = new MetaTools(manager, options.searchLimit);

  const callOptions = (extra: {signal: AbortSignal; _meta?: {progressToken?: string | number}; sendNotification: (n: never) => Promise<void>}): CallOptions => {
    const token = extra._meta?.progressToken;
    return {
      signal: extra.signal,
      ...(token === undefined
        ? {}
        : {
            onprogress: (p) => {
              void extra
                .sendNotification({method: 'notifications/progress', params: {progressToken: token, progress: p.progress, total: p.total, message: p.message}} as never)
                .catch(() => undefined);
            },
          }),
    };
  };

  server.setRequestHandler(types.ListToolsRequestSchema, async () => {
    if (options.mode === 'search') return {tools: META_TOOLS};
    await manager.waitForCatalogs();
    return {tools: [...manager.tools().values()].map((t) => ({...t.tool, name: t.name}))};
  });

  server.setRequestHandler(types.CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    if (options.configError) return toolError(`mcpx could not load its config: ${options.configError}`);
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    if (options.mode === 'search') return meta.call(request.params.name, args, callOptions(extra as never));
    try {
      if (!manager.tools().has(request.params.name)) await manager.waitForCatalogs();
      const entry = manager.findTool(request.params.name);
      const problem = await validateArguments(entry, args);
      if (problem) return toolError(problem);
      return await manager.upstreams.get(entry.server)!.callTool(entry.tool.name, args, callOptions(extra as never));
    } catch (error) {
      if (error instanceof UpstreamError) return toolError(error.message);
      throw error;
    }
  });

  server.setRequestHandler(types.ListResourcesRequestSchema, async () => {
    await manager.waitForCatalogs();
    return {resources: manager.resources().map((r) => r.resource)};
  });
  server.setRequestHandler(types.ListResourceTemplatesRequestSchema, async () => {
    await manager.waitForCatalogs();
    return {resourceTemplates: manager.resourceTemplates().map((r) => r.template)};
  });
  server.setRequestHandler(types.ReadResourceRequestSchema, async (request, extra) => {
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
    await manager.waitForCatalogs();
    return {prompts: manager.prompts().map((p) => ({...p.prompt, name: p.name}))};
  });
  server.setRequestHandler(types.GetPromptRequestSchema, async (request, extra) => {
    await manager.waitForCatalogs();
    const hit = manager.prompts().find((p) => p.name === request.params.name);
    if (!hit) throw new types.McpError(types.ErrorCode.InvalidParams, `Unknown prompt '${request.params.name}'`);
    try {
      return await manager.upstreams.get(hit.server)!.request('prompts/get', {name: hit.prompt.name, arguments: request.params.arguments}, {signal: extra.signal});
    } catch (error) {
      throw new types.McpError(types.ErrorCode.InternalError, (error as Error).message);
    }
  });

  manager.onChange((kind) => {
    if (!server.transport) return;
    const send =
      kind === 'tools' ? (options.mode === 'direct' ? () => server.sendToolListChanged() : undefined) : kind === 'resources' ? () => server.sendResourceListChanged() : () => server.sendPromptListChanged();
    void send?.().catch(() => undefined);
  });
  return server;
}
