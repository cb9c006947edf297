// Checking a configuration before it runs, and saying which control each problem belongs to.
// pageErrors checks the page's own limits (limits.ts, those narrower than the engine's); buildLab then asks
// the engine, step by step, and routes each Error by the field it names (Error.field, core/util/status.h):
// "layers[1].groups" from addRun belongs to that run's Groups control, "points" from setData to Points.
import { dataJson, modelJson, optimizerJson, MAX_RESIDUAL_BLOCKS, MAX_RUNS, type LabConfig, type LabSetup } from './config.js';
import { OWN_LIMITS, RUN_LIMITS, SETTINGS, inRange, rangeError } from './limits.js';
import type { ConfigError, ErrorTarget } from '../engine/protocol';

// The engine call an error came from: setData (data), setBatchSize / setSampler / reset (training), addRun (run).
export type Scope = 'data' | 'run' | 'training';

const DATA_FIELDS: Record<string, ErrorTarget> = {
  points: { kind: 'data', field: 'points' }, noise: { kind: 'data', field: 'noise' },
  test_fraction: { kind: 'data', field: 'testFraction' }, seed: { kind: 'data', field: 'seed' },
  scale: { kind: 'data', field: 'scale' }, shift: { kind: 'data', field: 'shift' },
};
const TRAINING_FIELDS: Record<string, ErrorTarget> = {
  batch_size: { kind: 'training', field: 'batchSize' }, seed: { kind: 'training', field: 'seed' },
  sampler: { kind: 'training', field: 'sampler' },
};
// An addRun error: the optimizer's fields, then a layer's field by its last name ("layers[3].groups").
const OPTIMIZER_FIELDS: Record<string, ErrorTarget> = {
  lr: { kind: 'training', field: 'lr' }, weight_decay: { kind: 'training', field: 'weightDecay' },
  momentum: { kind: 'training', field: 'weightDecay' },
};
const LAYER_FIELDS: Record<string, (run: number) => ErrorTarget> = {
  groups: (index) => ({ kind: 'run', index, field: 'groups' }),
  p: (index) => ({ kind: 'run', index, field: 'dropout' }),
  out: () => ({ kind: 'model', field: 'width' }),
};

// The control that shows an engine error about `field` (a path such as "layers[1].groups", or "").
export function errorTarget(scope: Scope, field: string, run = 0): ErrorTarget {
  if (scope === 'data' && /^[xy](\[\d+\])?$/.test(field)) return { kind: 'data', field: 'points' }; // points of your own
  if (scope === 'data') return DATA_FIELDS[field] ?? { kind: 'data', field: 'type' };
  if (scope === 'training') return TRAINING_FIELDS[field] ?? { kind: 'page' };
  if (OPTIMIZER_FIELDS[field]) return OPTIMIZER_FIELDS[field];
  if (field === 'layers') return { kind: 'model', field: 'hiddenLayers' }; // the stack itself: too many layers
  if (field === 'init_scale') return { kind: 'model', field: 'initScale' };
  const layerField = /^layers(?:\[\d+\]\.layers)*\[\d+\]\.(\w+)$/.exec(field)?.[1];
  return (layerField && LAYER_FIELDS[layerField]?.(run)) || { kind: 'run', index: run, field: 'norm' };
}

const fieldOf = (e: unknown) => {
  const field = e instanceof Error ? (e as Error & { field?: unknown }).field : undefined;
  return typeof field === 'string' ? field : '';
};
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

// The page's own limits: those narrower than the engine's, and what the engine cannot know (names, the
// number of residual blocks the page builds).
export function pageErrors(c: LabConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const l of SETTINGS) {
    const [group, key] = l.path;
    const v = (c[group] as unknown as Record<string, number>)[key];
    const target = { kind: group, field: key } as ErrorTarget;
    // An empty box is NaN, which JSON would turn into null and the engine into its default: say so instead.
    if (!Number.isFinite(v)) errors.push({ target, message: `${l.name}: must be a number, got ${v}` });
    else if (l.check === 'page' && !inRange(v, l)) errors.push({ target, message: rangeError(l.name, v, l) });
  }
  const own = c.data.own.y.length;
  if (c.data.type === 'custom' && own < OWN_LIMITS.points.min) errors.push({ target: { kind: 'data', field: 'points' }, message: `points: add at least ${OWN_LIMITS.points.min} points (has ${own})` });
  if (c.data.type === 'custom' && own > OWN_LIMITS.points.max) errors.push({ target: { kind: 'data', field: 'points' }, message: `points: at most ${OWN_LIMITS.points.max} points of your own (has ${own})` });
  if (c.model.architecture === 'residual' && c.model.hiddenLayers > MAX_RESIDUAL_BLOCKS) errors.push({ target: { kind: 'model', field: 'hiddenLayers' }, message: `hidden layers: a residual model has at most ${MAX_RESIDUAL_BLOCKS} blocks (2 linear layers each), got ${c.model.hiddenLayers}` });
  if (c.runs.length < 1 || c.runs.length > MAX_RUNS) errors.push({ target: { kind: 'page' }, message: `runs: between 1 and ${MAX_RUNS}` });
  c.runs.forEach((r, i) => {
    if (!r.name.trim()) errors.push({ target: { kind: 'run', index: i, field: 'name' }, message: 'name: must not be empty' });
    if (!inRange(r.dropout, RUN_LIMITS.dropout)) errors.push({ target: { kind: 'run', index: i, field: 'dropout' }, message: rangeError('dropout', r.dropout, RUN_LIMITS.dropout) });
  });
  return errors;
}

// Sets up a new lab for `c` (as config.ts's setUpLab, one engine call at a time). On any error the new lab is
// deleted, nothing else changes, and the errors say which control they belong to.
export function buildLab<L extends LabSetup & { delete(): void }>(make: () => L, c: LabConfig): { lab: L | null; errors: ConfigError[] } {
  const errors = pageErrors(c);
  if (errors.length) return { lab: null, errors };
  const lab = make();
  const step = (scope: Scope, run: number, call: () => void): ConfigError | null => {
    try {
      call();
      return null;
    } catch (e) {
      return { target: errorTarget(scope, fieldOf(e), run), message: messageOf(e) };
    }
  };
  const failed = step('data', 0, () => lab.setData(dataJson(c)))
    ?? step('training', 0, () => lab.setBatchSize(c.training.batchSize))
    ?? step('training', 0, () => lab.setSampler(c.training.sampler))
    ?? c.runs.reduce<ConfigError | null>((err, run, i) => err ?? step('run', i, () => lab.addRun(modelJson(c, run), optimizerJson(c))), null)
    ?? step('training', 0, () => lab.reset(c.training.seed));
  if (!failed) return { lab, errors: [] };
  lab.delete();
  return { lab: null, errors: [failed] };
}
