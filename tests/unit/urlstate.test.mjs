// The URL-hash state: round trips exactly, and a fuzzed or hostile hash never throws, never yields an
// out-of-range configuration, and names every setting it could not use.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATIONS, ARCHITECTURES, DATASETS, NORMS, OPTIMIZERS, PLACEMENTS, SAMPLERS, defaultConfig, modelJson } from '../../build-unit/state/config.js';
import { CONTROL_PATHS, SECTIONS, URL_VERSION, decodeHash, encodeHash, rejectedText } from '../../build-unit/state/urlstate.js';
import { ECHO_CHARS, echo, parseDecimal } from '../../build-unit/state/untrusted.js';
import { PRESETS } from '../../build-unit/state/presets.js';

// A small seeded generator (mulberry32), so a failure reproduces.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (r, a) => a[Math.floor(r() * a.length)];
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));

// Points of your own on the link's grid (1/1000), n of them, within ±1000.
function randomOwn(r, n) {
  const coordinate = () => int(r, -1000000, 1000000) / 1000 * (r() < 0.8 ? 0.001 : 1);
  const x = Array.from({ length: 2 * n }, () => Math.round(coordinate() * 1000) / 1000 + 0);
  return { x, y: Array.from({ length: n }, () => int(r, 0, 1)) };
}

function randomConfig(r) {
  const c = defaultConfig();
  c.data = { type: pick(r, DATASETS), points: int(r, 4, 100000), noise: Math.round(r() * 1000) / 100, testFraction: Math.round(r() * 90) / 100, seed: int(r, 0, 4294967295),
    scale: pick(r, [1, 5, -2.5, 0.1]), shift: pick(r, [0, 20, -3.25]), own: { x: [], y: [] } };
  if (c.data.type === 'custom') {
    c.data.own = randomOwn(r, r() < 0.1 ? 1000 : int(r, 4, 40));
    c.data.points = c.data.own.y.length;
  }
  c.model = { hiddenLayers: int(r, 1, 10), width: int(r, 2, 256), activation: pick(r, ACTIVATIONS), architecture: pick(r, ARCHITECTURES), initScale: pick(r, [1, 0.1, 0.37, 2.5, 10]) };
  const names = ['No norm', 'BN 1', 'レイヤー正規化', 'a~b', 'x&y=z', '#1', '  spaced  ', 'é'];
  c.runs = Array.from({ length: int(r, 1, 4) }, () => ({ name: pick(r, names), norm: pick(r, NORMS), placement: pick(r, PLACEMENTS), groups: int(r, 1, 256), dropout: pick(r, [0, 0.1, 0.5, 0.9]) }));
  c.training = { optimizer: pick(r, OPTIMIZERS), lr: r() * 10 + 1e-6, batchSize: int(r, 1, 4096), epochs: int(r, 1, 10000), weightDecay: r() * 0.1, seed: int(r, 0, 4294967295), sampler: pick(r, SAMPLERS) };
  return c;
}

// What the page requires of any configuration it is handed (the engine checks the rest).
function assertPageValid(c, context) {
  const inRange = (v, lo, hi, integer) => Number.isFinite(v) && v >= lo && v <= hi && (!integer || Number.isInteger(v));
  assert.ok(DATASETS.includes(c.data.type), context);
  assert.ok(inRange(c.data.points, 4, 100000, true), context);
  if (c.data.type === 'custom') assert.ok(c.data.points === c.data.own.y.length && c.data.own.x.length === 2 * c.data.points && c.data.points <= 20000, context);
  assert.ok(inRange(c.data.noise, 0, 10, false), context);
  assert.ok(inRange(c.data.testFraction, 0, 0.9, false), context);
  assert.ok(inRange(c.data.seed, 0, 4294967295, true), context);
  assert.ok(inRange(c.data.scale, -1000, 1000, false) && inRange(c.data.shift, -1000, 1000, false), context);
  assert.ok(inRange(c.model.hiddenLayers, 1, 10, true), context);
  assert.ok(inRange(c.model.width, 2, 256, true), context);
  assert.ok(ACTIVATIONS.includes(c.model.activation), context);
  assert.ok(ARCHITECTURES.includes(c.model.architecture), context);
  assert.ok(OPTIMIZERS.includes(c.training.optimizer), context);
  assert.ok(c.training.lr > 0 && Number.isFinite(c.training.lr), context);
  assert.ok(inRange(c.training.batchSize, 1, 4096, true), context);
  assert.ok(inRange(c.training.epochs, 1, 10000, true), context);
  assert.ok(inRange(c.training.weightDecay, 0, 1000, false), context);
  assert.ok(inRange(c.training.seed, 0, 4294967295, true), context);
  assert.ok(SAMPLERS.includes(c.training.sampler), context);
  assert.ok(c.runs.length >= 1 && c.runs.length <= 4, context);
  for (const run of c.runs) {
    assert.ok(run.name.trim().length > 0 && run.name.length <= 40, context);
    assert.ok(NORMS.includes(run.norm) && PLACEMENTS.includes(run.placement), context);
    assert.ok(inRange(run.groups, 1, 256, true), context);
    assert.ok(inRange(run.dropout, 0, 0.9, false), context);
  }
}

test('an empty hash gives the defaults, the lesson experiment', () => {
  const d = decodeHash('');
  assert.deepEqual(d.config, defaultConfig());
  assert.deepEqual(d.rejected, []);
  assert.equal(d.lang, null);
});

test('2,000 random configurations round-trip exactly, names with ~ & = # and Japanese included', () => {
  const r = rng(1);
  for (let i = 0; i < 2000; i++) {
    const c = randomConfig(r);
    const lang = pick(r, ['en', 'ja']);
    const preset = pick(r, [null, ...PRESETS.map((p) => p.id)]); // the link's fields override the preset's (and end it)
    const section = pick(r, [null, ...SECTIONS]);
    const hash = encodeHash(c, lang, preset, section);
    const d = decodeHash(hash);
    assert.deepEqual(d.rejected, [], hash);
    assert.deepEqual(d.config, c, hash);
    assert.equal(d.lang, lang);
    assert.equal(d.preset, null, 'random settings are no preset\'s');
    assert.equal(d.section, section);
    assert.equal(d.version, URL_VERSION);
  }
});

test('bad fields are named, the rest applied, defaults fill in', () => {
  const d = decodeHash('#v=1&points=abc&width=64&noise=-1&data=spiral&act=swish&run=A~layernorm~after~4&run=B~weird~before~8&lang=fr&color=red');
  assert.equal(d.config.data.type, 'spiral');
  assert.equal(d.config.data.points, defaultConfig().data.points);
  assert.equal(d.config.model.activation, 'relu');
  assert.deepEqual(d.config.runs, [{ name: 'A', norm: 'layernorm', placement: 'after', groups: 4, dropout: 0 }]);
  assert.deepEqual(d.rejected.map((x) => x.field).sort(), ['act', 'color', 'lang', 'noise', 'points', 'run 2'].sort());
  assert.match(d.rejected.find((x) => x.field === 'points').reason, /"abc" is not an integer in \[4, 100000\]/);
});

test('batches= says how batches are drawn; without it they are shuffled; an unknown kind is named', () => {
  assert.deepEqual([...SAMPLERS], ['shuffle', 'balanced', 'sorted', 'duplicates']);
  assert.equal(defaultConfig().training.sampler, 'shuffle');
  for (const s of SAMPLERS) {
    const c = defaultConfig();
    c.training.sampler = s;
    const hash = encodeHash(c, 'en');
    assert.match(hash, new RegExp(`[#&]batches=${s}(&|$)`));
    assert.deepEqual(decodeHash(hash).config, c);
  }
  assert.equal(decodeHash('#v=1&width=32').config.training.sampler, 'shuffle', 'a link from before the setting');
  const d = decodeHash('#v=1&batches=stratified&width=32');
  assert.equal(d.config.training.sampler, 'shuffle');
  assert.equal(d.config.model.width, 32);
  assert.deepEqual(d.rejected, [{ field: 'batches', reason: 'unknown value "stratified" (expected shuffle, balanced, sorted, duplicates)' }]);
  const preset = decodeHash('#preset=lesson&batches=sorted');
  assert.equal(preset.config.training.sampler, 'sorted');
  assert.equal(preset.preset, null, 'other batches: no longer the lesson preset');
  assert.equal(CONTROL_PATHS.get('batches'), 'training.sampler', 'hide=batches hides the control');
  assert.ok(SECTIONS.includes('batchmates'));
  assert.equal(decodeHash('#section=batchmates').section, 'batchmates');
});

test('a link from a newer version applies what it can and says so', () => {
  const d = decodeHash('#v=7&width=32&newthing=1');
  assert.equal(d.config.model.width, 32);
  assert.equal(d.version, 7);
  assert.ok(d.rejected.some((x) => x.field === 'v' && /newer/.test(x.reason)));
  assert.ok(d.rejected.some((x) => x.field === 'newthing'));
});

test('fuzz: 10,000 random and mutated hashes never throw and always give a page-valid configuration', () => {
  const r = rng(42);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789=&~#%+-._ eE日本\u0000\uffff'.split('');
  const tokens = ['v=', 'points=', 'noise=', 'run=', 'lang=', 'width=', 'lr=', 'data=custom', 'pts=', 'pts=BAAAAAAAAAAAAA', '&', '~', '=', '%', '%zz', '1e309', '-0', 'NaN', 'Infinity', '0x10', '  ', '999999999999'];
  const valid = encodeHash(defaultConfig(), 'en');
  for (let i = 0; i < 10000; i++) {
    let hash;
    if (i % 2 === 0) {
      hash = '#' + Array.from({ length: int(r, 0, 80) }, () => (r() < 0.3 ? pick(r, tokens) : pick(r, alphabet))).join('');
    } else {
      hash = encodeHash(randomConfig(r), 'ja');
      for (let m = int(r, 1, 6); m > 0; m--) {
        const at = int(r, 1, hash.length);
        const op = int(r, 0, 3);
        if (op === 0) hash = hash.slice(0, at) + pick(r, tokens) + hash.slice(at);
        else if (op === 1) hash = hash.slice(0, at) + hash.slice(at + int(r, 1, 8));
        else if (op === 2) hash = hash.slice(0, at) + pick(r, alphabet) + hash.slice(at + 1);
        else hash = hash + '&' + valid.slice(1).split('&')[int(r, 0, 14)];
      }
    }
    let d;
    assert.doesNotThrow(() => { d = decodeHash(hash); }, hash);
    assertPageValid(d.config, hash);
    for (const x of d.rejected) assert.ok(x.field && x.reason, hash);
    assert.ok(d.lang === null || d.lang === 'en' || d.lang === 'ja', hash);
  }
});

test('a preset alone is a whole configuration; fields in the link override it', () => {
  const tanh = PRESETS.find((p) => p.id === 'deep-tanh');
  const d = decodeHash('#preset=deep-tanh');
  assert.deepEqual(d.rejected, []);
  assert.equal(d.preset, 'deep-tanh');
  assert.deepEqual(d.config, tanh.config);
  const e = decodeHash('#preset=deep-tanh&width=32&section=gradflow');
  assert.deepEqual(e.config, { ...tanh.config, model: { ...tanh.config.model, width: 32 } });
  assert.equal(e.preset, null, 'changed settings: the caption would no longer be true');
  assert.equal(e.section, 'gradflow');
  for (const p of PRESETS) assert.equal(decodeHash(encodeHash(p.config, 'en', p.id)).preset, p.id, `${p.id} round-trips as a preset`);
  assert.deepEqual(decodeHash('#section=nope').rejected, [{ field: 'section', reason: `unknown section "nope" (expected ${SECTIONS.join(', ')})` }]);
});

test('a preset id travels in the link; an unknown one is named', () => {
  const tanh = PRESETS.find((p) => p.id === 'deep-tanh');
  const d = decodeHash(encodeHash(tanh.config, 'en', 'deep-tanh'));
  assert.equal(d.preset, 'deep-tanh');
  assert.deepEqual(d.rejected, []);
  // the lesson's settings labelled deep-tanh: not what that caption describes
  assert.equal(decodeHash(encodeHash(defaultConfig(), 'en', 'deep-tanh')).preset, null);
  const bad = decodeHash('#v=1&preset=nope');
  assert.equal(bad.preset, null);
  assert.deepEqual(bad.rejected, [{ field: 'preset', reason: 'unknown preset "nope"' }]);
});

test('linear weights by name, residual blocks included (the gradient-flow lesson)', async () => {
  const { linearWeightNames } = await import('../../build-unit/state/config.js');
  const c = PRESETS.find((p) => p.id === 'residual').config;
  const pre = [...linearWeightNames(modelJson({ ...c, model: { ...c.model, hiddenLayers: 2 } }, c.runs[1]))];
  assert.deepEqual(pre, ['0.weight', '1.1.weight', '1.3.weight', '2.1.weight', '2.3.weight', '3.weight']); // LN first in each block
  const post = [...linearWeightNames(modelJson({ ...c, model: { ...c.model, hiddenLayers: 2 } }, c.runs[2]))];
  assert.deepEqual(post, ['0.weight', '1.0.weight', '1.2.weight', '3.0.weight', '3.2.weight', '5.weight']); // LN after each block
  assert.deepEqual([...linearWeightNames(modelJson(defaultConfig(), defaultConfig().runs[1]))], ['0.weight', '3.weight', '6.weight']);
});

test('normalization layers by name, residual blocks included (layer statistics: γ and β)', async () => {
  const { normLayerNames, modelJson } = await import('../../build-unit/state/config.js');
  const c = PRESETS.find((p) => p.id === 'residual').config;
  const two = { ...c, model: { ...c.model, hiddenLayers: 2 } };
  assert.deepEqual(normLayerNames(modelJson(two, c.runs[1])), [{ name: '1.0', type: 'layernorm' }, { name: '2.0', type: 'layernorm' }]);
  assert.deepEqual(normLayerNames(modelJson(two, c.runs[2])), [{ name: '2', type: 'layernorm' }, { name: '4', type: 'layernorm' }]);
  assert.deepEqual(normLayerNames(modelJson(two, c.runs[0])), []);
  assert.deepEqual(normLayerNames(modelJson(defaultConfig(), defaultConfig().runs[1])), [{ name: '1', type: 'batchnorm' }, { name: '4', type: 'batchnorm' }]);
});

test('numbers are read in decimal only: sign, digits, fraction, exponent', () => {
  for (const [text, n] of [['12', 12], ['-0.5', -0.5], ['+2', 2], ['.5', 0.5], ['5.', 5], ['1e-3', 0.001], ['2.5E+3', 2500], ['-0', 0]])
    assert.ok(Object.is(parseDecimal(text), n), text);
  for (const text of ['0x10', '0X10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '', ' ', ' 1', '1 ', '1_000', '1e', 'e5', '.', '+', '--1', '1.2.3', '١', '1,5'])
    assert.ok(Number.isNaN(parseDecimal(text)), JSON.stringify(text));
  const d = decodeHash('#v=1&lr=0x10&points=0b1111101000&noise=%200.5&seed=1e3&run=A~groupnorm~before~0x8~0&run=B~none~before~8~0x0&run=C~none~before~8~5e-1');
  assert.equal(d.config.training.lr, defaultConfig().training.lr, 'lr=0x10 is not 16');
  assert.equal(d.config.data.points, defaultConfig().data.points);
  assert.equal(d.config.data.noise, defaultConfig().data.noise);
  assert.equal(d.config.training.seed, 1000, 'an exponent is decimal');
  assert.deepEqual(d.config.runs.map((r) => r.name), ['C']);
  assert.deepEqual(d.rejected.map((r) => r.field), ['points', 'noise', 'lr', 'run 1', 'run 2']);
  assert.match(d.rejected[2].reason, /"0x10" is not a number/);
  assert.match(d.rejected[3].reason, /groups must be an integer in \[1, 256\], got "0x8"/);
  assert.deepEqual(decodeHash('#v=0x1').rejected, [{ field: 'v', reason: 'not a version number: "0x1"' }]);
});

test('a key given twice is named; its first value applies (run alone repeats)', () => {
  const d = decodeHash('#v=1&v=999&width=32&width=64&lang=ja&lang=en&lang=ja&run=A~none~before~8~0&run=B~none~before~8~0');
  assert.deepEqual(d.rejected, [
    { field: 'v', reason: 'given 2 times; the first value was used' },
    { field: 'width', reason: 'given 2 times; the first value was used' },
    { field: 'lang', reason: 'given 3 times; the first value was used' },
  ]);
  assert.equal(d.version, 1);
  assert.equal(d.config.model.width, 32);
  assert.equal(d.lang, 'ja');
  assert.equal(d.config.runs.length, 2);
});

test('a message echoes at most 80 characters of a key or value, marked as cut', () => {
  const long = 'k'.repeat(100_000);
  const d = decodeHash(`#${long}=1&width=${'9'.repeat(500)}&lang=${long}&run=A~${long}~before~8~0&preset=${long}&section=${long}&data=${long}`);
  assert.equal(d.rejected.length, 7);
  for (const r of d.rejected) {
    assert.ok(r.field.length <= ECHO_CHARS + '… (cut)'.length, r.field.slice(0, 100));
    assert.ok(r.reason.length < 250, r.reason.slice(0, 300));
  }
  assert.equal(d.rejected[0].field, `${'k'.repeat(80)}… (cut)`);
  assert.ok(d.rejected.some((r) => r.reason === `"${'9'.repeat(80)}… (cut)" is not an integer in [2, 256]`));
  assert.equal(echo('x'.repeat(80)), 'x'.repeat(80));
  assert.equal(echo(`${'x'.repeat(79)}😀`), `${'x'.repeat(79)}… (cut)`, 'never half a surrogate pair');
  // A notice lists ten rejected fields, then counts the rest.
  const many = decodeHash(`#${Array.from({ length: 25 }, (_, i) => `bogus${i}=1`).join('&')}`);
  assert.match(rejectedText(many.rejected), /bogus9: unknown setting; and 15 more$/);
});

test('run names with ~ and % round-trip', () => {
  const c = defaultConfig();
  c.runs = [{ name: 'a~b', norm: 'none', placement: 'before', groups: 8, dropout: 0 }, { name: '50% ~%7E', norm: 'layernorm', placement: 'after', groups: 8, dropout: 0.1 }];
  const d = decodeHash(encodeHash(c, 'en'));
  assert.deepEqual(d.rejected, []);
  assert.deepEqual(d.config.runs, c.runs);
});

test('Init scale: in the link as init=, in the model spec as init_scale only when not 1; a configuration without it (an old model file) gets 1', () => {
  const c = defaultConfig();
  assert.equal(decodeHash(encodeHash({ ...c, model: { ...c.model, initScale: 3 } }, 'en')).config.model.initScale, 3);
  assert.ok(!modelJson(c, c.runs[0]).includes('init_scale'));
  assert.equal(JSON.parse(modelJson({ ...c, model: { ...c.model, initScale: 0.25 } }, c.runs[0])).init_scale, 0.25);
  const { initScale, ...old } = c.model;
  const d = decodeHash(encodeHash({ ...c, model: old }, 'en'));
  assert.deepEqual(d.rejected, []);
  assert.equal(d.config.model.initScale, 1);
  assert.match(decodeHash('#init=abc').rejected.map((r) => `${r.field}: ${r.reason}`).join(), /init/);
});
