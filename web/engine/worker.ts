// The worker owns the wasm module and every run. It trains in slices of a few milliseconds, batching many
// steps per frame, and posts only what the page draws: new loss points, epoch summaries, run states and,
// at most every BOUNDARY_INTERVAL_MS, the decision-boundary probabilities (transferred, never shared views).
import { messageOf, serveWithModule } from './workerhost';
import { benchmark } from './benchmark';
import type { NormlabLab, NormlabModule } from './normlab';
import { DATASETS, type LabConfig, linearWeightNames, normLayerNames } from '../state/config';
import { buildLab as buildCheckedLab } from '../state/checks';
import { exportPayload } from '../export/payload';
import type { Scaling } from '../export/pytorch';
import { epochPoint } from './epochpoint';
import type { BnTrace, BnWatch, Boundary, DiagnosticsPoint, EpochPoint, FromWorker, RunDiagnostics, RunFrame, ToWorker } from './protocol';
import { BOUNDARY_INTERVAL_MS, Pacer, SLICE_MS } from './pacing';
import { inside, transferables, type InsideWatch } from './inside';
import { LANDSCAPE_EVERY, landscapePoint, scaleRuns, weightsPoint, type LandscapePoint, type ScaleAction, type WeightsPoint } from './theory';
import { BATCHMATES_EPOCHS, batchmates, type BatchmatesFrame, type BatchmatesWatch } from './batchmates';

const FIRST_GRID = 96;             // the quick first boundary after a configuration (it measures the cost; pacing.ts)
const DIAGNOSTICS_PER_EPOCH = 8;
const PICTURED = DATASETS.filter((d) => d !== 'custom'); // the generated datasets, drawn as thumbnails   // layer statistics / gradient flow samples per epoch (and at every epoch end)

const post = (msg: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(msg, transfer);

let M: NormlabModule;
let lab: NormlabLab | null = null;
let config: LabConfig | null = null;
let extent: [number, number, number, number] = [-1, 1, -1, 1];
let playing = false;
let trainBatchBoundary = false;
let pendingLosses: number[][] = [];
let pendingFirstStep = 0;
let pendingEpochs: EpochPoint[] = [];
// Step times summed since the last frame: browsers coarsen the clock (to 0.1 ms), so one step's time is
// noise and the page shows the mean over the frame.
let stepTime = { seconds: [] as number[], steps: 0, last: [] as number[] };
let lastEval: { trainAccuracy: number[]; testAccuracy: number[] } = { trainAccuracy: [], testAccuracy: [] };
let lastBoundaryAt = 0;
const pacer = new Pacer(); // the live grid's size, and the share of playing time spent training
let ticking = false;
// Play's pace. Full speed (null) trains in slices back to back; a set speed earns steps as time passes (at
// most a quarter second's worth banked) and posts a frame, boundary included, after each slice that trained.
let stepsPerSecond: number | null = null;
let credit = 0;
let lastTickAt = 0;
let seq = 0; // the last command processed, echoed in frames
let pendingDiagnostics: DiagnosticsPoint[] = [];
let bnWatch: BnWatch | null = null;
let insideWatch: InsideWatch | null = null; // the run Inside the network shows (null: the view is not in sight)
// Batch-mates: the watched point, the lab's epochs drawn for it, and when the training set's accuracies were measured.
let mates: { watch: BatchmatesWatch | null; orders: Int32Array | null; asked: boolean; last: BatchmatesFrame | null; at: number } =
  { watch: null, orders: null, asked: false, last: null, at: 0 };
let linearWeights: Set<string>[] = []; // per run: the state_dict names of its linear layers' weights (residual blocks included)
let normLayers: { name: string; type: string }[][] = []; // per run: its normalization layers (residual blocks included)
let nonFinite: boolean[] = []; // per run: its last boundary was not finite (it is flagged, not drawn)
let pendingWeights: WeightsPoint[] = [];
let pendingLandscape: LandscapePoint[] = [];
let landscapeOn = false; // the Loss landscape lesson is open: measure every LANDSCAPE_EVERY steps
let measured = 0;        // landscape measurements made (each run's counts once)
let landscapeStep = -1;  // the step last measured
// The runs started from a model file's weights (Import model), not from the seed's: an exported script's
// --from-scratch then cannot give the page's curves, and says so. Reset and any new configuration clear it.
let imported = false;
let scalings: Scaling[] = []; // Scale weights since the runs started, for Export PyTorch's --from-scratch
const NON_FINITE = 'diverged: its outputs are not finite, so no boundary is drawn';


// Builds a lab for `c`. On any error the current lab is left untouched and the errors are returned.
const buildLab = (c: LabConfig) => buildCheckedLab(() => new M.Lab(), c);

function dataExtent(xs: Float32Array[]): [number, number, number, number] {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const x of xs) {
    for (let i = 0; i < x.length; i += 2) {
      x0 = Math.min(x0, x[i]); x1 = Math.max(x1, x[i]);
      y0 = Math.min(y0, x[i + 1]); y1 = Math.max(y1, x[i + 1]);
    }
  }
  // The lesson's range, the data's ±0.5, made square (the boundaries are square pictures: no stretching); your
  // own points get at least [−2, 2]², room to draw in.
  const own = config?.data.type === 'custom' ? 2 : 0;
  [x0, x1, y0, y1] = [Math.min(x0 - 0.5, -own), Math.max(x1 + 0.5, own), Math.min(y0 - 0.5, -own), Math.max(y1 + 0.5, own)];
  const half = Math.max(x1 - x0, y1 - y0) / 2, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return [cx - half, cx + half, cy - half, cy + half];
}

function clearPending() {
  const n = config ? config.runs.length : 0;
  nonFinite = new Array(n).fill(false);
  stepTime = { seconds: [], steps: 0, last: [] };
  pendingLosses = Array.from({ length: n }, () => []);
  pendingFirstStep = lab ? lab.stepCount() + 1 : 1;
  pendingEpochs = [];
  pendingDiagnostics = [];
  pendingWeights = [];
  pendingLandscape = [];
  landscapeStep = -1;
  lastEval = { trainAccuracy: new Array(n).fill(NaN), testAccuracy: new Array(n).fill(NaN) };
}

// A model file: its settings, then its weights, into a new lab; any problem leaves the current lab running.
function importModel(c: LabConfig, states: Record<string, number[]>[], id: number) {
  const { lab: next, errors } = buildLab(c);
  if (!next) {
    post({ type: 'import-error', id, message: `model file: ${errors.map((e) => e.message).join('; ')}` });
    return;
  }
  try {
    c.runs.forEach((run, r) => {
      const names = next.parameterNames(r);
      for (const name of names)
        if (!(name in states[r])) throw new Error(`run ${r + 1} (${run.name}): ${name} is missing from the file`);
      for (const name of Object.keys(states[r]))
        if (!names.includes(name)) throw new Error(`run ${r + 1} (${run.name}): ${name} is not a parameter of this model`);
      for (const name of names) next.setParameter(r, name, states[r][name]);
    });
  } catch (e) {
    next.delete();
    post({ type: 'import-error', id, message: `model file: ${messageOf(e)}` });
    return;
  }
  install(next, c, id, 0, true);
}

function configure(c: LabConfig, id: number, replay = 0, scales: ScaleAction[] = []) {
  const { lab: next, errors } = buildLab(c);
  if (!next) {
    post({ type: 'config-error', id, errors });
    return;
  }
  install(next, c, id, replay, false, scales);
}

// A lab for `c`, posted to the page. `replay`: a restarted worker trains to the step its predecessor had
// reached before it says anything (training is deterministic: the same steps give the same numbers), so the
// page keeps its curves and the runs continue from where they were; `scales`, the weights its predecessor scaled,
// are scaled again at the same steps. `fromFile`: the weights are a model file's.
function install(next: NormlabLab, c: LabConfig, id: number, replay = 0, fromFile = false, scales: ScaleAction[] = []) {
  lab?.delete();
  lab = next;
  config = c;
  imported = fromFile;
  scalings = [];
  mates = { ...mates, orders: null, last: null }; // the new lab's sampler and rows
  linearWeights = c.runs.map((_, r) => linearWeightNames(next.modelSpec(r)));
  normLayers = c.runs.map((_, r) => normLayerNames(next.modelSpec(r)));
  const train = lab.trainData(), test = lab.testData();
  extent = dataExtent([train.x, test.x]);
  clearPending();
  if (replay > 0) {
    const rescale = () => { for (const a of scales) if (a.step === lab!.stepCount()) scale(a); };
    while (lab.stepCount() < replay && !done() && !allStopped()) rescale(), stepOnce();
    rescale();
    const kept = lastEval; // the last evaluation stands; the page already has everything up to `replay`
    clearPending();
    lastEval = kept;
  }
  post({ type: 'configured', id, config: c, train: { x: train.x, y: train.y }, test: { x: test.x, y: test.y }, extent },
    [train.x.buffer, train.y.buffer, test.x.buffer, test.y.buffer]);
  // A quick coarse boundary first (the page paints something at once), the full-resolution one right after.
  pacer.forgetCost();
  sendFrame(true, FIRST_GRID);
  const built = lab;
  setTimeout(() => { if (!playing && lab === built) sendFrame(true, pacer.stillGrid()); }, 0);
}

const done = () => !!lab && !!config && lab.epoch() >= config.training.epochs;

function allStopped(): boolean {
  if (!lab) return true;
  for (let r = 0; r < lab.runCount(); r++) if (!lab.runState(r).stopped) return false;
  return true;
}

function stepOnce() {
  if (!lab || !config) return;
  lab.step(1);
  for (let r = 0; r < lab.runCount(); r++) {
    const s = lab.runState(r);
    pendingLosses[r].push(s.stopped ? NaN : s.loss);
    stepTime.seconds[r] = (stepTime.seconds[r] ?? 0) + s.stepSeconds;
  }
  stepTime.steps++;
  const every = Math.max(1, Math.floor(lab.stepsPerEpoch() / DIAGNOSTICS_PER_EPOCH));
  if (lab.stepInEpoch() % every === 0 || lab.epochEnded()) pendingDiagnostics.push(diagnostics()), pendingWeights.push(weightsPoint(lab));
  if (landscapeOn && lab.stepCount() % LANDSCAPE_EVERY === 0) measureLandscape();
  if (lab.epochEnded()) {
    const point = epochPoint(lab);
    lastEval = { trainAccuracy: point.trainAccuracy, testAccuracy: point.testAccuracy };
    pendingEpochs.push(point);
  }
}

// One sample of every run's layer statistics and gradient norms, for the lessons.
function diagnostics(): DiagnosticsPoint {
  const runs: (RunDiagnostics | null)[] = [];
  for (let r = 0; r < lab!.runCount(); r++) {
    if (lab!.runState(r).stopped) { runs.push(null); continue; }
    const d = lab!.diagnostics(r);
    const linear = linearWeights[r] ?? new Set<string>();
    const grads = d.gradNorms.filter((g) => linear.has(g.name)).map((g) => ({ layer: Number(g.name.split('.')[0]), norm: g.norm }));
    const moments = (v: Float32Array) => {
      let m = 0, q = 0;
      for (const x of v) m += x;
      m /= v.length;
      for (const x of v) q += (x - m) * (x - m);
      return [m, Math.sqrt(q / v.length)];
    };
    const affine = (normLayers[r] ?? []).map((n) => {
      const [gammaMean, gammaStd] = moments(lab!.getParameter(r, `${n.name}.weight`));
      const [betaMean, betaStd] = n.type === 'rmsnorm' ? [0, 0] : moments(lab!.getParameter(r, `${n.name}.bias`));
      return { name: n.name, type: n.type, gammaMean, gammaStd, betaMean, betaStd };
    });
    runs.push({ acts: d.activations.map((a) => ({ layer: a.layer, type: a.type, mean: a.mean, std: a.std, saturated: a.saturated })), grads, affine });
  }
  return { step: lab!.stepCount(), runs };
}

function measureLandscape() {
  if (lab!.stepCount() === landscapeStep) return;
  landscapeStep = lab!.stepCount();
  const p = landscapePoint(lab!);
  measured += p.runs.filter((r) => r).length;
  pendingLandscape.push(p);
}

// Scale weights: the linear layers' prefixes come from each run's spec, the losses from the engine (theory.ts).
function scale(a: { run: number | null; linear: number; alpha: number }) {
  const linears = linearWeights.map((names) => [...names].map((n) => n.replace(/\.weight$/, '')));
  pendingWeights.push(weightsPoint(lab!));
  const rows = scaleRuns(lab!, linears, a);
  pendingWeights.push(weightsPoint(lab!));
  const step = lab!.stepCount();
  for (const r of rows) if (!r.error) scalings.push({ step, run: r.run, layer: r.layer, alpha: r.alpha });
  return rows;
}

function bnTrace(): BnTrace | null {
  if (!lab || !bnWatch) return null;
  const w = bnWatch;
  const empty = new Float32Array(0);
  const base = { ...w, step: lab.stepCount(), rows: 0, x: empty, xhat: empty, y: empty, evalY: empty, mean: NaN, var: NaN, varUnbiased: NaN, rstd: NaN,
    gamma: NaN, beta: NaN, eps: NaN, momentum: NaN, runningMeanBefore: NaN, runningVarBefore: NaN, runningMean: NaN, runningVar: NaN };
  if (w.run < 0 || w.run >= lab.runCount()) return { ...base, error: `run: no run ${w.run + 1}` };
  try {
    return { ...base, ...lab.batchNormTrace(w.run, w.layer, w.feature), error: '' };
  } catch (e) {
    return { ...base, error: messageOf(e) };
  }
}

function boundary(size: number): Boundary | null {
  if (!lab) return null;
  const [x0, x1, y0, y1] = extent;
  const probs: Float32Array[] = [];
  for (let r = 0; r < lab.runCount(); r++) {
    const p = lab.grid(r, size, size, x0, x1, y0, y1, trainBatchBoundary);
    const p1 = new Float32Array(size * size);
    let finite = true;
    for (let k = 0; k < p1.length; k++) finite = Number.isFinite((p1[k] = p[2 * k + 1])) && finite;
    // A model whose outputs are not finite (an imported running_var < 0, say) is flagged, never drawn as NaN.
    nonFinite[r] = !finite;
    probs.push(finite ? p1 : new Float32Array(0));
  }
  return { w: size, h: size, extent, probs };
}

// The watched run's layers, when the view is in sight and the run has not stopped.
function insideFrame() {
  if (!lab || !insideWatch || insideWatch.run >= lab.runCount() || lab.runState(insideWatch.run).stopped || nonFinite[insideWatch.run]) return null;
  return inside(lab, insideWatch, extent, trainBatchBoundary);
}

// The Batch-mates lesson's point, with every boundary (and once when it is asked for); the epochs' orders are
// drawn once per lab, from its training seed.
function batchmatesFrame(withBoundary: boolean) {
  if (!lab || !config || !mates.watch || !(withBoundary || mates.asked)) return null;
  mates.asked = false;
  mates.orders ??= lab.sampleEpochs(BATCHMATES_EPOCHS, config.training.seed);
  const fresh = !playing || !mates.last || performance.now() - mates.at >= 1000;
  if (fresh) mates.at = performance.now();
  return (mates.last = batchmates(lab, mates.watch, mates.orders, lab.runCount(), fresh ? null : mates.last!.runs.map((r) => r.accuracy)));
}

function sendFrame(withBoundary: boolean, gridSize = playing ? pacer.liveGrid() : pacer.stillGrid()) {
  if (!lab || !config) return;
  const b0 = performance.now();
  const b = withBoundary ? boundary(gridSize) : null;
  if (b) pacer.drew(gridSize * gridSize, performance.now() - b0);
  const runs: RunFrame[] = [];
  for (let r = 0; r < lab.runCount(); r++) {
    const s = lab.runState(r);
    if (stepTime.steps > 0) stepTime.last[r] = (stepTime.seconds[r] ?? 0) / stepTime.steps;
    const [stopped, diverged, error] = nonFinite[r] && !s.stopped ? [true, true, NON_FINITE] : [s.stopped, s.diverged, s.error];
    runs.push({
      loss: s.stopped ? NaN : s.loss, trainAccuracy: lastEval.trainAccuracy[r], testAccuracy: lastEval.testAccuracy[r],
      stepMs: (stepTime.last[r] ?? 0) * 1000, stopped, diverged, error,
    });
  }
  if (stepTime.steps > 0) stepTime = { seconds: [], steps: 0, last: stepTime.last };
  if (b) lastBoundaryAt = performance.now();
  const inner = b ? insideFrame() : null;
  // Where the weights start: every frame before the first step carries them (the lessons may load after the first).
  if (lab.stepCount() === 0) pendingWeights = [weightsPoint(lab)];
  post({
    type: 'frame', seq, step: lab.stepCount(), epoch: lab.epoch(), stepInEpoch: lab.stepInEpoch(), stepsPerEpoch: lab.stepsPerEpoch(),
    playing, done: done(), losses: pendingLosses, firstStep: pendingFirstStep, epochs: pendingEpochs, runs, boundary: b,
    diagnostics: pendingDiagnostics, bnTrace: bnTrace(), trainingShare: playing ? pacer.share(performance.now()) : NaN,
    inside: inner, weights: pendingWeights, landscape: pendingLandscape, measured, batchmates: batchmatesFrame(!!b),
  }, b ? [...b.probs.map((p) => p.buffer), ...transferables(inner)] : []);
  pendingLosses = pendingLosses.map(() => []);
  pendingDiagnostics = [];
  pendingWeights = [];
  pendingLandscape = [];
  pendingFirstStep = lab.stepCount() + 1;
  pendingEpochs = [];
}

function tick() {
  ticking = false;
  if (!playing || !lab) return;
  const t0 = performance.now();
  let trained = 0;
  if (stepsPerSecond === null) {
    while (performance.now() - t0 < SLICE_MS && !done() && !allStopped()) stepOnce(), trained++;
  } else {
    credit = Math.min(credit + ((t0 - lastTickAt) * stepsPerSecond) / 1000, Math.max(1, stepsPerSecond / 4));
    while (credit >= 1 && performance.now() - t0 < SLICE_MS && !done() && !allStopped()) stepOnce(), trained++, credit--;
  }
  lastTickAt = t0;
  pacer.trained(performance.now() - t0);
  if (done() || allStopped()) playing = false;
  const slow = stepsPerSecond !== null && stepsPerSecond <= 1000 / BOUNDARY_INTERVAL_MS; // every step is drawn
  if (trained > 0 || !playing) sendFrame(!playing || slow || performance.now() - lastBoundaryAt >= BOUNDARY_INTERVAL_MS);
  schedule();
}

// The next slice, after the messages that arrived meanwhile. At full speed through a MessageChannel, not
// setTimeout(0): browsers clamp nested timeouts to 4 ms, a quarter of a slice spent idle. At a set speed,
// when the next step is due.
const nextSlice = new MessageChannel();
nextSlice.port1.onmessage = () => tick();
function schedule() {
  if (!playing || ticking) return;
  ticking = true;
  if (stepsPerSecond === null) nextSlice.port2.postMessage(0);
  else setTimeout(tick, Math.max(4, ((1 - credit) * 1000) / stepsPerSecond));
}

function handle(msg: ToWorker) {
  seq = msg.seq;
  switch (msg.type) {
    case 'configure':
      configure(msg.config, msg.id, msg.replay, msg.scales);
      break;
    case 'ping':
      post({ type: 'pong', n: msg.n });
      break;
    case 'hang':
      self.close(); // stops without an error event: only the page's heartbeat notices
      break;
    case 'play':
      if (!lab || done()) break;
      if (!playing) {
        pacer.begin(performance.now());
        lastTickAt = performance.now();
        credit = 1; // the first step at once
      }
      playing = true;
      schedule();
      break;
    case 'speed':
      stepsPerSecond = msg.stepsPerSecond;
      lastTickAt = performance.now();
      credit = Math.min(credit, 1);
      break;
    case 'pause':
      playing = false;
      sendFrame(true);
      break;
    case 'step':
      if (!lab || done() || allStopped()) break;
      playing = false;
      if (msg.unit === 'step') stepOnce();
      else do stepOnce(); while (!lab.epochEnded() && !allStopped());
      if (landscapeOn) measureLandscape(); // a step taken by hand shows its landscape at once
      sendFrame(true);
      break;
    case 'reset':
      if (!lab || !config) break;
      playing = false;
      lab.reset(config.training.seed);
      imported = false;
      scalings = [];
      clearPending();
      sendFrame(true);
      break;
    case 'boundary':
      trainBatchBoundary = msg.trainBatch;
      sendFrame(true);
      break;
    case 'benchmark':
      playing = false;
      post({ type: 'benchmark', result: benchmark(M) });
      sendFrame(false);
      break;
    case 'export': {
      if (lab && config) post({ type: 'export', format: msg.format, payload: exportPayload(lab, config, imported, scalings) });
      break;
    }
    case 'import':
      importModel(msg.config, msg.states, msg.id);
      break;
    case 'watch':
      bnWatch = msg.bn;
      sendFrame(false);
      break;
    case 'landscape':
      landscapeOn = msg.on;
      // Opened on a paused lab that has trained: the landscape where it stands, at once.
      if (landscapeOn && lab && !playing && lab.stepCount() > 0 && !allStopped()) {
        measureLandscape();
        sendFrame(false);
      }
      break;
    case 'scale': {
      if (!lab) break;
      const rows = scale(msg);
      post({ type: 'scaled', id: msg.id, step: lab.stepCount(), rows });
      sendFrame(!playing); // the boundaries change with the weights (eval mode)
      break;
    }
    case 'batchmates':
      mates = { ...mates, watch: msg.watch, asked: true };
      sendFrame(false);
      break;
    case 'inside':
      insideWatch = msg.watch;
      if (insideWatch && !playing) sendFrame(true);
      break;
    case 'pictures': {
      const sample = new M.Lab();
      try {
        const sets = PICTURED.map((type) => {
          sample.setData(JSON.stringify({ type, points: 240, noise: 0.1, seed: 0, test_fraction: 0 }));
          const d = sample.trainData();
          return { type, points: { x: d.x, y: d.y } };
        });
        post({ type: 'pictures', sets }, sets.flatMap((s) => [s.points.x.buffer, s.points.y.buffer]));
      } finally {
        sample.delete();
      }
      break;
    }
    case 'crash':
      setTimeout(() => { throw new Error('worker crash requested'); });
      break;
  }
}

serveWithModule<ToWorker>((module) => {
  M = module;
  post({ type: 'ready' });
}, handle, (message) => post({ type: 'fatal', message }));
