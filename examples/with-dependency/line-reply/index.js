// The dependency of examples/with-dependency's server: the answer to one line a client sent. Installed into
// node_modules (npm install, no registry: it is a file: dependency), it is what the server cannot start without.
'use strict';

/** The answer to one line: `ok <line>`. */
function lineReply(line) {
  return `ok ${line}\n`;
}

module.exports = { lineReply };
