// Colours. Each normalization has one hue, the same in every chart, run card and preset, from Paul Tol's
// colour-blind-safe schemes: grey for no normalization, purple BatchNorm, green LayerNorm, yellow RMSNorm, cyan
// GroupNorm — never the blue and orange of the two classes (CLASS_RGB), which the decision boundaries use.
import type { Norm } from '../state/config';

// Per normalization and scheme: the hue's shade for a first run, then the shades for a second, third and fourth
// run with the same normalization (a preset's "BN before" and "BN after"). Tol's hues re-lit in OKLCH so that
// every shade has at least 3:1 contrast as a thin line or a 4 px border on the panels (#ffffff light, #1c1e22
// dark): on white they are darker than Tol's pale yellow and cyan, on the dark panel lighter than his purple
// and green. The first shades stay apart under protan-, deutan- and tritanopia as well as normal vision
// (checked in tests/unit/palette.test.mjs); a later shade of one hue is apart from every other hue in normal
// vision, but may come near one under colour-vision deficiency — the legend names every run.
const SHADES: Record<Norm, { light: readonly string[]; dark: readonly string[] }> = {
  none:      { light: ['#7a7a7a', '#505050', '#949494', '#303030'], dark: ['#8c8c8c', '#b4b4b4', '#6f6f6f', '#d1d1d1'] },
  batchnorm: { light: ['#932b83', '#5d0152', '#b44ba2', '#2f0129'], dark: ['#e781d3', '#febbef', '#c562b3', '#feebfa'] },
  layernorm: { light: ['#177e2b', '#004e13', '#3e9d4a', '#012a07'], dark: ['#5fc569', '#8af092', '#3da54a', '#d6ffd7'] },
  rmsnorm:   { light: ['#a19116', '#706401', '#4b4302', '#322c00'], dark: ['#ebda63', '#bead2f', '#9a8b07', '#837603'] },
  groupnorm: { light: ['#1e97b9', '#046881', '#024456', '#002b38'], dark: ['#86dfff', '#53b2d2', '#2b90ae', '#017b98'] },
};
export const SHADES_PER_NORM = 4;

// The colour of a normalization; `variant` picks the shade for its second (1), third (2) … run.
export function normColor(norm: Norm, dark: boolean, variant = 0): string {
  const shades = (SHADES[norm] ?? SHADES.none)[dark ? 'dark' : 'light'];
  return shades[variant % shades.length];
}

// One colour per run: its normalization's hue, a further shade for each earlier run with the same normalization.
export function runColors(runs: readonly { norm: Norm }[], dark: boolean): string[] {
  const seen = new Map<Norm, number>();
  return runs.map(({ norm }) => {
    const k = seen.get(norm) ?? 0;
    seen.set(norm, k + 1);
    return normColor(norm, dark, k);
  });
}

// Colours for things that are not normalizations (the inspector's groups, a lesson's series): Tol's bright
// scheme. Run cards should use runColors.
export const RUN_COLORS = ['#4477aa', '#ee6677', '#228833', '#aa3377'];
export const CLASS_RGB: [number, number, number][] = [
  [68, 119, 170],  // class 0: blue
  [238, 119, 51],  // class 1: orange
];

export function isDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

// The panels' background (web/page/style.css --panel), for what a canvas draws "hollow".
export function panelColor(dark = isDark()): string {
  return dark ? '#1c1e22' : '#ffffff';
}

// The colour of text drawn on a canvas (axes, labels), for the light or the dark scheme.
export function textColor(): string {
  return isDark() ? '#b8bcc4' : '#555a63';
}

// `#rrggbb` with an alpha, for a faint copy of a colour.
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return rgb([(n >> 16) & 255, (n >> 8) & 255, n & 255], alpha);
}

export function rgb([r, g, b]: [number, number, number], alpha = 1): string {
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
