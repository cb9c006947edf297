// The built page under a strict Content Security Policy (no inline scripts, no eval; wasm allowed):
// it loads, trains and draws with no violation reported.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const env = await launch({ headers: { 'content-security-policy': CSP } });
test.after(() => env.close());

// A page of the served dist/ that records console errors and every CSP violation it reports.
async function openWatched(path) {
  const page = await env.context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(env.url + path);
  assert.equal(response.headers()['content-security-policy'], CSP);
  return { page, errors, violations: () => page.evaluate(() => window.__violations) };
}

test(`works under "${CSP}" with no violations`, async () => {
  const { page, errors, violations } = await openWatched('');
  await page.waitForSelector('body[data-state="ready"]');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  await page.waitForFunction(() => Number(document.querySelector('canvas.boundary').dataset.paints ?? 0) > 1);
  // The lessons: their worker, KaTeX's stylesheet and fonts.
  await page.locator('#lessons').scrollIntoViewIfNeeded();
  await page.locator('#panel-inspector .rows-table tbody tr').nth(3).waitFor();
  await page.evaluate(() => document.fonts.ready);
  assert.ok(await page.evaluate(() => [...document.fonts].some((f) => f.family.startsWith('KaTeX') && f.status === 'loaded')), 'KaTeX fonts load');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test(`dist/embed.html (an iframe and two <norm-lab> elements) under the same policy: no violations`, async () => {
  const { page, errors, violations } = await openWatched('embed.html');
  await page.waitForFunction(() => [...document.querySelectorAll('norm-lab')].every((e) => e.dataset.state === 'ready'));
  await page.locator('#element-b').getByRole('status').filter({ hasText: /完了/ }).waitFor({ timeout: 30000 }); // autoplay ran to the end
  await page.frameLocator('#lab').getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});
