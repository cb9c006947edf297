// What the lab draws of its runs: each run's card with its decision boundary, the loss and accuracy charts, and
// Inside the network.
// It keeps the data the boundaries show (for cards drawn anew, and for your own points to start from) and the
// points of your own not trained on yet; the app hands it the worker's frames and asks it to draw once per
// animation frame.
import type { LabConfig, RunConfig } from '../state/config';
import type { FromWorker, Points } from '../engine/protocol';
import type { InsideWatch } from '../engine/inside';
import { InsidePanel } from './inside';
import type { Strings } from '../i18n';
import { shownPoints } from '../state/drawing';
import { Charts } from '../views/charts';
import { RunsView, type RunCallbacks } from '../views/runs';
import type { Scope } from './markup';

export interface ShownData { train: Points; test: Points; extent: [number, number, number, number] }

export class Board {
  readonly charts: Charts;
  readonly runs: RunsView;
  readonly inside: InsidePanel;
  shown: ShownData | null = null; // the data the boundaries show (the running configuration's)

  constructor(scope: Scope, s: Strings, callbacks: RunCallbacks, watchInside: (watch: InsideWatch | null) => void) {
    this.charts = new Charts(scope.byId<HTMLCanvasElement>('loss-chart'), scope.byId<HTMLCanvasElement>('accuracy-chart'), s,
      { legend: scope.byId('loss-legend'), smoothingSlider: false });
    this.runs = new RunsView(scope.byId('runs'), callbacks, s);
    this.inside = new InsidePanel(scope, watchInside, s, (point) => { for (const b of this.runs.boundaries) b.setMarker(point); });
    callbacks.trace = (x, y) => this.inside.trace(x, y);
  }

  // The cards of `c`'s runs, drawing surfaces while `draft` is your own points; the data shown stays.
  render(c: LabConfig, draft: LabConfig, applied: LabConfig) {
    this.runs.residual = c.model.architecture === 'residual';
    this.runs.drawing = draft.data.type === 'custom';
    this.runs.render(c.runs);
    const d = this.shown;
    if (d) for (const b of this.runs.boundaries) b.setData(d.train, d.test, d.extent);
    for (const b of this.runs.boundaries) b.setMarker(this.inside.point);
    this.showPending(draft, applied);
  }

  // Points of your own not trained on yet (being drawn, or too few to train on) are shown as drawn.
  showPending(draft: LabConfig, applied: LabConfig) {
    const pending = draft.data.type === 'custom' && JSON.stringify(draft.data) !== JSON.stringify(applied.data);
    for (const b of this.runs.boundaries) b.setPending(pending ? shownPoints(draft.data.own, draft.data) : null);
  }

  // A new lab (`fresh`: its curves start over; a restarted worker's keep theirs).
  configured(c: LabConfig, data: ShownData, draft: LabConfig, fresh: boolean) {
    this.shown = data;
    this.render(c, draft, c);
    this.inside.setRuns(c.runs, data.train.x, c.model.width);
    if (fresh) this.clear(c.runs);
  }

  // Empty curves and cards (Reset, a new lab).
  clear(runs: RunConfig[], probabilities = false) {
    this.charts.reset(runs);
    this.runs.clearStats();
    if (probabilities) this.runs.boundaries.forEach((b) => b.clearProbabilities());
  }

  frame({ runs, firstStep, losses, epochs, step, boundary, inside }: Extract<FromWorker, { type: 'frame' }>, config: LabConfig) {
    this.inside.frame(inside);
    this.charts.addSteps(firstStep, losses);
    this.charts.addEpochs(epochs);
    if (step === 0) this.runs.clearStats();
    this.runs.setStats(runs, epochs);
    if (step === 0 && losses.every((l) => l.length === 0)) this.charts.reset(config.runs);
    if (boundary) {
      const b = boundary;
      this.runs.boundaries.forEach((view, r) => {
        if (b.probs[r]?.length) view.setProbabilities(b.probs[r], b.w, b.h, b.extent);
        else if (b.probs[r]) view.clearProbabilities(); // not finite: flagged by its card, not drawn
      });
    }
  }

  applyStrings(s: Strings) {
    this.runs.applyStrings(s);
    this.charts.setStrings(s);
    this.inside.applyStrings(s);
  }

  // Once per animation frame; true once a boundary has been painted with class probabilities.
  draw(): boolean {
    this.charts.draw();
    for (const b of this.runs.boundaries) b.draw();
    return this.runs.boundaries.some((b) => b.paintedBoundary);
  }

  destroy() {
    this.charts.destroy();
  }
}
