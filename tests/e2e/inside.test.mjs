// Inside the network: the watched run's units drawn as pictures (one labelled canvas per shown unit, none
// blank after training), "Show all units", the normalization layers' histograms changing while playing, and
// the names in Japanese.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab, press } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

async function openInside(path = '') {
  const { page, errors } = await openLab(env, path);
  await page.locator('#inside').scrollIntoViewIfNeeded();
  return { page, errors };
}

test('the BatchNorm run\'s units, before and after BatchNorm, as labelled pictures; none blank after an epoch', async () => {
  const { page, errors } = await openInside();
  assert.equal(await page.getByRole('combobox', { name: 'Run', exact: true }).inputValue(), '1', 'the first run with a normalization');
  await page.getByRole('img', { name: 'layer 1 unit 5, before BatchNorm', exact: true }).waitFor();
  await press(page, 'Epoch', 'epoch 1 · step 25');
  // Input (2) + Linear, BatchNorm, ReLU of two hidden layers (16 of 64 units shown each) + the output (2).
  await page.waitForFunction(() => document.querySelectorAll('#network canvas.unit').length === 2 + 6 * 16 + 2);
  for (const name of ['layer 1 unit 5, after BatchNorm', 'layer 2 unit 16, before BatchNorm', 'layer 2 unit 1, after ReLU', 'Input x2'])
    assert.equal(await page.getByRole('img', { name, exact: true }).count(), 1, name);
  await page.waitForFunction(() => [...document.querySelectorAll('#network canvas.unit')].every((c) => c.dataset.painted === 'true'));
  // A unit's numbers on hover.
  await page.getByRole('img', { name: 'layer 1 unit 1, after BatchNorm', exact: true }).hover();
  assert.match(await page.locator('#inside-info').textContent(), /^layer 1 unit 1, after BatchNorm: from -?\d/);
  // Every unit.
  await page.getByLabel('Show all units').check();
  await page.waitForFunction(() => document.querySelectorAll('#network canvas.unit').length === 2 + 6 * 64 + 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the histograms of each normalization layer\'s input and output change while playing', async () => {
  const { page, errors } = await openInside('#epochs=400');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const hist = page.getByRole('img', { name: /^histogram of layer 1, after BatchNorm, on the last batch/ });
  await hist.waitFor();
  assert.equal(await page.getByRole('img', { name: /^histogram of layer \d, (before|after) BatchNorm, on the last batch/ }).count(), 4,
    'input and output of two BatchNorm layers');
  const before = await hist.getAttribute('data-counts');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((b) => document.querySelector('canvas.hist[aria-label^="histogram of layer 1, after BatchNorm, on the last batch"]')?.dataset.counts !== b, before);
  await page.getByRole('button', { name: 'Pause' }).click();
  // Eval mode (the boundaries' default): where the running statistics put the same batch, beside the batch's own.
  assert.equal(await page.getByRole('img', { name: /^histogram of layer \d, after BatchNorm, with its running statistics/ }).count(), 2);
  await page.getByRole('radio', { name: /current batch/ }).check();
  await page.waitForFunction(() => !document.querySelector('canvas.hist.running'));
  // Their history over the steps: a band per histogram.
  assert.equal(await page.getByRole('img', { name: /^history of layer \d, (before|after) BatchNorm/ }).count(), 4);
  // Without normalization: each hidden Linear's output, what a norm would see.
  await page.getByRole('combobox', { name: 'Run', exact: true }).selectOption('0');
  await page.getByRole('img', { name: /^histogram of layer 2, before the activation/ }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Japanese, and for the run chosen', async () => {
  const { page, errors } = await openInside('#lang=ja');
  await page.getByRole('combobox', { name: 'モデル', exact: true }).selectOption('0');
  await page.getByRole('img', { name: '第 1 層 ユニット 3、線形層 の後', exact: true }).waitFor(); // only the run without a norm has it
  assert.equal(await page.getByRole('img', { name: '第 1 層 ユニット 3、ReLU の後', exact: true }).count(), 1);
  assert.equal(await page.getByRole('img', { name: /BatchNorm/ }).count(), 0, 'the run without normalization has no BatchNorm column');
  assert.deepEqual(errors, []);
  await page.close();
});

test('trace a point: a click on a boundary fills a row per layer, with the statistics that normalized it', async () => {
  const { page, errors } = await openLab(env);
  await press(page, 'Epoch', 'epoch 1 · step 25');
  await page.locator('canvas[aria-label*="decision boundary of BatchNorm"]').click({ position: { x: 40, y: 60 } });
  await page.locator('#inside').scrollIntoViewIfNeeded();
  const panel = page.getByRole('region', { name: 'Traced point' });
  // The BatchNorm run: Linear, BatchNorm, ReLU, Linear, BatchNorm, ReLU, Linear — one row each.
  await page.waitForFunction(() => document.querySelectorAll('#trace tr[data-layer]').length === 7);
  const heads = await panel.locator('th[scope="row"]').allTextContents();
  assert.ok(heads.some((h) => h === 'μ (running statistics, eval mode)'), heads.join(' | '));
  assert.equal(heads.at(-1), 'softmax: P(class 0), P(class 1)');
  const softmax = (await panel.locator('tr').last().locator('td').allTextContents()).map(Number);
  assert.ok(Math.abs(softmax[0] + softmax[1] - 1) < 1e-3, `${softmax}`);
  // Train mode: the batch's statistics, the step named; by keyboard: a training point by its number.
  await page.getByRole('radio', { name: /current batch/ }).check();
  await page.waitForFunction(() => [...document.querySelectorAll('#trace th')].some((th) => th.textContent === 'μ (the batch of step 25, train mode)'));
  await page.getByLabel('Training point').fill('1');
  await page.getByLabel('Training point').press('Enter');
  await page.waitForFunction(() => /^The point \(-?\d\.\d{3}, -?\d\.\d{3}\)/.test(document.querySelector('#trace .trace-point')?.textContent ?? ''));
  assert.deepEqual(errors, []);
  await page.close();
});
