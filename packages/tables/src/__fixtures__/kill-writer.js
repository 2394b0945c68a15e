// Child process for the crash test: append rows and die with SIGKILL after the
// data files are written and before the commit file is created.
const { LocalObjectStore } = require('@carelake/storage');
const { TableStore } = require('../../dist');
const { datasetSchema } = require('@carelake/core');

async function main() {
  const [root, datasetJson, rowsJson] = process.argv.slice(2);
  const dataset = datasetSchema.parse(JSON.parse(datasetJson));
  const rows = JSON.parse(rowsJson, (key, value) =>
    typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value) ? new Date(value) : value,
  );
  const tables = await TableStore.open({
    store: new LocalObjectStore({ root }),
    duckdb: { threads: 1, memoryLimit: '256MB' },
    onFaultPoint: () => process.kill(process.pid, 'SIGKILL'),
  });
  await tables.append(dataset, rows, { principal: 'runner', inputs: ['crash-test'] });
  process.stdout.write('committed\n');
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
