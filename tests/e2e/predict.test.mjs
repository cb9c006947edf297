// Predict, then see: a preset played as a question. The caption waits; the reader picks a run; when the
// training ends the answer (from the preset's tested claims) is revealed with the measured numbers, then the
// caption. predict=1 in the link opens it; "Ask it as a question first" turns it on and starts from step 0.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

test('a link with predict=1: the question first, the answer and the caption when the training ends', async () => {
  const { page, errors } = await openLab(env, '#preset=lesson&predict=1');
  const question = page.getByRole('group', { name: 'Predict first: which run ends with the lowest training loss?' });
  await question.waitFor();
  assert.ok(await page.locator('#preset-caption').isHidden(), 'the caption waits for the answer');
  await question.getByRole('radio', { name: 'BatchNorm' }).check();
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const verdict = page.getByRole('status').filter({ hasText: 'The answer' });
  await verdict.waitFor({ timeout: 60_000 });
  // The lesson's honest result: without normalization the training loss ends lower.
  assert.match(await verdict.textContent(), /^Not this time: BatchNorm ends at 0\.\d{3}\. The answer: No norm \(0\.\d{3} in the last epoch\)\.$/);
  const [bn, none] = (await verdict.textContent()).match(/0\.\d{3}/g).map(Number);
  assert.ok(none < bn, `${none} < ${bn}`);
  assert.ok(await page.locator('#preset-caption').isVisible(), 'then the caption says why');
  assert.ok(await question.getByRole('radio', { name: 'No norm' }).isDisabled(), 'the answer stands until Reset');
  assert.match(await page.evaluate(() => location.hash), /predict=1/);
  // Reset: the question again, the caption waits again, the choice kept.
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  assert.ok(await verdict.isHidden());
  assert.ok(await page.locator('#preset-caption').isHidden());
  assert.ok(await question.getByRole('radio', { name: 'BatchNorm' }).isChecked());
  assert.deepEqual(errors, []);
  await page.close();
});

test('"Ask it as a question first" on a preset: the caption hides, the runs start over, the link says so', async () => {
  const { page, errors } = await openLab(env, '#preset=deep-sigmoid');
  assert.ok(await page.locator('#preset-caption').isVisible());
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 1');
  await page.getByRole('button', { name: 'Ask it as a question first' }).click();
  await page.getByRole('group', { name: /^Predict first: which run ends with the lowest training loss\?$/ }).waitFor();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  assert.ok(await page.locator('#preset-caption').isHidden());
  assert.equal(await page.locator('#predict').getByRole('radio').count(), 4, 'one choice per run');
  await page.waitForFunction(() => location.hash.includes('predict=1'));
  // Another preset leaves the question; changing a setting leaves the preset and its question.
  await page.getByRole('combobox', { name: 'Preset' }).selectOption('lesson');
  await page.getByRole('button', { name: 'Ask it as a question first' }).waitFor();
  assert.ok(await page.locator('#predict').isHidden());
  assert.deepEqual(errors, []);
  await page.close();
});

test('predict=1 on a preset without a question is reported and the caption shows; in Japanese', async () => {
  const { page, errors } = await openLab(env, '#preset=placement&predict=1');
  await page.locator('#notice').waitFor({ state: 'visible' });
  assert.match(await page.locator('#notice-text').textContent(), /predict: the preset "placement" has no question/);
  assert.ok(await page.locator('#preset-caption').isVisible());
  assert.ok(await page.locator('#predict').isHidden());
  await page.close();
  const ja = await openLab(env, '#preset=deep-tanh&predict=1&lang=ja');
  await ja.page.getByRole('group', { name: 'まず予想：学習損失が最も高く終わるのはどのモデル？' }).waitFor();
  assert.deepEqual([...errors, ...ja.errors], []);
  await ja.page.close();
});

test('four runs on a 1280 × 900 desk: Play brings the unanswered question into view; once a run is picked, Play moves nothing', async () => {
  const { page, errors } = await openLab(env, '#preset=deep-sigmoid&predict=1');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ reducedMotion: 'reduce' }); // (the scroll is instant, not smooth)
  const question = page.getByRole('group', { name: /^Predict first/ });
  await question.waitFor();
  const inView = () => question.evaluate((f) => { const r = f.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight + 1; });
  assert.equal(await inView(), false, 'below the four boundaries at first');
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => window.scrollY > 0);
  assert.equal(await inView(), true, 'Play brought the question into view');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForSelector('body[data-playing="false"]');

  // Picked: Play leaves the page where the reader has it.
  await question.getByRole('radio', { name: 'BatchNorm' }).check();
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForSelector('body[data-playing="true"]');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.scrollY), 0, 'no scrolling once a run is picked');
  assert.deepEqual(errors, []);
  await page.close();
});
