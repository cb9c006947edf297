// Loss landscape (Santurkar et al. 2018, Fig. 4): what the trainer worker measures every LANDSCAPE_EVERY steps
// while this section is open (engine/theory.ts LandscapePoint) — per run, the band of losses along the gradient
// (shaded between its lowest and highest loss), the gradient predictiveness max‖g − g_k‖ and the effective
// β-smoothness over training, and their means over the measurements shown.
import { Chart, Filler } from 'chart.js';
import type { LabConfig } from '../state/config';
import { LANDSCAPE_EVERY, type LandscapePoint, type LandscapeRun } from '../engine/theory';
import type { LessonStrings } from '../i18n/lessons-en';
import { isDark, runColors, withAlpha } from '../views/palette';
import { el } from '../views/dom';
import { type Series, type XY, lineChart, restyle, setTitles, setXRange } from '../views/linechart';
import { ticks125 } from './logticks';
import { canvasBox } from './layerstats';

Chart.register(Filler);

const MAX_POINTS = 1500;


// One run's values over the measurements, with a break wherever measuring paused (the tab was closed).
function line(points: LandscapePoint[], run: number, value: (m: LandscapeRun) => number): XY[] {
  const out: XY[] = [];
  let last = -Infinity;
  for (const p of points) {
    const m = p.runs[run];
    const y = m ? value(m) : NaN;
    if (!m || !(y > 0) || !Number.isFinite(y)) continue;
    if (out.length && p.step - last > LANDSCAPE_EVERY) out.push({ x: (p.step + last) / 2, y: NaN });
    out.push({ x: p.step, y });
    last = p.step;
  }
  return out;
}

export class LandscapeView {
  readonly root = el('div', 'landscape');
  private points: LandscapePoint[] = [];
  private config: LabConfig | null = null;
  private note = el('p', 'why');
  private heads = [el('h4'), el('h4'), el('h4')];
  private canvases: HTMLCanvasElement[];
  private charts: Chart<'line', XY[]>[];
  private tableHead = el('h4');
  private table = el('table', 'numbers landscape-means');
  private dirty = true;

  constructor(private t: LessonStrings) {
    const boxes = [canvasBox(''), canvasBox(''), canvasBox('')];
    this.canvases = boxes.map((b) => b.canvas);
    const grid = el('div', 'theory-charts');
    boxes.forEach((b, k) => {
      const cell = el('div', k === 0 ? 'wide' : '');
      cell.append(this.heads[k], b.box);
      grid.append(cell);
    });
    // The band's legend lists each run once (its upper edge; the lower edge has no label).
    this.charts = this.canvases.map((c, k) => lineChart(c, { xTitle: '', yTitle: '', logY: true, ...(k === 0 ? { legend: (label: string) => label !== '' } : {}) }));
    this.charts.forEach(ticks125);
    this.table.hidden = true;
    this.root.append(this.note, grid, this.tableHead, this.table);
    this.applyStrings(t);
  }

  destroy() { this.charts.forEach((c) => c.destroy()); }

  setConfig(c: LabConfig) {
    this.config = c;
    this.clear();
  }

  clear() {
    this.points = [];
    this.dirty = true;
  }

  add(points: LandscapePoint[]) {
    for (const p of points) {
      // A reset that went back drops what came after; the same step measured again (opened while paused) replaces.
      if (this.points.length && p.step <= this.points[this.points.length - 1].step) this.points = this.points.filter((q) => q.step < p.step);
      this.points.push(p);
    }
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
    if (points.length) this.dirty = true;
  }

  // How many measurements the worker has made in all (a counter for tests: none while the section is closed).
  setMeasured(n: number) { this.root.dataset.measured = String(n); }

  applyStrings(t: LessonStrings) {
    this.t = t;
    this.heads[0].textContent = t.landscapeBandHead;
    this.heads[1].textContent = t.landscapeGradHead;
    this.heads[2].textContent = t.landscapeBetaHead;
    this.canvases[0].setAttribute('aria-label', t.landscapeBandLabel);
    this.canvases[1].setAttribute('aria-label', t.landscapeGradLabel);
    this.canvases[2].setAttribute('aria-label', t.landscapeBetaLabel);
    this.tableHead.textContent = t.landscapeTable;
    this.dirty = true;
    this.draw();
  }

  private renderTable() {
    const t = this.t, c = this.config!;
    const head = el('tr');
    for (const h of [t.landscapeTableRun, t.landscapeTableCount, t.landscapeTableBand, t.landscapeTableGrad, t.landscapeTableBeta])
      head.append(el('th', '', { scope: 'col', textContent: h }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    c.runs.forEach((r, i) => {
      const ms = this.points.flatMap((p) => (p.runs[i] ? [p.runs[i]!] : []));
      const mean = (f: (m: LandscapeRun) => number) => {
        const v = ms.map(f).filter(Number.isFinite);
        return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
      };
      const show = (v: number) => (Number.isFinite(v) ? v.toExponential(2) : '—');
      const tr = el('tr');
      tr.dataset.run = String(i);
      const cells: [string, number][] = [['band', mean((m) => m.lossMax - m.lossMin)], ['grad', mean((m) => m.gradDiffMax)], ['beta', mean((m) => m.betaSmoothness)]];
      tr.append(el('th', '', { scope: 'row', textContent: r.name }), el('td', '', { textContent: String(ms.length) }),
        ...cells.map(([key, v]) => {
          const td = el('td', '', { textContent: show(v) });
          td.dataset.key = key;
          td.dataset.value = String(v);
          return td;
        }));
      body.append(tr);
    });
    this.table.replaceChildren(thead, body);
  }

  changed() { this.dirty = true; }

  // Once per animation frame while the section is open.
  draw() {
    if (!this.dirty || !this.config) return;
    this.dirty = false;
    const t = this.t, c = this.config, pts = this.points;
    const colors = runColors(c.runs, isDark());
    // The band: each run's upper edge filled down to its lower edge (the next dataset).
    this.charts[0].data.datasets = c.runs.flatMap((r, i): Series[] => [
      { label: r.name, data: line(pts, i, (m) => m.lossMax), borderColor: colors[i], backgroundColor: withAlpha(colors[i], 0.28), borderWidth: 1.2, pointRadius: 0, fill: '+1' },
      { label: '', data: line(pts, i, (m) => m.lossMin), borderColor: colors[i], backgroundColor: colors[i], borderWidth: 1.2, pointRadius: 0, fill: false },
    ]);
    const series = (value: (m: LandscapeRun) => number) => c.runs.map((r, i): Series => ({
      label: r.name, data: line(pts, i, value), borderColor: colors[i], backgroundColor: colors[i], borderWidth: 1.8, pointRadius: 2,
    }));
    this.charts[1].data.datasets = series((m) => m.gradDiffMax);
    this.charts[2].data.datasets = series((m) => m.betaSmoothness);
    setTitles(this.charts[0], t.axisStep, t.landscapeLossAxis);
    setTitles(this.charts[1], t.axisStep, t.landscapeGradAxis);
    setTitles(this.charts[2], t.axisStep, t.landscapeBetaAxis);
    this.note.textContent = pts.length ? '' : t.landscapeEmpty(LANDSCAPE_EVERY);
    this.note.hidden = pts.length > 0;
    this.tableHead.hidden = this.table.hidden = !pts.length;
    if (pts.length) this.renderTable();
    this.root.dataset.points = String(pts.length);
    const lastStep = this.points[this.points.length - 1]?.step ?? 0;
    for (const chart of this.charts) {
      setXRange(chart, 0, lastStep); // from the first step to the latest
      restyle(chart);
      chart.update('none');
    }
  }
}
