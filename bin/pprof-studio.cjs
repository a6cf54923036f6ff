#!/usr/bin/env node
'use strict';
// Thin launcher: the command itself is bundled into out/cli by `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const entry = path.join(__dirname, '..', 'out', 'cli', 'index.cjs');
if (!fs.existsSync(entry)) {
  process.stderr.write('pprof-studio: not built yet; run `npm run build` first\n');
  process.exit(2);
}
require(entry);
