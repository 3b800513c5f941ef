/**
 * HTTP plumbing shared by the auth flows: a fetch with a time limit for every request to an
 * authorization or resource server, and the translation of OAuth failures into UserErrors that
 * say what happened and what to do. Error texts never include tokens: OAuth error responses
 * carry only `error` and `error_description`, and raw bodies are cut short.
 */
import type {FetchLike} from '@modelcontextprotocol/sdk/shared/transport.js';
import {UserError} from '../errors.js';
import {isLoopbackHost} from '../lint/rules/insecure-url.js';

/**
 * Why mcpx will not talk to or open `url` during OAuth, or undefined when it may: only https,
 * or plain http to a loopback address (a local development server). Everything else — http to
 * another host, file:, data:, javascript: — would send codes and tokens in clear or open a file.
 */
export function insecureEndpoint(url: string | URL): string | undefined {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return 'is not a URL';
  }
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return undefined;
  return u.protocol === 'http:' ? 'is plain http to a host that is not loopback' : `uses the ${u.protocol} scheme, not https`;
}

/** Throw E_AUTH_INSECURE when `url` (named `what`) is not an endpoint mcpx may use. */
export function requireSecureEndpoint(url: string | URL, what: string): void {
  const problem = insecureEndpoint(url);
  if (!problem) return;
  throw new UserError(`The ${what} ${endpointName(url)} ${problem}; mcpx sends codes and tokens only over https (loopback excepted) and made no request there.`, {
    code: 'E_AUTH_INSECURE',
    exitCode: 3,
    hint: 'This is a server misconfiguration or an attack; report it to the server\'s operator.',
  });
}

/** Milliseconds each OAuth HTTP request may take (`MCPX_AUTH_HTTP_TIMEOUT_MS`, default 30 s). */
export function httpTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.MCPX_AUTH_HTTP_TIMEOUT_MS);
  return Number.isFinite(n) && n > 0 ? n : 30_000;
}

/** A time-limited fetch: a request that outlives `timeoutMs` fails with a UserError naming the endpoint. */
export function timedFetch(timeoutMs: number, base: FetchLike = fetch): FetchLike {
  return async (url, init) => {
    // Checked before every request: metadata can point any endpoint anywhere.
    requireSecureEndpoint(url, 'OAuth endpoint');
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await base(url, {...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal});
    } catch (error) {
      const target = endpointName(url);
      if (signal.aborted) {
        throw new UserError(`${target} did not answer within ${Math.round(timeoutMs / 100) / 10} s.`, {
          code: 'E_AUTH_TIMEOUT',
          exitCode: 3,
          hint: 'Check your network and that the server is up, then try again (MCPX_AUTH_HTTP_TIMEOUT_MS raises the limit).',
          cause: error,
        });
      }
      throw new UserError(`Could not reach ${target}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}`, {
        code: 'E_AUTH_NETWORK',
        exitCode: 3,
        hint: 'Check your network and the server URL, then try again.',
        cause: error,
      });
    }
  };
}

/** `http://host/path` without query or fragment, for messages. */
export function endpointName(url: string | URL): string {
  try {
    const u = new URL(String(url));
    return `${u.origin}${u.pathname}`;
  } catch {
    return String(url);
  }
}

/**
 * Turn what the SDK or the network threw during an OAuth step into a UserError.
 * `step` names the step ("registering mcpx", "exchanging the authorization code", …).
 */
export function toAuthError(error: unknown, step: string, serverHint: string): UserError {
  if (error instanceof UserError) return error;
  const err = error as Error & {errorCode?: string};
  // The SDK's OAuthError subclasses carry the RFC 6749 error code.
  const code = typeof err?.errorCode === 'string' ? err.errorCode : undefined;
  const detail = truncate(err?.message ?? String(error));
  if (code === 'invalid_grant') {
    return new UserError(`The authorization server refused the grant while ${step}${detail ? `: ${detail}` : ''}.`, {
      code: 'E_AUTH_INVALID_GRANT',
      exitCode: 3,
      hint: `Your session expired or was revoked. Run: mcpx auth login ${serverHint}`,
      cause: error,
    });
  }
  if (code) {
    return new UserError(`The authorization server answered "${code}" while ${step}${detail ? `: ${detail}` : ''}.`, {
      code: 'E_AUTH_OAUTH',
      exitCode: 3,
      hint: code === 'invalid_client_metadata' || code === 'invalid_client'
        ? `The server did not accept mcpx as a client. Ask its operator for a client id and set mcpServers.<name>.oauth.clientId in mcpx's config.`
        : `Try again with: mcpx auth login ${serverHint}`,
      cause: error,
    });
  }
  return new UserError(`OAuth failed while ${step}: ${detail}`, {
    code: 'E_AUTH_FAILED',
    exitCode: 3,
    hint: `Run again with DEBUG=mcpx* for details, or try: mcpx auth login ${serverHint}`,
    cause: error,
  });
}

function truncate(text: string): string {
  return text.length > 300 ? text.slice(0, 300) + '…' : text;
}
