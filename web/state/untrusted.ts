// Reading text the page did not write (a link, a model file, a parent frame's message): numbers only in
// decimal notation, and never more than ECHO_CHARS of a value repeated in a message.

export const ECHO_CHARS = 80; // as the engine (core/jsonread.h kEchoChars)
export const CUT_MARK = '… (cut)';

// A number written in decimal: an optional sign, digits with an optional fraction, an optional exponent
// ("12", "-0.5", ".5", "1e-7", "2.5E+3"). Anything else is NaN: "0x10", "0b1", "Infinity", " 1", "1_000", "".
// String(n) of every finite number is in this form, so the page's own links always read back exactly.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseDecimal(text: string): number {
  return DECIMAL.test(text) ? Number(text) + 0 : NaN; // + 0: "-0" reads as 0
}

// `text` as it may be repeated in a message: at most ECHO_CHARS characters, the rest replaced by CUT_MARK.
export function echo(text: string): string {
  if (text.length <= ECHO_CHARS) return text;
  const cut = /[\uD800-\uDBFF]/.test(text[ECHO_CHARS - 1]) ? ECHO_CHARS - 1 : ECHO_CHARS; // not inside a surrogate pair
  return text.slice(0, cut) + CUT_MARK;
}

// Any value as it may be repeated in a message: text quoted and cut, numbers and booleans as they are, other
// values by their kind (never their content).
export function show(value: unknown): string {
  if (typeof value === 'string') return `"${echo(value)}"`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  return Array.isArray(value) ? 'a list' : `a value of type ${typeof value}`;
}
