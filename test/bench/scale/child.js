'use strict';

// One pipeline run of the scale bench, in its own process so that its peak RSS belongs to that run
// alone. It opens the encrypted lake of `configDir` and runs the pipeline file with the runner's
// stage signals timed, then sends back the run summary, the stage times and the peak RSS.

const { performance } = require('node:perf_hooks');
const { distEntry } = require('../lib/carelake-dist');
const { StageClock } = require('./stage-clock');

const RSS_SAMPLE_MS = 250;
const MIB = 1024 * 1024;

async function main({ configDir, pipelineFile, datasetsDir }) {
  const core = require(distEntry('core'));
  const pipeline = require(distEntry('pipeline'));

  const clock = new StageClock();
  let peakSampledRss = 0;
  const sampler = setInterval(() => {
    peakSampledRss = Math.max(peakSampledRss, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);

  const openStarted = performance.now();
  const config = core.loadConfig({ cwd: configDir, env: {} });
  const lake = await pipeline.openLocalLake(config);
  const openMs = performance.now() - openStarted;
  const datasets = pipeline.loadDatasets(datasetsDir);
  const logger = core.createLogger({ level: 'info', destination: clock.logDestination() });

  // The runner audits each landed file before it decodes it, which ends the landing stage.
  const append = lake.audit.append.bind(lake.audit);
  lake.audit.append = async (event) => {
    const result = await append(event);
    if (event.action === 'file.land') clock.mark('read source and land (encrypt)');
    return result;
  };

  clock.restart();
  const summary = await pipeline.runPipeline({
    lake,
    pipeline: pipeline.loadPipelineFile(pipelineFile),
    datasets,
    logger,
  });
  clock.mark('ledger, run audit and the end of the run');
  const runMs = performance.now() - clock.startedAt;
  await lake.close();
  clearInterval(sampler);

  process.send({
    summary,
    openMs,
    runMs,
    stages: clock.list(),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    peakSampledRssMiB: peakSampledRss / MIB,
  });
}

main(JSON.parse(process.argv[2])).catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
