// Points of your own (data type custom): the configuration helpers, the page's check, the link's packing
// (pts=, web/state/ownpoints.ts), the CSV reader (web/state/csv.ts) and model files. Properties use a fixed
// fast-check seed: a failure prints the seed and path that reproduce it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dataJson, defaultConfig, withOwnPoints } from '../../build-unit/state/config.js';
import { errorTarget, pageErrors } from '../../build-unit/state/checks.js';
import { OWN_LIMITS } from '../../build-unit/state/limits.js';
import { LINK_GRID, MAX_LINK_POINTS, decodePoints, encodePoints, snapToLinkGrid } from '../../build-unit/state/ownpoints.js';
import { decodeHash, encodeHash, pointsInLink } from '../../build-unit/state/urlstate.js';
import { parsePointsCsv, pointsCsv } from '../../build-unit/state/csv.js';
import { modelFileJson, parseModelFile } from '../../build-unit/export/modelfile.js';
import { localizeError } from '../../build-unit/i18n/errors.js';

fc.configureGlobal({ seed: 20250613, numRuns: 300 });

// n points on the link's grid, deterministic.
function gridPoints(n, spread = 3) {
  const x = [], y = [];
  for (let i = 0; i < n; i++) {
    x.push(snapToLinkGrid(spread * Math.sin(i * 1.7)), snapToLinkGrid(spread * Math.cos(i * 0.9)));
    y.push(i % 3 === 0 ? 1 : 0);
  }
  return { x, y };
}
const custom = (own) => withOwnPoints({ ...defaultConfig(), data: { ...defaultConfig().data, type: 'custom' } }, own);

// ---------------------------------------------------------------------------------------------- config

test('withOwnPoints copies the points and keeps data.points their number when the data is custom', () => {
  const own = gridPoints(7);
  const base = defaultConfig();
  const moons = withOwnPoints(base, own);
  assert.deepEqual(moons.data.own, own);
  assert.equal(moons.data.points, 2000, 'generated data keeps its own count');
  assert.deepEqual(base.data.own, { x: [], y: [] }, 'the given configuration is not changed');
  own.y.push(1);
  assert.equal(moons.data.own.y.length, 7, 'a copy');
  const c = custom(gridPoints(9));
  assert.equal(c.data.points, 9);
  c.data.type = 'moons';
  c.data.type = 'custom';
  c.data.points = 2000;
  assert.equal(withOwnPoints(c).data.points, 9, 'withOwnPoints(c) re-syncs');
});

test('dataJson sends custom data as the engine\'s "points" with x and y and no noise', () => {
  const own = gridPoints(5);
  const c = custom(own);
  c.data.seed = 3;
  assert.deepEqual(JSON.parse(dataJson(c)), { type: 'points', points: 5, seed: 3, test_fraction: 0.2, scale: 1, shift: 0, x: own.x, y: own.y });
  assert.deepEqual(JSON.parse(dataJson(defaultConfig())), { type: 'moons', points: 2000, noise: 0.2, seed: 0, test_fraction: 0.2, scale: 1, shift: 0 });
});

test('the page asks for at least 4 points of your own, by the Points control', () => {
  assert.deepEqual(pageErrors(custom(gridPoints(2))), [{ target: { kind: 'data', field: 'points' }, message: 'points: add at least 4 points (has 2)' }]);
  assert.deepEqual(pageErrors(custom({ x: [], y: [] })).map((e) => e.message), ['points: add at least 4 points (has 0)']);
  assert.deepEqual(pageErrors(custom(gridPoints(4))), []);
  assert.deepEqual(pageErrors(withOwnPoints(defaultConfig(), gridPoints(2))), [], 'drawn points only matter for custom data');
  // The engine's errors about the points (x[3], y[2], x, y) belong to the Points control too.
  for (const field of ['x', 'y', 'x[3]', 'y[20000]']) assert.deepEqual(errorTarget('data', field), { kind: 'data', field: 'points' }, field);
});

// ------------------------------------------------------------------------------------------------ link

test('snapToLinkGrid rounds to the link\'s grid of 1/1000', () => {
  assert.equal(LINK_GRID, 1000);
  assert.equal(snapToLinkGrid(0.12345), 0.123);
  assert.equal(snapToLinkGrid(-1.0006), -1.001);
  assert.ok(Object.is(snapToLinkGrid(-0.0001), 0), '-0 is written 0');
  assert.equal(snapToLinkGrid(2.5), 2.5);
});

test('drawn points travel in the link and come back exactly', () => {
  const c = custom(gridPoints(MAX_LINK_POINTS));
  assert.ok(pointsInLink(c));
  const hash = encodeHash(c, 'en');
  assert.match(hash, /&pts=[A-Za-z0-9_-]+&/);
  assert.ok(hash.length < 7 * MAX_LINK_POINTS, `a link of ${hash.length} characters for ${MAX_LINK_POINTS} points`);
  const d = decodeHash(hash);
  assert.deepEqual(d.rejected, []);
  assert.deepEqual(d.config, c);
});

test('points that cannot travel are left out, pointsInLink says so, and the link opens on the default data', () => {
  for (const own of [gridPoints(MAX_LINK_POINTS + 1), { x: [0.1234, 0, 1, 1, 2, 2, 3, 3], y: [0, 1, 0, 1] }]) {
    const c = custom(own);
    assert.equal(pointsInLink(c), false);
    const hash = encodeHash(c, 'en');
    assert.doesNotMatch(hash, /pts=/);
    const d = decodeHash(hash);
    assert.equal(d.config.data.type, 'moons');
    assert.deepEqual(d.rejected, [{ field: 'data', reason: 'your own points did not travel in this link (no pts=); the data stays "moons"' }]);
  }
  assert.ok(pointsInLink(defaultConfig()), 'generated data has nothing to leave out');
  assert.ok(pointsInLink(withOwnPoints(defaultConfig(), gridPoints(5000))), 'nor do points kept beside generated data');
  assert.doesNotMatch(encodeHash(withOwnPoints(defaultConfig(), gridPoints(5)), 'en'), /pts=/);
});

test('a malformed pts= is refused by name, and the rest of the link applies', () => {
  const good = encodePoints(gridPoints(6));
  const cases = [
    ['A', 'not the link\'s packing of points (base64url)'],
    ['!!!!', 'not the link\'s packing of points (base64url)'],
    ['AB', 'not the link\'s packing of points (base64url)'], // unused bits set
    ['', 'not a number of points from 0 to 1000'],
    ['gAA', 'not a number of points from 0 to 1000'], // an overlong varint
    [encodePoints(gridPoints(1001)), 'not a number of points from 0 to 1000'],
    ['BA', 'point 1 of 4: cut short, or a coordinate beyond ±1000'],
    [Buffer.concat([Buffer.from(good, 'base64url'), Buffer.from([0])]).toString('base64url'), 'expected 1 byte of labels after the 6 points, found 2'],
    [encodePoints({ x: [1000.001, 0, 1, 1, 2, 2, 3, 3], y: [0, 1, 0, 1] }), 'point 1 of 4: cut short, or a coordinate beyond ±1000'],
    [encodePoints(gridPoints(2)), '2 points; at least 4 are needed'],
  ];
  for (const [pts, reason] of cases) {
    const d = decodeHash(`#data=custom&width=32&pts=${pts}`);
    assert.deepEqual(d.rejected, [{ field: 'pts', reason }], pts);
    assert.equal(d.config.data.type, 'moons', pts);
    assert.equal(d.config.model.width, 32);
  }
  // Label bits past the last point.
  const bytes = Buffer.from(encodePoints(gridPoints(4)), 'base64url');
  bytes[bytes.length - 1] |= 0x80;
  assert.deepEqual(decodePoints(bytes.toString('base64url')), { error: 'label bits set past the last point' });
  // pts= without data=custom, and a points= that is not their number.
  assert.deepEqual(decodeHash(`#data=spiral&pts=${good}`).rejected, [{ field: 'pts', reason: 'points of your own are read only with data=custom' }]);
  const d = decodeHash(`#data=custom&points=7&pts=${good}`);
  assert.deepEqual(d.rejected, [{ field: 'points', reason: '"7" is not the number of your own points (6)' }]);
  assert.equal(d.config.data.points, 6);
});

const gridCoordinate = fc.integer({ min: -1e6, max: 1e6 }).map((q) => q / 1000 + 0);
const ownOnGrid = (min, max) => fc.integer({ min, max }).chain((n) => fc.tuple(
  fc.array(gridCoordinate, { minLength: 2 * n, maxLength: 2 * n }), fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
)).map(([x, y]) => ({ x, y }));

test('property: points on the grid pack and unpack exactly, and every packing that reads is the one encodePoints writes', () => {
  fc.assert(fc.property(ownOnGrid(0, 200), (own) => {
    assert.deepEqual(decodePoints(encodePoints(own)), { own });
  }));
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom(...'ABCDEFGHgw09-_') }), fc.base64String().map((s) => s.replace(/=+$/, ''))), (text) => {
    const d = decodePoints(text);
    if ('own' in d) assert.equal(encodePoints(d.own), text);
    else assert.ok(d.error.length > 0 && d.error.length < 120);
  }));
});

test('property: a link with any drawn points round-trips, and any damage to pts= is named, never thrown', () => {
  fc.assert(fc.property(ownOnGrid(4, 60), fc.nat(), fc.constantFrom('', 'A', '-', '_', '%', '='), (own, at, insert) => {
    const c = custom(own);
    const hash = encodeHash(c, 'ja');
    assert.deepEqual(decodeHash(hash).config, c);
    const pts = encodePoints(own);
    const i = at % (pts.length + 1);
    const damaged = pts.slice(0, i) + insert + pts.slice(i + 1);
    const d = decodeHash(`#data=custom&pts=${encodeURIComponent(damaged)}`);
    if (d.config.data.type !== 'custom') assert.deepEqual(d.rejected.map((r) => r.field), ['pts'], damaged);
    else assert.equal(encodePoints(d.config.data.own), damaged);
  }), { numRuns: 150 });
});

test('the outliers preset travels in a link, by its id or by its points, and stays that preset', async () => {
  const { PRESETS } = await import('../../build-unit/state/presets.js');
  const outliers = PRESETS.find((p) => p.id === 'outliers');
  assert.equal(outliers.config.data.type, 'custom');
  assert.equal(outliers.config.data.points, 308);
  assert.ok(pointsInLink(outliers.config), 'every coordinate on the grid');
  for (const hash of ['#preset=outliers', encodeHash(outliers.config, 'en', 'outliers')]) {
    const d = decodeHash(hash);
    assert.deepEqual(d.rejected, []);
    assert.equal(d.preset, 'outliers', hash.slice(0, 80));
    assert.deepEqual(d.config, outliers.config);
  }
  const moons = decodeHash('#preset=outliers&data=moons');
  assert.deepEqual([moons.preset, moons.config.data.type, moons.config.data.own], [null, 'moons', { x: [], y: [] }]);
});

// ------------------------------------------------------------------------------------------------- CSV

test('CSV: rows x1,x2,label, with an optional header, blank lines, CRLF, a BOM and spaces', () => {
  const want = { own: { x: [0.5, -1.25, 3, 1e-7], y: [0, 1] } };
  assert.deepEqual(parsePointsCsv('0.5,-1.25,0\n3,1e-7,1\n'), want);
  assert.deepEqual(parsePointsCsv('x1,x2,label\r\n0.5,-1.25,0\r\n\r\n3,1e-7,1'), want);
  assert.deepEqual(parsePointsCsv('\uFEFF"a","b","c"\n\n 0.5 , -1.25 ,0\n3,  1e-7,\t1\n\n'), want);
  assert.deepEqual(parsePointsCsv('1000,-1000,1.0'), { own: { x: [1000, -1000], y: [1] } });
});

test('CSV: the first problem is named by its line and column, and nothing else is read', () => {
  const cases = [
    ['x1,x2,label\n1,2,0\n3,4,0\n5,6,1\n1,1,0\n2,2,1\n7,8,2\n', 7, 3, 'the label must be 0 or 1, got "2"'],
    ['1,2,0\nx1,x2,label\n', 2, 1, 'x1 is not a number: "x1"'],
    ['1,x,0\n', 1, 2, 'x2 is not a number: "x"'], // a header has no number in it
    ['1,2\n', 1, 3, 'missing the label (expected x1,x2,label)'],
    ['1\n', 1, 2, 'missing x2 (expected x1,x2,label)'],
    ['1,2,0,9\n', 1, 4, 'a value too many: "9" (expected x1,x2,label)'],
    ['1,,0\n', 1, 2, 'x2 is empty'],
    ['0x10,2,0\n', 1, 1, 'x1 is not a number: "0x10"'],
    ['1,Infinity,0\n', 1, 2, 'x2 is not a number: "Infinity"'],
    ['1,1000.5,0\n', 1, 2, 'x2 must be in [-1000, 1000], got 1000.5'],
    ['1,2,true\n', 1, 3, 'the label is not a number: "true"'],
    ['1,2,0.5\n', 1, 3, 'the label must be 0 or 1, got "0.5"'],
    ['', 1, 1, 'no points (expected rows x1,x2,label)'],
    ['x1,x2,label\n', 1, 1, 'no points (expected rows x1,x2,label)'],
    ['\n\n\n', 3, 1, 'no points (expected rows x1,x2,label)'],
  ];
  for (const [text, line, column, reason] of cases)
    assert.deepEqual(parsePointsCsv(text), { error: `line ${line}, column ${column}: ${reason}`, line, column }, JSON.stringify(text));
  const long = parsePointsCsv(`1,${'9'.repeat(500)},0`);
  assert.ok(long.error.length < 200 && long.error.includes('… (cut)'), long.error);
});

test('CSV: up to 20,000 rows', () => {
  const rows = (n) => 'x1,x2,label\n' + Array.from({ length: n }, (_, i) => `${i % 7},${i % 5},${i % 2}`).join('\n');
  assert.equal(OWN_LIMITS.points.max, 20000);
  assert.equal(parsePointsCsv(rows(20000)).own.y.length, 20000);
  assert.deepEqual(parsePointsCsv(rows(20001)), { error: 'line 20002, column 1: more than 20000 points, the limit', line: 20002, column: 1 });
});

const anyCoordinate = fc.double({ min: -1000, max: 1000, noNaN: true }).map((v) => v + 0);
const anyOwn = fc.integer({ min: 1, max: 80 }).chain((n) => fc.tuple(
  fc.array(anyCoordinate, { minLength: 2 * n, maxLength: 2 * n }), fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
)).map(([x, y]) => ({ x, y }));

test('property: a printed set of points parses back exactly', () => {
  fc.assert(fc.property(anyOwn, fc.boolean(), (own, crlf) => {
    const text = pointsCsv(own);
    assert.deepEqual(parsePointsCsv(crlf ? text.replace(/\n/g, '\r\n') : text), { own });
  }));
});

test('property: any malformed line is named by its line number', () => {
  const badLine = fc.oneof(
    fc.constantFrom('1,2', '1,2,3', '1,2,0,0', 'a,2,0', '1,b,1', '1,2,x', ',,', '1e999,0,0', '-1001,0,1', '0,0,-1', '1;2;0'),
    fc.string({ minLength: 1 }).filter((s) => !/[\n\r]/.test(s) && s.trim() !== '' && 'error' in parsePointsCsv(`x1,x2,label\n${s}`)), // not a point
  );
  fc.assert(fc.property(anyOwn, fc.nat(), badLine, (own, at, bad) => {
    const lines = pointsCsv(own).trimEnd().split('\n');
    const i = 1 + (at % lines.length); // after the header, so the bad line is never read as one
    lines.splice(i, 0, bad);
    const result = parsePointsCsv(lines.join('\n'));
    assert.ok('error' in result, bad);
    assert.equal(result.line, i + 1, `${result.error} for ${JSON.stringify(bad)}`);
    assert.ok(result.column >= 1 && result.column <= 4 && result.error.startsWith(`line ${i + 1}, column ${result.column}: `));
  }));
});

test('the page\'s messages about points of your own read in Japanese, numbers and values kept', () => {
  const csv = ['1,2,0,9', '1,2', '1', '1,,0', 'a,2,0', '1,2,x', '1,1000.5,0', '1,2,2', ''].map((line) => parsePointsCsv(`${line}\n`).error);
  const many = parsePointsCsv(`${'1,1,1\n'.repeat(20001)}`).error;
  for (const message of [...csv, many, pageErrors(custom(gridPoints(2)))[0].message, 'points: at most 20000 points of your own (has 20001)']) {
    const ja = localizeError(message, 'ja');
    assert.notEqual(ja, message, message);
    assert.doesNotMatch(ja.replace(/^points|x1,x2,label|x[12]|"[^"]*"/g, ''), /[a-z]{3,}/, `English left in: ${ja}`);
    for (const number of message.match(/\d+(\.\d+)?/g) ?? []) assert.ok(ja.includes(number), `keeps ${number}: ${ja}`);
  }
});

// ------------------------------------------------------------------------------------------ model files

const file = (config) => modelFileJson({ config, steps: 3, runs: config.runs.map((r) => ({ name: r.name, state: [['0.weight', [1, 2]]] })) });

test('a model file carries points of your own whole — off the link\'s grid and over its limit too', () => {
  const own = { x: Array.from({ length: 3000 }, (_, i) => Math.sin(i) * 1.2345678), y: Array.from({ length: 1500 }, (_, i) => i % 2) };
  const c = custom(own);
  assert.equal(pointsInLink(c), false);
  const parsed = parseModelFile(file(c));
  assert.ok('file' in parsed, parsed.error);
  assert.deepEqual(parsed.file.config, c);
  const kept = withOwnPoints(defaultConfig(), gridPoints(2)); // drawn, then back to the moons: kept too
  assert.deepEqual(parseModelFile(file(kept)).file.config, kept);
  const old = JSON.parse(file(defaultConfig()));
  delete old.config.data.own; // a file from before points of your own
  assert.deepEqual(parseModelFile(JSON.stringify(old)).file.config, defaultConfig());
});

test('a model file\'s damaged points are named by their field', () => {
  const at = (change) => { const f = JSON.parse(file(custom(gridPoints(5)))); change(f.config.data); return parseModelFile(JSON.stringify(f)); };
  assert.deepEqual(at((d) => { d.own.y[2] = 2; }), { field: 'config.data.own.y[2]', error: 'model file: config.data.own.y[2]: must be 0 or 1, got 2' });
  assert.deepEqual(at((d) => { d.own.x[7] = '1'; }), { field: 'config.data.own.x[7]', error: 'model file: config.data.own.x[7]: must be a number in [-1000, 1000], got "1"' });
  assert.deepEqual(at((d) => { d.own.x[0] = 1e6; }).field, 'config.data.own.x[0]');
  assert.deepEqual(at((d) => { d.own.x.pop(); }).field, 'config.data.own.x');
  assert.deepEqual(at((d) => { d.own = 'points'; }), { field: 'config.data.own', error: 'model file: config.data.own: must be {"x": [...], "y": [...]}, got "points"' });
  assert.deepEqual(at((d) => { d.own = { x: [0, 0, 1, 1], y: [0, 1] }; }), { field: 'config', error: 'model file: config: data: 2 points of your own; at least 4 are needed; the data stays "moons"' });
  assert.deepEqual(at((d) => { d.points = 9; }), { field: 'config', error: 'model file: config: points: "9" is not the number of your own points (5)' });
});
