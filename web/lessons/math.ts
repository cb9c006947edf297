// Formulas, rendered by KaTeX into the DOM (katex.render builds nodes and sets styles through the CSSOM,
// so it works under a Content-Security-Policy without 'unsafe-inline'). MathML is included for screen readers.
import katex from 'katex';
import { mathOutput } from './mathmode';

export function tex(el: HTMLElement, expression: string, display = true) {
  katex.render(expression, el, { displayMode: display, throwOnError: false, output: mathOutput(), strict: false });
}

// A number for TeX: fixed decimals, a true minus sign.
export function num(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return '\\text{—}';
  const t = Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-4 && v !== 0) ? v.toExponential(3).replace(/e([+-]\d+)/, (_, e) => `\\times 10^{${Number(e)}}`) : v.toFixed(digits);
  return t;
}
