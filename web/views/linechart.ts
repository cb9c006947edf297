// Line charts of (x, y) points, for the lab's charts and the lessons': Chart.js (tree-shaken), animation off
// while streaming, the page's light or dark colours. Quiet like a textbook figure: 11 px ticks, a handful of
// them, faint horizontal grid lines, no vertical ones.
import { Chart, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Ticks, Tooltip, type ChartDataset, type ChartOptions, type Scale, type Tick } from 'chart.js';
import { isDark, textColor } from './palette';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif';
Chart.defaults.font.size = 11;

export type XY = { x: number; y: number };
export type Series = ChartDataset<'line', XY[]>;

// Log-axis labels: at the powers of ten (1e-6, 0.01, 1, 1e+3 …), and where the axis spans less than two decades
// also at 2 and 5 times them, so that a loss from 0.03 to 0.7 is not left with one label.
function logLabel(v: number, ticks: { value: number }[]): string {
  const e = Math.floor(Math.log10(v) + 1e-9), mantissa = v / 10 ** e;
  const decades = Math.log10(ticks[ticks.length - 1].value / ticks[0].value);
  const shown = Math.abs(mantissa - 1) < 1e-6 || (decades < 2 && (Math.abs(mantissa - 2) < 1e-6 || Math.abs(mantissa - 5) < 1e-6));
  if (!shown) return '';
  return e >= -3 && e <= 3 ? String(Number(v.toPrecision(1))) : `${Math.round(mantissa)}e${e}`;
}

// An x value for the tooltip's title: steps and epochs as integers, anything else to 4 digits.
function xLabel(x: number): string {
  return Math.abs(x - Math.round(x)) < 1e-9 || Math.abs(x) >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(4)));
}

export interface LineChartOptions {
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  xTicks?: (v: number) => string;       // x-axis labels (default: Chart.js's)
  yMax?: number;
  legend?: ((label: string) => boolean) | false; // which datasets Chart.js's legend lists (default: all); false: none
}

type AxisOptions = { title: { text: string; color: string }; grid: { color: string }; ticks: { color: string }; min?: number; max?: number };
const scalesOf = (chart: Chart<'line', XY[]>) => chart.options.scales as unknown as { x: AxisOptions; y: AxisOptions };
const gridColor = () => (isDark() ? 'rgba(255,255,255,0.07)' : 'rgba(0,0,0,0.06)');

export function lineChart(canvas: HTMLCanvasElement, opts: LineChartOptions): Chart<'line', XY[]> {
  const c = { grid: gridColor(), text: textColor() };
  const axis = { border: { display: false }, title: { display: true, color: c.text, padding: 2 } };
  return new Chart<'line', XY[]>(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      plugins: {
        legend: opts.legend === false ? { display: false } : { labels: { color: c.text, boxWidth: 14, ...(opts.legend ? { filter: (item: { text: string }) => (opts.legend as (l: string) => boolean)(String(item.text)) } : {}) } },
        tooltip: { callbacks: {
          title: (items) => (items.length ? `${scalesOf(items[0].chart as Chart<'line', XY[]>).x.title.text} ${xLabel(items[0].parsed.x ?? NaN)}` : ''),
          label: (ctx) => `${ctx.dataset.label}: ${Number(ctx.parsed.y).toPrecision(4)}`,
        } },
      },
      scales: ({
        x: { ...axis, type: opts.logX ? 'logarithmic' : 'linear', title: { ...axis.title, text: opts.xTitle }, grid: { display: false, color: c.grid },
          ticks: { color: c.text, precision: 0, maxTicksLimit: 8, maxRotation: 0, ...(opts.xTicks ? { callback: (v: string | number) => opts.xTicks!(Number(v)) } : {}) } },
        y: { ...axis, type: opts.logY ? 'logarithmic' : 'linear', title: { ...axis.title, text: opts.yTitle }, grid: { color: c.grid }, max: opts.yMax,
          ticks: { color: c.text, maxTicksLimit: 6, callback: yLabel } },
      }) as ChartOptions<'line'>['scales'],
    },
  });
}

// The y axis's labels: Chart.js's own on a linear axis, logLabel's on a log one (the loss chart switches).
function yLabel(this: Scale, v: string | number, i: number, ticks: Tick[]): string {
  return this.type === 'logarithmic' ? logLabel(Number(v), ticks) : String(Ticks.formatters.numeric.call(this, Number(v), i, ticks));
}

export function setTitles(chart: Chart<'line', XY[]>, xTitle: string, yTitle: string) {
  const s = scalesOf(chart);
  s.x.title.text = xTitle;
  s.y.title.text = yTitle;
}

// The x axis from `min` to exactly `max` — where the data ends, not at Chart.js's next round tick. NaN: automatic.
export function setXRange(chart: Chart<'line', XY[]>, min: number, max: number) {
  const x = scalesOf(chart).x;
  const known = Number.isFinite(min) && Number.isFinite(max);
  x.min = known ? min : undefined;
  x.max = known ? Math.max(max, min + 1) : undefined;
}

// The light or dark scheme's text and grid colours (the scheme may have changed since the chart was made).
export function restyle(chart: Chart<'line', XY[]>) {
  const text = textColor(), grid = gridColor();
  for (const s of [scalesOf(chart).x, scalesOf(chart).y]) {
    s.title.color = text;
    s.ticks.color = text;
    s.grid.color = grid;
  }
}
