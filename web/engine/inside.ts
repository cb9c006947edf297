// Inside the network, computed in the worker for the run the page watches: every unit's picture (its value
// over the input plane, on a coarse grid) for the input and every layer's output, and, for every
// normalization layer, histograms of its input and its output over the batch the run last trained on. Both
// come from the engine's layerOutputs (each layer's own output, BatchNorm with running statistics or, in
// train mode, the last batch's — as the decision boundary uses them).
import type { LayerOutput } from './normlab';
import { histogram, histogramOver, HISTOGRAM_BINS, type Histogram } from '../state/histogram.js';
import { NORM_TYPES } from '../state/config.js';

export const PICTURE_SIDE = 20;  // grid points per side of a unit's picture
export const MAX_UNITS = 16;     // units drawn per layer unless all are asked for
export const MAX_LINKED = 16;    // a Linear's links are drawn when its input and output are at most this wide
export const HIDDEN_POINTS = 300; // training points drawn in hidden space
export const HIDDEN_LINES = 9;    // the input grid's lines per direction, warped into hidden space
export const HIDDEN_SAMPLES = 32; // points along each line

export interface InsideWatch {
  run: number;
  all: boolean;   // every unit, not only the first MAX_UNITS
  point: [number, number] | null; // the traced point (data coordinates, as the boundaries show them)
  unit: number;   // the unit whose own histogram is drawn over the pooled one (0-based; clamped to a layer's width)
  hidden: { layer: number; x: number; y: number } | null; // hidden space: a layer (model index) and two of its units
}

// What the play benchmarks watch in the lesson (bench/play.mjs and the Performance panel): its BatchNorm run with
// a traced point and hidden space at the first BatchNorm — everything the view computes.
export const BENCH_WATCH: InsideWatch = { run: 1, all: false, point: [0.5, 0.25], unit: 0, hidden: { layer: 1, x: 0, y: 1 } };

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
  // The chosen unit's values alone, binned over the pooled histogram's range (so the two share an axis).
  unit: { index: number; input: Histogram | null; output: Histogram };
}

// A Linear layer's weights (out × in, row-major as PyTorch's weight), drawn as links between the column before
// it and its own; only when both are at most MAX_LINKED wide.
export interface LinkSet {
  layer: number;        // the Linear's model index
  from: number;         // the column its input is (index into InsideFrame.columns)
  weights: Float32Array;
  out: number;
  in: number;
}

// Hidden space (as ConvNetJS draws it): training points and the input grid's lines, in the coordinates of two
// units of a layer's input (`before`: the previous layer's output, or the input) and of its output (`after`).
export interface HiddenSpace {
  layer: number;
  type: string;         // the layer's type: a normalization, or whatever layer was chosen
  beforeType: string;   // the previous layer's type ('input' for the first)
  x: number; y: number; // the units (0-based), clamped to the layers' widths
  labels: Uint8Array;   // the class of each point
  lines: number;        // grid lines (HIDDEN_LINES vertical, then as many horizontal) of `samples` points each
  samples: number;
  before: Float32Array; // (points + lines · samples) × 2: the points, then the lines' points, as (unit x, unit y)
  after: Float32Array;
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
  links: LinkSet[];
  hidden: HiddenSpace | null;
}

export interface InsideLab {
  layerOutputs(run: number, x: ArrayLike<number>, trainBatch: boolean): LayerOutput[];
  lastBatch(): Int32Array;
  trainData(): { x: Float32Array; y: Int32Array; rows: number };
  stepCount(): number;
  getParameter(run: number, name: string): Float32Array;
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
  // The training set, copied out of the engine once a frame (the batch's rows and hidden space read it).
  let trainSet: ReturnType<InsideLab['trainData']> | null = null;
  const train = () => (trainSet ??= lab.trainData());
  if (batch.length) {
    const data = train().x, x = new Float32Array(2 * batch.length);
    batch.forEach((row, i) => { x[2 * i] = data[2 * row]; x[2 * i + 1] = data[2 * row + 1]; });
    const outs = lab.layerOutputs(w.run, x, true);
    const evalOuts = !trainBatch && outs.some((l) => l.type === 'batchnorm') ? lab.layerOutputs(w.run, x, false) : null;
    outs.forEach((l, i) => {
      if (!NORM_TYPES.has(l.type)) return;
      const input = i === 0 ? x : outs[i - 1].values;
      // Through the running statistics the batch's own layer input differs too (earlier BatchNorms): this layer's
      // output in eval mode is what eval mode would make of this batch.
      const running = evalOuts && l.type === 'batchnorm' ? histogram(evalOuts[i].values, HISTOGRAM_BINS) : null;
      const hIn = histogram(input, HISTOGRAM_BINS), hOut = histogram(l.values, HISTOGRAM_BINS);
      const u = Math.min(w.unit, l.features - 1);
      histograms.push({ layer: l.index, type: l.type, input: hIn, output: hOut, running,
        quantiles: { input: quantiles(input), output: quantiles(l.values) },
        unit: { index: u, input: histogramOver(unitValues(input, l.features, u), hIn), output: histogramOver(unitValues(l.values, l.features, u), hOut) } });
    });
    // Without normalization: what a norm would see, each hidden Linear's output (the last one is the logits).
    if (!histograms.length) outs.slice(0, -1).filter((l) => l.type === 'linear').forEach((l) => {
      const hOut = histogram(l.values, HISTOGRAM_BINS), u = Math.min(w.unit, l.features - 1);
      histograms.push({ layer: l.index, type: 'linear', input: null, output: hOut, running: null, quantiles: { input: null, output: quantiles(l.values) },
        unit: { index: u, input: null, output: histogramOver(unitValues(l.values, l.features, u), hOut) } });
    });
  }
  const trace = w.point ? tracePoint(lab, w, trainBatch) : null;
  return { run: w.run, step: lab.stepCount(), trainBatch, side, columns, histograms, batchRows: batch.length, trace,
    links: links(lab, w.run, columns), hidden: w.hidden ? hiddenSpace(lab, w, extent, trainBatch, train()) : null };
}

// Unit u's values among rows × features values.
function unitValues(values: Float32Array, features: number, u: number): Float32Array {
  const out = new Float32Array(Math.floor(values.length / features));
  for (let r = 0; r < out.length; r++) out[r] = values[r * features + u];
  return out;
}

// Every top-level Linear narrow enough on both sides, with the column it reads from.
function links(lab: InsideLab, run: number, columns: UnitColumn[]): LinkSet[] {
  const sets: LinkSet[] = [];
  columns.forEach((c, i) => {
    if (c.type !== 'linear' || i === 0) return;
    const from = columns[i - 1];
    if (c.units > MAX_LINKED || from.units > MAX_LINKED) return;
    sets.push({ layer: c.layer, from: i - 1, weights: lab.getParameter(run, `${c.layer}.weight`), out: c.units, in: from.units });
  });
  return sets;
}

// Up to HIDDEN_POINTS training points (evenly spaced in the data's order, which is shuffled) and the input grid's
// lines over `extent`, through the model: their coordinates in two units of the chosen layer's input and output.
export function hiddenSpace(lab: InsideLab, w: InsideWatch, [x0, x1, y0, y1]: [number, number, number, number], trainBatch: boolean,
  data: { x: Float32Array; y: Int32Array; rows: number }): HiddenSpace | null {
  const h = w.hidden!;
  const n = Math.min(HIDDEN_POINTS, data.rows), L = HIDDEN_LINES, S = HIDDEN_SAMPLES;
  const rows = n + 2 * L * S, x = new Float32Array(2 * rows), labels = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const r = Math.floor((k * data.rows) / n);
    x[2 * k] = data.x[2 * r], x[2 * k + 1] = data.x[2 * r + 1], labels[k] = data.y[r];
  }
  for (let l = 0; l < L; l++) {
    const t = l / (L - 1);
    for (let k = 0; k < S; k++) {
      const u = k / (S - 1), v = n + l * S + k, hz = n + (L + l) * S + k;
      x[2 * v] = x0 + t * (x1 - x0), x[2 * v + 1] = y0 + u * (y1 - y0);    // vertical line
      x[2 * hz] = x0 + u * (x1 - x0), x[2 * hz + 1] = y0 + t * (y1 - y0);  // horizontal line
    }
  }
  const outs = lab.layerOutputs(w.run, x, trainBatch).filter((l) => l.type !== 'dropout');
  const at = outs.findIndex((l) => l.index === h.layer);
  if (at < 0) return null;
  const after = outs[at], before = at > 0 ? outs[at - 1] : { type: 'input', features: 2, values: x };
  const ux = Math.min(h.x, after.features - 1, before.features - 1), uy = Math.min(h.y, after.features - 1, before.features - 1);
  const pick = (v: Float32Array, f: number) => {
    const out = new Float32Array(2 * rows);
    for (let r = 0; r < rows; r++) out[2 * r] = v[r * f + ux], out[2 * r + 1] = v[r * f + uy];
    return out;
  };
  return { layer: h.layer, type: after.type, beforeType: before.type, x: ux, y: uy, labels, lines: 2 * L, samples: S,
    before: pick(before.values, before.features), after: pick(after.values, after.features) };
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
  if (!f) return [];
  const hidden = f.hidden ? [f.hidden.before.buffer, f.hidden.after.buffer, f.hidden.labels.buffer] : [];
  return [...f.columns.map((c) => c.pictures.buffer), ...hidden];
}
