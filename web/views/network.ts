// Inside the network: the watched run drawn as columns — the input, then every layer's output (Linear → norm
// → activation …) — each unit a small picture of its value over the input plane (blue below zero, orange
// above, white at zero; one scale per layer, so a norm's rescaling shows), as TensorFlow Playground draws
// neurons; and, for each normalization layer, histograms of its input and output on the last batch.
// Hover or focus enlarges a unit and shows its numbers. Between narrow layers the weights are drawn as links
// (thickness |w|, colour its sign), as TensorFlow Playground draws them; over each pooled histogram, the chosen
// unit's own as a line.
import type { InsideFrame, LinkSet, NormHistogram, UnitColumn } from '../engine/inside';
import type { Strings } from '../i18n';
import { CLASS_RGB, isDark, rgb, textColor } from './palette';
import { el, hiDpiContext } from './dom';
import { NORM_TYPES } from '../state/config';
import type { Histogram } from '../state/histogram';

// A layer type's name in the page's language ('batchnorm' → "BatchNorm", 'linear' → "Linear").
const typeName = (s: Strings, t: string) => String((s as unknown as Record<string, unknown>)[t] ?? t);


// A column's name ("BatchNorm 1") and each unit's accessible name ("layer 1 unit 5, after BatchNorm").
interface ColumnNames { title: string; unit: (k: number) => string }

export function columnNames(columns: { type: string }[], s: Strings): ColumnNames[] {
  let layer = 0;
  const last = columns.length - 1;
  return columns.map((c, i) => {
    if (c.type === 'input') return { title: s.insideInput, unit: (k) => `${s.insideInput} x${k + 1}` };
    if (c.type === 'linear' || c.type === 'residual') layer++;
    if (i === last) return { title: s.insideOutput, unit: (k) => s.insideOutputUnit(k) };
    const next = columns[i + 1]?.type;
    const name = typeName(s, c.type), at = layer;
    const where = NORM_TYPES.has(next) ? s.insideBefore(typeName(s, next)) : s.insideAfter(name);
    return { title: `${name} ${at}`, unit: (k) => s.insideUnit(at, k + 1, where) };
  });
}

// Value → colour: blue (negative) through the panel colour to orange (positive), |v| / scale as strength.
function paint(ctx: CanvasRenderingContext2D, values: Float32Array, offset: number, side: number, scale: number, img: ImageData) {
  const bg = isDark() ? [28, 30, 34] : [255, 255, 255];
  for (let k = 0; k < side * side; k++) {
    const v = values[offset + k];
    const t = Number.isFinite(v) && scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
    const c = CLASS_RGB[t < 0 ? 0 : 1], a = Math.abs(t);
    img.data[4 * k] = bg[0] + (c[0] - bg[0]) * a;
    img.data[4 * k + 1] = bg[1] + (c[1] - bg[1]) * a;
    img.data[4 * k + 2] = bg[2] + (c[2] - bg[2]) * a;
    img.data[4 * k + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function stats(values: Float32Array, offset: number, n: number): [number, number, number] {
  let lo = Infinity, hi = -Infinity, sum = 0;
  for (let k = 0; k < n; k++) {
    const v = values[offset + k];
    lo = Math.min(lo, v), hi = Math.max(hi, v), sum += v;
  }
  return [lo, hi, sum / n];
}

export class NetworkView {
  private key = '';
  private canvases: HTMLCanvasElement[][] = [];
  private links: HTMLCanvasElement | null = null;
  private frame: InsideFrame | null = null;
  private s: Strings;

  constructor(private network: HTMLElement, private histograms: HTMLElement, private info: HTMLElement, s: Strings) {
    this.s = s;
  }

  show(f: InsideFrame) {
    this.frame = f;
    const key = `${f.run}|${f.side}|${f.columns.map((c) => `${c.type}:${c.shown}`).join(',')}|${f.links.map((l) => l.from).join(',')}`;
    if (key !== this.key) this.build(f, key);
    f.columns.forEach((c, i) => this.paintColumn(c, i, f.side));
    this.drawLinks(f.links);
    this.showHistograms(f.histograms);
  }

  // The links canvas under the columns: from each unit of a Linear's input column to each of its units.
  private drawLinks(sets: LinkSet[]) {
    const canvas = this.links;
    if (!canvas) return;
    canvas.hidden = !sets.length;
    if (!sets.length) return;
    const W = this.network.scrollWidth, H = this.network.scrollHeight;
    const ctx = hiDpiContext(canvas, W, H), dark = isDark();
    let drawn = 0;
    for (const set of sets) {
      const from = this.canvases[set.from], to = this.canvases[set.from + 1];
      if (!from || !to || from.length < set.in || to.length < set.out) continue;
      let max = 0;
      for (const w of set.weights) if (Number.isFinite(w)) max = Math.max(max, Math.abs(w));
      if (!(max > 0)) continue;
      for (let j = 0; j < set.out; j++) {
        for (let i = 0; i < set.in; i++) {
          const w = set.weights[j * set.in + i], t = Math.abs(w) / max;
          if (!Number.isFinite(w)) continue;
          const a = this.offset(from[i]), b = this.offset(to[j]);
          ctx.strokeStyle = rgb(CLASS_RGB[w < 0 ? 0 : 1], (dark ? 0.3 : 0.22) + 0.6 * t);
          ctx.lineWidth = 0.3 + 3.2 * t;
          ctx.beginPath();
          ctx.moveTo(a.x + a.w, a.y + a.h / 2);
          ctx.lineTo(b.x, b.y + b.h / 2);
          ctx.stroke();
          drawn++;
        }
      }
    }
    canvas.dataset.links = String(drawn);
    canvas.setAttribute('aria-label', sets.map((l) => this.s.insideLinks(this.linearNumber(l.layer), l.in, l.out)).join('; '));
  }

  // A unit's box within the network (offsets, which a hovered unit's transform does not change).
  private offset(e: HTMLElement): { x: number; y: number; w: number; h: number } {
    let x = 0, y = 0;
    for (let n: HTMLElement | null = e; n && n !== this.network; n = n.offsetParent as HTMLElement | null) x += n.offsetLeft, y += n.offsetTop;
    return { x, y, w: e.offsetWidth, h: e.offsetHeight };
  }

  // A Linear's number among the model's Linear layers (1 for the first), as the columns are titled.
  private linearNumber(layer: number): number {
    return this.frame!.columns.filter((c) => c.type === 'linear' && c.layer <= layer).length;
  }

  applyStrings(s: Strings) {
    this.s = s;
    this.key = '';
    if (this.frame) this.show(this.frame);
  }

  private build(f: InsideFrame, key: string) {
    this.key = key;
    const names = columnNames(f.columns, this.s);
    this.canvases = [];
    const linked = new Set(f.links.map((l) => l.from + 1));
    this.links = el('canvas', 'links');
    this.links.setAttribute('role', 'img');
    this.network.replaceChildren(this.links, ...f.columns.map((c, i) => {
      const col = el('div', `unit-column type-${c.type}${linked.has(i) ? ' linked' : ''}`);
      const head = el('div', 'unit-head');
      head.append(el('span', 'unit-title', { textContent: names[i].title }), el('span', 'unit-scale'));
      col.append(head);
      const units: HTMLCanvasElement[] = [];
      for (let u = 0; u < c.shown; u++) {
        const canvas = el('canvas', 'unit', { width: f.side, height: f.side, tabIndex: 0 });
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', names[i].unit(u));
        const showInfo = () => this.describe(i, u, names[i].unit(u));
        canvas.addEventListener('mouseenter', showInfo);
        canvas.addEventListener('focus', showInfo);
        units.push(canvas);
        col.append(canvas);
      }
      if (c.shown < c.units) col.append(el('span', 'unit-more', { textContent: this.s.insideMore(c.units - c.shown) }));
      this.canvases.push(units);
      return col;
    }));
  }

  private paintColumn(c: UnitColumn, i: number, side: number) {
    const units = this.canvases[i] ?? [];
    const head = this.network.children[i]?.querySelector('.unit-scale');
    if (head) head.textContent = `±${c.scale.toPrecision(2)}`;
    units.forEach((canvas, u) => {
      const ctx = canvas.getContext('2d')!;
      paint(ctx, c.pictures, u * side * side, side, c.scale, ctx.createImageData(side, side));
      canvas.dataset.painted = String(f32Any(c.pictures, u * side * side, side * side));
    });
  }

  // The hovered or focused unit's numbers over the plane.
  private describe(column: number, unit: number, name: string) {
    const f = this.frame;
    if (!f) return;
    const c = f.columns[column], n = f.side * f.side;
    const [lo, hi, mean] = stats(c.pictures, unit * n, n);
    this.info.textContent = this.s.insideUnitInfo(name, lo, hi, mean);
  }

  // The history of each histogram's quantiles over steps (this watched run's), for the drift bands.
  private history = new Map<string, { step: number; q: number[] }[]>();
  private historyRun = -1;
  private lastStep = -1;

  private record(f: InsideFrame) {
    if (f.run !== this.historyRun || f.step < this.lastStep) this.history.clear();
    this.historyRun = f.run;
    this.lastStep = f.step;
    if (!f.batchRows) return;
    for (const h of f.histograms) {
      for (const [which, q] of [['input', h.quantiles.input], ['output', h.quantiles.output]] as const) {
        if (!q) continue;
        const key = `${h.layer}:${which}`, series = this.history.get(key) ?? [];
        if (series.at(-1)?.step !== f.step) series.push({ step: f.step, q });
        if (series.length > 400) this.history.set(key, series.filter((_, k) => k % 2 === 0)); // bounded: every other sample
        else this.history.set(key, series);
      }
    }
  }

  private showHistograms(hs: NormHistogram[]) {
    const s = this.s, f = this.frame!;
    this.record(f);
    if (!hs.length || !f.batchRows) {
      this.histograms.replaceChildren(el('p', 'why', { textContent: s.insideNoBatch }));
      return;
    }
    const names = (t: string) => typeName(s, t);
    let layer = 0;
    this.histograms.replaceChildren(...hs.map((h) => {
      layer++;
      const fig = el('figure', 'hist-pair');
      const norm = h.type !== 'linear';
      fig.append(el('figcaption', '', { textContent: norm ? `${names(h.type)} ${layer}` : s.insideLinearOut(layer) }));
      for (const [which, hist, unit] of [['input', h.input, h.unit.input], ['output', h.output, h.unit.output]] as const) {
        if (!hist) continue;
        const where = !norm ? s.insideBeforeActivation : which === 'input' ? s.insideBefore(names(h.type)) : s.insideAfterNorm(names(h.type));
        const box = el('div', 'hist-box');
        const canvas = histogramCanvas(s, layer, where, hist, false, unit ? { index: h.unit.index, counts: unit.counts } : null);
        const band = el('canvas', 'band');
        band.setAttribute('role', 'img');
        band.setAttribute('aria-label', s.insideHistory(layer, where));
        drawBands(band, this.history.get(`${h.layer}:${which}`) ?? []);
        box.append(el('span', 'hist-title', { textContent: where }), canvas, band);
        fig.append(box);
      }
      if (h.running) {
        const box = el('div', 'hist-box');
        const where = s.insideRunning(names(h.type));
        box.append(el('span', 'hist-title', { textContent: where }), histogramCanvas(s, layer, where, h.running, true, null));
        fig.append(box);
      }
      return fig;
    }));
  }
}

// A histogram as a labelled picture (its counts in data-counts); `running`: BatchNorm's eval-mode view, in amber;
// `unit`: one unit's counts over the same bins, drawn as a line (in data-unit-counts).
function histogramCanvas(s: Strings, layer: number, where: string, h: Histogram, running: boolean,
  unit: { index: number; counts: number[] } | null): HTMLCanvasElement {
  const canvas = el('canvas', running ? 'hist running' : 'hist');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', s.insideHistogram(layer, where, h.min, h.max) + (unit ? s.histUnitLine(unit.index + 1) : ''));
  canvas.dataset.counts = h.counts.join(',');
  if (unit) canvas.dataset.unitCounts = unit.counts.join(',');
  drawHistogram(canvas, h.counts, h.min, h.max, running, unit?.counts ?? null);
  return canvas;
}

const f32Any = (v: Float32Array, offset: number, n: number) => {
  for (let k = 0; k < n; k++) if (v[offset + k] !== 0) return true;
  return false;
};

// The quantiles over steps: 5–95 % pale, 25–75 % darker, the median as a line (a drifting distribution moves).
function drawBands(canvas: HTMLCanvasElement, series: { step: number; q: number[] }[]) {
  const W = 190, H = 64;
  const ctx = hiDpiContext(canvas, W, H);
  if (series.length < 2) return;
  let lo = Infinity, hi = -Infinity;
  for (const p of series) lo = Math.min(lo, p.q[0]), hi = Math.max(hi, p.q[4]);
  if (!(hi > lo)) hi = lo + 1;
  const s0 = series[0].step, s1 = series[series.length - 1].step || 1;
  const x = (step: number) => 2 + ((step - s0) / Math.max(1, s1 - s0)) * (W - 4);
  const y = (v: number) => 4 + (1 - (v - lo) / (hi - lo)) * (H - 16);
  const band = (a: number, b: number, fill: string) => {
    ctx.beginPath();
    series.forEach((p, k) => (k ? ctx.lineTo(x(p.step), y(p.q[a])) : ctx.moveTo(x(p.step), y(p.q[a]))));
    for (let k = series.length - 1; k >= 0; k--) ctx.lineTo(x(series[k].step), y(series[k].q[b]));
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
  };
  const dark = isDark();
  band(0, 4, dark ? 'rgba(122,166,214,0.22)' : 'rgba(59,110,165,0.16)');
  band(1, 3, dark ? 'rgba(122,166,214,0.45)' : 'rgba(59,110,165,0.36)');
  ctx.beginPath();
  series.forEach((p, k) => (k ? ctx.lineTo(x(p.step), y(p.q[2])) : ctx.moveTo(x(p.step), y(p.q[2]))));
  ctx.strokeStyle = dark ? '#cfe0f3' : '#24486f';
  ctx.lineWidth = 1.2;
  ctx.stroke();
  ctx.fillStyle = textColor();
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText(`${lo.toPrecision(2)} … ${hi.toPrecision(2)}`, 2, H - 2);
  const steps = `${s0}–${s1}`;
  ctx.fillText(steps, W - ctx.measureText(steps).width - 2, H - 2);
}

function drawHistogram(canvas: HTMLCanvasElement, counts: number[], lo: number, hi: number, running: boolean, unit: number[] | null) {
  const W = 190, H = 80;
  const ctx = hiDpiContext(canvas, W, H);
  const max = Math.max(1, ...counts), top = 4, bottom = H - 14, bw = W / counts.length;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = running ? (isDark() ? 'rgba(230,170,90,0.85)' : 'rgba(170,105,20,0.8)') : isDark() ? 'rgba(122,166,214,0.85)' : 'rgba(59,110,165,0.8)';
  counts.forEach((c, i) => {
    const h = ((bottom - top) * c) / max;
    ctx.fillRect(i * bw + 0.5, bottom - h, Math.max(1, bw - 1), h);
  });
  if (unit) { // the unit's own shape: a step line at its own height
    const top1 = Math.max(1, ...unit);
    ctx.beginPath();
    unit.forEach((c, i) => {
      const y = bottom - ((bottom - top) * c) / top1;
      if (i) ctx.lineTo(i * bw, y);
      else ctx.moveTo(0, y);
      ctx.lineTo((i + 1) * bw, y);
    });
    ctx.strokeStyle = textColor();
    ctx.lineWidth = 1.4;
    ctx.stroke();
  }
  ctx.fillStyle = textColor();
  ctx.fillText(lo.toPrecision(2), 2, H - 2);
  const hiText = hi.toPrecision(2);
  ctx.fillText(hiText, W - ctx.measureText(hiText).width - 2, H - 2);
}
