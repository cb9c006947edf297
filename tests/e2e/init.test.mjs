// Init scale (issue #15 item 1): the setting with its label, in the link, checked by the engine (an invalid
// value is named by its control and the last valid configuration keeps training), and the bad-init preset.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab, press } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

test('Init scale: the bad-init preset sets it; an invalid value is named by its control; the link carries it', async () => {
  const { page, errors } = await openLab(env, '#preset=bad-init');
  const init = page.getByRole('spinbutton', { name: 'Init scale' });
  assert.equal(await init.inputValue(), '0.1');
  await press(page, 'Epoch', 'epoch 1 · step 25');
  await init.fill('20');
  await init.press('Tab');
  const error = page.locator('#init-scale-error');
  await error.waitFor({ state: 'visible' });
  assert.equal(await error.textContent(), 'init_scale: must be in [0.1, 10], got 20');
  assert.equal(await init.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#status').textContent(), 'epoch 1 · step 25', 'the running lab is untouched');
  await init.fill('1');
  await init.press('Tab');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  await page.waitForFunction(() => /[#&]init=1(&|$)/.test(location.hash));
  assert.equal(await page.getByRole('combobox', { name: 'Preset' }).inputValue(), '', 'no longer the preset');
  // From a link.
  await page.evaluate(() => { location.hash = '#init=2.5&layers=3'; });
  await page.waitForFunction(() => document.getElementById('init-scale').value === '2.5');
  assert.deepEqual(errors, []);
  await page.close();
});
