/**
 * The JSON-RPC 2.0 layer `mcpx serve` speaks on its hot paths, without the MCP SDK: message
 * shapes and guards, protocol errors, and a stdio channel for the downstream side. The SDK
 * parses every message against its zod schemas and takes ~250 ms to load; a proxy that only
 * routes messages needs neither (see docs/architecture.md, "serve without the SDK on the hot
 * path"). Transports are anything shaped like the SDK's `Transport`, so the SDK's HTTP server
 * transport plugs in unchanged.
 */
import type {Transport, TransportSendOptions} from '@modelcontextprotocol/sdk/shared/transport.js';

export type RequestId = string | number;
export type Params = Record<string, unknown>;

export interface RpcRequest {
  jsonrpc: '2.0';
  id: RequestId;
  method: string;
  params?: Params;
}
export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Params;
}
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}
export interface RpcResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  result?: unknown;
  error?: RpcErrorObject;
}
export type RpcMessage = RpcRequest | RpcNotification | RpcResponse;

/** The transport shape both sides use (the SDK's, typed loosely for raw messages). */
export type MessageTransport = Omit<Transport, 'onmessage' | 'send'> & {
  onmessage?: (message: RpcMessage, extra?: unknown) => void;
  send(message: RpcMessage, options?: TransportSendOptions): Promise<void>;
};

/** View an SDK transport as a raw message transport (same object, looser types). */
export function asMessageTransport(transport: Transport): MessageTransport {
  return transport as unknown as MessageTransport;
}

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ConnectionClosed: -32000,
  RequestTimeout: -32001,
} as const;

/** A JSON-RPC error: thrown by handlers, sent as the response's `error`. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    // Same text as the SDK's McpError, so messages read the same whichever side made them.
    super(`MCP error ${code}: ${message}`);
    this.name = 'RpcError';
    this.rpcMessage = message;
  }
  readonly rpcMessage: string;
}

export function isRequest(m: RpcMessage): m is RpcRequest {
  return 'method' in m && 'id' in m && m.id !== undefined && m.id !== null;
}
export function isResponse(m: RpcMessage): m is RpcResponse {
  return !('method' in m) && ('result' in m || 'error' in m);
}

/** Is `value` a JSON-RPC 2.0 message at all (the only check a routing proxy needs)? */
export function isMessage(value: unknown): value is RpcMessage {
  return !!value && typeof value === 'object' && !Array.isArray(value) && (value as {jsonrpc?: unknown}).jsonrpc === '2.0';
}

/**
 * The downstream stdio channel: newline-delimited JSON-RPC on stdin/stdout. A line that is not
 * JSON gets a parse-error response (the client learns what happened; the proxy goes on); stdout
 * writes keep their order and respect back-pressure.
 */
export class StdioServerChannel implements MessageTransport {
  /** `extra.bytes`: the size of the line the message came in. */
  onmessage?: (message: RpcMessage, extra?: unknown) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private buffer = '';
  private closed = false;

  constructor(
    private readonly input: NodeJS.ReadableStream = process.stdin,
    private readonly output: NodeJS.WritableStream = process.stdout,
  ) {}

  async start(): Promise<void> {
    this.input.setEncoding('utf8');
    this.input.on('data', this.onData);
    this.input.on('error', this.onError);
  }

  private readonly onError = (error: Error) => this.onerror?.(error);

  private readonly onData = (chunk: string): void => {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.line(line);
    }
  };

  private line(line: string): void {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.onerror?.(new Error(`unreadable message from the client: ${(error as Error).message}`));
      void this.send({jsonrpc: '2.0', id: null, error: {code: ErrorCode.ParseError, message: 'Parse error: not JSON'}}).catch(() => undefined);
      return;
    }
    if (!isMessage(message)) {
      const id = (message as {id?: unknown} | null)?.id;
      void this.send({jsonrpc: '2.0', id: typeof id === 'string' || typeof id === 'number' ? id : null, error: {code: ErrorCode.InvalidRequest, message: 'Invalid request: not a JSON-RPC 2.0 message'}}).catch(() => undefined);
      return;
    }
    this.onmessage?.(message, {bytes: Buffer.byteLength(line)});
  }

  /** Bytes of the last message sent (for the audit log; read right after `send`). */
  lastSentBytes = 0;

  send(message: RpcMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('Not connected'));
    const line = JSON.stringify(message) + '\n';
    this.lastSentBytes = Buffer.byteLength(line) - 1;
    // One write per message: a message is never interleaved with another.
    if (this.output.write(line)) return Promise.resolve();
    return new Promise((resolve) => this.output.once('drain', resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.onData);
    this.input.off('error', this.onError);
    this.onclose?.();
  }
}

/** What cancelling a request needs of a signal: an AbortSignal fits, and so does a Cancellation. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: {once?: boolean}): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * A cancellation signal without EventTarget: an AbortController per forwarded request (and its
 * add/removeEventListener) was a visible share of the proxy's CPU per call. Listeners run once.
 */
export class Cancellation implements CancelSignal {
  aborted = false;
  reason?: unknown;
  private listeners?: Array<() => void>;

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners ?? [];
    this.listeners = undefined;
    for (const listener of listeners) listener();
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners!.splice(i, 1);
  }
}

export interface RequestOptions {
  /** Fail with a timeout error after this many ms without an answer (or progress). */
  timeout?: number;
  signal?: CancelSignal;
  /** Asks the other side for progress (a progressToken in `_meta`); each one re-arms the timeout. */
  onprogress?: (progress: {progress: number; total?: number; message?: string}) => void;
  /** Passed to the transport (the HTTP server transport routes by it). */
  relatedRequestId?: RequestId;
  /** Told the id the request goes out under (telemetry records it). */
  onid?: (id: RequestId) => void;
}

interface Pending {
  settle(error: Error | undefined, result?: unknown): void;
  progress?(params: Params): void;
}

/**
 * Requests from this side of a connection to the other, with timeout, cancellation
 * (`notifications/cancelled`) and progress. Ids come from a private range so they never clash
 * with ids another layer sends on the same transport; `handle` takes an incoming message and says
 * whether it was an answer (or progress) for one of these requests.
 */
export class Requester {
  private readonly pending = new Map<RequestId, Pending>();
  private next: number;

  constructor(
    private readonly send: (message: RpcMessage, options?: TransportSendOptions) => Promise<void>,
    firstId = 1,
  ) {
    this.next = firstId;
  }

  request(method: string, params: Params | undefined, options: RequestOptions = {}): Promise<unknown> {
    const {signal, onprogress, timeout} = options;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      const id = this.next++;
      options.onid?.(id);
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        if (timeout === undefined) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          cancel('timed out');
          settle(new RpcError(ErrorCode.RequestTimeout, 'Request timed out', {timeout}));
        }, timeout);
      };
      const cancel = (reason: string) => {
        void this.send({jsonrpc: '2.0', method: 'notifications/cancelled', params: {requestId: id, reason}}, relatedOptions).catch(() => undefined);
      };
      const onAbort = () => {
        cancel(String(signal!.reason instanceof Error ? signal!.reason.message : (signal!.reason ?? 'cancelled')));
        settle(abortError(signal!));
      };
      const settle = (error: Error | undefined, result?: unknown) => {
        if (!this.pending.delete(id)) return;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(result);
      };
      const relatedOptions = options.relatedRequestId === undefined ? undefined : {relatedRequestId: options.relatedRequestId};
      this.pending.set(id, {
        settle,
        ...(onprogress
          ? {
              progress: (p: Params) => {
                arm();
                onprogress({progress: Number(p.progress), ...(typeof p.total === 'number' ? {total: p.total} : {}), ...(typeof p.message === 'string' ? {message: p.message} : {})});
              },
            }
          : {}),
      });
      signal?.addEventListener('abort', onAbort, {once: true});
      arm();
      const sent = onprogress ? {...params, _meta: {...(params?._meta as Params | undefined), progressToken: id}} : params;
      this.send({jsonrpc: '2.0', id, method, ...(sent === undefined ? {} : {params: sent})}, relatedOptions).catch((error: Error) => settle(error));
    });
  }

  /** Settle the request `message` answers, or pass on its progress; false when it is not ours. */
  handle(message: RpcMessage): boolean {
    if ('method' in message) {
      if (message.method !== 'notifications/progress') return false;
      const token = message.params?.progressToken;
      const p = typeof token === 'number' ? this.pending.get(token) : undefined;
      if (!p) return false;
      p.progress?.(message.params!);
      return true;
    }
    const p = message.id === null || message.id === undefined ? undefined : this.pending.get(message.id);
    if (!p) return false;
    if (message.error) p.settle(new RpcError(message.error.code, String(message.error.message), message.error.data));
    else p.settle(undefined, message.result);
    return true;
  }

  /** Reject everything still waiting (the connection closed). */
  failAll(error: Error): void {
    for (const p of [...this.pending.values()]) p.settle(error);
  }

  get size(): number {
    return this.pending.size;
  }
}

function abortError(signal: CancelSignal): Error {
  const error = new Error(`Request cancelled${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}`);
  error.name = 'AbortError';
  return error;
}

export function connectionClosed(): RpcError {
  return new RpcError(ErrorCode.ConnectionClosed, 'Connection closed');
}

