// The JS API contract (issue: core engine): names, copies, modes, training, and errors that are real
// `Error`s naming the field, after which the module keeps working.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab, lessonModel } from './normlab.mjs';

const M = await loadNormlab();
const adam = JSON.stringify({ type: 'adam', lr: 0.01 });

// Every error is an Error whose `field` is the input it names ("" for errors no input is to blame for, such
// as a diverged step or PyTorch's own batch-size error), and whose message starts with that field.
function throwsNaming(fn, pattern, field) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${typeof e}: ${e}`);
    assert.match(e.message, pattern);
    assert.equal(typeof e.field, 'string', `${e.message}: no field`);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    if (e.field) assert.ok(e.message.startsWith(`${e.field}: `), `${e.message} does not start with its field ${e.field}`);
    else assert.match(e.message, /^(batchnorm|diverged|instancenorm): /, `${e.message}: a field error without a field`);
    return true;
  });
}

test('errors carry the field they name as data', () => {
  const spec = (layers) => JSON.stringify({ input: 2, layers });
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: 64 }, { type: 'groupnorm', groups: 5 }, { type: 'linear', out: 2 }])),
    /^layers\[1\]\.groups: 64 features cannot be split into 5 groups$/, 'layers[1].groups');
  throwsNaming(() => new M.Model(spec([{ type: 'residual', layers: [{ type: 'linear', out: 3 }] }, { type: 'linear', out: 2 }])),
    /^layers\[0\]: a residual block must keep the width/, 'layers[0]');
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: 2, bias: 1 }])), /must be true or false/, 'layers[0].bias');
  throwsNaming(() => new M.Model(spec([{ type: 'relu', slope: 1 }, { type: 'linear', out: 2 }])), /unknown field/, 'layers[0].slope');
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: 2 }]), -1), /^seed: /, 'seed');
  throwsNaming(() => new M.Model('[]'), /^model: expected a JSON object/, 'model');
  const model = new M.Model(spec([{ type: 'linear', out: 2 }]));
  throwsNaming(() => new M.Optimizer(model, '{"type": "sgd", "lr": 0.1, "momentum": -1}'), /^momentum: /, 'momentum');
  throwsNaming(() => new M.Optimizer(model, '{"type": "adam", "betas": [0.9, 1]}'), /^betas\[1\]: /, 'betas[1]');
  throwsNaming(() => model.getParameter('x'), /^x: no such parameter or buffer$/, 'x');
  throwsNaming(() => model.getParameter(3), /^name: /, 'name');
  throwsNaming(() => model.setParameter('0.bias', [1]), /^0\.bias: expected 2 values, got 1$/, '0.bias');
  throwsNaming(() => model.setParameter('0.bias', [1, Infinity]), /^0\.bias\[1\]: not a finite number$/, '0.bias[1]');
  throwsNaming(() => model.forward(null), /^x: expected an array of numbers$/, 'x');
  model.delete();
  const lab = new M.Lab();
  throwsNaming(() => lab.setData('{"points": 3}'), /^points: must be an integer in \[4, 100000\], got 3$/, 'points');
  throwsNaming(() => lab.setData('{"test_fraction": 0.95}'), /^test_fraction: /, 'test_fraction');
  throwsNaming(() => lab.setBatchSize(0), /^batch_size: /, 'batch_size');
  throwsNaming(() => lab.reset(-1), /^seed: /, 'seed');
  throwsNaming(() => lab.setInitMode('random'), /^init: /, 'init');
  throwsNaming(() => lab.runState(0), /^run: no run 0$/, 'run');
  lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam);
  throwsNaming(() => lab.grid(0, 1, 10, 0, 1, 0, 1, false), /^grid: /, 'grid');
  throwsNaming(() => lab.logits(0, [1, 2, 3]), /^x: 3 values is not a whole number of rows of 2 inputs$/, 'x');
  throwsNaming(() => lab.batchNormTrace(0, 0, 0), /^layer: 0 is not a BatchNorm layer/, 'layer');
  throwsNaming(() => lab.batchNormTrace(0, 1, 0), /^batchnorm: no training batch yet/, '');
  lab.delete();
  throwsNaming(() => M.inspectNorm('{"norm": "groupnorm", "shape": [2, 4], "groups": 3, "x": [1, 2, 3, 4, 5, 6, 7, 8]}'),
    /^groups: 4 channels cannot be split into 3 groups$/, 'groups');
  throwsNaming(() => M.inspectNorm('{"norm": "layernorm", "shape": [1, 2], "x": [1, null]}'), /^x\[1\]: must be a finite number, got null$/, 'x[1]');
  throwsNaming(() => M.inspectNorm({ norm: 'layernorm' }), /^inspect: expected a JSON string$/, 'inspect');
  throwsNaming(() => M.randn(0, 0), /^n: /, 'n');
});

test('a bad value is echoed at most 80 characters long, marked as cut', () => {
  const long = 'x'.repeat(100000);
  throwsNaming(() => new M.Model(JSON.stringify({ input: 2, layers: [{ type: long }] })), /^layers\[0\]\.type: unknown layer type "x{79}… \(cut\) \(expected one of /, 'layers[0].type');
  throwsNaming(() => new M.Model(JSON.stringify({ input: [long], layers: [] })), /^input: must be a number, got \["x{78}… \(cut\)$/, 'input');
  const e = (() => { try { new M.Model(JSON.stringify({ input: 2, layers: [{ type: long }] })); } catch (err) { return err; } })();
  assert.ok(e.message.length < 300, `message of ${e.message.length} characters`);
});

test('parameter names are the nn.Sequential state_dict keys, in order', () => {
  const model = new M.Model(JSON.stringify({
    input: 2,
    layers: [{ type: 'linear', out: 8 }, { type: 'batchnorm' }, { type: 'relu' },
      { type: 'residual', layers: [{ type: 'layernorm' }, { type: 'linear', out: 8 }, { type: 'gelu' }] },
      { type: 'rmsnorm' }, { type: 'groupnorm', groups: 2 }, { type: 'dropout', p: 0.1 }, { type: 'linear', out: 3 }],
  }));
  assert.deepEqual(model.parameterNames(), [
    '0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean', '1.running_var',
    '3.0.weight', '3.0.bias', '3.1.weight', '3.1.bias', '4.weight', '5.weight', '5.bias', '7.weight', '7.bias',
  ]);
  assert.deepEqual(model.parameterShape('0.weight'), [8, 2]);
  assert.equal(model.classes(), 3);
  model.delete();
});

test('initial weights equal torch.manual_seed(0); nn.Linear(2, 3)', () => {
  const model = new M.Model(JSON.stringify({ input: 2, layers: [{ type: 'linear', out: 3 }] }), 0);
  // Printed by PyTorch 1.13: torch.manual_seed(0); l = nn.Linear(2, 3); l.weight, l.bias
  assert.deepEqual(Array.from(model.getParameter('0.weight')), [
    -0.005293981172144413, 0.37932288646698, -0.5819807648658752, -0.5203874707221985, -0.27234524488449097, 0.1896158903837204,
  ]);
  assert.deepEqual(Array.from(model.getParameter('0.bias')), [-0.014010033570230007, 0.5606575012207031, -0.06275151669979095]);
  model.delete();
});

test('getParameter returns a copy; setParameter writes and validates', () => {
  const model = new M.Model(JSON.stringify(lessonModel('batchnorm')), 1);
  const w = model.getParameter('0.weight');
  assert.ok(w instanceof Float32Array);
  w[0] = 123;
  assert.notEqual(model.getParameter('0.weight')[0], 123);
  model.setParameter('1.running_mean', new Float32Array(64).fill(0.5));
  assert.equal(model.getParameter('1.running_mean')[63], 0.5);
  model.setParameter('0.bias', Array.from({ length: 64 }, (_, i) => i));
  assert.equal(model.getParameter('0.bias')[10], 10);
  throwsNaming(() => model.setParameter('9.weight', new Float32Array(4)), /^9\.weight: no such parameter/);
  throwsNaming(() => model.setParameter('0.weight', new Float32Array(5)), /^0\.weight: expected 128 values, got 5$/);
  throwsNaming(() => model.setParameter('0.bias', new Float32Array(64).fill(NaN)), /^0\.bias\[0\]: not a finite number/);
  throwsNaming(() => model.getParameter('nope'), /nope: no such parameter/);
  model.delete();
});

test('forward gives N×classes logits; eval mode is side-effect free, train mode updates running stats', () => {
  const model = new M.Model(JSON.stringify(lessonModel('batchnorm')), 2);
  const x = new Float32Array([0, 1, 1, 0, 0.5, -0.5, 2, 2]);
  model.setTraining(false);
  assert.equal(model.training(), false);
  const a = model.forward(x);
  assert.equal(a.length, 8);
  assert.deepEqual(model.getParameter('1.running_mean'), new Float32Array(64));
  assert.deepEqual(model.forward(x), a);
  model.setTraining(true);
  model.forward(x);
  assert.notDeepEqual(model.getParameter('1.running_mean'), new Float32Array(64));
  model.delete();
});

test('trainStep returns the loss before the update and learns', () => {
  const model = new M.Model(JSON.stringify(lessonModel(null)), 3);
  const opt = new M.Optimizer(model, adam);
  const x = new Float32Array([0, 1, 1, 0, 0.5, 0.5, -1, -1]);
  const y = new Int32Array([0, 1, 0, 1]);
  const first = model.trainStep(x, y, opt);
  let last = first;
  for (let i = 0; i < 50; i++) last = model.trainStep(x, y, opt);
  assert.ok(Number.isFinite(first) && first > 0.3, `first loss ${first}`);
  assert.ok(last < first / 10, `loss ${first} -> ${last}`);
  assert.equal(opt.steps(), 51);
  opt.delete();
  model.delete();
});

test('invalid specs throw Errors that name the field', () => {
  const spec = (layers) => JSON.stringify({ input: 2, layers });
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: 64 }, { type: 'relu' }, { type: 'groupnorm', groups: 5 }, { type: 'linear', out: 2 }])),
    /^layers\[2\]\.groups: 64 features cannot be split into 5 groups$/);
  throwsNaming(() => new M.Model(spec([{ type: 'linaer', out: 2 }])), /^layers\[0\]\.type: unknown layer type "linaer"/);
  throwsNaming(() => new M.Model(spec([{ type: 'linear' }])), /^layers\[0\]\.out: missing/);
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: -2 }])), /^layers\[0\]\.out: must be a positive integer/);
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: 4096 }])), /^layers\[0\]\.out: 4096 features is wider than the limit of 1024/);
  throwsNaming(() => new M.Model(spec(Array.from({ length: 17 }, () => ({ type: 'linear', out: 2 })))), /^layers: 17 linear layers is more than the limit of 16/);
  throwsNaming(() => new M.Model(spec([{ type: 'linear', out: 4 }, { type: 'dropout', p: 1 }, { type: 'linear', out: 2 }])), /^layers\[1\]\.p: must be in \[0, 1\)/);
  throwsNaming(() => new M.Model('{"input": 2, "layers": ['), /^model: malformed JSON/);
  throwsNaming(() => new M.Model(42), /^model: expected a JSON string/);
  const model = new M.Model(spec([{ type: 'linear', out: 2 }]));
  throwsNaming(() => new M.Optimizer(model, '{"type": "sgd"}'), /^lr: missing/);
  throwsNaming(() => new M.Optimizer(model, '{"type": "adam", "lr": 0}'), /^lr: must be in \(0, inf\)/);
  throwsNaming(() => new M.Optimizer(model, '{"type": "rmsprop", "lr": 0.1}'), /^type: unknown optimizer "rmsprop"/);
  model.delete();
});

test('bad inputs throw, and the module stays usable', () => {
  const model = new M.Model(JSON.stringify(lessonModel('batchnorm')), 4);
  const opt = new M.Optimizer(model, adam);
  const x = new Float32Array([0, 1, 1, 0]);
  throwsNaming(() => model.forward(new Float32Array(3)), /^x: 3 values is not a whole number of rows of 2 inputs$/);
  throwsNaming(() => model.trainStep(x, new Int32Array([0]), opt), /^y: 1 labels for 2 rows of x$/);
  throwsNaming(() => model.trainStep(x, new Int32Array([0, 2]), opt), /^y\[1\]: label 2 is out of range for 2 classes$/);
  throwsNaming(() => model.trainStep(new Float32Array([1, 2]), new Int32Array([1]), opt),
    /^batchnorm: expected more than 1 value per channel when training, got input size \[1, 64\]$/);
  throwsNaming(() => model.trainStep(new Float32Array([NaN, 0, 1, 1]), new Int32Array([0, 1]), opt), /^diverged: /);
  // After all of that, training still works.
  const loss = model.trainStep(x, new Int32Array([0, 1]), opt);
  assert.ok(Number.isFinite(loss));
  opt.delete();
  model.delete();
});

test('an optimizer made for another model is refused', () => {
  const a = new M.Model(JSON.stringify({ input: 2, layers: [{ type: 'linear', out: 2 }] }));
  const b = new M.Model(JSON.stringify({ input: 2, layers: [{ type: 'linear', out: 3 }, { type: 'linear', out: 2 }] }));
  const opt = new M.Optimizer(a, adam);
  throwsNaming(() => b.trainStep(new Float32Array(2), new Int32Array(1), opt), /^optimizer: it was made for a model with 6 parameters, this one has 17$/);
  opt.delete(); a.delete(); b.delete();
});

test('the lab trains runs in lockstep and reports per step and per epoch', () => {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ type: 'moons', points: 500, noise: 0.2, seed: 0, test_fraction: 0.2 }));
  lab.setBatchSize(50);
  assert.equal(lab.addRun(JSON.stringify(lessonModel(null)), adam), 0);
  assert.equal(lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam), 1);
  lab.reset(0);
  assert.equal(lab.stepsPerEpoch(), 8);
  assert.deepEqual(lab.getParameter(0, '0.weight'), lab.getParameter(1, '0.weight'));
  assert.equal(lab.step(100), 8); // stops at the end of the epoch
  assert.equal(lab.epochEnded(), true);
  assert.equal(lab.epoch(), 1);
  const summary = lab.epochSummary();
  assert.equal(summary.meanLoss.length, 2);
  for (const v of summary.meanLoss) assert.ok(v > 0 && v < 1);
  const state = lab.runState(1);
  assert.equal(state.rows, 50);
  assert.equal(state.stopped, false);
  const test = lab.evaluate(1, true, false);
  assert.ok(test.accuracy > 0.5 && test.accuracy <= 1);
  const grid = lab.grid(1, 20, 10, -2, 3, -1.5, 2, false);
  assert.equal(grid.length, 20 * 10 * 2);
  const d = lab.diagnostics(1);
  assert.equal(d.activations.length, 7);
  assert.equal(d.norms.length, 2);
  assert.equal(d.norms[0].mean.length, 64);
  assert.ok(d.gradNorms.every((g) => Number.isFinite(g.norm)));
  assert.equal(lab.trainData().rows, 400);
  assert.equal(lab.testData().y.length, 100);
  assert.throws(() => lab.setData('{"type": "moons", "points": 2}'), /^Error: points: must be an integer in \[4, 100000\], got 2$/);
  assert.equal(lab.trainData().rows, 400, 'a rejected dataset leaves the last good one');
  assert.throws(() => lab.runState(5), /run: no run 5/);
  assert.throws(() => lab.addRun(JSON.stringify({ input: 3, layers: [{ type: 'linear', out: 2 }] }), adam), /^Error: input: the data has 2 features, the model expects 3$/);
  lab.delete();
});
