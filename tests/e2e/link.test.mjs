// Shareable state: the URL hash holds the running configuration; opening it restores the lab exactly (same
// seed, same curves); a corrupted hash is reported in a dismissible notice and the page still works.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab, shareButton } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

const settings = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('#controls [data-key], article.run input, article.run select')].map((el) => [el.id, el.value])));

test('a link round-trips: same settings, same losses', async () => {
  const { page, errors } = await openLab(env);
  await page.getByLabel('Dataset').selectOption('spiral');
  await page.getByLabel('Width').fill('24');
  await page.getByLabel('Width').press('Tab');
  await page.locator('article.run').nth(1).getByRole('combobox', { name: 'Normalization' }).selectOption('layernorm');
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByLabel('Seed', { exact: true }).press('Tab');
  await page.waitForFunction(() => location.hash.includes('seed=7') && location.hash.includes('width=24') && location.hash.includes('layernorm'));
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  const link = page.url();
  const first = { settings: await settings(page), stats: await page.locator('.run-stats').allTextContents() };
  assert.match(link, /#v=1&/);

  const { page: again, errors: errors2 } = await openLab(env, link.slice(env.url.length));
  assert.deepEqual(await settings(again), first.settings);
  await again.getByRole('button', { name: 'Epoch', exact: true }).click();
  await again.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  const strip = (xs) => xs.map((x) => x.replace(/step [\d.]+ ms/, ''));
  assert.deepEqual(strip(await again.locator('.run-stats').allTextContents()), strip(first.stats), 'same seed, same numbers');
  assert.ok(await again.locator('#notice').isHidden());
  assert.deepEqual([...errors, ...errors2], []);
  await page.close();
  await again.close();
});

test('a corrupted hash: the notice names the rejected fields, the valid ones apply, the page works', async () => {
  const { page, errors } = await openLab(env, '#v=1&width=32&points=lots&act=swish&run=A~rmsnorm~after~8&bogus=1');
  await page.locator('#notice').waitFor({ state: 'visible' });
  const notice = await page.locator('#notice-text').textContent();
  for (const field of ['points', 'act', 'bogus']) assert.match(notice, new RegExp(`${field}:`));
  assert.equal(await page.getByLabel('Width').inputValue(), '32');
  assert.equal(await page.getByLabel('Points', { exact: true }).inputValue(), '2000');
  assert.equal(await page.locator('canvas[aria-label*="decision boundary of A"]').count(), 1);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  assert.ok(await page.locator('#notice').isHidden());
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a hostile link: hex numbers and repeated keys are named, a 100 KB key is echoed cut, never whole', async () => {
  const key = 'k'.repeat(100_000);
  const { page, errors } = await openLab(env, `#v=1&v=999&lr=0x10&width=32&width=64&${key}=1`);
  await page.locator('#notice').waitFor({ state: 'visible' });
  const notice = await page.locator('#notice-text').textContent();
  assert.match(notice, /v: given 2 times; the first value was used/);
  assert.match(notice, /width: given 2 times/);
  assert.match(notice, /lr: "0x10" is not a number/);
  assert.ok(notice.includes(`${'k'.repeat(80)}… (cut): unknown setting`), 'the key, cut at 80 characters');
  assert.ok(notice.length < 1000, `a notice of ${notice.length} characters`);
  assert.equal(await page.getByLabel('Width').inputValue(), '32', 'the first value applies');
  assert.equal(await page.getByLabel('Learning rate').inputValue(), '0.01');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link the engine rejects (groups that do not divide the width) falls back to the defaults', async () => {
  const { page, errors } = await openLab(env, '#v=1&width=30&run=G~groupnorm~before~8');
  await page.locator('#notice').waitFor({ state: 'visible' });
  assert.match(await page.locator('#notice-text').textContent(), /30 features cannot be split into 8 groups/);
  assert.equal(await page.locator('canvas[aria-label*="decision boundary of BatchNorm"]').count(), 1);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 1');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Copy link puts the current link on the clipboard', async () => {
  await env.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { page } = await openLab(env);
  await page.getByLabel('Epochs', { exact: true }).fill('12');
  await page.getByLabel('Epochs', { exact: true }).press('Tab');
  await page.waitForFunction(() => location.hash.includes('epochs=12'));
  await (await shareButton(page, 'Copy link')).click();
  await page.waitForFunction(() => document.getElementById('link-feedback').textContent !== '');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, page.url());
  await page.close();
});
