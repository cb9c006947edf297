// The engine's limits table (M.limits(), core/limits_table.h) is the one the core enforces: every limit is
// accepted at its edge and refused one step beyond it, with an Error naming the field.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadNormlab, lessonModel } from './normlab.mjs';

const M = await loadNormlab();
const L = JSON.parse(M.limits());
const adam = JSON.stringify({ type: 'adam', lr: 0.01 });

function refused(fn, field) {
  assert.throws(fn, (e) => e instanceof Error && e.field === field && e.message.startsWith(`${field}: `));
}

test('the table lists every limit with its range', () => {
  for (const key of ['width', 'linear_layers', 'layers', 'points', 'own_points', 'coordinate', 'noise', 'test_fraction', 'scale', 'shift', 'seed', 'batch_size', 'runs', 'grid', 'inspect_dim', 'inspect_elements']) {
    const l = L[key];
    assert.ok(l, key);
    assert.ok(Number.isFinite(l.min) && Number.isFinite(l.max) && l.min < l.max, key);
    assert.equal(typeof l.integer, 'boolean');
    assert.ok(l.what.length > 0);
  }
});

test('data limits are the ones setData enforces', () => {
  const lab = new M.Lab();
  const data = (fields) => JSON.stringify({ points: 40, ...fields });
  for (const key of ['points', 'noise', 'test_fraction', 'scale', 'shift']) {
    const { min, max, integer } = L[key];
    const step = integer ? 1 : 1e-9 * Math.max(1, Math.abs(max));
    for (const v of [min, max]) lab.setData(data({ [key]: v }));
    refused(() => lab.setData(data({ [key]: min - step })), key);
    refused(() => lab.setData(data({ [key]: max + step })), key);
  }
  lab.setData(data({ seed: L.seed.max }));
  refused(() => lab.setData(data({ seed: L.seed.max + 1 })), 'seed');
  lab.delete();
});

test('points of your own: their number and every coordinate are limited as the table says', () => {
  const lab = new M.Lab();
  const own = (n, v = 0.5) => JSON.stringify({ type: 'points', x: new Array(2 * n).fill(v), y: Array.from({ length: n }, (_, i) => i % 2) });
  for (const n of [L.own_points.min, L.own_points.max]) lab.setData(own(n));
  refused(() => lab.setData(own(L.own_points.min - 1)), 'y');
  refused(() => lab.setData(own(L.own_points.max + 1)), 'y');
  for (const v of [L.coordinate.min, L.coordinate.max]) lab.setData(own(8, v));
  refused(() => lab.setData(own(8, L.coordinate.min - 1e-9 * L.coordinate.max)), 'x[0]');
  refused(() => lab.setData(own(8, L.coordinate.max + 1e-9 * L.coordinate.max)), 'x[0]');
  lab.delete();
});

test('lab limits: seed, batch size, runs, grid', () => {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ points: 40 }));
  lab.reset(L.seed.max);
  refused(() => lab.reset(L.seed.max + 1), 'seed');
  lab.setBatchSize(L.batch_size.max);
  refused(() => lab.setBatchSize(L.batch_size.max + 1), 'batch_size');
  refused(() => lab.setBatchSize(L.batch_size.min - 1), 'batch_size');
  const model = JSON.stringify(lessonModel(null));
  for (let i = 0; i < L.runs.max; i++) lab.addRun(model, adam);
  refused(() => lab.addRun(model, adam), 'runs');
  assert.equal(lab.grid(0, L.grid.max, L.grid.min, -1, 1, -1, 1, false).length, L.grid.max * L.grid.min * 2);
  refused(() => lab.grid(0, L.grid.max + 1, 2, -1, 1, -1, 1, false), 'grid');
  refused(() => lab.grid(0, 2, L.grid.min - 1, -1, 1, -1, 1, false), 'grid');
  lab.delete();
});

test('model limits: width, linear layers, layer objects', () => {
  const model = (layers, input = 2) => new M.Model(JSON.stringify({ input, layers }));
  model([{ type: 'linear', out: L.width.max }, { type: 'linear', out: 2 }]).delete();
  refused(() => model([{ type: 'linear', out: L.width.max + 1 }, { type: 'linear', out: 2 }]), 'layers[0].out');
  model([{ type: 'linear', out: 2 }], L.width.max).delete();
  refused(() => model([{ type: 'linear', out: 2 }], L.width.max + 1), 'input');
  const linears = (n) => Array.from({ length: n }, () => ({ type: 'linear', out: 2 }));
  model(linears(L.linear_layers.max)).delete();
  refused(() => model(linears(L.linear_layers.max + 1)), 'layers');
  const entries = (n) => [...Array.from({ length: n - 1 }, () => ({ type: 'relu' })), { type: 'linear', out: 2 }];
  model(entries(L.layers.max)).delete();
  refused(() => model(entries(L.layers.max + 1)), 'layers');
});

test('inspector limits: dimensions and elements (randn too)', () => {
  const inspect = (shape) => M.inspectNorm(JSON.stringify({ norm: 'layernorm', shape, x: new Array(shape.reduce((a, b) => a * b, 1)).fill(0).map((_, i) => i) }));
  inspect([1, L.inspect_dim.max]);
  refused(() => inspect([1, L.inspect_dim.max + 1]), 'shape');
  assert.equal(inspect([L.inspect_elements.max / L.inspect_dim.max, L.inspect_dim.max]).y.length, L.inspect_elements.max);
  refused(() => inspect([L.inspect_elements.max / L.inspect_dim.max + 1, L.inspect_dim.max]), 'shape');
  assert.equal(M.randn(0, L.inspect_elements.max).length, L.inspect_elements.max);
  refused(() => M.randn(0, L.inspect_elements.max + 1), 'n');
});

test('the page limits (web/state/limits.ts) lie inside the engine limits, equal where the engine checks them', async () => {
  const { execFileSync } = await import('node:child_process');
  execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
  const { SETTINGS, RUN_LIMITS, OWN_LIMITS } = await import('../../build-unit/state/limits.js');
  for (const l of [...SETTINGS, ...Object.values(RUN_LIMITS), ...Object.values(OWN_LIMITS)]) {
    const name = l.key ?? JSON.stringify(l);
    if (!l.engine) {
      assert.notEqual(l.check, 'engine', `${name}: the engine cannot check a limit it does not have`);
      continue;
    }
    const e = L[l.engine];
    assert.ok(e, `${name}: no engine limit "${l.engine}"`);
    if (l.engine === 'linear_layers') { // hidden layers + the output layer (residual: 2 per block + stem + head)
      assert.ok(2 * l.max + 2 <= e.max || l.max + 1 <= e.max, name);
      continue;
    }
    assert.ok(l.min >= e.min && l.max <= e.max, `${name}: [${l.min}, ${l.max}] is not inside the engine's [${e.min}, ${e.max}]`);
    if (l.check === 'engine') {
      assert.equal(l.min, e.min, `${name}: the engine checks it, so the page's minimum must be the engine's`);
      assert.equal(l.max, e.max, `${name}: the engine checks it, so the page's maximum must be the engine's`);
      assert.equal(l.integer, e.integer, name);
    }
  }
});
