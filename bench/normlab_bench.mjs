// normlab's wasm module in node on the benchmark workloads (spec: see run.mjs). Each workload trains a Lab
// (the page's trainer) on the moons data; a step is one lockstep batch for one run, as in the page.
import { readFile } from 'node:fs/promises';
import createNormlab from '../build-wasm/normlab.mjs';

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

export function mlp(norm, width) {
  const n = norm === 'none' ? [] : [{ type: norm }];
  return { input: 2, layers: [{ type: 'linear', out: width }, ...n, { type: 'relu' }, { type: 'linear', out: width }, ...n, { type: 'relu' }, { type: 'linear', out: 2 }] };
}

export async function loadModule() {
  return createNormlab({ wasmBinary: await readFile(new URL('../build-wasm/normlab.wasm', import.meta.url)) });
}

function makeLab(M, data, norm, width, batch) {
  const lab = new M.Lab();
  lab.setData(JSON.stringify(data));
  lab.setBatchSize(batch);
  lab.addRun(JSON.stringify(mlp(norm, width)), JSON.stringify({ type: 'adam', lr: 0.01 }));
  lab.reset(0);
  return lab;
}

function steps(lab, n) {
  let done = 0;
  while (done < n) done += lab.step(n - done);
}

// Long training: each of spec.long.norms trained on the lesson's data for spec.long.epochs epochs, and the
// step time of its first epoch set against that of its last, in one run. Subnormal floats once made the
// late steps twice as slow (README, "Numerics"). One lab is trained to the last epoch untimed; then another,
// reset, takes the steps of its first epoch while that one takes the steps of its next, alternating step by
// step so that the machine's load changes both alike: `repeats` epochs each, the median step of each side.
// "Epoch E" is thus epochs E … E + repeats − 1 (the state barely changes by then).
export async function runLongTraining(spec) {
  const M = await loadModule();
  const { epochs, repeats, norms } = spec.long;
  const results = [];
  for (const norm of norms) {
    const early = makeLab(M, spec.dataSpec, norm, 64, 64), late = makeLab(M, spec.dataSpec, norm, 64, 64);
    steps(early, 320);  // V8's optimizing tier (see runNormlab)
    while (late.epoch() < epochs - 1) late.step(late.stepsPerEpoch());
    const first = [], last = [];
    for (let r = 0; r < repeats; r++) {
      early.reset(0);
      for (let k = late.stepsPerEpoch(); k > 0; k--) {
        const t0 = performance.now();
        early.step(1);
        const t1 = performance.now();
        late.step(1);
        first.push((t1 - t0) * 1000);
        last.push((performance.now() - t1) * 1000);
      }
    }
    const f = median(first), l = median(last);
    results.push({ name: `long-${norm}`, epochs, first_us: f, last_us: l, ratio: l / f, steps: first.length });
    early.delete();
    late.delete();
  }
  return results;
}

export async function runNormlab(spec) {
  const M = await loadModule();
  // V8 first compiles wasm with its baseline compiler and tiers hot functions up to the optimizing one in
  // the background: train every shape once, untimed, so all measurements see optimized code.
  for (const w of spec.workloads) {
    const lab = makeLab(M, spec.dataSpec, w.norm, w.width, w.batch);
    steps(lab, Math.max(spec.warmup, Math.round(20000 / w.batch / Math.max(1, w.width / 64))));
    lab.delete();
  }
  const results = [];
  for (const w of spec.workloads) {
    const lab = makeLab(M, spec.dataSpec, w.norm, w.width, w.batch);
    steps(lab, spec.warmup);
    const samples = [];
    for (let r = 0; r < spec.repeats; r++) {
      const t0 = performance.now();
      steps(lab, w.steps);
      samples.push(((performance.now() - t0) * 1000) / w.steps);
    }
    results.push({ name: w.name, us_per_step: median(samples), samples });
    lab.delete();
  }
  const g = spec.grid;
  const lab = makeLab(M, spec.dataSpec, g.norm, g.width, 64);
  steps(lab, 50);
  lab.grid(0, g.w, g.h, g.x0, g.x1, g.y0, g.y1, false);
  const samples = [];
  for (let r = 0; r < spec.repeats; r++) {
    const t0 = performance.now();
    lab.grid(0, g.w, g.h, g.x0, g.x1, g.y0, g.y1, false);
    samples.push(performance.now() - t0);
  }
  results.push({ name: 'grid', ms: median(samples), samples });
  lab.delete();

  // Memory: bytes in use after 10^5 steps and 1,000 resets (each reset rebuilds the runs).
  const mem = makeLab(M, spec.dataSpec, 'batchnorm', 64, 64);
  steps(mem, 100);
  const before = M.heapUsed();
  steps(mem, 100000);
  for (let i = 0; i < 1000; i++) mem.reset(i);
  steps(mem, 100);
  results.push({ name: 'heap', before_bytes: before, after_bytes: M.heapUsed(), wasm_memory_bytes: M.heapSize() });
  mem.delete();
  return { impl: 'normlab-wasm', results };
}
