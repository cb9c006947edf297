// Drawing your own points (web/state/drawing.ts): clicks map back through the inputs' scale and shift onto the
// link's grid, Shift-click removes the nearest point, and choosing "Your own points" starts from a sample of
// the points shown.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addPoint, ownPointsDraft, removeNearest, seedPoints, shownPoints, SEED_POINTS } from '../../build-unit/state/drawing.js';
import { defaultConfig } from '../../build-unit/state/config.js';
import { snapToLinkGrid } from '../../build-unit/state/ownpoints.js';

const plain = { scale: 1, shift: 0 };

test('a click adds a point of its class on the link grid, through the inputs\' scale and shift', () => {
  const own = addPoint({ x: [], y: [] }, 0.12345, -1.98765, 1, plain);
  assert.deepEqual(own, { x: [0.123, -1.988], y: [1] });
  const scaled = addPoint({ x: [], y: [] }, 25, 15, 0, { scale: 5, shift: 20 }); // shown = raw · 5 + 20
  assert.deepEqual(scaled, { x: [1, -1], y: [0] });
  assert.deepEqual(Array.from(shownPoints(scaled, { scale: 5, shift: 20 }).x), [25, 15]);
});

test('Shift-click removes the nearest point, and only it', () => {
  const own = { x: [0, 0, 1, 1, 2, 2], y: [0, 1, 0] };
  assert.deepEqual(removeNearest(own, 0.9, 1.2, plain), { x: [0, 0, 2, 2], y: [0, 0] });
  assert.deepEqual(removeNearest({ x: [], y: [] }, 0, 0, plain), { x: [], y: [] });
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: 0, max: 1 })), { minLength: 1, maxLength: 40 }),
    fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 }), (pts, cx, cy) => {
      const own = { x: pts.flatMap(([a, b]) => [a / 1000, b / 1000]), y: pts.map(([, , l]) => l) };
      const out = removeNearest(own, cx / 1000, cy / 1000, plain);
      assert.equal(out.y.length, own.y.length - 1);
      assert.equal(out.x.length, 2 * out.y.length);
    }), { seed: 7 });
});

test('your own points start from at most 200 of the points shown; the Points field counts them', () => {
  const n = 1600;
  const shown = { x: Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i) * 2), y: Int32Array.from({ length: n }, (_, i) => i % 2) };
  const own = seedPoints(shown, plain);
  assert.ok(own.y.length <= SEED_POINTS && own.y.length >= SEED_POINTS / 2, `${own.y.length}`);
  assert.ok(own.x.every((v) => snapToLinkGrid(v) === v), 'on the link grid');
  const c = defaultConfig();
  c.data.type = 'custom';
  const d = ownPointsDraft(c, false, shown);
  assert.equal(d.data.points, own.y.length);
  const cleared = ownPointsDraft({ ...d, data: { ...d.data, own: { x: [], y: [] } } }, true, shown);
  assert.equal(cleared.data.points, 0, 'Clear is not undone by the seed');
  assert.equal(ownPointsDraft(defaultConfig(), false, shown).data.type, 'moons', 'other datasets are left alone');
});
