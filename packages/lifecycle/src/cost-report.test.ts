// Real: a local lake in temp folders with tier stores, the table layer, DuckDB, the lifecycle runner, the bundled price file.
// Faked: the clock, a ManualClock.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openTempLake, type TempLake } from './__fixtures__/temp-lake';
import { testTiers, visitRows, visitsDataset, visitsPolicies } from './__fixtures__/visits-lake';
import { BYTES_PER_GB, buildCostReport } from './cost-report';
import { runLocalLifecycle } from './local-runner';
import { parseStoragePriceFile } from './storage-prices';
import { renderTierChartSvg } from './tier-chart';
import { readTierHistory } from './tier-history';

const DAY_MS = 86_400_000;
const pricesFile = resolve(__dirname, '../../../pipelines/policies/storage-prices.yaml');
const prices = parseStoragePriceFile(readFileSync(pricesFile, 'utf8'), pricesFile);
const context = { principal: 'runner', inputs: [] };

describe('lifecycle cost report', () => {
  let lake: TempLake;

  beforeEach(async () => {
    lake = await openTempLake();
  });

  afterEach(async () => {
    await lake.close();
  });

  async function run(): Promise<void> {
    await runLocalLifecycle({
      tables: lake.tables,
      datasets: [visitsDataset],
      policies: visitsPolicies,
      holds: [],
      tiers: testTiers,
      audit: lake.audit,
      clock: lake.clock,
      principal: 'runner',
      stateStore: lake.hotStore,
    });
  }

  it('prices each tier by the class of its files', async () => {
    await lake.tables.append(visitsDataset, visitRows('2026-01', 5), context);
    lake.clock.advance(400 * DAY_MS);
    await lake.tables.append(visitsDataset, visitRows('2027-02', 5), context);
    await run();
    const report = await buildCostReport({ tables: lake.tables, datasets: [visitsDataset], policies: visitsPolicies, tiers: testTiers, prices, clock: lake.clock });

    expect(report.lines.map(({ tier, storageClass }) => [tier, storageClass])).toEqual([
      ['hot', 'STANDARD'],
      ['warm', 'GLACIER_IR'],
    ]);
    const warm = report.lines.find((line) => line.tier === 'warm');
    expect(warm?.monthlyCost).toBeCloseTo(((warm?.bytes ?? 0) / BYTES_PER_GB) * 0.004, 12);
    expect(report.allHotMonthlyCost).toBeCloseTo((report.totalBytes / BYTES_PER_GB) * 0.023, 12);
    expect(report.monthlySaving).toBeGreaterThan(0);
    expect(report.monthlySaving).toBeCloseTo(report.allHotMonthlyCost - report.monthlyCost, 12);
  });

  it('draws one bar segment per tier and sample', async () => {
    await lake.tables.append(visitsDataset, visitRows('2026-01', 5), context);
    await run();
    lake.clock.advance(100 * DAY_MS);
    await run();
    const svg = renderTierChartSvg(await readTierHistory(lake.hotStore), ['hot', 'warm', 'cold']);

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<title>hot: \d+ bytes<\/title>/g)).toHaveLength(1);
    expect(svg.match(/<title>warm: \d+ bytes<\/title>/g)).toHaveLength(1);
    expect(svg).toContain('>2026-01-01<');
    expect(svg).toContain('>2026-04-11<');
  });

  it('rejects a price file without a class', () => {
    expect(() => parseStoragePriceFile('source: test\ncurrency: USD\nperGbMonth: { STANDARD: 0.02 }\n', 'prices.yaml')).toThrow('prices.yaml');
  });
});
