// Types of normlab's element entry, `import 'normlab/element'` (element/normlab-element.js, built from
// web/page/element.ts, which implements this class: tsc checks that they agree). The script defines <norm-lab> and
// exports nothing: the class is a type here; at run time it is customElements.get('norm-lab').
//   <norm-lab preset="deep-sigmoid" show="toolbar,boundary,loss" lang="ja" autoplay></norm-lab>

// The element's attributes (all optional strings; changing preset or config loads it):
//   preset    an id from the Preset menu ('deep-sigmoid')
//   config    a configuration in the link format ('data=spiral&width=32&run=BN~batchnorm~before~8~0')
//   show      the panels shown, comma-separated (default 'toolbar,boundary,loss')
//   hide      settings hidden, by their link keys ('opt,lr,wd')
//   lang      'en' or 'ja'
//   autoplay  present: plays once ready
export type NormLabAttribute = 'preset' | 'config' | 'show' | 'hide' | 'lang' | 'autoplay';

// The detail of the 'normlab-state' event, sent after every frame.
export interface NormLabState {
  step: number;
  epoch: number;
  loss: (number | null)[]; // per run, the last step's loss (null before the first step or once a run has stopped)
}

export interface NormLabElementEventMap extends HTMLElementEventMap {
  'normlab-state': CustomEvent<NormLabState>;
}

declare class NormLabElement extends HTMLElement {
  static observedAttributes: NormLabAttribute[];
  play(): void;
  pause(): void;
  step(): void; // one batch for every run
  reset(): void;
  // A configuration in the link format (a string, or an object of fields; a list repeats a field), replacing
  // the running one (the default) or merged over it (only the fields given change). A mode of the wrong kind
  // throws a TypeError naming it; a field the lab cannot use is named in the lab's notice.
  load(config: string | Record<string, unknown>, options?: { mode?: 'replace' | 'merge' }): void;
  addEventListener<K extends keyof NormLabElementEventMap>(type: K, listener: (this: NormLabElement, ev: NormLabElementEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof NormLabElementEventMap>(type: K, listener: (this: NormLabElement, ev: NormLabElementEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
export type { NormLabElement };

declare global {
  interface HTMLElementTagNameMap {
    'norm-lab': NormLabElement;
    'norm-lab-steps': HTMLElement; // a tutorial's steps (the element's script defines both)
    'norm-lab-step': HTMLElement;
  }
}
