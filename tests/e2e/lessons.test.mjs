// The Lessons section below the lab, in Debian's Chromium (built dist/ served under a sub-path): the tabs
// (click, keyboard, the section in the link), the normalization inspector's numbers (the lesson's tensor under
// LayerNorm, edits, errors, ε, shapes), BatchNorm step by step checked against its own formulas, the
// batch-size sweep, the charts of layer statistics and gradient flow, the dropout and residual comparisons,
// every preset, Japanese, no console errors, and axe on two sections.
import test from 'node:test';
import assert from 'node:assert/strict';
import { inked, launch, openLab, seriousAxeViolations as axe } from './harness.mjs';

const env = await launch();
test.after(() => env.close());

const SECTIONS = [
  ['inspector', 'Normalization inspector'],
  ['bnstep', 'BatchNorm step by step'],
  ['compare', 'BatchNorm vs LayerNorm'],
  ['layerstats', 'Layer statistics'],
  ['gradflow', 'Gradient flow'],
  ['scale', 'Scale invariance'],
  ['landscape', 'Loss landscape'],
  ['batchmates', 'Batch-mates'],
  ['dropout', 'Dropout'],
  ['residual', 'Residual blocks'],
  ['why', 'Why it helps'],
];
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

// The lab, with its lessons loaded (they load once the first boundary is painted).
async function openLessons(e, path = '') {
  const opened = await openLab(e, path);
  await opened.page.locator('#tab-inspector').waitFor();
  return opened;
}

const statusOf = (page) => page.locator('#status').textContent();
const waitStatus = (page, text) => page.waitForFunction((t) => document.getElementById('status').textContent === t, text);
const tab = (page, name) => page.getByRole('tab', { name, exact: true });

const images = (locator) => locator.evaluateAll((cs) => cs.map((c) => c.toDataURL()));

// Polls until check() returns true (or the time is up); the caller then asserts on fresh values.
async function until(check, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The text of every cell of a table's body rows.
const cells = (locator) => locator.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));

// A number as KaTeX source writes it: 1.2345, -0.1497 or 1.000\times 10^{-5}.
function texNumber(text) {
  const m = /^(-?[\d.]+)(?:\\times 10\^\{(-?\d+)\})?$/.exec(text.trim());
  assert.ok(m, `a number in TeX: ${text}`);
  return Number(m[1]) * 10 ** Number(m[2] ?? 0);
}
const NUM = String.raw`-?[\d.]+(?:\\times 10\^\{-?\d+\})?`;

test('sections: every tab by name, click and keyboard select one panel, the section is in the link', async () => {
  const { page, errors } = await openLessons(env);
  assert.equal(await page.getByRole('tablist').count(), 1);
  assert.equal(await page.getByRole('tablist').getByRole('tab').count(), SECTIONS.length);
  for (const [id, name] of SECTIONS) {
    assert.equal(await tab(page, name).count(), 1, name);
    assert.equal(await tab(page, name).getAttribute('id'), `tab-${id}`);
    assert.equal(await tab(page, name).getAttribute('aria-controls'), `panel-${id}`);
  }
  // The default section.
  assert.equal(await tab(page, 'Normalization inspector').getAttribute('aria-selected'), 'true');
  assert.ok(await page.locator('#panel-inspector').isVisible());

  for (const [id, name] of [...SECTIONS.slice(1), SECTIONS[0]]) {
    await tab(page, name).click();
    assert.equal(await tab(page, name).getAttribute('aria-selected'), 'true', name);
    const panel = page.getByRole('tabpanel', { name, exact: true });
    assert.equal(await panel.getAttribute('id'), `panel-${id}`);
    assert.ok(await panel.isVisible(), `${name} shown`);
    assert.equal(await panel.locator(':scope > :first-child').evaluate((h) => `${h.tagName} ${h.textContent}`), `H3 ${name}`);
    assert.deepEqual(await page.locator('[role=tabpanel]:visible').evaluateAll((ps) => ps.map((p) => p.id)), [`panel-${id}`], 'the others are hidden');
    assert.deepEqual(await page.getByRole('tab', { selected: true }).evaluateAll((ts) => ts.map((t) => t.id)), [`tab-${id}`]);
    await page.waitForFunction((s) => new URLSearchParams(location.hash.slice(1)).get('section') === s, id);
  }

  // Keyboard: focus and selection move together (the WAI-ARIA tabs pattern).
  const focused = () => page.evaluate(() => document.activeElement?.id);
  const selected = () => page.getByRole('tab', { selected: true }).getAttribute('id');
  await tab(page, 'Normalization inspector').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), 'tab-bnstep');
  assert.equal(await selected(), 'tab-bnstep');
  assert.ok(await page.locator('#panel-bnstep').isVisible());
  await page.waitForFunction(() => location.hash.includes('section=bnstep'));
  assert.equal(await statusOf(page), 'epoch 0 · step 0', '→ on a tab moves the tab, it does not train');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), 'tab-inspector');
  assert.equal(await selected(), 'tab-inspector');
  await page.keyboard.press('End');
  const last = `tab-${SECTIONS.at(-1)[0]}`;
  assert.equal(await focused(), last);
  assert.equal(await selected(), last);
  await page.keyboard.press('ArrowRight');
  assert.equal(await selected(), 'tab-inspector', 'wraps around');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await selected(), last, 'wraps around');
  await page.keyboard.press('Home');
  assert.equal(await focused(), 'tab-inspector');
  assert.equal(await selected(), 'tab-inspector');
  assert.deepEqual(await page.getByRole('tab').evaluateAll((ts) => ts.map((t) => t.tabIndex)), SECTIONS.map((_, k) => (k ? -1 : 0)), 'roving tabindex');

  // A link opens its section: the full link, and a hash with only the section.
  await tab(page, 'Gradient flow').click();
  await page.waitForFunction(() => location.hash.includes('section=gradflow'));
  const link = page.url();
  assert.match(link, /#v=1&.*&section=gradflow/);
  for (const path of [link.slice(env.url.length), '#section=gradflow']) {
    const { page: again, errors: errors2 } = await openLessons(env, path);
    assert.equal(await tab(again, 'Gradient flow').getAttribute('aria-selected'), 'true', path);
    assert.ok(await again.locator('#panel-gradflow').isVisible(), path);
    assert.equal(await again.locator('#panel-gradflow h3').textContent(), 'Gradient flow');
    assert.ok(await again.locator('#panel-inspector').isHidden());
    assert.ok(await again.locator('#notice').isHidden(), `no rejected fields in ${path}`);
    assert.deepEqual(errors2, [], path);
    await again.close();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Normalization inspector: the lesson\'s tensor under LayerNorm, edits, errors, ε, shapes; axe', async () => {
  const { page, errors } = await openLessons(env);
  const panel = page.locator('#panel-inspector');
  await panel.locator('.rows-table tbody tr').nth(3).waitFor();

  // The per-sample table: what the lesson prints.
  const rows = await cells(panel.locator('table.rows-table'));
  assert.deepEqual(rows.map((r) => r[0]), ['0', '1', '2', '3']);
  assert.deepEqual(rows.map((r) => r[1]), ['17.6029', '20.5983', '19.7833', '20.4054'], 'x.mean()');
  assert.deepEqual(rows.map((r) => r[4]), ['1.1111', '1.1111', '1.1111', '1.1111'], 'y.var()');
  assert.deepEqual(rows.map((r) => r[5]), ['1.0000', '1.0000', '1.0000', '1.0000'], 'y.var(unbiased=False)');
  assert.deepEqual(await panel.locator('table.rows-table thead th').allTextContents(),
    ['sample', 'x.mean()', 'x.var()', 'y.mean()', 'y.var()', 'y.var(unbiased=False)']);
  const code = () => panel.locator('pre.inspect-code').textContent();
  assert.deepEqual((await code()).split('\n'),
    ['torch.manual_seed(0); x = torch.randn(4, 10) * 5 + 20', 'layer = nn.LayerNorm(10, eps=0.00001)', 'y = layer(x)']);

  // The diagram and the histograms: labelled, drawn.
  const diagram = panel.locator('canvas.sharing');
  assert.equal(await diagram.count(), 1);
  assert.equal(await diagram.getAttribute('role'), 'img');
  assert.match(await diagram.getAttribute('aria-label'), /^Diagram: the \(4, 10\) tensor .* 4 groups LayerNorm normalizes/);
  const hists = panel.locator('canvas.histogram');
  assert.deepEqual(await hists.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label'))),
    [0, 1, 2, 3].map((n) => `Histogram of sample ${n}: its values before normalization and after, 8 bins each, overlaid`));
  for (const [k, n] of (await inked(panel.locator('canvas.sharing, canvas.histogram'))).entries()) assert.ok(n > 100, `canvas ${k} drawn (${n} pixels)`);

  // axe with the inspector open.
  assert.deepEqual(await axe(page), [], 'axe, inspector');

  const statsRows = panel.locator('.stats-table tbody tr');
  const norm = panel.getByLabel('Normalization layer', { exact: true });
  assert.equal(await norm.inputValue(), 'layernorm');
  assert.equal(await statsRows.count(), 4);
  await norm.selectOption('batchnorm');
  await until(async () => (await statsRows.count()) === 10);
  assert.equal(await statsRows.count(), 10, 'BatchNorm on (4, 10): one statistic per channel');
  assert.deepEqual((await cells(panel.locator('.stats-table'))).map((r) => r[1]), Array.from({ length: 10 }, (_, c) => `channel ${c}`));
  assert.equal((await code()).split('\n')[1], 'layer = nn.BatchNorm1d(10, eps=0.00001)  # training mode');
  await norm.selectOption('layernorm');
  await until(async () => (await statsRows.count()) === 4);
  assert.equal(await statsRows.count(), 4);

  // Editing x[0, 0] moves sample 0's mean by (new − old) / 10; the other samples do not change.
  const cell = panel.getByRole('spinbutton', { name: 'x[0, 0]', exact: true });
  const oldX = Number(await cell.inputValue());
  assert.equal(oldX, 14.370801);
  const oldMean = Number((await cells(panel.locator('.stats-table')))[0][2]); // μ, 5 decimals
  const expected = oldMean + (100 - oldX) / 10;
  await cell.fill('100');
  await cell.press('Tab');
  const meanCell = panel.locator('table.rows-table tbody tr').first().locator('td').first();
  await until(async () => (await meanCell.textContent()) !== '17.6029');
  const newMean = await meanCell.textContent();
  assert.match(newMean, /^\d+\.\d{4}$/);
  assert.ok(Math.abs(Number(newMean) - expected) <= 1e-4, `x.mean() of sample 0: ${newMean}, expected ${expected.toFixed(4)}`);
  assert.deepEqual((await cells(panel.locator('table.rows-table'))).slice(1).map((r) => r[1]), ['20.5983', '19.7833', '20.4054']);
  assert.deepEqual((await cells(panel.locator('table.rows-table'))).map((r) => r[4]), ['1.1111', '1.1111', '1.1111', '1.1111']);

  // A value that is not a number: an alert in the panel, the last good tables stay.
  const before = { rows: await cells(panel.locator('table.rows-table')), stats: await cells(panel.locator('.stats-table')) };
  const cell01 = panel.getByRole('spinbutton', { name: 'x[0, 1]', exact: true });
  await cell01.click();
  await cell01.press('Control+a');
  await page.keyboard.type('1e+');
  await cell01.press('Tab');
  const alert = panel.getByRole('alert');
  await alert.waitFor({ state: 'visible' });
  assert.match(await alert.textContent(), /^x\[0, 1\]: not a number$/);
  assert.equal(await cell01.getAttribute('aria-invalid'), 'true');
  assert.deepEqual(await cells(panel.locator('table.rows-table')), before.rows, 'the per-sample table stays');
  assert.deepEqual(await cells(panel.locator('.stats-table')), before.stats, 'the statistics stay');

  // A nearly constant sample: ε decides its x̂, and ε inside or outside the root differ.
  const stat0 = async () => (await cells(panel.locator('.stats-table')))[0].map(Number); // [#?, over, μ, σ², rstd, rstd outside]
  const [, , , , rstd0, outside0] = await stat0();
  assert.equal(rstd0, outside0, 'for an ordinary sample 1/√(σ²+ε) and 1/(σ+ε) agree to 5 decimals');
  const xhat0 = () => panel.locator('table[data-kind="xhat"] tbody tr').first().locator('td').allTextContents();
  await panel.getByRole('button', { name: 'Make sample 0 nearly constant' }).click();
  await alert.waitFor({ state: 'hidden' });
  await until(async () => (await stat0())[3] < 1e-4);
  const flat = await stat0();
  assert.ok(flat[3] < 1e-4, `σ² of the flat sample: ${flat[3]}`);
  assert.ok(Math.abs(flat[2] - 3) < 1e-3, `μ of the flat sample: ${flat[2]}`);
  const xhatSmallEps = await xhat0();
  const eps = panel.getByLabel(/^ε/);
  assert.equal(Number(await eps.inputValue()), 0.00001);
  await eps.fill('0.01');
  await eps.press('Tab');
  await until(async () => JSON.stringify(await xhat0()) !== JSON.stringify(xhatSmallEps));
  const xhatBigEps = await xhat0();
  assert.notDeepEqual(xhatBigEps, xhatSmallEps, 'ε changes x̂ of the nearly constant sample');
  assert.ok(Math.max(...xhatBigEps.map((v) => Math.abs(Number(v)))) < Math.max(...xhatSmallEps.map((v) => Math.abs(Number(v)))) / 5,
    `a larger ε shrinks x̂: ${xhatSmallEps} → ${xhatBigEps}`);
  const [, , , varFlat, rstd, outside] = await stat0();
  assert.ok(Math.abs(rstd - 1 / Math.sqrt(varFlat + 0.01)) < 1e-3, `1/√(σ²+ε) = ${rstd}`);
  assert.ok(outside > 5 * rstd, `1/(σ+ε) = ${outside} differs visibly from 1/√(σ²+ε) = ${rstd}`);
  assert.match((await code()).split('\n')[1], /^layer = nn\.LayerNorm\(10, eps=0\.01\)$/);

  // (N, C, H, W) with InstanceNorm: one statistic per sample and channel, 2 × 4 = 8.
  const shape = panel.getByLabel('Shape', { exact: true });
  const shapes = await shape.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const image = shapes.find(([, text]) => text.startsWith('(N, C, H, W)'));
  assert.ok(image, `a (N, C, H, W) shape among ${JSON.stringify(shapes)}`);
  await shape.selectOption(image[0]);
  await norm.selectOption('instancenorm');
  await until(async () => (await statsRows.count()) === 8 && (await code()).includes('InstanceNorm2d'));
  assert.equal(await statsRows.count(), 8, 'at most 16 statistics rows are shown; here there are 8');
  assert.deepEqual((await cells(panel.locator('.stats-table'))).map((r) => r[1]),
    [0, 1].flatMap((n) => [0, 1, 2, 3].map((c) => `sample ${n}, channel ${c}`)));
  assert.equal((await code()).split('\n')[1], 'layer = nn.InstanceNorm2d(4, eps=0.01, affine=True)');
  assert.equal(await panel.locator('table.rows-table tbody tr').count(), 2);
  assert.ok(await alert.isHidden());
  assert.match(await diagram.getAttribute('aria-label'), /\(2, 4, 3, 3\) tensor .* 8 groups InstanceNorm/);
  assert.ok((await inked(panel.locator('canvas.sharing')))[0] > 100);

  // InstanceNorm on (N, C): nothing to average, an error as PyTorch's; the last tables stay.
  const vectors = shapes.find(([, text]) => text.startsWith('(N, C)'));
  await shape.selectOption(vectors[0]);
  await until(async () => (await statsRows.count()) === 4);
  const kept = await cells(panel.locator('table.rows-table'));
  await norm.selectOption('instancenorm');
  await alert.waitFor({ state: 'visible' });
  assert.match(await alert.textContent(), /^instancenorm: expected more than 1 spatial element/);
  assert.deepEqual(await cells(panel.locator('table.rows-table')), kept);
  assert.deepEqual(errors, []);
  await page.close();
});

test('BatchNorm step by step: the batch of the last step, formulas and values agree; Feature; axe', async () => {
  const { page, errors } = await openLessons(env);
  await tab(page, 'BatchNorm step by step').click();
  const panel = page.locator('#panel-bnstep');
  assert.match(await panel.textContent(), /No training batch yet/);
  assert.equal(await panel.locator('table.bn-values').count(), 0);
  assert.equal(await panel.getByLabel('Run', { exact: true }).locator('option:checked').textContent(), 'BatchNorm');

  const heading = (step) => panel.getByRole('heading', { name: `The batch of step ${step}: 64 values of this feature`, exact: true });
  const values = () => cells(panel.locator('table.bn-values')).then((rs) => rs.map((r) => r.map(Number)));
  const formulas = async () => {
    const src = await panel.locator('.bn-steps li annotation[encoding="application/x-tex"]').allTextContents();
    assert.equal(src.length, 5, 'five steps');
    const mu = new RegExp(String.raw`^\\mu = .* = (${NUM})$`).exec(src[0]);
    const sigma2 = new RegExp(String.raw`^\\sigma\^2 = .* = (${NUM})$`).exec(src[1]);
    const norm = new RegExp(String.raw`= \(x_i ([+-]) (${NUM})\) \\times (${NUM}) \\qquad \(\\varepsilon = (${NUM})\)$`).exec(src[2]);
    const affine = new RegExp(String.raw`= (${NUM})\\,\\hat x_i ([+-]) (${NUM})$`).exec(src[3]);
    assert.ok(mu && sigma2 && norm && affine, `formulas as expected: ${src.slice(0, 4).join(' | ')}`);
    return {
      mu: texNumber(mu[1]), var: texNumber(sigma2[1]), shift: (norm[1] === '-' ? 1 : -1) * texNumber(norm[2]), rstd: texNumber(norm[3]),
      eps: texNumber(norm[4]), gamma: texNumber(affine[1]), beta: (affine[2] === '-' ? -1 : 1) * texNumber(affine[3]), running: src[4],
    };
  };
  // x̂ = (x − μ)·rstd and y = γ x̂ + β, row by row, within what the 4-decimal rounding allows.
  const check = (f, rows) => {
    assert.ok(Math.abs(f.shift - f.mu) < 1e-9, `step 3 subtracts step 1's μ (${f.shift} vs ${f.mu})`);
    assert.ok(Math.abs(f.rstd - 1 / Math.sqrt(f.var + f.eps)) <= 5e-5 + f.rstd * 1e-3, `rstd ${f.rstd} = 1/√(${f.var} + ${f.eps})`);
    assert.ok(Math.abs(f.eps - 1e-5) < 1e-12, `ε = ${f.eps}`);
    for (const [i, x, xhat, y] of rows) {
      const tol1 = 1e-4 * f.rstd + 5e-5 * Math.abs(x - f.mu) + 5e-5 + 1e-6;
      assert.ok(Math.abs(xhat - (x - f.mu) * f.rstd) <= tol1, `row ${i}: x̂ ${xhat} vs (${x} − ${f.mu})·${f.rstd}`);
      const tol2 = Math.max(2e-4, 5e-5 * (Math.abs(xhat) + Math.abs(f.gamma) + 2) + 1e-6);
      assert.ok(Math.abs(y - (f.gamma * xhat + f.beta)) <= tol2, `row ${i}: y ${y} vs ${f.gamma}·${xhat} + ${f.beta}`);
    }
  };

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await heading(1).waitFor();
  assert.ok(await panel.locator('.katex').count() >= 5, 'the formulas are rendered by KaTeX');
  assert.equal(await panel.locator('table.bn-values tbody tr').count(), 32);
  assert.deepEqual(await panel.locator('table.bn-values thead th').allTextContents(), ['n', 'x', 'x̂', 'y, train mode', 'y, eval mode']);
  const step1 = await values();
  assert.deepEqual(step1.map((r) => r[0]), Array.from({ length: 32 }, (_, i) => i));
  const f1 = await formulas();
  check(f1, step1);
  // Before any update the running statistics are (0, 1); after it, running_mean = 0.1·μ.
  const running = new RegExp(String.raw`\\text\{running\\_mean\} &\\leftarrow \(1-0\.1\)\\cdot 0\.0000 \+ 0\.1\\cdot \(?(${NUM})\)? = (${NUM})`).exec(f1.running);
  assert.ok(running, `running mean update: ${f1.running}`);
  assert.ok(Math.abs(texNumber(running[2]) - 0.1 * f1.mu) <= 1e-4, `running_mean ${running[2]} = 0.1 · ${f1.mu}`);
  assert.ok(step1.some(([, , , y, yEval]) => Math.abs(y - yEval) > 1e-3), 'train and eval mode differ at step 1');
  assert.deepEqual(await axe(page), [], 'axe, BatchNorm step by step');

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await heading(2).waitFor();
  const step2 = await values();
  assert.notDeepEqual(step2.map((r) => r[1]), step1.map((r) => r[1]), 'a new batch');
  check(await formulas(), step2);

  const feature = panel.getByLabel('Feature', { exact: true });
  assert.equal(await feature.inputValue(), '0');
  await feature.fill('5');
  await feature.press('Tab');
  const xs = (rows) => JSON.stringify(rows.map((r) => r[1]));
  await until(async () => xs(await values()) !== xs(step2), 3000);
  const feature5 = await values();
  assert.equal(await heading(2).count(), 1, 'still the batch of step 2');
  check(await formulas(), feature5);
  assert.equal(await statusOf(page), 'epoch 0 · step 2');
  // The next step traces the chosen feature in any case.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await heading(3).waitFor();
  check(await formulas(), await values());
  assert.deepEqual(errors, []);
  assert.notDeepEqual(feature5.map((r) => r[1]), step2.map((r) => r[1]), 'Feature 5 shows other values than feature 0 (same step)');
  await page.close();
});

test('BatchNorm vs LayerNorm: the batch-size sweep fills its table and charts; batch 1 is BatchNorm\'s error', async () => {
  const { page, errors } = await openLessons(env);
  await tab(page, 'BatchNorm vs LayerNorm').click();
  const panel = page.locator('#panel-compare');
  const charts = panel.locator('.sweep-charts canvas');
  assert.equal(await charts.count(), 2);
  await until(async () => (await inked(charts)).every((n) => n > 0));
  const empty = await images(charts); // axes only
  const hiddenBeforeSweep = await panel.locator('table.sweep-results').isHidden(); // asserted at the end
  await panel.getByRole('button', { name: 'Run the sweep' }).click();
  await page.waitForSelector('.sweep[data-done]', { timeout: 30000 });
  const rows = await cells(panel.locator('table.sweep-results')); // [batch, BatchNorm loss, gap, LayerNorm loss, gap]
  assert.equal(rows.length, 9);
  assert.deepEqual(rows.map((r) => r[0]), ['1', '2', '4', '8', '16', '32', '64', '128', '256']);
  assert.match(rows[0][1], /expected more than 1 value per channel when training/, 'batch 1: BatchNorm cannot train');
  assert.match(rows[0][2], /^\d+\.\d{4}$/, 'LayerNorm trains at batch size 1');
  assert.match(rows[0][3], /^-?\d+\.\d %$/);
  for (const row of rows.slice(1)) {
    assert.equal(row.length, 5, JSON.stringify(row));
    assert.match(row[1], /^\d+\.\d{4}$/);
    assert.match(row[2], /^-?\d+\.\d %$/);
    assert.match(row[3], /^\d+\.\d{4}$/);
    assert.match(row[4], /^-?\d+\.\d %$/);
  }
  assert.deepEqual(await charts.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label'))),
    ['Final training loss against batch size, BatchNorm and LayerNorm', 'Train-mode minus eval-mode accuracy against batch size, BatchNorm and LayerNorm']);
  for (const n of await inked(charts)) assert.ok(n > 500, `chart drawn (${n} pixels)`);
  const drawn = await images(charts);
  assert.ok(drawn.every((d, i) => d !== empty[i]), 'the charts show the results');
  assert.deepEqual(errors, []);
  assert.ok(hiddenBeforeSweep, 'the empty results table (headers only) is hidden before the sweep');
  await page.close();
});

test('Layer statistics and Gradient flow: charts after two epochs; the deep sigmoid net loads', async () => {
  const { page, errors } = await openLessons(env);
  const stats = page.locator('#panel-layerstats canvas');
  const grads = page.locator('#panel-gradflow canvas');
  // The empty charts (axes only), once laid out.
  await tab(page, 'Gradient flow').click();
  await until(async () => (await inked(grads)).every((n) => n > 0));
  const gradsEmpty = await images(grads);
  await tab(page, 'Layer statistics').click();
  await until(async () => (await inked(stats)).every((n) => n > 0));
  const statsEmpty = await images(stats);
  assert.equal(await stats.count(), 1);
  assert.equal(await grads.count(), 2);

  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await waitStatus(page, 'epoch 1 · step 25');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await waitStatus(page, 'epoch 2 · step 50');
  await until(async () => (await images(stats))[0] !== statsEmpty[0]);
  assert.notEqual((await images(stats))[0], statsEmpty[0], 'the layer statistics chart has data');
  assert.ok((await inked(stats))[0] > 500);
  assert.equal(await stats.getAttribute('aria-label'), 'activation mean of every layer of No norm, over training steps');
  assert.equal(await stats.getAttribute('role'), 'img');

  await tab(page, 'Gradient flow').click();
  await until(async () => (await images(grads)).every((d, i) => d !== gradsEmpty[i]));
  assert.ok((await images(grads)).every((d, i) => d !== gradsEmpty[i]), 'both gradient charts have data');
  for (const n of await inked(grads)) assert.ok(n > 500, `gradient chart drawn (${n} pixels)`);
  assert.deepEqual(await grads.evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label'))), [
    'Gradient norm of each linear layer’s weight at the latest step, one line per run, log scale',
    'Gradient norm of the first linear layer’s weight over training steps, one line per run, log scale',
  ]);
  const ratios = await page.locator('#panel-gradflow ul.ratios li').allTextContents();
  assert.equal(ratios.length, 2);
  assert.match(ratios[0], /^No norm: first layer \/ last layer = \d\.\d\de[+-]\d+$/);

  // The button in each panel loads the deep sigmoid preset (4 runs).
  const preset = page.getByRole('combobox', { name: 'Preset' });
  const boundaries = page.locator('canvas[aria-label*="decision boundary"]');
  await page.locator('#panel-gradflow').getByRole('button', { name: 'Load the deep sigmoid net' }).click();
  assert.equal(await preset.inputValue(), 'deep-sigmoid');
  await until(async () => (await boundaries.count()) === 4);
  assert.equal(await boundaries.count(), 4);
  await waitStatus(page, 'epoch 0 · step 0');
  await page.waitForFunction(() => location.hash.includes('preset=deep-sigmoid'));

  await preset.selectOption('lesson');
  await until(async () => (await boundaries.count()) === 2);
  await tab(page, 'Layer statistics').click();
  await page.locator('#panel-layerstats').getByRole('button', { name: 'Load the deep sigmoid net' }).click();
  assert.equal(await preset.inputValue(), 'deep-sigmoid');
  await until(async () => (await boundaries.count()) === 4);
  assert.equal(await boundaries.count(), 4);
  assert.equal(await page.locator('#panel-layerstats').getByLabel('Run', { exact: true }).locator('option').count(), 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Dropout and Residual blocks: their presets load; the run table fills after an epoch; pre/post-norm', async () => {
  const { page, errors } = await openLessons(env);
  const preset = page.getByRole('combobox', { name: 'Preset' });
  await tab(page, 'Dropout').click();
  const dropout = page.locator('#panel-dropout');
  assert.equal(await dropout.locator('.katex').count(), 1, 'the dropout formula');
  await dropout.getByRole('button', { name: 'Load the dropout comparison' }).click();
  assert.equal(await preset.inputValue(), 'dropout');
  await page.waitForFunction(() => location.hash.includes('preset=dropout') && document.querySelectorAll('article.run').length === 4);
  const hiddenBeforeTraining = await dropout.locator('table.run-table').isHidden(); // asserted at the end
  assert.match(await dropout.locator('p.why').first().textContent(), /^Load the comparison and press Play/);
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 · step \d+$/.test(document.getElementById('status').textContent));
  await dropout.locator('table.run-table').waitFor({ state: 'visible' });
  const table = dropout.locator('table.run-table');
  assert.equal(await table.locator('tbody tr').count(), 4);
  assert.deepEqual(await table.locator('tbody th').allTextContents(), ['No norm', 'Dropout 0.3', 'BatchNorm', 'BN + dropout']);
  for (const [, train, testLoss, gap] of await cells(table)) {
    for (const v of [train, testLoss, gap]) assert.match(v, /^-?\d+\.\d{4}$/);
    assert.ok(Number(train) > 0 && Number(testLoss) > 0);
    assert.ok(Math.abs(Number(testLoss) - Number(train) - Number(gap)) <= 1.5e-4, `gap = test − train: ${train} ${testLoss} ${gap}`);
  }

  await tab(page, 'Residual blocks').click();
  const residual = page.locator('#panel-residual');
  await residual.getByRole('button', { name: 'Load pre-norm vs post-norm (Adam 0.05)' }).click();
  assert.equal(await preset.inputValue(), 'residual');
  await page.waitForFunction(() => location.hash.includes('preset=residual&') && document.querySelectorAll('article.run').length === 3);
  assert.equal(await page.getByLabel('Architecture', { exact: true }).inputValue(), 'residual');
  const placements = page.locator('article.run').getByRole('combobox', { name: 'Placement' });
  const shown = await placements.evaluateAll((ss) => ss.filter((s) => s.checkVisibility()).map((s) => s.selectedOptions[0].textContent));
  assert.equal(shown.length, 2, 'the two LayerNorm runs have a placement');
  assert.match(shown[0], /^pre-norm/);
  assert.match(shown[1], /^post-norm/);
  await waitStatus(page, 'epoch 0 · step 0');
  assert.match(await residual.locator('p.why').first().textContent(), /^Load the comparison and press Play/, 'the table starts over');
  assert.equal(await residual.locator('table.run-table tbody tr').count(), 0);
  assert.deepEqual(errors, []);
  assert.ok(hiddenBeforeTraining, 'the empty run table (headers only) is hidden before training');
  assert.ok(await residual.locator('table.run-table').isHidden(), 'the residual run table is hidden again with the new runs');
  await page.close();
});

test('every preset: its caption shows and every decision boundary is drawn', async () => {
  const { page, errors } = await openLessons(env);
  const preset = page.getByRole('combobox', { name: 'Preset' });
  const ids = (await preset.locator('option').evaluateAll((os) => os.map((o) => o.value))).filter((v) => v !== '');
  assert.ok(ids.length >= 11, `presets: ${ids}`);
  const caption = page.locator('#preset-caption');
  const canvases = page.locator('#runs canvas:visible');
  for (const id of ids) {
    await preset.selectOption(id);
    await page.waitForFunction((p) => new URLSearchParams(location.hash.slice(1)).get('preset') === p, id);
    const runs = await page.evaluate(() => new URLSearchParams(location.hash.slice(1)).getAll('run').length);
    await waitStatus(page, 'epoch 0 · step 0');
    assert.ok(await caption.isVisible(), `${id}: caption shown`);
    assert.ok((await caption.textContent()).trim().length > 40, `${id}: caption text`);
    await until(async () => (await canvases.count()) === runs && (await inked(canvases)).every((n) => n > 1000));
    assert.equal(await canvases.count(), runs, `${id}: one boundary per run`);
    for (const [k, n] of (await inked(canvases)).entries()) assert.ok(n > 1000, `${id}: canvas ${k} drawn (${n} pixels)`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('Japanese: the lessons follow the language, which is remembered; English returns', async () => {
  const { page, errors } = await openLessons(env);
  const tabNames = (p) => p.getByRole('tab').allTextContents();
  try {
    await page.getByRole('button', { name: '日本語' }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    const check = async (p) => {
      const names = await tabNames(p);
      assert.equal(names.length, SECTIONS.length);
      for (const [k, name] of names.entries()) {
        assert.notEqual(name, SECTIONS[k][1]);
        assert.match(name, JAPANESE, name);
      }
      assert.equal(await p.locator('#panel-inspector h3').textContent(), names[0]);
      assert.equal(await p.getByRole('tablist').getAttribute('aria-label'), '講義');
      const rows = p.locator('#panel-inspector table.rows-table tbody tr');
      await rows.nth(3).waitFor();
      assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.cells[4].textContent)), ['1.1111', '1.1111', '1.1111', '1.1111']);
    };
    await check(page);
    assert.equal(await page.evaluate(() => localStorage.getItem('normlab.lang')), 'ja');
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    await page.locator('#tab-inspector').waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja', 'after a reload');
    await check(page);
    // A fresh visit without a link: the remembered language (openLab waits for the English status).
    const fresh = await env.context.newPage();
    const errors2 = [];
    fresh.on('console', (m) => { if (m.type() === 'error') errors2.push(m.text()); });
    fresh.on('pageerror', (e) => errors2.push(String(e)));
    await fresh.goto(env.url);
    await fresh.waitForSelector('body[data-state="ready"]');
    await fresh.locator('#tab-inspector').waitFor();
    assert.equal(await fresh.locator('html').getAttribute('lang'), 'ja', 'remembered without a link');
    await check(fresh);
    assert.deepEqual(errors2, []);
    await fresh.close();

    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.deepEqual(await tabNames(page), SECTIONS.map(([, name]) => name));
    assert.deepEqual(errors, []);
  } finally {
    await page.evaluate(() => localStorage.removeItem('normlab.lang'));
    await page.close();
  }
});
