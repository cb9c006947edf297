// Batch-mates: how much one training point's train-mode prediction depends on the points it shares a batch with.
// Computed in the trainer worker for the lesson "Batch-mates" (lessons/batchmates.ts), and by the presets test for
// the train/eval claims (state/presets.ts). Everything is side-effect free: lab.sampleEpochs draws the batches with
// a generator of its own, lab.trainModeLogits runs each batch on a copy of the model.
import type { NormlabLab } from './normlab';

export const BATCHMATES_EPOCHS = 32; // epochs' batches drawn for the point: one batch each (duplicates: 0, 1 or more)

export interface BatchmatesWatch {
  point: number; // the training point (0-based row of the training set)
}

// One run: the point's probability of class 1 in training mode with each batch the sampler put it in (BatchNorm
// normalizes with that batch's statistics), what eval mode gives, and the train/eval agreement over the training set.
export interface BatchmatesRun {
  stopped: boolean;
  values: number[];       // P(class 1) in each batch (BatchmatesFrame.mates's order)
  evalValue: number;      // eval-mode P(class 1) (running statistics)
  accuracy: TrainEval;    // the whole training set, in train mode and in eval mode
}

export interface BatchmatesFrame {
  point: number;            // the training row
  x: [number, number];
  label: number;            // its class
  step: number;             // the training step the predictions belong to
  batchSize: number;
  epochs: number;           // epochs drawn (BATCHMATES_EPOCHS)
  batches: number;          // batches that hold the point (those with one row only are left out: BatchNorm cannot train on them)
  mates: number[];          // each batch's share of class 1 among the point's batch-mates (the point itself left out), in the epochs' order
  runs: BatchmatesRun[];
}

// Accuracy on the training set in training mode (each point with the statistics of its batch, the batches as the lab's
// sampler forms them in one epoch) and in eval mode (the running statistics), and how far apart they are.
export interface TrainEval {
  trainMode: number;
  evalMode: number;
  gap: number; // |trainMode − evalMode|
}

type Lab = Pick<NormlabLab, 'trainData' | 'trainModeLogits' | 'evaluate' | 'logits' | 'batchSize' | 'runState' | 'stepCount'>;

// The training rows `order` as inputs (rows × 2).
function rowsOf(x: Float32Array, order: ArrayLike<number>): Float32Array {
  const out = new Float32Array(2 * order.length);
  for (let k = 0; k < order.length; k++) {
    out[2 * k] = x[2 * order[k]];
    out[2 * k + 1] = x[2 * order[k] + 1];
  }
  return out;
}

const p1 = (logits: ArrayLike<number>, k: number) => 1 / (1 + Math.exp(logits[2 * k] - logits[2 * k + 1]));

// Train-mode against eval-mode accuracy of run `run` over the training set; `order` is one epoch of the lab's
// sampler (lab.sampleEpochs(1, seed)), served in batches of the lab's batch size. Train mode counts a point once per
// time it is drawn (duplicates: some twice, some not at all).
export function trainEvalAccuracy(lab: Lab, run: number, order: Int32Array): TrainEval {
  const train = lab.trainData();
  const logits = lab.trainModeLogits(run, rowsOf(train.x, order), lab.batchSize());
  let hits = 0;
  for (let k = 0; k < order.length; k++) hits += Number(logits[2 * k + 1] > logits[2 * k]) === train.y[order[k]] ? 1 : 0;
  const trainMode = hits / order.length, evalMode = lab.evaluate(run, false, false).accuracy;
  return { trainMode, evalMode, gap: Math.abs(trainMode - evalMode) };
}

// The batches (as row lists) that hold `point` in each of the epochs `orders` (epochs × n rows), batch by batch.
export function batchesWith(orders: Int32Array, n: number, batch: number, point: number): number[][] {
  const found: number[][] = [];
  for (let e = 0; e * n < orders.length; e++) {
    for (let b = 0; b * batch < n; b++) {
      const rows = Array.from(orders.subarray(e * n + b * batch, e * n + Math.min(n, (b + 1) * batch)));
      if (rows.includes(point) && rows.length > 1) found.push(rows);
    }
  }
  return found;
}

// The panel's numbers for every run; `orders`: BATCHMATES_EPOCHS epochs of the lab's sampler. `kept`: the training
// set's accuracies to show again instead of measuring them (a pass over every training row in both modes; the
// worker measures them at most once a second while training plays).
export function batchmates(lab: Lab, watch: BatchmatesWatch, orders: Int32Array, runs: number, kept: TrainEval[] | null = null): BatchmatesFrame {
  const train = lab.trainData(), n = train.rows, batch = lab.batchSize();
  const point = Math.min(Math.max(0, watch.point), n - 1);
  const batches = batchesWith(orders, n, batch, point);
  const mates = batches.map((rows) => {
    const others = rows.filter((_, k) => k !== rows.indexOf(point));
    return others.reduce((a, i) => a + train.y[i], 0) / others.length;
  });
  const epoch = orders.subarray(0, n);
  const x: [number, number] = [train.x[2 * point], train.x[2 * point + 1]];
  const out: BatchmatesRun[] = [];
  const full = batches.flatMap((rows, i) => (rows.length === batch ? [i] : []));
  const fullRows = rowsOf(train.x, full.flatMap((i) => batches[i]));
  for (let r = 0; r < runs; r++) {
    const none = { stopped: true, values: [], evalValue: NaN, accuracy: { trainMode: NaN, evalMode: NaN, gap: NaN } };
    if (lab.runState(r).stopped) {
      out.push(none);
      continue;
    }
    // Each batch is normalized on its own: the full ones in one call (batch by batch), any shorter one alone.
    const values = new Array<number>(batches.length);
    try {
      if (full.length) {
        const logits = lab.trainModeLogits(r, fullRows, batch);
        full.forEach((i, j) => { values[i] = p1(logits, j * batch + batches[i].indexOf(point)); });
      }
      batches.forEach((rows, i) => {
        if (rows.length !== batch) values[i] = p1(lab.trainModeLogits(r, rowsOf(train.x, rows)), rows.indexOf(point));
      });
      const accuracy = kept?.[r] ?? trainEvalAccuracy(lab, r, epoch);
      out.push({ stopped: false, values, evalValue: p1(lab.logits(r, x), 0), accuracy });
    } catch {
      out.push(none); // an epoch ending in a batch of one row, which BatchNorm refuses (the run stops there too)
    }
  }
  return { point, x, label: train.y[point], step: lab.stepCount(), batchSize: batch, epochs: orders.length / n, batches: batches.length, mates, runs: out };
}
