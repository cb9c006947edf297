// Reading the pictures and drawing on them: one colour per normalization in every preset, the loss chart's
// smoothing and its x axis, the cards' epoch-mean loss, the Preset menu naming the lesson's experiment, the
// language switched everywhere at once, Speed, and your own points (drawn by clicks, cleared, uploaded as CSV,
// a bad file refused with its line and column, the points in the link).
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab, press } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

const status = (page) => page.locator('#status').textContent();
const runColor = (page, name) => page.locator('article.run', { has: page.getByRole('heading', { name, exact: true }) })
  .evaluate((a) => getComputedStyle(a).getPropertyValue('--run-color').trim());

test('one colour per normalization: BatchNorm is the same colour in two presets, and its runs differ from the others', async () => {
  const { page, errors } = await openLab(env, '#preset=lesson');
  const lesson = { none: await runColor(page, 'No norm'), bn: await runColor(page, 'BatchNorm') };
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('deep-sigmoid');
  await page.locator('canvas[aria-label*="decision boundary of RMSNorm"]').waitFor();
  const deep = { none: await runColor(page, 'No norm'), bn: await runColor(page, 'BatchNorm'), ln: await runColor(page, 'LayerNorm'), rms: await runColor(page, 'RMSNorm') };
  assert.equal(deep.bn, lesson.bn, 'BatchNorm keeps its colour though its slot changed');
  assert.equal(deep.none, lesson.none);
  assert.equal(new Set(Object.values(deep)).size, 4, 'four normalizations, four colours');
  // The legend names the runs and the four kinds of line.
  const legend = await page.locator('#loss-legend').textContent();
  for (const word of ['No norm', 'BatchNorm', 'LayerNorm', 'RMSNorm']) assert.ok(legend.includes(word), word);
  assert.equal(await page.locator('#loss-legend [data-line]').count(), 4, 'per step, smoothed, epoch-mean train, epoch-mean test');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Preset menu names the lesson\'s experiment on a first visit; the cards show the epoch-mean loss', async () => {
  const { page, errors } = await openLab(env);
  assert.equal(await page.getByRole('combobox', { name: 'Preset' }).inputValue(), 'lesson');
  assert.match(await page.locator('#preset-caption').textContent(), /The lesson’s own experiment/);
  const card = page.locator('article.run').nth(1).locator('.run-stats');
  await press(page, 'Step', 'epoch 0 · step 1');
  assert.match(await card.textContent(), /^loss — · last step \d\.\d{4}/, 'no epoch has ended: no epoch mean yet');
  await press(page, 'Epoch', 'epoch 1 · step 25');
  const [, epochLoss, lastStep] = (await card.textContent()).match(/^loss (\d\.\d{4}) · last step (\d\.\d{4})/);
  assert.notEqual(epochLoss, lastStep, 'the epoch mean, not the last step');
  const csvMean = await page.evaluate(() => document.querySelector('canvas#loss-chart').dataset.points);
  assert.ok(Number(csvMean) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('smoothing: 0 draws the raw loss, 0.9 smooths it; the x axis ends at the last step', async () => {
  const { page, errors } = await openLab(env);
  await press(page, 'Epoch', 'epoch 1 · step 25');
  const last = () => page.locator('#loss-chart').evaluate((c) => ({ last: JSON.parse(c.dataset.last ?? '[]'), xMax: Number(c.dataset.xMax) }));
  const slider = page.getByRole('slider', { name: 'Smoothing' });
  await slider.fill('0');
  await page.waitForFunction(() => JSON.parse(document.getElementById('loss-chart').dataset.last ?? '[]').every(([raw, smooth]) => raw === smooth));
  await slider.fill('0.9');
  await page.waitForFunction(() => JSON.parse(document.getElementById('loss-chart').dataset.last ?? '[]').every(([raw, smooth]) => raw !== smooth));
  assert.equal((await last()).xMax, 25, 'the x axis ends at step 25');
  assert.deepEqual(errors, []);
  await page.close();
});

test('switching language redraws everything at once: cards, legend, performance line, speed', async () => {
  const { page, errors } = await openLab(env);
  await press(page, 'Step', 'epoch 0 · step 1');
  await page.waitForSelector('#perf-results dt');
  // Everything is read in the same task as the click: nothing waits for the next frame.
  const after = await page.evaluate(() => {
    [...document.querySelectorAll('button')].find((b) => b.textContent === '日本語').click();
    return {
      card: document.querySelector('article.run .run-stats').textContent,
      perf: document.querySelector('#perf-results dt').textContent,
      legend: document.getElementById('loss-legend').textContent,
      speed: document.getElementById('speed').getAttribute('aria-valuetext'),
      status: document.getElementById('status').textContent,
    };
  });
  assert.match(after.card, /^損失 /);
  assert.match(after.perf, /[ぁ-んァ-ン一-龥]/, `the performance line: ${after.perf}`);
  assert.match(after.legend, /[ぁ-んァ-ン一-龥]/);
  assert.equal(after.speed, '最速');
  assert.match(after.status, /^エポック 0 · ステップ 1/);
  await page.getByRole('button', { name: 'English' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('Speed: 3 steps a second trains step by step, full speed as fast as it can', async () => {
  const { page, errors } = await openLab(env, '#epochs=400');
  const speed = page.getByRole('slider', { name: 'Speed' });
  await speed.fill('1'); // 3 steps/s
  assert.equal(await speed.getAttribute('aria-valuetext'), '3 steps/s');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(2000);
  const slow = Number((await status(page)).match(/step (\d+)/)[1]);
  assert.ok(slow >= 3 && slow <= 9, `about 6 steps in 2 s at 3 steps/s, got ${slow}`);
  await speed.fill('6');
  await page.waitForFunction((s) => Number(/step (\d+)/.exec(document.getElementById('status').textContent)[1]) > s + 200, slow);
  await page.getByRole('button', { name: 'Pause' }).click();
  assert.deepEqual(errors, []);
  await page.close();
});

test('your own points: drawn by clicks (Shift-click removes), cleared, carried by the link', async () => {
  const { page, errors } = await openLab(env);
  const points = page.getByLabel('Points', { exact: true });
  await page.getByLabel('Dataset').selectOption('custom');
  await page.waitForFunction(() => location.hash.includes('data=custom') && location.hash.includes('pts='));
  assert.equal(await points.inputValue(), '200', 'starts from a sample of the points shown');
  assert.ok(await points.evaluate((i) => i.readOnly));
  const canvas = page.locator('canvas[aria-label*="decision boundary of No norm"]');
  const box = await canvas.boundingBox();
  await page.getByRole('radio', { name: 'class 1' }).check();
  await canvas.click({ position: { x: 10, y: 10 } });
  await page.waitForFunction(() => document.getElementById('points').value === '201');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  await canvas.click({ position: { x: 12, y: 12 }, modifiers: ['Shift'] });
  await page.waitForFunction(() => document.getElementById('points').value === '200');
  // Clear: too few points to train on is said by the Points field; clicks add them back.
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.locator('#points-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#points-error').textContent(), /add at least 4 points \(has 0\)/);
  const spots = [[0.2, 0.2, 'class 0'], [0.3, 0.25, 'class 0'], [0.8, 0.8, 'class 1'], [0.7, 0.75, 'class 1'], [0.25, 0.3, 'class 0'], [0.75, 0.7, 'class 1']];
  for (const [fx, fy, cls] of spots) {
    await page.getByRole('radio', { name: cls }).check();
    await canvas.click({ position: { x: fx * box.width, y: fy * box.height } });
  }
  await page.waitForFunction(() => document.getElementById('points').value === '6');
  await page.locator('#points-error').waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  // The link carries the six points: a new page from it has them.
  const hash = await page.evaluate(() => location.hash);
  const { page: again } = await openLab(env, hash);
  assert.equal(await again.getByLabel('Points', { exact: true }).inputValue(), '6');
  assert.equal(await again.getByLabel('Dataset').inputValue(), 'custom');
  assert.deepEqual(errors, []);
  await again.close();
  await page.close();
});

test('Upload CSV: a good file becomes the data; a bad one is refused with its line and column, nothing changed', async () => {
  const { page, errors } = await openLab(env);
  const upload = page.getByLabel('Upload CSV');
  await page.getByLabel('Dataset').selectOption('custom');
  await page.waitForFunction(() => location.hash.includes('data=custom'));
  const rows = ['x1,x2,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 2 ? 1 : -1) + 0.01 * i},${0.02 * i},${i % 2}`)].join('\n');
  await upload.setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await page.waitForFunction(() => document.getElementById('points').value === '40');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  const before = await page.evaluate(() => location.hash);
  await upload.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n0,0,0\n1,1,2\n') });
  await page.locator('#notice').waitFor({ state: 'visible' });
  assert.match(await page.locator('#notice-text').textContent(), /line 3, column 3: the label must be 0 or 1, got "2"/);
  assert.equal(await page.locator('#points').inputValue(), '40', 'nothing changed');
  assert.equal(await page.evaluate(() => location.hash), before);
  // Uploading with another dataset chosen switches to your own points.
  await page.getByLabel('Dataset').selectOption('spiral');
  await page.waitForFunction(() => location.hash.includes('data=spiral'));
  await upload.setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await page.waitForFunction(() => location.hash.includes('data=custom'));
  assert.equal(await page.getByLabel('Dataset').inputValue(), 'custom');
  assert.deepEqual(errors, []);
  await page.close();
});
