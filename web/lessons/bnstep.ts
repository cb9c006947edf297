// BatchNorm step by step: one feature of one BatchNorm layer of a live run, on the batch it has just trained
// on. The trainer worker sends the trace (core/model.cpp batchnorm_trace) with every frame while this
// section is open; this view writes it out as the lesson's four steps plus the running-statistics update.
import { type LabConfig, modelJson } from '../state/config';
import type { BnTrace, BnWatch } from '../engine/protocol';
import type { LessonStrings } from '../i18n/lessons-en';
import { el, field, hiDpiContext, numberInput, select, setOptions } from '../views/dom';
import { num, tex } from './math';
import { CLASS_RGB, RUN_COLORS, rgb, textColor } from '../views/palette';

const SHOWN_ROWS = 32;
const paren = (v: number) => (v < 0 ? `(${num(v)})` : num(v)); // a negative factor in a product

// Top-level indices of a run's BatchNorm layers, as the engine numbers them.
export function batchNormLayers(c: LabConfig, run: number): number[] {
  const layers = (JSON.parse(modelJson(c, c.runs[run])) as { layers: { type: string }[] }).layers;
  return layers.flatMap((l, i) => (l.type === 'batchnorm' ? [i] : []));
}

export class BnStep {
  readonly root = el('div', 'bnstep');
  private controls = el('div', 'inspector-controls');
  private runSel = select('bn-run', [], '');
  private layerSel = select('bn-layer', [], '');
  private feature = numberInput('bn-feature', 0, { min: 0, step: 1 });
  private body = el('div', 'bnstep-body');
  private message = el('p', 'why');
  private featureError = el('p', 'error', { id: 'bn-feature-error' });
  private lastRender = 0;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private loadButton = el('button', '', { type: 'button', id: 'bn-load-lesson' });
  private labels: { label: HTMLLabelElement; key: keyof LessonStrings }[] = [];
  private config: LabConfig | null = null;
  private trace: BnTrace | null = null;
  watch: BnWatch | null = null;

  constructor(private t: LessonStrings, private onWatch: (w: BnWatch | null) => void, onLoadLesson: () => void) {
    for (const [control, key] of [[this.runSel, 'bnRun'], [this.layerSel, 'bnLayer'], [this.feature, 'bnFeature']] as const) {
      const f = field(control, String(t[key]));
      this.labels.push({ label: f.label, key });
      this.controls.append(f.wrap);
    }
    this.loadButton.addEventListener('click', onLoadLesson);
    this.runSel.addEventListener('change', () => { this.fillLayers(); this.select(); });
    this.layerSel.addEventListener('change', () => this.select());
    this.feature.addEventListener('change', () => this.select());
    this.feature.setAttribute('aria-describedby', 'bn-feature-error');
    this.featureError.hidden = true;
    this.featureError.setAttribute('role', 'alert');
    this.root.append(this.controls, this.featureError, this.message, this.loadButton, this.body);
    this.applyStrings(t);
  }

  // A new configuration: the runs with BatchNorm and their layers.
  setConfig(c: LabConfig) {
    this.config = c;
    setOptions(this.runSel, c.runs.flatMap((r, i) => (batchNormLayers(c, i).length ? [[String(i), r.name] as [string, string]] : [])));
    this.feature.max = String(c.model.width - 1);
    if (Number(this.feature.value) > c.model.width - 1) this.feature.value = '0';
    this.fillLayers();
    this.trace = null;
    this.select();
  }

  private fillLayers() {
    if (!this.config || this.runSel.value === '') { this.layerSel.replaceChildren(); return; }
    const layers = batchNormLayers(this.config, Number(this.runSel.value));
    setOptions(this.layerSel, layers.map((l, k) => [String(l), this.t.bnLayerName(k + 1, l)]));
  }

  private select() {
    const feature = Number(this.feature.value);
    const valid = this.runSel.value !== '' && this.layerSel.value !== '' && Number.isInteger(feature) && feature >= 0 && feature < (this.config?.model.width ?? 0);
    const badFeature = !valid && this.runSel.value !== '' && this.layerSel.value !== '';
    this.feature.toggleAttribute('aria-invalid', badFeature);
    this.featureError.hidden = !badFeature;
    this.featureError.textContent = badFeature ? this.t.bnFeatureRange((this.config?.model.width ?? 1) - 1) : '';
    this.watch = valid ? { run: Number(this.runSel.value), layer: Number(this.layerSel.value), feature } : null;
    this.trace = null; // the new feature's trace comes with the worker's very next frame: until then the old one stays
    this.onWatch(this.watch);
    if (!this.watch || !this.body.hasChildNodes()) this.render();
  }

  setTrace(trace: BnTrace | null) {
    if (!trace || !this.watch || trace.run !== this.watch.run || trace.layer !== this.watch.layer || trace.feature !== this.watch.feature) return;
    const t = this.trace;
    if (t && t.step === trace.step && t.error === trace.error && t.run === trace.run && t.layer === trace.layer && t.feature === trace.feature) return; // nothing new
    this.trace = trace;
    // While training plays, a new batch arrives with every frame: redraw at most 5 times a second.
    const wait = 200 - (performance.now() - this.lastRender);
    if (wait <= 0) this.render();
    else if (!this.pending) this.pending = setTimeout(() => { this.pending = null; this.render(); }, wait);
  }

  applyStrings(t: LessonStrings) {
    this.t = t;
    for (const { label, key } of this.labels) label.textContent = String(t[key]);
    this.loadButton.textContent = t.bnLoadLesson;
    this.fillLayers();
    this.render();
  }

  private render() {
    this.lastRender = performance.now();
    const t = this.t, tr = this.trace;
    const hasRuns = this.runSel.options.length > 0;
    this.controls.hidden = !hasRuns;
    this.loadButton.hidden = hasRuns;
    if (!hasRuns) {
      this.message.textContent = t.bnNoRun;
      this.body.replaceChildren();
      return;
    }
    if (!this.watch) { // an invalid choice: its error is shown by the control
      this.message.textContent = '';
      this.body.replaceChildren();
      return;
    }
    if (!tr || tr.error) {
      this.message.textContent = tr && tr.step > 0 ? t.err(tr.error) : t.bnNoStep; // before the first step, no batch yet
      this.body.replaceChildren();
      return;
    }
    this.message.textContent = t.bnstepIntro;
    const m = tr.momentum, n = tr.rows;
    const steps: [string, string][] = [
      [t.bnStepMean, `\\mu = \\frac{1}{${n}}\\sum_{i=1}^{${n}} x_i = ${num(tr.mean)}`],
      [t.bnStepVar, `\\sigma^2 = \\frac{1}{${n}}\\sum_{i=1}^{${n}} (x_i-\\mu)^2 = ${num(tr.var)}`],
      [t.bnStepNormalize, `\\hat x_i = \\frac{x_i-\\mu}{\\sqrt{\\sigma^2+\\varepsilon}} = (x_i ${tr.mean < 0 ? '+' : '-'} ${num(Math.abs(tr.mean))}) \\times ${num(tr.rstd)} \\qquad (\\varepsilon = ${num(tr.eps, 6)})`],
      [t.bnStepAffine, `y_i = \\gamma\\,\\hat x_i + \\beta = ${num(tr.gamma)}\\,\\hat x_i ${tr.beta < 0 ? '-' : '+'} ${num(Math.abs(tr.beta))}`],
      [t.bnStepRunning, `\\begin{aligned}\\text{running\\_mean} &\\leftarrow (1-${m})\\cdot ${paren(tr.runningMeanBefore)} + ${m}\\cdot ${paren(tr.mean)} = ${num(tr.runningMean)}\\\\ \\text{running\\_var} &\\leftarrow (1-${m})\\cdot ${num(tr.runningVarBefore)} + ${m}\\cdot \\underbrace{${num(tr.varUnbiased)}}_{\\sigma^2 \\cdot ${n}/${n - 1}} = ${num(tr.runningVar)}\\end{aligned}`],
    ];
    const parts: HTMLElement[] = [el('h4', '', { textContent: t.bnBatch(n, tr.step) })];
    const ol = el('ol', 'bn-steps');
    for (const [title, formula] of steps) {
      const li = el('li');
      const f = el('div', 'formula');
      tex(f, formula);
      li.append(el('span', 'step-title', { textContent: title }), f);
      ol.append(li);
    }
    parts.push(ol, el('p', 'why', { textContent: t.bnRunningNote }));

    // Train mode vs eval mode.
    const strip = el('canvas', 'strip') as HTMLCanvasElement;
    strip.setAttribute('role', 'img');
    strip.setAttribute('aria-label', t.bnStripLabel);
    parts.push(el('h4', '', { textContent: t.bnModes }), strip, el('p', 'why', { textContent: t.bnModesNote }));

    // Values.
    const table = el('table', 'numbers bn-values');
    const head = el('tr');
    for (const h of [t.bnIndex, t.bnX, t.bnXhat, t.bnYTrain, t.bnYEval]) head.append(el('th', '', { scope: 'col', textContent: h }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (let i = 0; i < Math.min(n, SHOWN_ROWS); i++) {
      const row = el('tr');
      row.append(el('th', '', { scope: 'row', textContent: String(i) }));
      for (const v of [tr.x[i], tr.xhat[i], tr.y[i], tr.evalY[i]]) row.append(el('td', '', { textContent: v.toFixed(4) }));
      body.append(row);
    }
    table.append(thead, body);
    parts.push(el('h4', '', { textContent: t.bnValues }), table);
    if (n > SHOWN_ROWS) parts.push(el('p', 'why', { textContent: `… ${n - SHOWN_ROWS}` }));
    this.body.replaceChildren(...parts);
    this.drawStrip(strip, tr);
  }

  private drawStrip(canvas: HTMLCanvasElement, tr: BnTrace) {
    const width = Math.min(640, canvas.parentElement?.clientWidth || 640), height = 132;
    const ctx = hiDpiContext(canvas, width, height);
    const rows: [string, Float32Array, string][] = [[this.t.bnX, tr.x, '#888'], [this.t.bnYTrain, tr.y, RUN_COLORS[1]], [this.t.bnYEval, tr.evalY, rgb(CLASS_RGB[0])]];
    let lo = Infinity, hi = -Infinity;
    for (const [, v] of rows) for (const x of v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
    lo = Math.min(lo, 0), hi = Math.max(hi, 0);
    const left = 96, X = (v: number) => left + ((v - lo) / (hi - lo || 1)) * (width - left - 10);
    const text = textColor();
    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = text;
    ctx.globalAlpha = 0.4;
    ctx.beginPath(); ctx.moveTo(X(0), 4); ctx.lineTo(X(0), height - 18); ctx.stroke();
    ctx.globalAlpha = 1;
    rows.forEach(([label, v, color], k) => {
      const y = 18 + k * 36;
      ctx.fillStyle = text;
      ctx.fillText(label, 4, y + 4);
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.6;
      for (const x of v) { ctx.beginPath(); ctx.arc(X(x), y, 3, 0, 2 * Math.PI); ctx.fill(); }
      ctx.globalAlpha = 1;
    });
    ctx.fillStyle = text;
    ctx.fillText(lo.toFixed(2), left, height - 4);
    const hiText = hi.toFixed(2);
    ctx.fillText(hiText, width - 10 - ctx.measureText(hiText).width, height - 4);
    ctx.fillText('0', X(0) - 3, height - 4);
  }
}
