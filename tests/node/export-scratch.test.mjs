// Export PyTorch --from-scratch gives the page's curves: every preset (and one lab beyond them) is trained
// through the wasm engine as the page's worker trains it, the script is exported from that lab as the worker
// exports it (web/export/payload.ts), and `python3 normlab_lab.py --from-scratch --epochs N --json` must
// print the same numbers: every step's training loss and, after every epoch, what the page keeps
// (web/engine/epochpoint.ts: mean train loss, eval-mode test loss, train and test accuracy), with the same
// runs stopping at the same step.
//
// Tolerance: the golden traces' (tests/node/golden.test.mjs): a loss within 1e-4 relative, an accuracy within
// one point (a point whose two logits tie within rounding). A number is held to it while float32 rounding
// cannot move it that far. The script's --float64 run says how far rounding moves it: a number that float32
// and float64 PyTorch already put more than 5 % of the tolerance apart (make_golden.py's MAX_CONDITIONING),
// or that follows such a step, is decided by rounding — a chaotic run, a BatchNorm bias under Adam — and no
// float32 program can be held to it; it must then only agree in kind (a number on both sides, or a stopped
// run on both). Every run is held to the tolerance at least on its first step (its initial weights, its
// batch, its dropout mask).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadNormlab } from './normlab.mjs';

const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
execFileSync('npx', ['tsc', '-p', new URL('../unit/tsconfig.json', import.meta.url).pathname]); // web/*.ts → build-unit/
const { defaultConfig, setUpLab } = await import('../../build-unit/state/config.js');
const { PRESETS } = await import('../../build-unit/state/presets.js');
const { pytorchScript } = await import('../../build-unit/export/pytorch.js');
const { exportPayload } = await import('../../build-unit/export/payload.js');
const { epochPoint } = await import('../../build-unit/engine/epochpoint.js');
const M = await loadNormlab();
const execute = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'normlab-scratch-'));
// One thread per PyTorch process: two run at once on two cores, and the sums come out the same every time.
const env = { ...process.env, OMP_NUM_THREADS: '1' };

const TOLERANCE = 1e-4;  // relative, on a loss (tests/node/golden.test.mjs)
const CONDITIONED = 0.05; // float32 vs float64 within this share of the tolerance: rounding does not decide it

// Runs exported scripts in one Python process, torch imported once rather than once a script: each job is a
// command line, run as `python3 <script> <args…>` runs it (runpy, as __main__); returns what each printed.
const DRIVER = `
import contextlib, io, json, runpy, sys
outputs = []
for argv in json.load(open(sys.argv[1])):
    sys.argv = argv
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            runpy.run_path(argv[0], run_name="__main__")
        except SystemExit as exit:
            if exit.code not in (None, 0):
                raise
    outputs.append(out.getvalue())
print(json.dumps(outputs))
`;
async function runScripts(jobs, name) {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(jobs));
  const { stdout } = await execute(PYTHON, ['-c', DRIVER, file], { env, maxBuffer: 1 << 28 });
  return JSON.parse(stdout);
}

// The engine as the page's worker drives it: step by step, the epoch point after each epoch, and when each
// run stopped; `scalings` ({step, run, layer, alpha}): Scale weights between two steps, as the worker does it.
function trainEngine(config, epochs, scalings = []) {
  const lab = setUpLab(new M.Lab(), config);
  const losses = config.runs.map(() => []), stops = config.runs.map(() => null), points = [];
  for (let e = 0; e < epochs; e++) {
    do {
      for (const s of scalings) if (s.step === lab.stepCount()) lab.scaleWeights(s.run, s.layer, s.alpha);
      lab.step(1);
      config.runs.forEach((_, r) => {
        const s = lab.runState(r);
        if (!s.stopped) losses[r].push(s.loss);
        else if (!stops[r]) stops[r] = { step: lab.stepCount(), diverged: s.diverged, why: s.error };
      });
    } while (!lab.epochEnded());
    points.push(epochPoint(lab));
  }
  const payload = exportPayload(lab, config, false, scalings);
  const rows = { train: lab.trainData().rows, test: lab.testData().rows };
  lab.delete();
  return { losses, stops, points, payload, rows };
}

// The script writes a number that is not finite (a stopped run, no test set, an overflow) as null.
const num = (v) => (Number.isFinite(v) ? v : NaN);

// Compares one lab. Returns how many numbers were held to the tolerance and how many rounding decides, the
// worst difference of a step's loss held to it, of an epoch's train loss and of its test loss, and the epoch
// losses rounding decides, each with its difference and float64's.
function compare(name, config, engine, f32, f64) {
  const stats = { held: 0, loose: 0, worst: 0, worstTrain: null, worstTest: null, rounding: [] };
  // Holds `got` (the page's) to `want` (float32 PyTorch's) within `ruler` × `scale` when float64 PyTorch
  // (`want64`) is within 5 % of that and nothing before it was decided by rounding (`conditioned`); returns
  // whether it did. Either way a number must face a number, and a missing one a missing one. `epoch`: the
  // stats entry an epoch loss goes to.
  const hold = (what, got, want, want64, conditioned, { ruler = TOLERANCE, scale = Math.abs(num(want)), epoch = '' } = {}) => {
    [got, want, want64] = [num(got), num(want), num(want64)];
    const missing = Number.isNaN(got) + Number.isNaN(want);
    assert.notEqual(missing, 1, `${what}: the page has ${got}, PyTorch ${want}`);
    if (missing === 2) return conditioned;
    const diff = Math.abs(got - want) / scale, spread = Math.abs(want - want64) / scale;
    if (!conditioned || !(spread <= CONDITIONED * ruler)) {
      stats.loose++;
      if (epoch) stats.rounding.push({ what, diff, spread });
      return false;
    }
    assert.ok(diff <= ruler, `${what}: the page has ${got}, PyTorch ${want} (float64: ${want64})`);
    stats.held++;
    if (!epoch && ruler === TOLERANCE) stats.worst = Math.max(stats.worst, diff);
    if (epoch && !(stats[epoch]?.diff >= diff)) stats[epoch] = { what, diff };
    return true;
  };
  assert.equal(f32.runs.length, config.runs.length, `${name}: one model per run`);
  assert.equal(f32.dtype, 'torch.float32');
  assert.equal(f64.dtype, 'torch.float64');
  config.runs.forEach((runConfig, r) => {
    const label = `${name} / ${runConfig.name}`;
    const stop = engine.stops[r], stop32 = f32.stopped[f32.runs[r]];
    const [page, steps, steps64] = [engine.losses[r], f32.losses[r], f64.losses[r]];
    // Every step's loss, until rounding decides the run's course (the step `loose`). A step's loss is compared
    // relative to the run's mean loss when it is smaller: a batch of one well-classified point has a loss
    // near 0, and the float32 rounding of its logits is absolute.
    const mean = steps.reduce((a, v) => a + Math.abs(v), 0) / Math.max(1, steps.length);
    let loose = Infinity;
    for (let s = 0; s < Math.min(page.length, steps.length); s++) {
      const scale = Math.max(Math.abs(steps[s]), mean);
      if (!hold(`${label} step ${s + 1} loss`, page[s], steps[s], steps64[s], loose > s, { scale }) && loose > s) loose = s;
    }
    assert.ok(loose > 0 || !steps.length, `${label}: its first step must be held to the tolerance (float64 moves it)`);
    if (loose === Infinity) assert.equal(page.length, steps.length, `${label}: the page trained it ${page.length} steps, PyTorch ${steps.length}`);
    // Stopping: the same outcome; while rounding has not decided the run, at the same step for the same reason.
    assert.equal(!!stop, !!stop32, `${label}: the page ${stop ? `stopped it at step ${stop.step} (${stop.why})` : 'did not stop it'}, PyTorch ${stop32 ? `at step ${stop32.step} (${stop32.why})` : 'did not'}`);
    if (stop && loose === Infinity) {
      assert.equal(stop32.step, stop.step, `${label}: stopped at step ${stop.step} on the page, ${stop32.step} in PyTorch`);
      assert.equal(stop32.diverged, stop.diverged, `${label}: diverged on the page ${stop.diverged}, in PyTorch ${stop32.diverged}`);
    }
    // The epoch points. The training loss follows the steps; the eval-mode numbers also hang on what the
    // training loss does not see (a BatchNorm's running mean), so the test loss's own float64 spread counts.
    engine.points.forEach((point, e) => {
      const [p32, p64] = [f32.epochs[e], f64.epochs[e]];
      const at = `${label} epoch ${e + 1}`;
      assert.equal(p32.epoch, point.epoch, `${at}: epoch`);
      assert.equal(p32.step, point.step, `${at}: the epoch ends at step ${point.step} on the page, ${p32.step} in PyTorch`);
      const steady = loose >= point.step;
      hold(`${at} mean train loss`, point.trainLoss[r], p32.train_loss[r], p64.train_loss[r], steady, { epoch: 'worstTrain' });
      const evalSteady = hold(`${at} test loss`, point.testLoss[r], p32.test_loss[r], p64.test_loss[r], steady, { epoch: 'worstTest' });
      hold(`${at} train accuracy`, point.trainAccuracy[r], p32.train_accuracy[r], p64.train_accuracy[r], evalSteady, { ruler: 1 / engine.rows.train + 1e-12, scale: 1 });
      hold(`${at} test accuracy`, point.testAccuracy[r], p32.test_accuracy[r], p64.test_accuracy[r], evalSteady, { ruler: 1 / Math.max(1, engine.rows.test) + 1e-12, scale: 1 });
    });
  });
  return stats;
}

// Beyond the presets: generated data embedded in the script (spiral), two runs with the same name, dropout in
// two runs, GroupNorm and RMSNorm, SGD with momentum, no test set, and batches drawn over three epochs.
function extraLab() {
  const c = defaultConfig();
  c.data = { ...c.data, type: 'spiral', points: 300, noise: 0.1, testFraction: 0, seed: 3 };
  c.model = { ...c.model, hiddenLayers: 2, width: 16, activation: 'tanh' };
  c.runs = [
    { name: 'Twin', norm: 'groupnorm', placement: 'before', groups: 4, dropout: 0.2 },
    { name: 'Twin', norm: 'rmsnorm', placement: 'after', groups: 8, dropout: 0.1 },
    { name: 'Plain', norm: 'none', placement: 'before', groups: 8, dropout: 0 },
  ];
  c.training = { ...c.training, optimizer: 'sgd+momentum', lr: 0.05, batchSize: 32, seed: 5 };
  return c;
}

// Batch composition (the Batches setting): class-balanced batches with dropout in both runs, and batches drawn
// with replacement, each over three epochs (the sampler's draws at every epoch's start, between dropout's masks).
function samplerLab(sampler) {
  const c = defaultConfig();
  c.data = { ...c.data, points: 400, testFraction: 0.25, seed: 7 };
  c.model = { ...c.model, width: 16 };
  c.runs = [
    { name: 'BatchNorm', norm: 'batchnorm', placement: 'before', groups: 8, dropout: 0.1 },
    { name: 'LayerNorm', norm: 'layernorm', placement: 'before', groups: 8, dropout: 0.2 },
  ];
  c.training = { ...c.training, optimizer: 'sgd+momentum', lr: 0.05, batchSize: 32, seed: 2, sampler };
  return c;
}

// Every preset over its first epoch (the longest, batch size 1, is 1,600 steps); the extra lab over three, so
// that the DataLoader's draws at the start of later epochs are checked too. The engine trains each, the script
// is exported from it, and all scripts run at once: float32 in one Python process, float64 in another.
const labs = [...PRESETS.map((p) => ({ name: `preset "${p.id}"`, config: p.config, epochs: 1 })),
  { name: 'balanced batches, dropout', config: samplerLab('balanced'), epochs: 3 },
  { name: 'duplicated samples, dropout', config: samplerLab('duplicates'), epochs: 3 },
  { name: 'spiral, twin names, no test set', config: extraLab(), epochs: 3 },
  // Scale weights mid-run (the Scale invariance lesson): BatchNorm's first linear layer × 4 after 5 steps, the
  // plain run's second × 0.5 after 10 — the plain run's curve changes, so a script that did not replay it differs.
  { name: 'Scale weights mid-run', config: PRESETS[0].config, epochs: 2,
    scalings: [{ step: 5, run: 1, layer: '0', alpha: 4 }, { step: 10, run: 0, layer: '2', alpha: 0.5 }] }];
labs.forEach((lab, i) => {
  lab.engine = trainEngine(lab.config, lab.epochs, lab.scalings);
  lab.file = join(dir, `lab${i}.py`);
  writeFileSync(lab.file, pytorchScript(lab.engine.payload, 'en'));
});
const scratch = (lab, ...more) => [lab.file, '--from-scratch', '--epochs', String(lab.epochs), '--json', ...more];
// A lab whose runs started from a model file's weights (Import model), exported from the Japanese page.
const importedFile = join(dir, 'imported.py');
const importedScript = pytorchScript({ ...labs.find((l) => l.name.startsWith('spiral')).engine.payload, imported: true }, 'ja');
writeFileSync(importedFile, importedScript);
const said = [[labs[0].file, '--epochs', '0'], [importedFile, '--from-scratch', '--epochs', '0'], [importedFile, '--help']];
const [out32, out64] = await Promise.all([runScripts([...labs.map((lab) => scratch(lab)), ...said], 'float32'),
  runScripts(labs.map((lab) => scratch(lab, '--float64')), 'float64')]);
const [continuing, importedScratch, importedHelp] = out32.slice(labs.length);

labs.forEach((lab, i) => {
  test(`${lab.name}: --from-scratch prints the page's losses, step by step and epoch by epoch`, (t) => {
    const [f32, f64] = [JSON.parse(out32[i]), JSON.parse(out64[i])];
    assert.match(f32.says, /^normlab --from-scratch: retraining from seed \d+'s initial weights on the page's batches: these are the page's per-epoch curves$/);
    const stats = compare(lab.name, lab.config, lab.engine, f32, f64);
    const show = (e) => (e ? `${e.diff.toExponential(1)} (${e.what})` : 'none');
    t.diagnostic(`held to the tolerance: ${stats.held} numbers; worst epoch train loss ${show(stats.worstTrain)}, test loss ${show(stats.worstTest)}, step loss ${stats.worst.toExponential(1)}`);
    t.diagnostic(`decided by rounding: ${stats.loose} numbers; epoch losses there: ${stats.rounding.map((e) => `${e.what} ${e.diff.toExponential(1)} (float64 ${e.spread.toExponential(1)})`).join('; ') || 'none'}`);
  });
});

test('the script says which of the two it does: in its help, its first line, its comments', () => {
  assert.match(continuing, /^normlab: continuing from the page's weights after 25 steps \(epoch 1\) with a fresh optimizer \(--from-scratch reproduces the page's curves\)\n/);
  assert.match(importedScratch, /^normlab --from-scratch: retraining from seed 5's initial weights on the page's batches - NOT the page's curves: its runs started from weights imported from a model file\n/);
  assert.match(importedHelp, /python3 normlab_lab\.py {17}CONTINUE: loads the weights the page had after 30 steps \(epoch 3\)/);
  assert.match(importedHelp, /python3 normlab_lab\.py --from-scratch {2}REPRODUCE: retrains from seed 5's initial weights/);
  assert.match(importedHelp, /The page's runs started from weights imported from a model file \(Import model\), not from seed 5's\ninitial weights: --from-scratch retrains from seed 5 and will NOT give the page's curves\./);
  assert.match(importedHelp, /--from-scratch +retrain from seed 5's initial weights: the page's curves/);
  // The explanations in the page's language, each above the line it explains.
  assert.match(importedScript, /^# このスクリプトの実行方法は 2 通りです。.*\n"""normlab lab exported to PyTorch: Twin vs Twin vs Plain\.$/m);
  assert.match(importedScript, /^# ページの各モデルは、シードから決まる初期値ではなく、モデルファイルから読み込んだ重み.*\nPAGE_CURVES_FROM_SEED = False$/m);
  assert.match(importedScript, /^ {4}models\["Twin \(2\)"\] = nn\.Sequential\($/m, 'a repeated run name gets a number');
});

test('the script draws the page\'s batches: the DataLoader\'s sampler, and a sampler class only where one is needed', async () => {
  const { readFileSync } = await import('node:fs');
  const script = (name) => readFileSync(labs.find((l) => l.name === name).file, 'utf8');
  const sorted = script('preset "sorted-batches"'), balanced = script('balanced batches, dropout');
  const duplicated = script('duplicated samples, dropout'), lesson = script('preset "lesson"');
  assert.match(sorted, /^ {4}loader = DataLoader\(TensorDataset\(x_train, y_train\), batch_size=64, sampler=SortedSampler\(y_train\)\)$/m);
  assert.match(sorted, /^class SortedSampler\(SeededSampler\):$/m);
  assert.doesNotMatch(sorted, /BalancedSampler/);
  assert.match(sorted, /^ {4}# Serves the training set sorted by class, so each batch is one class.*\n {4}loader = /m);
  assert.match(balanced, /^ {4}loader = DataLoader\(TensorDataset\(x_train, y_train\), batch_size=32, sampler=BalancedSampler\(y_train\)\)$/m);
  assert.match(duplicated, /^ {4}loader = DataLoader\(TensorDataset\(x_train, y_train\), batch_size=32, sampler=RandomSampler\(range\(len\(y_train\)\), replacement=True\)\)$/m);
  assert.match(duplicated, /^from torch\.utils\.data import DataLoader, RandomSampler, TensorDataset$/m);
  assert.doesNotMatch(duplicated, /SeededSampler/);
  assert.match(lesson, /^ {4}loader = DataLoader\(TensorDataset\(x_train, y_train\), batch_size=64, shuffle=True\)$/m);
  assert.match(lesson, /^from torch\.utils\.data import DataLoader, TensorDataset$/m);
  assert.doesNotMatch(lesson, /Sampler/);
});

test('run as a teacher runs it, --from-scratch prints the page\'s epoch as a table', async () => {
  const lab = labs[0]; // the lesson
  const { stdout } = await execute(PYTHON, [lab.file, '--from-scratch', '--epochs', '1'], { env });
  const lines = stdout.trimEnd().split('\n');
  assert.equal(lines[0], "normlab --from-scratch: retraining from seed 0's initial weights on the page's batches: these are the page's per-epoch curves");
  assert.match(lines[1], /^epoch 1 \(step 25\) +mean train loss +test loss +train acc +test acc$/);
  const point = lab.engine.points[0];
  lab.config.runs.forEach((run, r) => {
    const row = lines.find((l) => l.startsWith(`  ${run.name} `));
    assert.ok(row, `a row for ${run.name}: ${stdout}`);
    const [train, test, trainAccuracy, , testAccuracy] = row.slice(run.name.length + 2).trim().split(/ +/).map(Number);
    assert.ok(Math.abs(train - point.trainLoss[r]) <= 5e-5 + TOLERANCE * point.trainLoss[r], `${run.name}: mean train loss ${train}, the page ${point.trainLoss[r]}`);
    assert.ok(Number.isFinite(test) && Number.isFinite(trainAccuracy) && Number.isFinite(testAccuracy), row);
  });
  assert.equal(lines.length, 2 + lab.config.runs.length);
});

test('Scale weights on the page is in the script, and only --from-scratch replays it', async () => {
  const { readFileSync } = await import('node:fs');
  const script = readFileSync(labs.find((l) => l.name === 'Scale weights mid-run').file, 'utf8');
  assert.match(script, /^SCALINGS = \[\n {4}\(5, "BatchNorm", "0", 4\.0\),\n {4}\(10, "No norm", "2", 0\.5\),\n\]$/m);
  assert.match(script, /^ {4}train\(models, args\.epochs, say, args\.json, dtype, SCALINGS if args\.from_scratch else \(\)\)$/m);
  assert.match(readFileSync(labs[0].file, 'utf8'), /^SCALINGS = \[\]$/m, 'none on a lab nobody scaled');
});
