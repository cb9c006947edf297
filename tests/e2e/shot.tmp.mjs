import { launch, openLab } from './harness.mjs';
const env = await launch();
try {
  const { page, errors } = await openLab(env, process.argv[2] ?? '');
  await page.click('#btn-epoch'); await page.waitForTimeout(500);
  await page.click('#btn-epoch'); await page.waitForTimeout(500);
  for (const id of (process.argv[3] ?? 'inspector').split(',')) {
    await page.click(`#tab-${id}`);
    if (id === 'compare') { await page.click('#sweep-run'); await page.waitForSelector('.sweep[data-done]', { timeout: 30000 }); }
    await page.waitForTimeout(800);
    const panel = await page.$(`#panel-${id}`);
    await panel.screenshot({ path: `/tmp/shot-${id}.png` });
  }
  console.log('errors', errors);
} finally { await env.close(); }
