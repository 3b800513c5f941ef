#!/usr/bin/env node
// The bare upstream of serve's benchmarks: the least a node process can do to answer an MCP
// client (no SDK, one tool). As the floor for warm start it answers initialize and tools/list;
// for the latency breakdown its `echo` answers with two clock readings (process.hrtime, the
// system's monotonic clock, comparable across processes): when the request's bytes arrived and
// when the answer was written, so the client can split a call's time into the way in and back.
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const arrived = process.hrtime.bigint();
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const message = JSON.parse(buffer.slice(0, nl));
    buffer = buffer.slice(nl + 1);
    if (message.id === undefined) continue;
    const result =
      message.method === 'initialize'
        ? {protocolVersion: message.params.protocolVersion, capabilities: {tools: {}}, serverInfo: {name: 'bare', version: '1'}}
        : message.method === 'tools/list'
          ? {tools: [{name: 'echo', inputSchema: {type: 'object', properties: {text: {type: 'string'}}}}]}
          : message.method === 'tools/call'
            ? {content: [{type: 'text', text: `${arrived} ${process.hrtime.bigint()}`}]}
            : {};
    process.stdout.write(JSON.stringify({jsonrpc: '2.0', id: message.id, result}) + '\n');
  }
});
