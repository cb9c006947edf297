// Predict, then see: a preset played as a question ("which run ends with the lowest training loss?"). The
// answer is never written by hand: it is derived from the preset's claims — the ones tests/node/presets.test.mjs
// checks by training with seeds 0, 1 and 2 — so it is right whenever the caption is. A preset whose claims do not
// single out one run for any question has no question.
import type { Claim, Preset } from './presets.js';

export type QuestionKind = 'trainLoss' | 'testLoss' | 'testAccuracy';

export interface Question {
  kind: QuestionKind;
  worst: boolean; // "which run ends worst" rather than best
  answer: number; // the run (index in the preset's runs) the claims single out
}

// The questions in the order they are asked: the first one the claims answer is the preset's.
export const QUESTIONS: { kind: QuestionKind; worst: boolean }[] = [
  { kind: 'trainLoss', worst: false }, { kind: 'testLoss', worst: false }, { kind: 'testAccuracy', worst: false },
  { kind: 'trainLoss', worst: true }, { kind: 'testLoss', worst: true }, { kind: 'testAccuracy', worst: true },
];

// "a is better than b" (lower loss, higher accuracy) for one quantity, as the claims imply it.
function better(claims: Claim[], kind: QuestionKind, runs: number): boolean[][] {
  const b = Array.from({ length: runs }, () => new Array<boolean>(runs).fill(false));
  // Bounds each claim puts on a run: [upper, lower] for a loss (lower is better), [lower, upper] for accuracy.
  const good = new Array<number>(runs).fill(NaN), bad = new Array<number>(runs).fill(NaN);
  const stops = new Set<number>();
  for (const c of claims) {
    if (kind === 'trainLoss') {
      if (c.kind === 'lossLess') b[c.run][c.than] = true;
      if (c.kind === 'lossBelow') good[c.run] = Math.min(c.value, Number.isNaN(good[c.run]) ? Infinity : good[c.run]);
      if (c.kind === 'lossAbove') bad[c.run] = Math.max(c.value, Number.isNaN(bad[c.run]) ? -Infinity : bad[c.run]);
      if (c.kind === 'stops') stops.add(c.run); // a stopped run's loss counts as infinite
    } else if (kind === 'testLoss') {
      if (c.kind === 'testLossLess') b[c.run][c.than] = true;
      if (c.kind === 'testLossBelow') good[c.run] = Math.min(c.value, Number.isNaN(good[c.run]) ? Infinity : good[c.run]);
      if (c.kind === 'testLossAbove') bad[c.run] = Math.max(c.value, Number.isNaN(bad[c.run]) ? -Infinity : bad[c.run]);
    } else {
      if (c.kind === 'testAccuracyAbove') good[c.run] = Math.max(c.value, Number.isNaN(good[c.run]) ? -Infinity : good[c.run]);
      if (c.kind === 'testAccuracyBelow') bad[c.run] = Math.min(c.value, Number.isNaN(bad[c.run]) ? Infinity : bad[c.run]);
    }
  }
  for (let a = 0; a < runs; a++) {
    for (let o = 0; o < runs; o++) {
      if (a === o) continue;
      if (kind === 'testAccuracy' ? good[a] >= bad[o] : good[a] <= bad[o]) b[a][o] = true;
      if (kind === 'trainLoss' && stops.has(o) && !stops.has(a) && !Number.isNaN(good[a])) b[a][o] = true;
    }
  }
  // Transitively: a better than o better than p.
  for (let k = 0; k < runs; k++) for (let a = 0; a < runs; a++) for (let o = 0; o < runs; o++) if (b[a][k] && b[k][o]) b[a][o] = true;
  return b;
}

// The run the claims put ahead of (worst: behind) every other on `kind`, or null.
export function answerOf(preset: Preset, kind: QuestionKind, worst = false): number | null {
  const runs = preset.config.runs.length;
  if (runs < 2) return null;
  const b = better(preset.claims, kind, runs);
  for (let a = 0; a < runs; a++) {
    let all = true;
    for (let o = 0; o < runs; o++) if (o !== a && !(worst ? b[o][a] : b[a][o])) all = false;
    if (all) return a;
  }
  return null;
}

export function questionFor(preset: Preset): Question | null {
  for (const { kind, worst } of QUESTIONS) {
    const answer = answerOf(preset, kind, worst);
    if (answer !== null) return { kind, worst, answer };
  }
  return null;
}

// The run that measured best (worst: worst) on `kind` among finite values (a stopped run's loss is Infinity: the
// worst loss), for the reveal; -1 if none.
export function measuredAnswer(q: { kind: QuestionKind; worst: boolean }, values: number[]): number {
  const higherIsBetter = q.kind === 'testAccuracy';
  const key = (v: number) => (Number.isNaN(v) ? NaN : (higherIsBetter ? v : -v) * (q.worst ? -1 : 1));
  let best = -1;
  values.forEach((v, r) => { if (!Number.isNaN(key(v)) && (best < 0 || key(v) > key(values[best]))) best = r; });
  return best;
}
