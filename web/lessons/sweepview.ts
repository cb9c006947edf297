// BatchNorm vs LayerNorm: the lesson's comparison table, then the batch-size sweep (sweep.ts, run by the
// lessons worker) as two charts and a table; batch size 1 shows BatchNorm's error, as PyTorch raises it.
import type { Chart } from 'chart.js';
import type { LabConfig } from '../state/config';
import type { LessonStrings } from '../i18n/lessons-en';
import { SWEEP_BATCHES, type SweepPoint } from './sweep';
import type { LessonsClient, LessonsReply } from './protocol';
import { isDark, normColor } from '../views/palette';
import { el, field, numberInput } from '../views/dom';
import { type Series, type XY, lineChart, setTitles } from '../views/linechart';

export class SweepView {
  readonly root = el('div', 'sweep');
  private table = el('table', 'compare-table');
  private epochs = numberInput('sweep-epochs', 5, { min: 1, max: 50, step: 1 });
  private epochsLabel: HTMLLabelElement;
  private run = el('button', 'primary', { type: 'button', id: 'sweep-run' });
  private cancel = el('button', '', { type: 'button', id: 'sweep-cancel' });
  private status = el('p', 'status');
  private results = el('table', 'numbers sweep-results');
  private note = el('p', 'why');
  private charts: Chart<'line', XY[]>[];
  private canvases: HTMLCanvasElement[];
  private points: SweepPoint[] = [];
  private id = 0;
  private running = false;
  private error = el('p', 'error');

  constructor(private t: LessonStrings, private client: LessonsClient, private config: () => LabConfig) {
    const controls = el('div', 'inspector-controls');
    const f = field(this.epochs, t.sweepEpochs);
    this.epochsLabel = f.label;
    controls.append(f.wrap, this.run, this.cancel);
    this.status.setAttribute('role', 'status');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    const boxes = [0, 1].map(() => {
      const box = el('div', 'chart-box');
      const canvas = el('canvas') as HTMLCanvasElement;
      canvas.setAttribute('role', 'img');
      box.append(canvas);
      return { box, canvas };
    });
    this.canvases = boxes.map((b) => b.canvas);
    const charts = el('div', 'sweep-charts');
    charts.append(...boxes.map((b) => b.box));
    this.root.append(this.table, controls, this.error, this.status, charts, this.note, this.results);
    const ticks = (v: number) => (SWEEP_BATCHES.includes(v as never) ? String(v) : '');
    this.charts = [
      lineChart(this.canvases[0], { xTitle: '', yTitle: '', logX: true, xTicks: ticks }),
      lineChart(this.canvases[1], { xTitle: '', yTitle: '', logX: true, xTicks: ticks }),
    ];
    this.run.addEventListener('click', () => this.start());
    this.cancel.addEventListener('click', () => this.stop());
    client.onSweep = (m) => this.receive(m);
    this.error.id = 'sweep-error';
    this.epochs.setAttribute('aria-describedby', 'sweep-error');
    this.applyStrings(t);
  }

  destroy() {
    this.charts.forEach((c) => c.destroy());
  }

  private start() {
    const epochs = Number(this.epochs.value);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 50) {
      this.error.textContent = this.t.sweepEpochsError(this.epochs.value);
      this.error.hidden = false;
      this.epochs.setAttribute('aria-invalid', 'true');
      return;
    }
    this.error.hidden = true;
    this.epochs.removeAttribute('aria-invalid');
    this.points = [];
    this.running = true;
    delete this.root.dataset.done;
    this.id = this.client.sweep(this.config(), epochs, [...SWEEP_BATCHES]);
    this.status.textContent = this.t.sweepRunning(SWEEP_BATCHES[0]);
    this.render();
  }

  private stop() {
    this.client.cancel();
    this.running = false;
    this.status.textContent = '';
    this.render();
  }

  private receive(m: LessonsReply) {
    if (!('id' in m) || m.id !== this.id) return;
    if (m.type === 'sweep-point') {
      this.points.push(m.point);
      const next = SWEEP_BATCHES.find((b) => b > m.point.batch);
      this.status.textContent = next ? this.t.sweepRunning(next) : '';
    } else if (m.type === 'sweep-done') {
      this.running = false;
      this.status.textContent = this.t.sweepDone;
      this.root.dataset.done = 'true';
    } else if (m.type === 'sweep-error') {
      this.running = false;
      this.error.textContent = this.t.err(m.message);
      this.error.hidden = false;
    }
    this.render();
  }

  applyStrings(t: LessonStrings) {
    this.t = t;
    this.epochsLabel.textContent = t.sweepEpochs;
    this.run.textContent = t.sweepRun;
    this.cancel.textContent = t.sweepCancel;
    this.canvases[0].setAttribute('aria-label', t.sweepLossChart);
    this.canvases[1].setAttribute('aria-label', t.sweepGapChart);
    setTitles(this.charts[0], t.sweepBatch, t.sweepLoss);
    setTitles(this.charts[1], t.sweepBatch, t.sweepGap);
    this.note.textContent = t.sweepGapNote;
    const head = el('tr');
    for (const h of t.compareTable.head) head.append(el('th', '', { scope: 'col', textContent: h }));
    const body = el('tbody');
    for (const row of t.compareTable.rows) {
      const tr = el('tr');
      row.forEach((cell, i) => tr.append(el(i === 0 ? 'th' : 'td', '', i === 0 ? { scope: 'row', textContent: cell } : { textContent: cell })));
      body.append(tr);
    }
    const thead = el('thead');
    thead.append(head);
    this.table.replaceChildren(thead, body);
    this.render();
  }

  private render() {
    const t = this.t;
    this.run.disabled = this.running;
    this.cancel.disabled = !this.running;
    const names = ['BatchNorm', 'LayerNorm'];
    const colors = [normColor('batchnorm', isDark()), normColor('layernorm', isDark())]; // as in the lab's charts
    const finite = (v: number) => (Number.isFinite(v) ? v : NaN);
    this.charts[0].data.datasets = names.map((name, r): Series => ({ label: name, borderColor: colors[r], backgroundColor: colors[r], borderWidth: 2, pointRadius: 3,
      data: this.points.map((p) => ({ x: p.batch, y: finite(p.runs[r].finalLoss) })) }));
    this.charts[1].data.datasets = names.map((name, r): Series => ({ label: name, borderColor: colors[r], backgroundColor: colors[r], borderWidth: 2, pointRadius: 3,
      data: this.points.map((p) => ({ x: p.batch, y: finite(p.runs[r].gap) })) }));
    this.charts.forEach((c) => c.update('none'));
    const head = el('tr');
    for (const h of [t.sweepTableBatch, `BatchNorm · ${t.sweepLoss}`, `BatchNorm · ${t.sweepGap}`, `LayerNorm · ${t.sweepLoss}`, `LayerNorm · ${t.sweepGap}`]) head.append(el('th', '', { scope: 'col', textContent: h }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    for (const p of this.points) {
      const tr = el('tr');
      tr.append(el('th', '', { scope: 'row', textContent: String(p.batch) }));
      for (const r of p.runs) {
        if (r.error) tr.append(el('td', 'error-cell', { colSpan: 2, textContent: `${t.sweepError}: ${t.err(r.error)}` }));
        else tr.append(el('td', '', { textContent: r.finalLoss.toFixed(4) }), el('td', '', { textContent: `${(100 * r.gap).toFixed(1)} %` }));
      }
      body.append(tr);
    }
    this.results.replaceChildren(thead, body);
    this.results.hidden = this.points.length === 0;
  }
}
