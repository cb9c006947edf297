// The lab as one self-contained HTML file (npm run build:single): the same page as main.ts, with its
// workers and the wasm module inside the file, and formulas as MathML (no font files to load).
import { mountPage } from './mount-page';
import { setMathOutput } from '../lessons/mathmode';

setMathOutput('mathml');
mountPage();
