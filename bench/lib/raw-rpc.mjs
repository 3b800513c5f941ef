// A raw newline-delimited JSON-RPC client over a child's stdio (no SDK), for serve's latency
// benchmarks: each request resolves with the message and two process.hrtime readings (sent,
// received), comparable with the readings bench/serve/bare-server.mjs puts in its echo.
import {spawn} from 'node:child_process';

/** Start `spec` ({command, args, env?}) with `env` under it; open() does the handshake. */
export function rawConnect(spec, {env = {}, cwd} = {}) {
  const child = spawn(spec.command, spec.args, {stdio: ['pipe', 'pipe', 'ignore'], env: {...env, ...spec.env}, ...(cwd ? {cwd} : {})});
  const waiting = new Map();
  let buffer = '';
  let id = 0;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const received = process.hrtime.bigint();
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      waiting.get(message.id)?.(message, received);
      waiting.delete(message.id);
    }
  });
  const request = (method, params) =>
    new Promise((resolve) => {
      const i = ++id;
      const sent = process.hrtime.bigint();
      waiting.set(i, (message, received) => resolve({message, sent, received}));
      child.stdin.write(JSON.stringify({jsonrpc: '2.0', id: i, method, params}) + '\n');
    });
  const open = async () => {
    await request('initialize', {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'mcpx-bench', version: '1.0.0'}});
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    await request('tools/list', {});
  };
  const close = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.stdin.end();
    });
  return {open, request, close, pid: child.pid};
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
