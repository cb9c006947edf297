// npm run bench: normlab's wasm module (node), PyTorch eager (python3-torch) and TF.js (wasm backend, node)
// on the same workloads and data, in one run. Prints a table of medians with ratios and the goals of
// issue 7, then normlab's step time in the first and the 300th epoch of a long training (issue 12), and
// writes bench/results.json, bench/results.md and docs/benchmarks-scaling.svg.
//   node bench/run.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModule, runLongTraining, runNormlab } from './normlab_bench.mjs';
import { scalingSvg } from './svg.mjs';
import { playRatios, playRows } from './play.mjs';

const quick = process.argv.includes('--quick');
const here = (p) => new URL(p, import.meta.url).pathname;

// The lesson's data: make_moons(2000, noise=0.2, random_state=0), all of it for training.
const dataSpec = { type: 'moons', points: 2000, noise: 0.2, seed: 0, test_fraction: 0 };
const M = await loadModule();
const lab = new M.Lab();
lab.setData(JSON.stringify(dataSpec));
const train = lab.trainData();
lab.delete();

const lesson = ['none', 'batchnorm', 'layernorm'].map((norm) => ({ name: `lesson-${norm}`, norm, width: 64, batch: 64, steps: quick ? 100 : 500 }));
const sizes = [8, 16, 32, 64, 128, 256];
const rowsPerRun = quick ? 3200 : 16000;
const batchSweep = sizes.map((b) => ({ name: `batch-${b}`, norm: 'batchnorm', width: 64, batch: b, steps: Math.max(30, Math.round(rowsPerRun / b)) }));
const widthSweep = sizes.map((w) => ({ name: `width-${w}`, norm: 'batchnorm', width: w, batch: 64, steps: Math.max(30, Math.round((quick ? 100 : 400) * 64 / Math.max(w, 64))) }));
const spec = {
  dataSpec,
  data: { x: Array.from(train.x), y: Array.from(train.y) },
  repeats: quick ? 3 : 5,
  warmup: quick ? 30 : 100,
  workloads: [...lesson, ...batchSweep, ...widthSweep],
  grid: { norm: 'batchnorm', width: 64, w: 200, h: 200, x0: -2, x1: 3, y0: -1.5, y1: 2 },
  // The lesson's three models trained 300 epochs: epoch 1 against epoch 300 (normlab only).
  long: { epochs: 300, repeats: quick ? 5 : 11, norms: ['none', 'batchnorm', 'layernorm'] },
};
const specFile = join(mkdtempSync(join(tmpdir(), 'normlab-bench-')), 'spec.json');
writeFileSync(specFile, JSON.stringify(spec));

function external(label, cmd, args) {
  console.error(`… ${label}`);
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    console.error(`${label} failed: ${e.message}`);
    return null;
  }
}

console.error('… normlab (wasm, node)');
const normlab = await runNormlab(spec);
console.error(`… normlab, ${spec.long.epochs} epochs of each lesson model`);
const long = await runLongTraining(spec);
const torch = external('PyTorch eager', process.env.PYTHON ?? '/usr/bin/python3', [here('torch_bench.py'), specFile]);
const tfjs = external('TF.js (wasm backend)', process.execPath, [here('tfjs_bench.mjs'), specFile]);

const get = (impl, name) => impl?.results.find((r) => r.name === name);
const us = (impl, name) => get(impl, name)?.us_per_step;
const ms = (impl) => get(impl, 'grid')?.ms;
const fmt = (v, d = 1) => (v === undefined || v === null ? '—' : v.toFixed(d));
const ratio = (a, b) => (a && b ? `${(b / a).toFixed(1)}×` : '—');

const goals = { 'lesson-none': 90, 'lesson-batchnorm': 100, 'lesson-layernorm': 110 };
const rows = [];
rows.push('| workload | normlab (wasm) | PyTorch eager | TF.js wasm | vs PyTorch | vs TF.js | goal |');
rows.push('|---|---|---|---|---|---|---|');
for (const w of [...lesson, ...batchSweep, ...widthSweep]) {
  const n = us(normlab, w.name), t = us(torch, w.name), f = us(tfjs, w.name);
  const goal = goals[w.name] ? `≤ ${goals[w.name]} µs ${n <= goals[w.name] ? '✓' : '✗'}; ≥ 8× ${t / n >= 8 ? '✓' : '✗'}; ≥ 25× ${f / n >= 25 ? '✓' : '✗'}` : '';
  rows.push(`| ${w.name} (µs/step) | ${fmt(n)} | ${fmt(t)} | ${fmt(f)} | ${ratio(n, t)} | ${ratio(n, f)} | ${goal} |`);
}
const g = ms(normlab);
rows.push(`| 200×200 grid, eval (ms) | ${fmt(g)} | ${fmt(ms(torch))} | ${fmt(ms(tfjs))} | ${ratio(g, ms(torch))} | ${ratio(g, ms(tfjs))} | ≤ 18 ms ${g <= 18 ? '✓' : '✗'} |`);
console.error('… full-speed play vs training');
const play = await playRatios(M, { steps: quick ? 200 : 400, repeats: quick ? 1 : 3 });
rows.push(...playRows(play));
const heap = get(normlab, 'heap');
const heapDelta = heap.after_bytes - heap.before_bytes;
rows.push(`| heap after 10⁵ steps + 1,000 resets | ${heapDelta >= 0 ? '+' : ''}${heapDelta} bytes | | | | | ± 1 MB ${Math.abs(heapDelta) <= 1 << 20 ? '✓' : '✗'} |`);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}` +
  (torch ? `, torch ${torch.version} (${torch.threads} threads)` : '') + (tfjs ? `, tfjs ${tfjs.version}${tfjs.simd ? ' (SIMD)' : ''} via ${tfjs.api}` : '');
const longRows = [`| ${spec.long.epochs} epochs, normlab (wasm) | epoch 1 (µs/step) | epoch ${spec.long.epochs} (µs/step) | ratio | goal |`, '|---|---|---|---|---|'];
for (const r of long) {
  longRows.push(`| ${r.name.replace('long-', 'lesson-')} | ${fmt(r.first_us)} | ${fmt(r.last_us)} | ${r.ratio.toFixed(2)}× | ≤ 1.15× ${r.ratio <= 1.15 ? '✓' : '✗'} |`);
}
const table = `${rows.join('\n')}\n\nMedians of ${spec.repeats} runs; ${machine}; ${new Date().toISOString().slice(0, 10)}.\n\n` +
  `${longRows.join('\n')}\n\nMedian steps: ${spec.long.repeats} times the first epoch, from a reset, alternating step by step with ` +
  `epochs ${spec.long.epochs}–${spec.long.epochs + spec.long.repeats - 1} of a run trained ${spec.long.epochs - 1} epochs (${long[0]?.steps} steps each).\n`;
console.log(`\n${table}`);
writeFileSync(here('results.json'), JSON.stringify({ date: new Date().toISOString(), machine, spec: { ...spec, data: undefined }, normlab, long, torch, tfjs, play }, null, 1));
writeFileSync(here('results.md'), table);
writeFileSync(here('../docs/benchmarks-scaling.svg'), scalingSvg({ sizes, impls: [['normlab (wasm)', normlab], ['PyTorch eager', torch], ['TF.js wasm', tfjs]] }));
console.error('wrote bench/results.json, bench/results.md, docs/benchmarks-scaling.svg');
