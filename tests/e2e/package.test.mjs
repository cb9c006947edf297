// The npm package, as someone who installs it gets it: `npm pack` gives a tarball that installs offline in a fresh
// project (the package has no dependencies), and both entries work from there — `normlab` trains in node,
// `normlab/element` (<norm-lab>) trains in Chromium served straight from node_modules, and tsc typechecks a consumer
// of both under the `bundler` and `node16` resolutions.
// After npm run build (scripts/test.sh builds dist/ before the e2e tests): the test makes element/ from dist/
// (scripts/build-package.mjs, what prepack runs after the build) and packs with --ignore-scripts, because prepack's
// own build would empty dist/ while the other e2e tests serve it.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildPackage } from '../../scripts/build-package.mjs';
import { launch } from './harness.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = realpathSync(await mkdtemp(join(tmpdir(), 'normlab-package-'))); // as import.meta.resolve gives it
const project = join(work, 'project');
const installed = join(project, 'node_modules', 'normlab');
test.after(() => rm(work, { recursive: true, force: true }));

// npm without the npm_* variables of the `npm test` that may run this test (npm reads npm_config_* as settings).
function npm(args, cwd) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return execFileSync('npm', [...args, '--loglevel=error'], { cwd, env, encoding: 'utf8' });
}

const elementFiles = buildPackage().map((f) => `element/${f}`);
const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
await mkdir(project);
await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, type: 'module' }));
npm(['install', join(work, packed.filename), '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache')], project);

test('the tarball holds the engine, the element with its chunks, workers and wasm module, and their types — nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['README.md', 'build-wasm/normlab.mjs', 'build-wasm/normlab.wasm', 'lib/element.d.ts', 'lib/index.d.ts',
    'lib/index.mjs', 'package.json', 'web/engine/normlab.d.ts', ...elementFiles].sort());
  assert.ok(elementFiles.some((f) => /^element\/assets\/worker-[^/]+\.js$/.test(f)) && elementFiles.some((f) => /\.wasm$/.test(f)));
  assert.ok(packed.size < 1_000_000, `${packed.size} bytes packed: no fonts, no page`);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.private, undefined);
  assert.deepEqual(Object.keys(manifest.exports), ['.', './element']);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) assert.equal(manifest[field], undefined, field);
  assert.deepEqual(readdirSync(join(project, 'node_modules')).filter((f) => !f.startsWith('.')), ['normlab'], 'installed alone');
});

test('in node, `normlab` from the installed package trains, and `normlab/element` resolves into it', async () => {
  await writeFile(join(project, 'engine.mjs'), `import { createLab } from 'normlab';
const lab = await createLab({
  data: { type: 'moons', points: 400, noise: 0.1, seed: 3, test_fraction: 0.25 },
  runs: [{ name: 'BN', model: { input: 2, layers: [{ type: 'linear', out: 16 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'linear', out: 2 }] } }],
  batchSize: 32, seed: 1,
});
const losses = Array.from({ length: 60 }, () => lab.trainStep()[0]);
console.log(JSON.stringify({ losses, step: lab.step, engine: import.meta.resolve('normlab'), element: import.meta.resolve('normlab/element') }));
lab.delete();
`);
  const out = JSON.parse(execFileSync(process.execPath, ['engine.mjs'], { cwd: project, encoding: 'utf8' }));
  assert.equal(out.step, 60);
  assert.ok(out.losses.every(Number.isFinite), String(out.losses));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(out.losses.slice(-10)) < mean(out.losses.slice(0, 10)) * 0.8, `${out.losses.slice(0, 10)} … ${out.losses.slice(-10)}`);
  assert.equal(out.engine, pathToFileURL(join(installed, 'lib/index.mjs')).href);
  assert.equal(out.element, pathToFileURL(join(installed, 'element/normlab-element.js')).href);
  assert.ok(existsSync(fileURLToPath(out.element)));
});

test('in Chromium, <norm-lab> from the installed package trains, its lessons too, loading only files of the package', async () => {
  await writeFile(join(project, 'index.html'), `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>normlab, installed</title>
<script type="module" src="node_modules/normlab/element/normlab-element.js"></script>
<norm-lab preset="deep-sigmoid" show="toolbar,boundary,loss,lessons"></norm-lab></html>`);
  const env = await launch({ root: project });
  try {
    const page = await env.context.newPage();
    const errors = [];
    const fetched = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.url()}: ${r.status()}`);
      fetched.push({ path: r.url().slice(env.url.length), type: r.headers()['content-type'] });
    });
    await page.goto(`${env.url}index.html`);
    await page.waitForFunction(() => document.querySelector('norm-lab').dataset.state === 'ready');
    const first = await page.evaluate(() => new Promise((resolve) => {
      const lab = document.querySelector('norm-lab');
      lab.addEventListener('normlab-state', (e) => { if (e.detail.step > 0) resolve(e.detail); });
      lab.step();
    }));
    assert.equal(first.step, 1);
    assert.equal(first.loss.length, 4, 'deep-sigmoid: four runs');
    assert.ok(first.loss.every(Number.isFinite), String(first.loss));
    const lab = page.locator('norm-lab');
    await lab.getByRole('button', { name: 'Step', exact: true }).click();
    await lab.getByRole('status').filter({ hasText: 'epoch 0 · step 2' }).waitFor();
    await lab.locator('#panel-inspector .rows-table tbody tr').nth(3).waitFor(); // the lessons' worker computes
    const packageFiles = fetched.map((f) => f.path).filter((p) => p.startsWith('node_modules/'));
    assert.deepEqual(fetched.map((f) => f.path).filter((p) => p !== 'index.html' && !p.startsWith('node_modules/normlab/element/')), []);
    for (const pattern of [/\/assets\/worker-[^/]+\.js$/, /\/assets\/lessons-worker-[^/]+\.js$/, /\/assets\/lessons-[^/]+\.js$/]) {
      assert.ok(packageFiles.some((p) => pattern.test(p)), String(pattern));
    }
    assert.ok(fetched.some((f) => f.path.endsWith('.wasm') && f.type === 'application/wasm'), 'the wasm module');
    assert.deepEqual(errors, []);
  } finally {
    await env.close();
  }
});

test('tsc typechecks a consumer of both entries against the installed types (bundler and node16 resolution)', async () => {
  await writeFile(join(project, 'consumer.ts'), `import { createLab, loadNormlab, type Lab, type NormlabModule } from 'normlab';
import type { NormLabElement, NormLabState } from 'normlab/element';
import 'normlab/element';

const lab: Lab = await createLab({ runs: [{ model: { input: 2, layers: [{ type: 'linear', out: 2 }] } }] });
const losses: number[] = lab.trainStep();
const engine: NormlabModule = await loadNormlab();
// @ts-expect-error: a layer type the engine does not have
await createLab({ runs: [{ model: { input: 2, layers: [{ type: 'conv2d' }] } }] });

const found: NormLabElement | null = document.querySelector('norm-lab');
const made: NormLabElement = document.createElement('norm-lab');
made.setAttribute('preset', 'deep-sigmoid');
made.addEventListener('normlab-state', (e) => {
  const state: NormLabState = e.detail;
  console.log(state.step + state.epoch, state.loss.map((l) => l ?? Number.NaN), losses, engine, found);
});
made.play();
made.pause();
made.step();
made.reset();
made.load('data=spiral&width=32');
made.load({ data: 'spiral' }, { mode: 'merge' });
// @ts-expect-error: a load mode is 'replace' or 'merge'
made.load('data=spiral', { mode: 'append' });
// @ts-expect-error: the script defines <norm-lab> and exports no class
customElements.define('other-lab', NormLabElement);
`);
  const options = { target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true, skipLibCheck: false, types: [] };
  for (const [module, moduleResolution] of [['ESNext', 'bundler'], ['node16', 'node16']]) {
    const config = join(project, `tsconfig.${moduleResolution}.json`);
    await writeFile(config, JSON.stringify({ compilerOptions: { ...options, module, moduleResolution }, files: ['consumer.ts'] }));
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', config], { cwd: project, encoding: 'utf8' });
    } catch (e) {
      assert.fail(`tsc (${moduleResolution}):\n${e.stdout}${e.stderr}`);
    }
  }
});
