// lab.layerOutputs against PyTorch forward hooks on the same weights (tests/golden/make_layers_golden.py →
// traces/layers.json): every top-level layer's output and each normalization's statistics, in eval and
// train-batch mode, within the golden tolerance (1e-4 absolute + 1e-3 relative, as tests/node/golden.test.mjs);
// and the histograms of each normalization's input and output (web/state/histogram.ts) against torch.histc.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab, readJson, tracesDir } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { binOf, histogram, histogramOver } = await import('../../build-unit/state/histogram.js');
const M = await loadNormlab();
const golden = await readJson(new URL('layers.json', tracesDir));
const ATOL = 1e-4, RTOL = 1e-3;

// The largest |got − want| / (ATOL + RTOL·|want|): at most 1 passes.
function worst(got, want) {
  assert.equal(got.length, want.length, 'length');
  let w = 0;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / (ATOL + RTOL * Math.abs(want[i])));
  return w;
}

// A lab with the case's run in PyTorch's state: its init checked against PyTorch's, then the last training step
// taken on PyTorch's weights before it (so BatchNorm keeps that batch's statistics, as the hooks saw them), then
// PyTorch's final weights and running statistics.
function labOf(c) {
  const lab = new M.Lab();
  const x = Array.from(c.query.slice(0, 2 * c.batch));
  lab.setData(JSON.stringify({ type: 'points', x, y: c.y, seed: 0, test_fraction: 0 }));
  lab.setBatchSize(c.batch);
  lab.addRun(JSON.stringify(c.model), JSON.stringify(c.optimizer));
  lab.reset(c.seed);
  for (const [name, values] of c.initial_state) {
    assert.deepEqual(lab.getParameter(0, name), Float32Array.from(values), `the Lab's init is PyTorch's: ${name}`);
  }
  for (const [name, values] of c.before_last_state) lab.setParameter(0, name, values);
  lab.step(1);  // one batch: every row
  assert.equal(lab.runState(0).rows, c.batch);
  for (const [name, values] of c.final_state) lab.setParameter(0, name, values);
  return lab;
}

const measured = { values: 0, stats: 0, bins: 0, moved: 0 };

for (const c of golden.cases) {
  test(`layerOutputs equals PyTorch's hooks: ${c.name}`, () => {
    const lab = labOf(c);
    const rows = c.query.length / 2;
    const hasBatchNorm = 'train_batch' in c.modes;
    for (const trainBatch of [false, true]) {
      const want = c.modes[trainBatch && hasBatchNorm ? 'train_batch' : 'eval'];
      const got = lab.layerOutputs(0, c.query, trainBatch);
      assert.equal(got.length, want.layers.length);
      for (const [i, w] of want.layers.entries()) {
        const g = got[i];
        const what = `${trainBatch ? 'train-batch' : 'eval'} layer ${i} (${w.type})`;
        assert.deepEqual([g.index, g.type, g.features, g.values.length], [w.index, w.type, w.features, rows * w.features], what);
        const e = worst(g.values, w.values);
        measured.values = Math.max(measured.values, e);
        assert.ok(e <= 1, `${what}: values ${e.toFixed(3)} of the tolerance`);
        if (!('mean' in w)) {
          assert.ok(!('mean' in g) && !('var' in g) && !('eps' in g), `${what}: no statistics`);
          continue;
        }
        const s = Math.max(worst(g.mean, w.mean), worst(g.var, w.var));
        measured.stats = Math.max(measured.stats, s);
        assert.ok(s <= 1, `${what}: statistics ${s.toFixed(3)} of the tolerance`);
        assert.equal(g.eps, w.eps, `${what}: eps`);
        assert.equal(g.groups, w.groups, `${what}: groups`);
        assert.equal(g.running, w.running, `${what}: running`);
      }
      if (!hasBatchNorm && trainBatch) {  // without BatchNorm the two modes are one pass, bit for bit
        assert.deepEqual(got, lab.layerOutputs(0, c.query, false));
      }
    }
    lab.delete();
  });

  test(`histograms of each normalization's input and output are torch.histc's: ${c.name}`, () => {
    const lab = labOf(c);
    for (const [mode, want] of Object.entries(c.modes)) {
      const got = lab.layerOutputs(0, c.query, mode === 'train_batch');
      const inputOf = (layers, i) => (i === 0 ? c.query : layers[i - 1].values);
      for (const h of want.histograms) {
        for (const side of ['input', 'output']) {
          const pick = (layers) => {
            const v = side === 'input' ? inputOf(layers, h.layer) : layers[h.layer].values;
            return v.slice(0, c.batch * (v.length / (c.query.length / 2)));  // the training batch's rows
          };
          const what = `${mode} layer ${h.layer} ${side}`;
          // On PyTorch's own values: exactly torch.histc's counts.
          const theirs = Float32Array.from(pick(want.layers)), ref = histogram(theirs);
          assert.deepEqual(ref.counts, h[side], `${what}, PyTorch's values`);
          // On the engine's values: the same counts, but for a value that lands in another bin than PyTorch's
          // own (its difference from PyTorch's is within the tolerance, checked above) by lying at an edge.
          const ours = pick(got), mine = histogram(ours);
          const off = mine.counts.reduce((n, k, b) => n + Math.abs(k - h[side][b]), 0);
          const width = (ref.max - ref.min) / ref.counts.length;
          let moved = 0;
          for (let j = 0; j < theirs.length; j++) {
            if (binOf(mine, ours[j]) === binOf(ref, theirs[j])) continue;
            moved++;
            const edge = ref.min + Math.round((theirs[j] - ref.min) / width) * width;
            assert.ok(Math.abs(theirs[j] - edge) <= ATOL + RTOL * Math.abs(edge), `${what}: value ${j} moved, far from an edge`);
          }
          measured.bins += off;
          measured.moved += moved;
          assert.ok(off <= 2 * moved, `${what}: ${off} counts off, ${moved} values in another bin`);
          // One unit alone over the pooled range: torch.histc(v[:, u], bins, min, max) on PyTorch's values.
          const features = theirs.length / c.batch, u = h.unit.index;
          const unit = Float32Array.from({ length: c.batch }, (_, r) => theirs[r * features + u]);
          assert.deepEqual(histogramOver(unit, ref).counts, h.unit[side], `${what}, unit ${u} alone`);
        }
      }
    }
    lab.delete();
  });
}

test('the golden covers every normalization, both modes, residual blocks and sigmoid / tanh', (t) => {
  const types = new Set(golden.cases.flatMap((c) => c.modes.eval.layers.map((l) => l.type)));
  for (const t of ['linear', 'batchnorm', 'layernorm', 'rmsnorm', 'groupnorm', 'relu', 'tanh', 'sigmoid', 'residual', 'dropout']) {
    assert.ok(types.has(t), t);
  }
  assert.ok(golden.cases.filter((c) => c.modes.train_batch).length >= 2);
  assert.ok(golden.cases.every((c) => c.conditioning < 0.05));
  // What the tests above measured, for the record (node --test prints it).
  t.diagnostic(`worst: values ${measured.values.toFixed(4)}, statistics ${measured.stats.toFixed(4)} of the tolerance; ` +
    `histogram counts off ${measured.bins} (values in another bin than PyTorch's: ${measured.moved})`);
});

test('layerOutputs: errors name their field; nothing changes', () => {
  const c = golden.cases[0];
  const lab = labOf(c);
  const before = lab.layerOutputs(0, c.query, true);
  const throws = (fn, field, pattern) => assert.throws(fn, (e) => e instanceof Error && e.field === field && pattern.test(e.message));
  throws(() => lab.layerOutputs(1, c.query, false), 'run', /^run: no run 1$/);
  throws(() => lab.layerOutputs(0.5, c.query, false), 'run', /^run:/);
  throws(() => lab.layerOutputs(0, [1, 2, 3], false), 'x', /^x: 3 values is not a whole number of rows of 2 inputs$/);
  throws(() => lab.layerOutputs(0, [], false), 'x', /^x:/);
  throws(() => lab.layerOutputs(0, null, false), 'x', /^x: expected an array of numbers$/);
  const params = lab.parameterNames(0).map((n) => lab.getParameter(0, n));
  lab.layerOutputs(0, new Float32Array(2 * 1000).map((_, i) => Math.sin(i)), false);
  assert.deepEqual(lab.parameterNames(0).map((n) => lab.getParameter(0, n)), params, 'parameters and running statistics');
  assert.deepEqual(lab.layerOutputs(0, c.query, true), before, 'the last batch\'s statistics');
  lab.delete();
});
