/**
 * `mcpx bridge URL`: a stdio ↔ remote MCP bridge, written by `mcpx secrets move` for remote
 * servers whose URL or headers held a secret. The client starts it like a stdio server; it
 * resolves `{{NAME}}` (the form mcpx writes, which no client expands) and `${NAME}` references in
 * the URL and headers (environment, then keychain) and relays
 * JSON-RPC messages both ways unchanged, over Streamable HTTP or SSE.
 */
import {UserError} from '../errors.js';
import {redact} from './mask.js';
import {defaultSources, resolveString} from './resolve.js';
import {fromLaunchReferences} from './launch.js';

export interface BridgeSpec {
  url: string;
  transport: 'http' | 'sse';
  headers: Array<[string, string]>;
  server?: string;
}

const USAGE = 'Usage: mcpx bridge [--transport http|sse] [--header "Name: value"]... [--server NAME] URL';

export function parseBridgeArgv(argv: string[]): BridgeSpec {
  const headers: Array<[string, string]> = [];
  let transport: 'http' | 'sse' = 'http';
  let server: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UserError(`${a} needs a value.`, {hint: USAGE});
      return v;
    };
    if (a === '--header' || a === '-H') {
      const h = value();
      const colon = h.indexOf(':');
      if (colon <= 0) throw new UserError(`--header must look like "Name: value".`, {hint: USAGE});
      headers.push([h.slice(0, colon).trim(), h.slice(colon + 1).trim()]);
    } else if (a === '--transport') {
      const t = value();
      if (t !== 'http' && t !== 'sse') throw new UserError(`--transport must be http or sse, not "${t}".`, {hint: USAGE});
      transport = t;
    } else if (a === '--server') server = value();
    else if (a.startsWith('-')) throw new UserError(`Unknown flag ${a} for mcpx bridge.`, {hint: USAGE});
    else if (url === undefined) url = a;
    else throw new UserError(`Unexpected argument "${a}".`, {hint: USAGE});
  }
  if (!url) throw new UserError('mcpx bridge needs the URL of the remote server.', {hint: USAGE});
  return {url, transport, headers, server};
}

interface Message {
  id?: string | number;
  method?: string;
  result?: {protocolVersion?: string};
}

export async function runBridge(spec: BridgeSpec, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const sources = defaultSources(env);
  const secrets: string[] = [];
  const url = await resolveString(fromLaunchReferences(spec.url), sources, {server: spec.server, field: 'url'});
  secrets.push(...url.secrets);
  const headers: Record<string, string> = {};
  for (const [name, value] of spec.headers) {
    const r = await resolveString(fromLaunchReferences(value), sources, {server: spec.server, field: `headers.${name}`});
    headers[name] = r.value;
    secrets.push(...r.secrets);
  }
  const {StdioServerTransport} = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const target = new URL(url.value);
  const up =
    spec.transport === 'sse'
      ? new (await import('@modelcontextprotocol/sdk/client/sse.js')).SSEClientTransport(target, {requestInit: {headers}})
      : new (await import('@modelcontextprotocol/sdk/client/streamableHttp.js')).StreamableHTTPClientTransport(target, {requestInit: {headers}});
  const down = new StdioServerTransport();
  const log = (text: string) => process.stderr.write(`mcpx bridge: ${redact(text, secrets)}\n`);
  const initializeIds = new Set<string | number>();

  return await new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      void up.close().catch(() => undefined);
      void down.close().catch(() => undefined);
      resolve(code);
    };
    down.onmessage = (message) => {
      const m = message as Message;
      if (m.method === 'initialize' && m.id !== undefined) initializeIds.add(m.id);
      up.send(message).catch((error: Error) => {
        log(`upstream error: ${error.message}`);
        if (m.id !== undefined && m.method) {
          void down.send({jsonrpc: '2.0', id: m.id, error: {code: -32000, message: `mcpx bridge: the remote server failed: ${redact(error.message, secrets)}`}});
        }
      });
    };
    up.onmessage = (message) => {
      const m = message as Message;
      // The HTTP transport must send the negotiated version on every later request.
      if (m.id !== undefined && initializeIds.has(m.id) && m.result?.protocolVersion && 'setProtocolVersion' in up) {
        (up as {setProtocolVersion(v: string): void}).setProtocolVersion(m.result.protocolVersion);
      }
      void down.send(message);
    };
    up.onerror = (error) => log(`upstream: ${error.message}`);
    up.onclose = () => finish(0);
    down.onclose = () => finish(0);
    process.stdin.on('end', () => finish(0));
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => finish(0));
    up.start()
      .then(() => down.start())
      .catch((error: Error) => {
        log(`cannot connect to ${redact(spec.url, secrets)}: ${error.message}`);
        finish(1);
      });
  });
}
