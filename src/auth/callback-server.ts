/**
 * The loopback redirect target of a login: an HTTP server on 127.0.0.1 only (a free port, or the
 * configured one) that accepts exactly one callback on its path, checks `state` and `iss`
 * (RFC 9207) before anything else, answers the browser with a short page, and then closes.
 * A callback that fails a check ends the login with a clear error; nothing is exchanged.
 */
import {timingSafeEqual} from 'node:crypto';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {UserError} from '../errors.js';

export interface CallbackExpectations {
  state: string;
  /** The authorization server's `issuer` from its metadata. */
  issuer: string;
  /** The AS promised to send `iss` (authorization_response_iss_parameter_supported). */
  issRequired: boolean;
}

export interface CallbackServer {
  redirectUrl: string;
  /** Resolves with the authorization code of the one valid callback; rejects with a UserError. */
  waitForCode(expect: CallbackExpectations, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

const CALLBACK_PATH = '/callback';

/** Listen on 127.0.0.1:`port` (0 = any free port). E_AUTH_PORT when the port is taken. */
export async function startCallbackServer(port = 0): Promise<CallbackServer> {
  let onRequest: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | undefined;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET' || path !== CALLBACK_PATH || !onRequest) {
      res.writeHead(404, {'content-type': 'text/plain'}).end('Not found');
      return;
    }
    onRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(`Port ${port} on 127.0.0.1 is in use, so the login callback cannot listen there.`, {
              code: 'E_AUTH_PORT',
              hint: 'Stop what uses it, or choose another oauth.callbackPort (or --callback-port).',
            })
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    redirectUrl: `http://127.0.0.1:${actualPort}${CALLBACK_PATH}`,
    close,
    waitForCode(expect, timeoutMs) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          onRequest = undefined;
          reject(
            new UserError(`No answer from the browser within ${Math.round(timeoutMs / 1000)} s; the login was abandoned.`, {
              code: 'E_AUTH_TIMEOUT',
              exitCode: 3,
              hint: 'Run the login again and finish it in the browser (use --timeout to allow longer).',
            }),
          );
        }, timeoutMs);
        timer.unref();
        onRequest = (req, res) => {
          // Exactly one callback is considered: later requests get a 404.
          onRequest = undefined;
          clearTimeout(timer);
          const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
          const outcome = checkCallback(params, expect);
          res.writeHead(outcome.ok ? 200 : 400, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
          res.end(outcome.ok ? page('Signed in', 'mcpx is logged in. You can close this tab.') : page('Login failed', outcome.error.message));
          if (outcome.ok) resolve(outcome.code);
          else reject(outcome.error);
        };
      });
    },
  };
}

type Outcome = {ok: true; code: string} | {ok: false; error: UserError};

function checkCallback(params: URLSearchParams, expect: CallbackExpectations): Outcome {
  const fail = (message: string, code: string, hint: string): Outcome => ({ok: false, error: new UserError(message, {code, exitCode: 3, hint})});
  const state = params.get('state') ?? '';
  if (!sameSecret(state, expect.state)) {
    return fail('The authorization response does not belong to this login (state mismatch); it was ignored and nothing was stored.', 'E_AUTH_STATE', 'Run the login again; if this repeats, something else is sending requests to the callback.');
  }
  const iss = params.get('iss');
  if (iss !== null ? iss !== expect.issuer : expect.issRequired) {
    return fail(`The authorization response came from ${iss === null ? 'an unnamed issuer' : `"${iss}"`}, not from ${expect.issuer} (iss mismatch); nothing was stored.`, 'E_AUTH_ISSUER', 'Run the login again; if this repeats, report it to the server\'s operator (possible mix-up attack).');
  }
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    const denied = error === 'access_denied';
    return fail(
      denied ? `Access was denied at the authorization server${description ? ` (${description})` : ''}.` : `The authorization server answered "${error}"${description ? `: ${description}` : ''}.`,
      denied ? 'E_AUTH_DENIED' : 'E_AUTH_OAUTH',
      denied ? 'Run the login again and approve the access request.' : 'Check the server\'s OAuth settings, then run the login again.',
    );
  }
  const code = params.get('code');
  if (!code) return fail('The authorization response has no code.', 'E_AUTH_OAUTH', 'Run the login again.');
  return {ok: true, code};
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function page(title: string, text: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>mcpx — ${esc(title)}</title></head><body style="font-family:sans-serif;margin:3em"><h1>${esc(title)}</h1><p>${esc(text)}</p></body></html>`;
}
