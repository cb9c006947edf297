// Full-speed play against pure training (issue #12): the worker's own loop (web/engine/pacing.ts) replayed in
// node on the lesson and the deep-sigmoid preset. Goals: play takes at most 1.5× the training time, and the
// worker spends at least 75 % of its time training (the rest draws boundaries, ≥ 5 a second).
import { execFileSync } from 'node:child_process';

export async function playRatios(M, { steps = 400, repeats = 3 } = {}) {
  execFileSync('npx', ['tsc', '-p', new URL('../tests/unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
  const { simulatePlay } = await import('../build-unit/engine/pacing.js');
  const { findPreset } = await import('../build-unit/state/presets.js');
  const { inside, BENCH_WATCH } = await import('../build-unit/engine/inside.js');
  const { LANDSCAPE_EVERY, landscapePoint } = await import('../build-unit/engine/theory.js');
  // The lesson once more with Inside the network in sight: its BatchNorm run's units, histograms, a traced point
  // and hidden space drawn too.
  const seeInside = (lab) => inside(lab, BENCH_WATCH, [-2, 3, -1.5, 2], false);
  // With Loss landscape open: the landscape measured every LANDSCAPE_EVERY steps, as the worker does.
  const landscape = (lab) => { if (lab.stepCount() % LANDSCAPE_EVERY === 0) landscapePoint(lab); };
  return [['lesson'], ['deep-sigmoid'], ['lesson', seeInside], ['landscape'], ['landscape', undefined, landscape], ['deep-sigmoid', undefined, landscape]]
    .map(([preset, alsoDraw, afterStep]) => {
      const runs = Array.from({ length: repeats }, () => simulatePlay(() => new M.Lab(), findPreset(preset).config, steps, undefined, alsoDraw, afterStep));
      const median = runs.sort((a, b) => a.ratio - b.ratio)[Math.floor(repeats / 2)];
      return { preset: alsoDraw ? `${preset} + Inside the network` : afterStep ? `${preset} + Loss landscape` : preset, ...median };
    });
}

export function playRows(results) {
  return results.map((r) => `| play ${r.preset}, ${r.steps} steps (play ÷ training) | ${r.ratio.toFixed(2)}× · training ${(100 * r.share).toFixed(0)} % of the time · live grid ${r.liveGrid}² | | | | | ≤ 1.5× ${r.ratio <= 1.5 ? '✓' : '✗'}; ≥ 75 % ${r.share >= 0.75 ? '✓' : '✗'} |`);
}
