// Does BatchNorm smooth the loss landscape here, as Santurkar et al. (2018, Fig. 4) found for VGG on CIFAR-10?
// Measured with lab.smoothness (core/landscape.h) on the lab's own models (the page's default data: 2000 moons,
// 20 % held out, batches of 64; the data seed and the training seed are the seed), averaged over the first
// training steps, for seeds 0, 1, 2 — the way tests/node/presets.test.mjs checks a caption. A preset may claim
// what this file asserts, and nothing else:
//
// - On the deep presets where BatchNorm is what trains (8 × 64 sigmoid, SGD 0.1; 8 × 64 tanh, SGD 0.05), the
//   paper's picture is REVERSED: the plain network sits on a plateau (vanishing gradients, loss ≈ ln 2), where
//   the landscape is flat, so its loss band and gradient change are far SMALLER than BatchNorm's.
// - In the paper's own regime — SGD at a learning rate the plain network survives but jumps at (1 here), ReLU,
//   3 or 4 hidden layers — BatchNorm's band (lossMax − lossMin) and gradient change (gradDiffMax) are smaller,
//   by 2 to 6 times over the first 100 steps, for every seed. (Measured beyond this file: the same at SGD 0.5
//   and for 6 layers; over only 50 steps the gradient change is not always smaller; at SGD 2 a plain ReLU
//   network can die, flat again. The effective β-smoothness is within a factor of 2 either way: not a claim.)
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab } from './normlab.mjs';

const M = await loadNormlab();
const SEEDS = [0, 1, 2];

// The page's mlp (web/state/config.ts modelJson): hidden × (linear → [batchnorm] → activation) → linear(2).
function model(hidden, activation, norm) {
  const layers = [];
  for (let i = 0; i < hidden; i++) layers.push({ type: 'linear', out: 64 }, ...(norm ? [{ type: 'batchnorm' }] : []), { type: activation });
  return JSON.stringify({ input: 2, layers: [...layers, { type: 'linear', out: 2 }] });
}

// Means over the measurements after every `every`-th of the first `steps` steps: [plain, batchnorm].
function measure({ hidden, activation, lr }, steps, every, seed) {
  const lab = new M.Lab();
  try {
    lab.setData(JSON.stringify({ type: 'moons', points: 2000, noise: 0.2, seed, test_fraction: 0.2 }));
    lab.setBatchSize(64);
    for (const norm of [null, 'batchnorm']) lab.addRun(model(hidden, activation, norm), JSON.stringify({ type: 'sgd', lr }));
    lab.reset(seed);
    const sums = [0, 1].map(() => ({ band: 0, gradDiffMax: 0, beta: 0, n: 0 }));
    for (let s = 1; s <= steps; s++) {
      lab.step(1);
      if (s % every) continue;
      for (const r of [0, 1]) {
        assert.equal(lab.runState(r).stopped, false, `run ${r} stopped: ${lab.runState(r).error}`);
        const m = lab.smoothness(r);
        const sum = sums[r];
        sum.band += m.lossMax - m.lossMin, sum.gradDiffMax += m.gradDiffMax, sum.beta += m.betaSmoothness, sum.n++;
      }
    }
    return sums.map(({ n, ...sum }) => Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, v / n])));
  } finally {
    lab.delete();
  }
}

const show = ([plain, bn]) => ['band', 'gradDiffMax', 'beta'].map((k) => `${k} ${plain[k].toExponential(2)} vs ${bn[k].toExponential(2)}`).join(', ');

for (const [name, setting] of [['deep-sigmoid (8 × 64 sigmoid, SGD 0.1)', { hidden: 8, activation: 'sigmoid', lr: 0.1 }],
  ['deep-tanh (8 × 64 tanh, SGD 0.05)', { hidden: 8, activation: 'tanh', lr: 0.05 }]]) {
  test(`${name}: the plain network's landscape is the flatter one (a plateau), over the first 100 steps`, (t) => {
    for (const seed of SEEDS) {
      const means = measure(setting, 100, 5, seed);
      t.diagnostic(`seed ${seed}, plain vs BatchNorm: ${show(means)}`);
      const [plain, bn] = means;
      assert.ok(plain.band < bn.band / 10, `seed ${seed}: ${show(means)}`);
      assert.ok(plain.gradDiffMax < bn.gradDiffMax / 10, `seed ${seed}: ${show(means)}`);
    }
  });
}

for (const hidden of [3, 4]) {
  test(`${hidden} × 64 ReLU at SGD 1: BatchNorm's loss band and gradient change are smaller over the first 100 steps`, (t) => {
    for (const seed of SEEDS) {
      const means = measure({ hidden, activation: 'relu', lr: 1 }, 100, 2, seed);
      t.diagnostic(`seed ${seed}, plain vs BatchNorm: ${show(means)}`);
      const [plain, bn] = means;
      assert.ok(plain.band > 1.5 * bn.band, `seed ${seed}: ${show(means)}`);
      assert.ok(plain.gradDiffMax > 1.5 * bn.gradDiffMax, `seed ${seed}: ${show(means)}`);
    }
  });
}
