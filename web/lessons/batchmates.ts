// Batch-mates: one training point's train-mode prediction as its batch-mates change, every run side by side. The
// trainer worker computes it (engine/batchmates.ts) with every boundary while this section is open: the batches the
// lab's sampler puts the point in over 32 epochs, each normalized on its own (lab.trainModeLogits), against eval mode.
// BatchNorm's dots spread with the batch; LayerNorm's fall on one value.
import type { LabConfig } from '../state/config';
import type { BatchmatesFrame, BatchmatesWatch } from '../engine/batchmates';
import type { LessonStrings } from '../i18n/lessons-en';
import { el, field, hiDpiContext, numberInput } from '../views/dom';
import { CLASS_RGB, isDark, rgb, runColors, textColor } from '../views/palette';

const ROW = 46, LEFT = 112, RIGHT = 16, TOP = 10, AXIS = 26;
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '—');

// The dot colour of a batch whose mates are `share` class 1: blue (none) to orange (all).
function mateColor(share: number): string {
  const [a, b] = CLASS_RGB;
  return rgb(a.map((v, k) => Math.round(v + (b[k] - v) * share)) as [number, number, number]);
}

export class BatchmatesView {
  readonly root = el('div', 'batchmates');
  private point = numberInput('bm-point', 1, { min: 1, step: 1 });
  private pointLabel: HTMLLabelElement;
  private pointError = el('p', 'error', { id: 'bm-point-error' });
  private loadButton = el('button', '', { type: 'button', id: 'bm-load' });
  private message = el('p', 'why');
  private head = el('h4');
  private canvas = el('canvas', 'batchmates-chart') as HTMLCanvasElement;
  private legend = el('p', 'why');
  private table = el('table', 'numbers batchmates-table');
  private accNote = el('p', 'why');
  private dupNote = el('p', 'why');
  private config: LabConfig | null = null;
  private rows = 0; // training points
  private frame: BatchmatesFrame | null = null;
  private lastRender = 0;
  private pending: ReturnType<typeof setTimeout> | null = null;
  watch: BatchmatesWatch | null = { point: 0 };

  constructor(private t: LessonStrings, private onWatch: (w: BatchmatesWatch | null) => void, onLoad: () => void) {
    const f = field(this.point, t.bmPoint);
    this.pointLabel = f.label;
    const controls = el('div', 'inspector-controls');
    controls.append(f.wrap);
    this.point.setAttribute('aria-describedby', 'bm-point-error');
    this.pointError.hidden = true;
    this.pointError.setAttribute('role', 'alert');
    this.point.addEventListener('change', () => this.select());
    this.loadButton.addEventListener('click', onLoad);
    this.canvas.setAttribute('role', 'img');
    this.root.append(this.loadButton, controls, this.pointError, this.message, this.head, this.canvas, this.legend, this.table, this.accNote, this.dupNote);
    this.applyStrings(t);
  }

  // A new configuration: its runs and how many training points it has (the split keeps round(n · test) for testing).
  setConfig(c: LabConfig) {
    this.config = c;
    const n = c.data.type === 'custom' ? c.data.own.y.length : c.data.points;
    this.rows = n - Math.round(n * c.data.testFraction);
    this.point.max = String(this.rows);
    this.frame = null;
    this.select();
  }

  private select() {
    const v = Number(this.point.value);
    const valid = Number.isInteger(v) && v >= 1 && (this.rows === 0 || v <= this.rows);
    this.point.toggleAttribute('aria-invalid', !valid);
    this.pointError.hidden = valid;
    this.pointError.textContent = valid ? '' : this.t.bmPointRange(this.rows);
    this.watch = valid ? { point: v - 1 } : null;
    if (this.frame && this.watch?.point !== this.frame.point) this.frame = null;
    this.onWatch(this.watch);
    this.render();
  }

  setFrame(f: BatchmatesFrame | null) {
    if (!f || !this.watch || f.point !== this.watch.point) return;
    this.frame = f;
    const wait = 200 - (performance.now() - this.lastRender); // while training plays: at most 5 redraws a second
    if (wait <= 0) this.render();
    else if (!this.pending) this.pending = setTimeout(() => { this.pending = null; this.render(); }, wait);
  }

  applyStrings(t: LessonStrings) {
    this.t = t;
    this.pointLabel.textContent = t.bmPoint;
    this.loadButton.textContent = t.bmLoad;
    this.legend.textContent = t.bmMatesLegend;
    this.accNote.textContent = t.bmAccNote;
    this.dupNote.textContent = t.bmDuplicatesNote;
    this.select();
  }

  private render() {
    this.lastRender = performance.now();
    const t = this.t, f = this.frame, c = this.config;
    const hasBatchNorm = !!c?.runs.some((r) => r.norm === 'batchnorm');
    this.message.textContent = !c ? '' : !hasBatchNorm ? t.bmNoBatchNorm : !f && this.watch ? t.bmWaiting : '';
    this.dupNote.hidden = c?.training.sampler !== 'duplicates';
    const shown = !!(f && c && f.runs.length === c.runs.length);
    for (const e of [this.head, this.canvas, this.legend, this.table, this.accNote]) e.hidden = !shown;
    this.root.dataset.batches = shown ? String(f!.batches) : '';
    // the mean share of class 1 among the point's batch-mates (sorted batches: near its own class; shuffled: near ½)
    this.root.dataset.mates = shown && f!.mates.length ? String(f!.mates.reduce((a, v) => a + v, 0) / f!.mates.length) : '';
    if (!shown) return;
    const frame = f!, runs = c!.runs;
    this.head.textContent = t.bmHead(frame.point + 1, frame.label, frame.x[0], frame.x[1], frame.batches, frame.epochs, frame.step);
    const lo = (v: number[]) => (v.length ? Math.min(...v) : NaN), hi = (v: number[]) => (v.length ? Math.max(...v) : NaN);
    this.canvas.setAttribute('aria-label', t.bmChartLabel(runs.map((r, i) => {
      const v = frame.runs[i];
      return v.stopped ? `${r.name}: ${t.bmStopped}.` : t.bmChartRow(r.name, lo(v.values), hi(v.values), v.values.length, v.evalValue);
    }).join(' ')));
    this.draw(frame, runs.map((r) => r.name), runColors(runs, isDark()));
    // The numbers: the spread, eval mode, and the training set in both modes.
    const head = el('tr');
    for (const h of [t.bmRun, t.bmSpread, t.bmEval, t.bmTrainAcc, t.bmEvalAcc]) head.append(el('th', '', { scope: 'col', textContent: h }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    runs.forEach((r, i) => {
      const v = frame.runs[i];
      const tr = el('tr');
      tr.dataset.run = String(i);
      tr.dataset.spread = v.stopped ? '' : String(hi(v.values) - lo(v.values));
      tr.dataset.gap = String(v.accuracy.gap);
      const spread = v.stopped ? t.bmStopped : `${lo(v.values).toFixed(3)} – ${hi(v.values).toFixed(3)}`;
      tr.append(el('th', '', { scope: 'row', textContent: r.name }), el('td', '', { textContent: spread }),
        el('td', '', { textContent: v.stopped ? '—' : v.evalValue.toFixed(3) }),
        el('td', '', { textContent: pct(v.accuracy.trainMode) }), el('td', '', { textContent: pct(v.accuracy.evalMode) }));
      body.append(tr);
    });
    this.table.replaceChildren(thead, body);
  }

  // One row per run: an axis for P(class 1) from 0 to 1, a dot per batch (coloured by its mates), the bar from the
  // lowest to the highest, and eval mode as an upright line.
  private draw(f: BatchmatesFrame, names: string[], colors: string[]) {
    const width = Math.max(300, Math.min(720, this.root.clientWidth || 640));
    const height = TOP + names.length * ROW + AXIS;
    const ctx = hiDpiContext(this.canvas, width, height);
    const X = (p: number) => LEFT + p * (width - LEFT - RIGHT);
    const text = textColor();
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    // 0.5: where the prediction changes class.
    ctx.strokeStyle = text;
    ctx.globalAlpha = 0.35;
    ctx.setLineDash([3, 3]);
    ctx.beginPath(); ctx.moveTo(X(0.5), TOP); ctx.lineTo(X(0.5), height - AXIS + 4); ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    f.runs.forEach((run, i) => {
      const y = TOP + i * ROW + ROW / 2;
      ctx.fillStyle = colors[i];
      ctx.fillText(names[i].length > 16 ? `${names[i].slice(0, 15)}…` : names[i], 4, y);
      ctx.strokeStyle = text;
      ctx.globalAlpha = 0.3;
      ctx.beginPath(); ctx.moveTo(X(0), y); ctx.lineTo(X(1), y); ctx.stroke();
      ctx.globalAlpha = 1;
      if (run.stopped || !run.values.length) return;
      const lo = Math.min(...run.values), hi = Math.max(...run.values);
      ctx.fillStyle = colors[i];
      ctx.globalAlpha = 0.3;
      ctx.fillRect(X(lo) - 2, y - 9, X(hi) - X(lo) + 4, 18);
      ctx.globalAlpha = 1;
      run.values.forEach((v, k) => {
        const jitter = ((k * 7) % 9 - 4) * 1.6; // spread equal values a little, the same way every frame
        ctx.fillStyle = mateColor(f.mates[k]);
        ctx.beginPath(); ctx.arc(X(v), y + jitter, 3.2, 0, 2 * Math.PI); ctx.fill();
      });
      ctx.strokeStyle = text;
      ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(X(run.evalValue), y - 15); ctx.lineTo(X(run.evalValue), y + 15); ctx.stroke();
      ctx.lineWidth = 1;
    });
    ctx.fillStyle = text;
    ctx.textBaseline = 'alphabetic';
    for (const v of [0, 0.5, 1]) {
      const s = String(v), w = ctx.measureText(s).width;
      ctx.fillText(s, Math.min(width - RIGHT - w / 2, X(v) - w / 2 + (v === 0 ? w / 2 : 0)), height - AXIS + 18);
    }
    ctx.fillText(this.t.bmAxis, 4, height - AXIS + 18);
  }
}
