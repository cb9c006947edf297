// One card per run: a compact row of its editors (normalization and placement in view; name, groups, dropout,
// Save PNG and Remove behind its "⋯" disclosure), its decision boundary and its numbers (the epoch-mean
// training loss, the last step's, train and test accuracy, step time), with a "diverged" mark when it stopped.
import { NORMS, PLACEMENTS, type RunConfig } from '../state/config';
import type { EpochPoint, RunFrame } from '../engine/protocol';
import type { Strings } from '../i18n';
import { BoundaryView } from './boundary';
import { isDark, runColors } from './palette';
import { applyLimit, el, savePng } from './dom';
import { disclosure, type Disclosure } from './disclosure';
import { MAX_NAME, RUN_LIMITS } from '../state/limits';

export interface RunCallbacks {
  change(index: number, patch: Partial<RunConfig>): void;
  remove(index: number): void;
  point?(x: number, y: number, remove: boolean): void; // a click on a boundary while you draw your own points
  trace?(x: number, y: number): void;                  // a click on a boundary otherwise: trace that point
}

type Editor = 'name' | 'norm' | 'placement' | 'groups' | 'dropout';
const HIDDEN_EDITORS: Editor[] = ['name', 'groups', 'dropout']; // behind the card's disclosure

interface Card {
  root: HTMLElement;
  title: HTMLElement;
  more: HTMLButtonElement;
  moreMenu: Disclosure;
  controls: Record<Editor, HTMLInputElement | HTMLSelectElement>;
  errors: Record<Editor, HTMLElement>;
  labels: Record<Editor, HTMLLabelElement>;
  groupsField: HTMLElement;
  remove: HTMLButtonElement;
  png: HTMLButtonElement;
  stats: HTMLElement;
  badge: HTMLElement;
  boundary: BoundaryView;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');
const num = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v.toFixed(4) : '—');

export class RunsView {
  private cards: Card[] = [];
  private runs: RunConfig[] = [];
  private frames: RunFrame[] = [];       // the last frame's numbers, redrawn when the language changes
  private epochLoss: number[] = [];      // the last completed epoch's mean training loss, per run
  private openMenus = new Set<number>(); // cards whose disclosure stays open across a re-render
  private listeners = new AbortController();
  residual = false; // residual model: the placement is pre-norm or post-norm
  drawing = false;  // your own points: a click on a boundary adds (Shift: removes) a point

  constructor(private container: HTMLElement, private callbacks: RunCallbacks, private s: Strings) {}

  get boundaries(): BoundaryView[] {
    return this.cards.map((c) => c.boundary);
  }

  // One card per run; a run can be removed while it is not the last.
  render(runs: RunConfig[]) {
    const canRemove = runs.length > 1;
    if (runs.length !== this.runs.length) this.openMenus.clear();
    this.listeners.abort();
    this.listeners = new AbortController();
    this.runs = runs;
    this.container.replaceChildren();
    this.container.dataset.count = String(runs.length);
    const colors = runColors(runs, isDark()); // one colour per normalization, as in the charts
    this.cards = runs.map((run, i) => this.card(run, i, canRemove, colors[i]));
    this.applyStrings(this.s);
  }

  private card(run: RunConfig, i: number, canRemove: boolean, color: string): Card {
    const signal = this.listeners.signal;
    const root = el('article', 'run');
    root.style.setProperty('--run-color', color);
    const head = el('div', 'run-head');
    const title = el('h3', 'run-name', { id: `run-${i}-title`, textContent: run.name });
    const more = el('button', 'run-more', { type: 'button', textContent: '⋯' });
    more.setAttribute('aria-controls', `run-${i}-more`);
    head.append(title, more);
    root.setAttribute('role', 'group');
    root.setAttribute('aria-labelledby', title.id);

    const editors = el('div', 'run-editors');
    const menu = el('div', 'run-menu', { id: `run-${i}-more`, hidden: !this.openMenus.has(i) });
    const errors = {} as Card['errors'], labels = {} as Card['labels'];
    const field = (key: Editor, control: HTMLInputElement | HTMLSelectElement, parent: HTMLElement) => {
      const id = `run-${i}-${key}`;
      const wrap = el('div', 'field');
      const label = el('label', parent === editors ? 'visually-hidden' : '', { htmlFor: id });
      const error = el('p', 'error', { id: `${id}-error`, hidden: true });
      control.id = id;
      control.setAttribute('aria-describedby', error.id);
      wrap.append(label, control, error);
      parent.append(wrap);
      errors[key] = error;
      labels[key] = label;
      return wrap;
    };
    const name = el('input', '', { type: 'text', maxLength: MAX_NAME, autocomplete: 'off' });
    name.value = run.name;
    const norm = el('select');
    for (const n of NORMS) norm.append(el('option', '', { value: n }));
    norm.value = run.norm;
    const placement = el('select');
    for (const p of PLACEMENTS) placement.append(el('option', '', { value: p }));
    placement.value = run.placement;
    const groups = el('input', '', { type: 'number' });
    applyLimit(groups, RUN_LIMITS.groups);
    groups.value = String(run.groups);
    const dropout = el('input', '', { type: 'number' });
    applyLimit(dropout, RUN_LIMITS.dropout);
    dropout.value = String(run.dropout);
    field('norm', norm, editors);
    field('placement', placement, editors).hidden = run.norm === 'none';
    field('name', name, menu);
    const groupsField = field('groups', groups, menu);
    groupsField.hidden = run.norm !== 'groupnorm';
    field('dropout', dropout, menu);
    const actions = el('div', 'run-menu-actions');
    const png = el('button', 'png', { type: 'button' });
    const remove = el('button', 'remove', { type: 'button' });
    remove.disabled = !canRemove;
    actions.append(png, remove);
    menu.append(actions);

    name.addEventListener('change', () => this.callbacks.change(i, { name: name.value.trim() }), { signal });
    norm.addEventListener('change', () => this.callbacks.change(i, { norm: norm.value as RunConfig['norm'] }), { signal });
    placement.addEventListener('change', () => this.callbacks.change(i, { placement: placement.value as RunConfig['placement'] }), { signal });
    groups.addEventListener('change', () => this.callbacks.change(i, { groups: Number(groups.value) }), { signal });
    dropout.addEventListener('change', () => this.callbacks.change(i, { dropout: dropout.value.trim() === '' ? NaN : Number(dropout.value) }), { signal });
    remove.addEventListener('click', () => this.callbacks.remove(i), { signal });

    const picture = el('div', 'run-picture');
    const canvas = el('canvas', 'boundary');
    const badge = el('p', 'badge', { hidden: true });
    picture.append(canvas, badge, menu);
    const stats = el('p', 'run-stats');
    png.addEventListener('click', () => savePng(canvas, `normlab_boundary_${run.name.replace(/[^\w-]+/g, '_')}.png`), { signal });
    root.append(head, editors, picture, stats);
    this.container.append(root);
    const moreMenu = disclosure(more, menu, signal, {
      dismissable: true,
      onToggle: (open) => { if (open) this.openMenus.add(i); else this.openMenus.delete(i); },
    });
    return {
      root, title, more, moreMenu, errors, labels, groupsField, remove, png, stats, badge,
      controls: { name, norm, placement, groups, dropout },
      boundary: new BoundaryView(canvas, (x, y, shift) => (this.drawing ? this.callbacks.point?.(x, y, shift) : this.callbacks.trace?.(x, y)), this.drawing),
    };
  }

  applyStrings(s: Strings) {
    this.s = s;
    this.cards.forEach((c, i) => {
      const run = this.runs[i];
      for (const [key, label] of Object.entries(c.labels) as [Editor, HTMLLabelElement][])
        label.textContent = { name: s.runName, norm: s.normalization, placement: s.placement, groups: s.groups, dropout: s.dropout }[key];
      Array.from((c.controls.norm as HTMLSelectElement).options).forEach((o) => { o.textContent = s[o.value as 'none']; });
      Array.from((c.controls.placement as HTMLSelectElement).options).forEach((o) => {
        o.textContent = this.residual ? (o.value === 'before' ? s.preNormShort : s.postNormShort) : (o.value === 'before' ? s.beforeShort : s.afterShort);
      });
      c.controls.placement.title = this.residual ? (run.placement === 'before' ? s.preNorm : s.postNorm) : s[run.placement];
      c.remove.textContent = s.removeRun;
      c.png.textContent = s.savePng;
      c.more.setAttribute('aria-label', `${s.moreSettings}: ${run.name}`);
      c.png.setAttribute('aria-label', `${s.savePng}: ${run.name}`);
      c.remove.setAttribute('aria-label', `${s.removeRun}: ${run.name}`);
      c.boundary.canvas.setAttribute('aria-label', s.boundaryLabel(run.name));
    });
    this.showStats();
  }

  // The numbers of the last frame; `epoch`: the epochs completed since (their mean training losses).
  setStats(frames: RunFrame[], epochs: EpochPoint[] = []) {
    this.frames = frames;
    const last = epochs.at(-1);
    if (last) this.epochLoss = last.trainLoss;
    this.showStats();
  }

  // Back to step 0: no epoch has a mean loss yet.
  clearStats() {
    this.frames = [];
    this.epochLoss = [];
    this.showStats();
  }

  private showStats() {
    const s = this.s;
    this.cards.forEach((c, i) => {
      const f = this.frames[i];
      if (!f) {
        c.stats.replaceChildren(el('span', 'line', { textContent: `${s.epochLoss} —` }), el('span', 'line', { textContent: '\u00a0' }));
        c.badge.hidden = true;
        c.root.classList.remove('stopped');
        return;
      }
      const line = (...parts: (string | Node)[]) => { const l = el('span', 'line'); l.append(...parts); return l; };
      c.stats.replaceChildren(
        line(el('span', 'run-loss', { textContent: `${s.epochLoss} ${num(this.epochLoss[i])}` }), ` · ${s.lastStepLoss} ${num(f.loss)}`),
        line(`${s.trainAcc} ${pct(f.trainAccuracy)} · ${s.testAcc} ${pct(f.testAccuracy)} · ${s.stepTime} ${f.stepMs.toFixed(2)} ms`),
      );
      c.root.classList.toggle('stopped', f.stopped);
      c.badge.hidden = !f.stopped;
      if (f.stopped) c.badge.textContent = `${f.diverged ? s.diverged : s.stopped} — ${s.err(f.error)}`;
    });
  }

  setError(index: number, field: Editor, message: string | null) {
    const c = this.cards[index];
    if (!c) return;
    const error = c.errors[field];
    const control = c.controls[field];
    error.hidden = !message;
    error.textContent = message === null ? '' : this.s.err(message);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    if (message && HIDDEN_EDITORS.includes(field)) c.moreMenu.open(); // an error is never hidden behind the disclosure
  }

  clearErrors() {
    this.cards.forEach((_, i) => (['name', 'norm', 'placement', 'groups', 'dropout'] as const).forEach((f) => this.setError(i, f, null)));
  }
}
