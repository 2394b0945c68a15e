#!/usr/bin/env node
// Writes docs/reference/cli.md from the built CLI's command tree (npm run docs:cli builds it first).
// packages/cli/src/cli-reference.test.ts fails while the page differs from what this writes.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const repositoryRoot = join(__dirname, '..');
const cliDist = join(repositoryRoot, 'packages', 'cli', 'dist');
const { program } = require(join(cliDist, 'main.js'));
const { renderCliReference } = require(join(cliDist, 'cli-reference.js'));

const page = join(repositoryRoot, 'docs', 'reference', 'cli.md');
writeFileSync(page, renderCliReference(program));
process.stdout.write(`wrote ${page}\n`);
