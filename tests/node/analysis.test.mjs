// Why normalization helps (issue #15) through the wasm module: a model's init_scale, lab.scaleWeights,
// lab.weightNorms and lab.smoothness — their errors, PyTorch's golden traces (tests/golden/make_scale_golden.py,
// make_smoothness_golden.py), side-effect freedom, bit-identity with the native build, and a flat heap.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lessonModel, loadNormlab, readJson, tracesDir } from './normlab.mjs';

const M = await loadNormlab();
const sgd = (lr, extra = {}) => JSON.stringify({ type: 'sgd', lr, ...extra });
const bnDropout = { input: 2, layers: [{ type: 'linear', out: 16 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'dropout', p: 0.3 },
  { type: 'linear', out: 16 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'linear', out: 2 }] };
const residual = { input: 2, layers: [{ type: 'linear', out: 12 }, { type: 'residual', layers: [{ type: 'layernorm' },
  { type: 'linear', out: 12 }, { type: 'tanh' }, { type: 'linear', out: 12 }] }, { type: 'linear', out: 2 }] };

function makeLab(runs, { seed = 0, points = 256, batch = 32, testFraction = 0 } = {}) {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ type: 'moons', points, noise: 0.2, seed: 0, test_fraction: testFraction }));
  lab.setBatchSize(batch);
  for (const [model, optimizer] of runs) lab.addRun(JSON.stringify(model), optimizer);
  lab.reset(seed);
  return lab;
}
const state = (lab, r) => lab.parameterNames(r).flatMap((name) => Array.from(lab.getParameter(r, name)));
const refused = (fn, field, text) => assert.throws(fn, (e) => e.field === field && e.message.startsWith(`${field}: `) &&
  e.message.includes(text), `expected ${field}: …${text}…`);
const relative = (got, want) => Math.abs(got - want) / Math.abs(want);

test('init_scale multiplies every linear layer\'s initial weights and nothing else', () => {
  const spec = { ...residual, layers: [...residual.layers.slice(0, 1), { type: 'batchnorm' }, ...residual.layers.slice(1)] };
  const plain = new M.Model(JSON.stringify(spec), 7);
  const one = new M.Model(JSON.stringify({ ...spec, init_scale: 1 }), 7);
  const scaled = new M.Model(JSON.stringify({ ...spec, init_scale: 0.37 }), 7);
  const s = Math.fround(0.37);
  for (const name of plain.parameterNames()) {
    const a = plain.getParameter(name);
    assert.deepEqual(one.getParameter(name), a, `init_scale 1: ${name} is PyTorch's init, bit for bit`);
    const linear = /^(0|2\.1|2\.3|3)\./.test(name);
    assert.deepEqual(scaled.getParameter(name), linear ? a.map((v) => Math.fround(v * s)) : a, name);
  }
  assert.equal(JSON.parse(scaled.spec()).init_scale, 0.37);
  assert.equal(JSON.parse(plain.spec()).init_scale, undefined);
  const L = JSON.parse(M.limits()).init_scale;
  assert.deepEqual([L.min, L.max, L.integer], [0.1, 10, false]);
  const lab = new M.Lab();
  for (const v of [L.min, L.max]) lab.addRun(JSON.stringify({ ...lessonModel(null), init_scale: v }), sgd(0.1));
  for (const v of [L.min - 1e-9, L.max + 1e-9, 0, -1]) {
    refused(() => lab.addRun(JSON.stringify({ ...lessonModel(null), init_scale: v }), sgd(0.1)), 'init_scale', 'must be in [0.1, 10]');
  }
  refused(() => new M.Model(JSON.stringify({ ...lessonModel(null), init_scale: '2' })), 'init_scale', 'must be a number');
  assert.equal(lab.runCount(), 2);
  for (const m of [plain, one, scaled, lab]) m.delete();
});

test('scaleWeights multiplies one linear layer, addressed by index or state_dict prefix', () => {
  const lab = makeLab([[lessonModel('batchnorm'), sgd(0.1, { momentum: 0.9 })], [residual, JSON.stringify({ type: 'adam', lr: 0.01 })]]);
  lab.step(3);
  const w = lab.getParameter(0, '3.weight'), b = lab.getParameter(0, '3.bias'), other = lab.getParameter(0, '0.weight');
  lab.scaleWeights(0, 3, 2.5);
  assert.deepEqual(lab.getParameter(0, '3.weight'), w.map((v) => Math.fround(v * 2.5)));
  assert.deepEqual(lab.getParameter(0, '3.bias'), b.map((v) => Math.fround(v * 2.5)));
  assert.deepEqual(lab.getParameter(0, '0.weight'), other);
  lab.scaleWeights(0, '3', 0.4);  // the same layer by its prefix
  assert.deepEqual(lab.getParameter(0, '3.weight'), w.map((v) => Math.fround(Math.fround(v * 2.5) * Math.fround(0.4))));
  const inner = lab.getParameter(1, '1.3.weight');
  lab.scaleWeights(1, '1.3', -3);  // inside the residual block
  assert.deepEqual(lab.getParameter(1, '1.3.weight'), inner.map((v) => Math.fround(v * -3)));
  lab.delete();
});

test('scaleWeights: a bad run, layer or alpha names the problem and changes nothing', () => {
  const twin = () => makeLab([[lessonModel('batchnorm'), sgd(0.1, { momentum: 0.9 })]]);
  const lab = twin(), clean = twin();
  lab.step(2), clean.step(2);
  for (const l of [lab, clean]) l.setParameter(0, '6.bias', [2, -0.5]);  // 2 · 3e38 overflows
  const before = state(lab, 0);
  refused(() => lab.scaleWeights(1, 0, 2), 'run', 'no run 1');
  refused(() => lab.scaleWeights(0.5, 0, 2), 'run', 'must be an integer');
  refused(() => lab.scaleWeights(0, 1, 2), 'layer', 'layer 1 is a batchnorm layer, not a linear one (its linear layers: 0, 3, 6)');
  refused(() => lab.scaleWeights(0, 9, 2), 'layer', 'this model has no layer "9"');
  refused(() => lab.scaleWeights(0, 1.5, 2), 'layer', 'must be an integer');
  refused(() => lab.scaleWeights(0, '3.0', 2), 'layer', 'no layer "3.0"');
  refused(() => lab.scaleWeights(0, null, 2), 'layer', 'expected a layer index or a state_dict prefix');
  for (const alpha of [0, NaN, Infinity, -Infinity, 1e-50, 1e39]) refused(() => lab.scaleWeights(0, 0, alpha), 'alpha', 'must be a finite number other than 0');
  refused(() => lab.scaleWeights(0, 6, 3e38), 'alpha', 'overflows float32');
  assert.deepEqual(state(lab, 0), before);
  for (let s = 0; s < 5; s++) {  // and the run trains on exactly as one that never saw the errors (momentum too)
    lab.step(1), clean.step(1);
    assert.equal(lab.runState(0).loss, clean.runState(0).loss);
  }
  lab.delete(), clean.delete();
});

test('scaling before BatchNorm leaves the next loss as it was; without BatchNorm it does not', () => {
  const runs = [[lessonModel('batchnorm'), sgd(0.1)], [lessonModel(null), sgd(0.1)]];
  const a = makeLab(runs), b = makeLab(runs);
  a.step(10), b.step(10);
  b.scaleWeights(0, 3, 10), b.scaleWeights(1, 2, 10);
  const evalBefore = [a.evaluate(0, false, false).loss, b.evaluate(0, false, false).loss];
  a.step(1), b.step(1);
  // ε = 1e-5 is what keeps this from exact: the unscaled run's own ε/(2σ²) (core/lab.h, analysis_test.cpp).
  assert.ok(relative(b.runState(0).loss, a.runState(0).loss) < 1e-4, 'BatchNorm: the same loss');
  assert.ok(relative(b.runState(1).loss, a.runState(1).loss) > 1e-2, 'no normalization: another loss');
  // Eval mode normalizes with running statistics of the old scale: not invariant.
  assert.ok(relative(evalBefore[1], evalBefore[0]) > 1e-2, `eval loss ${evalBefore[0]} → ${evalBefore[1]}`);
  a.delete(), b.delete();
});

test('weightNorms: ‖W‖ of every linear weight and lr/‖W‖²', () => {
  const lab = makeLab([[residual, sgd(0.2)]]);
  lab.step(2);
  const norms = lab.weightNorms(0);
  assert.deepEqual(norms.map((n) => n.name), ['0.weight', '1.1.weight', '1.3.weight', '2.weight']);
  for (const n of norms) {
    const ss = Array.from(lab.getParameter(0, n.name)).reduce((s, v) => s + v * v, 0);
    assert.ok(relative(n.norm, Math.sqrt(ss)) < 1e-12, n.name);
    assert.ok(relative(n.effectiveLr, 0.2 / ss) < 1e-12, n.name);
  }
  lab.scaleWeights(0, '1.3', -2);
  const after = lab.weightNorms(0);
  assert.equal(after[2].norm, 2 * norms[2].norm);
  assert.equal(after[0].norm, norms[0].norm);
  refused(() => lab.weightNorms(4), 'run', 'no run 4');
  lab.delete();
});

test('the weights scaled mid-run train on as in PyTorch (scale_weights.json)', async () => {
  const t = await readJson(new URL('scale_weights.json', tracesDir));
  const lab = makeLab(t.runs.map((r) => [r.model, JSON.stringify(r.optimizer)]), { seed: t.seed, points: t.data.points, batch: t.batch_size });
  for (let step = 0; step < t.steps; step++) {
    if (step === t.at) for (const s of t.scale) lab.scaleWeights(s.run, s.layer, s.alpha);
    lab.step(1);
    t.runs.forEach((_, r) => assert.ok(relative(lab.runState(r).loss, t.losses[step][r]) <= 1e-4, `step ${step} run ${r}`));
  }
  t.final_states.forEach((pairs, r) => {
    for (const [name, want] of pairs) {
      const got = lab.getParameter(r, name);
      const bad = want.filter((v, k) => !(Math.abs(got[k] - v) <= 1e-4 + 1e-3 * Math.abs(v))).length;
      assert.equal(bad, 0, `run ${r} final ${name}`);
    }
  });
  lab.delete();
});

test('smoothness matches PyTorch (smoothness.json)', async () => {
  const t = await readJson(new URL('smoothness.json', tracesDir));
  const lab = makeLab(t.runs.map((r) => [r.model, JSON.stringify(r.optimizer)]), { seed: t.seed, points: t.data.points, batch: t.batch_size });
  const keys = { loss: 'loss', grad_norm: 'gradNorm', loss_min: 'lossMin', loss_max: 'lossMax', grad_diff_max: 'gradDiffMax',
    beta_smoothness: 'betaSmoothness', losses: 'losses', grad_diffs: 'gradDiffs' };
  let measured = 0;
  for (let step = 1; step <= t.steps; step++) {
    lab.step(1);
    t.runs.forEach((_, r) => assert.ok(relative(lab.runState(r).loss, t.losses[step - 1][r]) <= 1e-4, `step ${step}`));
    const checkpoint = t.checkpoints.find((c) => c.step === step);
    if (!checkpoint) continue;
    checkpoint.runs.forEach((want, r) => {
      const got = lab.smoothness(r, t.options);
      assert.deepEqual(got.eta, want.eta, 'the same step sizes, as doubles');
      for (const [key, js] of Object.entries(keys)) {
        [want[key]].flat().forEach((w, k) => {
          const g = [got[js]].flat()[k];
          assert.ok(relative(g, w) <= t.tolerance[key], `after step ${step}, run ${r}: ${key}[${k}] ${g} vs ${w}`);
        });
      }
      measured++;
    });
  }
  assert.equal(measured, 9);
  lab.delete();
});

test('smoothness changes nothing: training, statistics and views are bit-identical without it', () => {
  const runs = [[bnDropout, sgd(0.1, { momentum: 0.9 })], [residual, JSON.stringify({ type: 'adam', lr: 0.01 })]];
  const measured = makeLab(runs, { testFraction: 0.25 }), plain = makeLab(runs, { testFraction: 0.25 });
  const views = (lab, r) => [state(lab, r), lab.diagnostics(r), lab.layerOutputs(r, lab.trainData().x.slice(0, 60), true),
    Array.from(lab.grid(r, 7, 5, -2, 3, -1.5, 2, true)), r === 0 ? lab.batchNormTrace(r, 1, 2) : null];
  for (let step = 0; step < 20; step++) {
    measured.step(1), plain.step(1);
    for (let r = 0; r < 2; r++) {
      const s = measured.smoothness(r, { steps: 1 + (step % 4) });
      assert.equal(s.eta.length, 1 + (step % 4));
      assert.equal(measured.runState(r).loss, plain.runState(r).loss, `step ${step} run ${r}`);
    }
  }
  for (let r = 0; r < 2; r++) assert.deepEqual(views(measured, r), views(plain, r), `run ${r}`);
  measured.delete(), plain.delete();
});

test('smoothness: its defaults, and errors that say why', () => {
  const lab = makeLab([[bnDropout, sgd(0.1)], [lessonModel(null), sgd(1e35)]]);
  assert.throws(() => lab.smoothness(0), (e) => e.field === '' && e.message === 'smoothness: no training batch yet (take a step first)');
  lab.step(3);  // run 2 diverges
  const s = lab.smoothness(0);
  assert.deepEqual(Object.keys(s), ['lr', 'loss', 'gradNorm', 'eta', 'losses', 'gradDiffs', 'lossMin', 'lossMax', 'gradDiffMax', 'betaSmoothness']);
  assert.deepEqual(s.eta, [0, 1, 2, 3, 4, 5, 6, 7].map((k) => 0.1 * (0.05 + ((0.4 - 0.05) * k) / 7)));  // η_k = lr·(from + (to − from)·k/(K − 1))
  assert.equal(s.lossMax, Math.max(...s.losses));
  assert.deepEqual(lab.smoothness(0, undefined), s);
  assert.deepEqual(lab.smoothness(0, JSON.stringify({ steps: 8 })), s);
  assert.equal(lab.smoothness(0, { lr: 2, steps: 1 }).eta[0], 2 * 0.05);
  refused(() => lab.smoothness(1), 'run', 'run 2 has stopped (diverged');
  refused(() => lab.smoothness(2), 'run', 'no run 2');
  refused(() => lab.smoothness(0, { steps: 0 }), 'steps', 'must be in [1, 64]');
  refused(() => lab.smoothness(0, { steps: NaN }), 'steps', 'must be a finite number, got null (NaN or Infinity in JS)');
  refused(() => lab.smoothness(0, { from: Infinity }), 'from', 'got null');
  refused(() => lab.smoothness(0, { to: 0.01 }), 'to', 'must be at least from');
  refused(() => lab.smoothness(0, { lr: 0 }), 'lr', 'must be in (0, inf)');
  refused(() => lab.smoothness(0, { step: 3 }), 'step', 'unknown field');
  refused(() => lab.smoothness(0, 3), 'options', 'expected an object');
  refused(() => lab.smoothness(0, '{'), 'options', 'malformed JSON');
  refused(() => lab.smoothness(0, [1]), 'options', '');
  assert.throws(() => lab.smoothness(0, { steps: 1n }), TypeError);  // JSON.stringify's own error, thrown in JS
  assert.equal(lab.smoothness(0, null).eta.length, 8);
  assert.equal(JSON.parse(M.limits()).smoothness_steps.max, 64);
  lab.delete();
});

test('the new calls and their errors leave the heap flat', () => {
  const lab = makeLab([[bnDropout, sgd(0.1)]]);
  lab.step(2);
  const round = () => {
    lab.smoothness(0, { steps: 3 });
    lab.weightNorms(0);
    lab.scaleWeights(0, 0, 1);
    for (const bad of [() => lab.smoothness(0, { steps: 0 }), () => lab.scaleWeights(0, 'nope', 2), () => lab.scaleWeights(0, 0, 0)]) {
      try { bad(); } catch { /* expected */ }
    }
  };
  round();
  const used = M.heapUsed();
  // Not to the byte: dlmalloc hands out a whole free chunk when the rest would be too small to keep, so the same
  // allocations can count 8 bytes more or less depending on the free list. Any leak, 200 times, would be kilobytes.
  let most = 0;
  for (let i = 0; i < 200; i++) round(), most = Math.max(most, M.heapUsed() - used);
  assert.ok(most <= 32, `bytes in use grew by ${most}`);
  lab.delete();
});

test('native and wasm are bit-identical: init_scale, scaled weights, smoothness and weight norms', () => {
  const tracer = new URL('../../build/normlab_trace', import.meta.url).pathname;
  assert.ok(existsSync(tracer), `${tracer} is built by the native build`);
  const cfg = {
    data: { type: 'moons', points: 300, noise: 0.2, seed: 3, test_fraction: 0.2 }, batch: 32, seed: 7, steps: 24, init: 'shared',
    grid: [4, 4, -2, 3, -1.5, 2],
    runs: [{ model: { ...bnDropout, init_scale: 2.5 }, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 } },
      { model: { ...residual, init_scale: 0.4 }, optimizer: { type: 'adam', lr: 0.01 } }],
    scale: [{ before_step: 5, run: 0, layer: '4', alpha: 3 }, { before_step: 11, run: 1, layer: '1.1', alpha: 0.25 }],
    smoothness: { every: 4, options: { steps: 5, from: 0.1, to: 0.6 } },
  };
  const native = JSON.parse(execFileSync(tracer, [JSON.stringify(cfg)], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const lab = new M.Lab();
  lab.setData(JSON.stringify(cfg.data));
  lab.setBatchSize(cfg.batch);
  for (const r of cfg.runs) lab.addRun(JSON.stringify(r.model), JSON.stringify(r.optimizer));
  lab.reset(cfg.seed);
  const losses = [], analysis = [];
  const finite = (v) => (Number.isFinite(v) ? v : null);
  for (let step = 0; step < cfg.steps; step++) {
    for (const s of cfg.scale) if (s.before_step === step) lab.scaleWeights(s.run, s.layer, s.alpha);
    lab.step(1);
    losses.push(cfg.runs.map((_, r) => lab.runState(r).loss));
    if ((step + 1) % cfg.smoothness.every) continue;
    cfg.runs.forEach((_, r) => {
      const m = lab.smoothness(r, cfg.smoothness.options);
      const norms = lab.weightNorms(r).flatMap((n) => [n.norm, n.effectiveLr]);
      analysis.push([step, r, m.lr, m.loss, m.gradNorm, ...m.eta, ...m.losses, ...m.gradDiffs, m.lossMin, m.lossMax,
        m.gradDiffMax, m.betaSmoothness, ...norms].map(finite));
    });
  }
  assert.deepEqual(losses, native.losses);
  assert.deepEqual(analysis, native.analysis);
  assert.equal(analysis.length, 12);
  const params = cfg.runs.map((_, r) => lab.parameterNames(r).filter((n) => !n.includes('running_')).flatMap((n) => Array.from(lab.getParameter(r, n))));
  assert.deepEqual(params, native.params.map((p) => Array.from(Float32Array.from(p))));
  lab.delete();
});
