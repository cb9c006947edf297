// Full-speed play is paced by training, not by drawing. The worker trains in slices of SLICE_MS and draws the
// decision boundaries at most every BOUNDARY_INTERVAL_MS (5 repaints a second), on a live grid sized from the
// boundary's measured cost so that drawing takes at most BOUNDARY_SHARE of the time: a deep model gets a
// coarser live grid (at least LIVE_GRID_MIN), a small one the full LIVE_GRID_MAX. Paused, the boundary is
// drawn at full resolution. simulatePlay replays this loop on a lab of its own, for the Performance panel
// and npm run bench: the time to play a configuration against its pure training time.
import { type LabConfig, setUpLab, type LabSetup } from '../state/config.js';

export const SLICE_MS = 12;
export const BOUNDARY_INTERVAL_MS = 200;
export const BOUNDARY_SHARE = 0.2;
export const LIVE_GRID_MAX = 96;
export const LIVE_GRID_MIN = 16;
// Paused, the boundary is drawn at STILL_GRID_MAX (the lesson's 200 × 200) unless that would take longer than
// STILL_BUDGET_MS at the measured cost: 4 deep runs of 8 × 64 take ~3 s at 200², so they get a coarser grid.
export const STILL_GRID_MAX = 200;
export const STILL_GRID_MIN = 64;
export const STILL_BUDGET_MS = 300;
// The still grid keeps its side while the measured cost stays within STILL_HYSTERESIS of the one that chose it,
// so that one state draws one picture: a timing wobble (a busy machine) must not redraw it at another resolution.
export const STILL_HYSTERESIS = 1.25;

export class Pacer {
  private msPerPoint = 0; // one grid point through every run (all runs together), measured and smoothed
  private start = 0;
  private trainMs = 0;
  private still = 0; // the still grid's side in use (0: none chosen for this lab yet)

  begin(now: number) {
    this.start = now;
    this.trainMs = 0;
  }

  // The live grid's side: as fine as BOUNDARY_SHARE of one interval allows at the measured cost.
  liveGrid(): number {
    if (!this.msPerPoint) return 48; // not measured yet: a modest first grid
    const side = Math.floor(Math.sqrt((BOUNDARY_SHARE * BOUNDARY_INTERVAL_MS) / this.msPerPoint));
    return Math.max(LIVE_GRID_MIN, Math.min(LIVE_GRID_MAX, side));
  }

  // Paused: as fine as STILL_BUDGET_MS allows at the measured cost; the side in use is kept unless the cost
  // moved it by more than STILL_HYSTERESIS (or it can go back up to the full grid).
  stillGrid(): number {
    if (!this.msPerPoint) return STILL_GRID_MAX; // (nothing measured: none chosen either)
    const ideal = Math.max(STILL_GRID_MIN, Math.min(STILL_GRID_MAX, Math.floor(Math.sqrt(STILL_BUDGET_MS / this.msPerPoint))));
    const moved = ideal > this.still * STILL_HYSTERESIS || ideal * STILL_HYSTERESIS < this.still;
    if (!this.still || moved || (ideal === STILL_GRID_MAX && this.still !== STILL_GRID_MAX)) this.still = ideal;
    return this.still;
  }

  // A new lab: its boundaries cost what they cost, whatever the last one's did.
  forgetCost() {
    this.msPerPoint = 0;
    this.still = 0;
  }

  trained(ms: number) {
    this.trainMs += ms;
  }

  // A boundary of `points` grid points (every run's) took `ms`.
  drew(points: number, ms: number) {
    const cost = ms / Math.max(1, points);
    this.msPerPoint = this.msPerPoint ? 0.7 * this.msPerPoint + 0.3 * cost : cost;
  }

  // The share of the time since begin() spent training.
  share(now: number): number {
    return now > this.start ? this.trainMs / (now - this.start) : NaN;
  }
}

// The engine calls play makes (a Lab of the module: see normlab.d.ts).
export interface PlayLab extends LabSetup {
  step(count: number): number;
  stepCount(): number;
  runCount(): number;
  runState(run: number): { stopped: boolean; loss: number };
  grid(run: number, w: number, h: number, x0: number, x1: number, y0: number, y1: number, trainBatch: boolean): Float32Array;
  delete(): void;
}

export interface PlayResult {
  steps: number;
  trainMs: number;    // the same steps, trained in one go
  playMs: number;     // played as the worker plays: slices, run states, boundaries on the live grid
  ratio: number;      // playMs / trainMs
  share: number;      // the share of playing time spent training
  liveGrid: number;   // the live grid's side it settled on
}

// Plays `steps` steps of `c` as the worker does, and trains them again in one go, on a lab of its own.
// `alsoDraw`: more the worker computes with each boundary (Inside the network, when it is in sight); `afterStep`:
// more it computes after each step (the loss landscape, when Loss landscape is open).
export function simulatePlay(make: () => PlayLab, c: LabConfig, steps: number, now = () => performance.now(),
  alsoDraw?: (lab: PlayLab) => void, afterStep?: (lab: PlayLab) => void): PlayResult {
  const lab = setUpLab(make(), c);
  try {
    while (lab.stepCount() < Math.min(20, steps)) lab.step(1); // warm up (the JIT, the caches), then measure
    alsoDraw?.(lab);
    lab.reset(c.training.seed);
    let t0 = now();
    while (lab.stepCount() < steps) lab.step(steps - lab.stepCount());
    const trainMs = now() - t0;
    lab.reset(c.training.seed);
    const pacer = new Pacer();
    t0 = now();
    pacer.begin(t0);
    let lastDrawn = -Infinity, grid = 0;
    while (lab.stepCount() < steps) {
      const s0 = now();
      while (now() - s0 < SLICE_MS && lab.stepCount() < steps) {
        lab.step(1);
        for (let r = 0; r < lab.runCount(); r++) lab.runState(r);
        afterStep?.(lab);
      }
      pacer.trained(now() - s0);
      if (now() - lastDrawn >= BOUNDARY_INTERVAL_MS) {
        const b0 = now();
        grid = pacer.liveGrid();
        for (let r = 0; r < lab.runCount(); r++) lab.grid(r, grid, grid, -2, 3, -1.5, 2, false);
        alsoDraw?.(lab);
        lastDrawn = now();
        pacer.drew(grid * grid, lastDrawn - b0);
      }
    }
    const playMs = now() - t0;
    return { steps, trainMs, playMs, ratio: playMs / trainMs, share: pacer.share(now()), liveGrid: grid };
  } finally {
    lab.delete();
  }
}
