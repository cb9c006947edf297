// Layer statistics and gradient flow: what the trainer worker samples 8 times per epoch (engine/protocol.ts
// DiagnosticsPoint), kept here for the whole run (halved in resolution when it grows long) and charted.
import type { Chart } from 'chart.js';
import type { LabConfig } from '../state/config';
import type { DiagnosticsPoint } from '../engine/protocol';
import type { LessonStrings } from '../i18n/lessons-en';
import { isDark, runColors } from '../views/palette';
import { el, field, select, setOptions } from '../views/dom';
import { type Series, type XY, lineChart, setTitles } from '../views/linechart';

const MAX_POINTS = 1500;
// The layers whose outputs are charted: activations, and residual blocks (the residual stream) for mean/std.
const ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'gelu', 'leaky_relu', 'residual']);
const METRICS = ['mean', 'std', 'saturated', 'gamma', 'beta'] as const;
type Metric = (typeof METRICS)[number];
// Colours for the layers of one run: light (input side) to dark (output side).
const layerColor = (k: number, n: number) => `hsl(${210 - (170 * k) / Math.max(1, n - 1)}, 65%, ${38 + 14 * (k % 2)}%)`;

export class History {
  points: DiagnosticsPoint[] = [];
  add(points: DiagnosticsPoint[]) {
    for (const p of points) {
      if (this.points.length && p.step <= this.points[this.points.length - 1].step) this.points = this.points.filter((q) => q.step < p.step);
      this.points.push(p);
    }
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
  }
  clear() { this.points = []; }
}

export function canvasBox(label: string): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const box = el('div', 'chart-box');
  const canvas = el('canvas') as HTMLCanvasElement;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  box.append(canvas);
  return { box, canvas };
}

export class LayerStats {
  readonly root = el('div', 'layerstats');
  private runSel = select('stats-run', [], '');
  private metricSel = select('stats-metric', METRICS.map((m) => [m, m]), 'mean');
  private labels: { label: HTMLLabelElement; key: keyof LessonStrings }[] = [];
  private note = el('p', 'why');
  private chart: Chart<'line', XY[]>;
  private canvas: HTMLCanvasElement;
  private config: LabConfig | null = null;
  private dirty = true;

  constructor(private t: LessonStrings, private history: History, onDeepSigmoid: () => void) {
    const controls = el('div', 'inspector-controls');
    for (const [control, key] of [[this.runSel, 'statsRun'], [this.metricSel, 'statsMetric']] as const) {
      const f = field(control, String(t[key]));
      this.labels.push({ label: f.label, key });
      controls.append(f.wrap);
    }
    const load = el('button', '', { type: 'button', id: 'stats-deep-sigmoid' });
    load.addEventListener('click', onDeepSigmoid);
    load.dataset.key = 'loadDeepSigmoid';
    controls.append(load);
    const { box, canvas } = canvasBox('');
    this.canvas = canvas;
    this.root.append(controls, this.note, box);
    this.chart = lineChart(canvas, { xTitle: 'step', yTitle: '' });
    this.runSel.addEventListener('change', () => { this.dirty = true; this.draw(); });
    this.metricSel.addEventListener('change', () => { this.dirty = true; this.draw(); });
    this.applyStrings(t);
  }

  setConfig(c: LabConfig) {
    this.config = c;
    setOptions(this.runSel, c.runs.map((r, i) => [String(i), r.name]));
    this.dirty = true;
  }

  changed() { this.dirty = true; }
  destroy() { this.chart.destroy(); }

  applyStrings(t: LessonStrings) {
    this.t = t;
    for (const { label, key } of this.labels) label.textContent = String(t[key]);
    const names: Record<Metric, string> = { mean: t.metricMean, std: t.metricStd, saturated: t.metricSaturated, gamma: t.metricGamma, beta: t.metricBeta };
    Array.from(this.metricSel.options).forEach((o) => { o.textContent = names[o.value as Metric]; });
    this.root.querySelector<HTMLElement>('#stats-deep-sigmoid')!.textContent = t.loadDeepSigmoid;
    this.dirty = true;
    this.draw();
  }

  // Called once per animation frame while the section is open.
  draw() {
    if (!this.dirty || !this.config) return;
    this.dirty = false;
    const t = this.t, run = Number(this.runSel.value || 0), metric = this.metricSel.value as Metric;
    const metricName = this.metricSel.selectedOptions[0]?.textContent ?? metric;
    this.canvas.setAttribute('aria-label', t.statsChart(metricName, this.config.runs[run]?.name ?? ''));
    const series = new Map<number | string, { label: string; data: XY[] }>();
    for (const p of this.history.points) {
      const d = p.runs[run];
      if (!d) continue;
      if (metric === 'gamma' || metric === 'beta') {
        d.affine.forEach((a, k) => {
          if (!series.has(a.name)) series.set(a.name, { label: t.layerName(k + 1, a.type), data: [] });
          series.get(a.name)!.data.push({ x: p.step, y: metric === 'gamma' ? a.gammaMean : a.betaMean });
        });
      } else {
        let k = 0;
        for (const a of d.acts) {
          if (!ACTIVATIONS.has(a.type) || (metric === 'saturated' && a.type !== 'tanh' && a.type !== 'sigmoid')) continue;
          k++;
          if (!series.has(a.layer)) series.set(a.layer, { label: t.layerName(k, a.type), data: [] });
          series.get(a.layer)!.data.push({ x: p.step, y: a[metric] });
        }
      }
    }
    const list = [...series.values()];
    this.chart.data.datasets = list.map((s, k): Series => ({ label: s.label, data: s.data, borderColor: layerColor(k, list.length), backgroundColor: layerColor(k, list.length), borderWidth: 1.8, pointRadius: 0 }));
    setTitles(this.chart, t.axisStep, metricName);
    this.note.textContent = this.history.points.length === 0 ? t.statsEmpty
      : list.length > 0 ? t.layerstatsIntro
      : metric === 'saturated' ? t.statsNoSaturating : t.statsNoNorm;
    this.chart.update('none');
  }
}

export class GradientFlow {
  readonly root = el('div', 'gradflow');
  private now: Chart<'line', XY[]>;
  private time: Chart<'line', XY[]>;
  private ratios = el('ul', 'ratios');
  private note = el('p', 'why');
  private heads: HTMLElement[] = [];
  private canvases: HTMLCanvasElement[] = [];
  private config: LabConfig | null = null;
  private dirty = true;

  constructor(private t: LessonStrings, private history: History, onDeepSigmoid: () => void) {
    const load = el('button', '', { type: 'button', id: 'grad-deep-sigmoid' });
    load.addEventListener('click', onDeepSigmoid);
    const a = canvasBox(''), b = canvasBox('');
    this.canvases = [a.canvas, b.canvas];
    this.heads = [el('h4'), el('h4')];
    this.root.append(load, this.note, this.heads[0], a.box, this.ratios, this.heads[1], b.box);
    this.now = lineChart(a.canvas, { xTitle: '', yTitle: '', logY: true });
    this.time = lineChart(b.canvas, { xTitle: 'step', yTitle: '', logY: true });
    this.applyStrings(t);
  }

  setConfig(c: LabConfig) { this.config = c; this.dirty = true; }
  changed() { this.dirty = true; }
  destroy() { this.now.destroy(); this.time.destroy(); }

  applyStrings(t: LessonStrings) {
    this.t = t;
    this.root.querySelector<HTMLElement>('#grad-deep-sigmoid')!.textContent = t.loadDeepSigmoid;
    this.heads[0].textContent = t.gradNow;
    this.heads[1].textContent = t.gradOverTime;
    this.canvases[0].setAttribute('aria-label', t.gradNowLabel);
    this.canvases[1].setAttribute('aria-label', t.gradTimeLabel);
    setTitles(this.now, t.gradLayerAxis, t.gradNormAxis);
    setTitles(this.time, t.axisStep, t.gradNormAxis);
    this.dirty = true;
    this.draw();
  }

  draw() {
    if (!this.dirty || !this.config) return;
    this.dirty = false;
    const t = this.t, c = this.config, pts = this.history.points;
    const last = pts[pts.length - 1];
    const positive = (v: number) => (v > 0 && Number.isFinite(v) ? v : NaN); // log scale: a zero gradient is a gap
    const colors = runColors(c.runs, isDark()); // as in the lab's charts
    this.now.data.datasets = c.runs.map((r, i): Series => ({
      label: r.name, borderColor: colors[i], backgroundColor: colors[i], borderWidth: 2, pointRadius: 3,
      data: last?.runs[i] ? last.runs[i]!.grads.map((g, k) => ({ x: k + 1, y: positive(g.norm) })) : [],
    }));
    this.time.data.datasets = c.runs.map((r, i): Series => ({
      label: r.name, borderColor: colors[i], backgroundColor: colors[i], borderWidth: 1.6, pointRadius: 0,
      data: pts.flatMap((p) => (p.runs[i]?.grads.length ? [{ x: p.step, y: positive(p.runs[i]!.grads[0].norm) }] : [])),
    }));
    this.ratios.replaceChildren(...c.runs.flatMap((r, i) => {
      const g = last?.runs[i]?.grads;
      if (!g || g.length < 2) return [];
      return [el('li', '', { textContent: t.gradRatio(r.name, (g[0].norm / g[g.length - 1].norm).toExponential(2)) })];
    }));
    this.note.textContent = pts.length ? t.gradflowIntro : `${t.gradflowIntro} ${t.statsEmpty}`;
    this.now.update('none');
    this.time.update('none');
  }
}
