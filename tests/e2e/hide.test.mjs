// Fine-grained showing and hiding in an embed: hide= takes settings by their link keys, the runs' editors come
// with the settings or alone (run-editors), and the BatchNorm-boundary box and the preset's caption are panels
// of their own.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

const visible = (page, label) => page.getByLabel(label, { exact: true }).isVisible();

test('hide= hides exactly the named settings; an unknown key is named in a warning', async () => {
  const warnings = [];
  const { page, errors } = await openLab(env, '?embed=1&show=toolbar,controls,boundary,loss&hide=opt,lr,wd,bogus');
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  for (const hidden of ['Optimizer', 'Learning rate', 'Weight decay']) assert.equal(await visible(page, hidden), false, hidden);
  for (const shown of ['Batch size', 'Epochs', 'Seed', 'Width', 'Dataset']) assert.equal(await visible(page, shown), true, shown);
  assert.equal(await page.getByRole('combobox', { name: 'Normalization' }).first().isVisible(), true, 'the run editors come with the settings');
  await page.reload();
  await page.waitForSelector('body[data-state="ready"]');
  assert.ok(warnings.some((w) => /hide="bogus" is not a setting's key/.test(w)), warnings.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('by default an embed shows the boundaries without editors, the box or the caption; each can be asked for', async () => {
  const { page, errors } = await openLab(env, '?embed=1#preset=deep-sigmoid');
  assert.equal(await page.locator('canvas.boundary').first().isVisible(), true);
  assert.equal(await page.getByRole('combobox', { name: 'Normalization' }).first().isVisible(), false);
  assert.equal(await page.locator('.boundary-mode').isVisible(), false);
  assert.equal(await page.locator('#preset-caption').isVisible(), false);
  const { page: asked } = await openLab(env, '?embed=1&show=toolbar,boundary,run-editors,boundary-mode,caption,loss#preset=deep-sigmoid');
  assert.equal(await asked.getByRole('combobox', { name: 'Normalization' }).first().isVisible(), true);
  assert.equal(await asked.getByLabel('Dataset').isVisible(), false, 'run editors without the other settings');
  assert.equal(await asked.locator('.boundary-mode').isVisible(), true);
  await asked.locator('#preset-caption').waitFor({ state: 'visible' });
  assert.match(await asked.locator('#preset-caption').textContent(), /Without normalization the gradients vanish/);
  assert.deepEqual(errors, []);
  await page.close();
  await asked.close();
});
