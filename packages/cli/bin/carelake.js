#!/usr/bin/env node
// Launcher kept in the repository so that npm can link the `carelake` bin before
// the TypeScript build has run; it loads the compiled CLI.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  console.error('carelake is not built yet. Run `npm run build` in the repository, then try again.');
  process.exit(1);
}
// Installed before the CLI loads its packages, whose indexes import the AWS SDK clients.
require(join(__dirname, '..', 'dist', 'deferred-sdk.js')).deferAwsSdkLoads();
require(main).runCli(process.argv);
