// The normalization inspector's tables and pictures (inspector.ts holds its state and asks the worker): the
// tensor (editable cells for x, γ and β), the statistics, the per-sample summary, which elements share a mean
// and variance, and the before/after histograms.
import type { InspectResult } from '../engine/normlab';
import type { LessonStrings } from '../i18n/lessons-en';
import { CLASS_RGB, RUN_COLORS, rgb, textColor } from '../views/palette';
import { el, hiDpiContext } from '../views/dom';

export const f32 = Math.fround;

// The shortest decimal that reads back as the same float32 (what PyTorch prints at full precision).
function shortestFloat32(v: number): string {
  for (let p = 1; p < 9; p++) {
    const text = String(Number(v.toPrecision(p)));
    if (f32(Number(text)) === f32(v)) return text;
  }
  return String(Number(v.toPrecision(9)));
}

export const fmt = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d).replace(/^-(0\.0+)$/, '$1') : '—');

// Editing x's cells (k: the element's flat index) or γ's and β's (c: the channel): a number typed into a cell
// goes to `set` as a float32, anything else to `error`.
export interface CellEdit<K> {
  set(key: K, value: number): void;
  error(message: string): void;
}

// An editable number cell, called `name` in its messages; markInvalid: a bad entry sets aria-invalid until fixed.
function numberCell(value: string, label: string, name: string, onValue: (v: number) => void, onError: (message: string) => void, markInvalid: boolean): HTMLInputElement {
  const input = el('input', 'cell', { type: 'number', step: 'any', value });
  input.setAttribute('aria-label', label);
  input.addEventListener('change', () => {
    const v = input.value.trim() === '' ? NaN : Number(input.value);
    if (!Number.isFinite(v)) {
      onError(input.validity.badInput ? `${name}: not a number` : `${name}: “${input.value}” is not a number`);
      if (markInvalid) input.setAttribute('aria-invalid', 'true');
      return;
    }
    if (markInvalid) input.removeAttribute('aria-invalid');
    onValue(f32(v));
  });
  return input;
}

// Rows: samples (2-D) or (sample, channel) pairs (4-D); columns: channels or pixels. Cells are coloured by the
// statistics they share (groupOf); with `edit`, x's cells are inputs.
export function tensorTable(values: number[], shape: number[], groupOf: Int32Array | undefined, kind: string, t: LessonStrings, edit?: CellEdit<number>): HTMLElement {
  const [N, C] = shape, HW = shape.slice(2).reduce((a, b) => a * b, 1), is4d = shape.length === 4;
  const table = el('table', `numbers tensor ${edit ? 'editable' : ''}`);
  const body = el('tbody');
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < (is4d ? C : 1); c++) {
      const tr = el('tr');
      tr.append(el('th', '', { scope: 'row', textContent: is4d ? `${n}, ${c}` : String(n) }));
      const cols = is4d ? HW : C;
      for (let j = 0; j < cols; j++) {
        const k = is4d ? (n * C + c) * HW + j : n * C + j;
        const td = el('td');
        if (groupOf) td.dataset.group = String(groupOf[k] % 8);
        if (edit) {
          const idx = is4d ? `${n}, ${c}, ${Math.floor(j / shape[3])}, ${j % shape[3]}` : `${n}, ${j}`;
          td.append(numberCell(shortestFloat32(values[k]), t.cell(idx), `x[${idx}]`, (v) => edit.set(k, v), edit.error, true));
        } else {
          td.textContent = fmt(values[k]);
        }
        tr.append(td);
      }
      body.append(tr);
    }
  }
  table.append(body);
  table.dataset.kind = kind;
  return table;
}

// γ and β, one editable cell per channel (RMSNorm: no β).
export function affineTable(affine: { gamma: number[]; beta: number[] }, C: number, withBeta: boolean, t: LessonStrings, edit: CellEdit<['gamma' | 'beta', number]>): HTMLElement {
  const table = el('table', 'numbers tensor editable');
  const body = el('tbody');
  for (const which of ['gamma', 'beta'] as const) {
    if (which === 'beta' && !withBeta) continue;
    const tr = el('tr');
    tr.append(el('th', '', { scope: 'row', textContent: which === 'gamma' ? 'γ' : 'β' }));
    for (let c = 0; c < C; c++) {
      const label = which === 'gamma' ? t.gammaCell(c) : t.betaCell(c);
      const td = el('td');
      td.append(numberCell(String(affine[which][c]), label, `${which}[${c}]`, (v) => edit.set([which, c], v), edit.error, false));
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

// μ, σ² (RMSNorm: mean(x²)), 1/√(σ²+ε) and 1/(σ+ε) per statistic, at most 16 rows.
export function statsTable(r: InspectResult, t: LessonStrings, norm: string, groups: number, C: number): HTMLElement {
  const table = el('table', 'numbers stats-table');
  const head = el('tr');
  for (const h of [t.statIndex, t.statOver, norm === 'rmsnorm' ? '—' : t.statMean, norm === 'rmsnorm' ? 'mean(x²)' : t.statVar, t.statRstd, t.statRstdOutside]) head.append(el('th', '', { scope: 'col', textContent: h }));
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  const shown = Math.min(r.stats, 16);
  for (let i = 0; i < shown; i++) {
    const over = norm === 'batchnorm' ? t.overChannel(i) : norm === 'instancenorm' ? t.overSampleChannel(Math.floor(i / C), i % C)
      : norm === 'groupnorm' ? t.overSampleGroup(Math.floor(i / groups), i % groups) : t.overSample(i);
    const tr = el('tr');
    tr.dataset.group = String(i % 8);
    tr.append(el('th', '', { scope: 'row', textContent: String(i) }), el('td', '', { textContent: over }));
    for (const v of [r.mean[i], r.var[i], r.rstd[i], r.rstdOutside[i]]) tr.append(el('td', '', { textContent: fmt(v, 5) }));
    body.append(tr);
  }
  if (r.stats > shown) {
    const tr = el('tr');
    tr.append(el('td', '', { colSpan: 6, textContent: t.moreStats(r.stats - shown) }));
    body.append(tr);
  }
  table.append(thead, body);
  return table;
}

// Per sample: x's and y's .mean() and .var() (unbiased, as the lesson prints them) and y's biased variance.
export function rowsTable(r: InspectResult, t: LessonStrings, N: number): HTMLElement {
  const rows = el('table', 'numbers rows-table');
  const head = el('tr');
  for (const h of [t.rowSample, t.rowMeanX, t.rowVarX, t.rowMeanY, t.rowVarY, t.rowVarYBiased]) head.append(el('th', '', { textContent: h, scope: 'col' }));
  rows.append(el('thead'), el('tbody'));
  rows.tHead!.append(head);
  for (let n = 0; n < N; n++) {
    const tr = el('tr');
    tr.append(el('th', '', { textContent: String(n), scope: 'row' }));
    for (const v of [r.rowMeanX[n], r.rowVarX[n], r.rowMeanY[n], r.rowVarY[n], r.rowVarYBiased[n]]) tr.append(el('td', '', { textContent: fmt(v) }));
    rows.tBodies[0].append(tr);
  }
  return rows;
}

// Which elements share statistics: an N × C grid (of H × W blocks in 4-D), coloured by groupOf.
export function drawSharing(canvas: HTMLCanvasElement, groupOf: Int32Array, N: number, C: number, HW: number) {
  const is4d = HW > 1, side = is4d ? Math.round(Math.sqrt(HW)) : 1;
  const cell = is4d ? 10 : 22, gap = is4d ? 6 : 2;
  const blockW = side * cell, pad = 24;
  const width = pad + C * (blockW + gap), height = pad + N * (side * cell + (is4d ? gap * 2 : gap));
  const ctx = hiDpiContext(canvas, width, height);
  ctx.fillStyle = textColor();
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText('C →', pad, 10);
  ctx.save();
  ctx.translate(9, pad + 14);
  ctx.rotate(Math.PI / 2);
  ctx.fillText('N →', 0, 0);
  ctx.restore();
  const palette = [...RUN_COLORS, rgb(CLASS_RGB[1]), '#66ccee', '#ccbb44', '#bbbbbb'];
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let p = 0; p < HW; p++) {
        const k = (n * C + c) * HW + p;
        const x = pad + c * (blockW + gap) + (p % side) * cell;
        const y = pad + n * (side * cell + (is4d ? gap * 2 : gap)) + Math.floor(p / side) * cell;
        ctx.fillStyle = palette[groupOf[k] % palette.length];
        ctx.globalAlpha = 0.45 + 0.55 * ((groupOf[k] >> 3) % 2 ? 0.5 : 1);
        ctx.fillRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      }
  ctx.globalAlpha = 1;
}

// One sample's values before and after normalization, 8 bins each, overlaid on one axis.
export function drawHistogram(canvas: HTMLCanvasElement, before: number[], after: number[], t: LessonStrings) {
  const width = 220, height = 120;
  const ctx = hiDpiContext(canvas, width, height);
  const lo = Math.min(...before, ...after), hi = Math.max(...before, ...after);
  const span = hi - lo || 1;
  const bins = (v: number[]) => {
    const a = Math.min(...v), b = Math.max(...v), w = (b - a) / 8 || 1;
    const counts = Array(8).fill(0);
    for (const x of v) counts[Math.min(7, Math.floor((x - a) / w))]++;
    return { a, w: b > a ? w : span / 80, counts };
  };
  const hb = bins(before), ha = bins(after);
  const maxCount = Math.max(...hb.counts, ...ha.counts);
  const plotH = height - 28, X = (v: number) => 6 + ((v - lo) / span) * (width - 12);
  const draw = (h: ReturnType<typeof bins>, color: string) => {
    ctx.fillStyle = color;
    h.counts.forEach((count, i) => {
      const x0 = X(h.a + i * h.w), x1 = X(h.a + (i + 1) * h.w);
      const bh = (count / maxCount) * plotH;
      ctx.fillRect(x0, 6 + plotH - bh, Math.max(1, x1 - x0 - 0.5), bh);
    });
  };
  draw(hb, rgb(CLASS_RGB[0], 0.55));
  draw(ha, rgb(CLASS_RGB[1], 0.55));
  ctx.fillStyle = textColor();
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText(fmt(lo, 1), 4, height - 6);
  const hiText = fmt(hi, 1);
  ctx.fillText(hiText, width - 4 - ctx.measureText(hiText).width, height - 6);
  ctx.fillStyle = rgb(CLASS_RGB[0]);
  ctx.fillText(`■ ${t.before}`, width / 2 - 50, height - 6);
  ctx.fillStyle = rgb(CLASS_RGB[1]);
  ctx.fillText(`■ ${t.after}`, width / 2 + 5, height - 6);
}
