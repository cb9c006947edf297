// The tutorial kit on two origins, as a teacher uses it: dist/ on the lab's host (scripts/serve.mjs, which sends
// Access-Control-Allow-Origin: * as GitHub Pages does), and a tutorial page on another host (localhost instead of
// 127.0.0.1, another port). <norm-lab> from one script tag trains and draws, with its workers started from blob:
// URLs and the wasm module fetched from the lab's host; under the strict policy the README documents it reports no
// violation; where its workers or its wasm module are refused it says so and disables its buttons. An iframe with
// embed.js reaches the lab's full height, whenever the script loads.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { inked, launch, watchViolations } from './harness.mjs';

const env = await launch(); // the lab's host: http://127.0.0.1:<port>/some/path/
const labOrigin = new URL(env.url).origin;
const tutorialDir = await mkdtemp(join(tmpdir(), 'normlab-tutorial-'));
await writeFile(join(tutorialDir, 'favicon.ico'), ''); // no 404 in the console
const tutorial = await serve({ root: tutorialDir, base: '/' });
const tutorialUrl = tutorial.url.replace('127.0.0.1', 'localhost'); // another origin, another site
test.after(async () => { tutorial.server.close(); await env.close(); });

// Opens a tutorial page with `body` (and a policy in a <meta> tag, if given), recording errors and violations.
async function openTutorial(body, policy = null) {
  const file = `page-${Math.random().toString(36).slice(2)}.html`;
  const meta = policy ? `<meta http-equiv="Content-Security-Policy" content="${policy}">` : '';
  await writeFile(join(tutorialDir, file), `<!doctype html><html lang="en"><meta charset="utf-8">${meta}<title>A tutorial on BatchNorm</title>
<body><h1>BatchNorm</h1><p>Press Play.</p>${body}</body></html>`);
  const page = await env.context.newPage();
  const watched = await watchViolations(page);
  const requests = [];
  page.on('response', (r) => requests.push({ url: r.url(), type: r.headers()['content-type'] }));
  await page.goto(tutorialUrl + file);
  assert.notEqual(new URL(page.url()).origin, labOrigin);
  return { page, requests, ...watched };
}

const elementTag = (attributes) => `<script type="module" src="${env.url}normlab-element.js"></script>
<norm-lab ${attributes}></norm-lab>`;

async function trainsAndDraws(page) {
  const lab = page.locator('norm-lab');
  await page.waitForFunction(() => document.querySelector('norm-lab').dataset.state === 'ready');
  await lab.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  await lab.getByRole('button', { name: 'Step', exact: true }).click();
  await lab.getByRole('status').filter({ hasText: 'epoch 0 · step 1' }).waitFor();
  await lab.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => Number(/step (\d+)/.exec(document.querySelector('norm-lab').shadowRoot.getElementById('status').textContent)?.[1]) > 40);
  await lab.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => Number(document.querySelector('norm-lab').shadowRoot.querySelector('canvas.boundary').dataset.paints ?? 0) > 1);
  const [painted] = await inked(lab.locator('canvas.boundary').first());
  assert.ok(painted > 1000, 'the boundary is painted');
}

test('<norm-lab> from one script tag of another origin trains and draws; its workers and wasm come from the lab\'s host', async () => {
  const { page, requests, errors } = await openTutorial(elementTag('preset="deep-sigmoid"'));
  await trainsAndDraws(page);
  const lab = page.locator('norm-lab');
  assert.equal(await lab.locator('canvas.boundary').count(), 4, 'deep-sigmoid: four runs');
  const fromLab = (pattern) => requests.filter((r) => pattern.test(new URL(r.url).pathname) && r.url.startsWith(env.url));
  assert.equal(fromLab(/\/assets\/worker-[^/]+\.js$/).length, 1, 'the trainer worker script, from the lab\'s host');
  assert.deepEqual(fromLab(/\.wasm$/).map((r) => r.type), ['application/wasm'], 'the wasm module, once, from the lab\'s host');
  // The element alone needs normlab-element.js and the scripts and the wasm module of assets/ (README, "As an element").
  const fetched = requests.filter((r) => r.url.startsWith(env.url)).map((r) => r.url.slice(env.url.length));
  assert.deepEqual(fetched.filter((f) => !/^(normlab-element\.js|assets\/[^/]+\.(js|wasm))$/.test(f)), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// What the README tells a host with a strict Content-Security-Policy to allow.
const STRICT_POLICY = `default-src 'self'; script-src 'self' ${labOrigin} 'wasm-unsafe-eval'; worker-src blob: ${labOrigin}; connect-src ${labOrigin}`;

test('under the strict policy the README documents, the element and its lessons run with no violation', async () => {
  const { page, errors, violations } = await openTutorial(elementTag('preset="deep-sigmoid" show="toolbar,boundary,loss,lessons"'), STRICT_POLICY);
  await trainsAndDraws(page);
  // The lessons' own worker, started the same way: the inspector computes.
  await page.locator('norm-lab').locator('#panel-inspector .rows-table tbody tr').nth(3).waitFor();
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// The lab cannot run: a notice says why, the status says so, and Reset, Play, Step and Epoch are disabled.
async function refused(page, notice) {
  await page.waitForFunction(() => document.querySelector('norm-lab').dataset.state === 'fatal');
  const lab = page.locator('norm-lab');
  assert.ok(await lab.getByRole('alert').isVisible(), 'the notice is visible');
  assert.match(await lab.locator('#notice-text').textContent(), notice);
  assert.equal(await lab.getByRole('status').textContent(), 'the lab cannot run here');
  for (const name of ['Reset', 'Play', 'Step', 'Epoch']) {
    assert.ok(await lab.getByRole('button', { name, exact: true }).isDisabled(), `${name} is disabled`);
  }
}

test('where workers are refused (worker-src \'none\'), or the wasm module (no connect-src), the element says so and disables its buttons', async () => {
  const base = `default-src 'self'; script-src 'self' ${labOrigin} 'wasm-unsafe-eval'`;
  const noWorkers = await openTutorial(elementTag('preset="deep-sigmoid"'), `${base}; worker-src 'none'; connect-src ${labOrigin}`);
  await refused(noWorkers.page, /^The training worker could not start here, .* must allow blob: and the lab’s origin in worker-src \(or script-src\)/);
  await noWorkers.page.close();
  const noWasm = await openTutorial(elementTag('preset="deep-sigmoid"'), `${base}; worker-src blob: ${labOrigin}`);
  await refused(noWasm.page, /^The lab cannot run here: the WebAssembly module failed to load: .*connect-src/);
  await noWasm.page.close();
});

// The README's iframe snippet, as written: the frame, then embed.js.
const frameTag = (id) => `<iframe id="${id}" src="${env.url}index.html?embed=1&amp;show=toolbar,boundary,loss" title="normlab" style="width: 100%; border: 0"></iframe>`;
const helperTag = `<script src="${env.url}embed.js"></script>`;

// Waits until the frame is at least as tall as the lab's document (within 2 px), for 5 s at most; returns both heights.
async function fitted(page, id) {
  const frame = page.locator(`#${id}`);
  await page.frameLocator(`#${id}`).getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  const inner = await (await frame.elementHandle()).contentFrame();
  let heights;
  for (let i = 0; i < 50; i++) {
    heights = { iframe: await frame.evaluate((f) => f.clientHeight), content: await inner.evaluate(() => document.documentElement.scrollHeight) };
    if (heights.iframe > 150 && heights.iframe >= heights.content - 2) break;
    await page.waitForTimeout(100);
  }
  return heights;
}

test('an iframe with embed.js reaches the lab\'s full height; two frames, each its own', async () => {
  const { page, errors, violations } = await openTutorial(`${frameTag('one')}<p>Between.</p>${frameTag('two')}${helperTag}`);
  for (const id of ['one', 'two']) {
    const { iframe, content } = await fitted(page, id);
    assert.ok(iframe >= content - 2 && content > 300, `#${id}: the frame (${iframe} px) fits the lab (${content} px)`);
  }
  // A message that is not from a lab frame sizes nothing.
  await page.evaluate(() => window.postMessage({ normlab: 'height', height: 5000 }, '*'));
  await page.waitForTimeout(200);
  assert.ok((await page.locator('#one').evaluate((f) => f.clientHeight)) < 5000);
  assert.deepEqual(await violations(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('embed.js added after the lab has reported its height still sizes the frame (it asks)', async () => {
  const { page } = await openTutorial(frameTag('late'));
  await page.frameLocator('#late').getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#late').evaluate((f) => f.clientHeight), 150, 'without the helper, a default frame is 150 px tall');
  await page.evaluate((src) => { const s = document.createElement('script'); s.src = src; document.body.append(s); }, `${env.url}embed.js`);
  const { iframe, content } = await fitted(page, 'late');
  assert.ok(iframe >= content - 2 && content > 300, `the frame (${iframe} px) fits the lab (${content} px)`);
  await page.close();
});
