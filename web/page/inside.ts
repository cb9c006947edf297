// Inside the network, on the page: which run it shows (and whether every unit), what the worker is asked to
// compute — only while the section is in sight, so playing is not slowed by a view nobody sees — and the
// frames it draws.
import type { RunConfig } from '../state/config';
import type { InsideFrame, InsideWatch } from '../engine/inside';
import type { Strings } from '../i18n';
import { NetworkView } from '../views/network';
import { showTrace } from '../views/trace';
import { el } from '../views/dom';
import type { Scope } from './markup';

export class InsidePanel {
  private view: NetworkView;
  private visible = false;
  private runs: RunConfig[] = [];
  point: [number, number] | null = null; // the traced point (ringed on the boundaries)
  private trainPoints: Float32Array | null = null; // the training data, to pick a point by its number
  private s: Strings;
  watch: InsideWatch | null = null; // what the worker computes (resent to a restarted worker)

  constructor(private scope: Scope, private send: (watch: InsideWatch | null) => void, s: Strings,
    private marked: (point: [number, number] | null) => void) {
    this.s = s;
    this.view = new NetworkView(scope.byId('network'), scope.byId('inside-histograms'), scope.byId('inside-info'), s);
    showTrace(scope.byId('trace'), null, s);
    const pick = scope.byId<HTMLInputElement>('trace-index');
    pick.addEventListener('change', () => {
      const i = Math.round(Number(pick.value)) - 1, x = this.trainPoints;
      if (x && i >= 0 && 2 * i + 1 < x.length) this.trace(x[2 * i], x[2 * i + 1]);
    });
    scope.byId('inside-run').addEventListener('change', () => this.update());
    scope.byId('inside-all').addEventListener('change', () => this.update());
    const section = scope.byId('inside');
    new IntersectionObserver(([e]) => {
      this.visible = e.isIntersecting && !section.hidden;
      this.update();
    }, { rootMargin: '200px' }).observe(section);
  }

  // Follows the point (x, y) through the watched run.
  trace(x: number, y: number) {
    this.point = [x, y];
    this.marked(this.point);
    this.update(true);
  }

  // The runs to choose from (the running configuration's); the choice stays while its run does.
  setRuns(runs: RunConfig[], train: Float32Array) {
    this.trainPoints = train;
    this.scope.byId<HTMLInputElement>('trace-index').max = String(train.length / 2);
    const select = this.scope.byId<HTMLSelectElement>('inside-run');
    const previous = select.options.length ? Number(select.value) : -1;
    const normed = Math.max(0, runs.findIndex((r) => r.norm !== 'none')); // at first: the first run with a norm
    this.runs = runs;
    select.replaceChildren(...runs.map((r, i) => el('option', '', { value: String(i), textContent: r.name })));
    select.value = String(previous >= 0 && previous < runs.length ? previous : normed);
    this.update(true);
  }

  private update(force = false) {
    const run = Number(this.scope.byId<HTMLSelectElement>('inside-run').value || 0);
    const next = this.visible && this.runs.length ? { run, all: this.scope.byId<HTMLInputElement>('inside-all').checked, point: this.point } : null;
    if (!force && JSON.stringify(next) === JSON.stringify(this.watch)) return;
    this.watch = next;
    this.send(next);
  }

  frame(f: InsideFrame | null) {
    if (!f || !this.watch || f.run !== this.watch.run) return;
    this.view.show(f);
    this.lastTrace = f.trace;
    showTrace(this.scope.byId('trace'), f.trace, this.s);
  }

  private lastTrace: InsideFrame['trace'] = null;

  applyStrings(s: Strings) {
    this.s = s;
    this.view.applyStrings(s);
    showTrace(this.scope.byId('trace'), this.lastTrace, s);
  }
}
