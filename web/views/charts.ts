// The loss chart (per-step training loss, per-epoch mean train and test loss, per run) and the accuracy
// chart (per-epoch train and test accuracy). Chart.js, tree-shaken, animation off while streaming.
import type { Chart } from 'chart.js';
import { RUN_COLORS } from './palette';
import { type Series, type XY, lineChart, setTitles } from './linechart';
import type { EpochPoint } from '../engine/protocol';
import type { Strings } from '../i18n';

// Per-step losses of one run, kept to at most MAX_POINTS points however long training runs: when full,
// neighbouring points are merged in pairs (their mean, at their mean step) and each point then stands for
// twice as many steps. Drawing cost stays bounded; early and late training stay equally resolved.
const MAX_POINTS = 1200;
class BinnedSeries {
  readonly points: XY[] = [];
  private width = 1; // steps per point
  private sumX = 0;
  private sumY = 0;
  private count = 0;

  add(step: number, loss: number) {
    this.sumX += step, this.sumY += loss, this.count++;
    if (this.count < this.width) return;
    this.points.push({ x: this.sumX / this.count, y: this.sumY / this.count });
    this.sumX = this.sumY = this.count = 0;
    if (this.points.length >= MAX_POINTS) {
      for (let i = 0; i < this.points.length / 2; i++) {
        const a = this.points[2 * i], b = this.points[2 * i + 1] ?? a;
        this.points[i] = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      }
      this.points.length = Math.floor(this.points.length / 2);
      this.width *= 2;
    }
  }
}

export class Charts {
  private loss: Chart<'line', XY[]>;
  private accuracy: Chart<'line', XY[]>;
  private names: string[] = [];
  private steps: BinnedSeries[] = [];
  private lastUpdate = 0;
  private dirty = false;
  private s: Strings;

  constructor(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement, s: Strings) {
    this.s = s;
    const legend = (label: string) => !label.includes(' · '); // one entry per run
    this.loss = lineChart(lossCanvas, { xTitle: s.stepAxis, yTitle: s.loss, legend });
    this.accuracy = lineChart(accuracyCanvas, { xTitle: s.epochAxis, yTitle: s.accuracy, yMax: 1, legend });
  }

  // New runs: empty series.
  reset(names: string[]) {
    this.names = names;
    const loss: Series[] = [], acc: Series[] = [];
    this.steps = names.map(() => new BinnedSeries());
    names.forEach((name, r) => {
      const color = RUN_COLORS[r % RUN_COLORS.length];
      loss.push({ label: name, data: this.steps[r].points, borderColor: color + '55', backgroundColor: color, borderWidth: 0.8, pointRadius: 0 });
      loss.push({ label: `${name} · ${this.s.trainSeries}`, data: [], borderColor: color, backgroundColor: color, borderWidth: 2.6, pointRadius: 2 });
      loss.push({ label: `${name} · ${this.s.testSeries}`, data: [], borderColor: color, backgroundColor: color, borderWidth: 2, borderDash: [6, 4], pointRadius: 2 });
      acc.push({ label: name, data: [], borderColor: color, backgroundColor: color, borderWidth: 2, pointRadius: 1.5 });
      acc.push({ label: `${name} · ${this.s.testSeries}`, data: [], borderColor: color, backgroundColor: color, borderWidth: 2, borderDash: [6, 4], pointRadius: 1.5 });
    });
    this.loss.data.datasets = loss;
    this.accuracy.data.datasets = acc;
    this.dirty = true;
  }

  setStrings(s: Strings) {
    this.s = s;
    setTitles(this.loss, s.stepAxis, s.loss);
    setTitles(this.accuracy, s.epochAxis, s.accuracy);
    this.names.forEach((name, r) => {
      this.loss.data.datasets[3 * r + 1].label = `${name} · ${s.trainSeries}`;
      this.loss.data.datasets[3 * r + 2].label = `${name} · ${s.testSeries}`;
      this.accuracy.data.datasets[2 * r + 1].label = `${name} · ${s.testSeries}`;
    });
    this.dirty = true;
  }

  // Step losses of each run starting at global step `first`; NaN (a stopped run) is never drawn.
  addSteps(first: number, losses: number[][]) {
    losses.forEach((values, r) => {
      const series = this.steps[r];
      if (!series) return;
      values.forEach((v, k) => { if (Number.isFinite(v)) series.add(first + k, v); });
    });
    this.dirty = true;
  }

  addEpochs(points: EpochPoint[]) {
    for (const p of points) {
      p.trainLoss.forEach((v, r) => {
        const push = (set: number, value: number, chart: Chart<'line', XY[]>, x: number) => {
          if (Number.isFinite(value)) chart.data.datasets[set]?.data.push({ x, y: value });
        };
        push(3 * r + 1, v, this.loss, p.step);
        push(3 * r + 2, p.testLoss[r], this.loss, p.step);
        push(2 * r, p.trainAccuracy[r], this.accuracy, p.epoch);
        push(2 * r + 1, p.testAccuracy[r], this.accuracy, p.epoch);
      });
    }
    this.dirty = true;
  }

  destroy() {
    this.loss.destroy();
    this.accuracy.destroy();
  }

  setSmoothing(_weight: number) { /* TEMP: until the charts branch lands */ }

  setLogScale(log: boolean) {
    const y = (this.loss.options.scales as Record<string, { type: string }>).y;
    y.type = log ? 'logarithmic' : 'linear';
    this.dirty = true;
  }

  pointCount(): number {
    return this.loss.data.datasets.reduce((n, d) => n + d.data.length, 0);
  }

  // Called every animation frame; while data streams in, the charts redraw at most ~12 times a second
  // (the boundaries and the status keep the full frame rate).
  draw(now = performance.now()) {
    if (!this.dirty || now - this.lastUpdate < 80) return;
    this.lastUpdate = now;
    this.dirty = false;
    this.loss.update('none');
    this.accuracy.update('none');
    this.loss.canvas.dataset.points = String(this.pointCount()); // read by the e2e tests
  }
}
