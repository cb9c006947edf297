// BatchNorm vs LayerNorm against batch size (web/lessons/sweep.ts, the lessons' sweep) with the lesson's settings,
// 5 epochs per batch size, seeds 0–2: what the section says must be what the engine measures.
//   - batch size 1: BatchNorm stops with PyTorch's error; LayerNorm trains.
//   - BatchNorm's final loss depends strongly on the batch size; LayerNorm's hardly.
//   - with batches of 2, BatchNorm's train-mode and eval-mode accuracies disagree; LayerNorm's agree.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { defaultConfig } = await import('../../build-unit/state/config.js');
const { sweepPoint, SWEEP_BATCHES } = await import('../../build-unit/lessons/sweep.js');
const M = await loadNormlab();

for (const seed of [0, 1, 2]) {
  test(`batch-size sweep, seed ${seed}`, () => {
    const c = defaultConfig();
    c.data.seed = seed;
    c.training.seed = seed;
    const heapBefore = M.heapUsed();
    const points = SWEEP_BATCHES.map((b) => sweepPoint(() => new M.Lab(), c, b, 5));
    assert.equal(M.heapUsed(), heapBefore, 'every Lab the sweep made was deleted');
    const at = (b) => points.find((p) => p.batch === b);
    const [bn1, ln1] = at(1).runs;
    assert.match(bn1.error, /^batchnorm: expected more than 1 value per channel when training, got input size \[1, 64\]/);
    assert.ok(Number.isNaN(bn1.finalLoss));
    assert.equal(ln1.error, '');
    assert.ok(ln1.finalLoss < 0.2, `LayerNorm trains at batch size 1 (${ln1.finalLoss})`);
    const losses = (r) => points.filter((p) => p.batch >= 2).map((p) => p.runs[r].finalLoss);
    const range = (v) => Math.max(...v) - Math.min(...v);
    assert.ok(range(losses(0)) > 0.3, `BatchNorm's final loss depends on the batch size (range ${range(losses(0))})`);
    assert.ok(range([...losses(1), ln1.finalLoss]) < 0.06, `LayerNorm's hardly does (range ${range([...losses(1), ln1.finalLoss])})`);
    assert.ok(at(2).runs[0].finalLoss > at(64).runs[0].finalLoss + 0.2, 'BatchNorm at batch 2 ends far above batch 64');
    const [bn2, ln2] = at(2).runs;
    assert.ok(Math.abs(bn2.gap) > 0.04, `BatchNorm's train and eval modes disagree at batch 2 (gap ${bn2.gap})`);
    assert.ok(Math.abs(bn2.gap) > 3 * Math.abs(ln2.gap), `... much more than LayerNorm's (${bn2.gap} vs ${ln2.gap})`);
  });
}
