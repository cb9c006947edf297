// "Export PyTorch" downloads a script that rebuilds the lab in PyTorch with the page's current weights: run
// with python3-torch, its models give the page's eval-mode logits (1e-4), and its training runs; with
// --from-scratch it retrains to the page's epoch losses, unless the runs started from Import model (it says so).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openLab, press, shareButton } from './harness.mjs';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const env = await launch();
test.after(() => env.close());

// Downloads what a Share menu button saves (by its name, or its id) into a fresh directory; returns the path.
async function save(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), (await shareButton(page, button)).click()]);
  const file = join(await mkdtemp(join(tmpdir(), 'normlab-export-')), download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

async function exportAndRun(page) {
  const file = await save(page, '#btn-export');
  assert.match(file, /\/normlab_lab\.py$/);
  const check = execFileSync(PYTHON, [file, '--check'], { encoding: 'utf8' });
  const train = execFileSync(PYTHON, [file, '--epochs', '2'], { encoding: 'utf8' });
  return { check, train, script: readFileSync(file, 'utf8') };
}

test('the lesson lab after an epoch: PyTorch reproduces the page\'s logits and trains on', async () => {
  const { page, errors } = await openLab(env);
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  const { check, train, script } = await exportAndRun(page);
  // The file explains itself: each key line is preceded by its explanation, as the PyTorch code panel shows it.
  assert.match(script, /# Backpropagation: the gradient of the loss for every parameter\.\n\s+loss\.backward\(\)/);
  assert.match(script, /# Normalizes each feature over the batch.*\n\s+nn\.BatchNorm1d\(64/);
  assert.match(check, /^data: the same points as the page$/m);
  assert.match(check, /^No norm: max/m);
  assert.match(check, /^BatchNorm: max/m);
  assert.match(check, /ok: PyTorch gives the page's logits/);
  const lines = train.trimEnd().split('\n');
  assert.match(lines[0], /^normlab: continuing from the page's weights after 25 steps \(epoch 1\) with a fresh optimizer/);
  assert.equal(lines.filter((l) => /^epoch \d \(step \d+\) +mean train loss +test loss +train acc +test acc$/.test(l)).length, 2);
  assert.equal(lines.filter((l) => /^ {2}(No norm|BatchNorm) +0\.\d{4} +0\.\d{4} +\d+\.\d % +\d+\.\d %$/.test(l)).length, 4, train);
  assert.deepEqual(errors, []);
  await page.close();
});

test('spiral data (embedded points), RMSNorm, GroupNorm, tanh, SGD + momentum; exported from the Japanese page', async () => {
  const { page, errors } = await openLab(env, '#v=1&data=spiral&points=500&noise=0.1&test=0.2&act=tanh&opt=sgd%2Bmomentum&lr=0.05&width=32&run=RMS~rmsnorm~after~8&run=GN~groupnorm~before~4&lang=ja');
  await page.locator('#btn-epoch').click();
  await page.waitForFunction(() => /^エポック 1 ·/.test(document.getElementById('status').textContent));
  const { check, train, script } = await exportAndRun(page);
  assert.match(script, /# 誤差逆伝播：すべてのパラメータについて損失の勾配を求めます。\n\s+loss\.backward\(\)/, 'explained in Japanese');
  assert.match(check, /ok: PyTorch gives the page's logits/, check);
  assert.match(train, /^epoch 2 \(step \d+\) .*\n {2}RMS +\d+\.\d{4} .*\n {2}GN +\d+\.\d{4} /m, train);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a preset with scaled and shifted inputs (×5 + 20) exports the same points', async () => {
  const { page, errors } = await openLab(env);
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('shifted-inputs');
  await page.waitForFunction(() => location.hash.includes('preset=shifted-inputs'));
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 1');
  const { check } = await exportAndRun(page);
  assert.match(check, /^data: the same points as the page$/m, check);
  assert.match(check, /ok: PyTorch gives the page's logits/, check);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dropout runs export as nn.Dropout and still match in eval mode', async () => {
  const { page, errors } = await openLab(env, '#v=1&width=32&run=D~none~before~8~0.3&run=BND~batchnorm~after~8~0.5');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  assert.equal(await page.locator('#run-1-dropout').inputValue(), '0.5');
  const { check } = await exportAndRun(page);
  assert.match(check, /ok: PyTorch gives the page's logits/, check);
  assert.deepEqual(errors, []);
  await page.close();
});

test('residual blocks (pre-norm and post-norm) export as Residual modules and match', async () => {
  const { page, errors } = await openLab(env, '#preset=residual&layers=3&width=32');
  assert.equal(await page.getByLabel('Architecture').inputValue(), 'residual');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  const { check, train } = await exportAndRun(page);
  assert.match(check, /^Pre-norm \(LN\): max/m, check);
  assert.match(check, /^Post-norm \(LN\): max/m, check);
  assert.match(check, /ok: PyTorch gives the page's logits/, check);
  assert.match(train, /^epoch 2 \(step \d+\) .*\n {2}No norm +\d+\.\d{4} .*\n {2}Pre-norm \(LN\) +\d+\.\d{4} .*\n {2}Post-norm \(LN\) +\d+\.\d{4} /m, train);
  assert.deepEqual(errors, []);
  await page.close();
});

test('--from-scratch retrains to the page\'s epoch (its losses CSV); after Import model it says it cannot, after Reset it can', async () => {
  const { page, errors } = await openLab(env);
  await press(page, 'Epoch', 'epoch 1 · step 25');
  // epoch, step, then per run: train loss, test loss, train accuracy, test accuracy
  const row = readFileSync(await save(page, 'Export losses (CSV)'), 'utf8').trim().split('\n')[1].split(',').map(Number);
  const script = await save(page, '#btn-export');
  const out = JSON.parse(execFileSync(PYTHON, [script, '--from-scratch', '--epochs', '1', '--json'], { encoding: 'utf8' }));
  assert.equal(out.says, "normlab --from-scratch: retraining from seed 0's initial weights on the page's batches: these are the page's per-epoch curves");
  assert.deepEqual(out.runs, ['No norm', 'BatchNorm']);
  out.runs.forEach((name, r) => {
    const [shown, torch] = [row[2 + 4 * r], out.epochs[0].train_loss[r]];
    assert.ok(Math.abs(shown - torch) <= 1e-4 * Math.abs(torch), `${name}: the page's epoch-1 train loss ${shown}, PyTorch's ${torch}`);
  });
  // The same settings and these weights from a model file: the runs no longer start from the seed.
  await page.getByLabel('Import model').setInputFiles(await save(page, 'Export model'));
  await page.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  let said = execFileSync(PYTHON, [await save(page, '#btn-export'), '--from-scratch', '--epochs', '0'], { encoding: 'utf8' });
  assert.equal(said.trim(), "normlab --from-scratch: retraining from seed 0's initial weights on the page's batches - NOT the page's curves: its runs started from weights imported from a model file");
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  said = execFileSync(PYTHON, [await save(page, '#btn-export'), '--from-scratch', '--epochs', '0'], { encoding: 'utf8' });
  assert.match(said, /: these are the page's per-epoch curves$/m, 'Reset starts the runs from the seed again');
  assert.deepEqual(errors, []);
  await page.close();
});
