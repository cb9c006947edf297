// Every preset's caption claim, checked: each preset is trained through the wasm engine with seeds 0, 1, 2
// (data seed and training seed), and every claim must hold for every seed. The claims restate the caption's
// numbers; a caption that measurement contradicts must be rewritten, not this test.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { PRESETS } = await import('../../build-unit/state/presets.js');
const { measuredAnswer, questionFor } = await import('../../build-unit/state/questions.js');
const configModule = await import('../../build-unit/state/config.js');
const { trainEvalAccuracy } = await import('../../build-unit/engine/batchmates.js');
const { setUpLab } = configModule;
const M = await loadNormlab();

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

function train(config, seed) {
  const c = { ...config, data: { ...config.data, seed }, training: { ...config.training, seed } };
  const lab = setUpLab(new M.Lab(), c);
  try {
    let summary;
    for (let e = 0; e < c.training.epochs; e++) {
      do lab.step(1 << 20); while (!lab.epochEnded());
      summary = lab.epochSummary();
    }
    return c.runs.map((_, r) => {
      const state = lab.runState(r);
      return {
        loss: state.stopped ? Infinity : summary.meanLoss[r], // a stopped run counts as an infinite loss
        testAccuracy: lab.evaluate(r, true, false).accuracy,
        testLoss: lab.evaluate(r, true, false).loss,
        error: state.stopped ? state.error : '',
        // BatchNorm's first layer's running variance, averaged over its features (NaN for other runs)
        runningVar: lab.parameterNames(r).includes('1.running_var') ? mean(lab.getParameter(r, '1.running_var')) : NaN,
        // train mode (one more epoch of the sampler's batches) against eval mode on the training set (presets.ts)
        trainEval: state.stopped ? null : trainEvalAccuracy(lab, r, lab.sampleEpochs(1, c.training.seed)),
      };
    });
  } finally {
    lab.delete();
  }
}

function check(claim, runs) {
  const a = runs[claim.run];
  switch (claim.kind) {
    case 'lossBelow': return a.loss < claim.value;
    case 'lossAbove': return a.loss > claim.value;
    case 'lossLess': return a.loss < runs[claim.than].loss;
    case 'lossClose': return Math.abs(a.loss - runs[claim.to].loss) < claim.within;
    case 'testAccuracyAbove': return a.testAccuracy > claim.value;
    case 'testAccuracyBelow': return a.testAccuracy < claim.value;
    case 'stops': return a.error.startsWith(claim.message);
    case 'testLossAbove': return a.testLoss > claim.value;
    case 'testLossBelow': return a.testLoss < claim.value;
    case 'testLossLess': return a.testLoss < runs[claim.than].testLoss;
    case 'trainEvalGapAbove': return a.trainEval !== null && a.trainEval.gap > claim.value;
    case 'trainEvalGapBelow': return a.trainEval !== null && a.trainEval.gap < claim.value;
    default: throw new Error(`unknown claim ${claim.kind}`);
  }
}

test('there are presets, each with a caption in English and Japanese and claims to check', () => {
  assert.ok(PRESETS.length >= 9);
  for (const p of PRESETS) {
    assert.ok(p.caption.en.length > 80 && p.caption.ja.length > 40 && p.name.en && p.name.ja, p.id);
    assert.ok(p.claims.length >= 1, p.id);
  }
});

for (const preset of PRESETS) {
  test(`preset "${preset.id}": the caption's claims hold for seeds 0, 1, 2`, () => {
    for (const seed of [0, 1, 2]) {
      const runs = train(preset.config, seed);
      const names = preset.config.runs.map((r) => r.name);
      const modes = (r) => (r.trainEval ? `, train mode ${(100 * r.trainEval.trainMode).toFixed(1)}% vs eval ${(100 * r.trainEval.evalMode).toFixed(1)}%` : '');
      const measured = runs.map((r, i) => `${names[i]} loss ${r.loss.toFixed(3)}, test loss ${r.testLoss.toFixed(3)}, test ${(100 * r.testAccuracy).toFixed(1)}%${modes(r)}`).join('; ');
      for (const claim of preset.claims) assert.ok(check(claim, runs), `seed ${seed}: ${JSON.stringify(claim)} fails — ${measured}`);
      // Predict, then see: the answer derived from the claims is the run that measures first.
      const q = questionFor(preset);
      if (q) {
        const values = runs.map((r) => (q.kind === 'trainLoss' ? r.loss : r.error ? (q.kind === 'testLoss' ? Infinity : -Infinity)
          : q.kind === 'testLoss' ? r.testLoss : r.testAccuracy));
        assert.equal(measuredAnswer(q, values), q.answer, `seed ${seed}: ${JSON.stringify(q)} — ${measured}`);
      }
    }
  });
}

// The outliers preset's last sentences, against the same points without the outliers: the outliers inflate
// BatchNorm's statistics (its first layer's running variance, over 20 times), and without them BatchNorm trains
// as well as the others — the outliers, not the moons, are what holds it back.
test('preset "outliers": without its outliers BatchNorm\'s statistics shrink and it trains as well as the others', () => {
  const { withOwnPoints } = configModule;
  const config = PRESETS.find((p) => p.id === 'outliers').config;
  const { x, y } = config.data.own;
  const near = y.map((_, i) => i).filter((i) => Math.hypot(x[2 * i] - 0.5, x[2 * i + 1] - 0.25) < 5);
  assert.equal(near.length, y.length - 8, "eight outliers");
  const moons = withOwnPoints(config, { x: near.flatMap((i) => [x[2 * i], x[2 * i + 1]]), y: near.map((i) => y[i]) });
  for (const seed of [0, 1, 2]) {
    const runs = train(moons, seed);
    const measured = runs.map((r, i) => `${moons.runs[i].name} loss ${r.loss.toFixed(3)}, test ${(100 * r.testAccuracy).toFixed(1)}%`).join('; ');
    for (const r of runs) assert.ok(r.loss < 0.05 && r.testAccuracy > 0.95, `seed ${seed}: ${measured}`);
    const withOutliers = train(config, seed)[1].runningVar, without = runs[1].runningVar;
    assert.ok(withOutliers > 20 * without, `seed ${seed}: BatchNorm's running variance ${withOutliers.toFixed(3)} with the outliers, ${without.toFixed(3)} without`);
  }
});

// The sorted-batches preset's last sentence: with shuffled batches BatchNorm's two modes agree within 3 points.
test('preset "sorted-batches": with shuffled batches BatchNorm\'s train and eval modes agree again', () => {
  const sorted = PRESETS.find((p) => p.id === 'sorted-batches').config;
  const shuffled = { ...sorted, training: { ...sorted.training, sampler: 'shuffle' } };
  for (const seed of [0, 1, 2]) {
    const [bn] = train(shuffled, seed);
    assert.ok(bn.trainEval.gap < 0.03, `seed ${seed}: train mode ${bn.trainEval.trainMode}, eval ${bn.trainEval.evalMode}`);
  }
});
