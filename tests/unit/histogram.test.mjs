// The layer histograms (web/state/histogram.ts): torch.histc's binning, in float32. Cases by hand, a case where
// float32 and exact arithmetic disagree (torch.histc's answer recorded from PyTorch 1.13), and fast-check
// properties. Its counts against PyTorch on real layer values: tests/node/layers.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HISTOGRAM_BINS, binOf, histogram } from '../../build-unit/state/histogram.js';

fc.configureGlobal({ seed: 20250614, numRuns: 300 });

test('by hand: equal bins over [min, max], the last one closed', () => {
  assert.equal(HISTOGRAM_BINS, 30);
  assert.deepEqual(histogram([0, 1], 2), { min: 0, max: 1, counts: [1, 1], skipped: 0 });
  assert.deepEqual(histogram([0, 0.5, 1], 2).counts, [1, 2]);       // 0.5 opens the second bin; 1 closes it
  assert.deepEqual(histogram([-2, -1, 0, 1, 2], 4).counts, [1, 1, 1, 2]);   // 2 = max joins 1 in the last bin
  assert.equal(histogram(new Float32Array(100).map((_, i) => i)).counts.reduce((a, b) => a + b), 100);
});

test('torch.histc\'s edge cases: equal values, no values, values that are not finite', () => {
  // torch.histc(torch.tensor([2., 2.]), bins=4) is [0, 0, 2, 0]: the range becomes [1, 3].
  assert.deepEqual(histogram([2, 2], 4), { min: 1, max: 3, counts: [0, 0, 2, 0], skipped: 0 });
  assert.deepEqual(histogram([], 4), { min: -1, max: 1, counts: [0, 0, 0, 0], skipped: 0 });
  assert.deepEqual(histogram([NaN, 0, Infinity, 1, -Infinity], 2), { min: 0, max: 1, counts: [1, 1], skipped: 3 });
  assert.deepEqual(histogram([NaN], 2), { min: -1, max: 1, counts: [0, 0], skipped: 1 });
  assert.equal(binOf(histogram([0, 1], 2), NaN), -1);
  assert.equal(binOf(histogram([0, 1], 2), 1.5), -1);
  assert.equal(binOf(histogram([0, 1], 2), 1), 1);
  assert.throws(() => histogram([1], 0), RangeError);
  assert.throws(() => histogram([1], 2.5), RangeError);
});

test('float32 arithmetic, as torch.histc: a value exact arithmetic puts one bin lower', () => {
  // torch.histc(torch.tensor([lo, hi, v]), bins=30) counts v in bin 8; (v − lo)/(hi − lo)·30 = 7.99999… exactly.
  const lo = -0.4600421190261841, hi = 2.9420790672302246, v = 0.44719019532203674;
  assert.equal(Math.floor(((v - lo) / (hi - lo)) * 30), 7);
  const h = histogram(Float32Array.of(lo, hi, v));
  assert.equal(h.counts[8], 1);
  assert.equal(h.counts[7], 0);
});

const value = fc.float({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const values = fc.array(value, { minLength: 1, maxLength: 300 });
const bins = fc.integer({ min: 1, max: 64 });

test('every finite value is counted once, and min and max are the values\' own', () => {
  fc.assert(fc.property(values, bins, (xs, n) => {
    const h = histogram(xs, n);
    assert.equal(h.counts.length, n);
    assert.equal(h.counts.reduce((a, b) => a + b), xs.length);
    const lo = Math.min(...xs), hi = Math.max(...xs);
    if (lo === hi) return;  // one value: [v − 1, v + 1]
    assert.deepEqual([h.min, h.max], [Math.fround(lo), Math.fround(hi)]);
    assert.ok(h.counts[0] >= 1 && h.counts[n - 1] >= 1, 'the extremes land in the outer bins');
  }));
});

test('each value lands in its bin (binOf), up to float32 rounding at the edges; order does not matter', () => {
  fc.assert(fc.property(values, bins, (xs, n) => {
    const h = histogram(xs, n);
    const width = (h.max - h.min) / n;
    const counts = new Array(n).fill(0);
    for (const x of xs) {
      const k = binOf(h, x);
      counts[k]++;
      assert.ok(x >= h.min + (k - 1e-3) * width && x <= h.min + (k + 1 + 1e-3) * width, `${x} in bin ${k}`);
    }
    assert.deepEqual(counts, h.counts, 'binOf places each value where histogram counted it');
    assert.deepEqual(histogram([...xs].reverse(), n), h);
  }));
});
