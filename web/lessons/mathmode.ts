// How formulas render: 'htmlAndMathml' needs KaTeX's stylesheet and fonts (the page loads them); <norm-lab> and
// the single-file build render MathML only, which the browser lays out itself (no fonts to load). A module of
// its own, so choosing the mode does not load KaTeX.
export type MathOutput = 'htmlAndMathml' | 'mathml';
let output: MathOutput = 'htmlAndMathml';

export function setMathOutput(o: MathOutput) {
  output = o;
}

export function mathOutput(): MathOutput {
  return output;
}
