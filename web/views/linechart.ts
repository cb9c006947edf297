// Line charts of (x, y) points, for the lab's charts and the lessons': Chart.js (tree-shaken), animation off
// while streaming, the page's light or dark colours.
import { Chart, Legend, LineController, LineElement, LinearScale, LogarithmicScale, PointElement, Tooltip, type ChartDataset, type ChartOptions } from 'chart.js';
import { isDark, textColor } from './palette';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend);

export type XY = { x: number; y: number };
export type Series = ChartDataset<'line', XY[]>;

// Log-axis labels: 1e-6, 1e-3, 1, 1e+3 … at the powers of ten only.
function powerOfTen(v: number): string {
  const e = Math.log10(v);
  return Math.abs(e - Math.round(e)) < 1e-9 ? (Math.round(e) === 0 ? '1' : `1e${Math.round(e)}`) : '';
}

export interface LineChartOptions {
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  xTicks?: (v: number) => string;       // x-axis labels (default: Chart.js's)
  yMax?: number;
  legend?: (label: string) => boolean;  // which datasets the legend lists (default: all)
}

export function lineChart(canvas: HTMLCanvasElement, opts: LineChartOptions): Chart<'line', XY[]> {
  const c = { grid: isDark() ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.07)', text: textColor() };
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
        legend: { labels: { color: c.text, boxWidth: 14, ...(opts.legend ? { filter: (item: { text: string }) => opts.legend!(String(item.text)) } : {}) } },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${Number(ctx.parsed.y).toPrecision(4)}` } },
      },
      scales: ({
        x: { type: opts.logX ? 'logarithmic' : 'linear', title: { display: true, text: opts.xTitle, color: c.text }, grid: { color: c.grid },
          ticks: { color: c.text, precision: 0, ...(opts.xTicks ? { callback: (v: string | number) => opts.xTicks!(Number(v)) } : {}) } },
        y: { type: opts.logY ? 'logarithmic' : 'linear', title: { display: true, text: opts.yTitle, color: c.text }, grid: { color: c.grid }, max: opts.yMax,
          ticks: { color: c.text, ...(opts.logY ? { callback: (v: string | number) => powerOfTen(Number(v)) } : {}) } },
      }) as ChartOptions<'line'>['scales'],
    },
  });
}

export function setTitles(chart: Chart<'line', XY[]>, xTitle: string, yTitle: string) {
  const scales = chart.options.scales as Record<string, { title?: { text?: string } }>;
  if (scales.x.title) scales.x.title.text = xTitle;
  if (scales.y.title) scales.y.title.text = yTitle;
}
