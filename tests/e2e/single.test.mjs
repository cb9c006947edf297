// npm run build → dist/normlab-single.html, opened from disk (file://) as a classroom without a network
// would: it loads nothing else, trains in its (inlined) worker, draws, and its lessons compute, under its own
// Content-Security-Policy (scripts/csp.mjs singleFileCsp) with no violation.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { singleFileCsp } from '../../scripts/csp.mjs';
import { inked, inlineScriptRuns, launch, watchViolations } from './harness.mjs';

const FILE = fileURLToPath(new URL('../../dist/normlab-single.html', import.meta.url));
const env = await launch();
test.after(() => env.close());

test('the single HTML file references no other file', () => {
  const html = readFileSync(FILE, 'utf8');
  assert.ok(html.length > 500_000, 'the wasm module and the workers are inside');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external script');
  assert.doesNotMatch(html, /<link[^>]+rel="stylesheet"/, 'no external stylesheet');
  assert.doesNotMatch(html, /url\((?!["']?data:)[^)]*\.(woff2?|ttf|png|svg|wasm)/, 'no font or image file');
});

test('its policy allows exactly its one inline script and stylesheet, blob: workers and the data: wasm', () => {
  const html = readFileSync(FILE, 'utf8');
  const script = /<script type="module">([\s\S]*)<\/script>/.exec(html)[1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)[1];
  const meta = /<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, 'the policy is the first <meta> after the charset');
  assert.equal(meta[1], singleFileCsp({ script, style }));
  assert.match(meta[1], /^default-src 'none'; script-src 'sha256-[^']+' 'wasm-unsafe-eval'; style-src 'sha256-[^']+'; worker-src blob:; connect-src data:$/);
});

test('opened from disk (file://): it trains, draws, and the lessons compute; no errors, no CSP violation', async () => {
  const page = await env.context.newPage();
  const requests = [];
  const { errors, violations } = await watchViolations(page);
  page.on('request', (r) => { if (!/^(data|blob|file):/.test(r.url())) requests.push(r.url()); });
  await page.goto(pathToFileURL(FILE).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 0');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 1 · step 25');
  const [painted] = await inked(page.locator('canvas.boundary').first());
  assert.ok(painted > 1000, 'the boundary is painted');
  // The lessons' worker (also inlined): the inspector shows the lesson's 1.1111; formulas as MathML.
  await page.locator('#lessons').scrollIntoViewIfNeeded();
  await page.locator('#panel-inspector .rows-table tbody tr').nth(3).waitFor();
  const varY = await page.locator('#panel-inspector .rows-table tbody tr td:nth-child(5)').allTextContents();
  assert.deepEqual(varY, ['1.1111', '1.1111', '1.1111', '1.1111']);
  assert.ok(await page.locator('#panel-inspector math').count() >= 1, 'formulas render as MathML');
  await page.getByRole('button', { name: '日本語' }).click();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  assert.deepEqual(requests, [], 'nothing fetched from a network');
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  // The policy is in force: an injected inline script does not run.
  assert.equal(await inlineScriptRuns(page), false);
  await page.close();
});

test('a worker that cannot start is reported once, not restarted in a loop', async () => {
  const page = await env.context.newPage();
  let workers = 0;
  page.on('worker', () => workers++);
  await page.route(/\/assets\/worker-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(env.url);
  await page.waitForFunction(() => document.body.dataset.state === 'fatal');
  await page.waitForTimeout(1000);
  assert.match(await page.locator('#notice-text').textContent(), /could not start/);
  assert.ok(workers <= 1, `the worker was not restarted (${workers} started)`);
  await page.close();
});
