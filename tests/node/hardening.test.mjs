// Hostile input through the JS API (issue #12): the instance never dies, nothing leaks, every refusal is an
// Error naming its field, and NaN propagates as in PyTorch (tests/golden/traces/nan.json, from real PyTorch).
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab, readJson, tracesDir, lessonModel } from './normlab.mjs';

const M = await loadNormlab();
const adam = JSON.stringify({ type: 'adam', lr: 0.01 });
const small = JSON.stringify({ input: 2, layers: [{ type: 'linear', out: 4 }, { type: 'relu' }, { type: 'linear', out: 2 }] });
const num = (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);

function refused(fn, field, pattern = /./) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, String(e));
    assert.equal(e.field, field, e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

// Runs `fn` (which must throw) n times; nothing may be left behind: Embind handles, malloc'd bytes, wasm memory.
function flatAfter(n, fn) {
  fn; // warm: scratch buffers reach their size on the first calls
  for (let i = 0; i < 10; i++) try { fn(); } catch { /* expected */ }
  const handles = M.count_emval_handles(), used = M.heapUsed(), size = M.heapSize();
  for (let i = 0; i < n; i++) {
    try { fn(); } catch { continue; }
    assert.fail('expected an error');
  }
  assert.equal(M.count_emval_handles(), handles, 'Embind handles');
  // The same live blocks can count a few bytes more or less, by where emmalloc placed them (a remainder too
  // small to split stays with its block: the scratch strings of replaceRun alternate between two such places);
  // a leak of a byte a call would add n bytes.
  assert.ok(Math.abs(M.heapUsed() - used) <= 16, `bytes malloc has handed out: ${used} before, ${M.heapUsed()} after`);
  assert.equal(M.heapSize(), size, 'wasm memory');
}

const works = () => {
  const m = new M.Model(small, 3);
  const opt = new M.Optimizer(m, adam);
  assert.ok(Number.isFinite(m.trainStep([0, 1, 1, 0], [0, 1], opt)));
  opt.delete();
  m.delete();
};

test('NaN and inf reach the logits as PyTorch computes them (relu(nan) is nan; eval BatchNorm with running_var < 0)', async () => {
  const golden = await readJson(new URL('nan.json', tracesDir));
  for (const c of golden.forward) {
    const m = new M.Model(JSON.stringify(c.model), c.seed);
    for (const [name, value] of Object.entries(c.set)) {
      const n = m.getParameter(name).length;
      m.setParameter(name, new Array(n).fill(value));
    }
    m.setTraining(false);
    const got = m.forward(c.x.flat().map(num));
    c.logits.flat().map(num).forEach((want, k) => {
      if (Number.isNaN(want)) assert.ok(Number.isNaN(got[k]), `${c.name}: logit ${k} is ${got[k]}, PyTorch's is NaN`);
      else assert.ok(Math.abs(got[k] - want) <= 1e-6 + 1e-5 * Math.abs(want), `${c.name}: logit ${k}: ${got[k]} vs ${want}`);
    });
    m.delete();
  }
});

test('a diverged evaluation is NaN, never a plausible accuracy', () => {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ points: 200, test_fraction: 0.25 }));
  lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam);
  lab.reset(0);
  assert.ok(Number.isFinite(lab.evaluate(0, true, false).accuracy));
  lab.setParameter(0, '1.running_var', new Array(64).fill(-1)); // finite, so accepted; eval sqrt(var + eps) is NaN
  const e = lab.evaluate(0, true, false);
  assert.ok(Number.isNaN(e.loss) && Number.isNaN(e.accuracy), JSON.stringify(e));
  assert.ok(lab.grid(0, 4, 4, -1, 1, -1, 1, false).every(Number.isNaN), 'the boundary is NaN, for the page to flag');
  lab.delete();
});

test('a run says whether it diverged (data, not a message to match)', () => {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ points: 200 }));
  lab.addRun(JSON.stringify(lessonModel(null)), JSON.stringify({ type: 'sgd', lr: 1e30 }));
  lab.reset(0);
  for (let i = 0; i < 20 && !lab.runState(0).stopped; i++) lab.step(1);
  const s = lab.runState(0);
  assert.ok(s.stopped && s.diverged, JSON.stringify(s));
  lab.reset(0);
  assert.equal(lab.runState(0).diverged, false);
  lab.delete();
});

test('deep nesting is refused by its depth, cheaply, and leaks nothing', () => {
  const deep = '['.repeat(1e5) + ']'.repeat(1e5);
  refused(() => new M.Model(deep), 'model', /^model: nested 100000 levels deep, more than the limit of 256$/);
  flatAfter(200, () => new M.Model(deep));
  works();
});

test('arrays are checked against the stated limit before anything is allocated', () => {
  const L = JSON.parse(M.limits()).values;
  const m = new M.Model(small);
  const size = M.heapSize();
  refused(() => m.forward({ length: 1e12 }), 'x', /^x: 1000000000000 values is more than the limit of 16777216$/);
  refused(() => m.forward(new Float32Array(L.max + 2)), 'x');
  refused(() => m.forward({ length: -1 }), 'x');
  refused(() => m.forward({ length: 2.5 }), 'x');
  const lab = new M.Lab();
  lab.addRun(small, adam);
  refused(() => lab.logits(0, { length: 1e10 }), 'x');
  refused(() => lab.layerOutputs(0, { length: 1e10 }, false), 'x');
  refused(() => lab.setParameter(0, '0.weight', { length: 1e9 }), 'values');
  const wide = new M.Model(JSON.stringify({ input: 1, layers: [{ type: 'linear', out: 1024 }] }));
  refused(() => wide.forward(new Float32Array(16385)), 'x', /^x: 16385 rows give 16778240 outputs, more than the limit of 16777216$/);
  wide.delete();
  assert.equal(M.heapSize(), size, 'the wasm memory did not grow');
  lab.delete();
  m.delete();
  works();
});

test('integers are integers: labels, batch sizes, counts and indices', () => {
  const m = new M.Model(small);
  const opt = new M.Optimizer(m, adam);
  refused(() => m.trainStep([0, 1, 1, 0], [1.5, 0], opt), 'y[0]', /^y\[0\]: label 1\.5 is not an integer$/);
  refused(() => m.trainStep([0, 1, 1, 0], [0, 2 ** 32], opt), 'y[1]', /^y\[1\]: label 4294967296 is out of range for 2 classes$/);
  refused(() => m.trainStep([0, 1, 1, 0], [0, NaN], opt), 'y[1]');
  const lab = new M.Lab();
  refused(() => lab.setBatchSize(2 ** 32 + 1), 'batch_size');
  refused(() => lab.setBatchSize(64.5), 'batch_size');
  assert.equal(lab.batchSize(), 64, 'unchanged');
  lab.addRun(small, adam);
  refused(() => lab.runState(2 ** 32), 'run');
  refused(() => lab.runState(0.5), 'run');
  refused(() => lab.step(1.5), 'count');
  refused(() => lab.grid(0, 10.5, 10, -1, 1, -1, 1, false), 'grid');
  refused(() => lab.batchNormTrace(0, 1.5, 0), 'layer');
  refused(() => M.randn(0, 2 ** 32 + 4), 'n');
  lab.delete();
  opt.delete();
  m.delete();
});

// 500 points of your own whose last label is 2: refused after every other value was read.
const badOwnPoints = JSON.stringify({ type: 'points', x: Array.from({ length: 1000 }, (_, i) => i / 100), y: Array.from({ length: 500 }, (_, i) => (i === 499 ? 2 : i % 2)) });

test('10⁴ failing calls of each kind leave handles, heap and memory flat; 10⁵ leave the module working', () => {
  const m = new M.Model(small);
  const opt = new M.Optimizer(m, adam);
  const lab = new M.Lab();
  lab.addRun(small, adam);
  const kinds = {
    'getParameter(unknown)': () => m.getParameter('x'),
    'setParameter(wrong length)': () => m.setParameter('0.bias', [1]),
    'forward(bad rows)': () => m.forward([1, 2, 3]),
    'trainStep(bad label)': () => m.trainStep([0, 1], [7], opt),
    'new Model(bad json)': () => new M.Model('{"input": 2, "layers": [{"type": "conv"}]}'),
    'new Optimizer(bad)': () => new M.Optimizer(m, '{"type": "rmsprop"}'),
    'lab.setData(bad)': () => lab.setData('{"points": 1}'),
    'lab.setData(a bad point of your own)': () => lab.setData(badOwnPoints),
    'lab.addRun(not a string)': () => lab.addRun(5, {}),
    'lab.getParameter(bad run, name)': () => lab.getParameter(9, 'x'),
    'lab.setParameter(bad run, values)': () => lab.setParameter(9, 'x', [1, 2]),
    'lab.logits(bad run)': () => lab.logits(7, [1, 2]),
    'lab.layerOutputs(bad rows)': () => lab.layerOutputs(0, [1, 2, 3], true),
    'lab.runState(2^32)': () => lab.runState(2 ** 32),
    'lab.replaceRun(1.5, …)': () => lab.replaceRun(1.5, small, adam),
    'lab.grid(bad size)': () => lab.grid(0, 1, 1, 0, 1, 0, 1, false),
    'inspectNorm(bad)': () => M.inspectNorm('{"norm": 1}'),
  };
  for (const [name, fn] of Object.entries(kinds)) {
    try { flatAfter(1e4, fn); } catch (e) { e.message = `${name}: ${e.message}`; throw e; }
  }
  // Each error used to leave the wasm stack pointer lower (the C++ frames are not unwound): 10⁵ errors ran
  // it into the heap. Now every entry point puts it back (web/wasm/post.js).
  for (let i = 0; i < 1e5; i++) try { m.getParameter('x'); } catch { /* expected */ }
  works();
  const x = new Float32Array(400).map((_, i) => Math.sin(i));
  assert.equal(m.forward(x).length, 400);
  lab.delete();
  opt.delete();
  m.delete();
});
