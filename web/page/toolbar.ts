// The lab's buttons outside the settings form: Step, Epoch, Play/Pause, Reset and their keys (Space, →, R), the
// status line, the Speed slider, the Share menu (Copy link, Export PyTorch / model / losses (CSV), Import
// model), the charts' PNG buttons, log scale and smoothing, the boundaries' train/eval mode, and the
// Performance panel's Measure with its results. It holds no state of the lab: whatever changes the lab, it
// asks the app for.
import type { BenchmarkResult } from '../engine/protocol';
import type { Strings } from '../i18n';
import { parseModelFile, type ModelFile } from '../export/modelfile';
import { downloadText, el, savePng } from '../views/dom';
import { disclosure } from '../views/disclosure';
import type { Scope } from './markup';

// The Speed slider's stops, in training steps per second; null: as fast as the machine allows.
export const SPEEDS: (number | null)[] = [1, 3, 10, 30, 100, 300, null];

export interface ToolbarHost {
  strings(): Strings;
  playing(): boolean;
  play(): void;
  pause(): void;
  step(unit: 'step' | 'epoch'): void;
  reset(): void;
  link(): string;                                // Copy link: the running lab's link
  linkNote(): string | null;                     // what the link leaves out (your own points, when too many)
  lossCsv(): string;                             // Export losses (CSV)
  exportFile(format: 'pytorch' | 'model'): void; // the worker sends the file's contents
  importModel(file: ModelFile): void;            // a well-formed model file (a bad one is only reported)
  measure(): void;                               // the Performance panel's timing, on the worker
  boundaryMode(trainBatch: boolean): void;
  logScale(on: boolean): void;
  smoothing(weight: number): void;               // the loss chart's exponential moving average
  chartImage(chart: 'loss' | 'accuracy'): HTMLCanvasElement; // a chart with its legend, for Save PNG
  speed(stepsPerSecond: number | null): void;    // null: full speed
  notify(text: string): void;
  presetName(id: string): string;                // a preset's name in the page's language
}

export class Toolbar {
  private benchmark: BenchmarkResult | null = null;
  private liveShare: number | null = null;
  private firstPaintMs: number | null = null; // when the first boundary was painted, after navigation start
  private failed = false; // no worker can run: the transport is disabled for good

  // keys: where the keys are listened to (until `signal` aborts).
  constructor(private scope: Scope, private host: ToolbarHost, keys: EventTarget, signal: AbortSignal) {
    const $ = scope.byId;
    $('btn-play').addEventListener('click', () => this.togglePlay());
    $('btn-step').addEventListener('click', () => host.step('step'));
    $('btn-epoch').addEventListener('click', () => host.step('epoch'));
    $('btn-reset').addEventListener('click', () => host.reset());
    keys.addEventListener('keydown', (event) => {
      const e = event as KeyboardEvent;
      const t = e.composedPath()[0] as HTMLElement; // the real target, also inside a shadow root
      if (this.failed || e.ctrlKey || e.metaKey || e.altKey || t.closest('input, select, textarea, button, [contenteditable]')) return;
      if (e.key === ' ') { e.preventDefault(); this.togglePlay(); }
      else if (e.key === 'ArrowRight') { e.preventDefault(); host.step('step'); }
      else if (e.key === 'r' || e.key === 'R') { e.preventDefault(); host.reset(); }
    }, { signal });
    const share = disclosure($<HTMLButtonElement>('btn-share'), $('share-menu'), signal, { dismissable: true });
    $('share-menu').addEventListener('click', (e) => { if ((e.target as Element).closest('button')) share.close(true); });
    $('import-model').addEventListener('change', () => share.close(true));
    const speed = $<HTMLInputElement>('speed');
    speed.addEventListener('input', () => {
      host.speed(SPEEDS[Number(speed.value)] ?? null);
      this.showSpeed();
    });
    const smoothing = $<HTMLInputElement>('smoothing');
    smoothing.addEventListener('input', () => {
      host.smoothing(Number(smoothing.value));
      $('smoothing-value').textContent = Number(smoothing.value).toFixed(2);
    });
    $('btn-copy-link').addEventListener('click', async () => {
      const link = host.link();
      const feedback = $('link-feedback');
      try {
        await navigator.clipboard.writeText(link);
        feedback.textContent = host.linkNote() ?? host.strings().linkCopied;
      } catch {
        feedback.textContent = link; // no clipboard access: show the link to copy by hand
      }
    });
    $('btn-export').addEventListener('click', () => host.exportFile('pytorch'));
    $('png-loss').addEventListener('click', () => savePng(host.chartImage('loss'), 'normlab_loss.png'));
    $('png-accuracy').addEventListener('click', () => savePng(host.chartImage('accuracy'), 'normlab_accuracy.png'));
    $('btn-export-model').addEventListener('click', () => host.exportFile('model'));
    $('btn-export-csv').addEventListener('click', () => downloadText('normlab_losses.csv', host.lossCsv(), 'text/csv'));
    $<HTMLInputElement>('import-model').addEventListener('change', async (e) => {
      const input = e.target as HTMLInputElement;
      const text = await input.files?.[0]?.text();
      input.value = '';
      if (text === undefined) return;
      const parsed = parseModelFile(text);
      if ('error' in parsed) host.notify(parsed.error); // nothing changes
      else host.importModel(parsed.file);
    });
    $('btn-measure').addEventListener('click', () => {
      const button = $<HTMLButtonElement>('btn-measure');
      button.disabled = true;
      button.textContent = host.strings().measuring;
      host.measure();
    });
    scope.all<HTMLInputElement>('input[name="boundary-mode"]').forEach((r) =>
      r.addEventListener('change', () => host.boundaryMode(r.value === 'train' && r.checked)));
    $<HTMLInputElement>('log-scale').addEventListener('change', (e) => host.logScale((e.target as HTMLInputElement).checked));
  }

  private togglePlay() {
    if (this.host.playing()) this.host.pause();
    else this.host.play();
  }

  showButtons(playing: boolean, done: boolean) {
    const $ = this.scope.byId, s = this.host.strings();
    const btn = $<HTMLButtonElement>('btn-play');
    btn.textContent = playing ? s.pause : s.play;
    btn.setAttribute('aria-pressed', String(playing));
    btn.disabled = this.failed || (done && !playing);
    $<HTMLButtonElement>('btn-step').disabled = this.failed || done;
    $<HTMLButtonElement>('btn-epoch').disabled = this.failed || done;
    $<HTMLButtonElement>('btn-reset').disabled = this.failed;
  }

  showStatus(epoch: number, step: number, done: boolean) {
    const s = this.host.strings();
    this.scope.byId('status').textContent = this.failed ? s.statusFailed : s.status(epoch, step) + (done ? ` · ${s.statusDone}` : '');
  }

  // No worker can run here: Reset, Play, Step and Epoch are disabled, and the status says so.
  showFailed() {
    this.failed = true;
    this.showButtons(false, true);
    this.showStatus(0, 0, false);
  }

  showLoading() {
    this.scope.byId('status').textContent = this.host.strings().loading;
  }

  private showSpeed() {
    const speed = this.scope.byId<HTMLInputElement>('speed');
    const text = this.host.strings().speedValue(SPEEDS[Number(speed.value)] ?? null);
    this.scope.byId('speed-value').textContent = text;
    speed.setAttribute('aria-valuetext', text);
  }

  showBenchmark(r: BenchmarkResult) {
    const s = this.host.strings();
    this.benchmark = r;
    this.showPerf();
    const button = this.scope.byId<HTMLButtonElement>('btn-measure');
    button.disabled = false;
    button.textContent = s.measure;
  }

  // While playing: the share of the worker's time spent training (the rest draws boundaries and posts frames).
  showTrainingShare(share: number) {
    if (!Number.isFinite(share)) return;
    this.liveShare = share;
    this.showPerf();
  }

  showFirstPaint(ms: number) {
    this.firstPaintMs = ms;
    this.showPerf();
  }

  private showPerf() {
    const s = this.host.strings(), r = this.benchmark;
    const rows: [string, string][] = r ? [
      [s.perfExperiment, `${r.experimentSeconds.toFixed(2)} s`],
      [s.perfSteps, `${Math.round(r.stepsPerSecond).toLocaleString()}`],
      [s.perfStep, `${r.usPerRunStep.toFixed(0)} µs`],
      [s.perfGrid, `${r.gridMs.toFixed(1)} ms`],
      ...r.play.map((p): [string, string] => [s.perfPlay(this.host.presetName(p.preset)) + (p.inside ? s.perfWithInside : ''), `${p.ratio.toFixed(2)}× · ${s.perfShare} ${(100 * p.share).toFixed(0)}% · ${p.liveGrid}²`]),
    ] : [];
    if (this.firstPaintMs !== null) rows.push([s.perfFirstPaint, `${this.firstPaintMs.toFixed(0)} ms`]);
    if (this.liveShare !== null) rows.push([s.perfLiveShare, `${(100 * this.liveShare).toFixed(0)}%`]);
    this.scope.byId('perf-results').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', '', { textContent: k }), el('dd', '', { textContent: v })]));
  }

  // The labels of the buttons that name what they save, the speed and the Performance panel's lines.
  applyStrings(s: Strings) {
    this.scope.byId('png-loss').setAttribute('aria-label', `${s.savePng}: ${s.loss}`);
    this.scope.byId('png-accuracy').setAttribute('aria-label', `${s.savePng}: ${s.accuracy}`);
    this.scope.byId('smoothing').title = s.smoothingHint;
    const measure = this.scope.byId<HTMLButtonElement>('btn-measure');
    measure.textContent = measure.disabled ? s.measuring : s.measure;
    this.showSpeed();
    this.showPerf();
  }
}
