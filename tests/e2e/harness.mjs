// Shared e2e harness: dist/ served under a sub-path by scripts/serve.mjs, Debian's Chromium (/usr/bin/chromium,
// or $CHROMIUM) driven by playwright-core. Never a browser downloaded by `npx playwright install`; the profile is a
// fresh temporary directory, and --no-sandbox is needed when running as root.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
export const BASE = '/some/path/';

// `root`: the folder served at BASE (default dist/).
export async function launch({ locale = 'en-US', headers = {}, root = DIST } = {}) {
  const { server, url } = await serve({ root, base: BASE, headers });
  const profile = await mkdtemp(join(tmpdir(), 'normlab-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    locale,
    viewport: { width: 1280, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--lang=${locale}`],
  });
  return {
    url,
    context,
    async close() {
      await context.close();
      server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// A page's console errors and page errors, as they come.
function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

// A host page on the lab's own origin (a tutorial page with <norm-lab> elements): `name` serves `body`; console
// and page errors are collected.
export async function openHostPage(env, name, body) {
  const page = await env.context.newPage();
  const errors = collectErrors(page);
  await page.route(env.url + name, (route) => route.fulfill({ contentType: 'text/html', body }));
  await page.goto(env.url + name);
  return { page, errors };
}

// Opens the lab, collecting console errors, page errors and the wasm response's content type.
export async function openLab(env, path = '') {
  const page = await env.context.newPage();
  const errors = collectErrors(page);
  const wasmTypes = [];
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasmTypes.push(r.headers()['content-type']); });
  await page.goto(env.url + path);
  await page.waitForSelector('body[data-state="ready"]');
  await page.waitForFunction(() => /(step|ステップ) 0/.test(document.getElementById('status')?.textContent ?? ''));
  return { page, errors, wasmTypes };
}

// Records a page's console errors, page errors and every Content-Security-Policy violation any of its frames
// reports (window.__violations in each frame; `violations()` reads the top frame's).
export async function watchViolations(page) {
  const errors = collectErrors(page);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { errors, violations: () => page.evaluate(() => window.__violations) };
}

// Whether an inline script injected into the page runs (it must not under the lab's policy).
export const inlineScriptRuns = (page) => page.evaluate(() => {
  const s = document.createElement('script');
  s.textContent = 'window.__injected = true';
  document.head.append(s);
  return window.__injected === true;
});

// axe-core's serious and critical accessibility violations on the page. axe is loaded as the page's policy
// allows scripts: from the page's own origin (a route to node_modules), not as an inline script.
export async function seriousAxeViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) {
    const url = new URL('axe.min.js', page.url()).href;
    await page.route(url, (route) => route.fulfill({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js'), contentType: 'text/javascript' }));
    await page.addScriptTag({ url });
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Non-transparent pixels of each canvas the locator matches (0 for a canvas with no size): did it draw?
export const inked = (locator) => locator.evaluateAll((cs) => cs.map((c) => {
  if (!c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
  return n;
}));

// A button of the Share menu (Copy link, Export PyTorch, Export model, Export losses (CSV)) by its name, or by
// its id ('#btn-export') in any language, the menu opened.
export async function shareButton(page, name) {
  if (await page.locator('#share-menu').isHidden()) await page.locator('#btn-share').click();
  return name.startsWith('#') ? page.locator(name) : page.getByRole('button', { name, exact: true });
}

// A run card (by its name) with its "More settings" disclosure open: name, groups, dropout, Save PNG, Remove run.
export async function runMenu(page, runName) {
  const more = page.getByRole('button', { name: `More settings: ${runName}`, exact: true });
  if ((await more.getAttribute('aria-expanded')) !== 'true') await more.click();
  return page.locator('article.run', { has: more });
}

// Presses Step or Epoch (by name, in English) and waits until the status reads `status` ("epoch 1 · step 25").
export async function press(page, button, status) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForFunction((s) => document.getElementById('status').textContent === s, status);
}
