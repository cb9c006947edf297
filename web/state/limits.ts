// The page's limits, in one table: every number a control, a link or a model file can set, its range, its
// input step and where it lives in the configuration. The controls' min/max/step (page/settings.ts,
// views/runs.ts), the link's validation (urlstate.ts) and the page's own checks (checks.ts) are
// all read from here. The engine has its own, wider or equal, limits (M.limits(), core/limits_table.h):
// `engine` names the one each limit lies inside, and tests/node/limits.test.mjs checks that it does.
// Who checks a value a control sets (`check`):
//   'engine'  the engine, whose limit is exactly this one; its error names the field (state/checks.ts routes it)
//   'page'    the page, before the engine sees it: the page's range is narrower (or the engine cannot know it)
//   'link'    the engine checks what it knows (a learning rate > 0); this range only bounds what a link may set
import type { LabConfig } from './config.js';

export interface Limit {
  min: number;
  max: number;
  integer: boolean;
  minOpen?: boolean; // min itself is not allowed (a learning rate of 0)
  step: string;      // the control's step
  engine?: string;   // the engine limit (M.limits() key) this one lies inside
  check: 'engine' | 'page' | 'link';
}

export interface SettingLimit extends Limit {
  key: string;                                    // the link's key: #…&points=2000
  path: [Exclude<keyof LabConfig, 'runs'>, string]; // where it lives in LabConfig
  name: string;                                   // its name in messages
}

const SEED = 4294967295; // torch.manual_seed and random_state take 32-bit seeds here

export const SETTINGS: SettingLimit[] = [
  { key: 'points', path: ['data', 'points'], name: 'points', min: 4, max: 100000, integer: true, step: '1', engine: 'points', check: 'engine' },
  { key: 'noise', path: ['data', 'noise'], name: 'noise', min: 0, max: 10, integer: false, step: '0.05', engine: 'noise', check: 'engine' },
  { key: 'test', path: ['data', 'testFraction'], name: 'test_fraction', min: 0, max: 0.9, integer: false, step: '0.05', engine: 'test_fraction', check: 'engine' },
  { key: 'dseed', path: ['data', 'seed'], name: 'seed', min: 0, max: SEED, integer: true, step: '1', engine: 'seed', check: 'engine' },
  { key: 'scale', path: ['data', 'scale'], name: 'scale', min: -1000, max: 1000, integer: false, step: 'any', engine: 'scale', check: 'engine' },
  { key: 'shift', path: ['data', 'shift'], name: 'shift', min: -1000, max: 1000, integer: false, step: 'any', engine: 'shift', check: 'engine' },
  { key: 'layers', path: ['model', 'hiddenLayers'], name: 'hidden layers', min: 1, max: 10, integer: true, step: '1', engine: 'linear_layers', check: 'page' },
  { key: 'width', path: ['model', 'width'], name: 'width', min: 2, max: 256, integer: true, step: '1', engine: 'width', check: 'page' },
  { key: 'init', path: ['model', 'initScale'], name: 'init_scale', min: 0.1, max: 10, integer: false, step: 'any', engine: 'init_scale', check: 'engine' },
  { key: 'lr', path: ['training', 'lr'], name: 'lr', min: 0, max: 1e6, integer: false, minOpen: true, step: 'any', check: 'link' },
  { key: 'batch', path: ['training', 'batchSize'], name: 'batch_size', min: 1, max: 4096, integer: true, step: '1', engine: 'batch_size', check: 'engine' },
  { key: 'epochs', path: ['training', 'epochs'], name: 'epochs', min: 1, max: 10000, integer: true, step: '1', check: 'page' },
  { key: 'wd', path: ['training', 'weightDecay'], name: 'weight_decay', min: 0, max: 1000, integer: false, step: 'any', check: 'link' },
  { key: 'seed', path: ['training', 'seed'], name: 'seed', min: 0, max: SEED, integer: true, step: '1', engine: 'seed', check: 'engine' },
];

// Each run's own numbers (the link's run=name~norm~placement~groups~dropout).
export const RUN_LIMITS = {
  groups: { min: 1, max: 256, integer: true, step: '1', engine: 'width', check: 'link' } as Limit,
  dropout: { min: 0, max: 0.9, integer: false, step: '0.05', check: 'page' } as Limit,
};
export const MAX_NAME = 40; // characters in a run's name

// Points of your own (data type custom), however they come (drawn, a CSV, a link, a model file): how many a
// dataset may have (the page says "add at least 4 points" itself), and each coordinate.
export const OWN_LIMITS = {
  points: { min: 4, max: 20000, integer: true, step: '1', engine: 'own_points', check: 'page' } as Limit,
  coordinate: { min: -1000, max: 1000, integer: false, step: 'any', engine: 'coordinate', check: 'engine' } as Limit,
};

export function inRange(v: number, l: Limit): boolean {
  return Number.isFinite(v) && (l.minOpen ? v > l.min : v >= l.min) && v <= l.max && (!l.integer || Number.isInteger(v));
}

// "[1, 10]" or "(0, 1000000]".
export function rangeText(l: Limit): string {
  return `${l.minOpen ? '(' : '['}${l.min}, ${l.max}]`;
}

// The message for a value outside `l`, in the engine's wording ("width: must be an integer in [2, 256], got 300").
export function rangeError(name: string, v: unknown, l: Limit): string {
  return l.minOpen
    ? `${name}: must be in ${rangeText(l)}, got ${v}`
    : `${name}: must be ${l.integer ? 'an integer' : 'a number'} in ${rangeText(l)}, got ${v}`;
}
