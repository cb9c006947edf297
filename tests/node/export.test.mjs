// Export PyTorch with points of your own: the script (web/export/pytorch.ts) embeds the points in the lab's
// order, calls no generator, and — run with python3-torch — gives the page's eval-mode logits (--check) and
// trains on. The payload is built from the wasm lab as the worker builds it (web/export/payload.ts). The page's
// own export is tested end to end in tests/e2e/export.test.mjs, --from-scratch in export-scratch.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNormlab } from './normlab.mjs';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { defaultConfig, setUpLab, withOwnPoints } = await import('../../build-unit/state/config.js');
const { pytorchScript } = await import('../../build-unit/export/pytorch.js');
const { exportPayload } = await import('../../build-unit/export/payload.js'); // as the worker builds it
const M = await loadNormlab();

test('points of your own export to PyTorch: embedded, no generator, the page\'s logits, and it trains', () => {
  const x = [], y = [];
  for (let i = 0; i < 120; i++) {
    const r = i % 2 ? 1.2 : 0.4;
    x.push(Math.round(1000 * r * Math.cos(i * 0.7)) / 1000, Math.round(1000 * r * Math.sin(i * 0.7)) / 1000);
    y.push(i % 2);
  }
  x.push(30, -25); // an outlier
  y.push(0);
  const base = defaultConfig();
  const config = withOwnPoints({ ...base, data: { ...base.data, type: 'custom', seed: 4, scale: 2, shift: 1 } }, { x, y });
  config.runs = [{ ...config.runs[0], name: 'No norm' }, { ...config.runs[1], name: 'BatchNorm' }, { name: 'LayerNorm', norm: 'layernorm', placement: 'before', groups: 8, dropout: 0 }];
  const lab = setUpLab(new M.Lab(), config);
  do lab.step(1 << 20); while (!lab.epochEnded());
  const script = pytorchScript(exportPayload(lab, config, false), 'en');
  lab.delete();
  assert.match(script, /^# ---- data: your own 121 points, in the lab's order \(shuffled with seed 4\); the last 24 are the test set$/m);
  assert.match(script, /# Your own points, exactly as you drew or uploaded them.*\nX, y = X_EMBEDDED, Y_EMBEDDED\n/);
  assert.doesNotMatch(script, /sklearn|make_moons|scikit-learn/);
  assert.match(script, /^N_TRAIN = 97$/m);
  const file = join(mkdtempSync(join(tmpdir(), 'normlab-export-')), 'normlab_lab.py');
  writeFileSync(file, script);
  const check = execFileSync(PYTHON, [file, '--check'], { encoding: 'utf8' });
  assert.match(check, /^data: the same points as the page$/m, check);
  assert.match(check, /ok: PyTorch gives the page's logits/, check);
  const train = execFileSync(PYTHON, [file, '--epochs', '1'], { encoding: 'utf8' });
  assert.match(train, /^epoch 1 \(step 2\) +mean train loss +test loss +train acc +test acc\n {2}No norm +\d+\.\d{4} .*\n {2}BatchNorm +\d+\.\d{4} .*\n {2}LayerNorm +\d+\.\d{4} /m, train);
});

test('the PyTorch code panel says how many points of your own, in Japanese too', async () => {
  const { explainedCode } = await import('../../build-unit/export/explain.js');
  const base = defaultConfig();
  const config = withOwnPoints({ ...base, data: { ...base.data, type: 'custom' } }, { x: [0, 0, 1, 1, 2, 2, 3, 3, 4, 4], y: [0, 1, 0, 1, 1] });
  const lines = explainedCode(config, 'ja');
  assert.ok(lines.some((l) => l.code === 'X_EMBEDDED = torch.tensor([… 5 × 2 …]).reshape(-1, 2).numpy()'));
  assert.ok(lines.some((l) => l.code === 'X, y = X_EMBEDDED, Y_EMBEDDED' && l.note.startsWith('自分で描いた')));
  assert.ok(lines.some((l) => l.code.startsWith('# ---- data: your own 5 points')));
});
