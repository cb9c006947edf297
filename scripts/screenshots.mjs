// Screenshots of the built page (dist/) for looking at the design: every size × scheme × language asked for.
//   node scripts/screenshots.mjs [--out /tmp/normlab-shots] [--sizes 1440x900,1280x800,390x844]
//        [--schemes light,dark] [--langs en,ja] [--hash '#preset=lesson'] [--play 1500] [--full]
// Each file is named <size>-<scheme>-<lang>.png. --play plays that many milliseconds first; --full captures the
// whole page, not only the first screen. Uses Debian's Chromium (or $CHROMIUM) through playwright-core.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const { values: a } = parseArgs({
  options: {
    out: { type: 'string', default: join(tmpdir(), 'normlab-shots') },
    sizes: { type: 'string', default: '1440x900,1280x800,390x844' },
    schemes: { type: 'string', default: 'light,dark' },
    langs: { type: 'string', default: 'en,ja' },
    hash: { type: 'string', default: '' },
    play: { type: 'string', default: '1500' },
    full: { type: 'boolean', default: false },
  },
});

const root = new URL('../dist', import.meta.url).pathname;
const { server, url } = await serve({ root, base: '/' });
const profile = await mkdtemp(join(tmpdir(), 'normlab-shots-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
await mkdir(a.out, { recursive: true });
try {
  for (const size of a.sizes.split(',')) {
    const [width, height] = size.split('x').map(Number);
    for (const scheme of a.schemes.split(',')) {
      for (const lang of a.langs.split(',')) {
        const page = await browser.newPage();
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: scheme });
        const sep = a.hash ? '&' : '#';
        await page.goto(`${url}${a.hash || ''}${sep}lang=${lang}`);
        await page.waitForSelector('body[data-state="ready"]');
        await page.waitForFunction(() => /(step|ステップ) 0/.test(document.getElementById('status')?.textContent ?? ''));
        if (Number(a.play) > 0) {
          await page.getByRole('button', { name: /^(Play|再生)$/ }).click();
          await page.waitForTimeout(Number(a.play));
          const pause = page.getByRole('button', { name: /^(Pause|一時停止)$/ });
          await pause.click({ timeout: 2000 }).catch(() => {}); // (a short run may have ended: Play again)
          await page.waitForTimeout(300);
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        const file = join(a.out, `${size}-${scheme}-${lang}.png`);
        await page.screenshot({ path: file, fullPage: a.full });
        console.log(`${file}${overflow > 0 ? `  (horizontal overflow ${overflow} px)` : ''}`);
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
