// The normalization inspector (M.inspectNorm), torch.randn emulation (M.randn) and the BatchNorm step-by-step
// trace (lab.batchNormTrace), against PyTorch 1.13 (tests/golden/make_inspect_golden.py → traces/inspect.json).
// Tolerances:
//  - y, x̂ against PyTorch's float32 output: 1e-5 absolute or 2e-6 relative, widened by 4·ulp(μ)·rstd·|γ|.
//    PyTorch computes the statistics in float32, so its μ can be an ulp or two off; x − μ then carries that
//    error times rstd, which for a tight group of large values (the near-constant row: μ 3.0, rstd 315; a
//    GroupNorm(5, 10) pair around 21.6 with rstd 9.6) is above 1e-5. Against the float64 reference computed
//    from the same float32 x (y64), y must agree to 1e-6 everywhere.
//  - statistics 1e-5 relative (to float64 from the float32 x).
//  - randn: ≤ 3 float32 ulps for n ≥ 16: PyTorch's AVX2 kernel uses vectorized ~1-ulp log/cos/sin approximations, and one ulp
//    in each of log and cos can move radius·cos by 3 ulps (seed 1, n 40, [21]: exact 0.244403934, ours
//    0.24440394 (0.3 ulp), PyTorch 0.2444039 (−2.7 ulp), reproduced with log and cos each 1 ulp low);
//    ≤ 1 ulp for n < 16 (the double-precision path).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lessonModel, loadNormlab, readJson, tracesDir } from './normlab.mjs';

const M = await loadNormlab();

// The inspector takes JSON like every other entry point; typed arrays go in as plain arrays.
const inspectNorm = (spec) => M.inspectNorm(JSON.stringify(spec, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));
const golden = await readJson(new URL('inspect.json', tracesDir));
const adam = JSON.stringify({ type: 'adam', lr: 0.01 });

// Worst differences seen, printed at the end (the report quotes them).
const worst = { y: 0, xhat: 0, y64: 0, statRel: 0, rowRel: 0, rowMeanY64: 0, rowVarY64: 0, randnUlp: { small: 0, large: 0 } };

// Passes when |got − want| ≤ max(atol, rtol·|want|) (+ slack[i] when given), for every element.
function assertClose(what, got, want, atol, rtol, key, slack) {
  assert.equal(got.length, want.length, `${what}: length`);
  let bad = 0, wi = -1, wexcess = -Infinity, maxAbs = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    const tol = Math.max(atol, rtol * Math.abs(want[i])) + (slack ? slack[i] : 0);
    if (!(d <= tol)) bad++;
    const excess = d - tol;
    if (excess > wexcess) { wexcess = excess; wi = i; }
    maxAbs = Math.max(maxAbs, d);
  }
  if (key) worst[key] = Math.max(worst[key], maxAbs);
  assert.equal(bad, 0, `${what}: ${bad} of ${want.length} off; worst [${wi}] got ${got[wi]} want ${want[wi]}`);
}

function assertRel(what, got, want, rtol, key) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const rel = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-30);
    if (key) worst[key] = Math.max(worst[key], rel);
    assert.ok(rel <= rtol, `${what}[${i}]: got ${got[i]} want ${want[i]} (relative ${rel.toExponential(2)})`);
  }
}

function throwsPrefix(fn, prefix) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, `expected an Error, got ${typeof e}: ${e}`);
    assert.ok(e.message.startsWith(prefix), `message ${JSON.stringify(e.message)} should start with ${JSON.stringify(prefix)}`);
    return true;
  });
}

// Distance in float32 units in the last place (the ordered-integer view of the bit patterns).
const f32 = new Float32Array(1), i32 = new Int32Array(f32.buffer);
function ordered(v) {
  f32[0] = v;
  const i = i32[0];
  return i < 0 ? -(i & 0x7fffffff) : i;
}
const ulps = (a, b) => Math.abs(ordered(a) - ordered(b));
// The spacing of float32 values around v.
const ulp32 = (v) => (v === 0 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(Math.abs(Math.fround(v)))) - 23));

const specOf = (c) => ({
  norm: c.norm, shape: c.shape, eps: c.eps, x: Float32Array.from(c.x),
  ...(c.groups != null ? { groups: c.groups } : {}),
  ...(c.gamma ? { gamma: Float32Array.from(c.gamma) } : {}),
  ...(c.beta ? { beta: Float32Array.from(c.beta) } : {}),
});

// The statistic index of element (n, c, p), as the inspector's groupOf should give it.
function expectedGroup(c, n, ch) {
  const C = c.shape[1];
  switch (c.norm) {
    case 'batchnorm': return ch;
    case 'layernorm': case 'rmsnorm': return n;
    case 'instancenorm': return n * C + ch;
    case 'groupnorm': return n * c.groups + Math.floor(ch / (C / c.groups));
    default: throw new Error(c.norm);
  }
}

test('the golden file has the expected cases', () => {
  assert.equal(golden.kind, 'inspect');
  assert.ok(golden.cases.length >= 17);
  assert.equal(golden.randn.length, 20);
});

for (const c of golden.cases) {
  test(`inspectNorm matches PyTorch: ${c.name}`, () => {
    const r = inspectNorm(specOf(c));
    const [N, C] = c.shape;
    const HW = c.shape.length === 4 ? c.shape[2] * c.shape[3] : 1;
    const count = N * C * HW;
    for (const k of ['mean', 'var', 'rstd', 'rstdOutside', 'xhat', 'y', 'rowMeanX', 'rowVarX', 'rowMeanY', 'rowVarY', 'rowVarYBiased'])
      assert.ok(r[k] instanceof Float32Array, `${k} is a Float32Array`);
    assert.ok(r.groupOf instanceof Int32Array);

    // Which statistic normalized each element.
    assert.equal(r.stats, c.mean.length);
    assert.equal(r.groupOf.length, count);
    for (let n = 0; n < N; n++)
      for (let ch = 0; ch < C; ch++)
        for (let p = 0; p < HW; p++)
          assert.equal(r.groupOf[(n * C + ch) * HW + p], expectedGroup(c, n, ch), `groupOf (${n}, ${ch}, ${p})`);

    // The tensors: PyTorch's float32 output, and the float64 reference from the same float32 x.
    const slack = (withGamma) => Array.from(r.groupOf, (s, k) => {
      const g = withGamma && c.gamma ? Math.abs(c.gamma[Math.floor(k / HW) % C]) : 1;
      return 4 * ulp32(c.mean[s]) / Math.sqrt(c.var[s] + c.eps) * g;
    });
    assertClose('y', r.y, c.y, 1e-5, 2e-6, 'y', slack(true));
    assertClose('xhat', r.xhat, c.xhat, 1e-5, 2e-6, 'xhat', slack(false));
    assertClose('y vs float64', r.y, c.y64, 1e-6, 1e-6, 'y64');

    // The statistics (float64 from the float32 x; RMSNorm: mean 0, var = mean of squares).
    if (c.norm === 'rmsnorm') assert.ok(r.mean.every((v) => v === 0), 'rmsnorm mean is 0');
    else assertRel('mean', r.mean, c.mean, 1e-5, 'statRel');
    assertRel('var', r.var, c.var, 1e-5, 'statRel');
    assertRel('rstd', r.rstd, c.var.map((v) => 1 / Math.sqrt(v + c.eps)), 1e-6, 'statRel');
    assertRel('rstdOutside', r.rstdOutside, c.var.map((v) => 1 / (Math.sqrt(v) + c.eps)), 1e-6, 'statRel');

    // Per sample, what x.mean(1), x.var(1) print.
    assertClose('rowMeanX', r.rowMeanX, c.row_mean_x, 1e-5, 1e-5, 'rowRel');
    assertRel('rowVarX', r.rowVarX, c.row_var_x, 1e-5, 'rowRel');
    // ... and for y: against PyTorch (its y carries the float32 μ error, see slack), and against the same
    // summaries of the float64 y64.
    const rowSlack = Array.from({ length: N }, (_, n) => Math.max(...slack(true).slice(n * C * HW, (n + 1) * C * HW)));
    assertClose('rowMeanY', r.rowMeanY, c.row_mean_y, 1e-5, 1e-5, null, rowSlack);
    assertClose('rowVarY', r.rowVarY, c.row_var_y, 1e-5, 1e-5, null, rowSlack.map((v) => 3 * v));
    assertClose('rowVarYBiased', r.rowVarYBiased, c.row_var_y_biased, 1e-5, 1e-5, null, rowSlack.map((v) => 3 * v));
    const per = C * HW, m64 = [], v64 = [], b64 = [];
    for (let n = 0; n < N; n++) {
      const row = c.y64.slice(n * per, (n + 1) * per);
      const m = row.reduce((a, v) => a + v, 0) / per;
      const ss = row.reduce((a, v) => a + (v - m) ** 2, 0);
      m64.push(m), v64.push(ss / (per - 1)), b64.push(ss / per);
    }
    assertClose('rowMeanY vs float64', r.rowMeanY, m64, 1e-6, 1e-6, 'rowMeanY64');
    assertClose('rowVarY vs float64', r.rowVarY, v64, 1e-7, 2e-6, 'rowVarY64');
    assertClose('rowVarYBiased vs float64', r.rowVarYBiased, b64, 1e-7, 2e-6, 'rowVarY64');
  });
}

test('the lesson\'s LayerNorm: rows centred, unbiased var 1.1111, biased var 1.0000', () => {
  const c = golden.cases.find((k) => k.name === 'lesson layernorm');
  const r = inspectNorm(specOf(c));
  const r4 = (v) => Math.round(v * 1e4) / 1e4;
  assert.deepEqual(Array.from(r.rowMeanX, r4), [17.6029, 20.5983, 19.7833, 20.4054]);
  assert.deepEqual(Array.from(r.rowMeanX, r4), c.row_mean_x.map(r4));
  assert.deepEqual(Array.from(r.rowVarX, r4), c.row_var_x.map(r4));
  assert.deepEqual(Array.from(r.rowVarY, r4), [1.1111, 1.1111, 1.1111, 1.1111]);
  assert.deepEqual(c.row_var_y.map(r4), [1.1111, 1.1111, 1.1111, 1.1111]);
  assert.deepEqual(Array.from(r.rowVarYBiased, r4), [1, 1, 1, 1]);
  assert.deepEqual(c.row_var_y_biased.map(r4), [1, 1, 1, 1]);
  for (const m of r.rowMeanY) assert.ok(Math.abs(m) < 1e-6, `row mean of y ${m}`);
});

test('eps matters on a nearly constant row', () => {
  const small = golden.cases.find((k) => k.name === 'near-constant layernorm eps 1e-5');
  const large = golden.cases.find((k) => k.name === 'near-constant layernorm eps 1e-2');
  const a = inspectNorm(specOf(small)), b = inspectNorm(specOf(large));
  // Row 0 spreads 7e-4: its biased variance (~5e-8) is far below either eps, so y stays well under 1 and
  // shrinks ~30× when eps goes from 1e-5 to 1e-2; row 1 (variance 5.25) barely notices.
  const spread = (r, n) => Math.max(...r.y.slice(n * 8, n * 8 + 8)) - Math.min(...r.y.slice(n * 8, n * 8 + 8));
  assert.ok(spread(a, 0) > 0.1 && spread(a, 0) < 1, `row 0 spread with eps 1e-5: ${spread(a, 0)}`);
  assert.ok(spread(a, 0) / spread(b, 0) > 25, `eps 1e-2 shrinks row 0: ${spread(a, 0)} vs ${spread(b, 0)}`);
  assert.ok(Math.abs(spread(a, 1) / spread(b, 1) - 1) < 2e-3);
  assert.ok(a.rowVarYBiased[0] < 0.01 && b.rowVarYBiased[0] < 1e-5);
  assert.ok(Math.abs(a.rowVarYBiased[1] - 1) < 1e-5);
});

test('inspectNorm errors are Errors naming the field, and the module keeps working', () => {
  const lesson = golden.cases.find((k) => k.name === 'lesson layernorm');
  const ok = () => {
    const r = inspectNorm(specOf(lesson));
    assertClose('y after an error', r.y, lesson.y, 1e-5, 2e-6);
  };
  throwsPrefix(() => inspectNorm({ norm: 'batchnorm', shape: [1, 3], x: [1, 2, 3] }),
    'batchnorm: expected more than 1 value per channel when training');
  ok();
  throwsPrefix(() => inspectNorm({ norm: 'batchnorm', shape: [1, 2, 1, 1], x: [1, 2] }),
    'batchnorm: expected more than 1 value per channel when training');
  ok();
  // One sample is fine for BatchNorm2d as long as H·W > 1.
  assert.equal(inspectNorm({ norm: 'batchnorm', shape: [1, 2, 2, 1], x: [1, 2, 3, 4] }).stats, 2);
  throwsPrefix(() => inspectNorm({ norm: 'groupnorm', shape: [4, 10], groups: 3, x: lesson.x }), 'groups: ');
  ok();
  throwsPrefix(() => inspectNorm({ norm: 'groupnorm', shape: [4, 10], groups: 0, x: lesson.x }), 'groups: ');
  ok();
  throwsPrefix(() => inspectNorm({ norm: 'layernorm', shape: [4, 10], x: lesson.x.slice(1) }), 'x:');
  ok();
  throwsPrefix(() => inspectNorm({ norm: 'batchnorm', shape: [2, 4, 3, 3], x: lesson.x }), 'x:');
  ok();
  throwsPrefix(() => inspectNorm({ norm: 'weightnorm', shape: [4, 10], x: lesson.x }), 'norm:');
  ok();
  throwsPrefix(() => inspectNorm({ norm: 'instancenorm', shape: [4, 10], x: lesson.x }),
    'instancenorm: expected more than 1 spatial element');
  ok();
});

test('randn equals torch.manual_seed(seed); torch.randn(n) to within its vectorized log/cos rounding', () => {
  for (const { seed, n, values } of golden.randn) {
    const got = M.randn(seed, n);
    assert.ok(got instanceof Float32Array);
    assert.equal(got.length, n);
    const limit = n < 16 ? 1 : 3;
    for (let i = 0; i < n; i++) {
      const d = ulps(got[i], values[i]);
      const k = n < 16 ? 'small' : 'large';
      worst.randnUlp[k] = Math.max(worst.randnUlp[k], d);
      assert.ok(d <= limit, `seed ${seed} n ${n} [${i}]: got ${got[i]} want ${values[i]} (${d} ulps)`);
    }
  }
  throwsPrefix(() => M.randn(-1, 5), 'seed:');
  throwsPrefix(() => M.randn(0, 0), 'n:');
  assert.equal(M.randn(0, 5).length, 5);
});

test('batchNormTrace: one feature of a BatchNorm layer, step by step', () => {
  const lab = new M.Lab();
  try {
    lab.setData(JSON.stringify({ type: 'moons', points: 2000, noise: 0.2, seed: 0, test_fraction: 0.2 }));
    assert.equal(lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam), 0);
    lab.reset(0);
    throwsPrefix(() => lab.batchNormTrace(0, 1, 0), 'batchnorm: no training batch yet');
    throwsPrefix(() => lab.batchNormTrace(0, 0, 0), 'layer:');
    // γ, β as the next forward pass will use them (the trace is read after the optimizer has updated them).
    const affine = () => Object.fromEntries([1, 4].map((l) =>
      [l, { gamma: lab.getParameter(0, `${l}.weight`), beta: lab.getParameter(0, `${l}.bias`) }]));
    let used = affine();
    lab.step(1);
    const batch = lab.batchSize();
    assert.equal(batch, 64);

    const check = (layer, feature, first) => {
      const t = lab.batchNormTrace(0, layer, feature);
      const n = t.rows;
      assert.equal(n, batch);
      for (const k of ['x', 'xhat', 'y', 'evalY']) {
        assert.ok(t[k] instanceof Float32Array, `${k} is a Float32Array`);
        assert.equal(t[k].length, n);
      }
      let sum = 0;
      for (const v of t.x) sum += v;
      const mean = sum / n;
      let sq = 0;
      for (const v of t.x) sq += (v - mean) ** 2;
      assertRel('mean', [t.mean], [mean], 1e-6);
      assertRel('var', [t.var], [sq / n], 1e-5);
      assertRel('varUnbiased', [t.varUnbiased], [t.var * n / (n - 1)], 1e-5);
      assertRel('rstd', [t.rstd], [1 / Math.sqrt(t.var + t.eps)], 1e-6);
      assert.equal(t.eps, 1e-5);
      assert.ok(Math.abs(t.momentum - 0.1) < 1e-12);
      assertClose('xhat', t.xhat, Array.from(t.x, (v) => (v - t.mean) * t.rstd), 1e-6, 1e-6);
      const g = used[layer].gamma[feature], b = used[layer].beta[feature];
      if (first) assert.ok(g === 1 && b === 0);
      assertClose('y = gamma xhat + beta', t.y, Array.from(t.xhat, (v) => g * v + b), 1e-6, 1e-6);
      if (first) {
        assert.equal(t.runningMeanBefore, 0);
        assert.equal(t.runningVarBefore, 1);
      }
      const m = t.momentum;
      assertClose('runningMean', [t.runningMean], [(1 - m) * t.runningMeanBefore + m * t.mean], 1e-6, 1e-6);
      assertClose('runningVar', [t.runningVar], [(1 - m) * t.runningVarBefore + m * t.varUnbiased], 1e-6, 1e-6);
      const er = 1 / Math.sqrt(t.runningVar + t.eps);
      // eval mode now: running statistics and the current (updated) γ, β
      const gNow = lab.getParameter(0, `${layer}.weight`)[feature], bNow = lab.getParameter(0, `${layer}.bias`)[feature];
      assertClose('evalY', t.evalY, Array.from(t.x, (v) => (v - t.runningMean) * er * gNow + bNow), 1e-5, 1e-6);
      return t;
    };
    const before = [];
    for (const layer of [1, 4])
      for (const feature of [0, 17, 63]) before.push([layer, feature, check(layer, feature, true)]);
    throwsPrefix(() => lab.batchNormTrace(0, 0, 0), 'layer:');
    throwsPrefix(() => lab.batchNormTrace(0, 2, 0), 'layer:');
    throwsPrefix(() => lab.batchNormTrace(0, 7, 0), 'layer:');
    throwsPrefix(() => lab.batchNormTrace(0, 1, 64), 'feature:');
    throwsPrefix(() => lab.batchNormTrace(0, 4, -1), 'feature:');
    assert.throws(() => lab.batchNormTrace(3, 1, 0), /run: no run 3/);

    used = affine();
    lab.step(1);
    for (const [layer, feature, prev] of before) {
      const t = check(layer, feature, false);
      assert.equal(t.runningMeanBefore, prev.runningMean, `layer ${layer} feature ${feature}: running mean carried over`);
      assert.equal(t.runningVarBefore, prev.runningVar, `layer ${layer} feature ${feature}: running var carried over`);
    }
  } finally {
    lab.delete();
  }
});

// The trace's own gamma/beta are the ones its y was computed with (before the optimizer's update), not the
// current parameters (after step 1 with Adam those are already 1.01 / 0.01).
test('batchNormTrace: y = trace.gamma · trace.xhat + trace.beta', () => {
  const lab = new M.Lab();
  try {
    lab.setData(JSON.stringify({ type: 'moons', points: 2000, noise: 0.2, seed: 0, test_fraction: 0.2 }));
    lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam);
    lab.reset(0);
    for (let step = 0; step < 2; step++) {
      lab.step(1);
      for (const layer of [1, 4]) {
        const t = lab.batchNormTrace(0, layer, 0);
        assertClose(`step ${step + 1} layer ${layer}: y`, t.y, Array.from(t.xhat, (v) => t.gamma * v + t.beta), 1e-6, 1e-6);
      }
    }
  } finally {
    lab.delete();
  }
});

test('worst differences (for the record)', () => {
  console.log(`# worst: ${JSON.stringify(worst)}`);
});

// The page's default tensor (web/lessons/lesson-tensor.ts) is PyTorch's torch.manual_seed(0);
// torch.randn(4, 10) * 5 + 20, value for value.
test('the inspector\'s default tensor is exactly the lesson\'s, from PyTorch', async () => {
  execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]);
  const { LESSON_X } = await import('../../build-unit/lessons/lesson-tensor.js');
  const lesson = golden.cases.find((c) => c.norm === 'layernorm' && c.shape.join() === '4,10');
  assert.ok(lesson, 'the lesson case is in inspect.json');
  assert.equal(LESSON_X.length, 40);
  assert.deepEqual(LESSON_X.map(Math.fround), lesson.x.map(Math.fround));
});
