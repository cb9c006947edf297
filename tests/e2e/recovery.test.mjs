// The page never dies with its worker (issue #12): a worker that stops without an error event is found by the
// heartbeat and replaced, and the new one catches up to the step the page had reached — the same numbers, as
// training is deterministic. A model whose outputs are not finite is flagged, never drawn as NaN.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openLab, shareButton } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

const status = (page) => page.locator('#status').textContent();
const stats = (page) => page.locator('article.run .run-stats').allTextContents();
// A card's loss and accuracies (its step time differs from run to run).
const numbers = (texts) => texts.map((t) => t.replace(/ · [^·]*ms$/, ''));

async function stepTo(page, epochs, steps) {
  for (let i = 0; i < epochs; i++) await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  for (let i = 0; i < steps; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  const want = `epoch ${epochs} · step ${epochs * 25 + steps}`;
  await page.waitForFunction((w) => document.getElementById('status').textContent === w, want);
}

test('a worker that stops silently is restarted and replays to the step it had reached', async () => {
  const { page, errors } = await openLab(env);
  await stepTo(page, 2, 3);
  const before = numbers(await stats(page));
  await page.evaluate(() => window.normlabDebug.hangWorker()); // self.close(): no error event
  await page.locator('#notice').waitFor({ state: 'visible', timeout: 40000 });
  assert.match(await page.locator('#notice-text').textContent(), /stopped answering; it has been restarted and has caught up/);
  await page.waitForSelector('body[data-state="ready"]');
  assert.equal(await status(page), 'epoch 2 · step 53', 'the page kept its step');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 2 · step 54');
  const after = numbers(await stats(page));

  // The same lab, never interrupted, one step further: the restarted worker gives the very same numbers.
  const { page: reference } = await openLab(env);
  await stepTo(reference, 2, 4);
  assert.deepEqual(after, numbers(await stats(reference)));
  assert.notDeepEqual(after, before, 'the step after the restart trained');
  assert.deepEqual(errors, []);
  await page.close();
  await reference.close();
});

test('a lab that was playing plays on after a restart, from where it was', async () => {
  const { page } = await openLab(env);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => Number(/step (\d+)/.exec(document.getElementById('status').textContent)[1]) > 100);
  await page.evaluate(() => window.normlabDebug.crashWorker());
  await page.locator('#notice').waitFor({ state: 'visible' });
  const at = Number(/step (\d+)/.exec(await status(page))[1]);
  assert.ok(at > 100, `the step shown after the crash: ${at}`);
  await page.waitForFunction((a) => Number(/step (\d+)/.exec(document.getElementById('status').textContent)[1]) > a + 50, at);
  await page.close();
});

test('a model whose outputs are not finite is flagged, and no boundary is drawn', async () => {
  const { page, errors } = await openLab(env);
  const dir = await mkdtemp(join(tmpdir(), 'normlab-recovery-'));
  const [download] = await Promise.all([page.waitForEvent('download'), (await shareButton(page, 'Export model')).click()]);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  // BatchNorm's running variance below zero: finite numbers, so the file is valid; eval mode gives NaN.
  const bn = file.runs[1].state;
  for (const key of Object.keys(bn)) if (key.endsWith('running_var')) bn[key] = bn[key].map(() => -1);
  await writeFile(join(dir, 'negative-var.json'), JSON.stringify(file));
  await page.getByLabel('Import model').setInputFiles(join(dir, 'negative-var.json'));
  const badge = page.locator('article.run').nth(1).locator('.badge');
  await badge.waitFor({ state: 'visible' });
  assert.match(await badge.textContent(), /diverged — diverged: its outputs are not finite, so no boundary is drawn/);
  assert.equal(await page.locator('article.run').nth(0).locator('.badge').isVisible(), false, 'the other run is fine');
  assert.deepEqual(errors, []);
  await page.close();
});
