// Predict, then see (web/state/questions.ts): a preset's question and its answer, derived from its claims only.
// Cases by hand on made-up claims; every real preset's answer is checked against training in
// tests/node/presets.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { answerOf, measuredAnswer, questionFor } from '../../build-unit/state/questions.js';
import { PRESETS } from '../../build-unit/state/presets.js';
import { decodeHash, encodeHash } from '../../build-unit/state/urlstate.js';

const preset = (runs, claims) => ({ id: 'x', config: { runs: Array.from({ length: runs }, (_, i) => ({ name: `r${i}` })) }, claims });

test('lossLess claims chain: the run below every other is the answer', () => {
  const p = preset(3, [{ kind: 'lossLess', run: 2, than: 1 }, { kind: 'lossLess', run: 1, than: 0 }]);
  assert.equal(answerOf(p, 'trainLoss'), 2);
  assert.equal(answerOf(p, 'trainLoss', true), 0, 'and the worst, above every other');
  assert.deepEqual(questionFor(p), { kind: 'trainLoss', worst: false, answer: 2 });
});

test('bounds decide only when they separate: below 0.2 beats above 0.65, not above 0.1', () => {
  const p = preset(2, [{ kind: 'lossBelow', run: 1, value: 0.2 }, { kind: 'lossAbove', run: 0, value: 0.65 }]);
  assert.equal(answerOf(p, 'trainLoss'), 1);
  const q = preset(2, [{ kind: 'lossBelow', run: 1, value: 0.2 }, { kind: 'lossAbove', run: 0, value: 0.1 }]);
  assert.equal(answerOf(q, 'trainLoss'), null, 'a loss above 0.1 may still be below 0.2');
  assert.equal(questionFor(q), null);
});

test('a run that stops has the worst loss; nothing is said of a run without claims', () => {
  const p = preset(2, [{ kind: 'stops', run: 0, message: 'diverged' }, { kind: 'lossBelow', run: 1, value: 0.15 }]);
  assert.equal(answerOf(p, 'trainLoss'), 1);
  const q = preset(3, [{ kind: 'stops', run: 0, message: 'diverged' }, { kind: 'lossBelow', run: 1, value: 0.15 }]);
  assert.equal(answerOf(q, 'trainLoss'), null, 'run 2 could be lower');
});

test('accuracy: above beats below when the bounds separate; test loss has its own claims', () => {
  const p = preset(2, [{ kind: 'testAccuracyAbove', run: 1, value: 0.95 }, { kind: 'testAccuracyBelow', run: 0, value: 0.85 }]);
  assert.deepEqual(questionFor(p), { kind: 'testAccuracy', worst: false, answer: 1 });
  const t = preset(3, [{ kind: 'testLossAbove', run: 0, value: 0.7 }, { kind: 'testLossBelow', run: 1, value: 0.4 }, { kind: 'testLossBelow', run: 2, value: 0.4 }]);
  assert.deepEqual(questionFor(t), { kind: 'testLoss', worst: true, answer: 0 });
});

test('the measured answer: lowest loss, highest accuracy, a stopped run last', () => {
  assert.equal(measuredAnswer({ kind: 'trainLoss', worst: false }, [0.3, 0.1, Infinity]), 1);
  assert.equal(measuredAnswer({ kind: 'trainLoss', worst: true }, [0.3, 0.1, Infinity]), 2);
  assert.equal(measuredAnswer({ kind: 'testAccuracy', worst: false }, [0.9, 0.97, -Infinity]), 1);
  assert.equal(measuredAnswer({ kind: 'testAccuracy', worst: true }, [0.9, 0.97, -Infinity]), 2);
});

test('most presets can be asked; predict=1 in a link needs an unchanged preset with a question', () => {
  const asked = PRESETS.filter((p) => questionFor(p));
  assert.ok(asked.length >= PRESETS.length - 2, `${asked.length} of ${PRESETS.length}`);
  assert.equal(decodeHash('#preset=deep-sigmoid&predict=1').predict, true);
  const round = decodeHash(encodeHash(PRESETS.find((p) => p.id === 'deep-sigmoid').config, 'en', 'deep-sigmoid', null, true));
  assert.equal(round.predict, true);
  assert.deepEqual(round.rejected, []);
  const changed = decodeHash('#preset=deep-sigmoid&lr=0.5&predict=1');
  assert.equal(changed.predict, false);
  assert.match(changed.rejected.map((r) => `${r.field}: ${r.reason}`).join(), /predict: needs an unchanged preset/);
  // "BatchNorm before or after the activation": its claim is that they end close, no run comes first.
  assert.equal(questionFor(PRESETS.find((p) => p.id === 'placement')), null);
  assert.match(decodeHash('#preset=placement&predict=1').rejected[0].reason, /the preset "placement" has no question/);
  assert.match(decodeHash('#preset=lesson&predict=yes').rejected[0].reason, /expected 1 or 0/);
});
