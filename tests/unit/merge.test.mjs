// Loading a configuration in 'merge' mode (decodeHash with a base): the fields the link names change, the rest of
// the lab's configuration stays; a field it cannot use keeps the base's value and is named.
import test from 'node:test';
import assert from 'node:assert/strict';
import { cloneConfig, defaultConfig } from '../../build-unit/state/config.js';
import { decodeHash } from '../../build-unit/state/urlstate.js';
import { findPreset } from '../../build-unit/state/presets.js';

const deepSigmoid = () => cloneConfig(findPreset('deep-sigmoid').config);

test('merging batch=8 keeps the runs, the data, the model and the rest of training', () => {
  const base = deepSigmoid();
  const d = decodeHash('batch=8', null, base);
  assert.deepEqual(d.rejected, []);
  assert.deepEqual(d.config, { ...base, training: { ...base.training, batchSize: 8 } });
  assert.equal(d.preset, null, 'no longer the preset: its caption does not describe batch 8');
  assert.deepEqual(base, deepSigmoid(), 'the base is not changed');
});

test('replacing with batch=8 starts from the defaults: the runs and the model are the defaults\'', () => {
  const d = decodeHash('batch=8');
  const expected = defaultConfig();
  expected.training.batchSize = 8;
  assert.deepEqual(d.config, expected);
  assert.notDeepEqual(d.config.runs, deepSigmoid().runs);
});

test('a merged run= replaces the list of runs, and only it', () => {
  const base = deepSigmoid();
  const d = decodeHash('run=A~layernorm~before~8~0&run=B~rmsnorm~after~8~0.1', null, base);
  assert.deepEqual(d.config.runs, [
    { name: 'A', norm: 'layernorm', placement: 'before', groups: 8, dropout: 0 },
    { name: 'B', norm: 'rmsnorm', placement: 'after', groups: 8, dropout: 0.1 },
  ]);
  assert.deepEqual({ ...d.config, runs: base.runs }, base);
});

test('an invalid merge leaves the last good configuration and names every field it could not use', () => {
  const base = deepSigmoid();
  const d = decodeHash('batch=abc&width=7000&act=swish&run=X~nope~before~8~0&bogus=1', null, base);
  assert.deepEqual(d.config, base, 'nothing of the base is lost');
  assert.deepEqual(d.rejected.map((r) => r.field).sort(), ['act', 'batch', 'bogus', 'run 1', 'width']);
  assert.match(d.rejected.find((r) => r.field === 'batch').reason, /"abc" is not an integer in/);
  // Valid fields beside invalid ones apply; the invalid ones keep the base's values.
  const mixed = decodeHash('batch=abc&lr=0.5', null, base);
  assert.deepEqual(mixed.config, { ...base, training: { ...base.training, lr: 0.5 } });
  assert.deepEqual(mixed.rejected.map((r) => r.field), ['batch']);
});

test('preset= in a merge starts from that preset, and the link\'s other fields override it', () => {
  const d = decodeHash('preset=tiny-batch&epochs=5', null, deepSigmoid());
  const expected = cloneConfig(findPreset('tiny-batch').config);
  expected.training.epochs = 5;
  assert.deepEqual(d.config, expected);
  const exact = decodeHash('preset=tiny-batch', null, deepSigmoid());
  assert.equal(exact.preset, 'tiny-batch');
  assert.deepEqual(exact.config, findPreset('tiny-batch').config);
});

test('points of your own that the lab keeps while it shows generated data stay through a merge', () => {
  const base = defaultConfig();
  const own = { x: [0, 0, 1, 1, 0.5, 0.5, -1, 2, 0.25, 0.75], y: [0, 1, 0, 1, 0] };
  base.data.own = own;
  const merged = decodeHash('batch=8', null, base);
  assert.deepEqual(merged.config.data.own, own);
  const custom = decodeHash('data=custom', null, base);
  assert.deepEqual(custom.rejected, []);
  assert.equal(custom.config.data.type, 'custom');
  assert.deepEqual(custom.config.data.own, own);
  assert.equal(custom.config.data.points, 5);
  assert.deepEqual(decodeHash('batch=8', null, null).config.data.own, { x: [], y: [] }, 'a replace starts with none');
});
