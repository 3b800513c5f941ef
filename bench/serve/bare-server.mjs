#!/usr/bin/env node
// The floor for serve's warm-start benchmark: the least a node process can do to answer an MCP
// client's initialize and tools/list (no SDK, one fixed tool). Whatever mcpx takes beyond this is
// its own start-up work.
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
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
          ? {tools: [{name: 'echo', inputSchema: {type: 'object'}}]}
          : {};
    process.stdout.write(JSON.stringify({jsonrpc: '2.0', id: message.id, result}) + '\n');
  }
});
