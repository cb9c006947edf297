// One colour per normalization (web/views/palette.ts): every preset's runs get distinct colours, a norm's hue is
// the same whatever slot its run is in, a second run with the same norm gets another shade of that hue and never
// another norm's colour; every shade stands out from the panels (≥ 3:1, WCAG's minimum for graphics); the first
// shades stay apart under the three colour-vision deficiencies and from the two class colours.
import test from 'node:test';
import assert from 'node:assert/strict';
import { CLASS_RGB, SHADES_PER_NORM, normColor, runColors } from '../../build-unit/views/palette.js';
import { NORMS } from '../../build-unit/state/config.js';
import { PRESETS } from '../../build-unit/state/presets.js';

const PANEL = { light: '#ffffff', dark: '#1c1e22' };
const MODES = [false, true];
const hexRgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
const lin = (v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const luminance = (h) => { const [r, g, b] = hexRgb(h).map(lin); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

// OKLab distance (×100: ~2 is just noticeable), of colours as seen with a deficiency (Machado et al. 2009, full severity).
const CVD = {
  normal: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
  protan: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deutan: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritan: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};
function oklab(hex, kind) {
  const c = hexRgb(hex).map(lin);
  const [r, g, b] = CVD[kind].map((row) => Math.min(1, Math.max(0, row[0] * c[0] + row[1] * c[1] + row[2] * c[2])));
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s, 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s, 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s];
}
const distance = (a, b, kind = 'normal') => { const x = oklab(a, kind), y = oklab(b, kind); return 100 * Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]); };
const hex = ([r, g, b]) => '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');

test('a normalization has one colour, whatever slot its run is in', () => {
  for (const dark of MODES) {
    for (const norm of NORMS) {
      const others = NORMS.filter((n) => n !== norm).map((n) => ({ norm: n }));
      for (let slot = 0; slot <= others.length; slot++) {
        const runs = [...others.slice(0, slot), { norm }, ...others.slice(slot)];
        assert.equal(runColors(runs, dark)[slot], normColor(norm, dark));
      }
    }
  }
});

test('every preset: distinct colours; runs with the same norm are shades of its hue, never another norm’s', () => {
  for (const dark of MODES) {
    const all = new Map(NORMS.flatMap((n) => Array.from({ length: SHADES_PER_NORM }, (_, k) => [normColor(n, dark, k), n])));
    assert.equal(all.size, NORMS.length * SHADES_PER_NORM, 'no colour serves two norms or two shades');
    for (const p of PRESETS) {
      const colors = runColors(p.config.runs, dark);
      assert.equal(new Set(colors).size, colors.length, `${p.id}: ${colors}`);
      colors.forEach((c, i) => assert.equal(all.get(c), p.config.runs[i].norm, `${p.id} run ${i}`));
    }
    // Four runs of one norm: four shades, each clearly apart from the others.
    const four = runColors(Array(4).fill({ norm: 'batchnorm' }), dark);
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) assert.ok(distance(four[i], four[j]) > 7, `${four[i]} vs ${four[j]}`);
  }
});

test('every shade has at least 3:1 contrast with the panel, light and dark', () => {
  for (const dark of MODES) {
    const panel = dark ? PANEL.dark : PANEL.light;
    for (const norm of NORMS) for (let k = 0; k < SHADES_PER_NORM; k++) {
      const c = normColor(norm, dark, k);
      assert.ok(contrast(c, panel) >= 3, `${norm} shade ${k} ${c} on ${panel}: ${contrast(c, panel).toFixed(2)}`);
    }
  }
});

test('the norms’ colours stay apart under protan-, deutan- and tritanopia; apart from the class colours in normal vision', () => {
  const classes = CLASS_RGB.map(hex);
  for (const dark of MODES) {
    const base = NORMS.map((n) => normColor(n, dark));
    for (const kind of Object.keys(CVD)) {
      for (let i = 0; i < base.length; i++) for (let j = i + 1; j < base.length; j++) {
        const d = distance(base[i], base[j], kind);
        assert.ok(d > 7, `${kind}, ${dark ? 'dark' : 'light'}: ${NORMS[i]} ${base[i]} vs ${NORMS[j]} ${base[j]}: ${d.toFixed(1)}`);
      }
    }
    // A later shade of one norm vs the first shade of another, in normal vision.
    for (const a of NORMS) for (const b of NORMS) if (a !== b) for (let k = 1; k < SHADES_PER_NORM; k++) {
      const d = distance(normColor(a, dark, k), normColor(b, dark));
      assert.ok(d > 7, `${a} shade ${k} vs ${b}: ${d.toFixed(1)}`);
    }
    for (const c of base) for (const k of classes) assert.ok(distance(c, k) > 7, `${c} vs class ${k}`);
  }
});
