// Batch composition (issue #15, core/sampler.h) through the wasm module: lab.setSampler / sampler, the golden
// traces of PyTorch's samplers (tests/golden/make_sampler_golden.py: the row order epoch after epoch, losses, final
// weights, lab.sampleEpochs, lab.trainModeLogits), bit-identity with the native build, side-effect freedom, errors
// and a flat heap.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lessonModel, loadNormlab, readJson, tracesDir } from './normlab.mjs';

const M = await loadNormlab();
const golden = await readJson(new URL('samplers.json', tracesDir));
const SAMPLERS = ['shuffle', 'balanced', 'sorted', 'duplicates'];
const refused = (fn, field, text) => assert.throws(fn, (e) => e.field === field && e.message.startsWith(`${field}: `) &&
  e.message.includes(text), `expected ${field}: …${text}…`);

function assertClose(what, got, want, atol = 1e-4, rtol = 1e-3) {
  assert.equal(got.length, want.length, `${what}: length`);
  let bad = 0, worst = 0, at = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (err > 0) bad++;
    if (err > worst) worst = err, at = i;
  }
  assert.equal(bad, 0, `${what}: ${bad} of ${want.length} off; worst [${at}] got ${got[at]} want ${want[at]}`);
}

function labOf(c, sampler = c.sampler) {
  const lab = new M.Lab();
  lab.setData(JSON.stringify(c.data));
  lab.setBatchSize(c.batch_size);
  for (const r of c.runs) lab.addRun(JSON.stringify(r.model), JSON.stringify(r.optimizer));
  lab.setSampler(sampler);
  lab.reset(c.seed);
  return lab;
}

// The training rows in `order`, as x.
function rowsOf(lab, order) {
  const x = lab.trainData().x, out = new Float32Array(2 * order.length);
  order.forEach((i, k) => { out[2 * k] = x[2 * i]; out[2 * k + 1] = x[2 * i + 1]; });
  return out;
}

test('setSampler: the four names, the default, and a clear error for anything else', () => {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ type: 'moons', points: 200 }));
  lab.addRun(JSON.stringify(lessonModel('batchnorm')), JSON.stringify({ type: 'adam', lr: 0.01 }));
  lab.reset(3);
  assert.equal(lab.sampler(), 'shuffle');
  lab.step(4);
  refused(() => lab.setSampler('random'), 'sampler', 'unknown sampler "random" (expected shuffle, balanced, sorted or duplicates)');
  refused(() => lab.setSampler(2), 'sampler', 'expected one of "shuffle", "balanced", "sorted", "duplicates"');
  refused(() => lab.setSampler(undefined), 'sampler', 'expected one of');
  assert.equal(lab.sampler(), 'shuffle', 'an error changes nothing');
  assert.equal(lab.stepCount(), 4, 'an error does not restart the runs');
  for (const s of SAMPLERS) {
    lab.setSampler(s);
    assert.equal(lab.sampler(), s);
    assert.equal(lab.stepCount(), 0, 'a new sampler restarts the runs');
    assert.equal(lab.seed(), 3);
  }
  lab.delete();
});

test('the default is today\'s DataLoader(shuffle=True): setSampler("shuffle") changes no number', () => {
  const run = (set) => {
    const lab = new M.Lab();
    lab.setData(JSON.stringify({ type: 'moons', points: 300, seed: 2, test_fraction: 0.2 }));
    lab.addRun(JSON.stringify(lessonModel('batchnorm')), JSON.stringify({ type: 'adam', lr: 0.01 }));
    if (set) lab.setSampler('shuffle');
    lab.reset(9);
    const losses = [];
    for (let s = 0; s < 30; s++) lab.step(1), losses.push(lab.runState(0).loss, ...lab.lastBatch());
    lab.delete();
    return losses;
  };
  assert.deepEqual(run(true), run(false));
});

for (const c of golden.cases) {
  test(`golden: the "${c.sampler}" sampler replays PyTorch's (orders, losses, weights, sampleEpochs, trainModeLogits)`, () => {
    const lab = labOf(c);
    const served = [];
    for (let step = 0; step < c.steps; step++) {
      lab.step(1);
      served.push(...lab.lastBatch());
      c.runs.forEach((_, r) => {
        const s = lab.runState(r);
        assert.ok(!s.stopped, s.error);
        assertClose(`step ${step} run ${r} loss`, [s.loss], [c.losses[step][r]], 0, 1e-4);
      });
    }
    assert.deepEqual(served, c.orders.flat(), 'the rows in the order the DataLoader served them');
    c.final_states.forEach((state, r) => {
      for (const [name, values] of state) assertClose(`run ${r} final ${name}`, lab.getParameter(r, name), values);
    });
    const sampled = lab.sampleEpochs(c.sample_epochs.count, c.sample_epochs.seed);
    assert.ok(sampled instanceof Int32Array);
    assert.deepEqual(Array.from(sampled), c.sample_epochs.orders.flat());
    const x = rowsOf(lab, c.sample_epochs.orders[0]);
    c.runs.forEach((_, r) => {
      assertClose(`run ${r} train-mode logits`, lab.trainModeLogits(r, x, c.train_mode.batch), c.train_mode.logits[r]);
      assertClose(`run ${r} eval logits`, lab.logits(r, x), c.train_mode.eval_logits[r]);
    });
    lab.delete();
  });
}

test('golden: what each sampler\'s batches hold (balanced halves, sorted one class, duplicates repeat)', () => {
  for (const c of golden.cases) {
    const lab = labOf(c);
    const y = lab.trainData().y, B = c.batch_size;
    const order = c.orders[0];
    const share = (k) => order.slice(k * B, (k + 1) * B).reduce((a, i) => a + y[i], 0) / Math.min(B, order.length - k * B);
    const shares = Array.from({ length: Math.ceil(order.length / B) }, (_, k) => share(k));
    const pure = shares.filter((s) => s === 0 || s === 1).length;
    if (c.sampler === 'balanced') assert.ok(shares.slice(0, -1).every((s) => s === 0.5), `balanced: ${shares}`);
    if (c.sampler === 'sorted') assert.equal(pure, shares.length - 1, `sorted: every batch one class but one: ${shares}`);
    if (c.sampler === 'shuffle') assert.equal(pure, 0, `shuffle: ${shares}`);
    const distinct = new Set(order).size;
    assert.equal(distinct === order.length, c.sampler !== 'duplicates', `${c.sampler}: ${distinct} distinct rows of ${order.length}`);
    lab.delete();
  }
});

test('trainModeLogits: BatchNorm\'s batch statistics, LayerNorm unmoved, nothing changed, clear errors', () => {
  const c = golden.cases[0];
  const lab = labOf(c), twin = labOf(c);
  lab.step(6), twin.step(6);
  const x = lab.trainData().x.slice(0, 64 * 2);
  const bn = lab.trainModeLogits(0, x, 32), bnOne = lab.trainModeLogits(0, x), bnEval = lab.logits(0, x);
  const ln = lab.trainModeLogits(1, x, 32), lnOne = lab.trainModeLogits(1, x), lnEval = lab.logits(1, x);
  const most = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  assert.ok(most(bn, bnEval) > 1e-3 && most(bn, bnOne) > 1e-3, 'BatchNorm: another batch, other logits');
  assert.deepEqual(ln, lnOne, 'LayerNorm: the batch does not matter');
  assert.ok(most(ln, lnEval) < 1e-5, 'LayerNorm without dropout: train mode is eval mode');
  assert.deepEqual(lab.trainModeLogits(0, x, 32), bn, 'the same batches, the same logits');
  for (let s = 0; s < 10; s++) {
    lab.step(1), twin.step(1);
    for (const r of [0, 1]) assert.equal(lab.runState(r).loss, twin.runState(r).loss, `step ${s}: nothing was changed (weights, running statistics, dropout's generator)`);
  }
  refused(() => lab.trainModeLogits(2, x), 'run', 'no run 2');
  refused(() => lab.trainModeLogits(0, x.slice(0, 3)), 'x', 'not a whole number of rows');
  refused(() => lab.trainModeLogits(0, x.slice(0, 10), 2.5), 'batch', 'must be an integer');
  refused(() => lab.trainModeLogits(0, x.slice(0, 10), -1), 'batch', 'must be an integer in [0, 4096]');
  assert.throws(() => lab.trainModeLogits(0, x.slice(0, 10), 2), /^Error: batchnorm: expected more than 1 value per channel when training, got input size \[1, 16\]$/);
  refused(() => lab.sampleEpochs(0, 1), 'count', 'must be an integer in [1, 1024]');
  refused(() => lab.sampleEpochs(1, -1), 'seed', '');
  refused(() => lab.sampleEpochs(1.5, 1), 'count', 'must be an integer');
  assert.deepEqual(JSON.parse(M.limits()).sample_epochs, { min: 1, max: 1024, integer: true, what: JSON.parse(M.limits()).sample_epochs.what });
  lab.delete(), twin.delete();
});

test('sampleEpochs, trainModeLogits and their errors leave the heap flat', () => {
  const lab = labOf(golden.cases[2]);
  lab.step(3);
  const x = lab.trainData().x;
  const round = () => {
    lab.sampleEpochs(8, 1);
    lab.trainModeLogits(0, x, 32);
    lab.trainModeLogits(1, x);
    try { lab.trainModeLogits(0, x.slice(0, 10), 2); } catch { /* expected */ }
    try { lab.setSampler('nope'); } catch { /* expected */ }
  };
  round();
  const used = M.heapUsed();
  for (let i = 0; i < 200; i++) round();
  assert.equal(M.heapUsed(), used);
  lab.delete();
});

const tracer = new URL('../../build/normlab_trace', import.meta.url).pathname;
for (const sampler of SAMPLERS) {
  test(`native and wasm are bit-identical with the "${sampler}" sampler`, () => {
    assert.ok(existsSync(tracer), `${tracer} is built by the native build`);
    const c = golden.cases[0];
    const cfg = { data: c.data, batch: c.batch_size, seed: 11, steps: 25, sampler, runs: c.runs, grid: [10, 10, -2, 3, -1.5, 2] };
    const native = JSON.parse(execFileSync(tracer, [JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const lab = labOf({ ...c, seed: 11 }, sampler);
    const losses = [], orders = [];
    for (let s = 0; s < cfg.steps; s++) {
      lab.step(1);
      losses.push(c.runs.map((_, r) => lab.runState(r).loss));
      orders.push(...lab.lastBatch());
    }
    assert.deepEqual(losses, native.losses);
    assert.deepEqual(orders, native.orders);
    const first = lab.trainData().x.slice(0, 50 * 2);
    c.runs.forEach((_, r) => assert.deepEqual(Array.from(lab.trainModeLogits(r, first, 16)), Array.from(Float32Array.from(native.train_mode[r]))));
    lab.delete();
  });
}
