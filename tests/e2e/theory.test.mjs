// Why normalization helps (issue #15), in Debian's Chromium against dist/: the Scale invariance lesson (every
// run's ‖W‖ and lr/‖W‖² charted while training; Scale weights leaves a BatchNorm run's loss unchanged and changes
// a plain run's, refuses a bad α and a lab that has not trained, and a restarted worker replays the scaling), the
// Loss landscape lesson (filled while open and playing; the worker measures nothing while it is closed), the two
// presets opening their lessons, axe, and Japanese.
import test from 'node:test';
import assert from 'node:assert/strict';
import { inked, launch, openLab, press, seriousAxeViolations as axe } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

async function openLessons(path) {
  const opened = await openLab(env, path);
  await opened.page.locator('#tab-scale').waitFor();
  return opened;
}

const series = (page) => page.locator('.scaleview').getAttribute('data-series').then((s) => (s ? s.split(',').map(Number) : []));
const lastNorms = (page) => page.locator('.scaleview').getAttribute('data-last').then((s) => s.split(',').map(Number));
const measured = (page) => page.locator('.landscape').getAttribute('data-measured').then(Number);
const images = (locator) => locator.evaluateAll((cs) => cs.map((c) => c.toDataURL()));

// Scale weights: picks the run (by its name, or 'every run'), the layer (0-based linear) and α, presses the
// button and waits for `rows` result rows.
async function scale(page, run, linear, alpha, rows) {
  const panel = page.locator('#panel-scale');
  await panel.getByLabel('Run', { exact: true }).selectOption({ label: run });
  await panel.getByLabel('Layer', { exact: true }).selectOption(String(linear));
  await panel.getByLabel('α (0.1 to 10)').fill(String(alpha));
  await panel.getByRole('button', { name: 'Scale weights', exact: true }).click();
  await page.waitForFunction((n) => document.querySelectorAll('table.scale-results tbody tr').length === n, rows);
  return panel.locator('table.scale-results tbody tr').first();
}
const relative = (row) => row.locator('td[data-relative]').first().getAttribute('data-relative').then(Number);

test('Scale invariance: the norm and effective-LR charts fill for every run; Scale weights: BatchNorm unchanged, no norm changed', async () => {
  const { page, errors } = await openLessons('#preset=weight-decay&section=scale');
  const panel = page.locator('#panel-scale');
  assert.equal(await page.getByRole('tab', { name: 'Scale invariance', exact: true }).getAttribute('aria-selected'), 'true');
  assert.ok(await panel.isVisible());
  assert.equal(await panel.locator('.formula-row .katex').count(), 5, 'the formulas, by KaTeX');
  assert.deepEqual(await panel.locator('ul.refs a').evaluateAll((as) => as.map((a) => a.href)),
    ['https://arxiv.org/abs/1706.05350', 'https://arxiv.org/abs/1812.03981']);
  const canvases = panel.locator('canvas');
  assert.deepEqual(await canvases.evaluateAll((cs) => cs.map((c) => `${c.getAttribute('role')}: ${c.getAttribute('aria-label')}`)), [
    'img: Weight norm ‖W‖ of Linear 1 in every run, over training steps',
    'img: Effective learning rate lr/‖W‖² of Linear 1 in every run, over training steps, log scale',
  ]);
  await page.waitForFunction(() => document.querySelector('.scaleview')?.dataset.series === '1,1', null, { timeout: 10000 }); // step 0
  const empty = await images(canvases);

  // Before any step there is no batch to measure the loss on; a bad α is named and nothing is sent.
  const alert = panel.getByRole('alert');
  await panel.getByRole('button', { name: 'Scale weights', exact: true }).click();
  assert.equal(await alert.textContent(), 'Take a step first: the loss is measured on the batch the runs last trained on.');
  await press(page, 'Epoch', 'epoch 1 · step 25');
  for (const bad of ['abc', '0', '-2', '11', '0x10', '']) {
    await panel.getByLabel('α (0.1 to 10)').fill(bad);
    await panel.getByRole('button', { name: 'Scale weights', exact: true }).click();
    assert.equal(await alert.textContent(), `α: a number from 0.1 to 10, got “${bad}”.`);
    assert.equal(await panel.getByLabel('α (0.1 to 10)').getAttribute('aria-invalid'), 'true');
  }
  assert.ok(await panel.locator('table.scale-results').isHidden(), 'nothing was scaled');

  // The layer menu names each run's state_dict prefix of the chosen linear layer.
  const layerMenu = panel.getByLabel('Layer', { exact: true });
  assert.deepEqual(await layerMenu.locator('option').allTextContents(),
    ['Linear 1 — No norm “0”, BatchNorm “0”', 'Linear 2 — No norm “2”, BatchNorm “3”', 'Linear 3 (output) — No norm “4”, BatchNorm “6”']);

  // BatchNorm follows the second linear layer: ×2 leaves its loss as it was (float rounding); the plain run's moves.
  const bn = await scale(page, 'BatchNorm', 1, 2, 1);
  assert.ok(await alert.isHidden());
  assert.deepEqual(await bn.locator('td, th').allTextContents().then((c) => c.slice(0, 4)), ['25', 'BatchNorm', '“3”', '2']);
  const bnRel = await relative(bn);
  assert.ok(Math.abs(bnRel) < 1e-3, `BatchNorm's loss: relative change ${bnRel}`);
  assert.match(await bn.locator('td.unchanged').textContent(), /^unchanged \([−+±][\d.e+]+ %\)$/);
  assert.match(await bn.locator('td').last().textContent(), /^changed by/, 'eval mode: the running statistics hold the old scale');
  const plain = await scale(page, 'No norm', 1, 2, 2);
  const plainRel = await relative(plain);
  assert.ok(Math.abs(plainRel) > 1e-2, `No norm's loss: relative change ${plainRel}`);
  assert.match(await plain.locator('td.changed').textContent(), /^changed by [−+][\d.]+ %$/);
  // Every run at once: one row each, the newest first.
  await scale(page, 'every run', 0, 0.5, 4);
  const rows = panel.locator('table.scale-results tbody tr');
  assert.deepEqual(await rows.locator('th').allTextContents(), ['No norm', 'BatchNorm', 'No norm', 'BatchNorm']);
  assert.ok(Math.abs(await relative(rows.nth(1))) < 1e-3 && Math.abs(await relative(rows.nth(0))) > 1e-2);

  // The curves continue from the scaled weights: play to the end; both runs' lines have points all along.
  const before = await series(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /done/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
  await page.waitForFunction((b) => document.querySelector('.scaleview').dataset.series.split(',').every((n, i) => Number(n) > b[i] + 200), before);
  const n = await series(page);
  assert.equal(n.length, 2);
  assert.equal(n[0], n[1], 'the same samples for both runs');
  await page.waitForFunction((e) => [...document.querySelectorAll('#panel-scale canvas')].every((c, i) => c.toDataURL() !== e[i]), empty);
  for (const pixels of await inked(canvases)) assert.ok(pixels > 1000, `chart drawn (${pixels} pixels)`);
  // Weight decay at work: the BatchNorm run's first layer ends smaller than the plain one's.
  const [plainNorm, bnNorm] = await lastNorms(page);
  assert.ok(bnNorm < plainNorm, `‖W‖ at the end: BatchNorm ${bnNorm}, no norm ${plainNorm}`);
  assert.deepEqual(await axe(page), [], 'axe, Scale invariance');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Scale weights survive a worker restart: the replayed scaling gives the same weights', async () => {
  const run = async (crash) => {
    const { page } = await openLessons('#preset=weight-decay&section=scale');
    await press(page, 'Epoch', 'epoch 1 · step 25');
    await scale(page, 'every run', 0, 3, 2);
    if (crash) {
      await page.evaluate(() => window.normlabDebug.crashWorker());
      await page.locator('#notice').waitFor({ state: 'visible' });
      await page.waitForSelector('body[data-state="ready"]');
    }
    await press(page, 'Epoch', 'epoch 2 · step 50');
    await page.waitForFunction(() => document.querySelector('.scaleview').dataset.step === '50');
    const norms = await lastNorms(page);
    await page.close();
    return norms;
  };
  const reference = await run(false), restarted = await run(true);
  assert.deepEqual(restarted, reference);
});

test('Loss landscape: measured only while open; its charts and means fill while playing; the presets open their lessons', async () => {
  const { page, errors } = await openLessons('#preset=landscape&section=scale');
  const panel = page.locator('#panel-landscape');
  // Closed: training measures nothing.
  await press(page, 'Epoch', 'epoch 1 · step 25');
  await press(page, 'Epoch', 'epoch 2 · step 50');
  assert.equal(await measured(page), 0, 'no landscape measured while the tab is closed');
  // Opened on a paused lab: measured where it stands (both runs), then every 24 steps while it plays.
  await page.getByRole('tab', { name: 'Loss landscape', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.landscape').dataset.measured === '2');
  assert.equal(await panel.locator('.formula-row .katex').count(), 5);
  assert.match(await panel.locator('.formula-row annotation[encoding="application/x-tex"]').first().textContent(), /\\eta_k = 0\.1\\,k\\cdot\\mathrm\{lr\},\\ k = 1\\ldots 4/);
  assert.match(await panel.textContent(), /each run is measured every 24 steps while this tab is open/);
  const canvases = panel.locator('canvas');
  assert.equal(await canvases.count(), 3);
  for (const label of await canvases.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')))) assert.match(label, /over training steps, (shaded, )?log scale$/);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /done/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
  // Steps 72, 96, … 240: 8 more measurements of both runs.
  await page.waitForFunction(() => document.querySelector('.landscape').dataset.measured === '18');
  const table = panel.locator('table.landscape-means');
  await table.waitFor();
  assert.deepEqual(await table.locator('tbody th').allTextContents(), ['No norm', 'BatchNorm']);
  assert.deepEqual(await table.locator('tbody tr td:nth-of-type(1)').allTextContents(), ['9', '9']);
  const value = (run, key) => table.locator(`tbody tr[data-run="${run}"] td[data-key="${key}"]`).getAttribute('data-value').then(Number);
  const [plainBand, bnBand, plainGrad, bnGrad] = [await value(0, 'band'), await value(1, 'band'), await value(0, 'grad'), await value(1, 'grad')];
  assert.ok(bnBand > 0 && bnBand < plainBand, `bands: BatchNorm ${bnBand}, no norm ${plainBand}`);
  assert.ok(bnGrad > 0 && bnGrad < plainGrad, `gradient change: BatchNorm ${bnGrad}, no norm ${plainGrad}`);
  for (const pixels of await inked(canvases)) assert.ok(pixels > 1000, `chart drawn (${pixels} pixels)`);
  assert.deepEqual(await axe(page), [], 'axe, Loss landscape');

  // Closed again: a whole new run measures nothing.
  await page.getByRole('tab', { name: 'Scale invariance', exact: true }).click();
  const count = await measured(page);
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /done/.test(document.getElementById('status').textContent), null, { timeout: 60000 });
  assert.equal(await measured(page), count, 'nothing measured with the tab closed');

  // Choosing a preset from the menu opens its lesson.
  const preset = page.getByRole('combobox', { name: 'Preset' });
  await preset.selectOption('landscape');
  await page.waitForFunction(() => document.getElementById('tab-landscape').getAttribute('aria-selected') === 'true');
  await page.waitForFunction(() => location.hash.includes('section=landscape'));
  await preset.selectOption('weight-decay');
  await page.waitForFunction(() => document.getElementById('tab-scale').getAttribute('aria-selected') === 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Japanese: the tabs, controls, charts and Scale weights\' verdicts', async () => {
  const { page, errors } = await openLab(env, '#preset=weight-decay&section=scale&lang=ja');
  await page.locator('#tab-scale').waitFor();
  assert.equal(await page.locator('#tab-scale').textContent(), 'スケール不変性');
  assert.equal(await page.locator('#tab-landscape').textContent(), '損失地形');
  const panel = page.locator('#panel-scale');
  await page.getByRole('button', { name: '1 エポック', exact: true }).click();
  await page.waitForFunction(() => /ステップ 25/.test(document.getElementById('status').textContent));
  await panel.getByLabel('モデル', { exact: true }).selectOption({ label: 'すべてのモデル' });
  await panel.getByLabel('α（0.1 以上 10 以下）').fill('2');
  await panel.getByRole('button', { name: '重みを α 倍する' }).click();
  await page.waitForFunction(() => document.querySelectorAll('table.scale-results tbody tr').length === 2);
  const verdicts = await panel.locator('table.scale-results tbody td[data-relative]:not(:last-child)').allTextContents();
  assert.match(verdicts[0], /^[−+][\d.]+ % 変化$/, 'No norm changed');
  assert.match(verdicts[1], /^変化なし（[−+±][\d.e+]+ %）$/, 'BatchNorm unchanged');
  const symbols = new Set(['α', 'max‖g − g_k‖']); // the same in both languages
  for (const text of [...await panel.locator('th[scope="col"], h4, label').allTextContents(),
    ...await panel.locator('canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')))]) if (!symbols.has(text)) assert.match(text, JAPANESE, text);
  await panel.getByLabel('α（0.1 以上 10 以下）').fill('x');
  await panel.getByRole('button', { name: '重みを α 倍する' }).click();
  assert.equal(await panel.getByRole('alert').textContent(), 'α：0.1 以上 10 以下の数を指定してください（入力：“x”）。');
  await page.locator('#tab-landscape').click();
  const landscape = page.locator('#panel-landscape');
  await landscape.locator('table.landscape-means').waitFor();
  for (const text of [...await landscape.locator('th[scope="col"], h4').allTextContents(),
    ...await landscape.locator('canvas').evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')))]) if (!symbols.has(text)) assert.match(text, JAPANESE, text);
  assert.deepEqual(errors, []);
  await page.close();
});
