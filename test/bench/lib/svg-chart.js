'use strict';

// Draws a family's chart as SVG from the panels its benches derive from their results tables:
// per panel, groups of horizontal bars, each bar labelled with its value and its ratio.

const WIDTH = 960;
const LABEL_WIDTH = 330;
const BAR_AREA = 420;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const GROUP_GAP = 10;
const TITLE_HEIGHT = 26;
const PANEL_GAP = 24;
const COLORS = ['#2b6cb0', '#dd6b20', '#38a169', '#805ad5', '#d53f8c', '#718096', '#b7791f'];

function escapeXml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function text(x, y, content, attributes = '') {
  return `<text x="${x}" y="${y}" ${attributes}>${escapeXml(content)}</text>`;
}

function formatValue(value) {
  if (value >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Renders one panel at `top`; returns its SVG elements and height. */
function renderPanel(panel, top) {
  const elements = [];
  const direction = panel.higherIsBetter ? 'higher is better' : 'lower is better';
  elements.push(
    text(10, top + 16, `${panel.title} (${panel.unit}; ${direction})`, 'font-weight="bold"'),
  );
  const values = panel.groups.flatMap((group) => group.bars.map((bar) => bar.value));
  const max = Math.max(...values.filter(Number.isFinite), Number.MIN_VALUE);
  let y = top + TITLE_HEIGHT;
  for (const group of panel.groups) {
    if (group.label) {
      elements.push(text(10, y + 12, group.label, 'font-style="italic"'));
      y += BAR_HEIGHT + BAR_GAP;
    }
    group.bars.forEach((bar, index) => {
      const length = Number.isFinite(bar.value) ? Math.max(1, (bar.value / max) * BAR_AREA) : 0;
      const color = COLORS[index % COLORS.length];
      elements.push(text(20, y + 12, bar.label));
      elements.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${length.toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}"/>`,
      );
      const label = Number.isFinite(bar.value)
        ? `${formatValue(bar.value)}${bar.ratio ? `  (${bar.ratio})` : ''}`
        : 'not measured';
      elements.push(text(LABEL_WIDTH + length + 6, y + 12, label));
      y += BAR_HEIGHT + BAR_GAP;
    });
    y += GROUP_GAP;
  }
  if (panel.note) {
    elements.push(text(10, y + 10, panel.note, 'fill="#4a5568"'));
    y += BAR_HEIGHT;
  }
  return { elements, height: y - top };
}

/**
 * Renders the chart of one family: a heading, then each bench's panels in turn. Each panel is
 * { title, unit, higherIsBetter, note?, groups: [{ label, bars: [{ label, value, ratio? }] }] }.
 */
function renderFamilyChart({ title, subtitle, panels }) {
  const elements = [
    text(10, 24, title, 'font-size="18" font-weight="bold"'),
    text(10, 44, subtitle, 'fill="#4a5568"'),
  ];
  let y = 60;
  for (const panel of panels) {
    const rendered = renderPanel(panel, y);
    elements.push(...rendered.elements);
    y += rendered.height + PANEL_GAP;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${y}" viewBox="0 0 ${WIDTH} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${y}" fill="#ffffff"/>`,
    ...elements,
    '</svg>',
    '',
  ].join('\n');
}

module.exports = { renderFamilyChart };
