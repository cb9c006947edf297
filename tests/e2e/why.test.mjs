// The "Why it helps" lesson (issue #15 item 6): five theories, each a formula (KaTeX) and buttons opening the
// presets and lesson tabs that test it on the lab; the sources; in English and Japanese.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

test('section=why: five parts with formulas; every button opens its preset or its tab', async () => {
  const { page, errors } = await openLab(env, '#section=why');
  const panel = page.getByRole('tabpanel', { name: 'Why it helps' });
  await panel.waitFor();
  assert.equal(await panel.getByRole('heading', { level: 4 }).count(), 6, 'five parts and the sources');
  await page.waitForFunction(() => document.querySelectorAll('#panel-why .formula .katex').length === 5);
  assert.match(await panel.getByRole('listitem').first().textContent(), /Ioffe, C. Szegedy/);
  const presets = await panel.locator('button[data-preset]').evaluateAll((bs) => bs.map((b) => [b.dataset.preset, b.textContent]));
  assert.ok(presets.length >= 5, `${presets.length} preset buttons`);
  for (const [id, text] of presets) {
    assert.match(text, /^Open the preset: /);
    assert.ok(!text.endsWith(id), `${id}: named by its preset's name, not its id`);
    await panel.locator(`button[data-preset="${id}"]`).click();
    await page.waitForFunction((p) => document.getElementById('preset').value === p, id);
  }
  const tabs = await panel.locator('button[data-tab]').evaluateAll((bs) => bs.map((b) => b.dataset.tab));
  assert.ok(tabs.length >= 2);
  for (const tab of tabs) {
    await page.getByRole('tab', { name: 'Why it helps' }).click();
    await panel.locator(`button[data-tab="${tab}"]`).click();
    await page.waitForFunction((t) => document.getElementById(`tab-${t}`).getAttribute('aria-selected') === 'true', tab);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Japanese', async () => {
  const { page, errors } = await openLab(env, '#section=why&lang=ja');
  const panel = page.getByRole('tabpanel', { name: 'なぜ効くのか' });
  await panel.getByRole('heading', { name: '1 · 内部共変量シフト（Ioffe & Szegedy, 2015）' }).waitFor();
  assert.match(await panel.locator('button[data-preset="bad-init"]').textContent(), /^プリセットを開く：悪い初期化/);
  assert.deepEqual(errors, []);
  await page.close();
});
