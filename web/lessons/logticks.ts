// Log-axis ticks at 1, 2 and 5 times the powers of ten inside the axis's range, for the lessons' log charts whose
// data spans a decade or two (an effective learning rate, a band of losses): Chart.js's own log ticks leave such an
// axis with one or two labels. The labels themselves stay linechart.ts's.
import type { Chart, Scale } from 'chart.js';
import type { XY } from '../views/linechart';

export function ticks125(chart: Chart<'line', XY[]>) {
  const y = (chart.options.scales as Record<string, { afterBuildTicks?: (axis: Scale) => void; ticks: { autoSkip?: boolean } }>).y;
  y.ticks.autoSkip = false; // at most 3 labels a decade, the 2s and 5s only when the axis spans less than two
  y.afterBuildTicks = (axis: Scale) => {
    const lo = axis.min, hi = axis.max;
    if (!(lo > 0 && hi > lo && Number.isFinite(hi))) return;
    const ticks: { value: number }[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of [1, 2, 5]) {
        const v = Number((m * 10 ** e).toPrecision(1));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push({ value: v });
      }
    }
    if (ticks.length >= 2) axis.ticks = ticks;
  };
}
