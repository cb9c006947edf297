// Why normalization helps, the worker's side (issue #15): every run's linear weight norms and effective learning
// rates (sampled with the layer statistics), the loss landscape along the gradient (measured every
// LANDSCAPE_EVERY steps while the Loss landscape lesson is open) and Scale weights (one linear layer × α, with
// the training loss on the last batch before and after). tests/node/presets.test.mjs measures the presets'
// claims with these same functions and constants, so a preset's caption speaks of what the page draws.
import type { NormlabLab, SmoothnessOptions, WeightNorm } from './normlab';

// The landscape is measured after every LANDSCAPE_EVERY-th step (global step count), at 4 step sizes
// η_k = 0.1·k·lr, k = 1 … 4: one measurement is 5 forward and backward passes per run (the gradient at θ and at
// each θ − η_k g) on a copy of the model, measured at 5 to 6 training steps’ time; every 24 steps it adds about a
// quarter to training's time (bench/play.mjs: "+ Loss landscape").
export const LANDSCAPE_EVERY = 24;
export const LANDSCAPE_OPTIONS: Required<Omit<SmoothnessOptions, 'lr'>> = { steps: 4, from: 0.1, to: 0.4 };

// α for Scale weights: the page's range (the engine takes any finite non-zero float32 that does not overflow;
// a negative α flips the sign, which no normalization undoes, and a tiny one lets BatchNorm's ε show).
export const ALPHA_MIN = 0.1;
export const ALPHA_MAX = 10;
// |relative change| of a loss below this reads "unchanged (float rounding)". Measured on the presets after 40 steps
// (α = 2, the first linear layers): BatchNorm runs move by 1e-6 to 6e-5, plain ones by 9 to 30 %. BN(αz) =
// (z − μ)/√(σ² + ε/α²) lets ε show for a small α: at α = 0.1, once weight decay has shrunk σ², by up to ~1 %.
export const UNCHANGED = 1e-3;

// Every run's linear weights (null: the run has stopped), at a step.
export interface WeightsPoint {
  step: number;
  runs: (WeightNorm[] | null)[];
}

// One run's landscape at a step (Smoothness without the per-η arrays).
export interface LandscapeRun {
  loss: number;           // L_B(θ) on the last batch, train mode
  lossMin: number;        // min_k L_B(θ − η_k g)
  lossMax: number;        // max_k L_B(θ − η_k g)
  gradDiffMax: number;    // max_k ‖g − g_k‖
  betaSmoothness: number; // max_k ‖g − g_k‖ / (η_k ‖g‖)
}

export interface LandscapePoint {
  step: number;
  runs: (LandscapeRun | null)[]; // null: stopped, or not measurable (no batch yet)
}

// Scale weights: the k-th linear layer (0-based, in model order, residual blocks' inner layers included) of one
// run, or of every run (run null), × alpha.
export interface ScaleRequest {
  run: number | null;
  linear: number;
  alpha: number;
}

// A step at which a scaling was applied: a restarted worker replays it at the same step.
export interface ScaleAction extends ScaleRequest {
  step: number;
}

// What Scale weights did to one run: the train-mode loss on the last batch and the eval-mode loss on the
// training points, before and after (NaN where not measured), or why it could not.
export interface ScaleRow {
  run: number;
  layer: string;      // the linear layer's state_dict prefix ("3", "2.1")
  alpha: number;
  before: number;
  after: number;
  evalBefore: number;
  evalAfter: number;
  error: string;      // '' when scaled
}

const stopped = (lab: NormlabLab, r: number) => lab.runState(r).stopped;

export function weightsPoint(lab: NormlabLab): WeightsPoint {
  const runs: (WeightNorm[] | null)[] = [];
  for (let r = 0; r < lab.runCount(); r++) runs.push(stopped(lab, r) ? null : lab.weightNorms(r));
  return { step: lab.stepCount(), runs };
}

export function landscapeRun(lab: NormlabLab, r: number): LandscapeRun | null {
  if (stopped(lab, r)) return null;
  try {
    const s = lab.smoothness(r, LANDSCAPE_OPTIONS);
    return { loss: s.loss, lossMin: s.lossMin, lossMax: s.lossMax, gradDiffMax: s.gradDiffMax, betaSmoothness: s.betaSmoothness };
  } catch {
    return null; // no training batch yet
  }
}

export function landscapePoint(lab: NormlabLab): LandscapePoint {
  const runs: (LandscapeRun | null)[] = [];
  for (let r = 0; r < lab.runCount(); r++) runs.push(landscapeRun(lab, r));
  return { step: lab.stepCount(), runs };
}

// The train-mode loss of run r on the batch it last trained on (the landscape's L_B(θ): one forward and backward
// pass on a copy, nothing changes).
const batchLoss = (lab: NormlabLab, r: number) => lab.smoothness(r, { steps: 1 }).loss;

// Scales the requested layer of each requested run. `linears[r]`: run r's linear layers' prefixes in order.
export function scaleRuns(lab: NormlabLab, linears: string[][], req: ScaleRequest): ScaleRow[] {
  const runs = req.run === null ? Array.from({ length: lab.runCount() }, (_, r) => r) : [req.run];
  return runs.map((r) => {
    const layer = linears[r]?.[req.linear] ?? '';
    const row: ScaleRow = { run: r, layer, alpha: req.alpha, before: NaN, after: NaN, evalBefore: NaN, evalAfter: NaN, error: '' };
    if (r < 0 || r >= lab.runCount()) return { ...row, error: `run: no run ${r + 1}` };
    if (!layer) return { ...row, error: `layer: run ${r + 1} has no linear layer ${req.linear + 1}` };
    if (stopped(lab, r)) return { ...row, error: `run: run ${r + 1} has stopped (${lab.runState(r).error})` };
    if (lab.stepCount() === 0) return { ...row, error: 'smoothness: no training batch yet (take a step first)' };
    try {
      row.before = batchLoss(lab, r);
      row.evalBefore = lab.evaluate(r, false, false).loss;
      lab.scaleWeights(r, layer, req.alpha);
      row.after = batchLoss(lab, r);
      row.evalAfter = lab.evaluate(r, false, false).loss;
    } catch (e) {
      row.error = e instanceof Error ? e.message : String(e);
    }
    return row;
  });
}

// The relative change of a loss, (after − before) / before.
export const relativeChange = (before: number, after: number) => (after - before) / Math.abs(before);
