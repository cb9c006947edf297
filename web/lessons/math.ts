// Formulas, rendered by KaTeX into the DOM (katex.render builds nodes and sets styles through the CSSOM,
// so it works under a Content-Security-Policy without 'unsafe-inline'). MathML is included for screen readers.
import katex from 'katex';

// 'htmlAndMathml' needs KaTeX's stylesheet and fonts (the page loads them); <norm-lab> renders MathML only,
// which the browser lays out itself, so a shadow root needs no fonts.
let output: 'htmlAndMathml' | 'mathml' = 'htmlAndMathml';
export function setMathOutput(o: typeof output) {
  output = o;
}

export function tex(el: HTMLElement, expression: string, display = true) {
  katex.render(expression, el, { displayMode: display, throwOnError: false, output, strict: false });
}

export function texElement(expression: string, display = true, className = 'formula'): HTMLElement {
  const el = document.createElement(display ? 'div' : 'span');
  el.className = className;
  tex(el, expression, display);
  return el;
}

// A number for TeX: fixed decimals, a true minus sign.
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '\\text{—}';
  const t = Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-4 && v !== 0) ? v.toExponential(3).replace(/e([+-]\d+)/, (_, e) => `\\times 10^{${Number(e)}}`) : v.toFixed(digits);
  return t;
}
