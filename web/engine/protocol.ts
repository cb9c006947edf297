// The typed messages between the page (main thread) and the worker that owns the wasm module.
import type { InsideFrame, InsideWatch } from './inside';
import type { BatchmatesFrame, BatchmatesWatch } from './batchmates';
import type { LabConfig } from '../state/config';
import type { ExportPayload } from '../export/pytorch';
import type { BatchNormTrace } from './normlab';
import type { LandscapePoint, ScaleAction, ScaleRequest, ScaleRow, WeightsPoint } from './theory';

// Which control an error belongs to: the page shows the core's message next to it.
export type ErrorTarget =
  | { kind: 'data'; field: 'type' | 'points' | 'noise' | 'testFraction' | 'seed' | 'scale' | 'shift' }
  | { kind: 'model'; field: 'hiddenLayers' | 'width' | 'activation' | 'architecture' | 'initScale' }
  | { kind: 'run'; index: number; field: 'name' | 'norm' | 'placement' | 'groups' | 'dropout' }
  | { kind: 'training'; field: 'optimizer' | 'lr' | 'batchSize' | 'epochs' | 'weightDecay' | 'seed' | 'sampler' }
  | { kind: 'page' };

export interface ConfigError {
  target: ErrorTarget;
  message: string;
}

// Every message carries `seq`, which frames echo: the page trusts a frame's `playing` only once the worker
// has seen the page's latest command (frames already in flight describe the past).
export type ToWorker = { seq: number } & (
  | { type: 'configure'; config: LabConfig; id: number; replay?: number; scales?: ScaleAction[] } // validate; if valid, replace the lab and reset (then train to step `replay`, scaling weights where `scales` says: a restarted worker catches up)
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; unit: 'step' | 'epoch' }
  | { type: 'reset' }
  | { type: 'boundary'; trainBatch: boolean }
  | { type: 'crash' } // test hook: makes the worker die, to test the page's recovery
  | { type: 'hang' }  // test hook: makes the worker stop silently (no error event), as a killed worker does
  | { type: 'ping'; n: number } // the page's heartbeat: a worker that does not answer is restarted
  | { type: 'benchmark' } // the Performance panel: measured on a lab of its own, the current one untouched
  | { type: 'export'; format: 'pytorch' | 'model' } // what the Export PyTorch / Export model files hold
  | { type: 'import'; config: LabConfig; states: Record<string, number[]>[]; id: number } // a model file
  | { type: 'watch'; bn: BnWatch | null } // BatchNorm step by step: which feature's trace frames carry
  | { type: 'pictures' } // a small sample of every dataset, for the dataset picker's thumbnails
  | { type: 'inside'; watch: InsideWatch | null } // Inside the network: the run whose layers frames carry (null: none)
  | { type: 'speed'; stepsPerSecond: number | null } // Play's pace: at most this many steps a second (null: full speed)
  | { type: 'landscape'; on: boolean } // Loss landscape: measure every LANDSCAPE_EVERY steps while on (engine/theory.ts)
  | ({ type: 'scale'; id: number } & ScaleRequest) // Scale weights, between two steps
  | { type: 'batchmates'; watch: BatchmatesWatch | null } // the Batch-mates lesson: the point whose batches frames carry (null: none)
);

// BatchNorm step by step: one feature of one top-level BatchNorm layer of one run.
export interface BnWatch {
  run: number;
  layer: number;
  feature: number;
}

// What that feature went through on the last training batch (the engine's trace, see core/model.h), the step
// it belongs to, and why there is none: error is '' when there is a trace.
export interface BnTrace extends BnWatch, BatchNormTrace {
  step: number;
  error: string; // no step taken yet, not a BatchNorm layer, a stopped run …
}

// Layer statistics and gradient flow: one sample of every run, taken after a training step.
export interface RunDiagnostics {
  acts: { layer: number; type: string; mean: number; std: number; saturated: number }[]; // every top-level layer's output
  grads: { layer: number; norm: number }[];  // ‖∂L/∂W‖ of every linear layer's weight, in order (inside residual blocks too; layer: the top-level index)
  affine: { name: string; type: string; gammaMean: number; gammaStd: number; betaMean: number; betaStd: number }[]; // norm layers, by state_dict prefix ("4", "2.0")
}

export interface DiagnosticsPoint {
  step: number;
  runs: (RunDiagnostics | null)[]; // null: the run has stopped
}

export interface BenchmarkResult {
  experimentSeconds: number; // the lesson's whole experiment: 2 runs × 50 epochs × 32 steps
  stepsPerSecond: number;    // lockstep steps (both runs) per second during it
  usPerRunStep: number;      // µs per training step of one run
  gridMs: number;            // a 200 × 200 eval-mode boundary of the BatchNorm run
  play: { preset: string; inside: boolean; ratio: number; share: number; liveGrid: number }[]; // playing vs pure training (pacing.ts); inside: with Inside the network in sight
}

export interface Points {
  x: Float32Array; // rows × 2
  y: Int32Array;
}

export interface RunFrame {
  loss: number;          // the last step's loss (NaN before the first)
  trainAccuracy: number; // of the last completed epoch's batches (NaN before)
  testAccuracy: number;  // eval mode on the test set, at the last evaluation (NaN without a test set)
  stepMs: number;        // mean wall time of one training step over the steps since the last frame
  stopped: boolean;
  diverged: boolean;     // stopped because its numbers stopped being finite (not a batch-size error, say)
  error: string;
}

export interface EpochPoint {
  epoch: number;
  step: number;          // the global step at which the epoch ended
  trainLoss: number[];   // per run: mean of the epoch's batch losses (NaN if stopped)
  testLoss: number[];    // per run: eval-mode loss on the test set (NaN without a test set)
  trainAccuracy: number[];
  testAccuracy: number[];
}

export interface Boundary {
  w: number;
  h: number;
  extent: [number, number, number, number]; // x0, x1, y0, y1
  probs: Float32Array[];                     // per run: w × h probabilities of class 1, row 0 at the top
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'configured'; id: number; config: LabConfig; train: Points; test: Points; extent: [number, number, number, number] }
  | { type: 'config-error'; id: number; errors: ConfigError[] }
  | {
      type: 'frame';
      seq: number;        // the last command the worker had processed
      step: number;
      epoch: number;
      stepInEpoch: number;
      stepsPerEpoch: number;
      playing: boolean;
      done: boolean;
      losses: number[][]; // per run: the step losses since the last frame (NaN where stopped)
      firstStep: number;  // the global step of losses[r][0]
      epochs: EpochPoint[];
      runs: RunFrame[];
      boundary: Boundary | null;
      diagnostics: DiagnosticsPoint[]; // samples taken since the last frame
      bnTrace: BnTrace | null;          // the watched BatchNorm feature, if any
      trainingShare: number;            // while playing: the share of the worker's time spent training (NaN paused)
      inside: InsideFrame | null;       // the watched run's layers, with the boundary (Inside the network)
      weights: WeightsPoint[];          // every run's weight norms, sampled with the diagnostics (and at step 0, and around a scaling)
      landscape: LandscapePoint[];      // loss-landscape measurements since the last frame (only while watched)
      measured: number;                 // landscape measurements this worker has made, in all (a test counter)
      batchmates: BatchmatesFrame | null; // the watched point's train-mode predictions, with the boundary (Batch-mates)
    }
  | { type: 'scaled'; id: number; step: number; rows: ScaleRow[] } // Scale weights' result (step: the lab's step count)
  | { type: 'benchmark'; result: BenchmarkResult }
  | { type: 'export'; format: 'pytorch' | 'model'; payload: ExportPayload }
  | { type: 'import-error'; id: number; message: string }
  | { type: 'pong'; n: number }
  | { type: 'pictures'; sets: { type: string; points: Points }[] }
  | { type: 'fatal'; message: string };
