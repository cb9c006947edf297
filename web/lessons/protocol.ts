// Messages between the page and the lessons worker (lessons-worker.ts).
import type { LabConfig } from '../state/config';
import type { InspectResult, InspectSpec } from '../engine/normlab';
import type { SweepPoint } from './sweep';
import { lessonsWorker } from '@workers';

export type LessonsRequest =
  | { type: 'inspect'; id: number; spec: InspectSpec }
  | { type: 'randn'; id: number; seed: number; n: number }
  | { type: 'sweep'; id: number; config: LabConfig; epochs: number; batches: number[] }
  | { type: 'cancel' };

export type LessonsReply =
  | { type: 'inspect'; id: number; result?: InspectResult; error?: string }
  | { type: 'randn'; id: number; values?: Float32Array; error?: string }
  | { type: 'sweep-point'; id: number; point: SweepPoint }
  | { type: 'sweep-done'; id: number }
  | { type: 'sweep-error'; id: number; message: string }
  | { type: 'fatal'; message: string };

// A promise-based client: one worker, requests matched to replies by id.
export class LessonsClient {
  private worker_: Worker | null = null;
  private nextId = 1;
  private waiting = new Map<number, (reply: LessonsReply) => void>();
  onSweep: ((reply: LessonsReply) => void) | null = null;
  private sweepId = 0; // the sweep in progress (0: none)
  onFatal: ((message: string) => void) | null = null;

  // The worker (and its wasm instance) starts with the first request, not with the page.
  private get worker(): Worker {
    if (this.worker_) return this.worker_;
    const worker = (this.worker_ = lessonsWorker());
    worker.onmessage = (e: MessageEvent<LessonsReply>) => {
      const m = e.data;
      if (m.type === 'fatal') { this.onFatal?.(m.message); return; }
      if (m.type === 'sweep-point' || m.type === 'sweep-done' || m.type === 'sweep-error') {
        if (m.type !== 'sweep-point' && m.id === this.sweepId) this.sweepId = 0;
        this.onSweep?.(m);
        return;
      }
      const resolve = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      resolve?.(m);
    };
    // A worker that fails (it cannot load, or the module aborts): everything waiting on it is answered with
    // the error, a running sweep ends with it, and the next request starts a new worker.
    worker.onerror = (e) => {
      e.preventDefault();
      const message = `the lessons worker stopped: ${e.message || 'it could not start'}`;
      worker.terminate();
      this.worker_ = null;
      for (const [id, resolve] of this.waiting) resolve({ type: 'inspect', id, error: message });
      this.waiting.clear();
      if (this.sweepId) this.onSweep?.({ type: 'sweep-error', id: this.sweepId, message });
      this.sweepId = 0;
    };
    return worker;
  }

  inspect(spec: InspectSpec): Promise<{ result?: InspectResult; error?: string }> {
    return this.request({ type: 'inspect', id: 0, spec }) as Promise<{ result?: InspectResult; error?: string }>;
  }

  randn(seed: number, n: number): Promise<{ values?: Float32Array; error?: string }> {
    return this.request({ type: 'randn', id: 0, seed, n }) as Promise<{ values?: Float32Array; error?: string }>;
  }

  sweep(config: LabConfig, epochs: number, batches: number[]): number {
    const id = this.nextId++;
    this.sweepId = id;
    this.worker.postMessage({ type: 'sweep', id, config, epochs, batches } satisfies LessonsRequest);
    return id;
  }

  terminate() {
    this.worker_?.terminate();
    this.worker_ = null;
    for (const resolve of this.waiting.values()) resolve({ type: 'inspect', id: 0, error: 'stopped' });
    this.waiting.clear();
  }

  cancel() {
    this.worker.postMessage({ type: 'cancel' } satisfies LessonsRequest);
  }

  private request(msg: LessonsRequest & { id: number }): Promise<LessonsReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ ...msg, id });
    });
  }
}
