// Types of the Embind module built from web/wasm/bindings.cpp (build-wasm/normlab.mjs). Hand-written:
// Emscripten 3.1.6 cannot emit them.
export interface EmbindObject {
  delete(): void;
}

export interface NormlabModel extends EmbindObject {
  parameterNames(): string[];
  parameterShape(name: string): number[];
  getParameter(name: string): Float32Array;
  getGradient(name: string): Float32Array;
  setParameter(name: string, values: ArrayLike<number>): void;
  setTraining(training: boolean): void;
  training(): boolean;
  input(): number;
  classes(): number;
  parameterCount(): number;
  spec(): string;
  manualSeed(seed: number): void;
  forward(x: ArrayLike<number>): Float32Array;
  predictProba(x: ArrayLike<number>, trainBatch: boolean): Float32Array;
  trainStep(x: ArrayLike<number>, y: ArrayLike<number>, optimizer: NormlabOptimizer): number;
  computeGradients(x: ArrayLike<number>, y: ArrayLike<number>): number;
}

export interface NormlabOptimizer extends EmbindObject {
  reset(): void;
  steps(): number;
  spec(): string;
  setLearningRate(lr: number): void;
}

export interface RunState {
  loss: number;
  accuracy: number;
  rows: number;
  stopped: boolean;
  diverged: boolean; // stopped because its loss or a gradient was not finite
  error: string;
  stepSeconds: number;
}

export interface EpochSummary {
  epoch: number;
  meanLoss: number[];
  trainAccuracy: number[];
}

export interface Diagnostics {
  activations: { layer: number; type: string; mean: number; std: number; saturated: number }[];
  gradNorms: { name: string; norm: number }[];
  norms: { layer: number; type: string; mean: Float32Array; var: Float32Array; usedRunning: boolean }[];
}

export interface DataArrays {
  x: Float32Array;
  y: Int32Array;
  rows: number;
}

export type Sampler = 'shuffle' | 'balanced' | 'sorted' | 'duplicates';

export interface NormlabLab extends EmbindObject {
  setData(json: string): void;
  dataSpec(): string;
  setBatchSize(batch: number): void;
  batchSize(): number;
  setInitMode(mode: 'shared' | 'sequential'): void;
  // Batch composition (core/sampler.h): how each epoch orders the training rows. Every sampler starts an epoch as
  // PyTorch's DataLoader does (its base seed, then the sampler's seed, from the lab's generator) and is a PyTorch
  // sampler the exported script writes out. 'shuffle' (the default) is DataLoader(shuffle=True); 'balanced'
  // interleaves the classes (each class randperm-ordered); 'sorted' is randperm stably sorted by class (each batch
  // one class but where they meet); 'duplicates' is RandomSampler(replacement=True). Restarts the runs from the
  // current seed; an unknown name throws (field 'sampler') and changes nothing.
  setSampler(sampler: Sampler): void;
  sampler(): Sampler;
  // `count` (1 to 1024) epochs' orders of the training rows, epoch after epoch (count × trainData().rows indices),
  // as this lab's sampler draws them right after torch.manual_seed(seed). Side-effect free.
  sampleEpochs(count: number, seed: number): Int32Array;
  addRun(modelJson: string, optimizerJson: string): number;
  replaceRun(index: number, modelJson: string, optimizerJson: string): void;
  removeRun(index: number): void;
  runCount(): number;
  reset(seed: number): void;
  seed(): number;
  step(count: number): number;
  epochEnded(): boolean;
  stepCount(): number;
  epoch(): number;
  stepInEpoch(): number;
  stepsPerEpoch(): number;
  runState(index: number): RunState;
  epochSummary(): EpochSummary;
  evaluate(index: number, testSet: boolean, trainBatch: boolean): { loss: number; accuracy: number };
  grid(index: number, w: number, h: number, x0: number, x1: number, y0: number, y1: number, trainBatch: boolean): Float32Array;
  trainData(): DataArrays;
  testData(): DataArrays;
  lastBatch(): Int32Array;
  parameterNames(index: number): string[];
  getParameter(index: number, name: string): Float32Array;
  setParameter(index: number, name: string, values: ArrayLike<number>): void;
  modelSpec(index: number): string;
  logits(index: number, x: ArrayLike<number>): Float32Array;
  // Logits (rows × classes) of rows of x taken as training batches of `batch` rows (the last one may be shorter;
  // omitted or 0: all rows are one batch, at most 4096), each forward in training mode on its own: BatchNorm
  // normalizes with that batch's mean and biased variance. Dropout is the identity. Side-effect free (no running
  // statistic, weight, cache or generator changes). A batch of one row under BatchNorm throws PyTorch's error.
  trainModeLogits(index: number, x: ArrayLike<number>, batch?: number): Float32Array;
  diagnostics(index: number): Diagnostics;
  batchNormTrace(index: number, layer: number, feature: number): BatchNormTrace;
  // Every top-level layer's output for rows of x, side-effect free (changes no weight, statistic or generator).
  layerOutputs(index: number, x: ArrayLike<number>, trainBatch: boolean): LayerOutput[];

  // Why normalization helps. A linear layer is named by its state_dict prefix ('3'; '2.1' is layer 1 inside the
  // residual block at 2) or, at the top level, by its index (3, as layerOutputs' `index`).
  // Its weight and bias × alpha, as `with torch.no_grad(): lin.weight.mul_(alpha); lin.bias.mul_(alpha)`: the
  // optimizer's momentum and Adam moments stay as they are. Followed by a BatchNorm, the next training step's loss
  // is the same up to BatchNorm's ε (alpha > 0; ε/(α²σ²) grows for small alpha); eval mode and trainBatch views are
  // not invariant (running / last-batch statistics of the old scale) until the statistics catch up. alpha must be
  // finite and non-zero as a float32, and no scaled value may overflow; an error (field 'run', 'layer' or 'alpha')
  // changes nothing.
  scaleWeights(index: number, layer: number | string, alpha: number): void;
  // Every linear layer's weight norm and effective learning rate, in order. Cheap (one pass over the weights).
  weightNorms(index: number): WeightNorm[];
  // The loss landscape along the gradient on the batch the run last trained on (see Smoothness). Side-effect
  // free: training after it is bit-identical to training without it. Throws before the first step and for a
  // stopped run. options: an object, its JSON, or nothing for the defaults.
  smoothness(index: number, options?: SmoothnessOptions | string): Smoothness;
}

export interface WeightNorm {
  name: string;        // the weight's state_dict name, '3.weight'
  norm: number;        // ‖W‖, Frobenius, the weight only (not the bias)
  // lr / ‖W‖², lr the run's learning rate: the step SGD takes along the direction of a scale-invariant weight
  // (one followed by BatchNorm), whose gradient shrinks as 1/‖W‖. Adam normalizes its steps, so for Adam runs
  // the angular step is nearer lr/‖W‖: this is SGD's number. Infinity for a zero weight.
  effectiveLr: number;
}

// Santurkar et al. 2018, "How Does Batch Normalization Help Optimization?", Fig. 4 (core/landscape.h). On one
// batch B (the last one the run trained on, with the dropout masks it trained with) at the current parameters θ,
// in training mode (BatchNorm normalizes with B's own statistics):
//   g = ∇L_B(θ) over every parameter;  η_k = lr·(from + (to − from)·(k − 1)/(steps − 1)), k = 1 … steps;
//   L_k = L_B(θ − η_k g),  g_k = ∇L_B(θ − η_k g).
// The direction is the plain gradient, whatever the optimizer (an Adam step is not lr·g).
export interface SmoothnessOptions {
  steps?: number;      // how many step sizes, 1 to 64; default 8 (η_k = 0.05·k·lr)
  from?: number;       // the smallest step as a multiple of lr, > 0; default 0.05
  to?: number;         // the largest, ≥ from; default 0.4
  lr?: number;         // > 0: the unit of the steps instead of the run's learning rate
}

export interface Smoothness {
  lr: number;            // the unit the step sizes are multiples of
  loss: number;          // L_B(θ)
  gradNorm: number;      // ‖g‖
  eta: number[];         // η_k
  losses: number[];      // L_k
  gradDiffs: number[];   // ‖g − g_k‖
  lossMin: number;       // min_k L_k   } the "loss landscape" band
  lossMax: number;       // max_k L_k   }
  gradDiffMax: number;   // max_k ‖g − g_k‖: "gradient predictiveness" (small: the gradient stays predictive)
  betaSmoothness: number; // max_k ‖g − g_k‖ / (η_k ‖g‖): "effective β-smoothness"; NaN when g = 0
}

// One top-level layer of a run (a residual block is one layer: its output x + f(x)) on the rows of x handed to
// lab.layerOutputs, each layer applied to the previous one's output (no folding). Dropout is the identity.
// trainBatch false: eval mode (BatchNorm normalizes with its running statistics); true: BatchNorm normalizes
// with the last training batch's mean and biased variance (the running ones before any training step), as the
// train-mode boundary does. Other layers compute the same in both modes.
export interface LayerOutput {
  index: number;        // the layer's place in the model (its state_dict prefix)
  type: string;         // 'linear', 'batchnorm', 'relu', 'residual', …
  features: number;     // the output's width
  values: Float32Array; // (rows × features), row-major
  // Normalization layers only: what normalized these rows. var is biased (RMSNorm: mean 0, var = mean(x²)).
  //   batchnorm: one per feature (features values); layernorm, rmsnorm: one per row; groupnorm: one per row and
  //   group (rows × groups, row-major: row n, group g at n·groups + g, a group being features/groups adjacent
  //   features). x̂ = (x − mean) / √(var + eps), output = γ·x̂ + β (RMSNorm: no β).
  mean?: Float32Array;
  var?: Float32Array;
  eps?: number;
  groups?: number;      // layernorm, rmsnorm, groupnorm: statistics per row (1, 1, its groups)
  running?: boolean;    // batchnorm: whether these are the running statistics (eval, or no training step yet)
}

export interface BatchNormTrace {
  rows: number;
  x: Float32Array;
  xhat: Float32Array;
  y: Float32Array;
  evalY: Float32Array;
  mean: number;
  var: number;
  varUnbiased: number;
  rstd: number;
  gamma: number;
  beta: number;
  eps: number;
  momentum: number;
  runningMeanBefore: number;
  runningVarBefore: number;
  runningMean: number;
  runningVar: number;
}

export interface InspectSpec {
  norm: 'batchnorm' | 'layernorm' | 'instancenorm' | 'groupnorm' | 'rmsnorm';
  shape: number[];
  groups?: number;
  eps?: number;
  x: ArrayLike<number>;
  gamma?: ArrayLike<number>;
  beta?: ArrayLike<number>;
}

export interface InspectResult {
  stats: number;
  groupOf: Int32Array;
  mean: Float32Array;
  var: Float32Array;
  rstd: Float32Array;
  rstdOutside: Float32Array;
  xhat: Float32Array;
  y: Float32Array;
  rowMeanX: Float32Array;
  rowVarX: Float32Array;
  rowMeanY: Float32Array;
  rowVarY: Float32Array;
  rowVarYBiased: Float32Array;
}

// Every error the module throws: `field` is the input it names ("layers[1].groups", "lr"; "" when no input is
// to blame, as for a diverged step), and the message starts with it.
export interface NormlabError extends Error {
  field: string;
}

// The engine's limits (core/limits_table.h), by field name.
export type EngineLimits = Record<string, { min: number; max: number; integer: boolean; what: string }>;

export interface NormlabModule {
  Model: { new (modelJson: string, seed?: number): NormlabModel };
  Optimizer: { new (model: NormlabModel, optimizerJson: string): NormlabOptimizer };
  Lab: { new (): NormlabLab };
  inspectNorm(specJson: string): InspectResult; // JSON.stringify of an InspectSpec (typed arrays as plain arrays)
  limits(): string;                              // JSON of EngineLimits
  randn(seed: number, n: number): Float32Array;
  heapSize(): number;
  heapUsed(): number;
}

export default function createNormlab(options?: { wasmBinary?: ArrayBuffer | Uint8Array; locateFile?: (path: string) => string }): Promise<NormlabModule>;
