// Batch composition in Debian's Chromium (built dist/ served under a sub-path): the Batches setting (labelled, in
// the link, changing the batches: with sorted batches a point's batch-mates are of its own class), the Batch-mates
// lesson (BatchNorm's prediction spreads over the batches, LayerNorm's is one value; the point picked with the
// keyboard; the preset loaded from it), the sorted-batches preset's train/eval gap, the PyTorch code's sampler,
// Japanese, and no console errors.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab, seriousAxeViolations as axe } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

// The lab with the Batch-mates lesson open (the lessons load after the first boundary).
async function openMates(path) {
  const opened = await openLab(env, path);
  await opened.page.locator('#tab-batchmates').waitFor();
  await opened.page.locator('#tab-batchmates').click();
  return opened;
}
const mates = (page) => page.locator('.batchmates');
// The panel's numbers once it shows a frame: batches, the mean share of class 1 among the mates, per run its spread.
async function shown(page, point) {
  await page.waitForFunction((p) => {
    const root = document.querySelector('.batchmates');
    return root?.dataset.batches && new RegExp(`^(Point|点) ${p}[ （(]`).test(root.querySelector('h4')?.textContent ?? '');
  }, point);
  return page.evaluate(() => {
    const root = document.querySelector('.batchmates');
    return { batches: Number(root.dataset.batches), mates: Number(root.dataset.mates),
      runs: [...root.querySelectorAll('.batchmates-table tr[data-run]')].map((tr) => ({ spread: Number(tr.dataset.spread), gap: Number(tr.dataset.gap),
        cells: [...tr.cells].map((c) => c.textContent) })) };
  });
}

test('the Batches setting: labelled, in the link, and it changes the batches a point is drawn into', async () => {
  const { page, errors } = await openMates('#preset=lesson');
  const batches = page.getByLabel('Batches', { exact: true });
  assert.deepEqual(await batches.locator('option').allTextContents(), ['shuffled', 'class-balanced', 'sorted by class', 'with duplicates']);
  assert.equal(await batches.inputValue(), 'shuffle');
  await page.waitForFunction(() => location.hash.includes('batches=shuffle'));
  const shuffled = await shown(page, 1);
  assert.equal(shuffled.batches, 32, 'one batch an epoch, 32 epochs');
  assert.ok(shuffled.mates > 0.35 && shuffled.mates < 0.65, `shuffled: about half the mates are class 1 (${shuffled.mates})`);
  await batches.selectOption('sorted');
  await page.waitForFunction(() => location.hash.includes('batches=sorted'));
  await page.waitForFunction((before) => document.querySelector('.batchmates').dataset.mates !== before, String(shuffled.mates));
  const sorted = await shown(page, 1);
  const label = await page.evaluate(() => /class (\d)/.exec(document.querySelector('.batchmates h4').textContent)[1]);
  assert.ok(Math.abs(sorted.mates - Number(label)) < 0.1, `sorted: the mates are of the point's class ${label} (${sorted.mates})`);
  assert.equal(await page.locator('#preset').inputValue(), '', 'no longer the lesson preset');
  // The PyTorch code panel draws the same batches.
  assert.match(await page.locator('#code-table').textContent(), /sampler=SortedSampler\(y_train\)/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Batch-mates: BatchNorm\'s prediction spreads over its batches, LayerNorm\'s is one value; keyboard; the train/eval gap', async () => {
  const { page, errors } = await openMates('#preset=sorted-batches&section=batchmates');
  assert.match(page.url(), /section=batchmates/);
  const first = await shown(page, 1);
  const [bn, ln] = first.runs;
  assert.ok(bn.spread > 0.01, `BatchNorm: a spread (${bn.spread})`);
  assert.equal(ln.spread, 0, 'LayerNorm: one value');
  assert.equal(ln.cells[0], 'LayerNorm');
  const chart = page.getByRole('img', { name: /^Chart: the point’s probability of class 1/ });
  assert.match(await chart.getAttribute('aria-label'), /BatchNorm: from [\d.]+ to [\d.]+ over 32 batches, eval mode [\d.]+\. LayerNorm: from ([\d.]+) to \1 over 32 batches/);
  assert.ok(await chart.evaluate((c) => c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)), 'the chart is drawn');
  assert.deepEqual(await axe(page), [], 'axe, Batch-mates');
  // Another point, typed and entered with the keyboard; a point out of range is refused with a message.
  const point = page.getByLabel('Follow training point', { exact: true });
  await point.focus();
  await point.fill('5');
  await point.press('Enter');
  const fifth = await shown(page, 5);
  assert.equal(fifth.runs[1].spread, 0);
  await point.fill('99999');
  await point.press('Enter');
  assert.match(await page.locator('#bm-point-error').textContent(), /^Pick a training point from 1 to 1600\.$/);
  assert.equal(await point.getAttribute('aria-invalid'), '');
  await point.fill('5');
  await point.press('Enter');
  // Trained: BatchNorm's two modes part on the training set, LayerNorm's agree (the preset's claims, seed 0).
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => /done/.test(document.getElementById('status').textContent), null, { timeout: 120000 });
  await page.waitForFunction(() => /step 500/.test(document.querySelector('.batchmates h4')?.textContent ?? ''));
  const trained = await shown(page, 5);
  assert.ok(trained.runs[0].gap > 0.2, `BatchNorm: train mode ${trained.runs[0].cells[3]}, eval mode ${trained.runs[0].cells[4]}`);
  assert.equal(trained.runs[1].gap, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Batch-mates without BatchNorm offers the preset; in Japanese', async () => {
  const { page, errors } = await openLab(env, '#run=A~layernorm~before~8~0&lang=ja');
  await page.locator('#tab-batchmates').waitFor();
  assert.equal(await page.locator('#tab-batchmates').textContent(), 'バッチの仲間');
  await page.locator('#tab-batchmates').click();
  await page.waitForFunction(() => document.querySelector('.batchmates')?.dataset.batches);
  assert.match(await mates(page).locator('p.why').first().textContent(), /^BatchNorm を使う実行がない/);
  assert.equal(await page.getByLabel('バッチの作り方', { exact: true }).inputValue(), 'shuffle');
  assert.deepEqual(await page.getByLabel('バッチの作り方', { exact: true }).locator('option').allTextContents(), ['シャッフル', 'クラス均等', 'クラス順', '重複あり']);
  assert.ok(await page.getByLabel('追う点（学習データの番号）', { exact: true }).isVisible());
  assert.match(await page.getByRole('img', { name: /^グラフ：/ }).getAttribute('aria-label'), /A：32 個のバッチで/);
  await page.getByRole('button', { name: /^読み込む：クラス順のバッチ/ }).click();
  await page.waitForFunction(() => location.hash.includes('preset=sorted-batches') && location.hash.includes('batches=sorted'));
  assert.equal(await page.locator('#preset').inputValue(), 'sorted-batches');
  assert.match(await page.locator('#preset-caption').textContent(), /クラス順に並べたバッチ/);
  await page.waitForFunction(() => document.querySelectorAll('.batchmates-table tr[data-run]').length === 2);
  assert.deepEqual(errors, []);
  await page.close();
});
