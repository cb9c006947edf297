// Points of your own through the wasm module: setData({"type": "points", …}) holds exactly the given rows,
// ordered by the data seed and split as generated data is; a bad point is refused by its field and the module
// stays usable; and a lab set up the page's way (config.ts, data type custom) trains on them.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { defaultConfig, setUpLab, withOwnPoints } = await import('../../build-unit/state/config.js');
const M = await loadNormlab();

// Two clusters of n / 2 points each, every point distinct (float32-exact coordinates: multiples of 1/64).
function clusters(n) {
  const x = [], y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x.push((c ? 1 : -1) + (i % 13) / 64, (c ? 1 : -1) + Math.floor(i / 13) / 64);
    y.push(c);
  }
  return { x, y };
}
const rowsOf = (d) => Array.from({ length: d.rows }, (_, i) => `${d.x[2 * i]},${d.x[2 * i + 1]},${d.y[i]}`);

test('setData with points of your own: exactly the given rows, ordered by the seed, split at the end', () => {
  const own = clusters(40);
  const lab = new M.Lab();
  const data = (seed) => JSON.stringify({ type: 'points', x: own.x, y: own.y, seed, test_fraction: 0.25 });
  lab.setData(data(0));
  const train = lab.trainData(), test = lab.testData();
  assert.equal(train.rows, 30);
  assert.equal(test.rows, 10);
  const rows = [...rowsOf(train), ...rowsOf(test)];
  assert.deepEqual([...rows].sort(), rowsOf({ rows: 40, ...own }).sort(), 'every point once, with its label');
  assert.notDeepEqual(rows, rowsOf({ rows: 40, ...own }), 'shuffled');
  lab.setData(data(0));
  assert.deepEqual([...rowsOf(lab.trainData()), ...rowsOf(lab.testData())], rows, 'the same seed, the same order');
  lab.setData(data(1));
  assert.notDeepEqual([...rowsOf(lab.trainData()), ...rowsOf(lab.testData())], rows, 'another seed, another order');
  assert.deepEqual(JSON.parse(lab.dataSpec()), { type: 'points', points: 40, seed: 1, test_fraction: 0.25, scale: 1, shift: 0, x: own.x, y: own.y });
  lab.delete();
});

test('a bad point is refused by its field, and the module stays usable', () => {
  const lab = new M.Lab();
  const { x, y } = clusters(8);
  const refused = (fields, field, message) => assert.throws(() => lab.setData(JSON.stringify({ type: 'points', x, y, ...fields })),
    (e) => e.field === field && e.message === message);
  refused({ y: [0, 1, 0, 2, 0, 1, 0, 1] }, 'y[3]', 'y[3]: must be 0 or 1, got 2');
  refused({ x: [...x.slice(0, 5), 'a', ...x.slice(6)] }, 'x[5]', 'x[5]: must be a finite number, got "a"');
  refused({ x: x.slice(1) }, 'x', 'x: has 15 numbers; the 8 labels in y need 16 (x0, y0, x1, y1, …)');
  refused({ noise: 0.1 }, 'noise', 'noise: must be 0 or absent for points of your own (they are used exactly as given), got 0.1');
  refused({ points: 9 }, 'points', 'points: must equal the number of points given (8), got 9');
  lab.setData(JSON.stringify({ type: 'points', x, y }));
  assert.equal(lab.trainData().rows, 8);
  lab.delete();
});

test('a lab set up the page\'s way trains on points of your own', () => {
  const c = withOwnPoints({ ...defaultConfig(), data: { ...defaultConfig().data, type: 'custom' } }, clusters(200));
  c.training.batchSize = 16;
  const lab = setUpLab(new M.Lab(), c);
  assert.equal(lab.trainData().rows, 160);
  let first;
  for (let e = 0; e < 5; e++) {
    do lab.step(1 << 20); while (!lab.epochEnded());
    first ??= lab.epochSummary().meanLoss;
  }
  const last = lab.epochSummary().meanLoss;
  for (let r = 0; r < c.runs.length; r++) {
    assert.ok(last[r] < first[r], `run ${r}: ${first[r]} → ${last[r]}`);
    assert.equal(lab.evaluate(r, true, false).accuracy, 1, `run ${r} separates the two clusters`);
  }
  lab.delete();
});
