// A picture of parts of the page for Save PNG: every canvas in the given blocks where it is laid out (within
// its block, so a block that scrolls sideways is drawn whole) and the text of their titles (wrapped as on the
// page), the blocks stacked under a heading, on the panel's colour, at twice the CSS pixel size.
import { panelColor, textColor } from './palette';

const TEXT = '.unit-title, .unit-scale, .unit-more, figcaption, .hist-title, .hs-title, .hs-stats';
const PAD = 16, GAP = 20, HEAD = 30, SCALE = 2;

interface Box { x: number; y: number; w: number; h: number }

export function snapshot(title: string, blocks: HTMLElement[]): HTMLCanvasElement {
  // Each block's parts, in the block's coordinates, and the box they fill.
  const parts = blocks.map((block) => {
    const o = block.getBoundingClientRect();
    const at = (e: Element): Box => {
      const r = e.getBoundingClientRect();
      return { x: r.left - o.left + block.scrollLeft, y: r.top - o.top + block.scrollTop, w: r.width, h: r.height };
    };
    const canvases = [...block.querySelectorAll('canvas')].filter((c) => !c.hidden && c.width > 0).map((c) => ({ c, box: at(c) })).filter((p) => p.box.w > 0);
    const texts = [...block.querySelectorAll<HTMLElement>(TEXT)].filter((t) => t.textContent).map((t) => ({ t, box: at(t) })).filter((p) => p.box.w > 0);
    const boxes = [...canvases, ...texts].map((p) => p.box);
    const right = Math.max(0, ...boxes.map((b) => b.x + b.w)), bottom = Math.max(0, ...boxes.map((b) => b.y + b.h));
    return { canvases, texts, right, bottom };
  });
  const width = Math.max(320, ...parts.map((p) => p.right)) + 2 * PAD;
  const height = HEAD + parts.reduce((sum, p) => sum + p.bottom + GAP, 0) + PAD;
  const out = document.createElement('canvas');
  out.width = Math.ceil(width * SCALE), out.height = Math.ceil(height * SCALE);
  const ctx = out.getContext('2d')!;
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = panelColor();
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = textColor();
  ctx.font = '600 16px system-ui, sans-serif';
  ctx.fillText(title, PAD, 22);
  let top = HEAD;
  for (const p of parts) {
    for (const { c, box } of p.canvases) {
      ctx.imageSmoothingEnabled = !c.classList.contains('unit');
      ctx.drawImage(c, PAD + box.x, top + box.y, box.w, box.h);
    }
    for (const { t, box } of p.texts) {
      const style = getComputedStyle(t);
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      ctx.fillStyle = style.color;
      ctx.textBaseline = 'top';
      const lineHeight = parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize);
      wrap(ctx, t.textContent!, box.w + 1).forEach((line, k) => ctx.fillText(line, PAD + box.x, top + box.y + k * lineHeight));
    }
    top += p.bottom + GAP;
  }
  return out;
}

// Words into lines no wider than `width` (a single long word keeps its line).
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) lines.push(line), line = word;
    else line = next;
  }
  return [...lines, line];
}
