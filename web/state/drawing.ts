// Drawing your own points: what a click on a decision boundary does to the points. The boundaries show the
// data as the engine trains on it (every input x · scale + shift); the points are stored before that, on the
// link's grid, so a click is mapped back and snapped.
import { withOwnPoints, type LabConfig, type OwnPoints } from './config.js';
import { snapToLinkGrid } from './ownpoints.js';

export const SEED_POINTS = 200; // choosing "Your own points" starts from at most this many of the points shown

export interface Transform { scale: number; shift: number }

const raw = (v: number, t: Transform) => snapToLinkGrid((v - t.shift) / t.scale);

// Points to start drawing from: every k-th of `shown` (interleaved x, as the engine gives them), mapped back.
export function seedPoints(shown: { x: ArrayLike<number>; y: ArrayLike<number> }, t: Transform, max = SEED_POINTS): OwnPoints {
  const n = shown.y.length, every = Math.max(1, Math.ceil(n / max));
  const own: OwnPoints = { x: [], y: [] };
  for (let i = 0; i < n; i += every) {
    own.x.push(raw(shown.x[2 * i], t), raw(shown.x[2 * i + 1], t));
    own.y.push(shown.y[i]);
  }
  return own;
}

// A point of class `label` where the boundary shows (x, y).
export function addPoint(own: OwnPoints, x: number, y: number, label: number, t: Transform): OwnPoints {
  return { x: [...own.x, raw(x, t), raw(y, t)], y: [...own.y, label] };
}

// Without the point nearest to where the boundary shows (x, y); unchanged when there is none.
export function removeNearest(own: OwnPoints, x: number, y: number, t: Transform): OwnPoints {
  let best = -1, bestD = Infinity;
  for (let i = 0; i < own.y.length; i++) {
    const dx = own.x[2 * i] * t.scale + t.shift - x, dy = own.x[2 * i + 1] * t.scale + t.shift - y;
    const d = dx * dx + dy * dy;
    if (d < bestD) best = i, bestD = d;
  }
  if (best < 0) return own;
  return { x: own.x.filter((_, k) => k >> 1 !== best), y: own.y.filter((_, k) => k !== best) };
}

// The points as the boundaries show them (x · scale + shift), for drawing before the engine has them.
export function shownPoints(own: OwnPoints, t: Transform): { x: Float32Array; y: Int32Array } {
  return { x: Float32Array.from(own.x, (v) => v * t.scale + t.shift), y: Int32Array.from(own.y) };
}

// The draft after an edit: your own points, when chosen, start from (a sample of) the points shown if there are
// none yet (Clear empties them), and the Points field counts them.
export function ownPointsDraft(draft: LabConfig, wasCustom: boolean, shown: { x: ArrayLike<number>; y: ArrayLike<number> } | null): LabConfig {
  if (draft.data.type !== 'custom') return draft;
  if (!wasCustom && !draft.data.own.y.length && shown) draft.data.own = seedPoints(shown, draft.data);
  return withOwnPoints(draft);
}
