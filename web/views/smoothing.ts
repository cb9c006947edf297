// TensorBoard's smoothing of a scalar trace: a debiased exponential moving average over the points as drawn.
//   last_k = w·last_(k−1) + (1 − w)·v_k,  last_0 = 0,  smoothed_k = last_k / (1 − w^k)
// Starting from 0 biases the average towards 0 by exactly the factor 1 − w^k (for a constant c, last_k =
// c·(1 − w^k)); dividing by it removes the bias, so the first smoothed value is the first value itself.
// w = 0 is no smoothing; w → 1 smooths over ~1/(1 − w) points. As in TensorBoard, a trace that has been
// constant so far is drawn as it is (the division would otherwise leave a few ulps of noise on a flat line);
// here "so far" is the prefix, so streaming points one by one gives exactly what smoothing them all at once does.

export const MAX_SMOOTHING = 0.99;
export const DEFAULT_SMOOTHING = 0.6;

// The weight the slider may set: [0, MAX_SMOOTHING]; anything else (NaN included) is clamped or 0.
export function clampSmoothing(w: number): number {
  return Number.isFinite(w) ? Math.min(MAX_SMOOTHING, Math.max(0, w)) : 0;
}

// The running average of one trace, fed a point at a time. Values must be finite (the charts never store others).
export class Ema {
  private last = 0;
  private count = 0;
  private first = NaN;
  private constant = true;

  constructor(readonly weight: number) {}

  push(v: number): number {
    const w = this.weight;
    if (this.count === 0) this.first = v;
    else if (v !== this.first) this.constant = false;
    this.last = this.last * w + (1 - w) * v;
    this.count++;
    return this.constant ? v : this.last / (1 - Math.pow(w, this.count));
  }
}

// The smoothed trace of `values` with weight w (clamped to [0, MAX_SMOOTHING]).
export function smooth(values: readonly number[], w: number): number[] {
  const ema = new Ema(clampSmoothing(w));
  return values.map((v) => ema.push(v));
}
