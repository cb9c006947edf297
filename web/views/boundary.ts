// A decision boundary: class-1 probabilities over a grid, painted as confidence-shaded colour (the class
// colour fades into the background as p → 0.5, so the boundary reads as a pale line), with the training
// points (filled) and test points (rings) on top. Drawn at device-pixel resolution.
import { CLASS_RGB, isDark, rgb } from './palette';
import type { Points } from '../engine/protocol';

export class BoundaryView {
  readonly canvas: HTMLCanvasElement;
  private grid: HTMLCanvasElement = document.createElement('canvas');
  private probs: Float32Array | null = null;
  private gw = 0;
  private gh = 0;
  private extent: [number, number, number, number] = [-1, 1, -1, 1];
  private train: Points | null = null;
  private test: Points | null = null;
  private dirty = true;
  private pending: Points | null = null; // points not trained on yet (your own, being drawn): shown instead
  paints = 0; // how many times the canvas has been repainted (the e2e test reads it)
  paintedBoundary = false; // a repaint has shown class probabilities (not only the points)

  private marker: [number, number] | null = null; // the traced point (Inside the network), ringed

  // click: a click at data coordinates (x, y), with Shift or not (drawing your own points, or tracing a point).
  constructor(canvas: HTMLCanvasElement, click?: (x: number, y: number, shift: boolean) => void, drawing = false) {
    this.canvas = canvas;
    new ResizeObserver(() => { this.dirty = true; }).observe(canvas);
    if (click) {
      canvas.classList.add(drawing ? 'drawing' : 'traceable');
      canvas.addEventListener('click', (e) => {
        const r = canvas.getBoundingClientRect();
        const [x0, x1, y0, y1] = this.extent;
        click(x0 + ((e.clientX - r.left) / r.width) * (x1 - x0), y1 - ((e.clientY - r.top) / r.height) * (y1 - y0), e.shiftKey);
      });
    }
  }

  setMarker(point: [number, number] | null) {
    this.marker = point;
    this.dirty = true;
  }

  // Shows `points` (all filled) instead of the training and test points until the next setData; null: back.
  setPending(points: Points | null) {
    this.pending = points;
    this.pointsKey = '';
    this.dirty = true;
  }

  setData(train: Points, test: Points, extent: [number, number, number, number]) {
    this.train = train;
    this.test = test;
    this.extent = extent;
    this.probs = null;
    this.pending = null;
    this.pointsKey = '';
    this.dirty = true;
  }

  setProbabilities(probs: Float32Array, w: number, h: number, extent: [number, number, number, number]) {
    this.probs = probs;
    this.gw = w;
    this.gh = h;
    this.extent = extent;
    this.paintGrid();
    this.dirty = true;
  }

  clearProbabilities() {
    this.probs = null;
    this.dirty = true;
  }

  private paintGrid() {
    if (!this.probs) return;
    const { gw: w, gh: h } = this;
    this.grid.width = w;
    this.grid.height = h;
    const ctx = this.grid.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    const dark = isDark();
    const bg = dark ? [28, 30, 34] : [255, 255, 255];
    const strength = dark ? 0.42 : 0.62; // on the dark panel a paler wash, so the points stand out of their region
    for (let k = 0; k < w * h; k++) {
      const p = this.probs[k];
      const c = CLASS_RGB[p >= 0.5 ? 1 : 0];
      const t = Math.pow(Math.abs(2 * p - 1), 0.6) * strength; // confidence → colour strength
      img.data[4 * k] = bg[0] + (c[0] - bg[0]) * t;
      img.data[4 * k + 1] = bg[1] + (c[1] - bg[1]) * t;
      img.data[4 * k + 2] = bg[2] + (c[2] - bg[2]) * t;
      img.data[4 * k + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  // Repaints if anything changed; called from the page's animation frame.
  // The points change only with the data or the canvas size: drawn once into their own layer.
  private pointsLayer: HTMLCanvasElement = document.createElement('canvas');
  private pointsKey = '';

  private drawPointsLayer(W: number, H: number, dpr: number) {
    const key = `${W}x${H}x${dpr}x${isDark()}`;
    if (key === this.pointsKey) return;
    this.pointsKey = key;
    this.pointsLayer.width = W;
    this.pointsLayer.height = H;
    const ctx = this.pointsLayer.getContext('2d')!;
    ctx.clearRect(0, 0, W, H);
    const [x0, x1, y0, y1] = this.extent;
    const px = (x: number) => ((x - x0) / (x1 - x0)) * W;
    const py = (y: number) => ((y1 - y) / (y1 - y0)) * H;
    const r = 2.4 * dpr;
    const drawPoints = (pts: Points | null, filled: boolean) => {
      if (!pts) return;
      for (let i = 0; i < pts.y.length; i++) {
        const c = CLASS_RGB[pts.y[i]] ?? CLASS_RGB[0];
        ctx.beginPath();
        ctx.arc(px(pts.x[2 * i]), py(pts.x[2 * i + 1]), filled ? r : r * 1.15, 0, 2 * Math.PI);
        if (filled) {
          ctx.fillStyle = rgb(c, 0.9);
          ctx.fill();
          ctx.lineWidth = 0.6 * dpr;
          ctx.strokeStyle = isDark() ? 'rgba(0,0,0,0.6)' : 'rgba(255,255,255,0.9)';
          ctx.stroke();
        } else {
          ctx.lineWidth = 1.3 * dpr;
          ctx.strokeStyle = isDark() ? rgb(c, 1) : rgb(c.map((v) => v * 0.7) as [number, number, number], 1);
          ctx.stroke();
        }
      }
    };
    if (this.pending) drawPoints(this.pending, true);
    else {
      drawPoints(this.train, true);
      drawPoints(this.test, false);
    }
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.canvas.clientWidth, cssH = this.canvas.clientHeight;
    if (!cssW || !cssH) return;
    const W = Math.round(cssW * dpr), H = Math.round(cssH * dpr);
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W;
      this.canvas.height = H;
    }
    this.drawPointsLayer(W, H, dpr);
    const ctx = this.canvas.getContext('2d')!;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = isDark() ? '#1c1e22' : '#ffffff';
    ctx.fillRect(0, 0, W, H);
    if (this.probs) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.grid, 0, 0, W, H);
    }
    ctx.drawImage(this.pointsLayer, 0, 0);
    if (this.marker) {
      const [x0, x1, y0, y1] = this.extent;
      const px = ((this.marker[0] - x0) / (x1 - x0)) * W, py = ((y1 - this.marker[1]) / (y1 - y0)) * H;
      ctx.lineWidth = 2 * dpr;
      ctx.strokeStyle = isDark() ? '#ffffff' : '#1f2328';
      ctx.beginPath();
      ctx.arc(px, py, 7 * dpr, 0, 2 * Math.PI);
      ctx.moveTo(px - 11 * dpr, py); ctx.lineTo(px - 4 * dpr, py); ctx.moveTo(px + 4 * dpr, py); ctx.lineTo(px + 11 * dpr, py);
      ctx.stroke();
    }
    this.paints++;
    if (this.probs) this.paintedBoundary = true;
    this.canvas.dataset.paints = String(this.paints);
  }
}
