// Inside the network: the watched run's units drawn as pictures (one labelled canvas per shown unit, none
// blank after training), "Show all units", the normalization layers' histograms changing while playing, and
// the names in Japanese.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab } from './harness.mjs';

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
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 1 · step 25');
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
  const hist = page.getByRole('img', { name: /^histogram of layer 1, after BatchNorm/ });
  await hist.waitFor();
  assert.equal(await page.getByRole('img', { name: /^histogram of layer/ }).count(), 4, 'input and output of two BatchNorm layers');
  const before = await hist.getAttribute('data-counts');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction((b) => document.querySelector('canvas.hist[aria-label^="histogram of layer 1, after BatchNorm"]')?.dataset.counts !== b, before);
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Japanese, and for the run chosen', async () => {
  const { page, errors } = await openInside('#lang=ja');
  await page.getByRole('combobox', { name: 'モデル', exact: true }).selectOption('0');
  await page.getByRole('img', { name: '第 1 層 ユニット 3、ReLU の後', exact: true }).waitFor();
  assert.equal(await page.getByRole('img', { name: /BatchNorm/ }).count(), 0, 'the run without normalization has no BatchNorm column');
  assert.deepEqual(errors, []);
  await page.close();
});
