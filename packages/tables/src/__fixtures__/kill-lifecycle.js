// Child process for the lifecycle crash tests: move or drop a partition and die with SIGKILL at
// the fault point named on the command line.
const { LocalObjectStore } = require('@carelake/storage');
const { TableStore } = require('../../dist');

async function main() {
  const [root, warmRoot, operation, faultPoint, table, partition] = process.argv.slice(2);
  const tables = await TableStore.open({
    store: new LocalObjectStore({ root }),
    tiers: { warm: new LocalObjectStore({ root: warmRoot }) },
    duckdb: { threads: 1, memoryLimit: '256MB' },
    onFaultPoint: (point) => {
      if (point === faultPoint) process.kill(process.pid, 'SIGKILL');
    },
  });
  const context = { principal: 'lifecycle', inputs: [] };
  if (operation === 'move') await tables.movePartition({ table, partition, tier: 'warm', context });
  else await tables.dropPartition({ table, partition, context });
  process.stdout.write('finished\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
