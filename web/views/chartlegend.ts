// The lab charts' legend, in HTML beside the canvas (text a screen reader reads, in the page's language): each
// run's colour and name, each line style and what it shows, and optionally the smoothing slider.
//   <div class="chart-legend">
//     <ul class="chart-legend-runs"><li><svg class="chart-legend-sample">…</svg>BatchNorm</li>…</ul>
//     <ul class="chart-legend-lines"><li data-line="smoothed"><svg class="chart-legend-sample">…</svg>per step, smoothed</li>…</ul>
//     <div class="chart-smoothing"><label for=…>Smoothing</label><input type="range" id=…><output>0.60</output></div>
//   </div>
// Its look is in charts.css (a cascade layer: the page's own rules for these classes win).
import { el } from './dom';
import css from './charts.css?inline';

export type LineKind = 'raw' | 'smoothed' | 'train' | 'test';

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

// A 24 × 10 sample of a line as the chart draws it, in `color` (default: the text's colour).
function sample(kind: LineKind | 'run', color = 'currentColor'): SVGSVGElement {
  const s = svg('svg', { class: 'chart-legend-sample', width: 24, height: 10, viewBox: '0 0 24 10', 'aria-hidden': 'true', focusable: 'false' });
  const stroke = { stroke: color, fill: 'none', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' };
  if (kind === 'raw') s.append(svg('polyline', { ...stroke, points: '1,6 4,3 7,8 10,4 13,7 16,2 19,7 23,4', 'stroke-width': 1, opacity: 0.45 }));
  else if (kind === 'smoothed') s.append(svg('path', { ...stroke, d: 'M1 7 C 8 2, 15 8, 23 3', 'stroke-width': 1.6 }));
  else if (kind === 'run') s.append(svg('line', { ...stroke, x1: 2, y1: 5, x2: 22, y2: 5, 'stroke-width': 3 }));
  else {
    const test = kind === 'test';
    s.append(svg('line', { ...stroke, x1: 4, y1: 5, x2: 20, y2: 5, 'stroke-width': test ? 1.6 : 2.4, ...(test ? { 'stroke-dasharray': '3.5 2.5', 'stroke-linecap': 'butt' } : {}) }));
    for (const cx of [4, 20]) s.append(svg('circle', { cx, cy: 5, r: 2.3, stroke: color, 'stroke-width': 1.2, ...(test ? { class: 'hollow', fill: 'none' } : { fill: color }) }));
  }
  return s;
}

// The legend's stylesheet, adopted once by the document or shadow root the legend lives in (<norm-lab> renders
// in a shadow root, which a document stylesheet would not reach; adopted sheets are allowed by the page's CSP).
let sheet: CSSStyleSheet | null = null;
function adoptStyles(node: Node) {
  const root = node.getRootNode() as Document | ShadowRoot;
  if (!('adoptedStyleSheets' in root)) return;
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

let uid = 0;

export interface SmoothingControl {
  value: number;
  max: number;
  onInput: (w: number) => void;
}

export class ChartLegend {
  private runs = el('ul', 'chart-legend-runs');
  private lines = el('ul', 'chart-legend-lines');
  private smoothing: { label: HTMLLabelElement; input: HTMLInputElement; output: HTMLOutputElement } | null = null;

  constructor(readonly root: HTMLElement, control?: SmoothingControl) {
    root.classList.add('chart-legend');
    root.replaceChildren(this.runs, this.lines);
    if (control) {
      const input = el('input', '', { type: 'range', min: 0, max: control.max, step: 0.01, id: `chart-smoothing-${++uid}` });
      const output = el('output');
      output.htmlFor.add(input.id);
      const label = el('label', '', { htmlFor: input.id });
      input.value = String(control.value);
      input.addEventListener('input', () => control.onInput(Number(input.value)));
      const wrap = el('div', 'chart-smoothing');
      wrap.append(label, input, output);
      root.append(wrap);
      this.smoothing = { label, input, output };
      this.showSmoothing(control.value);
    }
    adoptStyles(root);
  }

  setRuns(runs: { name: string; color: string }[], label: string) {
    adoptStyles(this.root); // (again: a legend given before it was in the page)
    this.runs.setAttribute('aria-label', label);
    this.runs.replaceChildren(...runs.map(({ name, color }) => {
      const li = el('li');
      li.append(sample('run', color), el('span', '', { textContent: name }));
      return li;
    }));
  }

  setLines(lines: [LineKind, string][], label: string) {
    this.lines.setAttribute('aria-label', label);
    this.lines.replaceChildren(...lines.map(([kind, text]) => {
      const li = el('li');
      li.dataset.line = kind;
      li.append(sample(kind), el('span', '', { textContent: text }));
      return li;
    }));
  }

  setSmoothingText(label: string, hint: string) {
    if (!this.smoothing) return;
    this.smoothing.label.textContent = label;
    this.smoothing.input.title = hint;
    this.smoothing.input.setAttribute('aria-description', hint);
  }

  // Shows w on the slider (set by the page, or by the slider itself).
  showSmoothing(w: number) {
    if (!this.smoothing) return;
    if (Number(this.smoothing.input.value) !== w) this.smoothing.input.value = String(w);
    this.smoothing.output.value = w.toFixed(2);
  }
}

// The chart with its legend drawn under it, on the panel's colour: what Save PNG should save (the HTML legend is
// not part of the canvas). Runs first, then the line styles, in rows that wrap at the chart's width.
export function chartImage(chart: HTMLCanvasElement, runs: { name: string; color: string }[], lines: [LineKind, string][],
  colors: { text: string; panel: string }): HTMLCanvasElement {
  const scale = chart.width / (chart.clientWidth || chart.width), width = chart.width / scale;
  const font = (bold: boolean) => `${bold ? '600 ' : ''}12px system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif`;
  const items = [...runs.map((r) => ({ kind: 'run' as const, color: r.color, text: r.name, bold: true, row: 0 })),
    ...lines.map(([kind, text]) => ({ kind, color: colors.text, text, bold: false, row: 1 }))];
  // Layout in CSS pixels: 24 px sample, 5 px gap, the text, 14 px to the next item; a new row for the lines.
  const measure = document.createElement('canvas').getContext('2d')!;
  const pad = 10, rowHeight = 18, placed: { x: number; y: number }[] = [];
  let x = pad, y = 0;
  items.forEach((item, i) => {
    measure.font = font(item.bold);
    const w = 29 + measure.measureText(item.text).width;
    if (i > 0 && (item.row !== items[i - 1].row || x + w > width - pad)) x = pad, y += rowHeight;
    placed.push({ x, y });
    x += w + 14;
  });
  const legendHeight = items.length ? y + rowHeight + 8 : 0;
  const out = document.createElement('canvas');
  out.width = chart.width, out.height = Math.round(chart.height + legendHeight * scale);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = colors.panel;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(chart, 0, 0);
  ctx.scale(scale, scale);
  ctx.textBaseline = 'middle';
  items.forEach((item, i) => {
    const { x: left } = placed[i], mid = chart.height / scale + 4 + placed[i].y + rowHeight / 2;
    drawSample(ctx, item.kind, item.color, colors.panel, left, mid);
    ctx.font = font(item.bold);
    ctx.fillStyle = colors.text;
    ctx.fillText(item.text, left + 29, mid);
  });
  return out;
}

// The legend's SVG samples, drawn on a canvas: 24 px wide, centred on y.
function drawSample(ctx: CanvasRenderingContext2D, kind: LineKind | 'run', color: string, panel: string, x: number, y: number) {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineCap = ctx.lineJoin = 'round';
  ctx.beginPath();
  if (kind === 'raw') {
    ctx.globalAlpha = 0.45, ctx.lineWidth = 1;
    [[1, 6], [4, 3], [7, 8], [10, 4], [13, 7], [16, 2], [19, 7], [23, 4]].forEach(([px, py], i) => (i ? ctx.lineTo(x + px, y + py - 5) : ctx.moveTo(x + px, y + py - 5)));
    ctx.stroke();
  } else if (kind === 'smoothed') {
    ctx.lineWidth = 1.6;
    ctx.moveTo(x + 1, y + 2);
    ctx.bezierCurveTo(x + 8, y - 3, x + 15, y + 3, x + 23, y - 2);
    ctx.stroke();
  } else if (kind === 'run') {
    ctx.lineWidth = 3;
    ctx.moveTo(x + 2, y), ctx.lineTo(x + 22, y);
    ctx.stroke();
  } else {
    const test = kind === 'test';
    ctx.lineWidth = test ? 1.6 : 2.4;
    if (test) ctx.setLineDash([3.5, 2.5]), ctx.lineCap = 'butt';
    ctx.moveTo(x + 4, y), ctx.lineTo(x + 20, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.lineWidth = 1.2;
    for (const cx of [4, 20]) {
      ctx.beginPath();
      ctx.arc(x + cx, y, 2.3, 0, 2 * Math.PI);
      ctx.fillStyle = test ? panel : color;
      ctx.fill();
      ctx.stroke();
    }
  }
  ctx.restore();
}
