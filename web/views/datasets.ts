// The dataset picker's thumbnails, as TensorFlow Playground has them: one small picture of each dataset (a
// sample the worker generates with the engine), pressed for the dataset in use; choosing one sets the
// Dataset menu, which stays the labelled control.
import type { Points } from '../engine/protocol';
import type { Strings } from '../i18n';
import { CLASS_RGB, isDark, rgb } from './palette';
import { el } from './dom';

export class DatasetPictures {
  private buttons = new Map<string, HTMLButtonElement>();

  constructor(private container: HTMLElement, private pick: (type: string) => void) {}

  // One button per dataset, in the order given.
  // points null: a picture of a pencil (your own points).
  show(sets: { type: string; points: Points | null }[], current: string, s: Strings) {
    this.buttons.clear();
    this.container.replaceChildren(...sets.map(({ type, points }) => {
      const button = el('button', '', { type: 'button' });
      button.addEventListener('click', () => this.pick(type));
      this.buttons.set(type, button);
      if (!points) {
        button.append(el('span', 'pencil', { textContent: '✎', ariaHidden: 'true' }));
        return button;
      }
      const canvas = el('canvas');
      canvas.setAttribute('aria-hidden', 'true');
      button.append(canvas);
      requestAnimationFrame(() => draw(canvas, points));
      return button;
    }));
    this.select(current);
    this.applyStrings(s);
  }

  select(type: string) {
    for (const [t, b] of this.buttons) b.setAttribute('aria-pressed', String(t === type));
  }

  applyStrings(s: Strings) {
    for (const [t, b] of this.buttons) {
      const name = String(s[t as keyof Strings] ?? t);
      b.setAttribute('aria-label', name);
      b.title = name;
    }
  }
}

// The points, fitted to the picture with a margin, on the panel's colour.
function draw(canvas: HTMLCanvasElement, p: Points) {
  const dpr = window.devicePixelRatio || 1;
  const side = Math.max(1, Math.round(canvas.clientWidth * dpr));
  canvas.width = canvas.height = side;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = isDark() ? '#1c1e22' : '#ffffff';
  ctx.fillRect(0, 0, side, side);
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < p.y.length; i++) {
    x0 = Math.min(x0, p.x[2 * i]), x1 = Math.max(x1, p.x[2 * i]);
    y0 = Math.min(y0, p.x[2 * i + 1]), y1 = Math.max(y1, p.x[2 * i + 1]);
  }
  const span = Math.max(x1 - x0, y1 - y0) * 1.15 || 1, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const r = Math.max(1, 1.1 * dpr);
  for (let i = 0; i < p.y.length; i++) {
    ctx.fillStyle = rgb(CLASS_RGB[p.y[i]] ?? CLASS_RGB[0], 0.85);
    ctx.beginPath();
    ctx.arc(((p.x[2 * i] - cx) / span + 0.5) * side, (0.5 - (p.x[2 * i + 1] - cy) / span) * side, r, 0, 2 * Math.PI);
    ctx.fill();
  }
}
