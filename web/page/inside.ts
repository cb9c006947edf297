// Inside the network, on the page: which run it shows (and whether every unit), which unit's histogram is drawn
// over the pooled ones, which layer and units hidden space shows — what the worker is asked to compute, only
// while the section is in sight, so playing is not slowed by a view nobody sees — and the frames it draws.
import type { RunConfig } from '../state/config';
import { NORM_TYPES } from '../state/config';
import type { InsideFrame, InsideWatch } from '../engine/inside';
import type { Strings } from '../i18n';
import { columnNames, NetworkView } from '../views/network';
import { HiddenSpaceView } from '../views/hiddenspace';
import { showTrace } from '../views/trace';
import { snapshot } from '../views/snapshot';
import { el, savePng, setOptions } from '../views/dom';
import type { Scope } from './markup';

export class InsidePanel {
  private view: NetworkView;
  private hiddenView: HiddenSpaceView;
  private visible = false;
  private runs: RunConfig[] = [];
  point: [number, number] | null = null; // the traced point (ringed on the boundaries)
  private trainPoints: Float32Array | null = null; // the training data, to pick a point by its number
  private s: Strings;
  watch: InsideWatch | null = null; // what the worker computes (resent to a restarted worker)
  private hidden: InsideWatch['hidden'] = null; // hidden space's layer and units (chosen from the frames' columns)
  private layersKey = '';
  private lastFrame: InsideFrame | null = null;

  constructor(private scope: Scope, private send: (watch: InsideWatch | null) => void, s: Strings,
    private marked: (point: [number, number] | null) => void) {
    this.s = s;
    this.view = new NetworkView(scope.byId('network'), scope.byId('inside-histograms'), scope.byId('inside-info'), s);
    this.hiddenView = new HiddenSpaceView(scope.byId('hidden-space'));
    showTrace(scope.byId('trace'), null, s);
    const pick = scope.byId<HTMLInputElement>('trace-index');
    pick.addEventListener('change', () => {
      const i = Math.round(Number(pick.value)) - 1, x = this.trainPoints;
      if (x && i >= 0 && 2 * i + 1 < x.length) this.trace(x[2 * i], x[2 * i + 1]);
    });
    for (const id of ['inside-run', 'inside-all', 'hist-unit']) scope.byId(id).addEventListener('change', () => this.update());
    for (const id of ['hidden-layer', 'hidden-x', 'hidden-y']) scope.byId(id).addEventListener('change', () => this.chooseHidden());
    scope.byId('inside-png').addEventListener('click', () => this.savePng());
    const section = scope.byId('inside');
    new IntersectionObserver(([e]) => {
      this.visible = e.isIntersecting && !section.hidden;
      this.update();
    }, { rootMargin: '200px' }).observe(section);
    this.applyStrings(s);
  }

  // Follows the point (x, y) through the watched run.
  trace(x: number, y: number) {
    this.point = [x, y];
    this.marked(this.point);
    this.update(true);
  }

  // The runs to choose from (the running configuration's); the choice stays while its run does.
  setRuns(runs: RunConfig[], train: Float32Array, width: number) {
    this.trainPoints = train;
    this.scope.byId<HTMLInputElement>('trace-index').max = String(train.length / 2);
    const select = this.scope.byId<HTMLSelectElement>('inside-run');
    const previous = select.options.length ? Number(select.value) : -1;
    const normed = Math.max(0, runs.findIndex((r) => r.norm !== 'none')); // at first: the first run with a norm
    this.runs = runs;
    select.replaceChildren(...runs.map((r, i) => el('option', '', { value: String(i), textContent: r.name })));
    select.value = String(previous >= 0 && previous < runs.length ? previous : normed);
    const widest = Math.max(2, width);
    const unit = this.scope.byId<HTMLSelectElement>('hist-unit'), chosen = unit.value || '0';
    setOptions(unit, Array.from({ length: widest }, (_, k) => [String(k), String(k + 1)]));
    unit.value = Number(chosen) < widest ? chosen : '0';
    this.update(true);
  }

  private update(force = false) {
    const run = Number(this.scope.byId<HTMLSelectElement>('inside-run').value || 0);
    if (run !== this.watch?.run) this.layersKey = ''; // another run: hidden space's layers are chosen anew
    const next: InsideWatch | null = this.visible && this.runs.length ? {
      run, all: this.scope.byId<HTMLInputElement>('inside-all').checked, point: this.point,
      unit: Number(this.scope.byId<HTMLSelectElement>('hist-unit').value || 0), hidden: this.layersKey ? this.hidden : null,
    } : null;
    if (!force && JSON.stringify(next) === JSON.stringify(this.watch)) return;
    this.watch = next;
    this.send(next);
  }

  private chooseHidden() {
    const n = (id: string) => Number(this.scope.byId<HTMLSelectElement>(id).value || 0);
    this.hidden = { layer: n('hidden-layer'), x: n('hidden-x'), y: n('hidden-y') };
    this.update();
  }

  // Hidden space's choices from a frame's columns: every hidden layer (the first normalization at first, or the
  // first activation when the run has none) and its units.
  private hiddenChoices(f: InsideFrame) {
    const cols = f.columns.slice(1, -1), key = `${f.run}|${cols.map((c) => `${c.layer}:${c.type}:${c.units}`).join(',')}`;
    if (key === this.layersKey || !cols.length) return;
    const names = columnNames(f.columns, this.s).slice(1, -1);
    const layer = this.scope.byId<HTMLSelectElement>('hidden-layer');
    setOptions(layer, cols.map((c, i) => [String(c.layer), names[i].title]));
    const keep = this.hidden && cols.some((c) => c.layer === this.hidden!.layer) ? this.hidden.layer : null;
    const first = cols.find((c) => NORM_TYPES.has(c.type)) ?? cols[Math.min(1, cols.length - 1)];
    layer.value = String(keep ?? first.layer);
    const width = Math.min(...cols.map((c) => c.units));
    for (const [id, d] of [['hidden-x', 0], ['hidden-y', 1]] as const) {
      const sel = this.scope.byId<HTMLSelectElement>(id), was = sel.value;
      setOptions(sel, Array.from({ length: Math.max(...cols.map((c) => c.units)) }, (_, k) => [String(k), String(k + 1)]));
      sel.value = was && Number(was) < width ? was : String(Math.min(d, width - 1));
    }
    this.layersKey = key;
    this.chooseHidden();
  }

  frame(f: InsideFrame | null) {
    if (!f || !this.watch || f.run !== this.watch.run) return;
    this.lastFrame = f;
    this.view.show(f);
    this.hiddenChoices(f);
    this.showHidden(f);
    this.lastTrace = f.trace;
    showTrace(this.scope.byId('trace'), f.trace, this.s);
  }

  private showHidden(f: InsideFrame) {
    const h = f.hidden;
    if (!h) { this.hiddenView.show(null, { before: '', after: '' }, this.s); return; }
    const names = columnNames(f.columns, this.s), at = f.columns.findIndex((c) => c.layer === h.layer);
    const title = names[at]?.title ?? '';
    this.hiddenView.show(h, { before: this.s.hiddenBefore(title), after: this.s.hiddenAfter(title) }, this.s);
  }

  private lastTrace: InsideFrame['trace'] = null;

  // The network (with its links), hidden space and the histograms, as one picture.
  private savePng() {
    const $ = (id: string) => this.scope.byId(id);
    const blocks = [$('network'), $('hidden-space'), $('inside-histograms')].filter((b) => !b.hidden && b.offsetWidth > 0);
    savePng(snapshot(this.s.insideTitle, blocks), 'normlab_inside.png');
  }

  applyStrings(s: Strings) {
    this.s = s;
    this.view.applyStrings(s);
    this.scope.byId('inside-png').setAttribute('aria-label', s.insidePngLabel);
    this.layersKey = ''; // the layer names are in the language
    // (Hidden space again from the last frame only if that frame is of the run watched now: another run's would
    // be shown under this one's network, and its layer asked of this run.)
    const last = this.lastFrame?.run === this.watch?.run ? this.lastFrame : null;
    if (last) { this.hiddenChoices(last); this.showHidden(last); }
    showTrace(this.scope.byId('trace'), this.lastTrace, s);
  }
}
