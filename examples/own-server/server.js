#!/usr/bin/env node
// A small TCP server of the kind the report's CLOSE_WAIT story is about: it answers each line with "ok" and, when a
// client closes its end, closes its own. With --leak it forgets that last step, and every connection a client
// closes first is left in CLOSE_WAIT for as long as the process lives.
'use strict';
const net = require('node:net');
const { parseArgs } = require('node:util');

const USAGE = 'Usage: node server.js --port P [--leak]\n';
let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      leak: { type: 'boolean', default: false },
      help: { type: 'boolean' },
    },
  }));
} catch (error) {
  process.stderr.write(`server.js: ${error.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(
    `server.js: --port must be a port number, not '${values.port ?? ''}'\n${USAGE}`,
  );
  process.exit(2);
}

// allowHalfOpen: Node would otherwise end our side by itself when the client's FIN arrives.
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  socket.setEncoding('utf8');
  socket.on('data', (text) => {
    for (const line of text.split('\n').filter((part) => part !== '')) socket.write(`ok ${line}\n`);
  });
  socket.on('end', () => {
    if (!values.leak) socket.end();
  });
  socket.on('error', () => socket.destroy());
});
server.listen(port, () => {
  process.stdout.write(`${JSON.stringify({ event: 'listening', port, leak: values.leak })}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => process.exit(0));
