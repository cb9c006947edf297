// Embedding: index.html?embed=1&show=boundary,loss&origins=https://a.example,https://b.example
//  - a compact layout with only the panels in `show` (header, toolbar, controls, boundary, loss, accuracy, code,
//    performance; default: toolbar, boundary, loss);
//  - the page reports its height to the parent, {normlab: 'height', height}, so the frame can fit it;
//  - the parent drives it with {normlab: 'play' | 'pause' | 'step' | 'reset'} and {normlab: 'load', config}
//    (config: the link format, as a string 'data=spiral&width=32' or an object {data: 'spiral', width: 32});
//  - it reports {normlab: 'state', step, epoch, loss} (loss: per run) after every frame it draws.
// Messages are accepted only from the page's own origin and the origins listed in `origins`; everything the
// page sends is public training progress, posted to the parent whatever its origin.
const DEFAULT_SHOW = ['toolbar', 'boundary', 'loss'];

export type Command = 'play' | 'pause' | 'step' | 'reset';

export interface EmbedOptions {
  embedded: boolean;
  show: Set<string>;
  origins: Set<string>;
}

export function embedOptions(search: string): EmbedOptions {
  const p = new URLSearchParams(search);
  const embedded = p.get('embed') === '1';
  const show = new Set((p.get('show') ?? DEFAULT_SHOW.join(',')).split(',').map((x) => x.trim()).filter(Boolean));
  const origins = new Set<string>([location.origin]);
  for (const o of (p.get('origins') ?? '').split(',')) {
    try {
      if (o.trim()) origins.add(new URL(o.trim()).origin);
    } catch { /* not an origin: ignored */ }
  }
  return { embedded, show, origins };
}

// The compact layout in `scope` (the page, or a <norm-lab>'s shadow root); a page in an iframe also reports
// its height to the parent.
export function applyLayout(o: EmbedOptions, scope: ParentNode, container: HTMLElement, reportHeight: boolean) {
  if (!o.embedded) return;
  container.classList.add('embed');
  scope.querySelectorAll<HTMLElement>('[data-panel]').forEach((el) => { el.hidden = !o.show.has(el.dataset.panel!); });
  if (!o.show.has('controls')) scope.querySelector('.layout')?.classList.add('no-controls');
  if (!o.show.has('loss') && !o.show.has('accuracy')) scope.querySelector<HTMLElement>('.charts')!.hidden = true;
  if (reportHeight) {
    new ResizeObserver(() => toParent({ normlab: 'height', height: Math.ceil(document.documentElement.scrollHeight) }))
      .observe(document.body);
  }
}

// show= as a set of panels (the attribute of <norm-lab> or the query parameter).
export function panels(show: string | null): Set<string> {
  return new Set((show ?? DEFAULT_SHOW.join(',')).split(',').map((x) => x.trim()).filter(Boolean));
}

export function toParent(message: object) {
  if (window.parent !== window) window.parent.postMessage(message, '*');
}

// Calls `on` for every well-formed command from an allowed origin; ignores everything else.
export function listen(o: EmbedOptions, on: (command: Command | 'load', config?: string) => void) {
  window.addEventListener('message', (e: MessageEvent) => {
    if (!o.origins.has(e.origin)) return;
    const data = e.data as { normlab?: unknown; config?: unknown } | null;
    if (!data || typeof data !== 'object') return;
    const c = data.normlab;
    if (c === 'play' || c === 'pause' || c === 'step' || c === 'reset') on(c);
    else if (c === 'load') {
      const config = data.config;
      if (typeof config === 'string') on('load', config);
      else if (config && typeof config === 'object') {
        const p = new URLSearchParams();
        for (const [k, v] of Object.entries(config)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, String(x));
        on('load', p.toString());
      }
    }
  });
}
