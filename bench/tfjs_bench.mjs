// TensorFlow.js (wasm backend, node) on normlab's benchmark workloads: node bench/tfjs_bench.mjs <spec.json>
// prints one line of JSON on stdout (spec format: see run.mjs; everything else goes to stderr).
// Same MLPs, data, batch sizes and optimizer as bench/torch_bench.py and bench/normlab_bench.mjs.
// Two idiomatic TF.js ways of training are tried on the first BatchNorm workload: tf.layers
// (Sequential + model.trainOnBatch) and raw tfjs-core ops (variables + optimizer.minimize). The faster
// one is used for every workload and recorded as "api" (set "api": "layers"|"raw"|"raw-t" in the spec to skip
// the trial; "raw-t" is the non-idiomatic explicit-transpose variant described at linT below).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

// Load both packages through require so they share one CommonJS copy of @tensorflow/tfjs-core.
const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs');
const tfwasm = require('@tensorflow/tfjs-backend-wasm');
const log = (...a) => console.error('[tfjs]', ...a);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const EPS = 1e-5;

// The .wasm binaries sit next to the package's node entry point (dist/); a plain directory path
// with a trailing separator works in node (emscripten reads it with fs).
const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
tfwasm.setWasmPaths(wasmDir);
if (!(await tf.setBackend('wasm'))) throw new Error('could not initialise the TF.js wasm backend');
await tf.ready();
if (tf.getBackend() !== 'wasm') throw new Error(`backend is ${tf.getBackend()}, not wasm`);
const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')); // always false in node
const binary = simd ? (threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm') : 'tfjs-backend-wasm.wasm';
log(`tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}, binary ${join(wasmDir, binary)} (simd ${simd}, threads ${threads})`);

// Small seeded PRNG (mulberry32) for the batch order, so every run sees the same batches.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const adam = () => tf.train.adam(0.01, 0.9, 0.999, 1e-8); // PyTorch's defaults (TF.js's eps is 1e-7)

// tf.layers: Dense → [norm] → ReLU, twice, then Dense(2) giving logits. Without a norm the ReLU is fused
// into Dense. Keras momentum is the weight of the old moving value: 0.9 here = PyTorch's momentum 0.1.
function layersModel(norm, width) {
  const m = tf.sequential();
  for (let l = 0; l < 2; l++) {
    m.add(tf.layers.dense({ units: width, activation: norm === 'none' ? 'relu' : 'linear', ...(l === 0 ? { inputShape: [2] } : {}) }));
    if (norm === 'none') continue;
    m.add(norm === 'batchnorm' ? tf.layers.batchNormalization({ momentum: 0.9, epsilon: EPS }) : tf.layers.layerNormalization({ epsilon: EPS }));
    m.add(tf.layers.reLU());
  }
  m.add(tf.layers.dense({ units: 2 }));
  m.compile({ optimizer: adam(), loss: (yt, yp) => tf.losses.softmaxCrossEntropy(yt, yp) });
  return {
    // trainOnBatch already awaits loss.data() at the end of each step, so every step is complete.
    async train(batches) {
      let loss;
      for (const [xb, yb] of batches) loss = await m.trainOnBatch(xb, yb);
      return loss;
    },
    predict: (x) => tf.tidy(() => tf.softmax(m.predict(x, { batchSize: x.shape[0] }))), // one batch, moving stats
    dispose: () => { m.optimizer.dispose(); m.dispose(); },
  };
}

// Opt-in only (spec "api": "raw-t"), not idiomatic: a linear layer whose gradient transposes explicitly.
// The wasm backend sends matMul with transposeA/transposeB (used by matMul's own gradient) to a slow
// non-XNNPACK kernel (tfjs PR #2532), up to 10x slower than transpose + plain matMul at width 256.
const linT = tf.customGrad((a, w, b, save) => {
  save([a, w]);
  return { value: tf.fused.matMul({ a, b: w, bias: b }), gradFunc: (dy, [a, w]) => [tf.matMul(dy, tf.transpose(w)), tf.matMul(tf.transpose(a), dy), tf.sum(dy, 0)] };
});

// Raw tfjs-core: variables, fused matMul+bias(+ReLU), tf.moments, optimizer.minimize.
function rawModel(norm, width, explicitT = false) {
  const mm = (a, L, relu) => (explicitT ? (relu ? tf.relu(linT(a, L.w, L.b)) : linT(a, L.w, L.b))
    : tf.fused.matMul({ a, b: L.w, bias: L.b, activation: relu ? 'relu' : 'linear' }));
  const vars = [];
  // Variables are made inside tidy so their initial-value tensors are freed (the variable keeps the data).
  const v = (init, trainable = true) => { const x = tf.tidy(() => tf.variable(init(), trainable)); if (trainable) vars.push(x); return x; };
  // PyTorch's Linear init: weights and biases uniform in ±1/sqrt(fan_in).
  let seed = 0; // seeded, so every run starts from the same weights
  const rnd = (shape, k) => tf.randomUniform(shape, -k, k, 'float32', ++seed);
  const linear = (i, o) => { const k = 1 / Math.sqrt(i); return { w: v(() => rnd([i, o], k)), b: v(() => rnd([o], k)) }; };
  const stats = []; // BatchNorm running mean/variance: not trained, updated in the forward pass
  const s = (t) => { const x = v(t, false); stats.push(x); return x; };
  const hidden = [linear(2, width), linear(width, width)].map((lin) => (norm === 'none' ? lin : {
    ...lin, gamma: v(() => tf.ones([width])), beta: v(() => tf.zeros([width])), runMean: s(() => tf.zeros([width])), runVar: s(() => tf.ones([width])),
  }));
  const out = linear(width, 2);
  const forward = (x, training) => {
    let h = x;
    for (const L of hidden) {
      if (norm === 'none') { h = mm(h, L, true); continue; }
      h = mm(h, L, false);
      if (norm === 'batchnorm' && training) {
        const { mean, variance } = tf.moments(h, 0);
        // PyTorch running stats: momentum 0.1, unbiased batch variance (not on the gradient's path).
        const n = h.shape[0];
        L.runMean.assign(tf.add(tf.mul(L.runMean, 0.9), tf.mul(mean, 0.1)));
        L.runVar.assign(tf.add(tf.mul(L.runVar, 0.9), tf.mul(variance, 0.1 * n / (n - 1))));
        // Written out rather than tf.batchNorm: its gradient is a long chain of kernels (1.4 vs 0.8 ms here).
        h = tf.add(tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, EPS))), L.gamma), L.beta);
      } else if (norm === 'batchnorm') {
        h = tf.batchNorm(h, L.runMean, L.runVar, L.beta, L.gamma, EPS);
      } else {
        const { mean, variance } = tf.moments(h, -1, true);
        h = tf.add(tf.mul(tf.mul(tf.sub(h, mean), tf.rsqrt(tf.add(variance, EPS))), L.gamma), L.beta);
      }
      h = tf.relu(h);
    }
    return mm(h, out, false);
  };
  const opt = adam();
  return {
    async train(batches) {
      let loss = null;
      for (const [xb, yb] of batches) {
        loss?.dispose();
        loss = tf.tidy(() => opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, forward(xb, true)), true, vars));
      }
      const value = (await loss.data())[0]; // waits for any queued work (the wasm backend runs eagerly anyway)
      loss.dispose();
      return value;
    },
    predict: (x) => tf.tidy(() => tf.softmax(forward(x, false))),
    dispose: () => { opt.dispose(); for (const t of [...vars, ...stats]) t.dispose(); },
  };
}
const makers = { layers: layersModel, raw: (n, w) => rawModel(n, w), 'raw-t': (n, w) => rawModel(n, w, true) };

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const X = Float32Array.from(spec.data.x), Y = Int32Array.from(spec.data.y), N = Y.length;

// All warmup + steps batches are built as tensors before timing (inputs and one-hot labels), as in
// torch_bench.py: the timed loop does no JS indexing or uploads. Every timed run replays the same batches.
function makeBatches(batch, count, seed) {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const xb = new Float32Array(batch * 2), yb = new Float32Array(batch * 2);
    for (let r = 0; r < batch; r++) {
      const i = Math.floor(rand() * N);
      xb[2 * r] = X[2 * i]; xb[2 * r + 1] = X[2 * i + 1]; yb[2 * r + Y[i]] = 1;
    }
    return [tf.tensor2d(xb, [batch, 2]), tf.tensor2d(yb, [batch, 2])];
  });
}

async function trainWorkload(api, w) {
  const model = makers[api](w.norm, w.width);
  const batches = makeBatches(w.batch, spec.warmup + w.steps, 1);
  const warm = batches.slice(0, spec.warmup), timed = batches.slice(spec.warmup);
  const first = await model.train(warm.slice(0, 1));
  await model.train(warm.slice(1));
  const tensorsBefore = tf.memory().numTensors;
  const samples = [];
  let last; // loss of the last step of the last timed run
  for (let r = 0; r < spec.repeats; r++) {
    const t0 = performance.now();
    last = await model.train(timed);
    samples.push(((performance.now() - t0) * 1000) / timed.length);
  }
  const leak = tf.memory().numTensors - tensorsBefore;
  log(`${api} ${w.name}: ${median(samples).toFixed(1)} us/step, loss ${first.toFixed(4)} -> ${last.toFixed(4)}${leak ? `, ${leak} tensors leaked` : ''}`);
  model.dispose();
  for (const [xb, yb] of batches) { xb.dispose(); yb.dispose(); }
  return { name: w.name, us_per_step: median(samples), samples };
}

// Choose the API: time both on the first BatchNorm workload and keep the faster.
let api = spec.api, apiTrial;
const bn = spec.workloads.find((w) => w.norm === 'batchnorm');
const done = new Map();
if (!api && bn) {
  const l = await trainWorkload('layers', bn), r = await trainWorkload('raw', bn);
  api = l.us_per_step <= r.us_per_step ? 'layers' : 'raw';
  apiTrial = { workload: bn.name, layers_us: l.us_per_step, raw_us: r.us_per_step };
  done.set(bn.name, api === 'layers' ? l : r);
  log(`api: ${api} (layers ${l.us_per_step.toFixed(1)} us, raw ${r.us_per_step.toFixed(1)} us)`);
}
api ??= 'raw';
const results = [];
for (const w of spec.workloads) results.push(done.get(w.name) ?? (await trainWorkload(api, w)));

// The decision-boundary grid: h·w points (x from x0 to x1, y from y1 down to y0, row 0 at the top) in
// one batch through an untrained model in inference mode, softmax, dataSync.
const g = spec.grid, pts = new Float32Array(g.w * g.h * 2);
for (let j = 0; j < g.h; j++) {
  for (let i = 0; i < g.w; i++) {
    const k = 2 * (j * g.w + i);
    pts[k] = g.x0 + ((g.x1 - g.x0) * i) / (g.w - 1);
    pts[k + 1] = g.y1 + ((g.y0 - g.y1) * j) / (g.h - 1);
  }
}
const grid = tf.tensor2d(pts, [g.w * g.h, 2]), gridModel = makers[api](g.norm, g.width);
const evalGrid = () => { const p = gridModel.predict(grid); const out = p.dataSync(); p.dispose(); return out; };
evalGrid(); // warm-up run
const gridSamples = Array.from({ length: spec.repeats }, () => { const t0 = performance.now(); evalGrid(); return performance.now() - t0; });
results.push({ name: 'grid', ms: median(gridSamples), samples: gridSamples });
gridModel.dispose();
grid.dispose();
log(`grid: ${median(gridSamples).toFixed(2)} ms; tensors left after disposing everything: ${tf.memory().numTensors}`);

console.log(JSON.stringify({ impl: 'tfjs-wasm', version: tf.version.tfjs, simd, api, api_trial: apiTrial, results }));
