#!/usr/bin/env node
// A TCP server with an npm dependency (line-reply, in node_modules once `npm install` ran): it answers each line a
// client sends and closes its end when the client closes. `sockspec check` copies this folder with its node_modules
// into a target; without them, the server stops at require('line-reply').
'use strict';
const net = require('node:net');
const { parseArgs } = require('node:util');
const { lineReply } = require('line-reply');

const { values } = parseArgs({ options: { port: { type: 'string' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`server.js: --port must be a port number, not '${values.port ?? ''}'\n`);
  process.exit(2);
}

// allowHalfOpen: the server, not Node, closes its end once the client's FIN arrives.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.setEncoding('utf8');
  socket.on('data', (text) => {
    for (const line of text.split('\n').filter((part) => part !== ''))
      socket.write(lineReply(line));
  });
  socket.on('end', () => socket.end());
  socket.on('error', () => socket.destroy());
});
// No host: every address, IPv6 (::) as well as IPv4 where the namespace has IPv6.
server.listen(port, () => {
  process.stdout.write(`${JSON.stringify({ event: 'listening', address: server.address() })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => process.exit(0));
