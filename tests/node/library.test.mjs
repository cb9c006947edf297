// normlab as a library: `import { createLab } from 'normlab'` (the package's exports), and the example that
// trains the lesson's two models headlessly.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createLab, loadNormlab } from 'normlab';

test('createLab trains runs in lockstep and learns', async () => {
  const M = await loadNormlab();
  assert.equal(typeof M.Lab, 'function');
  const lab = await createLab({
    data: { type: 'moons', points: 400, noise: 0.1, seed: 3, test_fraction: 0.25 },
    runs: [
      { name: 'LN', model: { input: 2, layers: [{ type: 'linear', out: 16 }, { type: 'layernorm' }, { type: 'tanh' }, { type: 'linear', out: 2 }] } },
      { name: 'GN', model: '{"input": 2, "layers": [{"type": "linear", "out": 16}, {"type": "groupnorm", "groups": 4}, {"type": "gelu"}, {"type": "linear", "out": 2}]}', optimizer: { type: 'sgd', lr: 0.5, momentum: 0.9 } },
    ],
    batchSize: 32,
    seed: 1,
  });
  assert.deepEqual(lab.names, ['LN', 'GN']);
  const first = lab.trainEpoch();
  let last = first;
  for (let e = 0; e < 30; e++) last = lab.trainEpoch();
  assert.equal(last.epoch, 31);
  for (let r = 0; r < 2; r++) {
    assert.ok(last.meanLoss[r] < first.meanLoss[r] / 2, `${lab.names[r]}: ${first.meanLoss[r]} -> ${last.meanLoss[r]}`);
    assert.ok(lab.evaluate(r).accuracy > 0.9);
  }
  assert.deepEqual(Object.keys(lab.stateDict(0)), ['0.weight', '0.bias', '1.weight', '1.bias', '3.weight', '3.bias']);
  assert.equal(lab.logits(1, new Float32Array([0, 0, 1, 1])).length, 4);
  const layers = lab.layerOutputs(1, [0, 0, 1, 1]);
  assert.deepEqual(layers.map((l) => l.type), ['linear', 'groupnorm', 'gelu', 'linear']);
  assert.deepEqual(Array.from(layers[3].values), Array.from(lab.logits(1, [0, 0, 1, 1])));
  assert.equal(layers[1].groups, 4);
  lab.delete();
});

test('createLab draws batches with the sampler asked for; trainModeLogits and sampleEpochs', async () => {
  const lab = await createLab({
    data: { type: 'moons', points: 200, seed: 1 }, sampler: 'sorted', batchSize: 20, seed: 2,
    runs: [{ model: { input: 2, layers: [{ type: 'linear', out: 8 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'linear', out: 2 }] } }],
  });
  assert.equal(lab.raw.sampler(), 'sorted');
  const order = lab.sampleEpochs(2, 5);
  assert.equal(order.length, 400);
  const y = lab.raw.trainData().y;
  for (const e of [0, 1]) assert.deepEqual(Array.from(order.slice(200 * e, 200 * e + 200), (i) => y[i]), Array.from(y).sort(), 'each epoch sorted by class');
  const x = lab.raw.trainData().x.slice(0, 40);
  assert.deepEqual(lab.trainModeLogits(0, x, { batch: 10 }), lab.raw.trainModeLogits(0, x, 10));
  assert.notDeepEqual(lab.trainModeLogits(0, x), lab.trainModeLogits(0, x, { batch: 10 }));
  lab.delete();
  await assert.rejects(createLab({ sampler: 'stratified' }), /^Error: sampler: unknown sampler "stratified"/);
});

test('createLab rejects a bad spec with the engine\'s message and leaks nothing', async () => {
  const M = await loadNormlab();
  const bad = { runs: [{ model: { input: 2, layers: [{ type: 'linear', out: 64 }, { type: 'groupnorm', groups: 5 }, { type: 'linear', out: 2 }] } }] };
  await assert.rejects(createLab(bad), /layers\[1\]\.groups: 64 features cannot be split into 5 groups/);
  const before = M.heapUsed(); // (the first error sized the reusable message buffer)
  for (let i = 0; i < 20; i++) await assert.rejects(createLab(bad));
  assert.equal(M.heapUsed(), before);
});

test('examples/train-moons.mjs prints per-epoch losses for both models', () => {
  const out = execFileSync(process.execPath, [new URL('../../examples/train-moons.mjs', import.meta.url).pathname, '--epochs', '3'], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 5);
  assert.match(lines[0], /^epoch  1  No norm 0\.\d{4}  BatchNorm 0\.\d{4}$/);
  assert.match(lines[4], /^BatchNorm: test accuracy \d+\.\d%$/);
});
