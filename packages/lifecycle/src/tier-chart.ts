import type { TierUsageSample } from './tier-history';

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { top: 30, right: 120, bottom: 50, left: 80 };
const COLORS = ['#d9534f', '#f0ad4e', '#5bc0de', '#337ab7', '#5cb85c', '#777777'];

/**
 * Draws bytes per tier over time as an SVG chart of stacked bars, one bar per sample of the
 * tier history, summed over tables. Tiers are stacked in the order given, warmest at the bottom.
 */
export function renderTierChartSvg(samples: readonly TierUsageSample[], tierOrder: readonly string[]): string {
  const tiers = [...tierOrder];
  for (const sample of samples) {
    for (const byTier of Object.values(sample.bytes)) {
      for (const tier of Object.keys(byTier)) if (!tiers.includes(tier)) tiers.push(tier);
    }
  }
  const totals = samples.map((sample) => sumByTier(sample, tiers));
  const maxBytes = Math.max(1, ...totals.map((byTier) => byTier.reduce((sum, bytes) => sum + bytes, 0)));
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = samples.length === 0 ? plotWidth : plotWidth / samples.length;
  const barWidth = Math.max(1, slot * 0.8);
  const y = (bytes: number): number => (bytes / maxBytes) * plotHeight;

  const bars: string[] = [];
  totals.forEach((byTier, index) => {
    let base = MARGIN.top + plotHeight;
    byTier.forEach((bytes, tierIndex) => {
      if (bytes === 0) return;
      const height = y(bytes);
      base -= height;
      const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
      bars.push(`<rect x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${color(tierIndex)}"><title>${escapeXml(tiers[tierIndex] ?? '')}: ${bytes} bytes</title></rect>`);
    });
  });

  const labelEvery = Math.max(1, Math.ceil(samples.length / 8));
  const xLabels = samples
    .map((sample, index) => ({ sample, index }))
    .filter(({ index }) => index % labelEvery === 0)
    .map(({ sample, index }) => {
      const x = MARGIN.left + index * slot + slot / 2;
      return `<text x="${x.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escapeXml(sample.time.slice(0, 10))}</text>`;
    });
  const legend = tiers.map((tier, index) => {
    const top = MARGIN.top + index * 20;
    return `<rect x="${WIDTH - MARGIN.right + 16}" y="${top}" width="12" height="12" fill="${color(index)}"/><text x="${WIDTH - MARGIN.right + 34}" y="${top + 11}">${escapeXml(tier)}</text>`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<text x="${MARGIN.left}" y="18" font-size="13">Bytes per storage tier over time</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${MARGIN.left + plotWidth}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + 4}" text-anchor="end">${formatBytes(maxBytes)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + plotHeight}" text-anchor="end">0</text>`,
    ...bars,
    ...xLabels,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}

function sumByTier(sample: TierUsageSample, tiers: readonly string[]): number[] {
  return tiers.map((tier) => Object.values(sample.bytes).reduce((sum, byTier) => sum + (byTier[tier] ?? 0), 0));
}

function color(index: number): string {
  return COLORS[index % COLORS.length] as string;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 10 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
