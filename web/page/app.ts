// The lab, mounted: one configuration object, the worker that trains, and the views that draw. The main
// thread never trains: it sends settings and commands, and draws what the worker posts, once per frame.
// mountLab runs it in a document (the page, main.ts) or in a shadow root (<norm-lab>, element.ts); each mount
// has its own workers and state, so several can run on one page.
import { ACTIVATIONS, ARCHITECTURES, DATASETS, MAX_RUNS, OPTIMIZERS, cloneConfig, defaultConfig, type LabConfig, type RunConfig } from '../state/config';
import type { ConfigError, EpochPoint, FromWorker, ToWorker } from '../engine/protocol';
import { initialLang, saveLang, strings, type Lang, type Strings } from '../i18n';
import { decodeHash, encodeHash, type Rejected } from '../state/urlstate.js';
import { PRESETS, findPreset } from '../state/presets.js';
import { applyLayout, type EmbedOptions } from './embed';
import { pytorchScript } from '../export/pytorch';
import { lossCsv, modelFileJson, parseModelFile } from '../export/modelfile';
import { explainedCode } from '../export/explain';
import { Charts } from '../views/charts';
import { RunsView, savePng } from '../views/runs';
import type { Lessons, LessonsHost } from '../lessons';
import type { BnWatch } from '../engine/protocol';
import type { Section } from '../state/urlstate';
import { LAB_HTML } from './markup';
import { trainerWorker } from '@workers';

export interface MountOptions {
  root: Document | ShadowRoot; // where the lab's ids are looked up
  container: HTMLElement;      // receives the markup
  host: HTMLElement;           // carries the data-state / data-playing attributes; receives keys
  langTarget?: HTMLElement;    // carries lang (default: host)
  standalone: boolean;         // the page: owns the URL hash and window.normlabDebug
  hash: string;                // the starting configuration, in the link format
  lang?: Lang | null;          // a fixed starting language (else the link's, the saved one, the browser's)
  layout?: EmbedOptions | null; // compact layout with only some panels
  linkBase?: string;           // Copy link: the lab page the link opens (default: this page)
  onState?: (state: LabState) => void; // after every frame
}

export interface LabState {
  step: number;
  epoch: number;
  loss: (number | null)[]; // per run, the last step's loss (null before the first step or once stopped)
}

export interface LabController {
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
  load(link: string): void; // a configuration in the link format ('preset=deep-tanh', '#v=1&data=…')
  setLang(lang: Lang): void;
  destroy(): void;
}

export function mountLab(o: MountOptions): LabController {
  o.container.innerHTML = LAB_HTML;
  const $ = <T extends HTMLElement>(id: string) => o.root.getElementById(id) as T;
  const all = <T extends Element>(selector: string) => Array.from(o.root.querySelectorAll<T>(selector));
  const host = o.host;
  let destroyed = false;
  const listeners = new AbortController(); // listeners outside the lab's own DOM, removed by destroy()

  // The link decides first: a hash restores its settings (and language); what it cannot use is reported.
  const fromLink = decodeHash(o.hash);
  let lang: Lang = o.lang ?? fromLink.lang ?? initialLang();
  let s: Strings = strings(lang);
  let applied: LabConfig = defaultConfig(); // the configuration the worker is running
  let draft: LabConfig = cloneConfig(fromLink.config); // what the controls show (may be invalid)
  let everConfigured = false; // until the worker has accepted one configuration, a bad link falls back to defaults
  let preset: string | null = fromLink.preset; // the preset the settings came from, until a control changes them
  let configId = 0;
  let playing = false;
  let done = false;
  let status = { epoch: 0, step: 0 };
  let worker: Worker;
  let seq = 0; // numbers every command; see engine/protocol.ts
  let workerReady = false;
  let perfResults: [string, string][] = [];
  let epochHistory: EpochPoint[] = []; // every completed epoch of the running lab, for the CSV
  let importing = false; // the next 'configured' comes from a model file
  let firstPaintMs: number | null = null; // when the first boundary was painted, after navigation start
  let bnWatch: BnWatch | null = null; // the BatchNorm feature the open lesson traces
  let section: Section | null = fromLink.section; // the lesson section the link opened (null: the first)

  const charts = new Charts($<HTMLCanvasElement>('loss-chart'), $<HTMLCanvasElement>('accuracy-chart'), s);
  const runsView = new RunsView($('runs'), {
    change(index, patch) {
      leavePreset();
      draft.runs[index] = { ...draft.runs[index], ...patch };
      if (patch.norm !== undefined) renderRuns(draft); // show/hide groups, placement
      submit();
    },
    remove(index) {
      if (draft.runs.length <= 1) return;
      leavePreset();
      draft.runs.splice(index, 1);
      renderRuns(draft);
      updateButtons();
      submit();
    },
  }, s);

  function renderRuns(c: LabConfig) {
    runsView.residual = c.model.architecture === 'residual';
    runsView.render(c.runs);
  }

  // ---------------------------------------------------------------------------------------------- worker

  type Command = ToWorker extends infer T ? (T extends unknown ? Omit<T, 'seq'> : never) : never;

  function send(msg: Command) {
    worker.postMessage({ ...msg, seq: ++seq } as ToWorker);
  }

  function startWorker() {
    workerReady = false;
    worker = trainerWorker();
    worker.onmessage = (e: MessageEvent<FromWorker>) => receive(e.data);
    worker.onerror = (e) => {
      e.preventDefault();
      worker.terminate();
      playing = false;
      // A worker that never started (it cannot load here) is not restarted: restarting would loop.
      if (!workerReady) {
        showNotice(s.workerFailed);
        host.dataset.state = 'fatal';
        updateButtons();
        return;
      }
      showNotice(s.workerDied);
      startWorker();
      applyDraft(applied);
    };
  }

  // A preset sets every control and resets the runs; its caption says what to look at. Changing any control
  // afterwards leaves the preset (its caption no longer describes what is running).
  function setPreset(id: string | null) {
    preset = findPreset(id) ? id : null;
    $<HTMLSelectElement>('preset').value = preset ?? '';
    showCaption();
  }

  function showCaption() {
    const caption = $('preset-caption');
    const p = findPreset(preset);
    caption.hidden = !p;
    caption.textContent = p ? p.caption[lang] : '';
  }

  function choosePreset(id: string) {
    const p = findPreset(id);
    setPreset(p ? id : null);
    if (p) applyDraft(p.config);
  }

  // Shows a whole new configuration in the controls and asks the worker to run it.
  function applyDraft(config: LabConfig) {
    draft = cloneConfig(config);
    showConfig(draft);
    renderRuns(draft);
    updateButtons();
    submit();
  }

  function leavePreset() {
    if (preset) setPreset(null);
  }

  function submit() {
    clearErrors();
    send({ type: 'configure', config: cloneConfig(draft), id: ++configId });
  }

  function receive(msg: FromWorker) {
    switch (msg.type) {
      case 'ready':
        workerReady = true;
        if (bnWatch) send({ type: 'watch', bn: bnWatch }); // a restarted worker
        host.dataset.state = 'ready';
        break;
      case 'configured': {
        if (msg.id !== configId) break; // a newer configuration is on its way
        applied = msg.config;
        epochHistory = [];
        showCode();
        if (importing) {
          importing = false;
          draft = cloneConfig(applied);
          showConfig(draft);
          setPreset(null);
        }
        everConfigured = true;
        writeLink();
        renderRuns(applied);
        const boundaries = runsView.boundaries;
        boundaries.forEach((b) => b.setData(msg.train, msg.test, msg.extent));
        charts.reset(applied.runs.map((r) => r.name));
        lessons?.configured(applied);
        done = false;
        updateButtons();
        if (playing) send({ type: 'play' }); // a new configuration keeps playing
        break;
      }
      case 'config-error':
        if (msg.id !== configId) break;
        if (!everConfigured) {
          // A link the engine cannot run (e.g. groups that do not divide the width): say why, start from the
          // defaults instead.
          reportRejected(msg.errors.map((e) => ({ field: 'link', reason: e.message })));
          applyDraft(defaultConfig());
          break;
        }
        showErrors(msg.errors);
        break;
      case 'frame': {
        status = { epoch: msg.epoch, step: msg.step };
        done = msg.done;
        if (msg.seq === seq) playing = msg.playing; // older frames were in flight before the latest command
        charts.addSteps(msg.firstStep, msg.losses);
        charts.addEpochs(msg.epochs);
        epochHistory.push(...msg.epochs);
        if (msg.step === 0) epochHistory = [];
        runsView.setStats(msg.runs);
        if (msg.step === 0 && msg.losses.every((l) => l.length === 0)) charts.reset(applied.runs.map((r) => r.name));
        if (msg.boundary) {
          const b = msg.boundary;
          runsView.boundaries.forEach((view, r) => { if (b.probs[r]) view.setProbabilities(b.probs[r], b.w, b.h, b.extent); });
        }
        lessons?.frame(msg.step, msg.diagnostics, msg.epochs, msg.bnTrace);
        updateStatus();
        updateButtons();
        o.onState?.({ step: msg.step, epoch: msg.epoch, loss: msg.runs.map((r) => (Number.isFinite(r.loss) ? r.loss : null)) });
        break;
      }
      case 'benchmark': {
        const r = msg.result;
        perfResults = [
          [s.perfExperiment, `${r.experimentSeconds.toFixed(2)} s`],
          [s.perfSteps, `${Math.round(r.stepsPerSecond).toLocaleString()}`],
          [s.perfStep, `${r.usPerRunStep.toFixed(0)} µs`],
          [s.perfGrid, `${r.gridMs.toFixed(1)} ms`],
        ];
        showPerf();
        $<HTMLButtonElement>('btn-measure').disabled = false;
        $('btn-measure').textContent = s.measure;
        break;
      }
      case 'export':
        if (msg.format === 'pytorch') download('normlab_lab.py', pytorchScript(msg.payload, lang), 'text/x-python');
        else download('normlab_model.json', modelFileJson(msg.payload), 'application/json');
        break;
      case 'import-error':
        importing = false;
        if (msg.id === configId) showNotice(msg.message);
        break;
      case 'fatal':
        showNotice(msg.message);
        host.dataset.state = 'fatal';
        break;
    }
  }

  // ------------------------------------------------------------------------------------------- controls

  type ControlPath = `${'data' | 'model' | 'training'}.${string}`;

  function controls(): HTMLElement[] {
    return all<HTMLElement>('#controls [data-key]');
  }

  function getPath(c: LabConfig, path: ControlPath): unknown {
    const [group, key] = path.split('.') as [keyof LabConfig, string];
    return (c[group] as unknown as Record<string, unknown>)[key];
  }

  function setPath(c: LabConfig, path: ControlPath, value: unknown) {
    const [group, key] = path.split('.') as [keyof LabConfig, string];
    (c[group] as unknown as Record<string, unknown>)[key] = value;
  }

  function fillSelect(id: string, values: readonly string[]) {
    const select = $<HTMLSelectElement>(id);
    select.replaceChildren(...values.map((v) => Object.assign(document.createElement('option'), { value: v })));
  }

  function showConfig(c: LabConfig) {
    for (const el of controls()) {
      const v = getPath(c, el.dataset.key as ControlPath);
      (el as HTMLInputElement | HTMLSelectElement).value = String(v);
    }
  }

  function initControls() {
    fillSelect('dataset', DATASETS);
    fillSelect('activation', ACTIVATIONS);
    fillSelect('optimizer', OPTIMIZERS);
    fillSelect('architecture', ARCHITECTURES);
    showConfig(draft);
    for (const el of controls()) {
      el.addEventListener('change', () => {
        const input = el as HTMLInputElement | HTMLSelectElement;
        const value = input instanceof HTMLInputElement && input.type === 'number' ? (input.value.trim() === '' ? NaN : Number(input.value)) : input.value;
        setPath(draft, input.dataset.key as ControlPath, value);
        leavePreset();
        submit();
      });
    }
    $('controls').addEventListener('submit', (e) => e.preventDefault());
    const presetSelect = $<HTMLSelectElement>('preset');
    presetSelect.replaceChildren(Object.assign(document.createElement('option'), { value: '' }),
      ...PRESETS.map((p) => Object.assign(document.createElement('option'), { value: p.id })));
    presetSelect.addEventListener('change', () => choosePreset(presetSelect.value));
    $('btn-add-run').addEventListener('click', () => {
      if (draft.runs.length >= MAX_RUNS) return;
      const norms: RunConfig['norm'][] = ['layernorm', 'rmsnorm', 'groupnorm', 'none', 'batchnorm'];
      const norm = norms.find((n) => !draft.runs.some((r) => r.norm === n)) ?? 'layernorm';
      const name = { none: 'No norm', batchnorm: 'BatchNorm', layernorm: 'LayerNorm', rmsnorm: 'RMSNorm', groupnorm: 'GroupNorm' }[norm];
      leavePreset();
      draft.runs.push({ name, norm, placement: 'before', groups: 8, dropout: 0 });
      renderRuns(draft);
      updateButtons();
      submit();
    });
    all<HTMLInputElement>('input[name="boundary-mode"]').forEach((r) =>
      r.addEventListener('change', () => send({ type: 'boundary', trainBatch: r.value === 'train' && r.checked })));
    $<HTMLInputElement>('log-scale').addEventListener('change', (e) => charts.setLogScale((e.target as HTMLInputElement).checked));
  }

  // Shows each error next to its control; the worker keeps running the last valid configuration.
  function showErrors(errors: ConfigError[]) {
    for (const e of errors) {
      const t = e.target;
      if (t.kind === 'run') {
        runsView.setError(t.index, t.field, e.message);
        continue;
      }
      if (t.kind === 'page') {
        const p = $('page-error');
        p.hidden = false;
        p.textContent = s.err(e.message);
        continue;
      }
      const control = o.root.querySelector<HTMLElement>(`#controls [data-key="${t.kind}.${t.field}"]`);
      if (!control) continue;
      let error = o.root.getElementById(`${control.id}-error`);
      if (!error) {
        error = Object.assign(document.createElement('p'), { id: `${control.id}-error`, className: 'error' });
        control.parentElement!.append(error);
      }
      error.hidden = false;
      error.textContent = s.err(e.message);
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', error.id);
    }
  }

  function clearErrors() {
    all<HTMLElement>('#controls .error').forEach((e) => { e.hidden = true; e.textContent = ''; });
    all('#controls [aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    runsView.clearErrors();
  }

  // ---------------------------------------------------------------------------------------- buttons, keys

  function play() {
    if (done || !workerReady) return;
    playing = true;
    send({ type: 'play' });
    updateButtons();
  }

  function pause() {
    playing = false;
    send({ type: 'pause' });
    updateButtons();
  }

  function reset() {
    playing = false;
    done = false;
    charts.reset(applied.runs.map((r) => r.name));
    runsView.boundaries.forEach((b) => b.clearProbabilities());
    send({ type: 'reset' });
    updateButtons();
  }

  function updateButtons() {
    const btn = $<HTMLButtonElement>('btn-play');
    btn.textContent = playing ? s.pause : s.play;
    btn.setAttribute('aria-pressed', String(playing));
    btn.disabled = done && !playing;
    $<HTMLButtonElement>('btn-step').disabled = done;
    $<HTMLButtonElement>('btn-epoch').disabled = done;
    $<HTMLButtonElement>('btn-add-run').disabled = draft.runs.length >= MAX_RUNS;
    host.dataset.playing = String(playing);
  }

  function updateStatus() {
    $('status').textContent = s.status(status.epoch, status.step) + (done ? ` · ${s.statusDone}` : '');
  }

  function initButtons() {
    $('btn-play').addEventListener('click', () => (playing ? pause() : play()));
    $('btn-step').addEventListener('click', () => { playing = false; send({ type: 'step', unit: 'step' }); });
    $('btn-epoch').addEventListener('click', () => { playing = false; send({ type: 'step', unit: 'epoch' }); });
    $('btn-reset').addEventListener('click', reset);
    (o.standalone ? document : host).addEventListener('keydown', (event) => {
      const e = event as KeyboardEvent;
      const t = e.composedPath()[0] as HTMLElement; // the real target, also inside a shadow root
      if (e.ctrlKey || e.metaKey || e.altKey || t.closest('input, select, textarea, button, [contenteditable]')) return;
      if (e.key === ' ') { e.preventDefault(); playing ? pause() : play(); }
      else if (e.key === 'ArrowRight') { e.preventDefault(); playing = false; send({ type: 'step', unit: 'step' }); }
      else if (e.key === 'r' || e.key === 'R') { e.preventDefault(); reset(); }
    }, { signal: listeners.signal });
    $('notice-dismiss').addEventListener('click', () => { $('notice').hidden = true; });
    $('btn-copy-link').addEventListener('click', async () => {
      writeLink();
      const feedback = $('link-feedback');
      const link = o.linkBase ? o.linkBase + encodeHash(applied, lang, preset, section) : location.href;
      try {
        await navigator.clipboard.writeText(link);
        feedback.textContent = s.linkCopied;
      } catch {
        feedback.textContent = link; // no clipboard access: show the link to copy by hand
      }
    });
    // A pasted or edited link: apply it like a new visit, without reloading.
    if (o.standalone) window.addEventListener('hashchange', () => {
      if (location.hash !== encodeHash(applied, lang, preset, section)) loadLink(location.hash);
    }, { signal: listeners.signal });
    $('btn-export').addEventListener('click', () => send({ type: 'export', format: 'pytorch' }));
    $('png-loss').addEventListener('click', () => savePng($<HTMLCanvasElement>('loss-chart'), 'normlab_loss.png'));
    $('png-accuracy').addEventListener('click', () => savePng($<HTMLCanvasElement>('accuracy-chart'), 'normlab_accuracy.png'));
    $('btn-export-model').addEventListener('click', () => send({ type: 'export', format: 'model' }));
    $('btn-export-csv').addEventListener('click', () => download('normlab_losses.csv', lossCsv(applied.runs.map((r) => r.name), epochHistory), 'text/csv'));
    $<HTMLInputElement>('import-model').addEventListener('change', async (e) => {
      const input = e.target as HTMLInputElement;
      const text = await input.files?.[0]?.text();
      input.value = '';
      if (text === undefined) return;
      const parsed = parseModelFile(text);
      if ('error' in parsed) {
        showNotice(parsed.error); // nothing changes
        return;
      }
      importing = true;
      playing = false;
      send({ type: 'import', config: parsed.file.config, states: parsed.file.runs.map((r) => r.state), id: ++configId });
    });
    $('btn-measure').addEventListener('click', () => {
      playing = false;
      $<HTMLButtonElement>('btn-measure').disabled = true;
      $('btn-measure').textContent = s.measuring;
      send({ type: 'benchmark' });
      updateButtons();
    });
  }

  // The PyTorch code panel, for the running configuration in the page's language.
  function showCode() {
    const rows = explainedCode(applied, lang).map(({ code, note }) => {
      const tr = document.createElement('tr');
      tr.append(Object.assign(document.createElement('td'), { textContent: code }), Object.assign(document.createElement('td'), { textContent: note }));
      return tr;
    });
    $('code-table').querySelector('tbody')!.replaceChildren(...rows);
  }

  function download(name: string, text: string, type: string) {
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([text], { type })), download: name });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  // The URL hash always holds the running configuration and the language (replaceState: no history flood).
  function writeLink() {
    if (!o.standalone) return;
    const hash = encodeHash(applied, lang, preset, section);
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function reportRejected(rejected: Rejected[]) {
    if (rejected.length) showNotice(`${s.linkRejected} ${rejected.map((r) => `${r.field}: ${r.reason}`).join('; ')}`);
  }

  function showNotice(text: string) {
    $('notice-text').textContent = text;
    $('notice').hidden = false;
  }

  // -------------------------------------------------------------------------------------------- language

  function applyStrings() {
    (o.langTarget ?? host).lang = lang;
    all<HTMLElement>('[data-i18n]').forEach((el) => {
      const v = s[el.dataset.i18n as keyof Strings];
      if (typeof v === 'string') el.textContent = v;
    });
    all<HTMLElement>('[data-i18n-label]').forEach((el) => {
      const v = s[el.dataset.i18nLabel as keyof Strings];
      if (typeof v === 'string') el.setAttribute('aria-label', v);
    });
    const label = (id: string, keyOf: (v: string) => keyof Strings) =>
      Array.from($<HTMLSelectElement>(id).options).forEach((o) => { o.textContent = String(s[keyOf(o.value)]); });
    label('dataset', (v) => v as keyof Strings);
    label('activation', (v) => v as keyof Strings);
    label('optimizer', (v) => v as keyof Strings);
    label('architecture', (v) => (v === 'mlp' ? 'archMlp' : 'archResidual'));
    Array.from($<HTMLSelectElement>('preset').options).forEach((o) => {
      o.textContent = o.value ? findPreset(o.value)!.name[lang] : s.customSettings;
    });
    showCaption();
    $('png-loss').setAttribute('aria-label', `${s.savePng}: ${s.loss}`);
    $('png-accuracy').setAttribute('aria-label', `${s.savePng}: ${s.accuracy}`);
    $('loss-chart').setAttribute('aria-label', s.lossChart);
    $('accuracy-chart').setAttribute('aria-label', s.accuracyChart);
    $('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
    $('lang-ja').setAttribute('aria-pressed', String(lang === 'ja'));
    runsView.applyStrings(s);
    charts.setStrings(s);
    lessons?.applyStrings(lang);
    if (everConfigured) showCode();
    updateButtons();
    updateStatus();
  }

  function setLang(next: Lang) {
    lang = next;
    s = strings(lang);
    if (o.standalone) saveLang(lang);
    applyStrings();
    if (everConfigured) writeLink();
  }

  // ------------------------------------------------------------------------------------------------ frame

  // Applies a configuration in the link format (a pasted hash, or a parent frame's 'load').
  function loadLink(hash: string) {
    const d = decodeHash(hash);
    reportRejected(d.rejected);
    if (d.lang && d.lang !== lang) setLang(d.lang);
    if (d.section) { section = d.section; lessons?.open(d.section, false); }
    setPreset(d.preset);
    applyDraft(d.config);
  }

  function showPerf() {
    const dl = $('perf-results');
    const rows: [string, string][] = [...perfResults];
    if (firstPaintMs !== null) rows.push([s.perfFirstPaint, `${firstPaintMs.toFixed(0)} ms`]);
    dl.replaceChildren(...rows.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  }

  function frame() {
    if (destroyed) return;
    charts.draw();
    lessons?.draw();
    for (const b of runsView.boundaries) b.draw();
    if (firstPaintMs === null && runsView.boundaries.some((b) => b.paintedBoundary)) {
      firstPaintMs = performance.now();
      host.dataset.firstBoundaryMs = firstPaintMs.toFixed(0);
      setTimeout(() => { void loadLessons(); }, 0);
      showPerf();
    }
    requestAnimationFrame(frame);
  }

  // The lessons (their code, KaTeX, and their worker) load once the lab has painted its first boundary, and
  // only where they are shown: the lab itself starts first.
  let lessons: Lessons | null = null;
  async function loadLessons() {
    if (lessons || destroyed || (o.layout && !o.layout.show.has('lessons'))) return;
    const { Lessons } = await import('../lessons');
    if (lessons || destroyed) return;
    lessons = new Lessons($('lessons'), lessonsHost, lang);
    if (section) lessons.open(section, false);
    if (everConfigured) lessons.configured(applied);
    lessons.start();
  }
  const lessonsHost: LessonsHost = {
    config: () => cloneConfig(applied),
    choosePreset: (id) => {
      choosePreset(id);
      $('preset').scrollIntoView({ block: 'nearest' });
    },
    watch: (bn) => {
      bnWatch = bn;
      if (workerReady) send({ type: 'watch', bn });
    },
    sectionChanged: (id) => {
      section = id;
      if (everConfigured) writeLink();
    },
  };

  if (o.layout) applyLayout(o.layout, o.root, o.container, o.standalone);
  initControls();
  setPreset(preset);
  initButtons();
  renderRuns(draft);
  $('lang-en').addEventListener('click', () => setLang('en'));
  $('lang-ja').addEventListener('click', () => setLang('ja'));
  applyStrings();
  reportRejected(fromLink.rejected);
  $('status').textContent = s.loading;
  startWorker();
  submit();
  requestAnimationFrame(frame);
  if (o.standalone) {
    // A handle for tests and the curious: makes the worker fail, to see the page recover.
    (window as unknown as { normlabDebug: object }).normlabDebug = { crashWorker: () => send({ type: 'crash' }) };
  }

  return {
    play,
    pause,
    step: () => { playing = false; send({ type: 'step', unit: 'step' }); },
    reset,
    load: loadLink,
    setLang,
    destroy() {
      destroyed = true;
      listeners.abort();
      worker.onerror = null;
      worker.terminate();
      lessons?.destroy();
      charts.destroy();
      o.container.replaceChildren();
      delete host.dataset.state;
      delete host.dataset.playing;
      delete host.dataset.firstBoundaryMs;
    },
  };
}
