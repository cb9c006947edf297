// Embedding: index.html?embed=1&show=boundary,loss&origins=https://a.example,https://b.example
//  - a compact layout with only the panels in `show` (PANELS below; default: toolbar, boundary, loss) and without
//    the settings in `hide` (by their link keys);
//  - the page reports its height to the parent, {normlab: 'height', height}, so the frame can fit it (dist/embed.js,
//    embed-host.ts, does that on the parent's side), and again whenever the parent asks, {normlab: 'height'};
//  - the parent drives it with {normlab: 'play' | 'pause' | 'step' | 'reset'} and {normlab: 'load', config, mode}
//    (config: the link format, as a string 'data=spiral&width=32' or an object {data: 'spiral', width: 32}; mode:
//    'replace', the default, starts from the defaults or preset=, 'merge' changes only the fields config names);
//  - it reports {normlab: 'state', step, epoch, loss} (loss: per run) after every frame it draws.
// Messages are accepted only from the origins in the allow list: the page's own origin, and those listed in
// `origins`, a comma-separated list of http:// or https:// origins (scheme, host and port, as
// `origins=https://a.example,http://localhost:8000`; a path is ignored). Nothing else is trusted: an entry that is
// not an http(s) URL is dropped, and an opaque origin (the string "null" of data: URLs, sandboxed frames,
// file:// pages) never is, because any page can create a sandboxed frame of that origin. When the page's own
// origin is not http(s) (opened from disk, or sandboxed itself), only messages this very window posts to itself
// are obeyed: its own scripts, which could drive the lab anyway. Everything the page sends is public training
// progress, posted to the parent whatever its origin.
import { CONTROL_PATHS, LOAD_MODES, type LoadMode, type Rejected } from '../state/urlstate.js';
import { echo, show } from '../state/untrusted.js';

// Every panel show= can name (each is an element with data-panel="…" in markup.ts).
export const PANELS = ['header', 'toolbar', 'controls', 'run-editors', 'boundary', 'boundary-mode', 'caption', 'loss', 'accuracy',
  'network', 'code', 'performance', 'lessons'] as const;
const DEFAULT_SHOW = ['toolbar', 'boundary', 'loss'];

export type Command = 'play' | 'pause' | 'step' | 'reset';

export interface EmbedOptions {
  embedded: boolean;
  show: Set<string>;
  hide?: Set<string>; // settings' controls by their link keys (hide=opt,lr,wd)
  origins: Set<string>;
}

export function embedOptions(search: string, ownOrigin: string = location.origin): EmbedOptions {
  const p = new URLSearchParams(search);
  const origins = new Set<string>();
  for (const o of [ownOrigin, ...(p.get('origins') ?? '').split(',')]) {
    const origin = webOrigin(o);
    if (origin) origins.add(origin);
  }
  return { embedded: p.get('embed') === '1', show: panels(p.get('show')), hide: keys(p.get('hide')), origins };
}

// The origin of an http(s) URL, or null for anything else ("null", data:, file:, blob:, not a URL).
function webOrigin(text: string): string | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

// Whether a message from `origin` may drive the lab: posted by this window itself, or from an allowed
// http(s) origin (never "null", whatever the list holds).
export function accepts(o: EmbedOptions, origin: string, sameWindow: boolean): boolean {
  return sameWindow || (webOrigin(origin) === origin && o.origins.has(origin));
}

// The compact layout in `scope` (the page, or a <norm-lab>'s shadow root); a page in an iframe also reports
// its height to the parent.
export function applyLayout(o: EmbedOptions, scope: ParentNode, container: HTMLElement, reportHeight: boolean) {
  if (!o.embedded) return;
  layoutPanels(o, scope, container);
  if (reportHeight) {
    const report = () => toParent({ normlab: 'height', height: Math.ceil(document.documentElement.scrollHeight) });
    new ResizeObserver(report).observe(document.body);
    // A height is public (it goes to any parent): the parent may ask for it at any time, as dist/embed.js does when
    // it loads after the lab's first report.
    window.addEventListener('message', (e: MessageEvent) => {
      if (e.source === window.parent && e.source !== window && isHeightQuery(e.data)) report();
    });
  }
}

// Shows exactly the panels in o.show and hides the settings in o.hide. It may run again with other sets (a
// <norm-lab> whose show or hide changes): it changes the panels in place, and the lab keeps running.
export function layoutPanels(o: Pick<EmbedOptions, 'show' | 'hide'>, scope: ParentNode, container: HTMLElement) {
  container.classList.add('embed');
  scope.querySelectorAll<HTMLElement>('[data-panel]').forEach((el) => { el.hidden = !o.show.has(el.dataset.panel!); });
  for (const name of o.show) {
    if (!(PANELS as readonly string[]).includes(name)) console.warn(`normlab: show=${show(name)} is not a panel (expected one of ${PANELS.join(', ')})`);
  }
  const lab = scope.querySelector<HTMLElement>('.lab')!, output = scope.querySelector<HTMLElement>('.output')!;
  lab.classList.toggle('no-settings', !o.show.has('controls'));
  // A run's editors (its normalization, placement and ⋯) come with the settings, or alone with run-editors.
  container.classList.toggle('no-run-editors', !o.show.has('controls') && !o.show.has('run-editors'));
  const fields = new Map<string, HTMLElement>();
  for (const [key, path] of CONTROL_PATHS) {
    const field = scope.querySelector(`[data-key="${path}"]`)?.closest<HTMLElement>('.field');
    if (field) { fields.set(key, field); field.hidden = false; }
  }
  for (const key of o.hide ?? []) {
    const field = fields.get(key);
    if (field) field.hidden = true;
    else console.warn(`normlab: hide=${show(key)} is not a setting's key (expected one of ${[...CONTROL_PATHS.keys()].join(', ')})`);
  }
  output.hidden = Array.from(output.children).every((c) => (c as HTMLElement).hidden);
  lab.classList.toggle('no-output', output.hidden);
  // Nothing of the lab's grid shown (show=lessons alone): no empty box above what is.
  lab.hidden = output.hidden && !o.show.has('controls') && !o.show.has('boundary');
  const below = scope.querySelector<HTMLElement>('.below');
  if (below) below.hidden = Array.from(below.children).every((c) => (c as HTMLElement).hidden);
}

// hide= as a set of settings' keys (the attribute of <norm-lab> or the query parameter).
export function keys(hide: string | null): Set<string> {
  return new Set((hide ?? '').split(',').map((x) => x.trim()).filter(Boolean));
}

// show= as a set of panels (the attribute of <norm-lab> or the query parameter).
export function panels(show: string | null): Set<string> {
  return new Set((show ?? DEFAULT_SHOW.join(',')).split(',').map((x) => x.trim()).filter(Boolean));
}

export function toParent(message: object) {
  if (window.parent !== window) window.parent.postMessage(message, '*');
}

export type Message = { command: Command } | { command: 'load'; config: string; rejected: Rejected[]; mode: LoadMode };

// The starting configuration of a <norm-lab>: its config attribute (the link format), with preset= in front if given.
export function startLink(preset: string | null, config: string | null): string {
  const p = new URLSearchParams((config ?? '').replace(/^#/, ''));
  if (preset) p.set('preset', preset);
  return p.toString();
}

// A configuration to load, as the link format: a string is one already; an object's values become its fields
// (a list, a repeated field such as run=). A value that is not a string, number or boolean (or a list of them) is
// named in `rejected`; a config of another type is refused, naming it.
export function configLink(config: unknown): { link: string; rejected: Rejected[] } | { error: Rejected } {
  if (typeof config === 'string') return { link: config, rejected: [] };
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    return { error: { field: 'config', reason: `expected the link format, as a string or an object, got ${show(config)}` } };
  const p = new URLSearchParams();
  const rejected: Rejected[] = [];
  for (const [key, value] of Object.entries(config)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean')) for (const x of values) p.append(key, String(x));
    else rejected.push({ field: echo(key) || '(unnamed)', reason: `expected a string, a number or a boolean (or a list of them), got ${show(value)}` });
  }
  return { link: p.toString(), rejected };
}

// A load's mode: 'replace' when not given; anything else but 'merge' is refused, naming it.
export function loadMode(mode: unknown): LoadMode | { error: Rejected } {
  if (mode === undefined) return 'replace';
  return (LOAD_MODES as readonly unknown[]).includes(mode) ? (mode as LoadMode)
    : { error: { field: 'mode', reason: `expected ${LOAD_MODES.join(' or ')}, got ${show(mode)}` } };
}

// {normlab: 'height'}: a parent asking for the height (or a height report, {normlab: 'height', height}).
const isHeightQuery = (data: unknown) => typeof data === 'object' && data !== null && (data as { normlab?: unknown }).normlab === 'height';

// A message's data as a command; or why it is refused, naming its field; or null when it is not a command (no
// `normlab` key: other scripts' messages, ignored silently; or the height query, answered by applyLayout). A
// 'load' config object becomes the link format (configLink); its mode is 'replace' unless it says 'merge'.
export function parseMessage(data: unknown): Message | { error: Rejected } | null {
  if (typeof data !== 'object' || data === null || !('normlab' in data) || isHeightQuery(data)) return null;
  const { normlab: c, config, mode: m } = data as { normlab: unknown; config?: unknown; mode?: unknown };
  if (c === 'play' || c === 'pause' || c === 'step' || c === 'reset') return { command: c };
  if (c !== 'load') return { error: { field: 'normlab', reason: `unknown command ${show(c)} (expected play, pause, step, reset or load)` } };
  const mode = loadMode(m);
  if (typeof mode === 'object') return mode;
  const link = configLink(config);
  return 'error' in link ? link : { command: 'load', config: link.link, rejected: link.rejected, mode };
}

// Calls `on` for every well-formed command from an accepted sender; ignores the rest, with a warning in the
// console for a normlab message it cannot read.
export function listen(o: EmbedOptions, on: (message: Message) => void) {
  window.addEventListener('message', (e: MessageEvent) => {
    if (!accepts(o, e.origin, e.source === window)) return;
    const m = parseMessage(e.data);
    if (m && 'error' in m) console.warn(`normlab: a message was ignored: ${m.error.field}: ${m.error.reason}`);
    else if (m) on(m);
  });
}
