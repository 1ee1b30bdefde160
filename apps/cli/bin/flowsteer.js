#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, resolving the workspace's path aliases from any cwd.
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..', '..');
process.env.TSX_TSCONFIG_PATH = process.env.TSX_TSCONFIG_PATH || path.join(root, 'tsconfig.json');
require('tsx/cjs');
require(path.join(root, 'apps', 'cli', 'src', 'main.ts'));
