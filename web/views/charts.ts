// The loss chart (per run: the per-step training loss, faint, with its TensorBoard smoothing over it, and the
// per-epoch mean train and test loss) and the accuracy chart (per-epoch train and test accuracy). Chart.js,
// tree-shaken, animation off while streaming; each run in its normalization's colour (palette.ts); an HTML
// legend under each chart (chartlegend.ts) names the runs and the line styles and holds the smoothing slider.
import type { Chart } from 'chart.js';
import { isDark, panelColor, runColors, textColor, withAlpha } from './palette';
import { type Series, type XY, lineChart, restyle, setTitles, setXRange } from './linechart';
import { ChartLegend, chartImage, type LineKind } from './chartlegend';
import { DEFAULT_SMOOTHING, Ema, MAX_SMOOTHING, clampSmoothing } from './smoothing';
import { el } from './dom';
import type { EpochPoint } from '../engine/protocol';
import type { Norm } from '../state/config';
import type { Strings } from '../i18n';

// Per-step losses of one run, kept to at most MAX_POINTS points however long training runs: when full,
// neighbouring points are merged in pairs (their mean, at their mean step) and each point then stands for
// twice as many steps. Drawing cost stays bounded; early and late training stay equally resolved.
// `smoothed` follows `raw` point by point (one EMA step per new point); it is recomputed whole only when the
// points merge or the weight changes.
const MAX_POINTS = 1200;
class StepSeries {
  readonly raw: XY[] = [];
  readonly smoothed: XY[] = [];
  private width = 1; // steps per point
  private sumX = 0;
  private sumY = 0;
  private count = 0;
  private ema: Ema;

  constructor(private weight: number) {
    this.ema = new Ema(weight);
  }

  add(step: number, loss: number) {
    this.sumX += step, this.sumY += loss, this.count++;
    if (this.count < this.width) return;
    const p = { x: this.sumX / this.count, y: this.sumY / this.count };
    this.raw.push(p);
    this.smoothed.push({ x: p.x, y: this.ema.push(p.y) });
    this.sumX = this.sumY = this.count = 0;
    if (this.raw.length >= MAX_POINTS) {
      for (let i = 0; i < this.raw.length / 2; i++) {
        const a = this.raw[2 * i], b = this.raw[2 * i + 1] ?? a;
        this.raw[i] = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
      }
      this.raw.length = Math.floor(this.raw.length / 2);
      this.width *= 2;
      this.resmooth();
    }
  }

  setWeight(w: number) {
    this.weight = w;
    this.resmooth();
  }

  private resmooth() {
    this.ema = new Ema(this.weight);
    this.smoothed.length = 0;
    for (const p of this.raw) this.smoothed.push({ x: p.x, y: this.ema.push(p.y) });
  }
}

// One run's series: its step losses and its datasets in both charts.
interface RunSeries {
  name: string;
  steps: StepSeries;
  raw: Series;       // loss chart: per step, faint
  smoothed: Series;  //             per step, smoothed
  train: Series;     //             epoch mean, train
  test: Series;      //             epoch mean, test
  accTrain: Series;  // accuracy chart
  accTest: Series;
}

export interface ChartsOptions {
  // Where each chart's legend goes (its content is replaced). Not given: a <div> right after the canvas's parent
  // (the chart's box). null: no legend.
  legend?: HTMLElement | null;
  accuracyLegend?: HTMLElement | null;
  // Whether the loss legend carries the smoothing slider (default true); without it, call setSmoothing.
  smoothingSlider?: boolean;
}

const LABEL_SEPARATOR = ' · ';

export class Charts {
  private loss: Chart<'line', XY[]>;
  private accuracy: Chart<'line', XY[]>;
  private runs: RunSeries[] = [];
  private colors: string[] = [];
  private smoothing = DEFAULT_SMOOTHING;
  private lossLegend: ChartLegend | null;
  private accuracyLegend: ChartLegend | null;
  private lastUpdate = -Infinity;
  private dirty = false;
  private s: Strings;

  constructor(lossCanvas: HTMLCanvasElement, accuracyCanvas: HTMLCanvasElement, s: Strings, options: ChartsOptions = {}) {
    this.s = s;
    this.loss = lineChart(lossCanvas, { xTitle: s.stepAxis, yTitle: s.loss, legend: false });
    this.accuracy = lineChart(accuracyCanvas, { xTitle: s.epochAxis, yTitle: s.accuracy, yMax: 1, legend: false });
    const place = (given: HTMLElement | null | undefined, canvas: HTMLCanvasElement) => {
      if (given !== undefined) return given;
      const div = el('div');
      (canvas.parentElement ?? canvas).after(div);
      return div;
    };
    const lossBox = place(options.legend, lossCanvas), accuracyBox = place(options.accuracyLegend, accuracyCanvas);
    const slider = options.smoothingSlider ?? true;
    this.lossLegend = lossBox && new ChartLegend(lossBox, slider ? { value: this.smoothing, max: MAX_SMOOTHING, onInput: (w) => this.setSmoothing(w) } : undefined);
    this.accuracyLegend = accuracyBox && new ChartLegend(accuracyBox);
    this.legendStrings();
  }

  // New runs, empty series; each in its normalization's colour (a further shade for a second run with the same
  // one), for the colour scheme in use now.
  reset(runs: readonly { name: string; norm: Norm }[]) {
    const dark = isDark(), panel = panelColor(dark);
    this.colors = runColors(runs, dark);
    restyle(this.loss);
    restyle(this.accuracy);
    // Epoch points as dots, smaller as they crowd (50 epochs over a chart's width are 10 px apart).
    const dots = (ctx: { dataset: { data: unknown[] } }) => { const n = ctx.dataset.data.length; return n <= 20 ? 2.6 : n <= 60 ? 1.9 : 1.3; };
    this.runs = runs.map(({ name }, r): RunSeries => {
      const color = this.colors[r];
      const steps = new StepSeries(this.smoothing);
      const train = { borderColor: color, backgroundColor: color, borderWidth: 2.4, pointRadius: dots, pointBorderWidth: 0, order: 1 };
      const test = { borderColor: color, backgroundColor: panel, borderWidth: 1.6, borderDash: [5, 4], pointRadius: dots, pointBorderWidth: 1.2, order: 1 };
      return {
        name, steps,
        raw: { label: '', data: steps.raw, borderColor: withAlpha(color, dark ? 0.28 : 0.2), borderWidth: 1, pointRadius: 0, pointHoverRadius: 0, order: 3 },
        smoothed: { label: '', data: steps.smoothed, borderColor: color, backgroundColor: color, borderWidth: 1.6, pointRadius: 0, order: 2 },
        train: { label: '', data: [], ...train },
        test: { label: '', data: [], ...test },
        accTrain: { label: '', data: [], ...train },
        accTest: { label: '', data: [], ...test },
      };
    });
    this.loss.data.datasets = this.runs.flatMap((r) => [r.raw, r.smoothed, r.train, r.test]);
    this.accuracy.data.datasets = this.runs.flatMap((r) => [r.accTrain, r.accTest]);
    this.labels();
    this.dirty = true;
  }

  setStrings(s: Strings) {
    this.s = s;
    setTitles(this.loss, s.stepAxis, s.loss);
    setTitles(this.accuracy, s.epochAxis, s.accuracy);
    this.legendStrings();
    this.labels();
    this.dirty = true;
  }

  // The weight of the per-step loss's smoothing, 0 (none) … 0.99 (clamped); redrawn at the next frame.
  setSmoothing(w: number) {
    const weight = clampSmoothing(w);
    this.lossLegend?.showSmoothing(weight);
    if (weight === this.smoothing) return;
    this.smoothing = weight;
    for (const r of this.runs) r.steps.setWeight(weight);
    this.dirty = true;
    this.lastUpdate = -Infinity;
  }

  get smoothingWeight(): number {
    return this.smoothing;
  }

  // Step losses of each run starting at global step `first`; NaN (a stopped run) is never drawn.
  addSteps(first: number, losses: number[][]) {
    losses.forEach((values, r) => {
      const series = this.runs[r]?.steps;
      if (!series) return;
      values.forEach((v, k) => { if (Number.isFinite(v)) series.add(first + k, v); });
    });
    this.dirty = true;
  }

  addEpochs(points: EpochPoint[]) {
    const push = (set: Series, x: number, y: number) => { if (Number.isFinite(y)) set.data.push({ x, y }); };
    for (const p of points) {
      this.runs.forEach((run, r) => {
        push(run.train, p.step, p.trainLoss[r]);
        push(run.test, p.step, p.testLoss[r]);
        push(run.accTrain, p.epoch, p.trainAccuracy[r]);
        push(run.accTest, p.epoch, p.testAccuracy[r]);
      });
    }
    this.dirty = true;
  }

  // A chart as an image with its runs and line styles drawn under it, on the panel's colour: for Save PNG
  // (savePng(charts.image('loss'), …)), since the HTML legend is not part of the canvas.
  image(which: 'loss' | 'accuracy'): HTMLCanvasElement {
    if (this.dirty) this.update();
    const chart = which === 'loss' ? this.loss : this.accuracy;
    const runs = this.runs.map((r, i) => ({ name: r.name, color: this.colors[i] }));
    return chartImage(chart.canvas, runs, which === 'loss' ? this.lossLines() : this.accuracyLines(), { text: textColor(), panel: panelColor() });
  }

  destroy() {
    this.loss.destroy();
    this.accuracy.destroy();
  }

  setLogScale(log: boolean) {
    const y = (this.loss.options.scales as Record<string, { type: string }>).y;
    y.type = log ? 'logarithmic' : 'linear';
    this.dirty = true;
  }

  // The loss chart's data points (per-step, after binning, and per-epoch; the smoothed copy not counted).
  pointCount(): number {
    return this.runs.reduce((n, r) => n + r.raw.data.length + r.train.data.length + r.test.data.length, 0);
  }

  // Called every animation frame; while data streams in, the charts redraw at most ~12 times a second
  // (the boundaries and the status keep the full frame rate).
  draw(now = performance.now()) {
    if (!this.dirty || now - this.lastUpdate < 80) return;
    this.lastUpdate = now;
    this.update();
  }

  private update() {
    this.dirty = false;
    // The x axes end where the data ends: the last step drawn, the last epoch.
    const last = (sets: Series[]) => Math.max(...sets.map((d) => d.data[d.data.length - 1]?.x ?? -Infinity));
    const first = (sets: Series[]) => Math.min(...sets.map((d) => d.data[0]?.x ?? Infinity));
    const lossSets = this.runs.flatMap((r) => [r.raw, r.train, r.test]), accSets = this.runs.flatMap((r) => [r.accTrain, r.accTest]);
    setXRange(this.loss, 0, last(lossSets));
    setXRange(this.accuracy, first(accSets), last(accSets));
    this.loss.update('none');
    this.accuracy.update('none');
    this.loss.canvas.dataset.points = String(this.pointCount()); // read by the e2e tests, as the last points drawn are
    this.loss.canvas.dataset.last = JSON.stringify(this.runs.map((r) => [r.raw.data.at(-1)?.y ?? null, r.smoothed.data.at(-1)?.y ?? null]));
    this.loss.canvas.dataset.xMax = String((this.loss.options.scales as Record<string, { max?: number }>).x.max);
  }

  // Dataset labels (tooltips) and the legends' runs, in the page's language.
  private labels() {
    const s = this.s, label = (name: string, what: string) => `${name}${LABEL_SEPARATOR}${what}`;
    for (const r of this.runs) {
      r.raw.label = label(r.name, s.linePerStep);
      r.smoothed.label = label(r.name, s.lineSmoothed);
      r.train.label = label(r.name, s.lineEpochTrain);
      r.test.label = label(r.name, s.lineEpochTest);
      r.accTrain.label = label(r.name, s.trainSeries);
      r.accTest.label = label(r.name, s.testSeries);
    }
    const runs = this.runs.map((r, i) => ({ name: r.name, color: this.colors[i] }));
    this.lossLegend?.setRuns(runs, s.legendRuns);
    this.accuracyLegend?.setRuns(runs, s.legendRuns);
  }

  private lossLines(): [LineKind, string][] {
    const s = this.s;
    return [['raw', s.linePerStep], ['smoothed', s.lineSmoothed], ['train', s.lineEpochTrain], ['test', s.lineEpochTest]];
  }

  private accuracyLines(): [LineKind, string][] {
    return [['train', this.s.lineAccuracyTrain], ['test', this.s.lineAccuracyTest]];
  }

  private legendStrings() {
    const s = this.s;
    this.lossLegend?.setLines(this.lossLines(), s.legendLines);
    this.lossLegend?.setSmoothingText(s.smoothing, s.smoothingHint);
    this.accuracyLegend?.setLines(this.accuracyLines(), s.legendLines);
  }
}
