// The built page under a strict Content Security Policy (no inline scripts, no eval; wasm allowed):
// it loads, trains and draws with no violation reported.
import test from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

test(`works under "${CSP}" with no violations`, async () => {
  const env = await launch({ headers: { 'content-security-policy': CSP } });
  try {
    const page = await env.context.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(env.url);
    assert.equal(response.headers()['content-security-policy'], CSP);
    await page.waitForSelector('body[data-state="ready"]');
    await page.getByRole('button', { name: 'Epoch', exact: true }).click();
    await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
    await page.waitForFunction(() => Number(document.querySelector('canvas.boundary').dataset.paints ?? 0) > 1);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});
