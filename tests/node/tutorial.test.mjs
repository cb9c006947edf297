// The tutorial's claims rest on the presets' (tests/node/presets.test.mjs measures those): every step of
// examples/tutorial/, read in order (replace and merge), runs a preset's configuration or a preset's with some of
// its runs left out — and a run left out changes nothing for the others (they train to the same losses, bit for
// bit), so each claim of the preset about the runs shown holds. The English and Japanese pages run the same steps.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadNormlab } from './normlab.mjs';

execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { PRESETS } = await import('../../build-unit/state/presets.js');
const { setUpLab } = await import('../../build-unit/state/config.js');
const { decodeHash } = await import('../../build-unit/state/urlstate.js');
const M = await loadNormlab();

const attribute = (tag, name) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? m[1].replaceAll('&amp;', '&') : null;
};

// The lab the steps drive and the steps, as written in a page.
function read(page) {
  const html = readFileSync(new URL(`../../examples/tutorial/${page}`, import.meta.url), 'utf8');
  const container = /<norm-lab-steps\s[^>]*>/.exec(html)[0];
  const lab = [...html.matchAll(/<norm-lab\s[^>]*>/g)].map((m) => m[0]).find((tag) => attribute(tag, 'id') === attribute(container, 'for'));
  const steps = [...html.matchAll(/<norm-lab-step\s[^>]*>/g)].map((m) => ({
    config: attribute(m[0], 'config'), mode: attribute(m[0], 'mode') ?? 'replace', action: attribute(m[0], 'action'),
    show: attribute(m[0], 'show'), hide: attribute(m[0], 'hide'),
  }));
  return { lab: { preset: attribute(lab, 'preset'), config: attribute(lab, 'config'), show: attribute(lab, 'show') }, steps };
}

// Each step's configuration, read in order from the lab's own.
function replay({ lab, steps }) {
  const start = new URLSearchParams(lab.config ?? ''); // as <norm-lab> reads its attributes (embed.ts startLink)
  if (lab.preset) start.set('preset', lab.preset);
  let config = decodeHash(start.toString()).config;
  return steps.map((s) => {
    if (s.config === null) return config;
    const d = decodeHash(s.config, null, s.mode === 'merge' ? config : null);
    assert.deepEqual(d.rejected, [], `step ${s.config}: every field is used`);
    config = d.config;
    return config;
  });
}

// Final mean losses after `epochs` epochs of seed 0 (the lab's seed).
function losses(config, epochs) {
  const lab = setUpLab(new M.Lab(), config);
  try {
    let summary;
    for (let e = 0; e < epochs; e++) {
      do lab.step(1 << 20); while (!lab.epochEnded());
      summary = lab.epochSummary();
    }
    return config.runs.map((_, r) => (lab.runState(r).stopped ? `stopped: ${lab.runState(r).error}` : summary.meanLoss[r]));
  } finally {
    lab.delete();
  }
}

const en = read('index.html'), ja = read('ja.html');

test('the English and the Japanese tutorial run the same lab and the same steps', () => {
  assert.deepEqual(ja, en);
  assert.ok(en.steps.length >= 4);
  assert.ok(en.steps.some((s) => s.mode === 'merge'), 'a step merges');
});

test('every step runs a preset, or a preset with some of its runs, whose runs train as in the preset', () => {
  const configs = replay(en);
  const used = [];
  configs.forEach((config, i) => {
    const preset = PRESETS.find((p) => JSON.stringify({ ...p.config, runs: [] }) === JSON.stringify({ ...config, runs: [] })
      && config.runs.every((r) => p.config.runs.some((q) => JSON.stringify(q) === JSON.stringify(r))));
    assert.ok(preset, `step ${i + 1} (${en.steps[i].config}) is no preset's configuration`);
    used.push(preset.id);
    const epochs = Math.min(2, config.training.epochs);
    const full = losses(preset.config, epochs), own = losses(config, epochs);
    config.runs.forEach((run, r) => {
      const k = preset.config.runs.findIndex((q) => JSON.stringify(q) === JSON.stringify(run));
      assert.equal(own[r], full[k], `step ${i + 1}: run ${run.name} trains as in preset ${preset.id}`);
    });
  });
  assert.deepEqual(used, ['lesson', 'deep-sigmoid', 'deep-sigmoid', 'tiny-batch', 'batch-one']);
});
