// Points of your own from a CSV file (Upload CSV): rows x1,x2,label.
//   x1,x2,label        an optional header: a first line none of whose fields is a number ("1,x,0" is a bad row)
//   0.5,-1.25,0        a point: two coordinates (decimal numbers, within ±1000) and its class, 0 or 1
// Blank lines are skipped; a trailing newline, CRLF line ends, a byte-order mark and spaces around a value are
// fine. At least 1 and at most OWN_LIMITS.points.max rows. The first problem is named by its 1-based line and
// column ("line 7, column 3: the label must be 0 or 1, got "2"") and nothing else is read.
import type { OwnPoints } from './config.js';
import { OWN_LIMITS, inRange, rangeText } from './limits.js';
import { echo, parseDecimal } from './untrusted.js';

export type CsvResult = { own: OwnPoints } | { error: string; line: number; column: number };

const problem = (line: number, column: number, reason: string) => ({ error: `line ${line}, column ${column}: ${reason}`, line, column });

export function parsePointsCsv(text: string): CsvResult {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const own: OwnPoints = { x: [], y: [] };
  let seenFirst = false;
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const fields = lines[i].replace(/\r$/, '').split(',').map((f) => f.trim());
    if (fields.length === 1 && fields[0] === '') continue; // a blank line
    const first = !seenFirst;
    seenFirst = true;
    const numbers = fields.map(parseDecimal);
    if (first && numbers.every(Number.isNaN)) continue; // the header
    if (own.y.length === OWN_LIMITS.points.max) return problem(line, 1, `more than ${OWN_LIMITS.points.max} points, the limit`);
    for (let k = 0; k < 3; k++) {
      const column = k + 1;
      const what = k < 2 ? `x${column}` : 'the label';
      if (k >= fields.length) return problem(line, column, `missing ${what} (expected x1,x2,label)`);
      if (fields[k] === '') return problem(line, column, `${what} is empty`);
      if (Number.isNaN(numbers[k])) return problem(line, column, `${what} is not a number: "${echo(fields[k])}"`);
    }
    if (fields.length > 3) return problem(line, 4, `a value too many: "${echo(fields[3])}" (expected x1,x2,label)`);
    for (let k = 0; k < 2; k++)
      if (!inRange(numbers[k], OWN_LIMITS.coordinate)) return problem(line, k + 1, `x${k + 1} must be in ${rangeText(OWN_LIMITS.coordinate)}, got ${echo(fields[k])}`);
    if (numbers[2] !== 0 && numbers[2] !== 1) return problem(line, 3, `the label must be 0 or 1, got "${echo(fields[2])}"`);
    own.x.push(numbers[0], numbers[1]);
    own.y.push(numbers[2]);
  }
  if (own.y.length === 0) return problem(Math.max(1, lines.length - (lines.at(-1) === '' ? 1 : 0)), 1, 'no points (expected rows x1,x2,label)');
  return { own };
}

// The CSV of `own` (with a header): parsePointsCsv reads it back exactly.
export function pointsCsv(own: OwnPoints): string {
  return `x1,x2,label\n${own.y.map((label, i) => `${own.x[2 * i]},${own.x[2 * i + 1]},${label}\n`).join('')}`;
}
