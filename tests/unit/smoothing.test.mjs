// The loss chart's smoothing (web/views/smoothing.ts): TensorBoard's debiased exponential moving average.
// Exact cases by hand, TensorBoard's own loop as the reference, and fast-check properties: no smoothing at w = 0,
// a constant stays exactly constant, the first point is kept, every smoothed value is a weighted mean of the
// values so far (so it is bounded by them, and order-preserving in the input), and streaming equals batch.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_SMOOTHING, Ema, MAX_SMOOTHING, clampSmoothing, smooth } from '../../build-unit/views/smoothing.js';

fc.configureGlobal({ seed: 20250613, numRuns: 300 });

// TensorBoard's scalar dashboard, as it smooths a run's points (vz_line_chart2 / line_chart_v2): start at 0,
// count the finite points, divide by 1 - w^count.
function tensorboard(values, w) {
  let last = 0, count = 0;
  return values.map((v) => {
    last = last * w + (1 - w) * v;
    count++;
    return last / (1 - w ** count);
  });
}

const close = (a, b, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
const loss = fc.double({ min: 1e-4, max: 10, noNaN: true });          // a loss's range, and its neighbours
const losses = fc.array(loss, { minLength: 1, maxLength: 200 });
const weight = fc.double({ min: 0, max: MAX_SMOOTHING, noNaN: true });

test('by hand: [1, 0, 0] at w = 0.5 is 1, 1/3, 1/7; [2, 4] at w = 0.6 is 2, 3.25', () => {
  // last: 0.5, 0.25, 0.125; debias 1 - 0.5^k: 0.5, 0.75, 0.875.
  const a = smooth([1, 0, 0], 0.5);
  [1, 1 / 3, 1 / 7].forEach((v, i) => assert.ok(close(a[i], v, 1e-15), `${a[i]} ≈ ${v}`));
  // (0.6·2 + 1·4) / (0.6 + 1): the older point weighs w times the newer.
  const b = smooth([2, 4], 0.6);
  assert.ok(close(b[0], 2, 1e-15) && close(b[1], 3.25, 1e-15), String(b));
});

test('the slider range: default 0.6, clamped to [0, 0.99], NaN is no smoothing', () => {
  assert.equal(DEFAULT_SMOOTHING, 0.6);
  assert.equal(MAX_SMOOTHING, 0.99);
  assert.equal(clampSmoothing(-1), 0);
  assert.equal(clampSmoothing(1), 0.99);
  assert.equal(clampSmoothing(Infinity), 0);
  assert.equal(clampSmoothing(NaN), 0);
  assert.equal(clampSmoothing(0.3), 0.3);
  assert.deepEqual(smooth([1, 2, 3], 5), smooth([1, 2, 3], 0.99));
});

test('w = 0 is the identity, exactly', () => {
  fc.assert(fc.property(losses, (v) => { assert.deepEqual(smooth(v, 0), v); }));
});

test('a constant trace stays exactly constant, whatever w', () => {
  fc.assert(fc.property(loss, fc.integer({ min: 1, max: 300 }), weight, (c, n, w) => {
    assert.ok(smooth(Array(n).fill(c), w).every((s) => s === c));
  }));
});

test('debiased: the first smoothed value is the first value', () => {
  fc.assert(fc.property(losses, weight, (v, w) => { assert.equal(smooth(v, w)[0], v[0]); }));
});

test('equals TensorBoard’s smoothing (once the trace is not constant)', () => {
  fc.assert(fc.property(losses, weight, (v, w) => {
    const ours = smooth(v, w), tb = tensorboard(v, w);
    const varies = v.findIndex((x) => x !== v[0]);
    for (let i = varies < 0 ? v.length : varies; i < v.length; i++) assert.ok(close(ours[i], tb[i]), `${i}: ${ours[i]} vs ${tb[i]}`);
  }));
});

test('a weighted mean of the values so far: between their minimum and maximum', () => {
  fc.assert(fc.property(losses, weight, (v, w) => {
    let lo = Infinity, hi = -Infinity;
    smooth(v, w).forEach((s, i) => {
      lo = Math.min(lo, v[i]), hi = Math.max(hi, v[i]);
      assert.ok(s >= lo * (1 - 1e-12) && s <= hi * (1 + 1e-12), `${s} in [${lo}, ${hi}]`);
    });
  }));
});

test('monotone: a falling loss gives a falling smoothed loss, and a higher trace a higher smoothed one', () => {
  fc.assert(fc.property(losses, weight, (v, w) => {
    const falling = [...v].sort((a, b) => b - a), s = smooth(falling, w);
    for (let i = 1; i < s.length; i++) assert.ok(s[i] <= s[i - 1] * (1 + 1e-12), `step ${i}: ${s[i]} > ${s[i - 1]}`);
  }));
  fc.assert(fc.property(losses, fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 200, maxLength: 200 }), weight, (v, up, w) => {
    const higher = v.map((x, i) => x + up[i]);
    const a = smooth(v, w), b = smooth(higher, w);
    a.forEach((s, i) => assert.ok(s <= b[i] * (1 + 1e-12) + 1e-12, `${i}: ${s} > ${b[i]}`));
  }));
});

test('more smoothing, a slower response: after a jump, a larger w stays nearer the old level', () => {
  fc.assert(fc.property(loss, loss, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), weight, weight, (a, b, m, n, w1, w2) => {
    const [lo, hi] = w1 <= w2 ? [w1, w2] : [w2, w1];
    const trace = [...Array(m).fill(a), ...Array(n).fill(b)];
    const slow = smooth(trace, hi), fast = smooth(trace, lo);
    trace.forEach((_, i) => assert.ok(Math.abs(slow[i] - a) <= Math.abs(fast[i] - a) * (1 + 1e-9) + 1e-12, `${i}: w ${hi} → ${slow[i]}, w ${lo} → ${fast[i]}`));
  }));
});

test('streamed point by point equals smoothed at once (the chart adds points incrementally)', () => {
  fc.assert(fc.property(losses, weight, (v, w) => {
    const ema = new Ema(clampSmoothing(w));
    assert.deepEqual(v.map((x) => ema.push(x)), smooth(v, w));
  }));
});
