#!/usr/bin/env node
'use strict';
// sockspec: the program compiled into dist/ by `npm run build`. npm links this committed file at install time
// (it skips a bin whose file is not there yet), so the command exists from `npm ci` on and says what is missing.
try {
  require.resolve('../dist/main.js');
} catch {
  process.stderr.write(
    'sockspec: not built yet. Hint: run `npm run build` in the repository first.\n',
  );
  process.exit(1);
}
require('../dist/main.js');
