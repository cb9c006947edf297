// One card per run: its own controls (name, normalization, placement, groups), its decision boundary and
// its numbers (loss, train and test accuracy, step time), with a "diverged" mark when it stopped.
import { NORMS, PLACEMENTS, type RunConfig } from '../state/config';
import type { RunFrame } from '../engine/protocol';
import type { Strings } from '../i18n';
import { BoundaryView } from './boundary';
import { RUN_COLORS } from './palette';
import { applyLimit, el, savePng } from './dom';
import { MAX_NAME, RUN_LIMITS } from '../state/limits';

export interface RunCallbacks {
  change(index: number, patch: Partial<RunConfig>): void;
  remove(index: number): void;
}

interface Card {
  root: HTMLElement;
  legend: HTMLElement;
  name: HTMLInputElement;
  norm: HTMLSelectElement;
  placement: HTMLSelectElement;
  groups: HTMLInputElement;
  groupsField: HTMLElement;
  remove: HTMLButtonElement;
  png: HTMLButtonElement;
  stats: HTMLElement;
  badge: HTMLElement;
  errors: Record<'name' | 'norm' | 'placement' | 'groups' | 'dropout', HTMLElement>;
  dropout: HTMLInputElement;
  boundary: BoundaryView;
}

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

export class RunsView {
  private cards: Card[] = [];
  private runs: RunConfig[] = [];
  residual = false; // residual model: the placement is pre-norm or post-norm

  constructor(private container: HTMLElement, private callbacks: RunCallbacks, private s: Strings) {}

  get boundaries(): BoundaryView[] {
    return this.cards.map((c) => c.boundary);
  }

  // One card per run; a run can be removed while it is not the last.
  render(runs: RunConfig[]) {
    const canRemove = runs.length > 1;
    this.runs = runs;
    this.container.replaceChildren();
    this.cards = runs.map((run, i) => this.card(run, i, canRemove));
    this.applyStrings(this.s);
  }

  private card(run: RunConfig, i: number, canRemove: boolean): Card {
    const root = el('article', 'run');
    root.style.setProperty('--run-color', RUN_COLORS[i % RUN_COLORS.length]);
    const fs = el('fieldset', 'run-controls');
    const legend = el('legend', 'run-legend', { textContent: run.name });
    fs.append(legend);
    const field = (id: string, control: HTMLElement, key: keyof Card['errors']) => {
      const wrap = el('div', 'field');
      const label = el('label', '', { htmlFor: id });
      label.dataset.runLabel = key;
      const error = el('p', 'error', { id: `${id}-error`, hidden: true });
      control.id = id;
      control.setAttribute('aria-describedby', error.id);
      wrap.append(label, control, error);
      fs.append(wrap);
      return { wrap, error };
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
    const fName = field(`run-${i}-name`, name, 'name');
    const fNorm = field(`run-${i}-norm`, norm, 'norm');
    const fPlacement = field(`run-${i}-placement`, placement, 'placement');
    const fGroups = field(`run-${i}-groups`, groups, 'groups');
    const fDropout = field(`run-${i}-dropout`, dropout, 'dropout');
    fGroups.wrap.hidden = run.norm !== 'groupnorm';
    fPlacement.wrap.hidden = run.norm === 'none';
    const remove = el('button', 'remove', { type: 'button' });
    remove.disabled = !canRemove;
    fs.append(remove);

    name.addEventListener('change', () => this.callbacks.change(i, { name: name.value.trim() }));
    norm.addEventListener('change', () => this.callbacks.change(i, { norm: norm.value as RunConfig['norm'] }));
    placement.addEventListener('change', () => this.callbacks.change(i, { placement: placement.value as RunConfig['placement'] }));
    groups.addEventListener('change', () => this.callbacks.change(i, { groups: Number(groups.value) }));
    dropout.addEventListener('change', () => this.callbacks.change(i, { dropout: dropout.value.trim() === '' ? NaN : Number(dropout.value) }));
    remove.addEventListener('click', () => this.callbacks.remove(i));

    const canvas = el('canvas', 'boundary');
    const badge = el('p', 'badge', { hidden: true });
    const stats = el('p', 'run-stats');
    const png = el('button', 'png', { type: 'button' });
    png.addEventListener('click', () => savePng(canvas, `normlab_boundary_${run.name.replace(/[^\w-]+/g, '_')}.png`));
    root.append(fs, canvas, badge, stats, png);
    this.container.append(root);
    return {
      root, legend, name, norm, placement, groups, groupsField: fGroups.wrap, remove, png, stats, badge,
      errors: { name: fName.error, norm: fNorm.error, placement: fPlacement.error, groups: fGroups.error, dropout: fDropout.error },
      dropout,
      boundary: new BoundaryView(canvas),
    };
  }

  applyStrings(s: Strings) {
    this.s = s;
    this.cards.forEach((c, i) => {
      const run = this.runs[i];
      c.root.querySelectorAll<HTMLLabelElement>('label[data-run-label]').forEach((label) => {
        const key = label.dataset.runLabel as 'name' | 'norm' | 'placement' | 'groups' | 'dropout';
        label.textContent = { name: s.runName, norm: s.normalization, placement: s.placement, groups: s.groups, dropout: s.dropout }[key];
      });
      Array.from(c.norm.options).forEach((o) => { o.textContent = s[o.value as 'none']; });
      Array.from(c.placement.options).forEach((o) => {
        o.textContent = this.residual ? (o.value === 'before' ? s.preNorm : s.postNorm) : s[o.value as 'before'];
      });
      c.remove.textContent = s.removeRun;
      c.png.textContent = s.savePng;
      c.png.setAttribute('aria-label', `${s.savePng}: ${run.name}`);
      c.remove.setAttribute('aria-label', `${s.removeRun}: ${run.name}`);
      c.boundary.canvas.setAttribute('aria-label', s.boundaryLabel(run.name));
      if (!c.badge.hidden) c.badge.textContent = c.badge.dataset.kind === 'diverged' ? s.diverged : s.stopped;
    });
  }

  setStats(frames: RunFrame[]) {
    const s = this.s;
    frames.forEach((f, i) => {
      const c = this.cards[i];
      if (!c) return;
      const loss = Number.isFinite(f.loss) ? f.loss.toFixed(4) : '—';
      c.stats.textContent = `${s.currentLoss} ${loss} · ${s.trainAcc} ${pct(f.trainAccuracy)} · ${s.testAcc} ${pct(f.testAccuracy)} · ${s.stepTime} ${f.stepMs.toFixed(2)} ms`;
      c.root.classList.toggle('stopped', f.stopped);
      c.badge.hidden = !f.stopped;
      if (f.stopped) {
        c.badge.dataset.kind = f.diverged ? 'diverged' : 'stopped';
        c.badge.textContent = `${c.badge.dataset.kind === 'diverged' ? s.diverged : s.stopped} — ${s.err(f.error)}`;
      }
    });
  }

  setError(index: number, field: keyof Card['errors'], message: string | null) {
    const c = this.cards[index];
    if (!c) return;
    const error = c.errors[field];
    const control = { name: c.name, norm: c.norm, placement: c.placement, groups: c.groups, dropout: c.dropout }[field];
    error.hidden = !message;
    error.textContent = message === null ? '' : this.s.err(message);
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }

  clearErrors() {
    this.cards.forEach((_, i) => (['name', 'norm', 'placement', 'groups', 'dropout'] as const).forEach((f) => this.setError(i, f, null)));
  }
}
