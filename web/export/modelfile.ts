// Model + weights as a JSON file (Export model / Import model), and the loss history as CSV.
//   {"format": "normlab-model", "version": 1, "config": <the lab's settings>, "steps": 1600,
//    "runs": [{"name": "BatchNorm", "state": {"0.weight": [...], ...}}, ...]}
// parseModelFile names the first problem it finds and the field it is in; the page then changes nothing. It reads
// version 1 only (the number: not "1", not 1.5). The settings are read as a link's are, except the points of
// your own (config.data.own), which the file carries whole — however many, on the link's grid or not. A file
// without config.training.sampler (from before the Batches setting) had shuffled batches.
import type { LabConfig } from '../state/config';
import type { EpochPoint } from '../engine/protocol';
import type { ExportPayload } from './pytorch';
import { decodeHash, encodeHash, rejectedText } from '../state/urlstate.js';
import { checkOwnPoints } from '../state/ownpoints.js';
import { echo, show } from '../state/untrusted.js';

export const MODEL_VERSION = 1;

export interface ModelFile {
  format: 'normlab-model';
  version: typeof MODEL_VERSION;
  config: LabConfig;
  steps: number;
  runs: { name: string; state: Record<string, number[]> }[];
}

export function modelFileJson(p: ExportPayload): string {
  const file: ModelFile = {
    format: 'normlab-model', version: MODEL_VERSION, config: p.config, steps: p.steps,
    runs: p.runs.map((r) => ({ name: r.name, state: Object.fromEntries(r.state.map(([k, v]) => [k, v.map((x) => Number(Math.fround(x).toPrecision(9)))])) })),
  };
  return JSON.stringify(file);
}

// A refused file: the field it is about (FILE for a file that is not JSON) and the message, which names it.
export interface ModelFileError {
  field: string;
  error: string;
}
const FILE = 'model file';
const refuse = (field: string, reason: string): ModelFileError =>
  ({ field, error: field === FILE ? `${FILE}: ${reason}` : `${FILE}: ${field}: ${reason}` });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseModelFile(text: string): { file: ModelFile } | ModelFileError {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return refuse(FILE, `not JSON (${echo(e instanceof Error ? e.message : String(e))})`);
  }
  if (!isObject(data) || data.format !== 'normlab-model') return refuse('format', 'not a normlab model file (expected "format": "normlab-model")');
  const f = data as Partial<Record<keyof ModelFile, unknown>>;
  if (f.version !== MODEL_VERSION) {
    const newer = typeof f.version === 'number' && Number.isInteger(f.version) && f.version > MODEL_VERSION;
    return refuse('version', newer ? `${f.version} is newer than this normlab reads (${MODEL_VERSION})`
      : `must be the number ${MODEL_VERSION}, got ${show(f.version)}`);
  }
  if (f.steps !== undefined && !(Number.isSafeInteger(f.steps) && (f.steps as number) >= 0))
    return refuse('steps', `must be an integer ≥ 0, got ${show(f.steps)}`);
  // The settings go through the same checks as a link; the points of your own beside it (a file from before
  // them has none).
  const settings = isObject(f.config) && isObject(f.config.data) ? f.config.data : null;
  const own = settings && 'own' in settings ? checkOwnPoints(settings.own) : { own: { x: [], y: [] } };
  if ('reason' in own) return refuse(own.field ? `config.data.own.${own.field}` : 'config.data.own', own.reason);
  let config: LabConfig;
  try {
    const linkable = settings ? { ...(f.config as LabConfig), data: { ...(settings as LabConfig['data']), own: { x: [], y: [] } } } : f.config as LabConfig;
    // A file from before the Batches setting has no sampler: its batches were shuffled.
    const training = (linkable as { training?: unknown }).training;
    if (isObject(training) && !('sampler' in training)) linkable.training = { ...(training as LabConfig['training']), sampler: 'shuffle' };
    const d = decodeHash(encodeHash(linkable, 'en'), own.own);
    if (d.rejected.length) return refuse('config', rejectedText(d.rejected));
    config = d.config;
  } catch {
    return refuse('config', 'missing or malformed');
  }
  if (!Array.isArray(f.runs) || f.runs.length !== config.runs.length)
    return refuse('runs', `expected ${config.runs.length} runs with weights, as in config`);
  for (const [i, r] of (f.runs as unknown[]).entries()) {
    if (!isObject(r) || !isObject(r.state)) return refuse(`runs[${i}].state`, 'missing');
    for (const [k, v] of Object.entries(r.state))
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) return refuse(`runs[${i}].state["${echo(k)}"]`, 'not a list of numbers');
  }
  return { file: { format: 'normlab-model', version: MODEL_VERSION, config, steps: (f.steps as number | undefined) ?? 0, runs: f.runs as ModelFile['runs'] } };
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
