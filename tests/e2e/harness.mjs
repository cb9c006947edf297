// Shared e2e harness: dist/ served under a sub-path by scripts/serve.mjs, Debian's Chromium (/usr/bin/chromium,
// or $CHROMIUM) driven by playwright-core. Never a browser downloaded by `npx playwright install`; the profile is a
// fresh temporary directory, and --no-sandbox is needed when running as root.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
export const BASE = '/some/path/';

export async function launch({ locale = 'en-US', headers = {} } = {}) {
  const { server, url } = await serve({ root: DIST, base: BASE, headers });
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

// Opens the lab, collecting console errors, page errors and the wasm response's content type.
export async function openLab(env, path = '') {
  const page = await env.context.newPage();
  const errors = [];
  const wasmTypes = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasmTypes.push(r.headers()['content-type']); });
  await page.goto(env.url + path);
  await page.waitForSelector('body[data-state="ready"]');
  await page.waitForFunction(() => /(step|ステップ) 0/.test(document.getElementById('status')?.textContent ?? ''));
  return { page, errors, wasmTypes };
}

// Non-transparent pixels of each canvas the locator matches (0 for a canvas with no size): did it draw?
export const inked = (locator) => locator.evaluateAll((cs) => cs.map((c) => {
  if (!c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
  return n;
}));
