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
  <div class="brand"><h1 data-i18n="title">normlab</h1> <p class="tagline" data-i18n="tagline"></p></div>
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
    <button type="button" id="btn-settings" class="settings-toggle" aria-expanded="false" aria-controls="settings" aria-label="Settings" data-i18n-label="settings" data-panel="controls"><span aria-hidden="true">☰</span> <span data-i18n="settings">Settings</span></button>
    <div class="transport">
      <button type="button" id="btn-reset" data-i18n="reset">Reset</button>
      <button type="button" id="btn-play" class="primary" data-i18n="play">Play</button>
      <button type="button" id="btn-step" data-i18n="step">Step</button>
      <button type="button" id="btn-epoch" data-i18n="epoch">Epoch</button>
    </div>
    <output id="status" role="status" aria-live="polite" class="status"></output>
    <div class="speed"><label for="speed" data-i18n="speed">Speed</label><input type="range" id="speed" min="0" max="6" step="1" value="6"><span id="speed-value" class="speed-value" aria-hidden="true"></span></div>
    <div class="toolbar-end" data-panel="controls">
      <div class="field preset-field"><label for="preset" data-i18n="preset">Preset</label><select id="preset"></select></div>
      <div class="menu">
        <button type="button" id="btn-share" aria-expanded="false" aria-controls="share-menu"><span data-i18n="share">Share</span> <span aria-hidden="true">▾</span></button>
        <div id="share-menu" class="menu-list" role="group" aria-label="Share and export" data-i18n-label="shareExport" hidden>
          <button type="button" id="btn-copy-link" data-i18n="copyLink">Copy link</button>
          <button type="button" id="btn-export" data-i18n="exportPytorch">Export PyTorch</button>
          <button type="button" id="btn-export-model" data-i18n="exportModel">Export model</button>
          <label class="file-button"><span data-i18n="importModel">Import model</span><input type="file" id="import-model" accept=".json,application/json"></label>
          <button type="button" id="btn-export-csv" data-i18n="exportCsv">Export losses (CSV)</button>
        </div>
      </div>
      <span id="link-feedback" class="link-feedback" aria-live="polite"></span>
    </div>
  </section>

  <div class="lab">
    <aside id="settings" class="settings" aria-labelledby="settings-heading" data-panel="controls">
      <div class="sheet-head">
        <h2 id="settings-heading" data-i18n="settings">Settings</h2>
        <button type="button" id="btn-settings-close" class="sheet-close" data-i18n="close">Close</button>
      </div>
      <form id="controls" class="controls" novalidate>
        <fieldset>
          <legend data-i18n="data">Data</legend>
          <div id="dataset-pictures" class="dataset-pictures" role="group" aria-label="Pick by picture" data-i18n-label="datasetPictures"></div>
          <div class="field"><label for="dataset" data-i18n="dataset">Dataset</label><select id="dataset" data-key="data.type"></select></div>
          <div id="own-points" class="own-points" hidden>
            <div class="own-class" role="radiogroup" aria-labelledby="own-class-label">
              <span id="own-class-label" data-i18n="ownClass">New points</span>
              <label><input type="radio" name="own-class" value="0" checked><span class="swatch c0"></span><span data-i18n="class0">class 0</span></label>
              <label><input type="radio" name="own-class" value="1"><span class="swatch c1"></span><span data-i18n="class1">class 1</span></label>
            </div>
            <p class="why" data-i18n="ownHint"></p>
          </div>
          <div class="own-actions">
            <button type="button" id="btn-own-clear" data-i18n="clearPoints">Clear</button>
            <label class="file-button"><span data-i18n="uploadCsv">Upload CSV</span><input type="file" id="own-csv" accept=".csv,text/csv,text/plain"></label>
          </div>
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
          <div class="field"><label for="init-scale" data-i18n="initScale">Init scale</label><input id="init-scale" type="number" data-key="model.initScale"></div>
        </fieldset>
        <fieldset>
          <legend data-i18n="training">Training</legend>
          <div class="field"><label for="optimizer" data-i18n="optimizer">Optimizer</label><select id="optimizer" data-key="training.optimizer"></select></div>
          <div class="field"><label for="lr" data-i18n="learningRate">Learning rate</label><input id="lr" type="number" data-key="training.lr"></div>
          <div class="field"><label for="batch-size" data-i18n="batchSize">Batch size</label><input id="batch-size" type="number" data-key="training.batchSize"></div>
          <div class="field"><label for="batches" data-i18n="batches">Batches</label><select id="batches" data-key="training.sampler"></select></div>
          <div class="field"><label for="epochs" data-i18n="epochs">Epochs</label><input id="epochs" type="number" data-key="training.epochs"></div>
          <div class="field"><label for="weight-decay" data-i18n="weightDecay">Weight decay</label><input id="weight-decay" type="number" data-key="training.weightDecay"></div>
          <div class="field"><label for="seed" data-i18n="seed">Seed</label><input id="seed" type="number" data-key="training.seed"></div>
        </fieldset>
        <p id="page-error" class="error" hidden></p>
      </form>
    </aside>
    <div class="sheet-backdrop" id="settings-backdrop" hidden></div>

    <section class="runs-panel" aria-labelledby="runs-heading" data-panel="boundary">
      <h2 id="runs-heading" class="visually-hidden" data-i18n="boundaries">Decision boundaries</h2>
      <div id="runs" class="runs"></div>
      <div class="runs-notes">
        <div class="caption-panel" data-panel="caption">
          <fieldset id="predict" class="predict" hidden>
            <legend id="predict-question"></legend>
            <div id="predict-choices" class="predict-choices"></div>
            <p id="predict-hint" class="why"></p>
            <p id="predict-verdict" class="predict-verdict" role="status" hidden></p>
          </fieldset>
          <p id="preset-caption" class="caption" hidden></p>
          <button type="button" id="predict-start" class="link-button" hidden></button>
        </div>
        <div class="runs-side">
          <div class="runs-actions">
            <button type="button" id="btn-add-run" data-i18n="addRun">Add run</button>
            <p class="point-legend" aria-hidden="true"><span class="dot filled"></span> <span data-i18n="legendTrain"></span> <span class="dot ring"></span> <span data-i18n="legendTest"></span></p>
          </div>
          <fieldset class="boundary-mode" data-panel="boundary-mode">
            <legend data-i18n="boundaryMode">BatchNorm boundary uses</legend>
            <label><input type="radio" name="boundary-mode" value="eval" checked> <span data-i18n="evalMode"></span></label>
            <label><input type="radio" name="boundary-mode" value="train"> <span data-i18n="trainMode"></span></label>
            <details class="why-more"><summary data-i18n="why">Why?</summary><p class="why" data-i18n="boundaryWhy"></p></details>
          </fieldset>
        </div>
      </div>
    </section>

    <div class="output">
      <figure class="chart" data-panel="loss">
        <div class="chart-head">
          <h2 data-i18n="loss">Loss</h2>
          <div class="chart-tools">
            <span class="smoothing"><label for="smoothing" data-i18n="smoothing">Smoothing</label><input type="range" id="smoothing" min="0" max="0.99" step="0.01" value="0.6"><span id="smoothing-value" class="slider-value" aria-hidden="true">0.60</span></span>
            <label class="check"><input type="checkbox" id="log-scale"> <span data-i18n="logScale">Log scale</span></label>
            <button type="button" class="png" id="png-loss" data-i18n="png">PNG</button>
          </div>
        </div>
        <div class="chart-box"><canvas id="loss-chart" role="img"></canvas></div>
        <div id="loss-legend" class="chart-legend"></div>
      </figure>
      <figure class="chart" data-panel="accuracy">
        <div class="chart-head"><h2 data-i18n="accuracy">Accuracy</h2><div class="chart-tools"><button type="button" class="png" id="png-accuracy" data-i18n="png">PNG</button></div></div>
        <div class="chart-box"><canvas id="accuracy-chart" role="img"></canvas></div>
      </figure>
    </div>
  </div>

  <section id="inside" class="inside" aria-labelledby="inside-heading" data-panel="network">
    <div class="section-head">
      <h2 id="inside-heading" data-i18n="insideTitle">Inside the network</h2>
      <div class="inside-tools">
        <div class="field"><label for="inside-run" data-i18n="insideRun">Run</label><select id="inside-run"></select></div>
        <label class="check"><input type="checkbox" id="inside-all"> <span data-i18n="insideAll">Show all units</span></label>
        <button type="button" id="inside-png" data-i18n="savePng">Save PNG</button>
      </div>
    </div>
    <p class="why" data-i18n="insideWhat"></p>
    <div class="inside-grid">
      <div class="inside-net">
        <div class="network-scroll" role="region" tabindex="0" aria-labelledby="inside-network-label">
          <span id="inside-network-label" class="visually-hidden" data-i18n="insideNetwork">The units of the network</span>
          <div id="network" class="network"></div>
        </div>
        <p id="inside-info" class="inside-info" aria-live="polite"></p>
      </div>
      <div class="inside-hidden" role="group" aria-labelledby="hidden-heading">
        <h3 id="hidden-heading" data-i18n="hiddenTitle">Hidden space</h3>
        <div class="hidden-tools">
          <div class="field"><label for="hidden-layer" data-i18n="hiddenLayer">Layer</label><select id="hidden-layer"></select></div>
          <div class="field"><label for="hidden-x" data-i18n="hiddenX">Across: unit</label><select id="hidden-x"></select></div>
          <div class="field"><label for="hidden-y" data-i18n="hiddenY">Up: unit</label><select id="hidden-y"></select></div>
        </div>
        <div id="hidden-space" class="hidden-space"></div>
        <p class="why" data-i18n="hiddenWhat"></p>
      </div>
    </div>
    <div class="hist-head">
      <h3 data-i18n="insideHistTitle">Distributions on the last batch</h3>
      <div class="field"><label for="hist-unit" data-i18n="histUnit">Line: one unit</label><select id="hist-unit"></select></div>
    </div>
    <p class="why" data-i18n="histHow"></p>
    <div id="inside-histograms" class="inside-histograms"></div>
    <h3 id="trace-heading" data-i18n="traceTitle">Traced point</h3>
    <div class="trace-pick"><p class="why" data-i18n="traceHow"></p><div class="field"><label for="trace-index" data-i18n="tracePick">Training point</label><input type="number" id="trace-index" min="1" step="1"></div></div>
    <div id="trace" class="trace" role="region" aria-labelledby="trace-heading" aria-live="polite"></div>
  </section>

  <div class="below">
    <section class="code-panel" aria-labelledby="code-heading" data-panel="code">
      <h2 id="code-heading" data-i18n="pytorchCode">PyTorch code</h2>
      <p class="why" data-i18n="codeWhat"></p>
      <div class="code-scroll" tabindex="0" role="region" aria-labelledby="code-heading"><table id="code-table" class="code-table"><tbody></tbody></table></div>
    </section>
    <section class="perf" aria-labelledby="perf-heading" data-panel="performance">
      <div class="section-head">
        <h2 id="perf-heading" data-i18n="performance">Performance</h2>
        <button type="button" id="btn-measure" data-i18n="measure">Measure</button>
      </div>
      <p class="why" data-i18n="perfWhat"></p>
      <dl id="perf-results" class="perf-results"></dl>
      <p class="keys" data-i18n="keys"></p>
    </section>
  </div>

  <section id="lessons" class="lessons" aria-labelledby="lessons-heading" data-panel="lessons"></section>
</main>
`;
