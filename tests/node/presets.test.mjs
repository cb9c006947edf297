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
const { LANDSCAPE_EVERY, landscapeRun } = await import('../../build-unit/engine/theory.js');
const M = await loadNormlab();

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

// `landscape`: measure the loss landscape as the Loss landscape lesson does (engine/theory.ts: every
// LANDSCAPE_EVERY steps, every run that has not stopped), for the claims about it.
function train(config, seed, { landscape = false } = {}) {
  const c = { ...config, data: { ...config.data, seed }, training: { ...config.training, seed } };
  const lab = setUpLab(new M.Lab(), c);
  try {
    let summary;
    const startNorms = c.runs.map((_, r) => lab.weightNorms(r));
    const bands = c.runs.map(() => []), gradDiffs = c.runs.map(() => []);
    for (let e = 0; e < c.training.epochs; e++) {
      if (landscape) {
        do {
          lab.step(1);
          if (lab.stepCount() % LANDSCAPE_EVERY) continue;
          c.runs.forEach((_, r) => {
            const m = landscapeRun(lab, r);
            if (m) bands[r].push(m.lossMax - m.lossMin), gradDiffs[r].push(m.gradDiffMax);
          });
        } while (!lab.epochEnded());
      } else {
        do lab.step(1 << 20); while (!lab.epochEnded());
      }
      summary = lab.epochSummary();
    }
    return c.runs.map((_, r) => {
      const state = lab.runState(r);
      const endNorms = state.stopped ? [] : lab.weightNorms(r);
      return {
        // per linear layer: lr/‖W‖² at the end over at the start
        effectiveLrRise: endNorms.map((w, k) => w.effectiveLr / startNorms[r][k].effectiveLr),
        band: bands[r].length ? mean(bands[r]) : NaN,     // mean lossMax − lossMin over the measurements
        gradDiff: gradDiffs[r].length ? mean(gradDiffs[r]) : NaN, // mean gradDiffMax
        measurements: bands[r].length,
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
    case 'effectiveLrRises': return a.effectiveLrRise[claim.linear] >= claim.factor;
    case 'effectiveLrRiseBelow': return a.effectiveLrRise[claim.linear] < claim.factor;
    case 'bandLess': return a.band * claim.factor < runs[claim.than].band;
    case 'gradDiffLess': return a.gradDiff * claim.factor < runs[claim.than].gradDiff;
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
  test(`preset "${preset.id}": the caption's claims hold for seeds 0, 1, 2`, (t) => {
    const landscape = preset.claims.some((c) => c.kind === 'bandLess' || c.kind === 'gradDiffLess');
    for (const seed of [0, 1, 2]) {
      const runs = train(preset.config, seed, { landscape });
      const names = preset.config.runs.map((r) => r.name);
      const theory = (r) => (preset.claims.some((c) => c.kind.startsWith('effectiveLr')) ? `, effective lr × ${r.effectiveLrRise.map((v) => v.toFixed(2)).join(' / ')}` : '')
        + (landscape ? `, band ${r.band.toExponential(2)}, gradDiff ${r.gradDiff.toExponential(2)} (${r.measurements} measurements)` : '');
      const modes = (r) => (r.trainEval ? `, train mode ${(100 * r.trainEval.trainMode).toFixed(1)}% vs eval ${(100 * r.trainEval.evalMode).toFixed(1)}%` : '');
      const measured = runs.map((r, i) => `${names[i]} loss ${r.loss.toFixed(3)}, test loss ${r.testLoss.toFixed(3)}, test ${(100 * r.testAccuracy).toFixed(1)}%${theory(r)}${modes(r)}`).join('; ');
      if (landscape || theory(runs[0])) t.diagnostic(`seed ${seed}: ${measured}`);
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

// The bad-init preset's last sentence: at PyTorch's own initialization the plain network trains too.
test('preset "bad-init": with Init scale 1 the network without normalization trains as well', () => {
  const config = PRESETS.find((p) => p.id === 'bad-init').config;
  const usual = { ...config, model: { ...config.model, initScale: 1 } };
  for (const seed of [0, 1, 2]) {
    const [plain] = train(usual, seed);
    assert.ok(plain.loss < 0.15, `seed ${seed}: loss ${plain.loss}`);
  }
});

// The weight-decay preset's last sentence: without the decay nothing shrinks a BatchNorm-followed layer's weights,
// and its effective learning rate stays where it started (within 10 %) — the decay, not training, raised it.
test('preset "weight-decay": with weight decay 0, BatchNorm\'s effective learning rates stay within 10 % of their start', (t) => {
  const config = PRESETS.find((p) => p.id === 'weight-decay').config;
  const noDecay = { ...config, training: { ...config.training, weightDecay: 0 } };
  for (const seed of [0, 1, 2]) {
    const rise = train(noDecay, seed)[1].effectiveLrRise;
    t.diagnostic(`seed ${seed}: BatchNorm's effective lr × ${rise.map((v) => v.toFixed(3)).join(' / ')} without weight decay`);
    for (const k of [0, 1]) assert.ok(rise[k] > 0.9 && rise[k] < 1.1, `seed ${seed}: linear ${k + 1} × ${rise[k]}`);
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
