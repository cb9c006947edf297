// Scale invariance: every run's linear weight norms ‖W‖ and effective learning rates lr/‖W‖², sampled by the
// trainer worker with the layer statistics (engine/theory.ts WeightsPoint), charted over training for one layer
// of every run; and Scale weights — one linear layer × α between two steps, the worker reporting each run's loss
// just before and just after.
import type { Chart } from 'chart.js';
import { linearWeightNames, modelJson, type LabConfig } from '../state/config';
import { ALPHA_MAX, ALPHA_MIN, UNCHANGED, relativeChange, type ScaleRequest, type ScaleRow, type WeightsPoint } from '../engine/theory';
import type { LessonStrings } from '../i18n/lessons-en';
import { echo, parseDecimal } from '../state/untrusted';
import { isDark, runColors } from '../views/palette';
import { el, field, select, setOptions } from '../views/dom';
import { type Series, type XY, lineChart, restyle, setTitles, setXRange } from '../views/linechart';
import { ticks125 } from './logticks';
import { canvasBox } from './layerstats';

const MAX_POINTS = 1500; // per history: halved in resolution beyond (as the layer statistics)
const MAX_ROWS = 12;     // Scale weights results kept, newest first

// Every run's linear layers by state_dict prefix ("0", "3", "2.1"), in model order.
export function linearPrefixes(c: LabConfig): string[][] {
  return c.runs.map((r) => [...linearWeightNames(modelJson(c, r))].map((n) => n.replace(/\.weight$/, '')));
}

// A relative change for people: −0.0012 %, +37 %, 2.3e+3 %.
export function percent(rel: number): string {
  if (!Number.isFinite(rel)) return '—';
  const p = 100 * rel, a = Math.abs(p);
  const text = a === 0 ? '0' : a >= 1000 ? a.toExponential(1) : a >= 10 ? a.toFixed(0) : a >= 0.1 ? a.toFixed(1) : a.toPrecision(2);
  return `${p < 0 ? '−' : p > 0 ? '+' : '±'}${text} %`;
}

export function verdict(t: LessonStrings, rel: number): string {
  return Math.abs(rel) < UNCHANGED ? t.scaleUnchanged(percent(rel)) : t.scaleChanged(percent(rel));
}


export class ScaleView {
  readonly root = el('div', 'scaleview');
  private points: WeightsPoint[] = [];
  private config: LabConfig | null = null;
  private linears: string[][] = [];
  private layerSel = select('scale-chart-layer', [], '0');
  private note = el('p', 'why');
  private heads = [el('h4'), el('h4')];
  private canvases: HTMLCanvasElement[];
  private charts: Chart<'line', XY[]>[];
  private labels: { label: HTMLLabelElement; key: keyof LessonStrings }[] = [];
  private actionHead = el('h4');
  private actionIntro = el('p', 'lesson-text');
  private runSel = select('scale-run', [], 'all');
  private linearSel = select('scale-linear', [], '0');
  private alpha = el('input', '', { id: 'scale-alpha', type: 'text', value: '2' });
  private button = el('button', 'primary', { type: 'button', id: 'scale-button' });
  private error = el('p', 'error', { id: 'scale-error' });
  private table = el('table', 'numbers scale-results');
  private tableNote = el('p', 'why');
  private rows: { step: number; row: ScaleRow }[] = [];
  private step = 0;
  private dirty = true;

  constructor(private t: LessonStrings, private scale: (request: ScaleRequest) => void) {
    const chartControls = el('div', 'inspector-controls');
    const f = field(this.layerSel, t.scaleLayer);
    this.labels.push({ label: f.label, key: 'scaleLayer' });
    chartControls.append(f.wrap);
    const boxes = [canvasBox(''), canvasBox('')];
    this.canvases = boxes.map((b) => b.canvas);
    const charts = el('div', 'theory-charts');
    boxes.forEach((b, k) => {
      const cell = el('div');
      cell.append(this.heads[k], b.box);
      charts.append(cell);
    });
    // ‖W‖ on a linear axis (it moves within a few times itself, or by α); lr/‖W‖² on a log one (α changes it by α²).
    this.charts = [lineChart(this.canvases[0], { xTitle: '', yTitle: '' }), lineChart(this.canvases[1], { xTitle: '', yTitle: '', logY: true })];
    ticks125(this.charts[1]);
    this.layerSel.addEventListener('change', () => { this.dirty = true; this.draw(); });

    const action = el('div', 'inspector-controls scale-controls');
    for (const [control, key] of [[this.runSel, 'scaleRun'], [this.linearSel, 'scaleLinear'], [this.alpha, 'scaleAlpha']] as const) {
      const g = field(control, String(t[key]));
      this.labels.push({ label: g.label, key });
      action.append(g.wrap);
    }
    action.append(this.button);
    this.alpha.setAttribute('inputmode', 'decimal');
    this.alpha.setAttribute('aria-describedby', 'scale-error');
    this.alpha.size = 6;
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.runSel.addEventListener('change', () => this.linearOptions());
    this.button.addEventListener('click', () => this.submit());
    this.alpha.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.submit(); });
    this.alpha.addEventListener('input', () => this.clearError());
    this.table.hidden = true;
    this.tableNote.hidden = true;
    this.root.append(chartControls, this.note, charts, this.actionHead, this.actionIntro, action, this.error, this.table, this.tableNote);
    this.applyStrings(t);
  }

  destroy() { this.charts.forEach((c) => c.destroy()); }

  setConfig(c: LabConfig) {
    this.config = c;
    this.linears = linearPrefixes(c);
    this.clear();
    this.optionTexts();
  }

  clear() {
    this.points = [];
    this.rows = [];
    this.dirty = true;
    this.renderRows();
  }

  add(points: WeightsPoint[]) {
    for (const p of points) {
      // A reset or a restart that went back: what came after is gone. Equal steps stay (before and after a scaling),
      // but step 0, which every frame before the first step repeats, is kept once.
      const last = this.points[this.points.length - 1];
      if (last && (p.step < last.step || p.step === 0)) this.points = this.points.filter((q) => q.step < p.step || (q.step === p.step && p.step > 0));
      this.points.push(p);
    }
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
    if (points.length) this.dirty = true;
  }

  setStep(step: number) { this.step = step; }

  scaled(step: number, rows: ScaleRow[]) {
    this.rows = [...rows.map((row) => ({ step, row })), ...this.rows].slice(0, MAX_ROWS);
    this.renderRows();
  }

  private clearError() {
    this.error.hidden = true;
    this.alpha.removeAttribute('aria-invalid');
  }

  private showError(text: string) {
    this.error.textContent = text;
    this.error.hidden = false;
  }

  private submit() {
    const alpha = parseDecimal(this.alpha.value.trim());
    if (!(alpha >= ALPHA_MIN && alpha <= ALPHA_MAX)) {
      this.alpha.setAttribute('aria-invalid', 'true');
      this.showError(this.t.scaleAlphaError(echo(this.alpha.value)));
      return;
    }
    if (this.step === 0) {
      this.showError(this.t.scaleNoStep);
      return;
    }
    this.clearError();
    this.scale({ run: this.runSel.value === 'all' ? null : Number(this.runSel.value), linear: Number(this.linearSel.value), alpha });
  }

  // The layer menus: Linear k, with the state_dict prefix of that layer in the chosen run (or in every run).
  private linearOptions() {
    const t = this.t, c = this.config;
    if (!c) return;
    const n = this.linears[0]?.length ?? 0;
    const names = Array.from({ length: n }, (_, k) => t.linearName(k + 1, n));
    setOptions(this.layerSel, names.map((name, k) => [String(k), name]));
    const chosen = this.runSel.value === 'all' ? c.runs.map((_, r) => r) : [Number(this.runSel.value)];
    setOptions(this.linearSel, names.map((name, k) => [String(k), t.scaleLinearOption(name,
      chosen.map((r) => (chosen.length > 1 ? `${c.runs[r].name} “${this.linears[r][k]}”` : `“${this.linears[r][k]}”`)).join(', '))]));
  }

  private optionTexts() {
    const c = this.config;
    if (!c) return;
    setOptions(this.runSel, [['all', this.t.scaleAllRuns], ...c.runs.map((r, i): [string, string] => [String(i), r.name])]);
    this.linearOptions();
  }

  applyStrings(t: LessonStrings) {
    this.t = t;
    for (const { label, key } of this.labels) label.textContent = String(t[key]);
    this.heads[0].textContent = t.scaleNormHead;
    this.heads[1].textContent = t.scaleLrHead;
    this.actionHead.textContent = t.scaleAction;
    this.actionIntro.textContent = t.scaleActionIntro;
    this.button.textContent = t.scaleButton;
    this.tableNote.textContent = t.scaleTableNote;
    this.error.hidden = true; // its text was in the other language
    this.alpha.removeAttribute('aria-invalid');
    this.optionTexts();
    this.renderRows();
    this.dirty = true;
    this.draw();
  }

  private renderRows() {
    const t = this.t, c = this.config;
    const head = el('tr');
    for (const h of [t.scaleTableStep, t.scaleTableRun, t.scaleTableLayer, t.scaleTableAlpha, t.scaleTableBefore, t.scaleTableAfter, t.scaleTableChange, t.scaleTableEval])
      head.append(el('th', '', { scope: 'col', textContent: h }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    const f = (v: number) => (Number.isFinite(v) ? v.toPrecision(6) : '—');
    for (const { step, row } of this.rows) {
      const tr = el('tr');
      tr.dataset.run = String(row.run);
      const name = c?.runs[row.run]?.name ?? String(row.run + 1);
      tr.append(el('td', '', { textContent: String(step) }), el('th', '', { scope: 'row', textContent: name }),
        el('td', '', { textContent: row.layer ? `“${row.layer}”` : '—' }), el('td', '', { textContent: String(row.alpha) }));
      if (row.error) {
        const td = el('td', 'error-cell', { textContent: t.err(row.error) });
        td.colSpan = 4;
        tr.append(td);
      } else {
        const rel = relativeChange(row.before, row.after), relEval = relativeChange(row.evalBefore, row.evalAfter);
        const change = el('td', Math.abs(rel) < UNCHANGED ? 'unchanged' : 'changed', { textContent: verdict(t, rel) });
        change.dataset.relative = String(rel);
        const evalCell = el('td', '', { textContent: verdict(t, relEval) });
        evalCell.dataset.relative = String(relEval);
        tr.append(el('td', '', { textContent: f(row.before) }), el('td', '', { textContent: f(row.after) }), change, evalCell);
      }
      body.append(tr);
    }
    this.table.replaceChildren(thead, body);
    this.table.hidden = this.tableNote.hidden = this.rows.length === 0;
  }

  changed() { this.dirty = true; }

  // Once per animation frame while the section is open.
  draw() {
    if (!this.dirty || !this.config) return;
    this.dirty = false;
    const t = this.t, c = this.config, k = Number(this.layerSel.value || 0);
    const layer = this.layerSel.selectedOptions[0]?.textContent ?? '';
    const colors = runColors(c.runs, isDark());
    const series = (value: (w: { norm: number; effectiveLr: number }) => number) => c.runs.map((r, i): Series => ({
      label: r.name, borderColor: colors[i], backgroundColor: colors[i], borderWidth: 1.8, pointRadius: 0,
      data: this.points.flatMap((p) => {
        const w = p.runs[i]?.[k];
        const v = w ? value(w) : NaN;
        return w && v > 0 && Number.isFinite(v) ? [{ x: p.step, y: v }] : [];
      }),
    }));
    this.charts[0].data.datasets = series((w) => w.norm);
    this.charts[1].data.datasets = series((w) => w.effectiveLr);
    setTitles(this.charts[0], t.axisStep, t.scaleNormAxis);
    setTitles(this.charts[1], t.axisStep, t.scaleLrAxis);
    this.canvases[0].setAttribute('aria-label', t.scaleNormLabel(layer));
    this.canvases[1].setAttribute('aria-label', t.scaleLrLabel(layer));
    const sampled = this.points.some((p) => p.step > 0);
    this.note.textContent = `${sampled ? '' : `${t.scaleEmpty} `}${c.training.optimizer.startsWith('adam') ? t.scaleAdam : ''}`.trim();
    this.note.hidden = !this.note.textContent;
    // For tests and the curious: the points each run's lines have, and its latest ‖W‖ of this layer.
    const norms = this.charts[0].data.datasets;
    this.root.dataset.series = norms.map((d) => d.data.length).join(',');
    this.root.dataset.last = norms.map((d) => d.data[d.data.length - 1]?.y ?? '').join(',');
    this.root.dataset.step = String(this.points[this.points.length - 1]?.step ?? '');
    const lastStep = this.points[this.points.length - 1]?.step ?? 0;
    for (const chart of this.charts) {
      setXRange(chart, 0, lastStep); // from the first step to the latest
      restyle(chart);
      chart.update('none');
    }
  }
}
