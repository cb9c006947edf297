// The Batch-mates lesson's numbers (web/engine/batchmates.ts), against the engine called directly: the batches that
// hold the point in each sampled epoch, its train-mode probability in each (its own batch's statistics), eval mode,
// and the training set's accuracy in both modes (the sorted-batches preset's claims use the same function).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { BATCHMATES_EPOCHS, batchesWith, batchmates, trainEvalAccuracy } = await import('../../build-unit/engine/batchmates.js');
const { defaultConfig, setUpLab } = await import('../../build-unit/state/config.js');
const M = await loadNormlab();

function lab(sampler, { points = 300, batch = 32, dropout = 0 } = {}) {
  const c = defaultConfig();
  c.data = { ...c.data, points, testFraction: 0.2, seed: 4 };
  c.model = { ...c.model, width: 16 };
  c.runs = [{ name: 'BN', norm: 'batchnorm', placement: 'before', groups: 8, dropout },
    { name: 'LN', norm: 'layernorm', placement: 'before', groups: 8, dropout: 0 }];
  c.training = { ...c.training, batchSize: batch, sampler, seed: 3 };
  const l = setUpLab(new M.Lab(), c);
  l.step(40);
  return l;
}
const p1 = (logits, k) => 1 / (1 + Math.exp(logits[2 * k] - logits[2 * k + 1]));
const rows = (l, order) => Float32Array.from(Array.from(order).flatMap((i) => [l.trainData().x[2 * i], l.trainData().x[2 * i + 1]]));

for (const sampler of ['shuffle', 'balanced', 'sorted', 'duplicates']) {
  test(`"${sampler}": the point's batches, its train-mode probability in each, eval mode`, () => {
    const l = lab(sampler, { dropout: 0.2 });
    const n = l.trainData().rows, y = l.trainData().y;
    const orders = l.sampleEpochs(BATCHMATES_EPOCHS, 3);
    for (const point of [0, 17, n - 1]) {
      const f = batchmates(l, { point }, orders, 2);
      const batches = batchesWith(orders, n, 32, point);
      assert.equal(f.batches, batches.length);
      if (sampler !== 'duplicates') assert.equal(f.batches, BATCHMATES_EPOCHS, 'one batch an epoch');
      batches.forEach((b, k) => {
        assert.ok(b.includes(point) && b.length > 1);
        for (const r of [0, 1]) assert.equal(f.runs[r].values[k], p1(l.trainModeLogits(r, rows(l, b)), b.indexOf(point)));
        const mates = b.filter((_, j) => j !== b.indexOf(point));
        assert.equal(f.mates[k], mates.reduce((a, i) => a + y[i], 0) / mates.length);
      });
      for (const r of [0, 1]) assert.equal(f.runs[r].evalValue, p1(l.logits(r, rows(l, [point])), 0));
      const spread = (v) => Math.max(...v) - Math.min(...v);
      assert.ok(spread(f.runs[0].values) > 1e-3, `BatchNorm's prediction moves with the batch: ${spread(f.runs[0].values)}`);
      assert.equal(spread(f.runs[1].values), 0, 'LayerNorm\'s does not');
      const share = f.mates.reduce((a, v) => a + v, 0) / f.mates.length;
      if (sampler === 'sorted') assert.ok(Math.abs(share - y[point]) < 0.1, `sorted: the mates are of the point's class (${share})`);
      if (sampler === 'balanced') assert.ok(Math.abs(share - 0.5) < 0.05, `balanced: half and half (${share})`);
    }
    l.delete();
  });
}

test('trainEvalAccuracy: one epoch of the sampler in train mode, batch by batch, against eval mode', () => {
  const l = lab('sorted');
  const order = l.sampleEpochs(1, 3), y = l.trainData().y;
  for (const r of [0, 1]) {
    const got = trainEvalAccuracy(l, r, order);
    const logits = l.trainModeLogits(r, rows(l, order), 32);
    const hits = Array.from(order).filter((i, k) => Number(logits[2 * k + 1] > logits[2 * k]) === y[i]).length;
    assert.equal(got.trainMode, hits / order.length);
    assert.equal(got.evalMode, l.evaluate(r, false, false).accuracy);
    assert.equal(got.gap, Math.abs(got.trainMode - got.evalMode));
  }
  assert.equal(trainEvalAccuracy(l, 1, order).gap, 0, 'LayerNorm: the two modes agree');
  // kept accuracies are shown again, not measured
  const kept = [{ trainMode: 0.25, evalMode: 0.5, gap: 0.25 }, { trainMode: 1, evalMode: 1, gap: 0 }];
  assert.deepEqual(batchmates(l, { point: 3 }, l.sampleEpochs(4, 1), 2, kept).runs.map((r) => r.accuracy), kept);
  l.delete();
});

test('a stopped run has no values; a point out of range is clamped', () => {
  const l = lab('shuffle', { points: 101, batch: 16 }); // 81 training rows: every epoch ends in a batch of one
  assert.ok(l.runState(0).stopped, 'BatchNorm stopped on the batch of one');
  const f = batchmates(l, { point: 1000 }, l.sampleEpochs(3, 1), 2);
  assert.equal(f.point, 80);
  assert.deepEqual(f.runs[0], { stopped: true, values: [], evalValue: NaN, accuracy: { trainMode: NaN, evalMode: NaN, gap: NaN } });
  assert.equal(f.runs[1].values.length, f.batches);
  l.delete();
});
