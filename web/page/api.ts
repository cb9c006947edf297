// What a host of the lab gives and gets: the page (main.ts, main-single.ts) and <norm-lab> (element.ts) mount it
// with these options (app.ts mountLab) and drive it through the controller.
import type { Lang } from '../i18n';
import type { EmbedOptions } from './embed';
import type { LoadMode, Rejected } from '../state/urlstate';

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
  // A configuration in the link format ('preset=deep-tanh', '#v=1&data=…'); `rejected`: fields the caller already
  // refused, named in the notice; `mode`: 'replace' (default) or 'merge' (only the link's fields change). A field it
  // cannot use is named in the notice; a configuration the engine refuses is named there too, and the lab keeps
  // running the one it ran.
  load(link: string, rejected?: Rejected[], mode?: LoadMode): void;
  // The compact layout's panels and hidden settings, changed in place (the lab keeps its workers and its state).
  setLayout(show: Set<string>, hide: Set<string>): void;
  setLang(lang: Lang): void;
  destroy(): void;
}
