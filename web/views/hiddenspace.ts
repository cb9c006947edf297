// Hidden space, as ConvNetJS draws it: the training points (coloured by class) and the input plane's grid lines,
// carried through the network into the coordinates of two units — before the chosen layer and after it, side by
// side. Each picture has its own axes, always through the origin (dashed), so a normalization's re-centring
// shows as the cloud moving onto the crosshair; the cloud's mean and standard deviation are written under it.
import type { HiddenSpace } from '../engine/inside';
import type { Strings } from '../i18n';
import { CLASS_RGB, isDark, rgb, textColor } from './palette';
import { el, hiDpiContext } from './dom';

const SIDE = 220; // CSS pixels per picture

export interface HiddenNames { before: string; after: string } // "before BatchNorm 1", "after BatchNorm 1"

export class HiddenSpaceView {
  private canvases: HTMLCanvasElement[] = [];
  private stats: HTMLElement[] = [];
  private titles: HTMLElement[] = [];

  constructor(private container: HTMLElement) {
    const figures = [0, 1].map(() => {
      const canvas = el('canvas', 'hidden-canvas');
      canvas.setAttribute('role', 'img');
      const title = el('span', 'hs-title'), stat = el('span', 'hs-stats');
      this.canvases.push(canvas), this.titles.push(title), this.stats.push(stat);
      const fig = el('figure', 'hs-figure');
      fig.append(title, canvas, stat);
      return fig;
    });
    container.replaceChildren(...figures);
  }

  show(h: HiddenSpace | null, names: HiddenNames, s: Strings) {
    this.container.hidden = !h;
    if (!h) return;
    const points = h.labels.length;
    [h.before, h.after].forEach((values, i) => {
      const where = i === 0 ? names.before : names.after;
      this.titles[i].textContent = where;
      const canvas = this.canvases[i];
      canvas.setAttribute('aria-label', s.hiddenLabel(where, h.x + 1, h.y + 1));
      const [mx, my, sx, sy] = moments(values, points);
      this.stats[i].textContent = s.hiddenStats(mx, my, sx, sy);
      canvas.dataset.mean = `${mx},${my}`;
      canvas.dataset.sd = `${sx},${sy}`;
      draw(canvas, values, h);
    });
  }
}

// Mean and (biased) standard deviation of the first `n` points' two coordinates.
function moments(v: Float32Array, n: number): [number, number, number, number] {
  let mx = 0, my = 0;
  for (let k = 0; k < n; k++) mx += v[2 * k], my += v[2 * k + 1];
  mx /= n, my /= n;
  let vx = 0, vy = 0;
  for (let k = 0; k < n; k++) vx += (v[2 * k] - mx) ** 2, vy += (v[2 * k + 1] - my) ** 2;
  return [mx, my, Math.sqrt(vx / n), Math.sqrt(vy / n)];
}

// The view's range on one axis: every finite value and the origin, with a margin.
function range(v: Float32Array, axis: number): [number, number] {
  let lo = 0, hi = 0;
  for (let k = axis; k < v.length; k += 2) if (Number.isFinite(v[k])) lo = Math.min(lo, v[k]), hi = Math.max(hi, v[k]);
  const pad = (hi - lo) * 0.06 || 1;
  return [lo - pad, hi + pad];
}

function draw(canvas: HTMLCanvasElement, v: Float32Array, h: HiddenSpace) {
  const ctx = hiDpiContext(canvas, SIDE, SIDE), dark = isDark();
  const [x0, x1] = range(v, 0), [y0, y1] = range(v, 1);
  const X = (a: number) => ((a - x0) / (x1 - x0)) * SIDE, Y = (b: number) => SIDE - ((b - y0) / (y1 - y0)) * SIDE;
  ctx.fillStyle = dark ? '#1c1e22' : '#ffffff';
  ctx.fillRect(0, 0, SIDE, SIDE);
  // The origin's axes.
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = dark ? 'rgba(255,255,255,0.35)' : 'rgba(0,0,0,0.3)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(X(0), 0), ctx.lineTo(X(0), SIDE), ctx.moveTo(0, Y(0)), ctx.lineTo(SIDE, Y(0));
  ctx.stroke();
  ctx.setLineDash([]);
  // The input grid's lines, warped.
  const points = h.labels.length;
  ctx.strokeStyle = dark ? 'rgba(200,205,215,0.35)' : 'rgba(70,80,95,0.28)';
  for (let l = 0; l < h.lines; l++) {
    ctx.beginPath();
    for (let k = 0; k < h.samples; k++) {
      const i = points + l * h.samples + k, a = v[2 * i], b = v[2 * i + 1];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      if (k) ctx.lineTo(X(a), Y(b));
      else ctx.moveTo(X(a), Y(b));
    }
    ctx.stroke();
  }
  // The points, class by class.
  for (let k = 0; k < points; k++) {
    const a = v[2 * k], b = v[2 * k + 1];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    ctx.fillStyle = rgb(CLASS_RGB[h.labels[k] ? 1 : 0], 0.85);
    ctx.beginPath();
    ctx.arc(X(a), Y(b), 2.3, 0, 2 * Math.PI);
    ctx.fill();
  }
  // The axes' ends.
  ctx.fillStyle = textColor();
  ctx.font = '10px system-ui, sans-serif';
  const label = (t: string, x: number, y: number, right = false) => ctx.fillText(t, right ? x - ctx.measureText(t).width : x, y);
  label(x0.toPrecision(2), 3, SIDE - 3);
  label(x1.toPrecision(2), SIDE - 3, SIDE - 3, true);
  label(y1.toPrecision(2), 3, 11);
  canvas.dataset.drawn = String(points);
}
