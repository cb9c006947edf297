// The embedding example (dist/embed.html): drives the lab in the iframe with postMessage and listens to it,
// sizes the frame as dist/embed.js does (the same module), and shows two <norm-lab> elements (the same module as
// dist/normlab-element.js).
import './element';
import './embed-host';
import type { NormLabElement } from './element';
const frame = document.getElementById('lab') as HTMLIFrameElement;
const state = document.getElementById('state')!;
const labOrigin = new URL(frame.src, location.href).origin;

const send = (message: object) => frame.contentWindow?.postMessage(message, labOrigin);
document.querySelectorAll<HTMLButtonElement>('button[data-command]').forEach((b) =>
  b.addEventListener('click', () => send({ normlab: b.dataset.command })));
document.querySelectorAll<HTMLButtonElement>('button[data-load]').forEach((b) =>
  b.addEventListener('click', () => send({ normlab: 'load', config: b.dataset.load })));

window.addEventListener('message', (e: MessageEvent) => {
  if (e.origin !== labOrigin || !e.data || typeof e.data !== 'object') return;
  const m = e.data as { normlab?: string; step?: number; epoch?: number; loss?: (number | null)[] };
  if (m.normlab === 'state') {
    const losses = (m.loss ?? []).map((l) => (l === null ? '—' : l.toFixed(4))).join(', ');
    state.textContent = `epoch ${m.epoch} · step ${m.step} · losses ${losses}`;
  }
});

const first = document.getElementById('element-a') as NormLabElement;
const elementState = document.getElementById('element-state')!;
document.querySelectorAll<HTMLButtonElement>('button[data-element-command]').forEach((b) =>
  b.addEventListener('click', () => (b.dataset.elementCommand === 'play' ? first.play() : first.pause())));
first.addEventListener('normlab-state', (e) => {
  const { step, epoch } = (e as CustomEvent<{ step: number; epoch: number }>).detail;
  elementState.textContent = `first element: epoch ${epoch} · step ${step}`;
});
