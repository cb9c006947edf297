// Types of normlab's library entry (lib/index.mjs). The Embind module's own types: web/engine/normlab.d.ts.
import type { NormlabLab, NormlabModule, RunState, EpochSummary, LayerOutput, Sampler } from '../web/engine/normlab.js';

export type { NormlabLab, NormlabModule, RunState, EpochSummary, LayerOutput, Sampler };

export interface LayerSpec {
  type: 'linear' | 'batchnorm' | 'layernorm' | 'rmsnorm' | 'groupnorm' | 'dropout' | 'relu' | 'tanh' | 'sigmoid' | 'gelu' | 'leaky_relu' | 'residual';
  out?: number; bias?: boolean; eps?: number; momentum?: number; groups?: number; p?: number; slope?: number; layers?: LayerSpec[];
}
export interface ModelSpec { input: number; layers: LayerSpec[]; init_scale?: number } // init_scale: 0.1 to 10, every linear layer's initial weights × it
export interface OptimizerSpec { type: 'sgd' | 'adam' | 'adamw'; lr?: number; momentum?: number; dampening?: number; nesterov?: boolean; betas?: [number, number]; eps?: number; weight_decay?: number }
export interface DataSpec {
  type?: 'moons' | 'circles' | 'spiral' | 'xor' | 'gauss' | 'points'; points?: number; noise?: number; seed?: number; test_fraction?: number;
  scale?: number; shift?: number;
  x?: number[]; y?: number[]; // type 'points': your own points, x0, y0, x1, y1, … and their labels (0 or 1)
}

export interface LabOptions {
  data?: DataSpec | string;
  runs?: { name?: string; model: ModelSpec | string; optimizer?: OptimizerSpec | string }[];
  batchSize?: number;
  seed?: number;
  init?: 'shared' | 'sequential';
  sampler?: Sampler; // how batches are drawn: 'shuffle' (default), 'balanced', 'sorted', 'duplicates'
}

export interface Lab {
  readonly raw: NormlabLab;
  readonly names: string[];
  readonly step: number;
  readonly epoch: number;
  trainStep(): number[];
  trainEpoch(): EpochSummary;
  runState(run: number): RunState;
  evaluate(run: number, options?: { test?: boolean; trainBatch?: boolean }): { loss: number; accuracy: number };
  logits(run: number, x: ArrayLike<number>): Float32Array;
  // Every top-level layer's output for rows of x (and each normalization's statistics); see LayerOutput.
  layerOutputs(run: number, x: ArrayLike<number>, options?: { trainBatch?: boolean }): LayerOutput[];
  // Rows of x as training batches of `batch` rows (0 or omitted: one batch), each in training mode on its own.
  trainModeLogits(run: number, x: ArrayLike<number>, options?: { batch?: number }): Float32Array;
  sampleEpochs(count: number, seed?: number): Int32Array; // count epochs' row orders after torch.manual_seed(seed)
  grid(run: number, options?: { w?: number; h?: number; x0?: number; x1?: number; y0?: number; y1?: number; trainBatch?: boolean }): Float32Array;
  stateDict(run: number): Record<string, Float32Array>;
  reset(seed?: number): void;
  delete(): void;
}

export function loadNormlab(): Promise<NormlabModule>;
export function createLab(options?: LabOptions): Promise<Lab>;
