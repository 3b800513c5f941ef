#!/usr/bin/env node
// The floor for serve's per-call latency: a process that only relays bytes between its client and
// one upstream (started from the rest of the command line), parsing nothing. What mcpx adds beyond
// this relay is its own work; the relay's own cost is the extra process hop every proxy pays.
//   node bench/serve/bare-relay.mjs <command> [args...]
import {spawn} from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const child = spawn(command, args, {stdio: ['pipe', 'pipe', 'inherit']});
process.stdin.pipe(child.stdin);
child.stdout.pipe(process.stdout);
process.stdin.on('end', () => child.stdin.end());
child.on('exit', (code) => process.exit(code ?? 0));
