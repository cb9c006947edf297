// Embedding: the lab in an iframe on another origin, driven by postMessage. Commands from an allowed origin
// (?origins=) work and state/height events come back; a page of a foreign origin is ignored.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { inked, launch, openHostPage } from './harness.mjs';

const env = await launch();
const hostDir = await mkdtemp(join(tmpdir(), 'normlab-host-'));
const allowed = await serve({ root: hostDir, base: '/' });
const foreign = await serve({ root: hostDir, base: '/' });
test.after(async () => { allowed.server.close(); foreign.server.close(); await env.close(); });

const labOrigin = new URL(env.url).origin;
// The host page: the lab in a frame, and a sandboxed frame (an opaque origin, "null") that relays whatever the
// host posts to it on to the lab, as a hostile frame on the tutorial page would.
const hostPage = (origins) => `<!doctype html><meta charset="utf-8"><title>host</title>
<iframe id="lab" title="normlab" style="width: 900px; height: 600px" src="${env.url}?embed=1&show=toolbar,boundary,loss&origins=${encodeURIComponent(origins)}"></iframe>
<iframe id="sandboxed" sandbox="allow-scripts" srcdoc="<script>addEventListener('message', (e) => parent.frames[0].postMessage(e.data, '*'));</script>"></iframe>
<script>
  window.fromSandbox = (m) => document.getElementById('sandboxed').contentWindow.postMessage(m, '*');
  window.received = [];
  addEventListener('message', (e) => { if (e.origin === ${JSON.stringify(labOrigin)}) window.received.push(e.data); });
  window.send = (m) => document.getElementById('lab').contentWindow.postMessage(m, ${JSON.stringify(labOrigin)});
</script>`;

async function openHost(server, origins) {
  const file = `host-${Math.random().toString(36).slice(2)}.html`;
  await writeFile(join(hostDir, file), hostPage(origins));
  const page = await env.context.newPage();
  await page.goto(server.url + file);
  const frame = page.frameLocator('#lab');
  await frame.locator('body[data-state="ready"]').waitFor({ state: 'attached' });
  await frame.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  return { page, frame };
}

test('an allowed parent drives the embedded lab and hears its state and height', async () => {
  const hostOrigin = new URL(allowed.url).origin;
  const { page, frame } = await openHost(allowed, `${hostOrigin},https://elsewhere.example`);
  assert.ok(await frame.locator('#controls').isHidden(), 'controls are not in show=');
  assert.ok(await frame.locator('header').isHidden());
  assert.equal(await frame.locator('canvas[aria-label*="decision boundary"]').count(), 2);
  await page.waitForFunction(() => window.received.some((m) => m.normlab === 'height' && m.height > 100));
  await page.evaluate(() => window.send({ normlab: 'step' }));
  await page.waitForFunction(() => window.received.some((m) => m.normlab === 'state' && m.step === 1));
  const state = await page.evaluate(() => window.received.find((m) => m.normlab === 'state' && m.step === 1));
  assert.equal(state.epoch, 0);
  assert.equal(state.loss.length, 2);
  assert.ok(state.loss.every((l) => l > 0 && l < 2));
  await page.evaluate(() => window.send({ normlab: 'load', config: { data: 'circles', width: 16, run: ['LN~layernorm~before~8'], extra: { nested: 1 } } }));
  await frame.locator('canvas[aria-label*="decision boundary of LN"]').waitFor();
  assert.equal(await frame.locator('#dataset').inputValue(), 'circles');
  assert.match(await frame.locator('#notice-text').textContent(), /extra: expected a string, a number or a boolean \(or a list of them\), got a value of type object/);
  await page.evaluate(() => window.send({ normlab: 'play' }));
  await page.waitForFunction(() => window.received.some((m) => m.normlab === 'state' && m.step > 30));
  await page.evaluate(() => window.send({ normlab: 'pause' }));
  await page.evaluate(() => window.send({ normlab: 'reset' }));
  await frame.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  await page.close();
});

test('a foreign parent is ignored', async () => {
  const { page, frame } = await openHost(foreign, 'https://elsewhere.example');
  await page.evaluate(() => { window.send({ normlab: 'step' }); window.send({ normlab: 'play' }); window.send({ normlab: 'load', config: 'data=xor' }); });
  await page.waitForTimeout(800);
  assert.equal(await frame.getByRole('status').textContent(), 'epoch 0 · step 0');
  assert.equal(await frame.locator('#dataset').inputValue(), 'moons');
  assert.ok(!(await page.evaluate(() => window.received.some((m) => m.normlab === 'state' && m.step > 0))));
  await page.close();
});

test('a sandboxed frame (origin "null") is ignored, even when origins= lists opaque origins', async () => {
  const { page, frame } = await openHost(foreign, 'data:,x,null,file:///tmp/x,blob:null/1,javascript:alert(1)');
  await page.evaluate(() => { window.fromSandbox({ normlab: 'step' }); window.fromSandbox({ normlab: 'load', config: 'data=xor' }); });
  await page.waitForTimeout(800);
  assert.equal(await frame.getByRole('status').textContent(), 'epoch 0 · step 0');
  assert.equal(await frame.locator('#dataset').inputValue(), 'moons');
  await page.close();
});

test('dist/embed.html: the documented example drives its embedded lab', async () => {
  const page = await env.context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(env.url + 'embed.html');
  const frame = page.frameLocator('#lab');
  await frame.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  const drive = page.getByRole('group', { name: 'Drive the embedded lab' });
  await drive.getByRole('button', { name: 'Step' }).click();
  await page.locator('#state').filter({ hasText: /^epoch 0 · step 1 · losses 0\.\d{4}, 0\.\d{4}$/ }).waitFor();
  await drive.getByRole('button', { name: /^Load: spiral/ }).click();
  await frame.locator('canvas[aria-label*="decision boundary of LayerNorm"]').waitFor();
  assert.ok(Number((await page.locator('#lab').evaluate((f) => f.style.height)).replace('px', '')) > 300, 'the frame fits the lab');
  assert.deepEqual(errors, []);
  await page.close();
});

// <norm-lab>: dist/normlab-element.js on a host page of the same origin, as the README's snippet writes it.
// Two elements, each in its own shadow root with its own worker, train independently; attributes set the
// preset, the panels and the language; methods drive it; 'normlab-state' events report progress.
test('two <norm-lab> elements on one host page train independently', async () => {
  const { page, errors } = await openHostPage(env, 'host.html', `<!doctype html><title>host</title><h1>A tutorial</h1>
      <script type="module" src="./normlab-element.js"></script>
      <norm-lab id="a" preset="deep-tanh" show="toolbar,boundary,loss"></norm-lab>
      <norm-lab id="b" preset="tiny-batch" show="toolbar,boundary" lang="ja"></norm-lab>`);
  await page.waitForFunction(() => [...document.querySelectorAll('norm-lab')].every((e) => e.dataset.state === 'ready'));
  const a = page.locator('#a'), b = page.locator('#b');
  // Shadow roots: the lab's ids exist twice on the page, once per element, never in the document itself.
  assert.equal(await page.evaluate(() => document.getElementById('btn-play')), null);
  assert.equal(await page.evaluate(() => [...document.querySelectorAll('norm-lab')].filter((e) => e.shadowRoot?.getElementById('btn-play')).length), 2);
  // Attributes: presets, panels, language.
  await a.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  await b.getByRole('status').filter({ hasText: 'エポック 0 · ステップ 0' }).waitFor();
  assert.equal(await a.locator('canvas.boundary').count(), 4, 'deep-tanh: four runs');
  assert.equal(await b.locator('canvas.boundary').count(), 2, 'tiny-batch: two runs');
  assert.equal(await b.locator('#loss-chart').isVisible(), false, 'show= hides the loss chart of b');
  assert.equal(await a.locator('#controls').isVisible(), false, 'controls are not in show=');
  // Driving one leaves the other alone.
  const events = page.evaluate(() => new Promise((resolve) => {
    const seen = [];
    document.getElementById('a').addEventListener('normlab-state', (e) => { seen.push(e.detail.step); if (e.detail.step >= 1) resolve(seen); });
  }));
  await a.getByRole('button', { name: 'Step', exact: true }).click();
  await a.getByRole('status').filter({ hasText: 'epoch 0 · step 1' }).waitFor();
  assert.ok((await events).includes(1), 'a normlab-state event reports step 1');
  assert.match(await b.getByRole('status').textContent(), /ステップ 0/);
  await page.evaluate(() => document.getElementById('b').play());
  await b.getByRole('status').filter({ hasText: /完了/ }).waitFor({ timeout: 30000 });
  assert.match(await a.getByRole('status').textContent(), /^epoch 0 · step 1$/, 'a did not move while b trained');
  // Each draws its own boundaries.
  for (const el of [a, b]) {
    const [painted] = await inked(el.locator('canvas.boundary').first());
    assert.ok(painted > 1000, 'the boundary is painted');
  }
  // A new preset attribute reloads the lab; removing the element stops its workers.
  await page.evaluate(() => document.getElementById('a').setAttribute('preset', 'lesson'));
  await a.locator('canvas.boundary').nth(1).waitFor();
  await page.waitForFunction(() => document.getElementById('a').shadowRoot.querySelectorAll('canvas.boundary').length === 2);
  await page.evaluate(() => document.getElementById('b').remove());
  assert.deepEqual(errors, []);
  await page.close();
});
