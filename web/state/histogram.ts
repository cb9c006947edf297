// Histograms of a layer's values (lab.layerOutputs): the distributions of a normalization layer's input and
// output. `bins` equal bins over [min, max] of the values, counted exactly as torch.histc(values, bins) counts
// them (ATen's CPU kernel, in float32), so a golden test can hold them to PyTorch's counts:
//   value v goes to bin ⌊fl(fl(fl(v − min) / fl(max − min)) · bins)⌋, fl = rounding to float32;
//   the last bin also takes max; all values equal: the range is [v − 1, v + 1]; no values: [−1, 1].
// Values that are not finite (a diverged run) are left out and counted in `skipped` (torch.histc refuses them).
// binOf(h, v) is the bin a value falls in (a traced point among the batch's values). histogramOver bins values over
// a given range, as torch.histc(values, bins, min, max) does (values outside it are not counted).

export const HISTOGRAM_BINS = 30;

export interface Histogram {
  min: number;      // the first bin's left edge (float32)
  max: number;      // the last bin's right edge (float32); bin k covers min + k·(max − min)/bins onwards
  counts: number[]; // values per bin
  skipped: number;  // values left out: NaN or ±∞
}

export function histogram(values: ArrayLike<number>, bins: number = HISTOGRAM_BINS): Histogram {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const f = Math.fround;
  let lo = Infinity, hi = -Infinity, skipped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = f(values[i]);
    if (!Number.isFinite(v)) {
      skipped++;
      continue;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) lo = hi = 0;               // no values
  if (lo === hi) lo = f(lo - 1), hi = f(hi + 1);
  const h = { min: lo, max: hi, counts: new Array<number>(bins).fill(0), skipped };
  for (let i = 0; i < values.length; i++) {
    const k = binOf(h, values[i]);
    if (k >= 0) h.counts[k]++;
  }
  return h;
}

export function histogramOver(values: ArrayLike<number>, range: { min: number; max: number }, bins: number = HISTOGRAM_BINS): Histogram {
  const h = { min: range.min, max: range.max, counts: new Array<number>(bins).fill(0), skipped: 0 };
  for (let i = 0; i < values.length; i++) {
    const k = binOf(h, values[i]);
    if (k >= 0) h.counts[k]++;
    else if (!Number.isFinite(values[i])) h.skipped++;
  }
  return h;
}

// The bin of `h` a value falls in (a traced point among the batch's values): -1 when it is not finite or lies
// outside [min, max].
export function binOf(h: Histogram, value: number): number {
  const f = Math.fround, v = f(value), bins = h.counts.length;
  if (!Number.isFinite(v) || v < h.min || v > h.max) return -1;
  const k = Math.trunc(f(f(f(v - h.min) / f(h.max - h.min)) * bins));
  return k >= bins ? bins - 1 : k > 0 ? k : 0;  // k = bins for max itself; the clamp only guards overflow
}
