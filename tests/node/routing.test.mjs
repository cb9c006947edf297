// Errors are routed by their field, never by their text: every error the engine raises for a page control
// (made by really asking the engine) reaches that control (web/state/checks.ts).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { defaultConfig, cloneConfig, modelJson, optimizerJson } = await import('../../build-unit/state/config.js');
const { buildLab, errorTarget, pageErrors } = await import('../../build-unit/state/checks.js');
const M = await loadNormlab();

const withConfig = (edit) => {
  const c = cloneConfig(defaultConfig());
  edit(c);
  return c;
};

// Settings the page does not check itself: the engine refuses them, buildLab says which control.
const ENGINE_CHECKED = [
  ['data points', (c) => { c.data.points = 3; }, { kind: 'data', field: 'points' }],
  ['data noise', (c) => { c.data.noise = 11; }, { kind: 'data', field: 'noise' }],
  ['test fraction', (c) => { c.data.testFraction = 0.95; }, { kind: 'data', field: 'testFraction' }],
  ['data seed', (c) => { c.data.seed = 2 ** 32; }, { kind: 'data', field: 'seed' }],
  ['input scale', (c) => { c.data.scale = 0; }, { kind: 'data', field: 'scale' }],
  ['input shift', (c) => { c.data.shift = -2000; }, { kind: 'data', field: 'shift' }],
  ['dataset', (c) => { c.data.type = 'rings'; }, { kind: 'data', field: 'type' }],
  ['batch size', (c) => { c.training.batchSize = 5000; }, { kind: 'training', field: 'batchSize' }],
  ['training seed', (c) => { c.training.seed = -1; }, { kind: 'training', field: 'seed' }],
  ['weight decay', (c) => { c.training.weightDecay = -1; }, { kind: 'training', field: 'weightDecay' }],
  ['learning rate', (c) => { c.training.lr = 0; }, { kind: 'training', field: 'lr' }],
  ['groups', (c) => { c.runs[1] = { ...c.runs[1], norm: 'groupnorm', groups: 5 }; }, { kind: 'run', index: 1, field: 'groups' }],
  ['groups inside a residual block', (c) => { c.model.architecture = 'residual'; c.runs[1] = { ...c.runs[1], norm: 'groupnorm', groups: 5 }; }, { kind: 'run', index: 1, field: 'groups' }],
];

for (const [name, edit, target] of ENGINE_CHECKED) {
  test(`an engine error about ${name} reaches its control`, () => {
    const c = withConfig(edit);
    const { lab, errors } = buildLab(() => new M.Lab(), c);
    assert.equal(lab, null);
    assert.equal(errors.length, 1);
    assert.deepEqual(errors[0].target, target, errors[0].message);
    assert.deepEqual(pageErrors(c), [], 'the page left this one to the engine');
  });
}

// Settings the page checks first (narrower limits): the engine's own error for them still routes to the
// same control when the page's check is bypassed.
const run = (c, r = 0) => { const lab = new M.Lab(); try { lab.addRun(modelJson(c, c.runs[r]), optimizerJson(c)); return null; } catch (e) { return e; } finally { lab.delete(); } };
const PAGE_CHECKED = [
  ['width', (c) => { c.model.width = 2000; }, { kind: 'model', field: 'width' }],
  ['hidden layers', (c) => { c.model.hiddenLayers = 20; }, { kind: 'model', field: 'hiddenLayers' }],
  ['dropout', (c) => { c.runs[0].dropout = 1; }, { kind: 'run', index: 0, field: 'dropout' }],
];
for (const [name, edit, target] of PAGE_CHECKED) {
  test(`the engine's own error about ${name} reaches its control; the page's check names the same one`, () => {
    const c = withConfig(edit);
    const e = run(c);
    assert.ok(e instanceof Error && typeof e.field === 'string' && e.field !== '', `the engine refused it with a field: ${e}`);
    assert.deepEqual(errorTarget('run', e.field, 0), target, `${e.field}: ${e.message}`);
    const page = pageErrors(c);
    assert.equal(page.length, 1);
    assert.deepEqual(page[0].target, target, page[0].message);
  });
}

test('routing reads only the field: the same message under another field goes elsewhere', () => {
  assert.deepEqual(errorTarget('run', 'layers[3].groups', 2), { kind: 'run', index: 2, field: 'groups' });
  assert.deepEqual(errorTarget('run', 'layers[2].layers[0].p', 1), { kind: 'run', index: 1, field: 'dropout' });
  assert.deepEqual(errorTarget('run', 'layers[0].out', 0), { kind: 'model', field: 'width' });
  assert.deepEqual(errorTarget('run', '', 3), { kind: 'run', index: 3, field: 'norm' });
  assert.deepEqual(errorTarget('training', 'init'), { kind: 'page' });
});

test('an empty box (NaN) is refused by the page by its control, never sent as null for the engine to default', () => {
  for (const [group, key] of [['training', 'lr'], ['training', 'weightDecay'], ['data', 'points'], ['model', 'width']]) {
    const c = withConfig((c) => { c[group][key] = NaN; });
    const errors = pageErrors(c);
    assert.equal(errors.length, 1, key);
    assert.deepEqual(errors[0].target, { kind: group, field: key });
    assert.match(errors[0].message, /: must be a number, got NaN$/);
  }
});

test('a valid configuration builds, and the page checks nothing', () => {
  const { lab, errors } = buildLab(() => new M.Lab(), defaultConfig());
  assert.deepEqual(errors, []);
  assert.equal(lab.runCount(), 2);
  lab.delete();
});
