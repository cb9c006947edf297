// The Japanese page rewrites the engine's error messages (web/i18n/errors.ts). The rules are checked here
// against messages the engine really produces, so a change in the C++ wording cannot silently leave the
// Japanese page in English; and an English page shows every message unchanged.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab, lessonModel } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]);
const { localizeError } = await import('../../build-unit/i18n/errors.js');
const M = await loadNormlab();

// The inspector takes JSON like every other entry point; typed arrays go in as plain arrays.
const inspectNorm = (spec) => M.inspectNorm(JSON.stringify(spec, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)));

function engineError(fn) {
  try { fn(); } catch (e) { return e.message; }
  assert.fail('expected an error');
}

function withLab(fn) {
  const lab = new M.Lab();
  try { return fn(lab); } finally { lab.delete(); }
}

const moons = JSON.stringify({ type: 'moons', points: 200, noise: 0.2, seed: 0, test_fraction: 0 });
const adam = (lr = 0.01) => JSON.stringify({ type: 'adam', lr });
const cases = {
  'integer range': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'moons', points: 2, noise: 0.2 })))),
  'interval': () => withLab((lab) => { lab.setData(moons); return engineError(() => lab.addRun(JSON.stringify(lessonModel(null)), adam(-1))); }),
  'groups': () => withLab((lab) => { lab.setData(moons); return engineError(() => lab.addRun(JSON.stringify({ input: 2, layers: [{ type: 'linear', out: 64 }, { type: 'groupnorm', groups: 5 }, { type: 'linear', out: 2 }] }), adam())); }),
  'batch of one': () => withLab((lab) => {
    lab.setData(moons); lab.setBatchSize(1); lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam()); lab.reset(0); lab.step(1);
    return lab.runState(0).error;
  }),
  'diverged': () => withLab((lab) => {
    lab.setData(moons); lab.addRun(JSON.stringify(lessonModel(null)), JSON.stringify({ type: 'sgd', lr: 1e30 })); lab.reset(0);
    for (let i = 0; i < 20 && !lab.runState(0).stopped; i++) lab.step(1);
    return lab.runState(0).error;
  }),
  'instance norm on (N, C)': () => engineError(() => inspectNorm({ norm: 'instancenorm', shape: [4, 10], x: new Array(40).fill(1) })),
  'a label of your own': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'points', x: [0, 0, 1, 1, 2, 2, 3, 3], y: [0, 1, 2, 1] })))),
  'a coordinate of your own': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'points', x: [0, 0, 1, 'a', 2, 2, 3, 3], y: [0, 1, 0, 1] })))),
  'too few points of your own': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'points', x: [0, 0, 1, 1], y: [0, 1] })))),
  'coordinates for the labels': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'points', x: [0, 0, 1, 1, 2], y: [0, 1, 0, 1] })))),
  'noise on points of your own': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'points', x: [0, 0, 1, 1, 2, 2, 3, 3], y: [0, 1, 0, 1], noise: 0.2 })))),
  'points of your own counted': () => withLab((lab) => engineError(() => lab.setData(JSON.stringify({ type: 'points', points: 5, x: [0, 0, 1, 1, 2, 2, 3, 3], y: [0, 1, 0, 1] })))),
  'no batch yet': () => withLab((lab) => { lab.setData(moons); lab.addRun(JSON.stringify(lessonModel('batchnorm')), adam()); lab.reset(0); return engineError(() => lab.batchNormTrace(0, 1, 0)); }),
};

for (const [name, make] of Object.entries(cases)) {
  test(`engine message "${name}" in Japanese`, () => {
    const message = make();
    assert.ok(message.length > 0, 'the engine gave a message');
    assert.equal(localizeError(message, 'en'), message, 'English: unchanged');
    const ja = localizeError(message, 'ja');
    assert.notEqual(ja, message, `a rule rewrites: ${message}`);
    assert.match(ja, /[\u3040-\u30ff\u4e00-\u9fff]/, 'Japanese text');
    const field = message.split(':')[0];
    assert.ok(ja.startsWith(field) || ja.startsWith('発散'), `keeps the field name "${field}": ${ja}`);
    for (const number of message.match(/\d+(\.\d+)?/g) ?? []) assert.ok(ja.includes(number), `keeps ${number}: ${ja}`);
  });
}

test('unknown messages stay as they are', () => {
  assert.equal(localizeError('something new: happened', 'ja'), 'something new: happened');
});
