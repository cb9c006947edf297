// Same seed, same result: the native build (build/normlab_trace) and the wasm module must produce
// bit-identical losses, parameters, boundary probabilities and layer outputs for the same lab.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadNormlab } from './normlab.mjs';

const M = await loadNormlab();
const tracer = new URL('../../build/normlab_trace', import.meta.url).pathname;

const configs = [
  {
    name: 'every layer, activation and optimizer',
    data: { type: 'moons', points: 300, noise: 0.2, seed: 3, test_fraction: 0.2 },
    batch: 32, seed: 7, steps: 120, init: 'shared', grid: [40, 30, -2, 3, -1.5, 2],
    runs: [
      { model: { input: 2, layers: [{ type: 'linear', out: 16 }, { type: 'batchnorm' }, { type: 'gelu' }, { type: 'dropout', p: 0.2 }, { type: 'linear', out: 2 }] },
        optimizer: { type: 'adam', lr: 0.01, weight_decay: 0.001 } },
      { model: { input: 2, layers: [{ type: 'linear', out: 16 }, { type: 'layernorm' }, { type: 'tanh' },
        { type: 'residual', layers: [{ type: 'rmsnorm' }, { type: 'linear', out: 16 }, { type: 'sigmoid' }] },
        { type: 'groupnorm', groups: 4 }, { type: 'leaky_relu' }, { type: 'linear', out: 2 }] },
        optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true } },
      { model: { input: 2, layers: [{ type: 'linear', out: 12 }, { type: 'relu' }, { type: 'linear', out: 2 }] },
        optimizer: { type: 'adamw', lr: 0.02 } },
    ],
  },
  {
    name: 'the lesson experiment, sequential init, spiral data',
    data: { type: 'spiral', points: 500, noise: 0.1, seed: 11, test_fraction: 0 },
    batch: 64, seed: 0, steps: 80, init: 'sequential', grid: [25, 25, -1.5, 1.5, -1.5, 1.5],
    runs: ['', 'batchnorm'].map((norm) => ({
      model: { input: 2, layers: [{ type: 'linear', out: 64 }, ...(norm ? [{ type: norm }] : []), { type: 'relu' },
        { type: 'linear', out: 64 }, ...(norm ? [{ type: norm }] : []), { type: 'relu' }, { type: 'linear', out: 2 }] },
      optimizer: { type: 'adam', lr: 0.01 },
    })),
  },
  {
    name: 'points of your own (shuffled by the data seed, scaled and shifted), BatchNorm and LayerNorm',
    data: ownPoints(150, { seed: 5, test_fraction: 0.2, scale: 2, shift: -1 }),
    batch: 16, seed: 2, steps: 60, init: 'shared', grid: [20, 20, -4, 4, -4, 4],
    runs: ['batchnorm', 'layernorm'].map((norm) => ({
      model: { input: 2, layers: [{ type: 'linear', out: 16 }, { type: norm }, { type: 'relu' }, { type: 'linear', out: 2 }] },
      optimizer: { type: 'adam', lr: 0.01 },
    })),
  },
];

// n points of your own: a ring of class 1 around a blob of class 0, coordinates with many digits.
function ownPoints(n, fields) {
  const x = [], y = [];
  for (let i = 0; i < n; i++) {
    const r = i % 2 ? 1.5 + 0.1 * Math.sin(i) : 0.4 * Math.abs(Math.cos(i * 7));
    x.push(r * Math.cos(i * 2.399), r * Math.sin(i * 2.399));
    y.push(i % 2);
  }
  return { type: 'points', x, y, ...fields };
}

function wasmTrace(cfg) {
  const lab = new M.Lab();
  lab.setData(JSON.stringify(cfg.data));
  lab.setBatchSize(cfg.batch);
  lab.setInitMode(cfg.init);
  for (const r of cfg.runs) lab.addRun(JSON.stringify(r.model), JSON.stringify(r.optimizer));
  lab.reset(cfg.seed);
  const losses = [];
  for (let s = 0; s < cfg.steps; s++) {
    lab.step(1);
    losses.push(cfg.runs.map((_, r) => lab.runState(r).loss));
  }
  const params = cfg.runs.map((_, r) => lab.parameterNames(r)
    .filter((name) => !name.includes('running_'))
    .flatMap((name) => Array.from(lab.getParameter(r, name))));
  const [w, h, x0, x1, y0, y1] = cfg.grid;
  const grid = cfg.runs.map((_, r) => Array.from(lab.grid(r, w, h, x0, x1, y0, y1, false)));
  const train = lab.trainData(), test = lab.testData();
  const first = train.x.slice(0, Math.min(train.rows, 50) * 2);  // every layer's output for the first rows
  const layers = cfg.runs.map((_, r) => [false, true].flatMap((trainBatch) => lab.layerOutputs(r, first, trainBatch)
    .flatMap((l) => [l.values, l.mean ?? [], l.var ?? []].flatMap((v) => Array.from(v)))));
  const data = [...train.x, ...test.x], labels = [...train.y, ...test.y];
  lab.delete();
  return { losses, params, grid, layers, data, labels };
}

for (const cfg of configs) {
  test(`native and wasm are bit-identical: ${cfg.name}`, () => {
    assert.ok(existsSync(tracer), `${tracer} is built by the native build (npm test builds it first)`);
    const native = JSON.parse(execFileSync(tracer, [JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const wasm = wasmTrace(cfg);
    assert.deepEqual(wasm.losses, native.losses, 'losses');
    assert.deepEqual(wasm.params, native.params.map((p) => Array.from(Float32Array.from(p))), 'parameters');
    assert.deepEqual(wasm.grid, native.grid.map((p) => Array.from(Float32Array.from(p))), 'boundary probabilities');
    assert.deepEqual(wasm.layers, native.layers.map((p) => Array.from(Float32Array.from(p))), 'every layer\'s output and statistics');
    assert.deepEqual(wasm.data, Array.from(Float32Array.from(native.data)), 'the rows');
    assert.deepEqual(wasm.labels, native.labels, 'the labels');
    // And the trace is a real one: training moved the loss.
    const first = native.losses[0][0], last = native.losses.at(-1)[0];
    assert.ok(Number.isFinite(first) && last < first, `loss ${first} -> ${last}`);
  });
}

test('same seed twice in wasm gives the same trace; another seed does not', () => {
  const a = wasmTrace(configs[0]);
  const b = wasmTrace(configs[0]);
  assert.deepEqual(a, b);
  const c = wasmTrace({ ...configs[0], seed: 8 });
  assert.notDeepEqual(a.losses, c.losses);
});
