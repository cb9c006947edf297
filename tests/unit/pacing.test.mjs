// Full-speed play is paced by training (web/engine/pacing.ts): on a simulated clock, a lab whose boundary is
// as costly as the deep sigmoid preset's still trains ≥ 75 % of the time and repaints ≥ 5 times a second, and
// a cheap one gets the full live grid. No real time is measured here (that is npm run bench's job).
import test from 'node:test';
import assert from 'node:assert/strict';
import { BOUNDARY_INTERVAL_MS, LIVE_GRID_MAX, LIVE_GRID_MIN, Pacer, simulatePlay } from '../../build-unit/engine/pacing.js';
import { defaultConfig } from '../../build-unit/state/config.js';

// A lab on a fake clock: a step costs `stepMs`, a grid `msPerPoint` per point and run.
function fakeLab(clock, { stepMs, msPerPoint, runs = 2 }) {
  let steps = 0;
  const grids = [];
  return {
    grids,
    setData() {}, setBatchSize() {}, setSampler() {}, addRun() {}, reset() { steps = 0; },
    step(n) { const k = Math.max(1, n); steps += k; clock.t += k * stepMs; return k; },
    stepCount: () => steps,
    runCount: () => runs,
    runState: () => ({ stopped: false, loss: 0.5 }),
    grid(r, w, h) { clock.t += w * h * msPerPoint; grids.push({ at: clock.t, w }); return new Float32Array(2 * w * h); },
    delete() {},
  };
}

for (const [name, costs, expectGrid] of [
  ['deep sigmoid (4 runs, a costly boundary)', { stepMs: 8, msPerPoint: 0.027, runs: 4 }, (g) => g < LIVE_GRID_MAX],
  ['the lesson (2 runs, a cheap boundary)', { stepMs: 0.15, msPerPoint: 0.0003, runs: 2 }, (g) => g === LIVE_GRID_MAX],
]) {
  test(`play is paced by training: ${name}`, () => {
    const clock = { t: 0 };
    let lab;
    const r = simulatePlay(() => (lab = fakeLab(clock, costs)), defaultConfig(), 3000, () => clock.t);
    assert.ok(r.share >= 0.75, `training share ${r.share}`);
    assert.ok(r.ratio <= 1.5, `play ÷ training ${r.ratio}`);
    assert.ok(expectGrid(r.liveGrid), `live grid ${r.liveGrid}`);
    // Repaints: at least 5 a second of play (one interval apart, give or take a training slice).
    const times = [...new Set(lab.grids.map((g) => g.at))];
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    assert.ok(Math.max(...gaps) <= BOUNDARY_INTERVAL_MS + 30, `longest gap between repaints ${Math.max(...gaps)} ms`);
  });
}

test('the live grid follows the measured cost, between its bounds', () => {
  const p = new Pacer();
  p.drew(96 * 96, 1);    // cheap
  assert.equal(p.liveGrid(), LIVE_GRID_MAX);
  const q = new Pacer();
  q.drew(96 * 96, 5000); // very costly
  assert.equal(q.liveGrid(), LIVE_GRID_MIN);
  const m = new Pacer();
  m.drew(96 * 96, 90);   // the deep sigmoid preset at 96 × 96, as measured in a browser
  assert.ok(m.liveGrid() > LIVE_GRID_MIN && m.liveGrid() < LIVE_GRID_MAX, String(m.liveGrid()));
});

test('paused, the boundary is the lesson\'s 200 × 200 unless that would take longer than the budget', async () => {
  const { Pacer, STILL_GRID_MAX, STILL_GRID_MIN, STILL_BUDGET_MS } = await import('../../build-unit/engine/pacing.js');
  const p = new Pacer();
  assert.equal(p.stillGrid(), STILL_GRID_MAX, 'nothing measured yet');
  p.drew(96 * 96, 96 * 96 * 0.001); // the lesson: ~1 µs a point → 200² in 40 ms
  assert.equal(p.stillGrid(), STILL_GRID_MAX);
  p.forgetCost();
  p.drew(96 * 96, 96 * 96 * 0.073); // four deep runs: 73 µs a point
  const side = p.stillGrid();
  assert.ok(side >= STILL_GRID_MIN && side < STILL_GRID_MAX && side * side * 0.073 <= STILL_BUDGET_MS, `${side}`);
});

test('the still grid keeps its side through a timing wobble, so one state draws one picture; a real change moves it', async () => {
  const { Pacer, STILL_GRID_MAX, STILL_HYSTERESIS } = await import('../../build-unit/engine/pacing.js');
  const p = new Pacer();
  p.drew(1000, 1000 * 0.02); // 20 µs a point
  const side = p.stillGrid();
  assert.ok(side < STILL_GRID_MAX, `${side}`);
  for (const cost of [0.026, 0.016, 0.024, 0.017]) { // a busy machine: ±30 % a draw, smoothed
    p.drew(1000, 1000 * cost);
    assert.equal(p.stillGrid(), side, `the side stays at ${cost * 1000} µs a point`);
  }
  for (let i = 0; i < 8; i++) p.drew(1000, 1000 * 0.08); // four times dearer, for good
  const coarser = p.stillGrid();
  assert.ok(coarser * STILL_HYSTERESIS < side, `${coarser} after ${side}`);
  for (let i = 0; i < 12; i++) p.drew(1000, 1000 * 0.0005); // cheap again: back up to the full grid
  assert.equal(p.stillGrid(), STILL_GRID_MAX);
  p.forgetCost();
  assert.equal(p.stillGrid(), STILL_GRID_MAX, 'a new lab starts from the full grid');
});
