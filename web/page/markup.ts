// The lab's markup: one copy, mounted by the page (main.ts, into <body>) and by <norm-lab> (element.ts, into
// its shadow root). Ids are unique within one mount; labels and names are filled in by language.ts in the
// page's language.

// Lookups within one mount: the document, or a <norm-lab>'s shadow root.
export interface Scope {
  byId<T extends HTMLElement = HTMLElement>(id: string): T;
  find<T extends Element = HTMLElement>(selector: string): T | null;
  all<T extends Element = HTMLElement>(selector: string): T[];
}

// Puts the lab's markup into `container` and returns the lookups within `root`.
export function mountMarkup(root: Document | ShadowRoot, container: HTMLElement): Scope {
  container.innerHTML = LAB_HTML;
  return {
    byId: <T extends HTMLElement>(id: string) => root.getElementById(id) as T,
    find: <T extends Element>(selector: string) => root.querySelector<T>(selector),
    all: <T extends Element>(selector: string) => Array.from(root.querySelectorAll<T>(selector)),
  };
}

export const LAB_HTML = `
<header class="masthead" data-panel="header">
  <div>
    <h1 data-i18n="title">normlab</h1>
    <p class="tagline" data-i18n="tagline"></p>
  </div>
  <div class="lang" role="group" aria-label="Language" data-i18n-label="language">
    <button type="button" id="lang-en" lang="en">English</button>
    <button type="button" id="lang-ja" lang="ja">日本語</button>
  </div>
</header>

<div id="notice" class="notice" role="alert" hidden>
  <span id="notice-text"></span>
  <button type="button" id="notice-dismiss" data-i18n="dismiss">Dismiss</button>
</div>

<main>
  <section class="toolbar" aria-label="Training controls" data-panel="toolbar">
    <button type="button" id="btn-step" data-i18n="step">Step</button>
    <button type="button" id="btn-epoch" data-i18n="epoch">Epoch</button>
    <button type="button" id="btn-play" class="primary" data-i18n="play">Play</button>
    <button type="button" id="btn-reset" data-i18n="reset">Reset</button>
    <output id="status" role="status" aria-live="polite" class="status"></output>

    <span class="keys" data-i18n="keys"></span>
  </section>

  <div class="preset-row" data-panel="controls">
    <div class="field preset-field"><label for="preset" data-i18n="preset">Preset</label><select id="preset"></select></div>
    <p id="preset-caption" class="caption" hidden></p>
    <div class="share" role="group" aria-label="Share and export" data-i18n-label="shareExport">
      <button type="button" id="btn-copy-link" data-i18n="copyLink">Copy link</button>
      <button type="button" id="btn-export" data-i18n="exportPytorch">Export PyTorch</button>
      <button type="button" id="btn-export-model" data-i18n="exportModel">Export model</button>
      <label class="file-button"><span data-i18n="importModel">Import model</span><input type="file" id="import-model" accept=".json,application/json"></label>
      <button type="button" id="btn-export-csv" data-i18n="exportCsv">Export losses (CSV)</button>
      <span id="link-feedback" class="link-feedback" aria-live="polite"></span>
    </div>
  </div>

  <div class="layout">
    <form id="controls" class="controls" novalidate data-panel="controls">
      <fieldset>
        <legend data-i18n="data">Data</legend>
        <div class="field"><label for="dataset" data-i18n="dataset">Dataset</label><select id="dataset" data-key="data.type"></select></div>
        <div class="field"><label for="points" data-i18n="points">Points</label><input id="points" type="number" data-key="data.points"></div>
        <div class="field"><label for="noise" data-i18n="noise">Noise</label><input id="noise" type="number" data-key="data.noise"></div>
        <div class="field"><label for="test-fraction" data-i18n="testFraction">Test fraction</label><input id="test-fraction" type="number" data-key="data.testFraction"></div>
        <div class="field"><label for="data-seed" data-i18n="dataSeed">Data seed</label><input id="data-seed" type="number" data-key="data.seed"></div>
        <div class="field"><label for="input-scale" data-i18n="inputScale">Input scale</label><input id="input-scale" type="number" data-key="data.scale"></div>
        <div class="field"><label for="input-shift" data-i18n="inputShift">Input shift</label><input id="input-shift" type="number" data-key="data.shift"></div>
      </fieldset>
      <fieldset>
        <legend data-i18n="model">Model</legend>
        <div class="field"><label for="hidden-layers" data-i18n="hiddenLayers">Hidden layers</label><input id="hidden-layers" type="number" data-key="model.hiddenLayers"></div>
        <div class="field"><label for="width" data-i18n="width">Width</label><input id="width" type="number" data-key="model.width"></div>
        <div class="field"><label for="activation" data-i18n="activation">Activation</label><select id="activation" data-key="model.activation"></select></div>
        <div class="field"><label for="architecture" data-i18n="architecture">Architecture</label><select id="architecture" data-key="model.architecture"></select></div>
      </fieldset>
      <fieldset>
        <legend data-i18n="training">Training</legend>
        <div class="field"><label for="optimizer" data-i18n="optimizer">Optimizer</label><select id="optimizer" data-key="training.optimizer"></select></div>
        <div class="field"><label for="lr" data-i18n="learningRate">Learning rate</label><input id="lr" type="number" data-key="training.lr"></div>
        <div class="field"><label for="batch-size" data-i18n="batchSize">Batch size</label><input id="batch-size" type="number" data-key="training.batchSize"></div>
        <div class="field"><label for="epochs" data-i18n="epochs">Epochs</label><input id="epochs" type="number" data-key="training.epochs"></div>
        <div class="field"><label for="weight-decay" data-i18n="weightDecay">Weight decay</label><input id="weight-decay" type="number" data-key="training.weightDecay"></div>
        <div class="field"><label for="seed" data-i18n="seed">Seed</label><input id="seed" type="number" data-key="training.seed"></div>
      </fieldset>
      <p id="page-error" class="error" hidden></p>
    </form>

    <div class="views">
      <section aria-labelledby="runs-heading" data-panel="boundary">
        <div class="section-head">
          <h2 id="runs-heading" data-i18n="boundaries">Decision boundaries</h2>
          <button type="button" id="btn-add-run" data-i18n="addRun">Add run</button>
        </div>
        <div id="runs" class="runs"></div>
        <p class="point-legend" aria-hidden="true"><span class="dot filled"></span> <span data-i18n="legendTrain"></span> <span class="dot ring"></span> <span data-i18n="legendTest"></span></p>
        <fieldset class="boundary-mode">
          <legend data-i18n="boundaryMode">BatchNorm boundary uses</legend>
          <label><input type="radio" name="boundary-mode" value="eval" checked> <span data-i18n="evalMode"></span></label>
          <label><input type="radio" name="boundary-mode" value="train"> <span data-i18n="trainMode"></span></label>
          <p class="why" data-i18n="boundaryWhy"></p>
        </fieldset>
      </section>
      <section class="charts">
        <figure class="chart" data-panel="loss">
          <div class="chart-head"><h2 data-i18n="loss">Loss</h2><label><input type="checkbox" id="log-scale"> <span data-i18n="logScale">Log scale</span></label><button type="button" class="png" id="png-loss" data-i18n="savePng">PNG</button></div>
          <div class="chart-box"><canvas id="loss-chart" role="img"></canvas></div>
        </figure>
        <figure class="chart" data-panel="accuracy">
          <div class="chart-head"><h2 data-i18n="accuracy">Accuracy</h2><button type="button" class="png" id="png-accuracy" data-i18n="savePng">PNG</button></div>
          <div class="chart-box"><canvas id="accuracy-chart" role="img"></canvas></div>
        </figure>
      </section>
      <section class="code-panel" aria-labelledby="code-heading" data-panel="code" tabindex="0">
        <h2 id="code-heading" data-i18n="pytorchCode">PyTorch code</h2>
        <p class="why" data-i18n="codeWhat"></p>
        <table id="code-table" class="code-table"><tbody></tbody></table>
      </section>
      <section class="perf" aria-labelledby="perf-heading" data-panel="performance">
        <div class="section-head">
          <h2 id="perf-heading" data-i18n="performance">Performance</h2>
          <button type="button" id="btn-measure" data-i18n="measure">Measure</button>
        </div>
        <p class="why" data-i18n="perfWhat"></p>
        <dl id="perf-results" class="perf-results"></dl>
      </section>
    </div>
  </div>

  <section id="lessons" class="lessons" aria-labelledby="lessons-heading" data-panel="lessons"></section>
</main>
`;
