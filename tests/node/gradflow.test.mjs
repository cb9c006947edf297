// The Gradient flow section's claim, measured on the deep sigmoid preset (8 sigmoid layers, SGD 0.1) after
// one epoch, seeds 0–2: without normalization the gradient shrinks on its way back to the input (the first
// linear layer's weight gets < 1e-5 of the last one's); with BatchNorm it reaches the first layer intact
// (more than a tenth of the last one's).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]);
const { linearWeightNames, setUpLab } = await import('../../build-unit/state/config.js');
const { findPreset } = await import('../../build-unit/state/presets.js');
const M = await loadNormlab();

// ‖∂L/∂W‖ of every linear layer's weight, input side first (what the worker sends the page).
function linearGradNorms(lab, r) {
  const d = lab.diagnostics(r);
  return d.gradNorms.filter((g) => /^\d+\.weight$/.test(g.name) && d.activations[Number(g.name.split('.')[0])].type === 'linear').map((g) => g.norm);
}

for (const seed of [0, 1, 2]) {
  test(`gradient flow in the deep sigmoid net, seed ${seed}`, () => {
    const c = structuredClone(findPreset('deep-sigmoid').config);
    c.data.seed = seed;
    c.training.seed = seed;
    assert.deepEqual(c.runs.map((r) => r.norm), ['none', 'batchnorm', 'layernorm', 'rmsnorm']);
    const lab = setUpLab(new M.Lab(), c);
    try {
      do lab.step(1 << 20); while (!lab.epochEnded());
      const none = linearGradNorms(lab, 0), bn = linearGradNorms(lab, 1);
      assert.equal(none.length, 9);
      assert.equal(bn.length, 9);
      assert.ok(none[0] / none[8] < 1e-5, `no norm: first/last = ${none[0] / none[8]}`);
      assert.ok(none[0] < none[4] && none[4] < none[8], 'no norm: shrinking towards the input');
      assert.ok(bn[0] / bn[8] > 0.1, `BatchNorm: first/last = ${bn[0] / bn[8]}`);
    } finally {
      lab.delete();
    }
  });
}

// The Residual blocks section's claim (the Adam preset, one epoch): post-norm's first linear layer gets less
// than 1/10,000 of the last one's gradient; pre-norm's more than 1/100.
for (const seed of [0, 1, 2]) {
  test(`gradient flow in the residual nets, seed ${seed}`, () => {
    const c = structuredClone(findPreset('residual').config);
    c.data.seed = seed;
    c.training.seed = seed;
    assert.deepEqual(c.runs.map((r) => [r.norm, r.placement]), [['none', 'before'], ['layernorm', 'before'], ['layernorm', 'after']]);
    const lab = setUpLab(new M.Lab(), c);
    try {
      do lab.step(1 << 20); while (!lab.epochEnded());
      const norms = (r) => {
        const names = [...linearWeightNames(lab.modelSpec(r))];
        const byName = new Map(lab.diagnostics(r).gradNorms.map((g) => [g.name, g.norm]));
        return names.map((n) => byName.get(n));
      };
      const pre = norms(1), post = norms(2);
      assert.equal(pre.length, 16);
      assert.equal(post.length, 16);
      assert.ok(post[0] / post[15] < 1e-4, `post-norm: first/last = ${post[0] / post[15]}`);
      assert.ok(pre[0] / pre[15] > 1e-2, `pre-norm: first/last = ${pre[0] / pre[15]}`);
    } finally {
      lab.delete();
    }
  });
}
