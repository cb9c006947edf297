// The guided tutorial (dist/tutorial/, from examples/tutorial/) as a teacher hosts it: dist/ on the lab's host
// (origin A), the tutorial's pages on another host (origin B) with their one script tag pointed at origin A's
// normlab-element.js. The element trains and draws; scrolling a step to the middle of the viewport changes the
// lab, and so do Next and Previous from the keyboard; a merge step keeps the runs where a replace step resets
// them; a step reached out of order replays the ones before it; a reader's own Pause is not undone while the
// step stays; steps change show and hide in place (one wasm module, the runs go on). load(config, {mode}) merges
// or replaces, an invalid merge loses nothing. The Japanese page has Japanese step controls.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';
import { TUTORIAL, TUTORIAL_DIR } from '../../scripts/site.mjs';
import { DIST, inked, launch, seriousAxeViolations } from './harness.mjs';

const env = await launch(); // origin A: http://127.0.0.1:<port>/some/path/
const labOrigin = new URL(env.url).origin;
const dir = await mkdtemp(join(tmpdir(), 'normlab-tutorial-'));
await writeFile(join(dir, 'favicon.ico'), '');
// The built pages, their script tag pointed at origin A (as the page's comment tells an author to do).
for (const file of TUTORIAL) {
  const text = await readFile(join(DIST, TUTORIAL_DIR, file), 'utf8');
  await writeFile(join(dir, file), file.endsWith('.html') ? text.replace('src="../normlab-element.js"', `src="${env.url}normlab-element.js"`) : text);
}
const host = await serve({ root: dir, base: '/' });
const tutorialUrl = host.url.replace('127.0.0.1', 'localhost'); // origin B: another host, another port
test.after(async () => { host.server.close(); await env.close(); });

async function open(file, { viewport } = {}) {
  const page = await env.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const errors = [], requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(tutorialUrl + file);
  assert.notEqual(new URL(page.url()).origin, labOrigin);
  await page.waitForFunction(() => document.getElementById('lab')?.dataset.state === 'ready');
  return { page, errors, requests };
}

// What the tutorial's lab runs, read from its shadow root: the Preset menu's value ('' when no preset), hidden
// settings' values, the runs' names, the status line, whether it plays.
const labState = (page, id = 'lab') => page.evaluate((id) => {
  const el = document.getElementById(id), root = el.shadowRoot;
  const value = (sel) => root.querySelector(sel).value;
  return {
    preset: value('#preset'), layers: value('#hidden-layers'), batch: value('#batch-size'), act: value('#activation'),
    runs: [...root.querySelectorAll('.run-name')].map((h) => h.textContent), status: root.getElementById('status').textContent,
    playing: el.dataset.playing === 'true', notice: root.getElementById('notice').hidden ? null : root.getElementById('notice-text').textContent,
  };
}, id);

const waitLab = (page, predicate, arg) => page.waitForFunction(([source, arg]) => {
  const root = document.getElementById('lab').shadowRoot;
  const s = { preset: root.querySelector('#preset').value, layers: root.querySelector('#hidden-layers').value,
    batch: root.querySelector('#batch-size').value, runs: [...root.querySelectorAll('.run-name')].map((h) => h.textContent) };
  return new Function('s', 'arg', `return (${source})(s, arg)`)(s, arg);
}, [predicate.toString(), arg]);

const steps = (page) => page.locator('norm-lab-step');
const current = (page) => page.evaluate(() => [...document.querySelectorAll('norm-lab-step')].findIndex((s) => s.getAttribute('aria-current') === 'step'));
const scrollTo = (page, i) => steps(page).nth(i).evaluate((s) => s.scrollIntoView({ block: 'center' }));
const stepNumber = (status) => Number(/step (\d+)/.exec(status)?.[1]);

test('served from another origin, the tutorial\'s lab trains and draws from one script tag; scrolling to a step changes it', async () => {
  const { page, errors, requests } = await open('index.html');
  const lab = page.locator('#lab');
  assert.equal(await page.locator('script[src]').count(), 1, 'one script tag');
  assert.equal(await current(page), -1, 'no step is active before the reader reaches one');
  assert.equal((await labState(page)).preset, 'lesson', 'the lab starts on its own preset');
  const nav = page.getByRole('navigation', { name: 'Tutorial steps' });
  assert.equal(await nav.getByText('5 steps').count(), 1);

  // Step 1 (preset=lesson, action=play): the lab trains and draws.
  await scrollTo(page, 0);
  await page.waitForFunction(() => document.querySelector('norm-lab-step').getAttribute('aria-current') === 'step');
  await page.waitForFunction(() => Number(/step (\d+)/.exec(document.getElementById('lab').shadowRoot.getElementById('status').textContent)?.[1]) > 30);
  await lab.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => Number(document.getElementById('lab').shadowRoot.querySelector('canvas.boundary').dataset.paints ?? 0) > 1);
  const painted = await inked(lab.locator('canvas.boundary'));
  assert.equal(painted.length, 2);
  assert.ok(painted.every((n) => n > 1000), `both boundaries are painted (${painted})`);
  assert.equal(await nav.getByText('Step 1 of 5').count(), 1);

  // Step 2: the deep sigmoid net with two of its runs.
  await scrollTo(page, 1);
  await waitLab(page, (s) => s.layers === '8' && s.runs.join() === 'No norm,BatchNorm');
  let s = await labState(page);
  assert.deepEqual({ preset: s.preset, act: s.act }, { preset: '', act: 'sigmoid' }, 'two of the preset\'s four runs: no longer the preset itself');
  assert.equal(await current(page), 1);
  assert.equal(await steps(page).nth(0).getAttribute('aria-current'), null, 'one step is active at a time');

  // Everything of the labs came from origin A: the wasm module once per worker (the two labs' trainers and the
  // inspector's lessons worker), never again as the steps changed the lab.
  const fromA = requests.filter((u) => u.startsWith(env.url)).map((u) => u.slice(env.url.length));
  assert.equal(requests.filter((u) => u.endsWith('.wasm')).length, 3);
  assert.equal(fromA.filter((u) => u.endsWith('.wasm')).length, 3);
  assert.ok(fromA.includes('normlab-element.js'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Next and Previous, from the keyboard, change the step and the lab; a merge step keeps the runs\' setting, a replace step resets it', async () => {
  const { page, errors } = await open('index.html');
  const next = page.getByRole('button', { name: 'Next step', exact: true });
  const previous = page.getByRole('button', { name: 'Previous step', exact: true });
  assert.equal(await previous.getAttribute('aria-disabled'), 'true', 'no step before the first');
  // The reader reads step 1 (focusing the bar would scroll the page there anyway), then goes on by keyboard.
  await scrollTo(page, 0);
  await page.waitForFunction(() => document.querySelector('norm-lab-step').getAttribute('aria-current') === 'step');
  await next.focus();
  assert.equal(await current(page), 0);
  await page.keyboard.press('Enter'); // → step 2, focus stays on Next
  await waitLab(page, (s) => s.layers === '8' && s.runs.join() === 'No norm,BatchNorm');
  await page.keyboard.press('Space'); // → step 3: merge run=No norm, LayerNorm
  await waitLab(page, (s) => s.runs.join() === 'No norm,LayerNorm');
  let s = await labState(page);
  assert.deepEqual({ layers: s.layers, act: s.act, batch: s.batch }, { layers: '8', act: 'sigmoid', batch: '64' }, 'the merge kept the deep sigmoid net');
  assert.equal(await current(page), 2);
  assert.equal(await page.getByRole('navigation', { name: 'Tutorial steps' }).getByText('Step 3 of 5').count(), 1);
  await page.waitForFunction(() => { // Next scrolled the step to the middle of the viewport
    const r = document.querySelectorAll('norm-lab-step')[2].getBoundingClientRect();
    return r.top < innerHeight / 2 && r.bottom > innerHeight / 2;
  });

  await page.keyboard.press('Enter'); // → step 4: replace preset=tiny-batch
  await waitLab(page, (s) => s.preset === 'tiny-batch');
  s = await labState(page);
  assert.deepEqual({ layers: s.layers, runs: s.runs, batch: s.batch }, { layers: '2', runs: ['BatchNorm', 'LayerNorm'], batch: '2' }, 'the replace reset the net');
  await page.keyboard.press('Enter'); // → step 5: merge batch=1&lr=0.001&epochs=2
  await waitLab(page, (s) => s.preset === 'batch-one');
  s = await labState(page);
  assert.deepEqual({ runs: s.runs, batch: s.batch }, { runs: ['BatchNorm', 'LayerNorm'], batch: '1' }, 'the merge kept the runs: exactly the batch-one preset');
  assert.equal(await next.getAttribute('aria-disabled'), 'true', 'no step after the last');
  await page.keyboard.press('Enter');
  assert.equal(await current(page), 4, 'Next at the last step stays there');
  // BatchNorm stops at its first step, as the step says; LayerNorm trains on.
  await page.locator('#lab').locator('.badge', { hasText: 'expected more than 1 value per channel when training' }).waitFor();

  await previous.focus();
  await page.keyboard.press('Enter'); // ← step 4
  await waitLab(page, (s) => s.preset === 'tiny-batch');
  assert.equal(await current(page), 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a merge step reached out of order replays the steps before it; a step applies once, and again when re-entered', async () => {
  const { page } = await open('index.html');
  // Straight to step 3 (a merge) from nothing: it shows the deep net with LayerNorm, as read in order.
  await scrollTo(page, 2);
  await waitLab(page, (s) => s.layers === '8' && s.runs.join() === 'No norm,LayerNorm');
  // Back from step 4 (tiny-batch) to step 3: the deep net again, not tiny-batch with LayerNorm.
  await scrollTo(page, 3);
  await waitLab(page, (s) => s.preset === 'tiny-batch');
  await scrollTo(page, 2);
  await waitLab(page, (s) => s.layers === '8' && s.runs.join() === 'No norm,LayerNorm');
  const s = await labState(page);
  assert.deepEqual({ act: s.act, batch: s.batch }, { act: 'sigmoid', batch: '64' });

  // The reader pauses; scrolling within the same step does not undo it.
  const lab = page.locator('#lab');
  await page.waitForFunction(() => document.getElementById('lab').dataset.playing === 'true');
  await lab.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('lab').dataset.playing === 'false');
  const paused = (await labState(page)).status;
  await page.mouse.wheel(0, 40);
  await page.waitForTimeout(400);
  await page.mouse.wheel(0, -80);
  await page.waitForTimeout(400);
  assert.equal(await current(page), 2);
  assert.equal((await labState(page)).status, paused, 'still paused where the reader left it');
  assert.equal((await labState(page)).playing, false);

  // Another step, then this one again: it is applied again (reloaded and playing from the start).
  await scrollTo(page, 1);
  await waitLab(page, (s) => s.runs.join() === 'No norm,BatchNorm');
  await scrollTo(page, 2);
  await waitLab(page, (s) => s.runs.join() === 'No norm,LayerNorm');
  await page.waitForFunction(() => document.getElementById('lab').dataset.playing === 'true');
  await page.close();
});

test('the Japanese page has Japanese step controls and a Japanese lab', async () => {
  const { page, errors } = await open('ja.html', { viewport: { width: 390, height: 844 } });
  const nav = page.getByRole('navigation', { name: 'チュートリアルのステップ' });
  assert.equal(await nav.getByText('全 5 ステップ').count(), 1);
  await scrollTo(page, 0);
  await nav.getByText('ステップ 1 / 5').waitFor();
  assert.equal(await nav.getByRole('button', { name: '前へ', exact: true }).getAttribute('aria-disabled'), 'true');
  await nav.getByRole('button', { name: '次へ', exact: true }).focus();
  await page.keyboard.press('Enter');
  await nav.getByText('ステップ 2 / 5').waitFor();
  await waitLab(page, (s) => s.layers === '8');
  await page.locator('#lab').getByRole('button', { name: '一時停止', exact: true }).waitFor();
  assert.match((await labState(page)).status, /エポック \d+ · ステップ \d+/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the tutorial, in English and Japanese, has no serious accessibility violations', async () => {
  for (const file of ['index.html', 'ja.html']) {
    const { page } = await open(file);
    await scrollTo(page, 0);
    await page.waitForFunction(() => document.querySelector('norm-lab-step').getAttribute('aria-current') === 'step');
    await page.evaluate(() => document.getElementById('lab').pause());
    assert.deepEqual(await seriousAxeViolations(page), [], file);
    await page.close();
  }
});

// A page of steps of the author's own, on origin B.
async function ownPage(body) {
  const file = `own-${Math.random().toString(36).slice(2)}.html`;
  await writeFile(join(dir, file), `<!doctype html><html lang="en"><meta charset="utf-8"><title>Steps</title>
<script type="module" src="${env.url}normlab-element.js"></script><body>${body}</body></html>`);
  return open(file);
}

test('steps change show and hide in place: the lab keeps its worker, its wasm module and its runs', async () => {
  const { page, errors, requests } = await ownPage(`
<norm-lab id="lab" preset="lesson" show="toolbar,boundary"></norm-lab>
<norm-lab-steps for="lab">
  <norm-lab-step action="step"><p>One step.</p></norm-lab-step>
  <norm-lab-step show="toolbar,boundary,loss,controls" hide="opt,lr"><p>More panels.</p></norm-lab-step>
  <norm-lab-step><p>The lab's own panels again.</p></norm-lab-step>
</norm-lab-steps>`);
  const lab = page.locator('#lab');
  const next = page.getByRole('button', { name: 'Next step', exact: true });
  assert.equal(await lab.locator('#loss-chart').isVisible(), false);
  await next.click();
  await lab.getByRole('status').filter({ hasText: 'epoch 0 · step 1' }).waitFor();
  await next.click();
  await lab.locator('#loss-chart').waitFor({ state: 'visible' });
  assert.ok(await lab.getByLabel('Batch size').isVisible(), 'controls are shown');
  assert.equal(await lab.getByLabel('Learning rate').isVisible(), false, 'hide=lr');
  assert.equal(await lab.getByLabel('Optimizer').isVisible(), false, 'hide=opt');
  assert.equal(await page.locator('#lab').getAttribute('show'), 'toolbar,boundary,loss,controls');
  await next.click();
  await page.waitForFunction(() => document.getElementById('lab').getAttribute('show') === 'toolbar,boundary');
  await lab.locator('#loss-chart').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#lab').getAttribute('hide'), null);
  assert.equal((await labState(page)).status, 'epoch 0 · step 1', 'the runs went on: still at the step the first step took');
  assert.equal(requests.filter((u) => u.endsWith('.wasm')).length, 1, 'one wasm module: nothing was reloaded');
  assert.deepEqual(errors, []);
  await page.close();
});

test('load(config, {mode}): merge keeps the runs, replace resets them; an invalid merge names its fields and loses nothing', async () => {
  const { page, errors } = await ownPage('<norm-lab id="lab" preset="deep-sigmoid" show="toolbar,boundary"></norm-lab>');
  await page.locator('#lab').getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  const load = (config, options) => page.evaluate(([c, o]) => { document.getElementById('lab').load(c, o); }, [config, options]);
  await load('batch=8', { mode: 'merge' });
  await waitLab(page, (s) => s.batch === '8');
  let s = await labState(page);
  assert.deepEqual({ runs: s.runs, layers: s.layers }, { runs: ['No norm', 'BatchNorm', 'LayerNorm', 'RMSNorm'], layers: '8' });
  await load({ lr: 0.05 }, { mode: 'merge' }); // an object, as the iframe message takes
  await waitLab(page, (s) => s.batch === '8' && s.runs.length === 4);
  assert.equal(await page.evaluate(() => document.getElementById('lab').shadowRoot.querySelector('#lr').value), '0.05');
  const status = page.locator('#lab').getByRole('status');
  await page.evaluate(() => document.getElementById('lab').step());
  await status.filter({ hasText: 'epoch 0 · step 1' }).waitFor();

  // Invalid fields: named in the notice; everything else stays, the runs' progress too.
  await load('batch=abc&width=7000', { mode: 'merge' });
  await page.waitForFunction(() => !document.getElementById('lab').shadowRoot.getElementById('notice').hidden);
  s = await labState(page);
  assert.match(s.notice, /^Some settings in this configuration could not be used and were left as they were — /);
  assert.match(s.notice, /batch: "abc" is not an integer in \[1, 4096\]/);
  assert.match(s.notice, /width: "7000" is not an integer in \[2, 256\]/);
  assert.deepEqual({ runs: s.runs.length, layers: s.layers, batch: s.batch }, { runs: 4, layers: '8', batch: '8' });
  await page.evaluate(() => document.getElementById('lab').step());
  await status.filter({ hasText: 'epoch 0 · step 2' }).waitFor(); // the runs went on from step 1
  // A configuration the engine refuses (7 groups do not divide 64 features): named, and the lab runs on.
  await load('run=GN~groupnorm~before~7~0', { mode: 'merge' });
  await page.waitForFunction(() => /could not run/.test(document.getElementById('lab').shadowRoot.getElementById('notice-text').textContent));
  await waitLab(page, (s) => s.runs.length === 4);
  assert.match((await labState(page)).notice, /^This configuration could not run, so the lab kept the one it was running — .*groups/);
  await page.evaluate(() => document.getElementById('lab').step());
  await status.filter({ hasText: 'epoch 0 · step 3' }).waitFor(); // still the same runs, from step 2
  assert.equal((await labState(page)).batch, '8', 'the running configuration is the last good one');
  // A mode of the wrong kind throws, naming it; the lab is left as it was.
  const thrown = await page.evaluate(() => { try { document.getElementById('lab').load('batch=4', { mode: 'append' }); return null; } catch (e) { return `${e.name}: ${e.message}`; } });
  assert.equal(thrown, 'TypeError: normlab: load: mode: expected replace or merge, got "append"');
  assert.equal((await labState(page)).batch, '8');

  await load('batch=8'); // replace, the default
  await waitLab(page, (s) => s.runs.join() === 'No norm,BatchNorm' && s.layers === '2');
  assert.equal((await labState(page)).batch, '8');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the iframe takes {normlab: "load", config, mode: "merge"} and refuses another mode, naming it', async () => {
  const file = `frame-${Math.random().toString(36).slice(2)}.html`;
  await writeFile(join(dir, file), `<!doctype html><html lang="en"><meta charset="utf-8"><title>Frame</title>
<iframe id="lab" title="normlab" style="width: 900px; height: 700px" src="${env.url}index.html?embed=1&show=toolbar,boundary,controls&origins=${new URL(tutorialUrl).origin}#preset=deep-sigmoid"></iframe></html>`);
  const page = await env.context.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.goto(tutorialUrl + file);
  const frame = page.frameLocator('#lab');
  await frame.getByRole('status').filter({ hasText: 'epoch 0 · step 0' }).waitFor();
  const send = (m) => page.evaluate(([m, o]) => document.getElementById('lab').contentWindow.postMessage(m, o), [m, labOrigin]);
  await send({ normlab: 'load', config: { batch: 16 }, mode: 'merge' });
  await expectValue(frame.locator('#batch-size'), '16');
  assert.equal(await frame.locator('canvas.boundary').count(), 4, 'merge kept the four runs');
  assert.equal(await frame.locator('#hidden-layers').inputValue(), '8');
  await send({ normlab: 'load', config: 'batch=32', mode: 'sideways' });
  for (let i = 0; i < 50 && !warnings.some((w) => /mode/.test(w)); i++) await page.waitForTimeout(100);
  assert.ok(warnings.includes('normlab: a message was ignored: mode: expected replace or merge, got "sideways"'), warnings.join('\n'));
  assert.equal(await frame.locator('#batch-size').inputValue(), '16', 'a refused message changes nothing');
  await send({ normlab: 'load', config: 'batch=32' });
  await expectValue(frame.locator('#batch-size'), '32');
  assert.equal(await frame.locator('canvas.boundary').count(), 2, 'replace: the default runs');
  await page.close();
});

async function expectValue(locator, value) {
  for (let i = 0; i < 50 && (await locator.inputValue()) !== value; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await locator.inputValue(), value);
}
