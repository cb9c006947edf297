// Model + weights as a JSON file (Export model / Import model), and the loss history as CSV.
//   {"format": "normlab-model", "version": 1, "config": <the lab's settings>, "steps": 1600,
//    "runs": [{"name": "BatchNorm", "state": {"0.weight": [...], ...}}, ...]}
// parseModelFile names the first problem it finds; the page then changes nothing.
import type { LabConfig } from '../state/config';
import type { EpochPoint } from '../engine/protocol';
import type { ExportPayload } from './pytorch';
import { decodeHash, encodeHash } from '../state/urlstate.js';

export interface ModelFile {
  format: 'normlab-model';
  version: 1;
  config: LabConfig;
  steps: number;
  runs: { name: string; state: Record<string, number[]> }[];
}

export function modelFileJson(p: ExportPayload): string {
  const file: ModelFile = {
    format: 'normlab-model', version: 1, config: p.config, steps: p.steps,
    runs: p.runs.map((r) => ({ name: r.name, state: Object.fromEntries(r.state.map(([k, v]) => [k, v.map((x) => Number(Math.fround(x).toPrecision(9)))])) })),
  };
  return JSON.stringify(file);
}

export function parseModelFile(text: string): { file: ModelFile } | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `model file: not JSON (${e instanceof Error ? e.message : e})` };
  }
  const f = data as Partial<ModelFile> | null;
  if (!f || typeof f !== 'object' || f.format !== 'normlab-model') return { error: 'model file: not a normlab model file (no "format": "normlab-model")' };
  if (typeof f.version !== 'number' || f.version > 1) return { error: `model file: version ${f.version} is not one this normlab reads (1)` };
  // The settings go through the same checks as a link.
  let config: LabConfig;
  try {
    const d = decodeHash(encodeHash(f.config as LabConfig, 'en'));
    if (d.rejected.length) return { error: `model file: config: ${d.rejected.map((r) => `${r.field}: ${r.reason}`).join('; ')}` };
    config = d.config;
  } catch {
    return { error: 'model file: config: missing or malformed' };
  }
  if (!Array.isArray(f.runs) || f.runs.length !== config.runs.length)
    return { error: `model file: runs: expected ${config.runs.length} runs with weights, as in config` };
  for (const [i, r] of f.runs.entries()) {
    if (!r || typeof r.state !== 'object' || r.state === null) return { error: `model file: runs[${i}].state: missing` };
    for (const [k, v] of Object.entries(r.state))
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) return { error: `model file: runs[${i}].state["${k}"]: not a list of numbers` };
  }
  return { file: { format: 'normlab-model', version: 1, config, steps: Number.isInteger(f.steps) ? f.steps! : 0, runs: f.runs } };
}

// One row per completed epoch: per run, the mean training loss of its batches, and eval-mode test loss,
// train and test accuracy.
export function lossCsv(names: string[], epochs: EpochPoint[]): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const header = ['epoch', 'step', ...names.flatMap((n) => [`${n} train loss`, `${n} test loss`, `${n} train accuracy`, `${n} test accuracy`])];
  const num = (v: number) => (Number.isFinite(v) ? String(v) : '');
  const rows = epochs.map((e) => [String(e.epoch), String(e.step), ...names.flatMap((_, r) =>
    [num(e.trainLoss[r]), num(e.testLoss[r]), num(e.trainAccuracy[r]), num(e.testAccuracy[r])])].join(','));
  return `${header.map(q).join(',')}\n${rows.join('\n')}\n`;
}
