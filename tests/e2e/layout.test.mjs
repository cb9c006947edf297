// The picture-first layout, checked as boxes: on a desk (1440 × 900, 1280 × 800) the first screen holds the
// training buttons, every run's decision boundary (2 runs: each at least 320 px square; 4 runs: 240 px), every
// run's normalization menu and the whole loss chart; on a phone (390 × 844) Play and a whole boundary, the
// boundaries two per row and the settings one tap away. Nowhere is anything wider than the viewport (tables and
// code scroll inside their own box), and the 日本語 button never wraps.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch, openLab } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

// Boxes of what must be on the first screen, in viewport coordinates (the page is at its top).
const boxes = (page) => page.evaluate(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height, right: r.right, bottom: r.bottom }; };
  const byName = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
  return {
    viewport: { w: window.innerWidth, h: window.innerHeight },
    boundaries: [...document.querySelectorAll('canvas.boundary')].map(box),
    norms: [...document.querySelectorAll('article.run select[id$="-norm"]')].map(box),
    loss: box(document.querySelector('figure[data-panel="loss"]')),
    buttons: ['Step', 'Epoch', 'Play', 'Reset'].map((n) => box(byName(n))),
  };
});

// Visible elements that reach past the viewport's right edge without a scrolling (or clipping) box around them.
const overflowing = (page) => page.evaluate(() => {
  const vw = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 0.5) return true;
    return false;
  };
  return [...document.body.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    if (!r.width || getComputedStyle(el).visibility === 'hidden') return false;
    return r.right > vw + 0.5 && !clipped(el);
  }).map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.getAttribute('class')} right=${el.getBoundingClientRect().right.toFixed(0)}`);
});

const inside = (b, v) => b.x >= 0 && b.y >= 0 && b.right <= v.w + 0.5 && b.bottom <= v.h + 0.5;

async function open(size, preset) {
  const { page, errors } = await openLab(env, `#preset=${preset}`);
  await page.setViewportSize(size);
  await page.waitForFunction((n) => document.querySelectorAll('canvas.boundary').length === n, preset === 'lesson' ? 2 : 4);
  await page.waitForFunction(() => document.querySelector('#lessons [role="tab"]')); // the lessons, loaded after the first paint
  await page.evaluate(() => window.scrollTo(0, 0));
  return { page, errors };
}

for (const size of [{ width: 1440, height: 900 }, { width: 1280, height: 800 }]) {
  for (const [preset, runs, side] of [['lesson', 2, 320], ['deep-sigmoid', 4, 240]]) {
    test(`${size.width} × ${size.height}, ${runs} runs: buttons, every boundary (≥ ${side} px), every normalization menu and the loss chart on the first screen`, async () => {
      const { page, errors } = await open(size, preset);
      const b = await boxes(page);
      assert.equal(b.boundaries.length, runs);
      for (const [i, c] of b.boundaries.entries()) {
        assert.ok(inside(c, b.viewport), `boundary ${i} inside the first screen: ${JSON.stringify(c)}`);
        assert.ok(c.w >= side && Math.abs(c.w - c.h) < 1, `boundary ${i} is a square of at least ${side} px: ${c.w} × ${c.h}`);
      }
      for (const [i, n] of b.norms.entries()) assert.ok(inside(n, b.viewport), `run ${i}'s normalization menu in view`);
      assert.ok(inside(b.loss, b.viewport), `the loss chart in full: ${JSON.stringify(b.loss)}`);
      for (const button of b.buttons) assert.ok(inside(button, b.viewport), 'Step, Epoch, Play and Reset in view');
      assert.ok(await page.getByLabel('Dataset').isVisible(), 'the settings are beside the runs');
      assert.deepEqual(await overflowing(page), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}

for (const preset of ['lesson', 'deep-sigmoid']) {
  test(`390 × 844 (${preset}): Play and a whole boundary on the first screen, boundaries two per row, settings one tap away`, async () => {
    const { page, errors } = await open({ width: 390, height: 844 }, preset);
    const b = await boxes(page);
    assert.ok(inside(b.buttons[2], b.viewport), 'Play in view');
    assert.ok(inside(b.boundaries[0], b.viewport), `the first boundary in full: ${JSON.stringify(b.boundaries[0])}`);
    assert.ok(Math.abs(b.boundaries[0].y - b.boundaries[1].y) < 1 && b.boundaries[1].x > b.boundaries[0].right, 'two boundaries side by side');
    assert.deepEqual(await overflowing(page), []);
    // The settings: hidden until the Settings button opens their sheet; Escape closes it.
    const dataset = page.getByLabel('Dataset');
    await dataset.waitFor({ state: 'hidden' }); // (the sheet slides away when the page became narrow)
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await dataset.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.getElementById('settings').getAnimations().length === 0); // slid in
    assert.ok(inside(await dataset.boundingBox().then((r) => ({ ...r, w: r.width, h: r.height, right: r.x + r.width, bottom: r.y + r.height })), b.viewport));
    await dataset.selectOption('spiral');
    await page.waitForFunction(() => location.hash.includes('data=spiral'));
    await page.keyboard.press('Escape');
    await dataset.waitFor({ state: 'hidden' });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the 日本語 button never wraps; the Japanese page overflows nowhere', async () => {
  for (const width of [1280, 390, 320]) {
    const { page, errors } = await open({ width, height: 800 }, 'lesson');
    await page.getByRole('button', { name: '日本語' }).click();
    const [en, ja] = await Promise.all(['English', '日本語'].map((n) => page.getByRole('button', { name: n }).evaluate((b) => b.getBoundingClientRect().height)));
    assert.equal(ja, en, `at ${width} px the two language buttons are one line high`);
    assert.deepEqual(await overflowing(page), [], `at ${width} px`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
