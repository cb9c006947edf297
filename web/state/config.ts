// The page's one configuration object: what every control sets. Its defaults are the lesson's experiment.
// It turns into the core's JSON (model, optimizer, data) here and nowhere else.
export const DATASETS = ['moons', 'circles', 'spiral', 'xor', 'gauss', 'custom'] as const; // custom: your own points (the engine's "points")
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'gelu', 'leaky_relu'] as const;
export const NORMS = ['none', 'batchnorm', 'layernorm', 'rmsnorm', 'groupnorm'] as const;
export const PLACEMENTS = ['before', 'after'] as const;
export const OPTIMIZERS = ['sgd', 'sgd+momentum', 'adam', 'adamw'] as const;
export const ARCHITECTURES = ['mlp', 'residual'] as const;
// How batches are drawn (the engine's samplers, core/sampler.h): shuffle is DataLoader(shuffle=True).
export const SAMPLERS = ['shuffle', 'balanced', 'sorted', 'duplicates'] as const;
export const MAX_RESIDUAL_BLOCKS = 7; // 2 linear layers per block + stem + head ≤ the engine's 16
export const MAX_RUNS = 4;

export type Dataset = (typeof DATASETS)[number];
export type Activation = (typeof ACTIVATIONS)[number];
export type Norm = (typeof NORMS)[number];
export type Placement = (typeof PLACEMENTS)[number];
export type OptimizerChoice = (typeof OPTIMIZERS)[number];
export type Architecture = (typeof ARCHITECTURES)[number];
export type Sampler = (typeof SAMPLERS)[number];

export interface RunConfig {
  name: string;
  norm: Norm;
  placement: Placement; // the norm before or after the activation (residual blocks: pre-norm or post-norm)
  groups: number;       // groupnorm only
  dropout: number;      // dropout probability after every hidden layer's activation (0: none)
}

// Points of your own (data type custom): x interleaved x0, y0, x1, y1, …; y the class of each point, 0 or 1.
export interface OwnPoints {
  x: number[];
  y: number[];
}

export interface LabConfig {
  // own: the points of your own, kept whatever the type (custom trains on them); points = own.y.length for custom
  data: { type: Dataset; points: number; noise: number; testFraction: number; seed: number; scale: number; shift: number; own: OwnPoints };
  // residual: hiddenLayers blocks; initScale multiplies PyTorch's default initialization of every Linear (weight, bias)
  model: { hiddenLayers: number; width: number; activation: Activation; architecture: Architecture; initScale: number };
  runs: RunConfig[];
  training: { optimizer: OptimizerChoice; lr: number; batchSize: number; epochs: number; weightDecay: number; seed: number; sampler: Sampler };
}

export function defaultConfig(): LabConfig {
  return {
    data: { type: 'moons', points: 2000, noise: 0.2, testFraction: 0.2, seed: 0, scale: 1, shift: 0, own: { x: [], y: [] } },
    model: { hiddenLayers: 2, width: 64, activation: 'relu', architecture: 'mlp', initScale: 1 },
    runs: [
      { name: 'No norm', norm: 'none', placement: 'before', groups: 8, dropout: 0 },
      { name: 'BatchNorm', norm: 'batchnorm', placement: 'before', groups: 8, dropout: 0 },
    ],
    training: { optimizer: 'adam', lr: 0.01, batchSize: 64, epochs: 50, weightDecay: 0, seed: 0, sampler: 'shuffle' },
  };
}

export function cloneConfig(c: LabConfig): LabConfig {
  return JSON.parse(JSON.stringify(c)) as LabConfig;
}

// A copy of `c` whose points of your own are `own` (copied) and, when the data is custom, whose data.points is
// their number: the one place the two are kept in sync. withOwnPoints(c) re-syncs after the type changes.
export function withOwnPoints(c: LabConfig, own: OwnPoints = c.data.own): LabConfig {
  const next = cloneConfig({ ...c, data: { ...c.data, own: { x: [], y: [] } } });
  next.data.own = { x: [...own.x], y: [...own.y] };
  if (next.data.type === 'custom') next.data.points = own.y.length;
  return next;
}

// mlp: Linear(2, w) → [norm] → act → [dropout] → … → Linear(w, 2): the norm goes before the activation (as
// the lesson places BatchNorm) or after it; dropout, if any, ends each hidden layer.
// residual: Linear(2, w) → blocks → Linear(w, 2), each block f = Linear → act → [dropout] → Linear around a
// skip connection: pre-norm ("before") x + f(norm(x)), the lesson's Transformer form, or post-norm
// ("after") norm(x + f(x)), the original Transformer's.
export function modelJson(c: LabConfig, run: RunConfig): string {
  const layers: object[] = [];
  const norm = run.norm === 'none' ? null : run.norm === 'groupnorm' ? { type: 'groupnorm', groups: run.groups } : { type: run.norm };
  const act = c.model.activation === 'leaky_relu' ? { type: 'leaky_relu', slope: 0.01 } : { type: c.model.activation };
  if (c.model.architecture === 'residual') {
    const w = c.model.width;
    layers.push({ type: 'linear', out: w });
    for (let i = 0; i < c.model.hiddenLayers; i++) {
      const f: object[] = [{ type: 'linear', out: w }, act, ...(run.dropout > 0 ? [{ type: 'dropout', p: run.dropout }] : []), { type: 'linear', out: w }];
      if (norm && run.placement === 'before') f.unshift(norm);
      layers.push({ type: 'residual', layers: f });
      if (norm && run.placement === 'after') layers.push(norm);
    }
    layers.push({ type: 'linear', out: 2 });
    return spec(c, layers);
  }
  for (let i = 0; i < c.model.hiddenLayers; i++) {
    layers.push({ type: 'linear', out: c.model.width });
    if (norm && run.placement === 'before') layers.push(norm);
    layers.push(act);
    if (norm && run.placement === 'after') layers.push(norm);
    if (run.dropout > 0) layers.push({ type: 'dropout', p: run.dropout });
  }
  layers.push({ type: 'linear', out: 2 });
  return spec(c, layers);
}

// The model spec's JSON; init_scale only when it is not PyTorch's own (1), so those specs stay as they were.
const spec = (c: LabConfig, layers: object[]) =>
  JSON.stringify(c.model.initScale === 1 ? { input: 2, layers } : { input: 2, layers, init_scale: c.model.initScale });

type SpecLayer = { type: string; layers?: SpecLayer[] };

// Every layer of a model spec, residual blocks' inner layers included, in order, with its state_dict prefix:
// "3" (its parameters are "3.weight", "3.bias"), "2.0" inside the block at 2.
function specLayers(spec: string): { name: string; type: string }[] {
  const out: { name: string; type: string }[] = [];
  const walk = (layers: SpecLayer[], prefix: string) => layers.forEach((l, i) => {
    out.push({ name: `${prefix}${i}`, type: l.type });
    if (l.layers) walk(l.layers, `${prefix}${i}.`);
  });
  walk((JSON.parse(spec) as { layers: SpecLayer[] }).layers, '');
  return out;
}

// "3.weight", "2.0.weight" …: every linear layer's weight, in the order of the model.
export function linearWeightNames(spec: string): Set<string> {
  return new Set(specLayers(spec).filter((l) => l.type === 'linear').map((l) => `${l.name}.weight`));
}

// The layer types that normalize (the engine's names).
export const NORM_TYPES: ReadonlySet<string> = new Set(['batchnorm', 'layernorm', 'rmsnorm', 'groupnorm']);

// Every normalization layer by its state_dict prefix.
export function normLayerNames(spec: string): { name: string; type: string }[] {
  return specLayers(spec).filter((l) => NORM_TYPES.has(l.type));
}

export function optimizerJson(c: LabConfig): string {
  const t = c.training;
  switch (t.optimizer) {
    case 'sgd': return JSON.stringify({ type: 'sgd', lr: t.lr, weight_decay: t.weightDecay });
    case 'sgd+momentum': return JSON.stringify({ type: 'sgd', lr: t.lr, momentum: 0.9, weight_decay: t.weightDecay });
    case 'adam': return JSON.stringify({ type: 'adam', lr: t.lr, weight_decay: t.weightDecay });
    case 'adamw': return JSON.stringify({ type: 'adamw', lr: t.lr, weight_decay: t.weightDecay });
  }
}

// Custom data goes to the engine as {"type": "points", "x": [...], "y": [...]}: the points exactly, no noise.
export function dataJson(c: LabConfig): string {
  const d = c.data;
  const rest = { seed: d.seed, test_fraction: d.testFraction, scale: d.scale, shift: d.shift };
  if (d.type === 'custom') return JSON.stringify({ type: 'points', points: d.own.y.length, ...rest, x: d.own.x, y: d.own.y });
  return JSON.stringify({ type: d.type, points: d.points, noise: d.noise, ...rest });
}

// The engine surface that sets a lab up (the Embind Lab).
export interface LabSetup {
  setData(json: string): void;
  setBatchSize(batch: number): void;
  setSampler(sampler: Sampler): void;
  addRun(model: string, optimizer: string): number;
  reset(seed: number): void;
}

// Sets `lab` up for `c` — data, batch size, sampler, one run per RunConfig — and resets it to c.training.seed, as the
// page does (the page's worker does it step by step, to name the control an error belongs to).
export function setUpLab<L extends LabSetup>(lab: L, c: LabConfig): L {
  lab.setData(dataJson(c));
  lab.setBatchSize(c.training.batchSize);
  lab.setSampler(c.training.sampler);
  for (const run of c.runs) lab.addRun(modelJson(c, run), optimizerJson(c));
  lab.reset(c.training.seed);
  return lab;
}
