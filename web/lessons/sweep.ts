// BatchNorm vs LayerNorm against batch size: for each batch size, a BatchNorm run and a LayerNorm run of the
// lab's model (everything else equal: data, initial linear weights, optimizer, learning rate, epochs) are
// trained side by side, and the final loss and the train-vs-eval accuracy gap are recorded. Pure: the
// lessons worker runs it on its own module, tests/node/sweep.test.mjs on node's.
import { type LabConfig, type LabSetup, type RunConfig, setUpLab } from '../state/config.js';

export const SWEEP_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256] as const;
export const SWEEP_NORMS = ['batchnorm', 'layernorm'] as const;

export interface SweepRun {
  norm: (typeof SWEEP_NORMS)[number];
  finalLoss: number;      // mean of the last epoch's batch losses (NaN if the run stopped)
  trainAccuracy: number;  // over the last epoch's batches, in training mode (what a training loop reports)
  evalAccuracy: number;   // the whole training set in eval mode (BatchNorm: running statistics)
  gap: number;            // trainAccuracy − evalAccuracy
  error: string;          // why the run stopped ('' if it did not)
}

export interface SweepPoint {
  batch: number;
  runs: SweepRun[];
}

// The minimal engine surface the sweep needs (the Embind Lab).
interface SweepLab extends LabSetup {
  step(count: number): number;
  epoch(): number;
  epochEnded(): boolean;
  epochSummary(): { meanLoss: number[]; trainAccuracy: number[] };
  runState(index: number): { stopped: boolean; error: string };
  evaluate(index: number, testSet: boolean, trainBatch: boolean): { loss: number; accuracy: number };
  delete(): void;
}

export function sweepConfig(c: LabConfig, batch: number, epochs: number): LabConfig {
  const run = (name: string, norm: RunConfig['norm']): RunConfig => ({ name, norm, placement: 'before', groups: 8, dropout: 0 });
  return { ...c, runs: [run('BatchNorm', 'batchnorm'), run('LayerNorm', 'layernorm')], training: { ...c.training, batchSize: batch, epochs } };
}

// Trains one batch size's pair of runs to the end and measures them.
export function sweepPoint(newLab: () => SweepLab, base: LabConfig, batch: number, epochs: number): SweepPoint {
  const c = sweepConfig(base, batch, epochs);
  const lab = newLab();
  try {
    setUpLab(lab, c);
    let summary: { meanLoss: number[]; trainAccuracy: number[] } | null = null;
    while (lab.epoch() < epochs) {
      lab.step(1 << 20); // stops at the epoch's end
      if (lab.epochEnded()) summary = lab.epochSummary();
      if (c.runs.every((_, r) => lab.runState(r).stopped)) break;
    }
    return {
      batch,
      runs: SWEEP_NORMS.map((norm, r) => {
        const state = lab.runState(r);
        if (state.stopped || !summary) return { norm, finalLoss: NaN, trainAccuracy: NaN, evalAccuracy: NaN, gap: NaN, error: state.error || 'stopped' };
        const evalAccuracy = lab.evaluate(r, false, false).accuracy;
        const trainAccuracy = summary.trainAccuracy[r];
        return { norm, finalLoss: summary.meanLoss[r], trainAccuracy, evalAccuracy, gap: trainAccuracy - evalAccuracy, error: '' };
      }),
    };
  } finally {
    lab.delete();
  }
}
