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

export function applyLayout(o: EmbedOptions) {
  if (!o.embedded) return;
  document.body.classList.add('embed');
  document.querySelectorAll<HTMLElement>('[data-panel]').forEach((el) => { el.hidden = !o.show.has(el.dataset.panel!); });
  if (!o.show.has('controls')) document.querySelector('.layout')?.classList.add('no-controls');
  if (!o.show.has('loss') && !o.show.has('accuracy')) document.querySelector<HTMLElement>('.charts')!.hidden = true;
  new ResizeObserver(() => toParent({ normlab: 'height', height: Math.ceil(document.documentElement.scrollHeight) }))
    .observe(document.body);
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
