// Property-based tests (fast-check) of the three parsers of untrusted input: the link (decodeHash), model files
// (parseModelFile) and the messages of a parent frame (parseMessage). For any input: no throw; a valid
// configuration (every number in the page's limits, web/state/limits.ts) whatever was refused; every refusal names
// its field and echoes at most 80 characters; and valid configurations round-trip exactly.
// The seed is fixed: a failure prints the seed and path that reproduce it (fc.assert(property, { seed, path })).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ACTIVATIONS, ARCHITECTURES, DATASETS, MAX_RUNS, NORMS, OPTIMIZERS, PLACEMENTS, defaultConfig } from '../../build-unit/state/config.js';
import { MAX_NAME, OWN_LIMITS, RUN_LIMITS, SETTINGS, inRange } from '../../build-unit/state/limits.js';
import { SECTIONS, decodeHash, encodeHash } from '../../build-unit/state/urlstate.js';
import { CUT_MARK, ECHO_CHARS, echo, parseDecimal } from '../../build-unit/state/untrusted.js';
import { modelFileJson, parseModelFile } from '../../build-unit/export/modelfile.js';
import { accepts, embedOptions, parseMessage } from '../../build-unit/page/embed.js';

fc.configureGlobal({ seed: 20250612, numRuns: 300 });

// ------------------------------------------------------------------------------------------- arbitraries

const ENUMS = { data: ['data', 'type', DATASETS], act: ['model', 'activation', ACTIVATIONS], opt: ['training', 'optimizer', OPTIMIZERS], arch: ['model', 'architecture', ARCHITECTURES] };
const KEYS = ['v', 'run', 'lang', 'preset', 'section', 'pts', ...SETTINGS.map((f) => f.key), ...Object.keys(ENUMS)];

// Any number within a limit (its edges included: fast-check favours them).
const within = (l) => (l.integer
  ? fc.bigInt({ min: BigInt(l.min), max: BigInt(l.max) }).map(Number)
  : fc.double({ min: l.min, max: l.max, minExcluded: !!l.minOpen, noNaN: true }).map((x) => x + 0)); // -0 is written "0"

// Run names: any text (unicode, and the link's own separators ~ % & = # +), 1 to MAX_NAME characters, not blank.
const runName = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('~', '%', '7', 'E', '2', '5', '&', '=', '#', '+', ' ', 'a', '日'), minLength: 1, maxLength: MAX_NAME }),
).filter((s) => s.trim() !== '' && s.length <= MAX_NAME);

const run = fc.record({
  name: runName, norm: fc.constantFrom(...NORMS), placement: fc.constantFrom(...PLACEMENTS),
  groups: within(RUN_LIMITS.groups), dropout: within(RUN_LIMITS.dropout),
}).map((r) => ({ ...r })); // a plain object, as the page's (fc.record's has no prototype)

// Points of your own: n in [4, max], coordinates on the link's grid (1/1000) or anywhere within ±1000.
const gridCoordinate = fc.integer({ min: -1e6, max: 1e6 }).map((q) => q / 1000 + 0);
const anyCoordinate = fc.double({ min: -1000, max: 1000, noNaN: true }).map((v) => v + 0);
const ownPoints = (coordinate, max) => fc.integer({ min: 4, max }).chain((n) => fc.tuple(
  fc.array(coordinate, { minLength: 2 * n, maxLength: 2 * n }), fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
)).map(([x, y]) => ({ x, y }));

// Any configuration the page can hold (custom data with points of your own a link can carry).
const validConfig = fc.tuple(
  fc.tuple(...SETTINGS.map(within)),
  fc.tuple(...Object.values(ENUMS).map(([, , values]) => fc.constantFrom(...values))),
  fc.array(run, { minLength: 1, maxLength: MAX_RUNS }),
  ownPoints(gridCoordinate, 40),
).map(([numbers, enums, runs, own]) => {
  const c = defaultConfig();
  SETTINGS.forEach((f, i) => { c[f.path[0]][f.path[1]] = numbers[i]; });
  Object.values(ENUMS).forEach(([g, k], i) => { c[g][k] = enums[i]; });
  c.runs = runs;
  if (c.data.type === 'custom') c.data = { ...c.data, own, points: own.y.length };
  return c;
});

// Values a hostile link carries: random text, numbers in every notation, long values, near-valid runs.
const hostileValue = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }),
  fc.string({ minLength: ECHO_CHARS + 1, maxLength: 400 }),
  fc.double().map(String), fc.integer().map(String), fc.integer().map((n) => `0x${Math.abs(n).toString(16)}`),
  fc.constantFrom('', ' ', '1e309', '-0', 'NaN', 'Infinity', '1_0', ' 1', '0b11', '0o7', '.5', '5.', '+2', '%zz', 'en', 'ja', 'deep-tanh', 'moons', 'custom', 'BAAA0A_QD88P6AeiH58fBg', 'AYCJev-IegE', 'gAA'),
  fc.tuple(runName, fc.constantFrom(...NORMS, 'x'), fc.constantFrom(...PLACEMENTS, ''), fc.string(), fc.string()).map((p) => p.join('~')),
);
const hostileKey = fc.oneof(fc.constantFrom(...KEYS), fc.string(), fc.string({ minLength: ECHO_CHARS + 1, maxLength: 400 }));
const pairs = fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 24 });
const asHash = (ps) => `#${ps.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
const hostileHash = fc.oneof(pairs.map(asHash), fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('&', '=', '#', '%', '~', 'v', '1', 'x', '+', ' ') }));

// ------------------------------------------------------------------------------------------------ checks

// What the page requires of any configuration it is handed (the engine checks the rest).
function assertPageValid(c) {
  for (const f of SETTINGS) assert.ok(inRange(c[f.path[0]][f.path[1]], f), `${f.key}: ${c[f.path[0]][f.path[1]]}`);
  const own = c.data.own;
  assert.ok(own.x.length === 2 * own.y.length && own.x.every((v) => inRange(v, OWN_LIMITS.coordinate)) && own.y.every((v) => v === 0 || v === 1));
  if (c.data.type === 'custom') assert.ok(c.data.points === own.y.length && inRange(own.y.length, OWN_LIMITS.points), `${own.y.length} points of your own`);
  for (const [key, [g, k, values]] of Object.entries(ENUMS)) assert.ok(values.includes(c[g][k]), key);
  assert.ok(c.runs.length >= 1 && c.runs.length <= MAX_RUNS);
  for (const r of c.runs) {
    assert.ok(r.name.trim() !== '' && r.name.length <= MAX_NAME, r.name);
    assert.ok(NORMS.includes(r.norm) && PLACEMENTS.includes(r.placement));
    assert.ok(inRange(r.groups, RUN_LIMITS.groups) && inRange(r.dropout, RUN_LIMITS.dropout));
  }
}

const MAX_ECHO = ECHO_CHARS + CUT_MARK.length;
// A refusal names its field, says why, and repeats no more than ECHO_CHARS of any value.
function assertNamed(r) {
  assert.ok(typeof r.field === 'string' && r.field.length > 0 && r.field.length <= MAX_ECHO + 20, `field: ${r.field.slice(0, 200)}`);
  assert.ok(typeof r.reason === 'string' && r.reason.length > 0 && r.reason.length <= 2 * MAX_ECHO + 120, `reason: ${r.reason.slice(0, 400)}`);
}

// ------------------------------------------------------------------------------------------------- links

test('decodeHash: any text gives a page-valid configuration, and every refusal names its field', () => {
  fc.assert(fc.property(hostileHash, (hash) => {
    const d = decodeHash(hash);
    assertPageValid(d.config);
    assert.ok(d.lang === null || d.lang === 'en' || d.lang === 'ja');
    assert.ok(d.section === null || SECTIONS.includes(d.section));
    d.rejected.forEach(assertNamed);
  }));
});

test('decodeHash: refusals name keys the link has; every repeated key is named; the first value applies', () => {
  fc.assert(fc.property(pairs, (ps) => {
    const d = decodeHash(asHash(ps));
    const named = new Set(d.rejected.map((r) => r.field));
    const keys = new Set(ps.map(([k]) => echo(k) || '(unnamed)'));
    for (const f of named) assert.ok(keys.has(f) || /^run( \d+)?$/.test(f), `"${f}" is not a key of the link`);
    const counts = new Map();
    for (const [k] of ps) counts.set(k, (counts.get(k) ?? 0) + 1);
    for (const [k, n] of counts) if (n > 1 && k !== 'run') assert.ok(named.has(echo(k) || '(unnamed)'), `repeated "${k}" is not named`);
    for (const f of SETTINGS) {
      const first = ps.find(([k]) => k === f.key);
      if (first && !named.has(f.key)) assert.equal(d.config[f.path[0]][f.path[1]], parseDecimal(first[1]), f.key);
    }
  }));
});

test('encodeHash → decodeHash is the identity for every valid configuration', () => {
  fc.assert(fc.property(validConfig, fc.constantFrom('en', 'ja'), fc.constantFrom(null, ...SECTIONS), (c, lang, section) => {
    const d = decodeHash(encodeHash(c, lang, null, section));
    assert.deepEqual(d.rejected, []);
    assert.deepEqual(d.config, c);
    assert.equal(d.lang, lang);
    assert.equal(d.section, section);
  }));
});

test('parseDecimal: every finite number as written by String() reads back exactly; no other notation is read', () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => { assert.ok(Object.is(parseDecimal(String(x)), x + 0), String(x)); }));
  fc.assert(fc.property(fc.oneof(fc.string(), hostileValue), (s) => {
    const n = parseDecimal(s);
    if (!Number.isNaN(n)) {
      assert.match(s, /^[+-]?[0-9.]+([eE][+-]?[0-9]+)?$/, s);
      assert.equal(n, Number(s) + 0);
    }
  }));
});

// ------------------------------------------------------------------------------------------- model files

const floats = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { maxLength: 6 });
// A model file carries points of your own whole: off the link's grid, and kept beside generated data too.
const fileConfig = fc.tuple(validConfig, fc.option(ownPoints(anyCoordinate, 60), { nil: null })).map(([c, own]) => {
  if (own && c.data.type === 'custom') c.data = { ...c.data, own, points: own.y.length };
  else if (own) c.data = { ...c.data, own };
  return c;
});
const exported = fc.tuple(fileConfig, fc.nat(), fc.array(fc.dictionary(fc.string(), floats, { maxKeys: 4 }), { minLength: MAX_RUNS, maxLength: MAX_RUNS }))
  .map(([config, steps, states]) => modelFileJson({ config, steps, runs: config.runs.map((r, i) => ({ name: r.name, state: Object.entries(states[i]) })) }));

function assertModelResult(result) {
  if ('file' in result) {
    assertPageValid(result.file.config);
    assert.equal(result.file.runs.length, result.file.config.runs.length);
    for (const r of result.file.runs) for (const v of Object.values(r.state)) assert.ok(v.every((x) => Number.isFinite(x)));
    assert.ok(Number.isSafeInteger(result.file.steps) && result.file.steps >= 0);
  } else {
    assert.deepEqual(Object.keys(result).sort(), ['error', 'field']);
    assert.ok(result.field.length > 0 && result.field.length <= MAX_ECHO + 20, result.field.slice(0, 200));
    assert.ok(result.error.startsWith(result.field === 'model file' ? 'model file: ' : `model file: ${result.field}: `), result.error.slice(0, 200));
    assert.ok(result.error.length < 4000, `an error of ${result.error.length} characters`);
  }
}

// A valid file with one field replaced by any JSON value, or removed.
const mutated = fc.tuple(exported, fc.nat(), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined })).map(([text, at, value]) => {
  const file = JSON.parse(text);
  const paths = [];
  const walk = (o, path) => {
    for (const [k, v] of Object.entries(o)) {
      paths.push([...path, k]);
      if (v && typeof v === 'object') walk(v, [...path, k]);
    }
  };
  walk(file, []);
  const path = paths[at % paths.length];
  const parent = path.slice(0, -1).reduce((o, k) => o[k], file);
  if (value === undefined) delete parent[path.at(-1)];
  else parent[path.at(-1)] = value;
  return JSON.stringify(file);
});

test('parseModelFile: any text, JSON value or damaged file is read or refused with its field named, never throws', () => {
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), mutated), (text) => {
    assertModelResult(parseModelFile(text));
  }));
});

test('model file export → parse is the identity', () => {
  fc.assert(fc.property(exported, (text) => {
    const result = parseModelFile(text);
    assert.ok('file' in result, result.error);
    assert.deepEqual(result.file, JSON.parse(text));
  }), { numRuns: 150 });
});

// ---------------------------------------------------------------------------------------- embed messages

const anything = fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true });
const messages = fc.oneof(
  anything,
  fc.record({ normlab: fc.oneof(fc.constantFrom('play', 'pause', 'step', 'reset', 'load', 'height', 'state'), anything) }),
  fc.record({ normlab: fc.constant('load'), config: fc.oneof(anything, fc.string(), pairs.map(asHash), fc.dictionary(hostileKey, fc.oneof(hostileValue, anything, fc.array(hostileValue)))) }),
);

test('parseMessage: any message is a command, a refusal naming its field, or not normlab\'s; a load gives a valid configuration', () => {
  fc.assert(fc.property(messages, (data) => {
    const m = parseMessage(data);
    if (m === null) return;
    if ('error' in m) { assertNamed(m.error); return; }
    assert.ok(['play', 'pause', 'step', 'reset', 'load'].includes(m.command));
    if (m.command !== 'load') return;
    m.rejected.forEach(assertNamed);
    const d = decodeHash(m.config);
    assertPageValid(d.config);
    d.rejected.forEach(assertNamed);
  }));
});

test('a load message with any valid configuration, as a string or an object, loads exactly it', () => {
  fc.assert(fc.property(validConfig, (c) => {
    const link = encodeHash(c, 'en').slice(1);
    const object = {};
    for (const [k, v] of new URLSearchParams(link)) object[k] = k === 'run' ? [...(object[k] ?? []), v] : v;
    for (const config of [link, object]) {
      const m = parseMessage({ normlab: 'load', config });
      assert.deepEqual(m.rejected, []);
      const d = decodeHash(m.config);
      assert.deepEqual(d.rejected, []);
      assert.deepEqual(d.config, c);
    }
  }));
});

test('embedOptions: whatever origins= lists, only http(s) origins are trusted, never "null"', () => {
  fc.assert(fc.property(fc.array(fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom('null', 'data:,x', 'file:///x', 'blob:null/1', 'about:blank', 'javascript:1')), { maxLength: 6 }),
    fc.constantFrom('https://lab.example', 'null', 'file://'), (list, own) => {
      const o = embedOptions(`?embed=1&origins=${encodeURIComponent(list.join(','))}`, own);
      for (const origin of o.origins) assert.match(origin, /^https?:\/\/[^/]+$/);
      assert.equal(accepts(o, 'null', false), false);
      assert.equal(accepts(o, own, false), own === 'https://lab.example');
    }));
});
