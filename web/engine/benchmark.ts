// The Performance panel's measurement: the lesson's experiment from start to end on a lab of its own — the
// default configuration (moons 2,000 / 0.2, No norm and BatchNorm, Adam 0.01, batch 64, 50 epochs) with every
// point in the training set (2 runs × 50 × 32 steps) — then one 200 × 200 boundary.
import type { NormlabModule } from './normlab';
import type { BenchmarkResult } from './protocol';
import { type LabConfig, defaultConfig, setUpLab } from '../state/config';
import { findPreset } from '../state/presets';
import { simulatePlay, type PlayLab } from './pacing';
import { BENCH_WATCH, inside, type InsideLab } from './inside';

// Playing, as the worker plays, against training alone: the lesson and the costliest preset to draw.
export const PLAY_PRESETS = ['lesson', 'deep-sigmoid'];
export const PLAY_STEPS = 400;

export function benchmarkConfig(): LabConfig {
  const c = defaultConfig();
  c.data.testFraction = 0;
  return c;
}

export function benchmark(M: NormlabModule): BenchmarkResult {
  const c = benchmarkConfig();
  const bench = new M.Lab();
  try {
    setUpLab(bench, c);
    const t0 = performance.now();
    while (bench.epoch() < c.training.epochs) bench.step(1000);
    const seconds = (performance.now() - t0) / 1000;
    const steps = bench.stepCount();
    const g0 = performance.now();
    bench.grid(1, 200, 200, -2, 3, -1.5, 2, false);
    const gridMs = performance.now() - g0;
    const play = PLAY_PRESETS.map((preset) => ({ preset, inside: false, ...simulatePlay(() => new M.Lab() as unknown as PlayLab, findPreset(preset)!.config, PLAY_STEPS) }));
    // The lesson again with Inside the network in sight (its BatchNorm run's units, histograms, traced point and
    // hidden space drawn too).
    const seeInside = (lab: PlayLab) => inside(lab as unknown as InsideLab, BENCH_WATCH, [-2, 3, -1.5, 2], false);
    play.push({ preset: 'lesson', inside: true, ...simulatePlay(() => new M.Lab() as unknown as PlayLab, findPreset('lesson')!.config, PLAY_STEPS, undefined, seeInside) });
    return { experimentSeconds: seconds, stepsPerSecond: steps / seconds, usPerRunStep: (seconds * 1e6) / (steps * c.runs.length), gridMs, play };
  } finally {
    bench.delete();
  }
}
