// Inside the network: the watched run's units drawn as pictures (one labelled canvas per shown unit, none
// blank after training), "Show all units", the normalization layers' histograms changing while playing, and
// the names in Japanese.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openHostPage, openLab, press } from './harness.mjs';

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
  await page.waitForSelector('body[data-playing="false"]'); // the worker's answer, and the frame drawn with it
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
  // Nothing marked hidden is drawn (hidden space once kept the BatchNorm run's pictures under this run's network:
  // its class's display beat the [hidden] attribute), but for the run cards' editors, which keep their place.
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('[hidden]')]
    .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden').map((e) => e.id || e.className)), []);
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
  await page.getByRole('spinbutton', { name: 'Training point' }).fill('1');
  await page.getByRole('spinbutton', { name: 'Training point' }).press('Enter');
  await page.waitForFunction(() => /^The point \(-?\d\.\d{3}, -?\d\.\d{3}\)/.test(document.querySelector('#trace .trace-point')?.textContent ?? ''));
  assert.deepEqual(errors, []);
  await page.close();
});

test('links between narrow layers: one per weight, omitted between wide ones', async () => {
  const { page, errors } = await openInside('#width=8');
  await press(page, 'Step', 'epoch 0 · step 1');
  const links = page.getByRole('img', { name: /^weights of Linear 1, 2 → 8 units/ });
  await links.waitFor();
  // 2 → 8, 8 → 8 and 8 → 2: every weight one line (all are finite and the layer's largest is not 0).
  await page.waitForFunction(() => document.querySelector('#network canvas.links')?.dataset.links === String(2 * 8 + 8 * 8 + 8 * 2));
  assert.match(await links.getAttribute('aria-label'), /weights of Linear 2, 8 → 8 units.*weights of Linear 3, 8 → 2 units/);
  // The lesson's 64 units: too many to read, no links.
  await page.evaluate(() => { location.hash = '#preset=lesson'; });
  await page.waitForFunction(() => document.querySelectorAll('#network canvas.unit').length === 2 + 6 * 16 + 2);
  await page.waitForFunction(() => document.querySelector('#network canvas.links')?.hidden === true);
  assert.deepEqual(errors, []);
  await page.close();
});

test('one unit\'s histogram over the pooled one: the whole batch, for the unit chosen', async () => {
  const { page, errors } = await openInside();
  await press(page, 'Step', 'epoch 0 · step 1');
  const hist = page.getByRole('img', { name: /^histogram of layer 1, before BatchNorm, on the last batch.*the line is unit 1 alone$/ });
  await hist.waitFor();
  const sum = (s) => s.split(',').map(Number).reduce((a, b) => a + b, 0);
  // The unit's values lie in the pooled range: all 64 rows of the batch are counted.
  assert.equal(sum(await hist.getAttribute('data-unit-counts')), 64);
  const first = await hist.getAttribute('data-unit-counts');
  await page.getByRole('combobox', { name: 'Line: unit' }).selectOption({ label: '5' });
  const fifth = page.getByRole('img', { name: /^histogram of layer 1, before BatchNorm, on the last batch.*the line is unit 5 alone$/ });
  await fifth.waitFor();
  assert.equal(sum(await fifth.getAttribute('data-unit-counts')), 64);
  assert.notEqual(await fifth.getAttribute('data-unit-counts'), first, 'another unit, another distribution');
  assert.deepEqual(errors, []);
  await page.close();
});

test('hidden space: the points and the grid in two units\' coordinates, before and after BatchNorm', async () => {
  const { page, errors } = await openInside();
  await page.getByRole('radio', { name: /current batch/ }).check();
  await press(page, 'Epoch', 'epoch 1 · step 25');
  const after = page.getByRole('img', { name: /^hidden space after BatchNorm 1: unit 1 across, unit 2 up/ });
  await after.waitFor();
  assert.equal(await page.getByRole('img', { name: /^hidden space before BatchNorm 1: unit 1 across, unit 2 up/ }).count(), 1);
  await page.waitForFunction(() => document.querySelector('canvas.hidden-canvas')?.dataset.drawn === '300');
  // In train mode BatchNorm standardizes with the batch's statistics: the training points land near mean 0, sd 1
  // (γ and β have moved a little from 1 and 0 in one epoch; the points are not the batch).
  const [mx, my] = (await after.getAttribute('data-mean')).split(',').map(Number);
  const [sx, sy] = (await after.getAttribute('data-sd')).split(',').map(Number);
  assert.ok(Math.abs(mx) < 0.4 && Math.abs(my) < 0.4, `mean ${mx}, ${my}`);
  assert.ok(sx > 0.5 && sx < 1.6 && sy > 0.5 && sy < 1.6, `sd ${sx}, ${sy}`);
  // Another layer and unit, by keyboard-operable menus.
  await page.getByRole('combobox', { name: 'Layer', exact: true }).selectOption({ label: 'ReLU 2' });
  await page.getByRole('combobox', { name: 'Up: unit' }).selectOption({ label: '7' });
  await page.getByRole('img', { name: /^hidden space after ReLU 2: unit 1 across, unit 7 up/ }).waitFor();
  await page.getByRole('img', { name: /^hidden space before ReLU 2: unit 1 across, unit 7 up/ }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test('Save PNG of Inside the network: the network, hidden space and histograms in one picture', async () => {
  const { page, errors } = await openInside();
  await press(page, 'Step', 'epoch 0 · step 1');
  await page.getByRole('img', { name: /^hidden space after BatchNorm 1/ }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save PNG: Inside the network' }).click()]);
  assert.equal(download.suggestedFilename(), 'normlab_inside.png');
  const bytes = await readFile(await download.path());
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  const [w, h] = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
  const network = await page.locator('#network').evaluate((n) => [n.scrollWidth, n.scrollHeight]);
  assert.ok(w >= 2 * network[0] && h > 2 * network[1], `${w} × ${h} for a network of ${network}`);
  // Not blank: the picture decodes to many colours (the units, the points, the bars).
  const colours = await page.evaluate(async (b64) => {
    const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' }));
    const c = document.createElement('canvas');
    c.width = img.width, c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data, seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, bytes.toString('base64'));
  assert.ok(colours > 100, `${colours} colours`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('in <norm-lab show="…,network">: the units, hidden space and histograms in its shadow root', async () => {
  const { page, errors } = await openHostPage(env, 'inside-host.html', `<!doctype html><title>host</title><h1>Inside, in a tutorial</h1>
      <script type="module" src="./normlab-element.js"></script>
      <norm-lab id="lab" preset="lesson" show="toolbar,boundary,network"></norm-lab>`);
  const lab = page.locator('#lab');
  await lab.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  await lab.getByRole('button', { name: 'Step', exact: true }).click();
  await lab.getByRole('img', { name: 'layer 1 unit 5, after BatchNorm', exact: true }).waitFor();
  await lab.getByRole('img', { name: /^hidden space after BatchNorm 1: unit 1 across, unit 2 up/ }).waitFor();
  await lab.getByRole('img', { name: /^histogram of layer 1, after BatchNorm, on the last batch/ }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), lab.getByRole('button', { name: 'Save PNG: Inside the network' }).click()]);
  assert.ok((await readFile(await download.path())).length > 20_000, 'a picture with something in it');
  assert.deepEqual(errors, []);
  await page.close();
});
