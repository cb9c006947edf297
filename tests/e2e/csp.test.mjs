// The Content-Security-Policy the lab ships with (scripts/csp.mjs: no inline scripts, no eval; wasm allowed):
// every built page carries it as a <meta> tag, `npm start`'s server (scripts/serve.mjs) sends it as a header, and
// under either the page loads, trains and draws with no violation reported, while an injected inline script is
// refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_CSP, cspMeta } from '../../scripts/csp.mjs';
import { serve } from '../../scripts/serve.mjs';
import { ELEMENT, EMBED_HELPER, SINGLE_FILE } from '../../scripts/site.mjs';
import { BASE, DIST, inlineScriptRuns, launch, watchViolations } from './harness.mjs';

const env = await launch({ headers: { 'content-security-policy': PAGE_CSP } });
const staticHost = await serve({ root: DIST, base: BASE }); // as a static host would: no header, only the meta tag
test.after(async () => { staticHost.server.close(); await env.close(); });

// A page of the served dist/ that records console errors and every CSP violation it reports.
async function openWatched(url, header) {
  const page = await env.context.newPage();
  const watched = await watchViolations(page);
  const response = await page.goto(url);
  assert.equal(response.headers()['content-security-policy'], header);
  return { page, ...watched };
}

// The policy is in force: an inline script injected into the page does not run, and is reported.
async function assertEnforced(page, violations) {
  assert.equal(await inlineScriptRuns(page), false, 'an inline script ran');
  await page.waitForFunction(() => window.__violations.some((v) => v.startsWith('script-src')));
  assert.deepEqual((await violations()).filter((v) => !v.startsWith('script-src')), []);
}

async function trainAndOpenLessons(page) {
  await page.waitForSelector('body[data-state="ready"]');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  await page.waitForFunction(() => Number(document.querySelector('canvas.boundary').dataset.paints ?? 0) > 1);
  // The lessons: their worker, KaTeX's stylesheet and fonts.
  await page.locator('#lessons').scrollIntoViewIfNeeded();
  await page.locator('#panel-inspector .rows-table tbody tr').nth(3).waitFor();
  await page.evaluate(() => document.fonts.ready);
  assert.ok(await page.evaluate(() => [...document.fonts].some((f) => f.family.startsWith('KaTeX') && f.status === 'loaded')), 'KaTeX fonts load');
}

async function embedExampleRuns(page) {
  await page.waitForFunction(() => [...document.querySelectorAll('norm-lab')].every((e) => e.dataset.state === 'ready'));
  await page.locator('#element-b').getByRole('status').filter({ hasText: /完了/ }).waitFor({ timeout: 30000 }); // autoplay ran to the end
  await page.frameLocator('#lab').getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
}

test(`works under the header "${PAGE_CSP}" with no violations`, async () => {
  const { page, errors, violations } = await openWatched(env.url, PAGE_CSP);
  await trainAndOpenLessons(page);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('dist/embed.html (an iframe and two <norm-lab> elements) under the same header: no violations', async () => {
  const { page, errors, violations } = await openWatched(env.url + 'embed.html', PAGE_CSP);
  await embedExampleRuns(page);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every built page carries the policy as its first <meta> after the charset', () => {
  for (const name of ['index.html', 'embed.html']) {
    const html = readFileSync(join(DIST, name), 'utf8');
    assert.match(html, /<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"/, name);
    assert.ok(html.includes(cspMeta(PAGE_CSP)), `${name} carries ${PAGE_CSP}`);
  }
});

test('from a static host (no header), the meta tag alone is in force and the page works with no violations', async () => {
  const { page, errors, violations } = await openWatched(staticHost.url, undefined);
  await trainAndOpenLessons(page);
  assert.deepEqual(await violations(), []);
  await assertEnforced(page, violations);
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  await page.close();
});

test('dist/embed.html from a static host: no violations in the page or its framed lab', async () => {
  const { page, errors, violations } = await openWatched(staticHost.url + 'embed.html', undefined);
  await embedExampleRuns(page);
  assert.deepEqual(await violations(), []);
  const lab = page.frames().find((f) => f.url().includes('embed=1'));
  assert.deepEqual(await lab.evaluate(() => window.__violations), []);
  assert.equal(await lab.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content), PAGE_CSP);
  await assertEnforced(page, violations);
  assert.deepEqual(errors.filter((e) => !/Content Security Policy/.test(e)), []);
  await page.close();
});

test('npm start\'s server (node scripts/serve.mjs) sends the policy as a header, and CORS', async () => {
  const serveScript = fileURLToPath(new URL('../../scripts/serve.mjs', import.meta.url));
  const child = spawn(process.execPath, [serveScript, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => { out += d; const m = /running at (\S+)/.exec(out); if (m) resolve(m[1]); });
      child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
    });
    for (const path of ['', 'embed.html', ELEMENT, EMBED_HELPER, SINGLE_FILE]) {
      const response = await fetch(url + path);
      assert.equal(response.status, 200, path);
      // The single file carries its own policy (its inline script and stylesheet by their hashes): the page's
      // header would refuse them.
      assert.equal(response.headers.get('content-security-policy'), path === SINGLE_FILE ? null : PAGE_CSP, path);
      assert.equal(response.headers.get('access-control-allow-origin'), '*', `${path}: for <norm-lab> on other origins`);
    }
  } finally {
    child.kill();
  }
});
