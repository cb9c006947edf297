// Inside the network, on the page: which run it shows (and whether every unit), what the worker is asked to
// compute — only while the section is in sight, so playing is not slowed by a view nobody sees — and the
// frames it draws.
import type { RunConfig } from '../state/config';
import type { InsideFrame, InsideWatch } from '../engine/inside';
import type { Strings } from '../i18n';
import { NetworkView } from '../views/network';
import { el } from '../views/dom';
import type { Scope } from './markup';

export class InsidePanel {
  private view: NetworkView;
  private visible = false;
  private runs: RunConfig[] = [];
  watch: InsideWatch | null = null; // what the worker computes (resent to a restarted worker)

  constructor(private scope: Scope, private send: (watch: InsideWatch | null) => void, s: Strings) {
    this.view = new NetworkView(scope.byId('network'), scope.byId('inside-histograms'), scope.byId('inside-info'), s);
    scope.byId('inside-run').addEventListener('change', () => this.update());
    scope.byId('inside-all').addEventListener('change', () => this.update());
    const section = scope.byId('inside');
    new IntersectionObserver(([e]) => {
      this.visible = e.isIntersecting && !section.hidden;
      this.update();
    }, { rootMargin: '200px' }).observe(section);
  }

  // The runs to choose from (the running configuration's); the choice stays while its run does.
  setRuns(runs: RunConfig[]) {
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
    const next = this.visible && this.runs.length ? { run, all: this.scope.byId<HTMLInputElement>('inside-all').checked } : null;
    if (!force && JSON.stringify(next) === JSON.stringify(this.watch)) return;
    this.watch = next;
    this.send(next);
  }

  frame(f: InsideFrame | null) {
    if (f && this.watch && f.run === this.watch.run) this.view.show(f);
  }

  applyStrings(s: Strings) {
    this.view.applyStrings(s);
  }
}
