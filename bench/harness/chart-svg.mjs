/**
 * A hand-written SVG of the medians: throughput bars (with min-max whiskers over the rounds) for the
 * saturated variants, then p99 bars for the paced ones. No dependency, readable on GitHub.
 */
const COLORS = { baseline: '#8c8c8c', library: '#e0234e', peer: '#059669', express: '#6366f1', planned: '#f59e0b' };
const ROW = 26;
const LABEL_WIDTH = 250;
const BAR_WIDTH = 460;
const VALUE_WIDTH = 130;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;

const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(title, rows, top, format) {
  const scale = Math.max(...rows.map((row) => row.max ?? row.value)) || 1;
  const parts = [`<text x="10" y="${top + 16}" class="title">${escape(title)}</text>`];
  rows.forEach((row, i) => {
    const y = top + 28 + i * ROW;
    const width = (row.value / scale) * BAR_WIDTH;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escape(row.name)}</text>`);
    parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${width.toFixed(1)}" height="${ROW - 8}" fill="${COLORS[row.group] ?? '#444'}"/>`);
    if (row.min !== undefined && row.max !== undefined) {
      const x1 = LABEL_WIDTH + (row.min / scale) * BAR_WIDTH;
      const x2 = LABEL_WIDTH + (row.max / scale) * BAR_WIDTH;
      const mid = y + ROW / 2 - 1;
      parts.push(`<path d="M${x1.toFixed(1)} ${mid}H${x2.toFixed(1)}M${x1.toFixed(1)} ${mid - 4}v8M${x2.toFixed(1)} ${mid - 4}v8" class="whisker"/>`);
    }
    parts.push(`<text x="${LABEL_WIDTH + BAR_WIDTH + 8}" y="${y + 15}">${escape(format(row.value))}</text>`);
  });
  return { svg: parts.join('\n'), height: 28 + rows.length * ROW + 12 };
}

/**
 * @param throughput [{ name, group, value, min, max }] median req/s
 * @param latency    [{ name, group, value }] median p99 in ms
 * @param caption    one line under the title (machine, date)
 */
export function renderChart({ throughput, latency, caption }) {
  const blocks = [];
  let top = 34;
  const a = panel('Median requests/s (wrk -t1 -c50, server on 1 core; whiskers: min-max over rounds)', throughput, top,
    (v) => `${Math.round(v).toLocaleString('en-US')}/s`);
  blocks.push(a.svg);
  top += a.height;
  if (latency.length) {
    const b = panel('Median p99 latency under paced load (ms, lower is better)', latency, top, (v) => `${v.toFixed(2)} ms`);
    blocks.push(b.svg);
    top += b.height;
  }
  const legend = Object.entries(COLORS).filter(([group]) => [...throughput, ...latency].some((r) => r.group === group))
    .map(([group, color], i) => `<rect x="${10 + i * 110}" y="${top}" width="12" height="12" fill="${color}"/><text x="${26 + i * 110}" y="${top + 11}">${group}</text>`);
  const height = top + 28;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" font-size="12">
<style>text { fill: #222; } .title { font-weight: 600; } .caption { fill: #555; } .whisker { stroke: #222; stroke-width: 1; fill: none; }</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="20" class="caption">${escape(caption)}</text>
${blocks.join('\n')}
${legend.join('\n')}
</svg>
`;
}
