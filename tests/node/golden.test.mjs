// PyTorch's golden traces replayed through the wasm module's JS API (the C++ suite replays them natively).
// Tolerances: loss 1e-4 relative; parameters and buffers 1e-4 absolute + 1e-3 relative.
import test from 'node:test';
import assert from 'node:assert/strict';
import { caseFiles, lessonModel, loadNormlab, readJson, tracesDir } from './normlab.mjs';

const M = await loadNormlab();

function assertClose(what, got, want, atol, rtol) {
  assert.equal(got.length, want.length, `${what}: length`);
  let bad = 0, worst = -1, wi = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (err > 0) bad++;
    if (err > worst) { worst = err; wi = i; }
  }
  assert.equal(bad, 0, `${what}: ${bad} of ${want.length} off; worst [${wi}] got ${got[wi]} want ${want[wi]}`);
}

const files = await caseFiles();

test('golden traces are present', () => {
  assert.ok(files.length >= 10, `found ${files.length} case files`);
});

for (const file of files) {
  test(`replays ${file.split('/').pop()}`, async () => {
    const t = await readJson(file);
    const model = new M.Model(JSON.stringify(t.model), t.init_seed);
    assert.deepEqual(model.parameterNames(), t.initial_state.map(([name]) => name));
    for (const [name, values] of t.initial_state) {
      assert.deepEqual(Array.from(model.getParameter(name)), Array.from(Float32Array.from(values)), `initial ${name}`);
    }
    const opt = new M.Optimizer(model, JSON.stringify(t.optimizer));
    model.manualSeed(t.train_seed);
    const input = t.model.input;
    t.batches.forEach((idx, s) => {
      const x = new Float32Array(idx.length * input);
      idx.forEach((r, k) => x.set(t.x.slice(r * input, (r + 1) * input), k * input));
      const y = Int32Array.from(idx, (r) => t.y[r]);
      const loss = model.trainStep(x, y, opt);
      assertClose(`step ${s} loss`, [loss], [t.losses[s]], 0, 1e-4);
    });
    for (const [name, values] of t.final_state) {
      if (t.noisy.includes(name)) continue;
      assertClose(`final ${name}`, model.getParameter(name), values, 1e-4, 1e-3);
    }
    // Eval mode on PyTorch's own final state.
    for (const [name, values] of t.final_state) model.setParameter(name, values);
    model.setTraining(false);
    assertClose('eval logits', model.forward(Float32Array.from(t.x)), t.eval_logits, 1e-4, 1e-3);
    opt.delete();
    model.delete();
  });
}

test('the lesson experiment replays: sklearn data, DataLoader order, both models', async () => {
  const t = await readJson(new URL('lesson_seed0.json', tracesDir));
  const lab = new M.Lab();
  lab.setInitMode('sequential');
  lab.setData(JSON.stringify({ type: 'moons', points: 2000, noise: 0.2, seed: 0, test_fraction: 0 }));
  lab.setBatchSize(t.batch_size);
  lab.addRun(JSON.stringify(t.model_a), JSON.stringify(t.optimizer));
  lab.addRun(JSON.stringify(t.model_b), JSON.stringify(t.optimizer));
  assert.deepEqual(JSON.parse(lab.modelSpec(1)).layers.map((l) => l.type), lessonModel('batchnorm').layers.map((l) => l.type));
  lab.reset(t.seed);
  let step = 0;
  for (let e = 0; e < t.epochs; e++) {
    const order = [];
    do {
      lab.step(1);
      order.push(...lab.lastBatch());
      assertClose(`a step ${step}`, [lab.runState(0).loss], [t.losses_a[step]], 0, 1e-4);
      // The BN model's zero-gradient biases carry rounding noise that Adam amplifies (see golden_test.cpp).
      assertClose(`b step ${step}`, [lab.runState(1).loss], [t.losses_b[step]], 0, step < 64 ? 1e-4 : 2e-3);
      step++;
    } while (!lab.epochEnded());
    assert.deepEqual(order, t.perms[e], `epoch ${e} batch order`);
    assertClose(`epoch ${e} mean loss a`, [lab.epochSummary().meanLoss[0]], [t.epoch_loss_a[e]], 0, 1e-4);
  }
  lab.delete();
});

test('the lesson LayerNorm example: per-row statistics before and after', async () => {
  const t = await readJson(new URL('layernorm_lesson.json', tracesDir));
  // LayerNorm(10) followed by a linear layer set to the identity exposes the normalized values.
  const model = new M.Model(JSON.stringify({ input: 10, layers: [{ type: 'layernorm' }, { type: 'linear', out: 10, bias: false }] }));
  model.setParameter('1.weight', Float32Array.from({ length: 100 }, (_, i) => (i % 11 === 0 ? 1 : 0)));
  model.setTraining(false);
  const y = model.forward(Float32Array.from(t.x));
  assertClose('LayerNorm(10)(x)', y, t.y, 1e-5, 1e-5);
  for (let r = 0; r < 4; r++) {
    const row = Array.from(y.slice(r * 10, r * 10 + 10));
    const mean = row.reduce((a, b) => a + b) / 10;
    const unbiased = row.reduce((a, b) => a + (b - mean) ** 2, 0) / 9;
    assertClose(`row ${r} mean`, [mean], [t.mean_after[r]], 1e-5, 0);
    assertClose(`row ${r} var (unbiased)`, [unbiased], [t.var_after[r]], 1e-4, 0);
    assert.equal(unbiased.toFixed(4), '1.1111');
  }
  model.delete();
});
