// Normalization inspector: a small tensor, one normalization, every intermediate. The numbers come from the
// lessons worker (core/inspect.cpp); this file only draws them. An invalid edit shows its error and keeps the
// last good result on screen.
import type { InspectResult, InspectSpec } from '../engine/normlab';
import type { LessonStrings } from '../i18n/lessons-en';
import type { LessonsClient } from './protocol';
import { LESSON_X } from './lesson-tensor';
import { tex } from './math';
import { el, field, numberInput, select } from '../views/dom';
import { affineTable, drawHistogram, drawSharing, f32, rowsTable, statsTable, tensorTable } from './inspector-render';

export const INSPECT_NORMS = ['batchnorm', 'layernorm', 'instancenorm', 'groupnorm', 'rmsnorm'] as const;
type InspectNorm = (typeof INSPECT_NORMS)[number];
const SHAPES = { '2d': [4, 10], '4d': [2, 4, 3, 3] } as const;
type ShapeId = keyof typeof SHAPES;

interface State {
  norm: InspectNorm;
  shape: ShapeId;
  groups: number;
  eps: number;
  seed: number;
  scale: number;
  shift: number;
  x: number[];
  gamma: number[];
  beta: number[];
}

// The formulas for each norm, indices as the statistics run.
const FORMULAS: Record<InspectNorm, string> = {
  batchnorm: '\\mu_c = \\frac{1}{NHW}\\sum_{n,h,w} x_{nchw},\\quad \\sigma_c^2 = \\frac{1}{NHW}\\sum_{n,h,w} (x_{nchw}-\\mu_c)^2,\\quad \\hat x_{nchw} = \\frac{x_{nchw}-\\mu_c}{\\sqrt{\\sigma_c^2+\\varepsilon}},\\quad y = \\gamma_c \\hat x + \\beta_c',
  layernorm: '\\mu_n = \\frac{1}{CHW}\\sum_{c,h,w} x_{nchw},\\quad \\sigma_n^2 = \\frac{1}{CHW}\\sum_{c,h,w} (x_{nchw}-\\mu_n)^2,\\quad \\hat x_{nchw} = \\frac{x_{nchw}-\\mu_n}{\\sqrt{\\sigma_n^2+\\varepsilon}},\\quad y = \\gamma_c \\hat x + \\beta_c',
  instancenorm: '\\mu_{nc} = \\frac{1}{HW}\\sum_{h,w} x_{nchw},\\quad \\sigma_{nc}^2 = \\frac{1}{HW}\\sum_{h,w} (x_{nchw}-\\mu_{nc})^2,\\quad \\hat x_{nchw} = \\frac{x_{nchw}-\\mu_{nc}}{\\sqrt{\\sigma_{nc}^2+\\varepsilon}},\\quad y = \\gamma_c \\hat x + \\beta_c',
  groupnorm: '\\mu_{ng} = \\frac{G}{CHW}\\sum_{c \\in g,\\,h,w} x_{nchw},\\quad \\sigma_{ng}^2 = \\frac{G}{CHW}\\sum_{c \\in g,\\,h,w} (x_{nchw}-\\mu_{ng})^2,\\quad \\hat x_{nchw} = \\frac{x_{nchw}-\\mu_{ng}}{\\sqrt{\\sigma_{ng}^2+\\varepsilon}},\\quad y = \\gamma_c \\hat x + \\beta_c',
  rmsnorm: '\\mathrm{ms}_n = \\frac{1}{CHW}\\sum_{c,h,w} x_{nchw}^2,\\quad \\hat x_{nchw} = \\frac{x_{nchw}}{\\sqrt{\\mathrm{ms}_n+\\varepsilon}},\\quad y = \\gamma_c \\hat x',
};

export class Inspector {
  readonly root: HTMLElement;
  private t: LessonStrings;
  private state: State;
  private result: InspectResult | null = null;
  private request = 0;
  private sampling = 0; // the latest randn request
  private controls: Record<string, HTMLElement> = {};
  private error: HTMLElement;
  private body: HTMLElement;
  private labels: HTMLElement[] = [];

  constructor(private client: LessonsClient, t: LessonStrings) {
    this.t = t;
    this.state = { norm: 'layernorm', shape: '2d', groups: 2, eps: 1e-5, seed: 0, scale: 5, shift: 20, x: [...LESSON_X], gamma: Array(10).fill(1), beta: Array(10).fill(0) };
    this.root = el('div', 'inspector');
    this.error = el('p', 'error');
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.body = el('div', 'inspector-body');
    this.build();
  }

  private build() {
    const t = this.t;
    const normSel = select('inspect-norm', INSPECT_NORMS.map((n) => [n, n]), this.state.norm);
    const shapeSel = select('inspect-shape', Object.keys(SHAPES).map((s) => [s, s]), this.state.shape);
    const groups = numberInput('inspect-groups', this.state.groups, { min: 1, max: 64, step: 1 });
    const eps = numberInput('inspect-eps', this.state.eps, { min: 0, step: 'any' });
    const seed = numberInput('inspect-seed', this.state.seed, { min: 0, step: 1 });
    const scale = numberInput('inspect-scale', this.state.scale, { step: 'any' });
    const shift = numberInput('inspect-shift', this.state.shift, { step: 'any' });
    const resample = el('button', '', { type: 'button', id: 'inspect-resample' });
    const lesson = el('button', '', { type: 'button', id: 'inspect-lesson' });
    const flat = el('button', '', { type: 'button', id: 'inspect-flat' });
    this.controls = { normSel, shapeSel, groups, eps, seed, scale, shift, resample, lesson, flat };
    normSel.addEventListener('change', () => { this.state.norm = (normSel as HTMLSelectElement).value as InspectNorm; this.update(); });
    shapeSel.addEventListener('change', () => { this.setShape((shapeSel as HTMLSelectElement).value as ShapeId); });
    groups.addEventListener('change', () => { this.state.groups = Number((groups as HTMLInputElement).value); this.update(); });
    eps.addEventListener('change', () => { this.state.eps = Number((eps as HTMLInputElement).value); this.update(); });
    const redraw = () => this.resample((shapeSel as HTMLSelectElement).value as ShapeId);
    for (const c of [seed, scale, shift]) c.addEventListener('change', redraw);
    resample.addEventListener('click', redraw);
    lesson.addEventListener('click', () => {
      Object.assign(this.state, { norm: 'layernorm', shape: '2d', eps: 1e-5, seed: 0, scale: 5, shift: 20, x: [...LESSON_X], gamma: Array(10).fill(1), beta: Array(10).fill(0) });
      this.syncControls();
      this.update();
    });
    flat.addEventListener('click', () => {
      const per = this.perSample();
      for (let k = 0; k < per; k++) this.state.x[k] = f32(3 + 1e-4 * (k % 10));
      this.update();
    });
    const row = el('div', 'inspector-controls');
    this.labels = [];
    const add = (key: keyof LessonStrings, control: HTMLElement) => {
      const f = field(control, String(this.t[key]));
      this.labels.push(f.label);
      f.label.dataset.key = key;
      row.append(f.wrap);
    };
    add('normKind', normSel); add('shape', shapeSel); add('groupsLabel', groups); add('eps', eps);
    add('tensorSeed', seed); add('tensorScale', scale); add('tensorShift', shift);
    row.append(resample, lesson, flat);
    this.root.append(row, this.error, this.body);
    this.applyStrings(t);
  }

  private shape(): number[] { return [...SHAPES[this.state.shape]]; }
  private perSample(): number { return this.shape().slice(1).reduce((a, b) => a * b, 1); }

  // A new shape takes effect together with its tensor: the lesson's at once, a sampled one when it arrives.
  private setShape(id: ShapeId) {
    if (id === '2d') {
      this.sampling++; // a sample still on its way for the other shape is dropped
      this.adopt('2d', { seed: 0, scale: 5, shift: 20, x: [...LESSON_X] });
      this.syncControls();
      this.update();
      return;
    }
    (this.controls.seed as HTMLInputElement).value = '1';
    (this.controls.scale as HTMLInputElement).value = '2';
    (this.controls.shift as HTMLInputElement).value = '1';
    void this.resample(id);
  }

  // Switches the state to `shape` with its tensor (γ, β reset when the channels change; the norm kept if it
  // applies to the shape).
  private adopt(shape: ShapeId, tensor: { seed: number; scale: number; shift: number; x: number[] }) {
    if (shape !== this.state.shape) {
      const C = SHAPES[shape][1];
      Object.assign(this.state, { gamma: Array(C).fill(1), beta: Array(C).fill(0) });
      if (shape === '2d' && this.state.norm === 'instancenorm') this.state.norm = 'layernorm';
      if (shape === '4d' && this.state.norm === 'layernorm') this.state.norm = 'batchnorm';
    }
    Object.assign(this.state, { shape, ...tensor });
  }

  private syncControls() {
    const s = this.state, c = this.controls;
    (c.normSel as HTMLSelectElement).value = s.norm;
    (c.shapeSel as HTMLSelectElement).value = s.shape;
    (c.groups as HTMLInputElement).value = String(s.groups);
    (c.eps as HTMLInputElement).value = String(s.eps);
    (c.seed as HTMLInputElement).value = String(s.seed);
    (c.scale as HTMLInputElement).value = String(s.scale);
    (c.shift as HTMLInputElement).value = String(s.shift);
    (c.groups.closest('.field') as HTMLElement).hidden = s.norm !== 'groupnorm';
  }

  // torch.manual_seed(seed); x = torch.randn(shape) * scale + shift (float arithmetic, as PyTorch does it).
  // Only the latest request counts: a reply that arrives after another resample or shape change is dropped.
  private async resample(shape: ShapeId = this.state.shape) {
    const c = this.controls;
    const seed = Number((c.seed as HTMLInputElement).value), scale = Number((c.scale as HTMLInputElement).value), shift = Number((c.shift as HTMLInputElement).value);
    if (!Number.isFinite(scale) || !Number.isFinite(shift)) return this.showError(this.t.tensorNumbers);
    const id = ++this.sampling;
    const reply = await this.client.randn(seed, SHAPES[shape].reduce((a: number, b: number) => a * b, 1));
    if (id !== this.sampling) return;
    if (!reply.values) return this.showError(reply.error ?? 'randn failed');
    this.adopt(shape, { seed, scale, shift, x: Array.from(reply.values, (v) => f32(f32(v * f32(scale)) + f32(shift))) });
    this.syncControls();
    this.update();
  }

  private showError(message: string) {
    this.error.textContent = this.t.err(message);
    this.error.hidden = false;
  }

  async update() {
    const s = this.state;
    (this.controls.groups.closest('.field') as HTMLElement).hidden = s.norm !== 'groupnorm';
    const spec: InspectSpec = { norm: s.norm, shape: this.shape(), groups: s.groups, eps: s.eps, x: s.x, gamma: s.gamma, beta: s.beta };
    const id = ++this.request;
    const reply = await this.client.inspect(spec);
    if (id !== this.request) return; // a newer request is on its way
    if (!reply.result) {
      this.showError(reply.error ?? 'error');
      return;
    }
    this.error.hidden = true;
    this.result = reply.result;
    this.render();
  }

  applyStrings(t: LessonStrings) {
    this.t = t;
    for (const l of this.labels) {
      const v = (t as Record<string, unknown>)[l.dataset.key!];
      l.textContent = typeof v === 'string' ? v : '';
    }
    const opts = (sel: HTMLElement, text: (v: string) => string) => Array.from((sel as HTMLSelectElement).options).forEach((o) => { o.textContent = text(o.value); });
    opts(this.controls.normSel, (v) => ({ batchnorm: 'BatchNorm', layernorm: 'LayerNorm', instancenorm: t.instancenorm, groupnorm: 'GroupNorm', rmsnorm: 'RMSNorm' })[v as InspectNorm]);
    opts(this.controls.shapeSel, (v) => (v === '2d' ? t.shape2d : t.shape4d));
    this.controls.resample.textContent = t.resample;
    this.controls.lesson.textContent = t.lessonTensor;
    this.controls.flat.textContent = t.nearlyConstant;
    if (this.result) this.render();
  }

  // ------------------------------------------------------------------------------------------ drawing

  private render() {
    const r = this.result!, s = this.state, t = this.t;
    if (r.y.length !== s.x.length) return; // a result for another tensor (its successor is on its way)
    const shape = this.shape(), [N, C] = shape, per = this.perSample(), HW = per / C;
    const shapeText = `(${shape.join(', ')})`;
    const normName = ({ batchnorm: 'BatchNorm', layernorm: 'LayerNorm', instancenorm: t.instancenorm, groupnorm: 'GroupNorm', rmsnorm: 'RMSNorm' })[s.norm];
    const parts: HTMLElement[] = [];

    // The code that makes this tensor and layer in PyTorch.
    const code = el('pre', 'inspect-code');
    code.textContent = `${t.resampleCode(s.seed, shape.join(', '), s.scale, s.shift)}\n${this.moduleCode()}\ny = layer(x)`;
    parts.push(code);

    // Input tensor (editable), γ and β.
    const update = () => this.update();
    const error = (message: string) => this.showError(message);
    parts.push(el('h4', '', { textContent: t.inputTensor }), tensorTable(s.x, shape, r.groupOf, 'x', t, { set: (k, v) => { s.x[k] = v; update(); }, error }));
    parts.push(el('h4', '', { textContent: t.affineRow }), affineTable(s, C, s.norm !== 'rmsnorm', t, { set: ([which, c], v) => { s[which][c] = v; update(); }, error }));

    // Which elements share statistics.
    const diagram = el('canvas', 'sharing') as HTMLCanvasElement;
    diagram.setAttribute('role', 'img');
    diagram.setAttribute('aria-label', t.sharingLabel(normName, shapeText, r.stats));
    parts.push(el('h4', '', { textContent: t.sharing }), diagram, el('p', 'why', { textContent: t.sharingText[s.norm] }));

    // The formula and ε.
    const formula = el('div', 'formula');
    tex(formula, FORMULAS[s.norm]);
    parts.push(el('h4', '', { textContent: t.formulaTitle }), formula, el('p', 'why', { textContent: t.epsNote }));

    // Statistics.
    parts.push(el('h4', '', { textContent: t.statsTable }), statsTable(r, t, s.norm, s.groups, C));

    // x̂ and y.
    parts.push(el('h4', '', { textContent: t.xhatTable }), tensorTable(Array.from(r.xhat), shape, r.groupOf, 'xhat', t));
    parts.push(el('h4', '', { textContent: t.yTable }), tensorTable(Array.from(r.y), shape, r.groupOf, 'y', t));

    // Per-sample summary and the 1.1111 note.
    parts.push(el('h4', '', { textContent: t.rowsTable }), rowsTable(r, t, N));
    // The lesson's 1.1111, explained where it is what the table shows: y's biased variance is 1.
    if (s.norm === 'layernorm' && s.shape === '2d' && Array.from(r.rowVarYBiased).every((v) => Math.abs(v - 1) < 1e-3)) parts.push(el('p', 'why', { textContent: t.varNote }));

    // Histograms.
    const hists = el('div', 'histograms');
    for (let n = 0; n < N; n++) {
      const cv = el('canvas', 'histogram') as HTMLCanvasElement;
      cv.setAttribute('role', 'img');
      cv.setAttribute('aria-label', t.histogramLabel(n));
      hists.append(cv);
    }
    parts.push(el('h4', '', { textContent: t.histograms }), hists);
    this.body.replaceChildren(...parts);

    drawSharing(diagram, r.groupOf, N, C, HW);
    Array.from(hists.children).forEach((cv, n) =>
      drawHistogram(cv as HTMLCanvasElement, s.x.slice(n * per, (n + 1) * per), Array.from(r.y.subarray(n * per, (n + 1) * per)), t));
  }

  private moduleCode(): string {
    const s = this.state, shape = this.shape(), C = shape[1], is4d = shape.length === 4;
    const eps = `eps=${s.eps}`;
    switch (s.norm) {
      case 'batchnorm': return `layer = nn.BatchNorm${is4d ? '2' : '1'}d(${C}, ${eps})  # training mode`;
      case 'layernorm': return `layer = nn.LayerNorm(${is4d ? `[${shape.slice(1).join(', ')}]` : C}, ${eps})`;
      case 'instancenorm': return `layer = nn.InstanceNorm2d(${C}, ${eps}, affine=True)`;
      case 'groupnorm': return `layer = nn.GroupNorm(${s.groups}, ${C}, ${eps})`;
      case 'rmsnorm': return `layer = nn.RMSNorm(${is4d ? `[${shape.slice(1).join(', ')}]` : C}, ${eps})  # PyTorch ≥ 2.4`;
    }
  }
}
