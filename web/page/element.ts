// <norm-lab>: the lab as a custom element, for tutorial pages.
//   <script type="module" src="normlab-element.js"></script>
//   <norm-lab preset="deep-sigmoid" show="toolbar,boundary,loss" lang="ja" autoplay></norm-lab>
// Attributes: preset (a preset id), config (the link format, e.g. "data=spiral&width=32&run=BN~batchnorm~before~8~0"),
// show (panels: header, toolbar, controls, run-editors, boundary, boundary-mode, caption, loss, accuracy, network, code,
// performance, lessons; default toolbar, boundary, loss), hide (settings by their link keys: hide="opt,lr,wd"),
// lang (en | ja), autoplay. Each element renders in its own shadow root with its own
// workers, so several on one page train independently. Methods play(), pause(), step(), reset() (called before the
// lab is ready, they wait for it), load(config, {mode}) (config: the link format, a string or an object; mode:
// 'replace', the default, or 'merge'); a 'normlab-state' event ({step, epoch, loss}) after every frame. Changing
// show or hide changes the panels in place: the lab keeps its workers and its runs. The same script defines
// <norm-lab-steps> and <norm-lab-step> (steps.ts), a tutorial's declarative steps. The script may come from any origin that
// serves dist/ with CORS (Access-Control-Allow-Origin, as GitHub Pages sends): it finds its workers and the wasm
// module beside itself (import.meta.url) and starts the workers as engine/workers.ts explains. If they cannot
// start here, the lab says so and its buttons stay disabled.
import { mountLab } from './app';
import type { LabController } from './api';
import type { NormLabAttribute, NormLabElement as Published, NormLabState } from '../../lib/element';
import { configLink, keys, loadMode, panels, startLink } from './embed';
import { rejectedText } from '../state/urlstate.js';
import './steps'; // <norm-lab-steps> and <norm-lab-step>: one script tag gives the lab and its steps
import { setMathOutput } from '../lessons/mathmode';
import css from './style.css?inline';

const OBSERVED = ['preset', 'config', 'show', 'hide', 'lang', 'autoplay'] as const;

// The lab page beside this script (dist/index.html): where Copy link points. (A computed name, so the bundler
// does not copy the page as an asset.)
function labPage(): string {
  const page = ['index', 'html'].join('.');
  return new URL(page, import.meta.url).href;
}

// The page's stylesheet, scoped to the shadow root: :root becomes the host, the body rules the lab's box.
let sheet: CSSStyleSheet | null = null;
function styles(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(`:host { display: block; }\n${css.replaceAll(":root", ":host").replace(/(^|[}\s])body\s*\{/, "$1.normlab-root{")}`);
  }
  return sheet;
}

export class NormLabElement extends HTMLElement implements Published { // lib/element.d.ts: the package's types
  static observedAttributes: NormLabAttribute[] = [...OBSERVED];
  private lab: LabController | null = null;
  private container: HTMLElement | null = null;

  connectedCallback() {
    if (this.lab) return;
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    shadow.adoptedStyleSheets = [styles()];
    this.container = document.createElement('div');
    this.container.className = 'normlab-root';
    shadow.replaceChildren(this.container);
    setMathOutput('mathml');
    this.lab = mountLab({
      root: shadow,
      container: this.container,
      host: this,
      langTarget: this.container,
      standalone: false,
      hash: this.link(),
      lang: this.getAttribute('lang') === 'ja' ? 'ja' : this.getAttribute('lang') === 'en' ? 'en' : null,
      layout: { embedded: true, show: panels(this.getAttribute('show')), hide: keys(this.getAttribute('hide')), origins: new Set() },
      linkBase: labPage(),
      onState: (state) => this.dispatchEvent(new CustomEvent<NormLabState>('normlab-state', { detail: state })),
    });
    if (this.hasAttribute('autoplay')) this.whenReady(() => this.lab?.play());
  }

  disconnectedCallback() {
    this.lab?.destroy();
    this.lab = null;
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null) {
    if (!this.lab || old === value) return;
    if (name === 'lang' && (value === 'en' || value === 'ja')) this.lab.setLang(value);
    else if (name === 'preset' || name === 'config') this.lab.load(this.link());
    else if (name === 'show' || name === 'hide') this.lab.setLayout(panels(this.getAttribute('show')), keys(this.getAttribute('hide')));
    else if (name === 'autoplay' && value !== null) this.lab.play();
  }

  // The starting configuration: the config attribute (link format), with preset= in front if given.
  private link(): string {
    return startLink(this.getAttribute('preset'), this.getAttribute('config'));
  }

  // Runs `then` once the lab's worker is ready (at once if it is; never if the lab cannot run here).
  private whenReady(then: () => void) {
    if (this.dataset.state === 'ready') { then(); return; }
    const observer = new MutationObserver(() => {
      if (this.dataset.state === 'ready') { observer.disconnect(); setTimeout(then, 0); }
    });
    observer.observe(this, { attributes: true, attributeFilter: ['data-state'] });
  }

  play() { this.whenReady(() => this.lab?.play()); }
  pause() { this.lab?.pause(); }
  step() { this.whenReady(() => this.lab?.step()); }
  reset() { this.whenReady(() => this.lab?.reset()); }

  // Loads a configuration: the link format as a string ('data=spiral&width=32') or an object ({data: 'spiral',
  // width: 32}). mode 'replace' (the default) starts from the defaults, or from preset=; 'merge' changes only the
  // fields given, over what the lab runs. A config or mode of the wrong kind throws a TypeError naming it, and the
  // lab is left as it was; a field the lab cannot use is named in its notice and the rest applies.
  load(config: string | Record<string, unknown>, options: { mode?: 'replace' | 'merge' } = {}) {
    const mode = loadMode(options?.mode);
    if (typeof mode === 'object') throw new TypeError(`normlab: load: ${rejectedText([mode.error])}`);
    const link = configLink(config);
    if ('error' in link) throw new TypeError(`normlab: load: ${rejectedText([link.error])}`);
    this.lab?.load(link.link, link.rejected, mode);
  }
}

if (!customElements.get('norm-lab')) customElements.define('norm-lab', NormLabElement);
