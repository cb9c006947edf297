// normlab as a library: `import { createLab, loadNormlab } from 'normlab'` in node or a bundler.
// A small typed wrapper (lib/index.d.ts) over the Embind module built by `npm run build`.
import createNormlab from '../build-wasm/normlab.mjs';

let modulePromise = null;

// The wasm module, started once. In node it reads the .wasm file next to the glue (node's fetch cannot load
// file URLs); in browsers and bundlers the glue fetches it itself.
export function loadNormlab() {
  if (!modulePromise) {
    const isNode = typeof process === 'object' && process.versions?.node && typeof window === 'undefined';
    modulePromise = isNode
      ? import('node:fs/promises').then(({ readFile }) => readFile(new URL('../build-wasm/normlab.wasm', import.meta.url)))
        .then((wasmBinary) => createNormlab({ wasmBinary }))
      : createNormlab();
  }
  return modulePromise;
}

const json = (v) => (typeof v === 'string' ? v : JSON.stringify(v));

// A lab: runs trained side by side on the same data and batches (see core/lab.h). Options:
//   data       {type, points, noise, seed, test_fraction}   (default: the lesson's moons)
//              or {type: 'points', x: [x0, y0, …], y: [0, 1, …], seed, test_fraction}: your own points
//   runs       [{name?, model, optimizer}]                  model/optimizer: objects or JSON strings
//   batchSize  64;  seed 0;  init 'shared' | 'sequential'
//   sampler    'shuffle' (DataLoader(shuffle=True)) | 'balanced' | 'sorted' | 'duplicates': how batches are drawn
export async function createLab(options = {}) {
  const M = await loadNormlab();
  const lab = new M.Lab();
  try {
    if (options.data) lab.setData(json(options.data));
    if (options.init) lab.setInitMode(options.init);
    if (options.batchSize) lab.setBatchSize(options.batchSize);
    if (options.sampler) lab.setSampler(options.sampler);
    const names = [];
    for (const [i, run] of (options.runs ?? []).entries()) {
      lab.addRun(json(run.model), json(run.optimizer ?? { type: 'adam', lr: 0.01 }));
      names.push(run.name ?? `run ${i + 1}`);
    }
    lab.reset(options.seed ?? 0);
    return new Lab(lab, names);
  } catch (e) {
    lab.delete();
    throw e;
  }
}

class Lab {
  constructor(lab, names) {
    this.raw = lab;  // the Embind object, for everything the wrapper does not cover
    this.names = names;
  }
  get step() { return this.raw.stepCount(); }
  get epoch() { return this.raw.epoch(); }
  // One batch for every run; returns each run's loss (NaN once a run has stopped).
  trainStep() {
    this.raw.step(1);
    return this.names.map((_, r) => this.raw.runState(r).loss);
  }
  // Trains to the end of the current epoch; returns {epoch, meanLoss[], trainAccuracy[]}.
  trainEpoch() {
    do this.raw.step(1 << 30); while (!this.raw.epochEnded());
    return this.raw.epochSummary();
  }
  runState(r) { return this.raw.runState(r); }
  evaluate(r, { test = true, trainBatch = false } = {}) { return this.raw.evaluate(r, test, trainBatch); }
  logits(r, x) { return this.raw.logits(r, x); }
  layerOutputs(r, x, { trainBatch = false } = {}) { return this.raw.layerOutputs(r, x, trainBatch); }
  // Rows of x as training batches of `batch` rows (0: one batch), each in training mode on its own; side-effect free.
  trainModeLogits(r, x, { batch = 0 } = {}) { return this.raw.trainModeLogits(r, x, batch); }
  // `count` epochs' row orders as the lab's sampler draws them after torch.manual_seed(seed).
  sampleEpochs(count, seed = 0) { return this.raw.sampleEpochs(count, seed); }
  grid(r, { w = 200, h = 200, x0 = -2, x1 = 3, y0 = -1.5, y1 = 2, trainBatch = false } = {}) {
    return this.raw.grid(r, w, h, x0, x1, y0, y1, trainBatch);
  }
  stateDict(r) {
    return Object.fromEntries(this.raw.parameterNames(r).map((name) => [name, this.raw.getParameter(r, name)]));
  }
  reset(seed = 0) { this.raw.reset(seed); }
  delete() { this.raw.delete(); }
}
