#!/usr/bin/env node
// `npx impervious-events …`: the command line's bundle (built by `node scripts/build.mjs`).
'use strict';
require('../dist/cli.js');
