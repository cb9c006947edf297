// The lessons: one tab per part of the normalization lesson, below the lab. Each section is computed live:
// the inspector and the batch-size sweep by the lessons worker, the others from the lab's own runs (the
// trainer worker's frames). Only the open section draws; the open section is part of the link.
import type { LabConfig } from '../state/config';
import type { BnWatch, DiagnosticsPoint, EpochPoint, BnTrace } from '../engine/protocol';
import type { BatchmatesFrame, BatchmatesWatch } from '../engine/batchmates';
import type { Lang } from '../i18n';
import { lessonStrings } from '../i18n/lessons';
import type { LessonStrings } from '../i18n/lessons-en';
import { SECTIONS, type Section } from '../state/urlstate';
import { LessonsClient } from './protocol';
import { Inspector } from './inspector';
import { BnStep } from './bnstep';
import { SweepView } from './sweepview';
import { GradientFlow, History, LayerStats } from './layerstats';
import { ScaleView } from './scaleview';
import { LandscapeView } from './landscape';
import { LANDSCAPE_EVERY, LANDSCAPE_OPTIONS, type LandscapePoint, type ScaleRequest, type ScaleRow, type WeightsPoint } from '../engine/theory';
import { BatchmatesView } from './batchmates';
import { el } from '../views/dom';
import { tex } from './math';
import { WhyLesson } from './why';

type FormulaKey = 'fxCompare' | 'fxStats' | 'fxGrad' | 'fxDropout' | 'fxResidual' | 'fxBatchmates';

// What a trainer frame brings for Scale invariance and Loss landscape (engine/protocol.ts).
export interface TheoryFrame {
  weights: WeightsPoint[];
  landscape: LandscapePoint[];
  measured: number;
}

// η_k as the engine computes it from LANDSCAPE_OPTIONS (core/landscape.h): lr·(from + (to − from)(k − 1)/(K − 1)).
function etaTex(): string {
  const { steps, from, to } = LANDSCAPE_OPTIONS;
  const inc = steps > 1 ? (to - from) / (steps - 1) : 0;
  const n = (v: number) => String(Number(v.toFixed(6)));
  return Math.abs(inc - from) < 1e-12 ? `${n(from)}\\,k\\cdot\\mathrm{lr}` : `\\mathrm{lr}\\cdot\\big(${n(from)} + ${n(inc)}\\,(k-1)\\big)`;
}

// Formulas side by side, each displayed on its own: they wrap, one under the other, on a narrow screen.
function formulaRow(row: HTMLElement, parts: string[]) {
  row.replaceChildren(...parts.map((part) => {
    const e = el('div', 'formula');
    tex(e, part);
    return e;
  }));
}

export interface LessonsHost {
  config(): LabConfig;              // the configuration the lab is running
  choosePreset(id: string): void;   // load a preset into the lab
  watch(bn: BnWatch | null): void;  // which BatchNorm feature the trainer should trace
  landscape(on: boolean): void;     // whether the trainer measures the loss landscape (Loss landscape is open)
  scale(request: ScaleRequest): void; // Scale weights: the worker answers with scaled()
  watchBatchmates(w: BatchmatesWatch | null): void; // which training point the trainer follows through its batches
  sectionChanged(section: Section): void;
}

// Final train and test loss of each run at the last completed epoch (Dropout, Residual blocks).
class RunTable {
  readonly root = el('div');
  private table = el('table', 'numbers run-table');
  private empty = el('p', 'why');
  private last: EpochPoint | null = null;
  private names: string[] = [];
  constructor(private t: LessonStrings) { this.root.append(this.empty, this.table); }
  setRuns(names: string[]) { this.names = names; this.last = null; this.render(); }
  setEpoch(p: EpochPoint | null) { this.last = p; this.render(); }
  applyStrings(t: LessonStrings) { this.t = t; this.render(); }
  private render() {
    const t = this.t, p = this.last;
    this.empty.textContent = p ? `${t.dropoutTable} (${p.epoch})` : t.dropoutEmpty;
    const head = el('tr');
    for (const h of [t.dropoutRun, t.dropoutTrainLoss, t.dropoutTestLoss, t.dropoutGap]) head.append(el('th', '', { scope: 'col', textContent: h }));
    const thead = el('thead');
    thead.append(head);
    const body = el('tbody');
    if (p) this.names.forEach((name, r) => {
      const tr = el('tr');
      const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : '—');
      tr.append(el('th', '', { scope: 'row', textContent: name }), el('td', '', { textContent: f(p.trainLoss[r]) }),
        el('td', '', { textContent: f(p.testLoss[r]) }), el('td', '', { textContent: f(p.testLoss[r] - p.trainLoss[r]) }));
      body.append(tr);
    });
    this.table.replaceChildren(thead, body);
    this.table.hidden = !p;
  }
}

export class Lessons {
  private t: LessonStrings;
  private client = new LessonsClient();
  private tabs = new Map<Section, HTMLButtonElement>();
  private panels = new Map<Section, HTMLElement>();
  private headings = new Map<Section, HTMLElement>();
  private texts: { el: HTMLElement; key: keyof LessonStrings }[] = [];
  private formulas: { el: HTMLElement; key: FormulaKey }[] = [];
  private buttons: { el: HTMLButtonElement; key: keyof LessonStrings }[] = [];
  private current: Section = 'inspector';
  private visible = false;
  private seen: IntersectionObserver | null = null;
  private history = new History();
  private inspector: Inspector;
  private bnstep: BnStep;
  private sweep: SweepView;
  private stats: LayerStats;
  private grads: GradientFlow;
  private dropoutTable: RunTable;
  private residualTable: RunTable;
  private scaleView: ScaleView;
  private landscapeView: LandscapeView;
  private landscapeIntro = el('p', 'lesson-text');
  private scaleFormula = el('div', 'formula-row');
  private landscapeFormula = el('div', 'formula-row');
  private landscapeCost = el('p', 'lesson-text');
  private refs: { el: HTMLElement; key: 'scaleRefs' | 'landscapeRef' }[] = [];
  private why: WhyLesson;
  private mates: BatchmatesView;
  private heading: HTMLElement;
  private intro: HTMLElement;
  private tablist: HTMLElement;

  constructor(private root: HTMLElement, private host: LessonsHost, lang: Lang) {
    this.t = lessonStrings(lang);
    const t = this.t;
    this.heading = el('h2', '', { id: 'lessons-heading' });
    this.intro = el('p', 'why');
    this.tablist = el('div', 'tabs', { role: 'tablist' });
    this.tablist.setAttribute('role', 'tablist');
    this.root.append(this.heading, this.intro, this.tablist);
    this.client.onFatal = (m) => { this.intro.textContent = m; };

    this.inspector = new Inspector(this.client, t);
    this.bnstep = new BnStep(t, (w) => this.host.watch(this.current === 'bnstep' ? w : null), () => this.host.choosePreset('lesson'));
    this.sweep = new SweepView(t, this.client, () => this.host.config());
    const deepSigmoid = () => this.host.choosePreset('deep-sigmoid');
    this.stats = new LayerStats(t, this.history, deepSigmoid);
    this.grads = new GradientFlow(t, this.history, deepSigmoid);
    this.dropoutTable = new RunTable(t);
    this.residualTable = new RunTable(t);
    this.scaleView = new ScaleView(t, (request) => this.host.scale(request));
    this.landscapeView = new LandscapeView(t);
    this.why = new WhyLesson((id) => this.host.choosePreset(id), (id) => { this.open(id, true); this.tabs.get(id)!.focus(); });
    this.mates = new BatchmatesView(t, (w) => this.host.watchBatchmates(this.current === 'batchmates' ? w : null), () => this.host.choosePreset('sorted-batches'));

    const content: Record<Section, HTMLElement[]> = {
      inspector: [this.text('p', 'inspectorIntro'), this.inspector.root],
      bnstep: [this.bnstep.root],
      compare: [
        this.text('p', 'compareIntro'),
        this.formula('fxCompare'),
        this.sweep.root,
      ],
      layerstats: [
        this.formula('fxStats'),
        this.stats.root,
      ],
      gradflow: [
        this.formula('fxGrad'),
        this.grads.root,
      ],
      scale: [
        this.text('p', 'scaleIntro'),
        this.scaleFormula,
        this.references('scaleRefs'),
        this.button('scaleLoad', () => this.host.choosePreset('weight-decay')),
        this.scaleView.root,
      ],
      landscape: [
        this.landscapeIntro,
        this.landscapeFormula,
        this.references('landscapeRef'),
        this.button('landscapeLoad', () => this.host.choosePreset('landscape')),
        this.button('loadDeepSigmoid', deepSigmoid),
        this.landscapeView.root,
        this.landscapeCost,
        this.text('p', 'landscapeNote'),
      ],
      dropout: [
        this.text('p', 'dropoutIntro'),
        this.formula('fxDropout'),
        this.button('dropoutLoad', () => this.host.choosePreset('dropout')),
        this.dropoutTable.root,
        this.text('p', 'dropoutNote'),
      ],
      residual: [
        this.text('p', 'residualIntro'),
        this.formula('fxResidual'),
        this.button('residualLoad', () => this.host.choosePreset('residual')),
        this.button('residualLoadSgd', () => this.host.choosePreset('residual-sgd')),
        this.residualTable.root,
        this.text('p', 'residualNote'),
        this.text('p', 'residualGradNote'),
      ],
      why: [this.why.root],
      batchmates: [this.text('p', 'bmIntro'), this.formula('fxBatchmates'), this.mates.root],
    };

    for (const id of SECTIONS) {
      const tab = el('button', '', { type: 'button', id: `tab-${id}` });
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', `panel-${id}`);
      tab.addEventListener('click', () => this.open(id, true));
      tab.addEventListener('keydown', (e) => this.tabKey(e, id));
      this.tablist.append(tab);
      this.tabs.set(id, tab);
      const panel = el('section', 'lesson-panel', { id: `panel-${id}` });
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', `tab-${id}`);
      panel.tabIndex = 0;
      const h = el('h3');
      this.headings.set(id, h);
      panel.append(h, ...content[id]);
      this.root.append(panel);
      this.panels.set(id, panel);
    }
    this.applyStrings(lang);
    this.open('inspector', false);
    // The inspector computes (and the lessons worker starts) when the lessons are scrolled into view, or
    // once the lab has painted its first boundary (start()), whichever comes first: never before the lab.
    this.seen = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) this.start(); });
    this.seen.observe(this.root);
  }

  start() {
    if (this.visible) return;
    this.seen?.disconnect();
    this.visible = true;
    this.open(this.current, false);
  }

  private text(tag: 'p', key: keyof LessonStrings): HTMLElement {
    const e = el(tag, 'lesson-text');
    this.texts.push({ el: e, key });
    return e;
  }

  private formula(key: FormulaKey): HTMLElement {
    const e = el('div', 'formula');
    this.formulas.push({ el: e, key });
    return e;
  }

  // The papers a section follows, as links.
  private references(key: 'scaleRefs' | 'landscapeRef'): HTMLElement {
    const e = el('ul', 'refs');
    this.refs.push({ el: e, key });
    return e;
  }

  private button(key: keyof LessonStrings, onClick: () => void): HTMLElement {
    const b = el('button', '', { type: 'button' });
    b.addEventListener('click', onClick);
    this.buttons.push({ el: b, key });
    return b;
  }

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern); Home/End jump.
  private tabKey(e: KeyboardEvent, id: Section) {
    const i = SECTIONS.indexOf(id);
    const next = e.key === 'ArrowRight' ? (i + 1) % SECTIONS.length : e.key === 'ArrowLeft' ? (i - 1 + SECTIONS.length) % SECTIONS.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? SECTIONS.length - 1 : -1;
    if (next < 0) return;
    e.preventDefault();
    this.open(SECTIONS[next], true);
    this.tabs.get(SECTIONS[next])!.focus();
  }

  get section(): Section { return this.current; }

  open(id: Section, byUser: boolean) {
    this.current = id;
    for (const s of SECTIONS) {
      const selected = s === id;
      const tab = this.tabs.get(s)!;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      this.panels.get(s)!.hidden = !selected;
    }
    this.root.dataset.section = id;
    if (id === 'inspector' && this.visible) this.inspector.update();
    this.host.watch(id === 'bnstep' ? this.bnstep.watch : null);
    this.host.landscape(id === 'landscape');
    this.host.watchBatchmates(id === 'batchmates' ? this.mates.watch : null);
    this.stats.changed();
    this.grads.changed();
    this.scaleView.changed();
    this.landscapeView.changed();
    if (byUser) this.host.sectionChanged(id);
  }

  applyStrings(lang: Lang) {
    const t = (this.t = lessonStrings(lang));
    this.heading.textContent = t.lessons;
    this.intro.textContent = t.lessonsIntro;
    this.tablist.setAttribute('aria-label', t.lessons);
    for (const id of SECTIONS) {
      this.tabs.get(id)!.textContent = t[id];
      this.headings.get(id)!.textContent = t[id];
    }
    for (const { el: e, key } of this.texts) e.textContent = String(t[key]);
    for (const { el: e, key } of this.buttons) e.textContent = String(t[key]);
    for (const f of this.formulas) tex(f.el, t[f.key]);
    this.landscapeIntro.textContent = t.landscapeIntro(LANDSCAPE_EVERY);
    this.landscapeCost.textContent = t.landscapeCost(LANDSCAPE_EVERY);
    formulaRow(this.scaleFormula, t.fxScale);
    formulaRow(this.landscapeFormula, t.fxLandscape(LANDSCAPE_OPTIONS.steps, etaTex()));
    for (const { el: list, key } of this.refs) {
      const items = key === 'scaleRefs' ? t.scaleRefs : [t.landscapeRef];
      list.replaceChildren(...items.map(([text, href]) => {
        const li = el('li');
        li.append(el('a', '', { href, textContent: text, target: '_blank', rel: 'noopener' }));
        return li;
      }));
    }
    this.inspector.applyStrings(t);
    this.bnstep.applyStrings(t);
    this.sweep.applyStrings(t);
    this.stats.applyStrings(t);
    this.grads.applyStrings(t);
    this.dropoutTable.applyStrings(t);
    this.residualTable.applyStrings(t);
    this.scaleView.applyStrings(t);
    this.landscapeView.applyStrings(t);
    this.why.applyStrings(lang, t);
    this.mates.applyStrings(t);
  }

  // The lab has a new configuration (its runs start over).
  configured(c: LabConfig) {
    this.history.clear();
    this.bnstep.setConfig(c);
    this.stats.setConfig(c);
    this.grads.setConfig(c);
    this.scaleView.setConfig(c);
    this.landscapeView.setConfig(c);
    const names = c.runs.map((r) => r.name);
    this.dropoutTable.setRuns(names);
    this.residualTable.setRuns(names);
    this.mates.setConfig(c);
  }

  // The Batch-mates point's predictions, from a trainer frame.
  batchmates(f: BatchmatesFrame | null) {
    if (f && this.current === 'batchmates') this.mates.setFrame(f);
  }

  // Everything a trainer frame brings.
  frame(step: number, diagnostics: DiagnosticsPoint[], epochs: EpochPoint[], trace: BnTrace | null, theory: TheoryFrame) {
    if (step === 0) {
      this.history.clear();
      this.scaleView.clear();
      this.landscapeView.clear();
      this.dropoutTable.setEpoch(null);
      this.residualTable.setEpoch(null);
    }
    if (diagnostics.length) {
      this.history.add(diagnostics);
      this.stats.changed();
      this.grads.changed();
    }
    if (epochs.length) {
      this.dropoutTable.setEpoch(epochs[epochs.length - 1]);
      this.residualTable.setEpoch(epochs[epochs.length - 1]);
    }
    if (trace) this.bnstep.setTrace(trace);
    this.scaleView.setStep(step);
    this.scaleView.add(theory.weights);
    this.landscapeView.add(theory.landscape);
    this.landscapeView.setMeasured(theory.measured);
  }

  // Scale weights' result.
  scaled(step: number, rows: ScaleRow[]) {
    this.scaleView.scaled(step, rows);
  }

  destroy() {
    this.client.terminate();
    this.seen?.disconnect();
    this.sweep.destroy();
    this.stats.destroy();
    this.grads.destroy();
    this.scaleView.destroy();
    this.landscapeView.destroy();
  }

  // Once per animation frame: the open section's charts redraw if their data changed.
  draw() {
    if (this.current === 'layerstats') this.stats.draw();
    else if (this.current === 'gradflow') this.grads.draw();
    else if (this.current === 'scale') this.scaleView.draw();
    else if (this.current === 'landscape') this.landscapeView.draw();
  }
}
