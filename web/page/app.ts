// The lab, mounted: one configuration object, the worker that trains, and the views that draw. The main
// thread never trains: it sends settings and commands, and draws what the worker posts, once per frame.
// mountLab runs it in a document (the page, main.ts) or in a shadow root (<norm-lab>, element.ts); each mount
// has its own workers and state, so several can run on one page.
// This file holds the lab's state (the applied and the draft configuration, playing, the preset, the link)
// and what a restarted worker must catch up to (connection.ts keeps the worker alive); the settings form,
// the toolbar, the language switch and the preset's question (predict.ts) show it and report what users do.
import { cloneConfig, defaultConfig, type LabConfig } from '../state/config';
import type { BnWatch, EpochPoint, FromWorker } from '../engine/protocol';
import type { BatchmatesWatch } from '../engine/batchmates';
import { addPoint, ownPointsDraft, removeNearest } from '../state/drawing';
import { MAX_LINK_POINTS, pointsInLink } from '../state/ownpoints';
import { WorkerConnection, type Command } from './connection';
import { initialLang } from '../i18n';
import { decodeHash, encodeHash, rejectedText, type LoadMode, type Rejected, type Section } from '../state/urlstate.js';
import { findPreset, matchPreset } from '../state/presets.js';
import { applyLayout, layoutPanels } from './embed';
import type { LabController, MountOptions } from './api';
import { pytorchScript } from '../export/pytorch';
import { lossCsv, modelFileJson } from '../export/modelfile';
import { Board } from './board';
import { showCode } from '../views/code';
import { downloadText } from '../views/dom';
import type { LessonsHost } from '../lessons';
import { LessonsSlot } from './lessons-slot';
import { mountMarkup } from './markup';
import { SettingsForm } from './settings';
import { Toolbar } from './toolbar';
import { LanguageSwitch } from './language';
import { PredictPanel } from './predict';
import { trainerWorker } from '@workers';
import type { ScaleAction, ScaleRequest } from '../engine/theory';

type Configured = Extract<FromWorker, { type: 'configured' }>;

export function mountLab(o: MountOptions): LabController {
  const scope = mountMarkup(o.root, o.container);
  const host = o.host;
  let destroyed = false;
  const listeners = new AbortController(); // listeners outside the lab's own DOM, removed by destroy()

  // The link decides first: a hash restores its settings (and language); what it cannot use is reported.
  const fromLink = decodeHash(o.hash);
  let applied: LabConfig = defaultConfig(); // the configuration the worker is running
  let draft: LabConfig = cloneConfig(fromLink.config); // what the controls show (may be invalid)
  let everConfigured = false; // until the worker has accepted one configuration, a bad link falls back to defaults
  // The preset the settings came from, until a control changes them (settings equal to a preset's are that preset).
  let preset: string | null = fromLink.preset ?? matchPreset(fromLink.config);
  let configId = 0;
  let playing = false;
  let done = false;
  let status = { epoch: 0, step: 0 };
  let epochHistory: EpochPoint[] = []; // every completed epoch of the running lab, for the CSV
  let importing = false; // the next 'configured' comes from a model file
  let bnWatch: BnWatch | null = null; // the BatchNorm feature the open lesson traces
  let matesWatch: BatchmatesWatch | null = null; // the training point the Batch-mates lesson follows
  let speed: number | null = null; // Play's pace in steps per second (null: full speed)
  // A restarted worker replays to the step its predecessor had reached; its 'configured' keeps the curves.
  let restoring = false;
  let resumePlaying = false; // play on once the restarted worker has caught up
  let section: Section | null = fromLink.section; // the lesson section the link opened (null: the first)
  let layout = o.layout ?? null; // the compact layout's panels (setLayout changes them)
  let draftRefused = false; // the engine refused the draft: the configuration to merge into is the applied one
  let loadId = -1; // the configuration id of the last load(): if the engine refuses it, the lab keeps the applied one
  let appliedPreset: string | null = null; // the preset of the applied configuration
  let trainBatchBoundary = false; // the BatchNorm boundary's mode (the toolbar's radio)
  let skipped: Configured | null = null; // the last configuration the worker accepted while a newer one was on its way
  let landscape = false; // the Loss landscape lesson is open: the worker measures the landscape
  let scales: ScaleAction[] = []; // Scale weights applied since the runs started (a restarted worker replays them)
  let scaleId = 0;
  const scaleRequests = new Map<number, ScaleRequest>(); // sent, not yet answered, by id

  const language = new LanguageSwitch(scope, o.lang ?? fromLink.lang ?? initialLang(), {
    target: o.langTarget ?? host,
    save: o.standalone,
    applyStrings(s, lang) {
      settings.applyStrings(s, lang, preset);
      toolbar.applyStrings(s);
      board.applyStrings(s);
      predict.applyStrings();
      lessons.ready?.applyStrings(lang);
      if (everConfigured) showCode(scope.byId('code-table'), applied, lang);
      updateButtons();
      updateStatus();
    },
    changed: () => { if (everConfigured) writeLink(); },
  });
  const strings = () => language.strings;
  const board = new Board(scope, language.strings, {
    change: (index, patch) => edit((d) => { d.runs[index] = { ...d.runs[index], ...patch }; }, patch.norm !== undefined), // norm: show/hide groups, placement
    remove: (index) => edit((d) => {
      if (d.runs.length <= 1) return false;
      d.runs.splice(index, 1);
    }, true),
    // Your own points: a click adds one of the chosen class, Shift-click removes the nearest.
    point: (x, y, remove) => edit((d) => {
      const t = d.data;
      d.data.own = remove ? removeNearest(t.own, x, y, t) : addPoint(t.own, x, y, settings.ownClass(), t);
    }),
  }, (watch) => { if (connection.ready) send({ type: 'inside', watch }); }); // (called after mount: connection exists; 'ready' resends)
  const { charts, runs: runsView } = board;
  const settings = new SettingsForm(scope, runsView, {
    edit, choosePreset: (id) => { choosePreset(id); openPresetLesson(id); }, strings, notify: showNotice,
    ownPoints: (own) => {
      edit((d) => { d.data.type = 'custom'; d.data.own = own; });
      settings.show(draft);
    },
  });
  const toolbar = new Toolbar(scope, {
    strings, playing: () => playing, play, pause, step, reset, notify: showNotice,
    presetName: (id) => findPreset(id)?.name[language.lang] ?? id,
    link: () => { writeLink(); return o.linkBase ? o.linkBase + link() : location.href; },
    linkNote: () => (pointsInLink(applied) ? null : strings().linkNoPoints(MAX_LINK_POINTS)),
    lossCsv: () => lossCsv(applied.runs.map((r) => r.name), epochHistory),
    exportFile: (format) => send({ type: 'export', format }),
    importModel: (file) => {
      importing = true;
      playing = false;
      send({ type: 'import', config: file.config, states: file.runs.map((r) => r.state), id: ++configId });
    },
    measure: () => { playing = false; send({ type: 'benchmark' }); updateButtons(); },
    boundaryMode: (trainBatch) => { trainBatchBoundary = trainBatch; send({ type: 'boundary', trainBatch }); },
    logScale: (on) => charts.setLogScale(on),
    smoothing: (weight) => charts.setSmoothing(weight),
    chartImage: (chart) => charts.image(chart),
    speed: (stepsPerSecond) => {
      speed = stepsPerSecond;
      send({ type: 'speed', stepsPerSecond });
    },
  }, o.standalone ? document : host, listeners.signal);

  const predict = new PredictPanel(scope, strings, () => { reset(); writeLink(); });
  const renderRuns = (c: LabConfig) => board.render(c, draft, applied);
  const connection = new WorkerConnection(trainerWorker, {
    receive,
    // Nothing is lost: the new worker rebuilds the running configuration and trains to the step the page
    // shows (deterministic: the same numbers), then plays on if the lab was playing.
    restarted(why) {
      showNotice(why === 'died' ? strings().workerDied : strings().workerStalled);
      resumePlaying = playing;
      playing = false;
      host.dataset.playing = 'false';
      restoring = true;
      send({ type: 'configure', config: cloneConfig(applied), id: ++configId, replay: status.step, scales });
    },
    fatal(message) { // nothing can run here: say why; the transport stays disabled
      playing = false;
      host.dataset.playing = 'false';
      showNotice(message === undefined ? strings().workerFailed : strings().moduleFailed(message));
      host.dataset.state = 'fatal';
      toolbar.showFailed();
    },
  });
  const send = (msg: Command) => connection.send(msg);

  // A preset sets every control and resets the runs; its caption says what to look at. Changing any control
  // afterwards leaves the preset (its caption no longer describes what is running).
  function setPreset(id: string | null, ask = false) {
    preset = findPreset(id) ? id : null;
    settings.showPreset(preset, language.lang);
    predict.show(preset, ask);
  }

  // A preset chosen from the menu opens the lesson its caption points to (from a lesson, the reader stays there).
  function openPresetLesson(id: string) {
    const lesson = findPreset(id)?.section;
    if (lesson) { section = lesson; lessons.ready?.open(lesson, false); }
  }

  function choosePreset(id: string) {
    const p = findPreset(id);
    setPreset(p ? id : null);
    if (p) applyDraft(p.config);
  }

  // Shows a whole new configuration in the controls and asks the worker to run it.
  function applyDraft(config: LabConfig) {
    draft = cloneConfig(config);
    settings.show(draft);
    renderRuns(draft);
    updateButtons();
    submit();
  }

  // A control changed the draft (`change` returns false if it changed nothing): it leaves the preset and runs.
  function edit(change: (draft: LabConfig) => boolean | void, runsChanged = false) {
    const wasCustom = draft.data.type === 'custom';
    if (change(draft) === false) return;
    draft = ownPointsDraft(draft, wasCustom, board.shown?.train ?? null);
    if (wasCustom !== (draft.data.type === 'custom')) runsChanged = true; // the boundaries become drawing surfaces, or stop being
    settings.showDataKind(draft);
    setPreset(matchPreset(draft));
    if (runsChanged) {
      renderRuns(draft);
      updateButtons();
    } else board.showPending(draft, applied);
    submit();
  }

  function submit() {
    settings.clearErrors();
    draftRefused = false;
    send({ type: 'configure', config: cloneConfig(draft), id: ++configId });
  }

  // The worker runs a configuration it has accepted: the running one's curves, data and code are shown.
  function configured(msg: Configured) {
    applied = msg.config;
    draftRefused = false;
    const restored = restoring; // a restarted worker caught up: the curves and the history stay
    restoring = false;
    if (!restored) epochHistory = [], scales = [];
    showCode(scope.byId('code-table'), applied, language.lang);
    if (importing) {
      importing = false;
      draft = cloneConfig(applied);
      settings.show(draft);
      setPreset(null);
    }
    appliedPreset = msg.id === configId ? preset : matchPreset(applied); // (a skipped one: not the preset shown)
    if (!everConfigured) send({ type: 'pictures' });
    everConfigured = true;
    startLessons();
    writeLink();
    board.configured(applied, { train: msg.train, test: msg.test, extent: msg.extent }, draft, !restored);
    if (!restored) lessons.ready?.configured(applied);
    done = false;
    if (restored && resumePlaying) playing = true;
    resumePlaying = false;
    if (playing) send({ type: 'play' }); // a new configuration keeps playing
    updateButtons();
  }

  function receive(msg: FromWorker) {
    switch (msg.type) {
      case 'ready':
        if (bnWatch) send({ type: 'watch', bn: bnWatch }); // a restarted worker
        if (matesWatch) send({ type: 'batchmates', watch: matesWatch });
        if (speed !== null) send({ type: 'speed', stepsPerSecond: speed });
        if (board.inside.watch) send({ type: 'inside', watch: board.inside.watch });
        if (landscape) send({ type: 'landscape', on: true });
        host.dataset.state = 'ready';
        host.dataset.playing ??= 'false';
        break;
      case 'configured':
        if (msg.id !== configId) { skipped = msg; break; } // a newer configuration is on its way
        skipped = null;
        configured(msg);
        break;
      case 'config-error':
        if (msg.id !== configId) break;
        // The worker went on with the last configuration it accepted, which the page skipped while this one was
        // on its way (loads in a row): that is what runs now, so it is shown.
        if (skipped) { configured(skipped); skipped = null; }
        if (!everConfigured) {
          // A link the engine cannot run (e.g. groups that do not divide the width): say why, start from the
          // defaults instead.
          reportRejected(msg.errors.map((e) => ({ field: 'link', reason: e.message })));
          applyDraft(defaultConfig());
          break;
        }
        draftRefused = true;
        if (msg.id === loadId) { // a loaded configuration: say why, and go on showing the one that runs
          showNotice(`${strings().loadRefused} ${msg.errors.map((e) => strings().err(e.message)).join('; ')}`);
          showApplied();
          break;
        }
        settings.showErrors(msg.errors);
        break;
      case 'frame': {
        status = { epoch: msg.epoch, step: msg.step };
        done = msg.done;
        // Older frames were in flight before the latest command. The host's data-playing is what the worker
        // does, as its answer to the latest command says (the buttons show what was asked, at once): after Pause
        // it turns false with the frame that answers it, so the numbers shown then are where the run stopped.
        if (msg.seq === connection.seq) host.dataset.playing = String(playing = msg.playing);
        epochHistory.push(...msg.epochs);
        if (msg.step === 0) epochHistory = [], scales = [];
        board.frame(msg, applied);
        predict.frame(msg.epochs, msg.done, msg.step);
        lessons.ready?.frame(msg.step, msg.diagnostics, msg.epochs, msg.bnTrace, msg);
        lessons.ready?.batchmates(msg.batchmates);
        if (msg.boundary) toolbar.showTrainingShare(msg.trainingShare);
        updateStatus();
        updateButtons();
        o.onState?.({ step: msg.step, epoch: msg.epoch, loss: msg.runs.map((r) => (Number.isFinite(r.loss) ? r.loss : null)) });
        break;
      }
      case 'benchmark':
        toolbar.showBenchmark(msg.result);
        break;
      case 'pictures':
        settings.showPictures(msg.sets);
        break;
      case 'export':
        if (msg.format === 'pytorch') downloadText('normlab_lab.py', pytorchScript(msg.payload, language.lang), 'text/x-python');
        else downloadText('normlab_model.json', modelFileJson(msg.payload), 'application/json');
        break;
      case 'scaled': {
        const request = scaleRequests.get(msg.id);
        scaleRequests.delete(msg.id);
        if (request && msg.rows.some((r) => !r.error)) scales.push({ ...request, step: msg.step });
        lessons.ready?.scaled(msg.step, msg.rows);
        break;
      }
      case 'import-error':
        importing = false;
        if (msg.id === configId) showNotice(msg.message);
        break;
    }
  }

  // ------------------------------------------------------------------------------------------- commands

  function play() {
    if (done || !connection.ready) return;
    playing = true;
    send({ type: 'play' });
    updateButtons();
    if (o.standalone) predict.nudge(); // (in a host's page, its author places the lab: no scrolling it)
  }

  function pause() {
    playing = false;
    send({ type: 'pause' });
    updateButtons();
  }

  function step(unit: 'step' | 'epoch' = 'step') {
    playing = false;
    send({ type: 'step', unit });
  }

  function reset() {
    playing = false;
    done = false;
    board.clear(applied.runs, true);
    predict.reset();
    send({ type: 'reset' });
    updateButtons();
  }

  function updateButtons() {
    toolbar.showButtons(playing, done);
    settings.showRunCount(draft.runs.length);
  }

  function updateStatus() { toolbar.showStatus(status.epoch, status.step, done); }

  function showNotice(text: string) {
    scope.byId('notice-text').textContent = text;
    scope.byId('notice').hidden = false;
  }
  scope.byId('notice-dismiss').addEventListener('click', () => { scope.byId('notice').hidden = true; });

  function reportRejected(rejected: Rejected[], mode: LoadMode = 'replace') {
    if (rejected.length) showNotice(`${mode === 'merge' ? strings().mergeRejected : strings().linkRejected} ${rejectedText(rejected)}`);
  }

  // The controls and the run cards back to the running configuration (after a load the engine refused); its
  // boundaries are drawn again (the cards are new).
  function showApplied() {
    draft = cloneConfig(applied);
    draftRefused = false;
    settings.clearErrors();
    settings.show(draft);
    setPreset(appliedPreset);
    renderRuns(draft);
    updateButtons();
    send({ type: 'boundary', trainBatch: trainBatchBoundary });
  }

  // ------------------------------------------------------------------------------------------------ link

  // The running configuration, the language, the preset and the open lesson in the link format.
  function link(): string {
    return encodeHash(applied, language.lang, preset, section, predict.asking);
  }

  // The URL hash always holds the running configuration and the language (replaceState: no history flood).
  function writeLink() {
    if (!o.standalone) return;
    const hash = link();
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  // Applies a configuration in the link format (a pasted hash, or a parent frame's 'load', with what its
  // message could not carry over into the link in `rejected`). 'replace' starts from the defaults (or preset=);
  // 'merge' from the configuration the lab is about to run (the draft, unless the engine refused it: then the
  // one it runs), so only the link's fields change.
  function loadLink(hash: string, rejected: Rejected[] = [], mode: LoadMode = 'replace') {
    const base = mode === 'merge' ? (draftRefused ? applied : draft) : null;
    const d = decodeHash(hash, null, base);
    reportRejected([...rejected, ...d.rejected], mode);
    if (d.lang && d.lang !== language.lang) language.set(d.lang);
    if (d.section) { section = d.section; lessons.ready?.open(d.section, false); }
    // A merge that changes nothing (its fields were refused, or already so) leaves the runs where they are.
    if (base && JSON.stringify(d.config) === JSON.stringify(base)) {
      if (draftRefused) showApplied(); // the controls go back to what runs
      return;
    }
    setPreset(d.preset ?? matchPreset(d.config), d.predict);
    applyDraft(d.config);
    loadId = configId;
    done = false; // a new configuration is on its way: Play may be pressed before it arrives
  }

  // The lessons start once the lab has painted its first boundary (the lab first), or once it runs a
  // configuration when no boundary is shown; only where they are shown (LessonsSlot).
  function startLessons() {
    const boundaryShown = !layout || layout.show.has('boundary');
    if (!everConfigured || (boundaryShown && !host.dataset.firstBoundaryMs)) return;
    void lessons.load(() => ({ lang: language.lang, section, config: applied }));
  }

  // ----------------------------------------------------------------------------------------------- frame

  function frame() {
    if (destroyed) return;
    const boundaryPainted = board.draw();
    lessons.ready?.draw();
    if (!host.dataset.firstBoundaryMs && boundaryPainted) {
      const ms = performance.now(); // after navigation start
      host.dataset.firstBoundaryMs = ms.toFixed(0);
      setTimeout(startLessons, 0);
      toolbar.showFirstPaint(ms);
    }
    requestAnimationFrame(frame);
  }

  // What the lessons may ask of the lab.
  const lessonsHost: LessonsHost = {
    config: () => cloneConfig(applied),
    choosePreset: (id) => {
      choosePreset(id);
      scope.byId('preset').scrollIntoView({ block: 'nearest' });
    },
    watch: (bn) => {
      bnWatch = bn;
      if (connection.ready) send({ type: 'watch', bn });
    },
    landscape: (on) => {
      if (on === landscape) return;
      landscape = on;
      if (connection.ready) send({ type: 'landscape', on });
    },
    scale: (request) => {
      scaleRequests.set(++scaleId, request);
      send({ type: 'scale', id: scaleId, ...request });
    },
    watchBatchmates: (w) => {
      matesWatch = w;
      if (connection.ready) send({ type: 'batchmates', watch: w });
    },
    sectionChanged: (id) => {
      section = id;
      if (everConfigured) writeLink();
    },
  };
  const lessons = new LessonsSlot(scope.byId('lessons'), lessonsHost, !layout || layout.show.has('lessons'));

  if (layout) applyLayout(layout, o.root, o.container, o.standalone);
  settings.bind(draft);
  setPreset(preset, fromLink.predict);
  // A pasted or edited link: apply it like a new visit, without reloading.
  if (o.standalone) window.addEventListener('hashchange', () => {
    if (location.hash !== link()) loadLink(location.hash);
  }, { signal: listeners.signal });
  renderRuns(draft);
  language.applyStrings();
  reportRejected(fromLink.rejected);
  toolbar.showLoading();
  submit();
  requestAnimationFrame(frame);
  if (o.standalone) connection.exposeDebugHandle();

  return {
    play,
    pause,
    step: () => step('step'),
    reset,
    load: loadLink,
    setLayout(show, hide) {
      if (!layout) return; // the whole page has no compact layout to change
      layout = { ...layout, show, hide };
      layoutPanels(layout, o.root, o.container);
      lessons.setShown(show.has('lessons'));
      startLessons();
    },
    setLang: (lang) => language.set(lang),
    destroy() {
      destroyed = true;
      listeners.abort();
      connection.destroy();
      lessons.destroy();
      board.destroy();
      o.container.replaceChildren();
      delete host.dataset.state;
      delete host.dataset.playing;
      delete host.dataset.firstBoundaryMs;
    },
  };
}
