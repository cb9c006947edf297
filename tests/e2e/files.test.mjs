// Model + weights as a JSON file (export, import; a bad file names its problem and changes nothing), and the
// loss history as CSV.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, openLab, runMenu, shareButton } from './harness.mjs';

const env = await launch();
test.after(() => env.close());
const dir = await mkdtemp(join(tmpdir(), 'normlab-files-'));

async function save(page, buttonName, file) {
  const [download] = await Promise.all([page.waitForEvent('download'), (await shareButton(page, buttonName)).click()]);
  const path = join(dir, file);
  await download.saveAs(path);
  return readFile(path, 'utf8');
}

test('export a trained model, import it into a fresh page: same settings, same weights', async () => {
  const { page } = await openLab(env, '#v=1&width=16&run=LN~layernorm~before~8&run=BN~batchnorm~after~8');
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  const exported = await save(page, 'Export model', 'model.json');
  const file = JSON.parse(exported);
  assert.equal(file.format, 'normlab-model');
  assert.equal(file.steps, 25);
  assert.deepEqual(file.runs.map((r) => r.name), ['LN', 'BN']);
  assert.equal(file.runs[1].state['2.running_var'].length, 16); // BN after the activation: layer 2

  const { page: fresh, errors } = await openLab(env);
  await fresh.getByLabel('Import model').setInputFiles(join(dir, 'model.json'));
  await fresh.locator('canvas[aria-label*="decision boundary of BN"]').waitFor();
  assert.equal(await fresh.getByLabel('Width').inputValue(), '16');
  const again = JSON.parse(await save(fresh, 'Export model', 'again.json'));
  assert.deepEqual(again.runs, file.runs, 'the imported weights are the exported ones');
  assert.deepEqual(errors, []);
  await page.close();
  await fresh.close();
});

test('a bad model file names its problem and leaves the lab as it was', async () => {
  const { page, errors } = await openLab(env);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.getElementById('status').textContent === 'epoch 0 · step 1');
  const good = JSON.parse(await save(page, 'Export model', 'good.json'));
  const cases = [
    ['not-json.json', '{"format": "normlab-model", ', /^model file: not JSON/],
    ['other.json', JSON.stringify({ hello: 1 }), /^model file: format: not a normlab model file/],
    ['newer.json', JSON.stringify({ ...good, version: 9 }), /^model file: version: 9 is newer than this normlab reads \(1\)$/],
    ['version-text.json', JSON.stringify({ ...good, version: '1' }), /^model file: version: must be the number 1, got "1"$/],
    ['version-zero.json', JSON.stringify({ ...good, version: 0 }), /^model file: version: must be the number 1, got 0$/],
    ['bad-config.json', JSON.stringify({ ...good, config: { ...good.config, model: { ...good.config.model, width: 9999 } } }), /config: width: "9999" is not an integer in \[2, 256\]/],
    ['short.json', JSON.stringify({ ...good, runs: good.runs.map((r, i) => (i ? { ...r, state: { ...r.state, '0.weight': [1, 2] } } : r)) }), /0\.weight: expected 128 values, got 2/],
    ['missing.json', JSON.stringify({ ...good, runs: good.runs.map((r) => ({ ...r, state: Object.fromEntries(Object.entries(r.state).filter(([k]) => k !== '0.bias')) })) }), /run 1 \(No norm\): 0\.bias is missing from the file/],
  ];
  for (const [name, text, message] of cases) {
    await writeFile(join(dir, name), text);
    await page.getByLabel('Import model').setInputFiles(join(dir, name));
    await page.locator('#notice').waitFor({ state: 'visible' });
    await page.waitForFunction((m) => new RegExp(m).test(document.getElementById('notice-text').textContent), message.source);
    assert.equal(await page.getByRole('status').textContent(), 'epoch 0 · step 1', `${name}: the lab is untouched`);
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the loss history downloads as CSV, one row per epoch', async () => {
  const { page } = await openLab(env);
  for (let e = 1; e <= 2; e++) {
    await page.getByRole('button', { name: 'Epoch', exact: true }).click();
    await page.waitForFunction((n) => document.getElementById('status').textContent.startsWith(`epoch ${n} ·`), e);
  }
  const csv = (await save(page, 'Export losses (CSV)', 'losses.csv')).trim().split('\n');
  assert.equal(csv.length, 3);
  assert.equal(csv[0], '"epoch","step","No norm train loss","No norm test loss","No norm train accuracy","No norm test accuracy","BatchNorm train loss","BatchNorm test loss","BatchNorm train accuracy","BatchNorm test accuracy"');
  assert.match(csv[2], /^2,50(,0\.\d+){8}$/);
  await page.close();
});

test('the boundaries and the charts save as PNG images', async () => {
  const { page } = await openLab(env);
  await page.getByRole('button', { name: 'Epoch', exact: true }).click();
  await page.waitForFunction(() => /^epoch 1 ·/.test(document.getElementById('status').textContent));
  for (const [button, file] of [['Save PNG: BatchNorm', 'normlab_boundary_BatchNorm.png'], ['Save PNG: Loss', 'normlab_loss.png'], ['Save PNG: Accuracy', 'normlab_accuracy.png']]) {
    if (button === 'Save PNG: BatchNorm') await runMenu(page, 'BatchNorm');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    assert.equal(download.suggestedFilename(), file);
    const path = join(dir, file);
    await download.saveAs(path);
    const bytes = await readFile(path);
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${file} is a PNG`);
    assert.ok(bytes.length > 2000, `${file} has content`);
  }
  await page.close();
});
