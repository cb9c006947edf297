// Memory: no heap allocation per training step once a model has stepped, delete() frees everything, and
// errors do not leak. heapUsed() is malloc's count of bytes in use inside the wasm heap.
import test from 'node:test';
import assert from 'node:assert/strict';
import { lessonModel, loadNormlab } from './normlab.mjs';

const M = await loadNormlab();
const adam = JSON.stringify({ type: 'adam', lr: 0.01 });

test('10,000 steps and 100 create/delete cycles leave the heap flat', () => {
  const x = Float32Array.from({ length: 64 * 2 }, (_, i) => Math.sin(i));
  const y = Int32Array.from({ length: 64 }, (_, i) => i % 2);
  const cycle = () => {
    const model = new M.Model(JSON.stringify(lessonModel('batchnorm')), 1);
    const opt = new M.Optimizer(model, adam);
    model.trainStep(x, y, opt);
    opt.delete();
    model.delete();
  };
  cycle(); // warm up the allocator
  const baseline = M.heapUsed();
  const model = new M.Model(JSON.stringify(lessonModel('batchnorm')), 0);
  const opt = new M.Optimizer(model, adam);
  model.trainStep(x, y, opt);
  const afterFirst = M.heapUsed();
  for (let s = 0; s < 10000; s++) model.trainStep(x, y, opt);
  assert.equal(M.heapUsed(), afterFirst, 'bytes in use after 10,000 steps');
  opt.delete();
  model.delete();
  assert.equal(M.heapUsed(), baseline, 'delete() frees the model and optimizer');
  const size = M.heapSize();
  for (let i = 0; i < 100; i++) cycle();
  assert.equal(M.heapUsed(), baseline, 'after 100 create/delete cycles');
  assert.equal(M.heapSize(), size, 'wasm memory did not grow');
});

test('a lab steps and paints boundaries without growing the heap', () => {
  const lab = new M.Lab();
  lab.setData(JSON.stringify({ type: 'moons', points: 2000, noise: 0.2, seed: 0 }));
  lab.addRun(JSON.stringify(lessonModel(null)), adam);
  lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam);
  lab.reset(0);
  lab.step(1000);
  lab.grid(1, 200, 200, -2, 3, -1.5, 2, false);
  lab.grid(1, 200, 200, -2, 3, -1.5, 2, true);
  const used = M.heapUsed();
  for (let e = 0; e < 20; e++) {
    lab.step(1000);
    for (let r = 0; r < 2; r++) lab.grid(r, 200, 200, -2, 3, -1.5, 2, e % 2 === 1);
  }
  assert.equal(M.heapUsed(), used);
  lab.delete();
});

test('errors thrown into JS do not leak wasm memory', () => {
  const bad = JSON.stringify({ input: 2, layers: [{ type: 'linear', out: 64 }, { type: 'groupnorm', groups: 5 }, { type: 'linear', out: 2 }] });
  const model = new M.Model(JSON.stringify(lessonModel('batchnorm')), 0);
  const tryAll = () => {
    try { new M.Model(bad); } catch { /* expected */ }
    try { model.forward(new Float32Array(3)); } catch { /* expected */ }
    try { model.setParameter('nope', new Float32Array(1)); } catch { /* expected */ }
  };
  tryAll();
  const used = M.heapUsed();
  for (let i = 0; i < 1000; i++) tryAll();
  assert.equal(M.heapUsed(), used, 'bytes in use after 3,000 errors');
  model.delete();
});
