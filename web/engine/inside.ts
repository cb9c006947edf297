// Inside the network, computed in the worker for the run the page watches: every unit's picture (its value
// over the input plane, on a coarse grid) for the input and every layer's output, and, for every
// normalization layer, histograms of its input and its output over the batch the run last trained on. Both
// come from the engine's layerOutputs (each layer's own output, BatchNorm with running statistics or, in
// train mode, the last batch's — as the decision boundary uses them).
import type { LayerOutput } from './normlab';
import { histogram, HISTOGRAM_BINS, type Histogram } from '../state/histogram.js';
import { NORM_TYPES } from '../state/config.js';

export const PICTURE_SIDE = 20;  // grid points per side of a unit's picture
export const MAX_UNITS = 16;     // units drawn per layer unless all are asked for

export interface InsideWatch {
  run: number;
  all: boolean;   // every unit, not only the first MAX_UNITS
  point: [number, number] | null; // the traced point (data coordinates, as the boundaries show them)
}

export const TRACE_UNITS = 8; // units a traced layer lists unless all are asked for

// The traced point at one layer: its output; for a normalization layer also what normalized it.
export interface TraceRow {
  layer: number;
  type: string;
  units: number;
  output: number[];                  // the first units (all with InsideWatch.all)
  norm?: {
    input: number[];                 // x, the layer's input (same units)
    mean: number[]; var: number[];   // per unit (BatchNorm: each feature's; per-row norms: the row's, repeated)
    xhat: number[];                  // (x − μ) / √(σ² + ε)
    eps: number;
    running: boolean;                // BatchNorm: the running statistics (eval); else the last batch's
    own: boolean;                    // the point's own statistics (LayerNorm, RMSNorm, GroupNorm)
  };
}

export interface Trace {
  point: [number, number];
  rows: TraceRow[];
  softmax: number[];                 // of the last layer's output (the logits)
  batchStep: number;                 // the step whose batch gave BatchNorm's statistics in train mode
}

export interface UnitColumn {
  layer: number;        // index in the model (-1: the input)
  type: string;         // 'input', 'linear', 'batchnorm', 'relu', 'residual', …
  units: number;        // the layer's width
  scale: number;        // the largest |value| over the plane, in every unit of the layer: the colours' scale
  pictures: Float32Array; // shown units × side²: unit u's value at grid point k is pictures[u · side² + k]
  shown: number;
}

export interface NormHistogram {
  layer: number;
  type: string;         // a normalization; 'linear' for a run without any (its hidden layers before the activation)
  input: Histogram | null; // every unit's values on the batch, pooled (null for a linear layer: output only)
  output: Histogram;
  // BatchNorm while the boundaries show eval mode: the same batch normalized with the running statistics instead —
  // where the running statistics put the batch (null otherwise).
  running: Histogram | null;
  quantiles: { input: number[] | null; output: number[] }; // QUANTILES of the same values, for the history
}

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

export function quantiles(values: ArrayLike<number>): number[] {
  const v = Float32Array.from(values).filter(Number.isFinite).sort();
  return QUANTILES.map((q) => (v.length ? v[Math.min(v.length - 1, Math.floor(q * v.length))] : NaN));
}

export interface InsideFrame {
  run: number;
  step: number;
  trainBatch: boolean;
  side: number;
  columns: UnitColumn[];
  histograms: NormHistogram[];
  batchRows: number;    // the size of the batch the histograms are of (0 before the first step)
  trace: Trace | null;
}

export interface InsideLab {
  layerOutputs(run: number, x: ArrayLike<number>, trainBatch: boolean): LayerOutput[];
  lastBatch(): Int32Array;
  trainData(): { x: Float32Array; rows: number };
  stepCount(): number;
}


// The grid's points over `extent`, row 0 at the top (as the decision boundary's).
export function gridPoints(side: number, [x0, x1, y0, y1]: [number, number, number, number]): Float32Array {
  const p = new Float32Array(2 * side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      p[2 * (r * side + c)] = x0 + ((c + 0.5) / side) * (x1 - x0);
      p[2 * (r * side + c) + 1] = y1 - ((r + 0.5) / side) * (y1 - y0);
    }
  }
  return p;
}

function column(layer: number, type: string, units: number, values: Float32Array, rows: number, all: boolean): UnitColumn {
  const shown = all ? units : Math.min(units, MAX_UNITS);
  const pictures = new Float32Array(shown * rows);
  let scale = 0;
  for (let k = 0; k < rows; k++) {
    for (let u = 0; u < units; u++) {
      const v = values[k * units + u];
      if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
      if (u < shown) pictures[u * rows + k] = v;
    }
  }
  return { layer, type, units, scale, pictures, shown };
}

export function inside(lab: InsideLab, w: InsideWatch, extent: [number, number, number, number], trainBatch: boolean): InsideFrame {
  const side = PICTURE_SIDE, rows = side * side;
  const grid = gridPoints(side, extent);
  const columns: UnitColumn[] = [column(-1, 'input', 2, grid, rows, true)];
  lab.layerOutputs(w.run, grid, trainBatch).forEach((l) => {
    if (l.type !== 'dropout') columns.push(column(l.index, l.type, l.features, l.values, rows, w.all));
  });
  // The batch the run last trained on, through the model as that step saw it (train mode: its own statistics).
  const histograms: NormHistogram[] = [];
  const batch = lab.stepCount() > 0 ? lab.lastBatch() : new Int32Array(0);
  if (batch.length) {
    const data = lab.trainData().x, x = new Float32Array(2 * batch.length);
    batch.forEach((row, i) => { x[2 * i] = data[2 * row]; x[2 * i + 1] = data[2 * row + 1]; });
    const outs = lab.layerOutputs(w.run, x, true);
    const evalOuts = !trainBatch && outs.some((l) => l.type === 'batchnorm') ? lab.layerOutputs(w.run, x, false) : null;
    outs.forEach((l, i) => {
      if (!NORM_TYPES.has(l.type)) return;
      const input = i === 0 ? x : outs[i - 1].values;
      // Through the running statistics the batch's own layer input differs too (earlier BatchNorms): this layer's
      // output in eval mode is what eval mode would make of this batch.
      const running = evalOuts && l.type === 'batchnorm' ? histogram(evalOuts[i].values, HISTOGRAM_BINS) : null;
      histograms.push({ layer: l.index, type: l.type, input: histogram(input, HISTOGRAM_BINS), output: histogram(l.values, HISTOGRAM_BINS),
        running, quantiles: { input: quantiles(input), output: quantiles(l.values) } });
    });
    // Without normalization: what a norm would see, each hidden Linear's output (the last one is the logits).
    if (!histograms.length) outs.slice(0, -1).filter((l) => l.type === 'linear').forEach((l) => histograms.push(
      { layer: l.index, type: 'linear', input: null, output: histogram(l.values, HISTOGRAM_BINS), running: null, quantiles: { input: null, output: quantiles(l.values) } }));
  }
  const trace = w.point ? tracePoint(lab, w, trainBatch) : null;
  return { run: w.run, step: lab.stepCount(), trainBatch, side, columns, histograms, batchRows: batch.length, trace };
}

// One point through every layer: its values, and at each normalization the μ and σ² that normalized it.
export function tracePoint(lab: InsideLab, w: InsideWatch, trainBatch: boolean): Trace {
  const point = w.point!;
  const x = Float32Array.from(point);
  const outs = lab.layerOutputs(w.run, x, trainBatch);
  const rows = outs.filter((l) => l.type !== 'dropout').map((l): TraceRow => {
    const n = w.all ? l.features : Math.min(l.features, TRACE_UNITS);
    const output = Array.from(l.values.subarray(0, n));
    if (!NORM_TYPES.has(l.type) || !l.mean || !l.var) return { layer: l.index, type: l.type, units: l.features, output };
    const before = outs[outs.indexOf(l) - 1]?.values ?? x;
    const per = l.groups ?? 0, size = per ? l.features / per : 1; // per-row statistics: one per group of `size` units
    const at = (stats: Float32Array, u: number) => (per ? stats[Math.floor(u / size)] : stats[u]);
    const input = Array.from(before.subarray(0, n)), eps = l.eps ?? 0;
    const mean = input.map((_, u) => at(l.mean!, u)), variance = input.map((_, u) => at(l.var!, u));
    const xhat = input.map((v, u) => (v - mean[u]) / Math.sqrt(variance[u] + eps));
    return { layer: l.index, type: l.type, units: l.features, output, norm: { input, mean, var: variance, xhat, eps, running: !!l.running, own: per > 0 } };
  });
  const logits = outs[outs.length - 1].values, top = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - top)), sum = e.reduce((a, b) => a + b, 0);
  return { point, rows, softmax: e.map((v) => v / sum), batchStep: lab.stepCount() };
}

// What a frame transfers (the pictures' buffers are moved, not copied).
export function transferables(f: InsideFrame | null): Transferable[] {
  return f ? f.columns.map((c) => c.pictures.buffer) : [];
}
